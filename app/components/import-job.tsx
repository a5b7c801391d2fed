import { useEffect, useRef } from "react";
import { useRevalidator } from "@remix-run/react";
import { Badge, Flex, Progress, Table, Text } from "@radix-ui/themes";
import { importStatusLabel, importsText as t } from "~/lib/messages/imports";
import type { RowError } from "~/lib/imports/parse";
import { DataTable } from "./data-table";

export type JobStatus = keyof typeof importStatusLabel;

export const when = (d: Date | string) =>
  new Date(d).toLocaleString("zh-CN", {
    timeZone: "Asia/Shanghai", hour12: false, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  });

export const isRunning = (status: JobStatus) => status === "validating" || status === "writing";

const colour = { validating: "blue", writing: "blue", done: "green", failed: "red" } as const;

export function ImportStatusBadge({ status, stale }: { status: JobStatus; stale?: boolean }) {
  if (stale) return <Badge color="gray" variant="soft">{t.staleShort}</Badge>;
  return <Badge color={colour[status]} variant="soft" data-testid="job-status">{importStatusLabel[status]}</Badge>;
}

/** Revalidates the page's loaders every second while `active` (a job still running). */
export function usePolling(active: boolean, everyMs = 1000) {
  const revalidator = useRevalidator();
  const ref = useRef(revalidator);
  ref.current = revalidator;
  useEffect(() => {
    if (!active) return;
    const id = window.setInterval(() => {
      if (ref.current.state === "idle") ref.current.revalidate();
    }, everyMs);
    return () => window.clearInterval(id);
  }, [active, everyMs]);
}

/** The job's progress: indeterminate while validating, rows written of all while writing. */
export function ImportProgress({ status, total, done }: { status: JobStatus; total: number; done: number }) {
  const pct = status === "writing" && total > 0 ? Math.min(100, Math.round((done * 100) / total)) : null;
  const text = status === "writing" ? t.writingNow(done, total) : total > 0 ? t.validatingRows(total) : t.validatingNow;
  return (
    <Flex direction="column" gap="2" data-testid="job-progress">
      <Progress value={pct ?? undefined} size="3" aria-label={t.progressLabel} aria-valuetext={text} duration="3s" />
      <Text size="2" color="gray" aria-live="polite">{text}</Text>
    </Flex>
  );
}

export function ImportErrorTable({ errors }: { errors: RowError[] }) {
  return (
    <DataTable label={t.errorsTitle} columns={[{ label: t.colRow }, { label: t.colColumn }, { label: t.colMessage }]}>
      {errors.map((e, i) => (
        <Table.Row key={i} data-testid="error-row">
          <Table.RowHeaderCell style={{ whiteSpace: "nowrap" }}>{e.row === null ? t.wholeFile : t.rowValue(e.row)}</Table.RowHeaderCell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{e.column ?? "—"}</Table.Cell>
          <Table.Cell>{e.message}</Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}
