import ExcelJS from "exceljs";
import { importKindLabel, importsText } from "../messages/imports";
import { specs, type ImportKind } from "./kinds";
import { MAX_IMPORT_ROWS } from "./parse";

/**
 * The downloadable .xlsx template of an import kind, in the offices' layout (as
 * app/lib/xlsx.server.ts draws exports): a title, a note, the Chinese headers (required
 * ones marked *), one example row in grey, drop-down lists on the columns with fixed
 * values; and a second sheet that explains every column.
 */

const thin = { style: "thin" as const, color: { argb: "FF999999" } };
const border = { top: thin, left: thin, bottom: thin, right: thin };
const t = importsText.template;

/** Row numbers in the template: title, note, headers, example. */
export const TEMPLATE_HEADER_ROW = 3;

export async function buildTemplate(kind: ImportKind): Promise<Buffer> {
  const spec = specs[kind];
  const columns = spec.columns;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "巡联 XunLian";
  workbook.created = new Date();

  const sheet = workbook.addWorksheet(t.sheet);
  const title = sheet.addRow([t.title(importKindLabel[kind])]);
  title.font = { bold: true, size: 14 };
  title.height = 24;
  sheet.mergeCells(1, 1, 1, columns.length);
  const note = sheet.addRow([t.subtitle]);
  note.font = { size: 10, color: { argb: "FF666666" } };
  sheet.mergeCells(2, 1, 2, columns.length);
  const head = sheet.addRow(columns.map((c) => (c.required ? `${c.header}*` : c.header)));
  head.font = { bold: true };
  head.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
  head.eachCell((cell, col) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: columns[col - 1].required ? "FFFCE4D6" : "FFE8E8E8" } };
    cell.border = border;
  });
  const example = sheet.addRow(columns.map((c) => c.example || null));
  example.font = { italic: true, color: { argb: "FF808080" } };
  example.eachCell({ includeEmpty: true }, (cell) => {
    cell.border = border;
  });
  columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = c.width;
    // Text everywhere: Excel must not turn 1-1 into a date or drop a leading zero.
    column.numFmt = "@";
    if (c.choices) {
      const letter = column.letter;
      // exceljs keeps a whole-range validation as one sqref; its typings omit the collection.
      (sheet as unknown as { dataValidations: { add(address: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${letter}${TEMPLATE_HEADER_ROW + 1}:${letter}${TEMPLATE_HEADER_ROW + MAX_IMPORT_ROWS + 1}`, {
        type: "list",
        allowBlank: !c.required,
        formulae: [`"${c.choices.join(",")}"`],
        showErrorMessage: true,
        errorStyle: "warning",
        errorTitle: c.header,
        error: c.rule,
      });
    }
  });
  sheet.views = [{ state: "frozen", ySplit: TEMPLATE_HEADER_ROW }];

  const guide = workbook.addWorksheet(t.guideSheet);
  const guideHead = guide.addRow([t.guideColumn, t.guideRequired, t.guideRule]);
  guideHead.font = { bold: true };
  guideHead.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8E8E8" } };
    cell.border = border;
  });
  for (const c of columns) {
    const row = guide.addRow([c.header, c.required ? t.yes : t.no, c.rule]);
    row.alignment = { vertical: "top", wrapText: true };
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = border;
    });
  }
  guide.getColumn(1).width = 26;
  guide.getColumn(2).width = 10;
  guide.getColumn(3).width = 80;

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
