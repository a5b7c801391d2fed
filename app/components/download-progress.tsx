import { useCallback, useRef, useState } from "react";
import { Button, Flex, Progress, Text } from "@radix-ui/themes";
import { findingsText } from "~/lib/messages/findings";

const t = findingsText.documents;

export type DownloadState =
  | { phase: "idle" }
  | { phase: "generating" }
  | { phase: "downloading"; loaded: number; total: number }
  | { phase: "done" }
  | { phase: "error"; message: string };

/** The file name a Content-Disposition gives: the RFC 5987 `filename*` first, else `filename`. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(disposition) ?? /filename\s*=\s*([^;]+)/i.exec(disposition);
  return plain ? plain[1].trim() : null;
}

function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The browser has taken the blob once the click is handled; free it a little later.
  window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

async function refusal(res: Response): Promise<string> {
  if (res.status === 403 || res.status === 404) return t.forbidden;
  if (res.status === 400 && (res.headers.get("Content-Type") ?? "").includes("application/json")) {
    try {
      const body = (await res.json()) as { error?: unknown };
      if (typeof body.error === "string") return body.error;
    } catch {
      // not the JSON we send
    }
  }
  return t.failed;
}

/**
 * Fetches a generated file and saves it, reporting what happens: 正在生成… until the
 * response starts, then 正在下载 x% from its Content-Length as the body streams in.
 */
export function useFileDownload(fallbackName: string) {
  const [state, setState] = useState<DownloadState>({ phase: "idle" });
  const running = useRef(false);
  const start = useCallback(
    async (url: string, init?: RequestInit) => {
      if (running.current) return;
      running.current = true;
      setState({ phase: "generating" });
      try {
        const res = await fetch(url, { credentials: "same-origin", ...init });
        const type = res.headers.get("Content-Type") ?? "";
        // A signed-out session is redirected to the login page: HTML, not the file.
        if (!res.ok || type.includes("text/html")) {
          setState({ phase: "error", message: res.ok ? t.failed : await refusal(res) });
          return;
        }
        const total = Number(res.headers.get("Content-Length")) || 0;
        const chunks: Uint8Array[] = [];
        let loaded = 0;
        setState({ phase: "downloading", loaded, total });
        const reader = res.body?.getReader();
        if (reader) {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            chunks.push(value);
            loaded += value.byteLength;
            setState({ phase: "downloading", loaded, total });
          }
        } else {
          const all = new Uint8Array(await res.arrayBuffer());
          chunks.push(all);
          loaded = all.byteLength;
        }
        if (loaded === 0 || (total > 0 && loaded !== total)) {
          setState({ phase: "error", message: t.failed });
          return;
        }
        save(new Blob(chunks as BlobPart[], { type: type || "application/octet-stream" }), fileNameOf(res.headers.get("Content-Disposition")) ?? fallbackName);
        setState({ phase: "done" });
      } catch {
        setState({ phase: "error", message: t.failed });
      } finally {
        running.current = false;
      }
    },
    [fallbackName],
  );
  return { state, start, busy: state.phase === "generating" || state.phase === "downloading" };
}

/** The Radix progress bar and its words, announced to assistive technology. */
export function DownloadStatus({ state, testId }: { state: DownloadState; testId?: string }) {
  if (state.phase === "idle") return null;
  if (state.phase === "error") {
    return <Text size="2" color="red" role="alert" data-testid={testId}>{state.message}</Text>;
  }
  const pct = state.phase === "downloading" && state.total > 0 ? Math.min(100, Math.round((state.loaded * 100) / state.total)) : null;
  const text =
    state.phase === "generating"
      ? t.generating
      : state.phase === "done"
        ? t.done
        : pct !== null
          ? t.downloading(pct)
          : t.downloadingBytes(Math.round(state.phase === "downloading" ? state.loaded / 1024 : 0));
  return (
    <Flex direction="column" gap="1" style={{ minWidth: 200 }} data-testid={testId}>
      {state.phase === "done" ? null : (
        <Progress value={state.phase === "generating" ? undefined : (pct ?? undefined)} size="1" aria-label={text} duration="2s" />
      )}
      <Text size="1" color={state.phase === "done" ? "green" : "gray"} aria-live="polite">{text}</Text>
    </Flex>
  );
}

/** A button that downloads a generated document (GET) with its progress underneath. */
export function DownloadButton({ href, label, fallbackName, testId }: { href: string; label: string; fallbackName: string; testId?: string }) {
  const { state, start, busy } = useFileDownload(fallbackName);
  return (
    <Flex direction="column" gap="2" align="start">
      <Button type="button" variant="soft" loading={busy} onClick={() => void start(href)} data-testid={testId}>
        {label}
      </Button>
      <DownloadStatus state={state} testId={testId ? `${testId}-status` : undefined} />
    </Flex>
  );
}
