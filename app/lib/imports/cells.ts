import { importsText } from "../messages/imports";

/**
 * One cell of an import file, read as text (app/lib/xlsx.server.ts readSheetRows) and
 * checked: what it means, or the Chinese reason it is refused. Pure.
 */
export type Cell<T> = { ok: true; value: T } | { ok: false; message: string };

const v = importsText.v;
const ok = <T>(value: T): Cell<T> => ({ ok: true, value });
const no = <T>(message: string): Cell<T> => ({ ok: false, message });

/** Trimmed, full-width spaces and line breaks at the ends included. */
export function clean(raw: string | undefined): string {
  return (raw ?? "").replace(/^[\s\u3000]+|[\s\u3000]+$/g, "");
}

/** Length in characters (a Chinese character counts one, as the database's length() does). */
const length = (s: string) => [...s].length;

export function text(raw: string | undefined, o: { required: boolean; min?: number; max: number }): Cell<string | null> {
  const s = clean(raw);
  if (!s) return o.required ? no(v.required) : ok(null);
  if (o.min && length(s) < o.min) return no(v.tooShort(o.min));
  if (length(s) > o.max) return no(v.tooLong(o.max));
  return ok(s);
}

/** A label of `labels` (the Chinese word), turned into its key. */
export function oneOf<K extends string>(raw: string | undefined, labels: Record<K, string>, required: boolean): Cell<K | null> {
  const s = clean(raw);
  if (!s) return required ? no(v.required) : ok(null);
  const key = (Object.keys(labels) as K[]).find((k) => labels[k] === s);
  return key ? ok(key) : no(v.oneOf(Object.values(labels)));
}

/** Several values of a fixed list, separated by 、，, ；; / or spaces; each once, in the list's order. */
export function someOf(raw: string | undefined, values: readonly string[], atLeastOne: boolean): Cell<string[]> {
  const parts = clean(raw)
    .split(/[、，,；;/\s\u3000]+/)
    .filter(Boolean);
  if (parts.length === 0) return atLeastOne ? no(v.atLeastOne(values)) : ok([]);
  if (parts.some((p) => !values.includes(p))) return no(v.someOf(values));
  return ok(values.filter((x) => parts.includes(x)));
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

function isoOf(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * A date as offices write it: 2026-03-31, 2026/3/31, 2026.3.31, 2026年3月31日, or a date
 * cell (readSheetRows gives yyyy-mm-dd), or Excel's serial number of a date cell that
 * lost its format (46112). Always yyyy-mm-dd after, within 2000–2100.
 */
export function date(raw: string | undefined, o: { required: boolean; notAfter?: string }): Cell<string | null> {
  const s = clean(raw);
  if (!s) return o.required ? no(v.required) : ok(null);
  let iso: string | null = null;
  const m = /^(\d{4})\s*(?:-|\/|\.|年)\s*(\d{1,2})\s*(?:-|\/|\.|月)\s*(\d{1,2})\s*日?$/.exec(s);
  if (m) {
    iso = isoOf(Number(m[1]), Number(m[2]), Number(m[3]));
  } else if (/^\d{5}(\.0+)?$/.test(s)) {
    const serial = Number(s);
    // 36526 = 2000-01-01, 73415 = 2100-12-31: anything else is not a date of ours.
    if (serial >= 36526 && serial <= 73415) iso = new Date(EXCEL_EPOCH + serial * 86_400_000).toISOString().slice(0, 10);
  }
  if (!iso) return no(v.date);
  if (iso < "2000-01-01" || iso > "2100-12-31") return no(v.dateRange);
  if (o.notAfter && iso > o.notAfter) return no(v.dateFuture);
  return ok(iso);
}

export function yesNo(raw: string | undefined, fallback: boolean): Cell<boolean> {
  const s = clean(raw);
  if (!s) return ok(fallback);
  if (s === "是" || s === "Y" || s === "y") return ok(true);
  if (s === "否" || s === "N" || s === "n") return ok(false);
  return no(v.yesNo);
}

/** A positive whole number (问题序号): "3", "3.0", "第3号", "问题3" all read 3. */
export function positiveInt(raw: string | undefined, required: boolean): Cell<number | null> {
  const s = clean(raw).replace(/^(第|问题)\s*/, "").replace(/\s*号$/, "");
  if (!s) return required ? no(v.required) : ok(null);
  if (!/^\d{1,6}(\.0+)?$/.test(s) || Number(s) < 1) return no(v.integer);
  return ok(Number.parseInt(s, 10));
}
