/**
 * What a file is, from its bytes. The browser's declared type and the file name's
 * extension are claims; only these signatures decide what is stored and how it is
 * served back. Pure: no I/O, usable in tests and on either side.
 *
 * Accepted (the same list as the attachments.content_type check constraint):
 * PDF, PNG, JPEG, DOCX, XLSX (a ZIP whose entries include [Content_Types].xml and
 * word/ or xl/, without macros), and plain UTF-8 text.
 */
export const attachmentContentTypes = [
  "application/pdf",
  "image/png",
  "image/jpeg",
  "text/plain",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
] as const;
export type AttachmentContentType = (typeof attachmentContentTypes)[number];

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function startsWith(bytes: Uint8Array, signature: number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  return signature.every((b, i) => bytes[at + i] === b);
}

const u16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32 = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;

/**
 * Entry names from a ZIP's central directory (read from the end-of-central-directory
 * record, as unzip does), or null when the archive is malformed or truncated.
 */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  // EOCD: 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= earliest; i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = u16(bytes, eocd + 10);
  let at = u32(bytes, eocd + 16);
  const names: string[] = [];
  const decoder = new TextDecoder("utf-8");
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== 0x02014b50) return null;
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    if (at + 46 + nameLength > bytes.length) return null;
    names.push(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function sniffOfficeXml(bytes: Uint8Array): AttachmentContentType | null {
  const names = zipEntryNames(bytes);
  if (!names || !names.includes("[Content_Types].xml")) return null;
  // A macro-enabled document (.docm/.xlsm renamed) is not what the list allows.
  if (names.some((n) => /vbaProject\.bin$/i.test(n))) return null;
  const word = names.some((n) => n.startsWith("word/"));
  const excel = names.some((n) => n.startsWith("xl/"));
  if (word === excel) return null;
  return word ? DOCX : XLSX;
}

/** Valid UTF-8 without NUL or other control characters than tab, line breaks and form feed. */
export function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text);
}

/** The content type of `bytes`, or null when it is none of the accepted formats. */
export function sniffContentType(bytes: Uint8Array): AttachmentContentType | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf"; // %PDF-
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return sniffOfficeXml(bytes); // PK\3\4
  if (isPlainText(bytes)) return "text/plain";
  return null;
}
