import { createHash } from "node:crypto";
import { parseWithZod } from "@conform-to/zod";
import type { z } from "zod";
import {
  data,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import { authProvider } from "./auth.server";
import { engagementsText } from "./messages/engagements";
import { sniffContentType, type AttachmentContentType } from "./sniff";

/** 20 MB per file, as the attachments.size_bytes check says. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
/** Text fields of a form: far more than any of ours needs. */
const MAX_FIELD_BYTES = 64 * 1024;
/**
 * A part over the limit is read to its end and thrown away, so the fields after it still
 * arrive and the user's typing is kept. Past this, the request is refused outright.
 */
const MAX_DISCARDED_BYTES = 256 * 1024 * 1024;

export interface UploadForm {
  formData: FormData;
  /** Names of file fields whose file was over MAX_ATTACHMENT_BYTES (not kept). */
  tooLarge: Set<string>;
}

async function discard(data: AsyncIterable<Uint8Array>, already: number) {
  let total = already;
  for await (const chunk of data) {
    total += chunk.byteLength;
    if (total > MAX_DISCARDED_BYTES) throw new Response("Payload Too Large", { status: 413 });
  }
}

/**
 * A post's form data: multipart forms (those with a file) through Remix's multipart
 * parser with a memory handler capped at 20 MB per file, anything else as usual. Only a
 * signed-in user's upload is read into memory at all.
 */
export async function readForm(request: Request): Promise<UploadForm> {
  const tooLarge = new Set<string>();
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    return { formData: await request.formData(), tooLarge };
  }
  if (!(await authProvider().verify(request))) throw new Response("Unauthorized", { status: 401 });
  const files = unstable_createMemoryUploadHandler({ maxPartSize: MAX_ATTACHMENT_BYTES });
  const fields = unstable_createMemoryUploadHandler({ maxPartSize: MAX_FIELD_BYTES });
  const handler: UploadHandler = async (part) => {
    if (part.filename === undefined) {
      try {
        return await fields(part);
      } catch (error) {
        if (error instanceof MaxPartSizeExceededError) throw new Response("Payload Too Large", { status: 413 });
        throw error;
      }
    }
    // An empty file input arrives as a part with an empty name and no bytes.
    if (part.filename === "") {
      await discard(part.data, 0);
      return undefined;
    }
    try {
      return await files(part);
    } catch (error) {
      if (!(error instanceof MaxPartSizeExceededError)) throw error;
      tooLarge.add(part.name);
      await discard(part.data, MAX_ATTACHMENT_BYTES);
      return undefined;
    }
  };
  try {
    return { formData: await unstable_parseMultipartFormData(request, handler), tooLarge };
  } catch (error) {
    if (error instanceof Response) throw error;
    throw new Response("Bad Request", { status: 400 });
  }
}

export type PreparedFile =
  | { ok: true; fileName: string; contentType: AttachmentContentType; sha256: string; bytes: Uint8Array }
  | { ok: false; reason: "missing" | "too_large" | "empty" | "unsupported" | "name" };

/** A file name as stored: the last path segment, without control characters, trimmed. */
export function cleanFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return (name.split(/[/\\]/).pop() ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim();
}

/**
 * The file of field `name`, checked: within the limit, not empty, a type we sniff from
 * its bytes (the browser's claim is ignored), with its SHA-256.
 */
export async function prepareFile(form: UploadForm, name = "file"): Promise<PreparedFile> {
  if (form.tooLarge.has(name)) return { ok: false, reason: "too_large" };
  const file = form.formData.get(name);
  form.formData.delete(name);
  if (!file || typeof file === "string") return { ok: false, reason: "missing" };
  if (file.size === 0) return { ok: false, reason: "empty" };
  if (file.size > MAX_ATTACHMENT_BYTES) return { ok: false, reason: "too_large" };
  const fileName = cleanFileName(file.name);
  if (fileName.length === 0 || fileName.length > 200) return { ok: false, reason: "name" };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const contentType = sniffContentType(bytes);
  if (!contentType) return { ok: false, reason: "unsupported" };
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return { ok: true, fileName, contentType, sha256, bytes };
}

const fileMessages: Record<Exclude<PreparedFile, { ok: true }>["reason"], string> = {
  missing: engagementsText.attachment.fileRequired,
  too_large: engagementsText.attachment.tooLarge,
  empty: engagementsText.attachment.empty0,
  unsupported: engagementsText.attachment.unsupported,
  name: engagementsText.attachment.nameTooLong,
};

/**
 * A form refused for its file: a 400 with the file's message on the file field, and
 * everything else the user typed sent back (nothing is written).
 */
export function refuseFile(formData: FormData, schema: z.ZodTypeAny, reason: keyof typeof fileMessages, field = "file") {
  const submission = parseWithZod(formData, { schema });
  return data(submission.reply({ fieldErrors: { [field]: [fileMessages[reason]] } }), { status: 400 });
}
