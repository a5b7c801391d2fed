import { importsText } from "../messages/imports";
import { clean } from "./cells";

/**
 * The generic half of reading an import file: find the header row, map the columns,
 * check every data row with the kind's rules, and find rows repeated in the file. Pure:
 * the rows come from readSheetRows (app/lib/xlsx.server.ts), the rules from
 * app/lib/imports/kinds.ts, and what the database knows is checked afterwards
 * (app/lib/imports/resolve.ts).
 */

export const MAX_IMPORT_ROWS = 20_000;
/** Errors kept on a job (all of them are counted). */
export const MAX_KEPT_ERRORS = 1_000;

export interface RowError {
  /** The row number in the sheet (as Excel shows it); null for the whole file. */
  row: number | null;
  /** The column's header (without the required mark); null for the whole row or file. */
  column: string | null;
  message: string;
}

export interface SheetRow {
  row: number;
  cells: string[];
}

export interface ColumnSpec<Key extends string = string> {
  key: Key;
  /** The header as the template writes it, without the required mark. */
  header: string;
  required: boolean;
  /** What to write, for the template's guide sheet. */
  rule: string;
  /** The template's example row. */
  example: string;
  /** Width in the template, in characters. */
  width: number;
  /** Allowed values, offered as a drop-down list in the template. */
  choices?: readonly string[];
}

export type CellProblems<Key extends string> = { key: Key; message: string }[];

export interface KindSpec<Key extends string, Record> {
  columns: readonly ColumnSpec<Key>[];
  /** Checks one row's cells (by column key); a record, or the problems of its cells. */
  row: (get: (key: Key) => string, today: string) => { value: Record } | { problems: CellProblems<Key> };
  /** Rows with the same key are duplicates (the later one is refused), and which column says so. */
  duplicateKey: (r: Record) => string;
  duplicateColumn: Key;
}

export interface Parsed<Record> {
  records: { row: number; value: Record }[];
  errors: RowError[];
  /** Data rows read (blank rows and an untouched example row are not counted). */
  total: number;
  /** The file cannot be read as this kind at all (no header, no rows, too many rows). */
  fatal: boolean;
}

const v = importsText.v;

/** A header as typed: without the required mark, 必填 notes and spaces. */
export function normaliseHeader(s: string): string {
  return clean(s)
    .replace(/[（(]\s*(必填|选填)\s*[)）]/g, "")
    .replace(/[*＊\s\u3000]/g, "");
}

export function parseSheet<Key extends string, Record>(
  spec: KindSpec<Key, Record>,
  rows: SheetRow[],
  today: string,
): Parsed<Record> {
  const fail = (error: RowError): Parsed<Record> => ({ records: [], errors: [error], total: 0, fatal: true });
  const first = spec.columns[0].header;
  const headerRow = rows.slice(0, 5).find((r) => r.cells.some((c) => normaliseHeader(c) === first));
  if (!headerRow) return fail({ row: null, column: null, message: v.noHeader(first) });

  // Column positions by key; a header twice, or a required one missing, stops here.
  const position = new Map<Key, number>();
  const errors: RowError[] = [];
  headerRow.cells.forEach((cell, i) => {
    const col = spec.columns.find((c) => c.header === normaliseHeader(cell));
    if (!col) return;
    if (position.has(col.key)) errors.push({ row: headerRow.row, column: col.header, message: v.duplicateHeader });
    else position.set(col.key, i);
  });
  for (const col of spec.columns) {
    if (col.required && !position.has(col.key)) errors.push({ row: headerRow.row, column: col.header, message: v.missingHeader });
  }
  if (errors.length) return { records: [], errors, total: 0, fatal: true };

  const header = new Map(spec.columns.map((c) => [c.key, c.header]));
  const example = spec.columns.map((c) => c.example);
  const data = rows.filter((r) => r.row > headerRow.row);
  const records: Parsed<Record>["records"] = [];
  const firstSeen = new Map<string, number>();
  let total = 0;
  for (const r of data) {
    const get = (key: Key) => {
      const i = position.get(key);
      return i === undefined ? "" : clean(r.cells[i]);
    };
    const values = spec.columns.map((c) => get(c.key));
    if (values.every((x) => x === "")) continue;
    // The template's example row, left as it was, is not data.
    if (values.every((x, i) => x === example[i])) continue;
    total++;
    if (total > MAX_IMPORT_ROWS) return fail({ row: null, column: null, message: v.tooManyRows(MAX_IMPORT_ROWS) });
    const checked = spec.row(get, today);
    if ("problems" in checked) {
      const order = (k: Key) => spec.columns.findIndex((c) => c.key === k);
      for (const p of [...checked.problems].sort((x, y) => order(x.key) - order(y.key))) {
        errors.push({ row: r.row, column: header.get(p.key) ?? null, message: p.message });
      }
      continue;
    }
    const key = spec.duplicateKey(checked.value);
    const earlier = firstSeen.get(key);
    if (earlier !== undefined) {
      errors.push({ row: r.row, column: header.get(spec.duplicateColumn) ?? null, message: v.duplicateInFile(earlier) });
      continue;
    }
    firstSeen.set(key, r.row);
    records.push({ row: r.row, value: checked.value });
  }
  if (total === 0) return fail({ row: null, column: null, message: v.noRows });
  return { records, errors, total, fatal: false };
}

/** Errors in reading order: the whole file first, then by row, then by column order. */
export function sortErrors(errors: RowError[], columns: readonly { header: string }[]): RowError[] {
  const order = new Map(columns.map((c, i) => [c.header, i]));
  return [...errors].sort(
    (a, b) =>
      (a.row ?? -1) - (b.row ?? -1) ||
      (a.column === null ? -1 : (order.get(a.column) ?? 99)) - (b.column === null ? -1 : (order.get(b.column) ?? 99)),
  );
}
