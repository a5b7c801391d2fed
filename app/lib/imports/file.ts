import { sniffContentType } from "../sniff";

/**
 * Whether uploaded bytes may be opened as an import file at all: an .xlsx by its bytes
 * (app/lib/sniff.ts: a ZIP with the spreadsheet's parts, no macros), within the size
 * limit, and not a ZIP bomb: the workbook library inflates every part in memory, so the
 * parts' declared sizes are added up from the central directory first. Pure.
 */

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** A 20,000-row sheet of long texts inflates to some tens of MB; far more is not an import. */
export const MAX_IMPORT_INFLATED_BYTES = 200 * 1024 * 1024;

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export type ImportFileCheck = { ok: true } | { ok: false; reason: "empty" | "too_large" | "not_xlsx" | "inflates" };

const u16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32 = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;

/** The sum of the entries' uncompressed sizes (central directory), or null when unreadable or ZIP64. */
export function zipInflatedSize(bytes: Uint8Array): number | null {
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
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== 0x02014b50) return null;
    const size = u32(bytes, at + 24);
    // 0xFFFFFFFF: the size is in a ZIP64 extra field — far beyond any import.
    if (size === 0xffffffff) return null;
    total += size;
    at += 46 + u16(bytes, at + 28) + u16(bytes, at + 30) + u16(bytes, at + 32);
  }
  return total;
}

export function checkImportFile(bytes: Uint8Array): ImportFileCheck {
  if (bytes.length === 0) return { ok: false, reason: "empty" };
  if (bytes.length > MAX_IMPORT_BYTES) return { ok: false, reason: "too_large" };
  if (sniffContentType(bytes) !== XLSX) return { ok: false, reason: "not_xlsx" };
  const inflated = zipInflatedSize(bytes);
  if (inflated === null || inflated > MAX_IMPORT_INFLATED_BYTES) return { ok: false, reason: "inflates" };
  return { ok: true };
}
