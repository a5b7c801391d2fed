import ExcelJS from "exceljs";

/**
 * Excel workbooks (.xlsx) in the layout offices use: a merged title row, the column
 * headers in bold on a grey fill with borders, frozen below the headers, and widths set
 * per column. Every export and every import template of the app goes through here.
 */

export interface SheetColumn<Row> {
  header: string;
  /** Width in characters (a Chinese character counts about two). */
  width?: number;
  value: (row: Row) => string | number | null | undefined;
  /** A percentage column holds fractions (0.8398) shown as 83.98%. */
  format?: "percent" | "integer" | "date";
}

export interface SheetSpec<Row> {
  name: string;
  /** A title above the headers (e.g. "哈尔滨市委巡察办 问题清单"), merged across the columns. */
  title?: string;
  /** A note under the title (scope, filters, the time of export). */
  subtitle?: string;
  columns: SheetColumn<Row>[];
  rows: Row[];
}

const thin = { style: "thin" as const, color: { argb: "FF999999" } };
const border = { top: thin, left: thin, bottom: thin, right: thin };
const numFmt = { percent: "0.00%", integer: "0", date: "yyyy-mm-dd" } as const;

function addSheet<Row>(workbook: ExcelJS.Workbook, spec: SheetSpec<Row>) {
  const sheet = workbook.addWorksheet(spec.name.slice(0, 31));
  const width = spec.columns.length;
  let header = 1;
  if (spec.title) {
    const row = sheet.addRow([spec.title]);
    row.font = { bold: true, size: 14 };
    row.height = 24;
    if (width > 1) sheet.mergeCells(row.number, 1, row.number, width);
    header++;
  }
  if (spec.subtitle) {
    const row = sheet.addRow([spec.subtitle]);
    row.font = { size: 10, color: { argb: "FF666666" } };
    if (width > 1) sheet.mergeCells(row.number, 1, row.number, width);
    header++;
  }
  const head = sheet.addRow(spec.columns.map((c) => c.header));
  head.font = { bold: true };
  head.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
  head.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8E8E8" } };
    cell.border = border;
  });
  spec.columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = c.width ?? Math.max(8, c.header.length * 2 + 2);
    if (c.format) column.numFmt = numFmt[c.format];
  });
  for (const r of spec.rows) {
    const row = sheet.addRow(spec.columns.map((c) => c.value(r) ?? null));
    row.alignment = { vertical: "top", wrapText: true };
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = border;
    });
  }
  sheet.views = [{ state: "frozen", ySplit: header }];
  return sheet;
}

/** A workbook of one or more sheets, as the bytes of an .xlsx file. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- sheets of different row types
export async function buildWorkbook(sheets: SheetSpec<any>[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "巡联 XunLian";
  workbook.created = new Date();
  for (const spec of sheets) addSheet(workbook, spec);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The response that downloads an .xlsx file under its Chinese name. */
export function xlsxResponse(bytes: Buffer, filename: string): Response {
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(filename.endsWith(".xlsx") ? filename : `${filename}.xlsx`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}

/**
 * The cells of a sheet as text rows (1-based row numbers kept), for imports and for tests
 * that open an export back. Dates become yyyy-mm-dd; formulas their results.
 */
export async function readSheetRows(bytes: Buffer | ArrayBuffer, sheetIndex = 0): Promise<{ row: number; cells: string[] }[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as ArrayBuffer);
  const sheet = workbook.worksheets[sheetIndex];
  if (!sheet) return [];
  const out: { row: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      // A merged range holds its value once, in its master cell.
      cells[col - 1] = cell.isMerged && cell.master !== cell ? "" : cellText(cell.value);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= "";
    out.push({ row: number, cells });
  });
  return out;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v == null) return "";
  if (v instanceof Date) {
    // Dates typed into Excel are stored as UTC midnights of the local date.
    return v.toISOString().slice(0, 10);
  }
  if (typeof v === "object") {
    if ("result" in v) return cellText(v.result as ExcelJS.CellValue);
    if ("richText" in v) return v.richText.map((t) => t.text).join("");
    if ("text" in v) return String(v.text);
    if ("error" in v) return "";
  }
  return String(v).trim();
}
