import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { importsText } from "../messages/imports";
import { buildWorkbook, readSheetRows } from "../xlsx.server";
import { date, positiveInt, someOf } from "./cells";
import { checkImportFile, MAX_IMPORT_BYTES, zipInflatedSize } from "./file";
import { cadreSpec, ledgerSpec, unitSpec } from "./kinds";
import { MAX_IMPORT_ROWS, parseSheet, sortErrors, type RowError } from "./parse";
import { resolveLedger, resolveUnits } from "./resolve";
import { buildTemplate } from "./template.server";

/**
 * Import parsing and validation on real .xlsx files (written by exceljs or the app's own
 * template and export builders, read back by readSheetRows as the runner reads them).
 */

const TODAY = "2026-11-21";
const say = (e: RowError) => importsText.error(e.row, e.column, e.message);

/** A workbook of one sheet with exactly these cells (a Date becomes a real date cell). */
async function sheet(rows: (string | number | Date | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Sheet1");
  for (const r of rows) ws.addRow(r);
  ws.eachRow((row) =>
    row.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = "yyyy-mm-dd";
    }),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const UNIT_HEAD = ["单位名称*", "单位类别*", "主要负责人管理层级*", "上级单位"];
const LEDGER_HEAD = ["被巡察单位*", "问题序号*", "整改措施*", "责任领导*", "责任部门*", "责任人*", "整改类型*", "整改时限"];

describe("templates", () => {
  for (const [kind, spec] of [["unit", unitSpec], ["cadre", cadreSpec], ["ledger", ledgerSpec]] as const) {
    it(`the ${kind} template has its Chinese headers and one example row, which an import skips`, async () => {
      const rows = await readSheetRows(await buildTemplate(kind));
      expect(rows[2].cells.map((c) => c.replace("*", ""))).toEqual(spec.columns.map((c) => c.header));
      expect(rows[3].cells.slice(0, spec.columns.length)).toEqual(spec.columns.map((c) => c.example));
      expect(rows).toHaveLength(4);
      const parsed = parseSheet(spec as never, rows, TODAY);
      expect(parsed.fatal).toBe(true);
      expect(parsed.errors.map(say)).toEqual(["文件中没有数据行"]);
      // The guide sheet names every column.
      const guide = await readSheetRows(await buildTemplate(kind), 1);
      expect(guide.slice(1).map((r) => r.cells[0])).toEqual(spec.columns.map((c) => c.header));
    });
  }

  it("rows typed under the template's example are read (the example itself is not)", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildTemplate("unit")) as never);
    wb.worksheets[0].addRow(["哈尔滨市某某局", "市直单位", "市管干部", ""]);
    const rows = await readSheetRows(Buffer.from(await wb.xlsx.writeBuffer()));
    const parsed = parseSheet(unitSpec, rows, TODAY);
    expect(parsed.errors).toEqual([]);
    expect(parsed.total).toBe(1);
    expect(parsed.records).toEqual([{ row: 5, value: { name: "哈尔滨市某某局", category: "city_dept", headLevel: "city_managed", parent: null } }]);
  });
});

describe("cells", () => {
  it("reads the dates offices write, and refuses anything else in words", () => {
    for (const s of ["2026-03-31", "2026/3/31", "2026.3.31", "2026年3月31日", "46112"]) {
      expect(date(s, { required: true })).toEqual({ ok: true, value: "2026-03-31" });
    }
    expect(date("2026-02-30", { required: true })).toEqual({ ok: false, message: "日期格式应为 2026-03-31" });
    expect(date("下月底", { required: true })).toEqual({ ok: false, message: "日期格式应为 2026-03-31" });
    expect(date("1999-12-31", { required: true })).toEqual({ ok: false, message: "日期应在 2000 年至 2100 年之间" });
    expect(date("", { required: true })).toEqual({ ok: false, message: "必填" });
    expect(date("", { required: false })).toEqual({ ok: true, value: null });
    expect(date("2026-11-22", { required: false, notAfter: TODAY })).toEqual({ ok: false, message: "日期不能晚于今天" });
  });

  it("reads lists and numbers", () => {
    expect(someOf("审计、财务", ["财务", "审计", "法律"], false)).toEqual({ ok: true, value: ["财务", "审计"] });
    expect(someOf("审计，会计", ["财务", "审计"], false).ok).toBe(false);
    expect(someOf("", ["组长库"], true)).toEqual({ ok: false, message: "至少填写一项：组长库" });
    expect(positiveInt("第3号", true)).toEqual({ ok: true, value: 3 });
    expect(positiveInt("3.0", true)).toEqual({ ok: true, value: 3 });
    expect(positiveInt("0", true).ok).toBe(false);
    expect(positiveInt("三", true).ok).toBe(false);
  });
});

describe("parseSheet", () => {
  it("finds the header below a title, reads an Excel date cell, and reports every bad cell by row and column", async () => {
    const bytes = await sheet([
      ["某某巡察办 整改台账"],
      LEDGER_HEAD,
      ["哈尔滨市财政局", 1, "修订制度", "张三", "办公室", "李四", "限期整改", new Date(Date.UTC(2026, 2, 31))],
      ["哈尔滨市财政局", 2, "清退资金", "张三", "财务科", "", "限期整改", "2026-13-01"],
      ["哈尔滨市财政局", "二", "x", "张三", "财务科", "王五", "尽快整改", ""],
      ["哈尔滨市财政局", 3, "长期坚持的措施", "张三", "财务科", "王五", "长期坚持", ""],
      [null, null, null, null, null, null, null, null],
      ["哈尔滨市财政局", 1, "修  订制度", "赵六", "办公室", "李四", "立行立改", "2026-04-01"],
    ]);
    const parsed = parseSheet(ledgerSpec, await readSheetRows(bytes), TODAY);
    expect(parsed.fatal).toBe(false);
    expect(parsed.total).toBe(5);
    expect(parsed.records.map((r) => [r.row, r.value.problemSeq, r.value.deadline, r.value.kind])).toEqual([
      [3, 1, "2026-03-31", "deadline"],
      [6, 3, null, "long_term"],
    ]);
    expect(sortErrors(parsed.errors, ledgerSpec.columns).map(say)).toEqual([
      "第4行「责任人」：必填",
      "第4行「整改时限」：日期格式应为 2026-03-31",
      "第5行「问题序号」：应为正整数",
      "第5行「整改措施」：至少 2 个字",
      "第5行「整改类型」：应为以下之一：立行立改、限期整改、长期坚持",
      "第8行「整改措施」：与第3行重复",
    ]);
  });

  it("a deadline is required unless the item is 长期坚持", async () => {
    const bytes = await sheet([LEDGER_HEAD, ["某单位", 1, "整改措施一", "甲", "乙", "丙", "立行立改", ""]]);
    const parsed = parseSheet(ledgerSpec, await readSheetRows(bytes), TODAY);
    expect(parsed.errors.map(say)).toEqual(["第2行「整改时限」：限期整改和立行立改须填写整改时限"]);
  });

  it("refuses a file without the template's header, or with a required column missing or doubled", async () => {
    const none = parseSheet(unitSpec, await readSheetRows(await sheet([["名称", "类别"], ["甲", "乙"]])), TODAY);
    expect(none.errors.map(say)).toEqual(["未找到表头：前 5 行中没有「单位名称」。请使用系统提供的模板，不要修改表头。"]);
    const missing = parseSheet(unitSpec, await readSheetRows(await sheet([["单位名称", "单位类别"], ["某某局", "市直单位"]])), TODAY);
    expect(missing.errors.map(say)).toEqual(["第1行「主要负责人管理层级」：缺少该列，请使用系统提供的模板，不要修改表头"]);
    const twice = parseSheet(unitSpec, await readSheetRows(await sheet([[...UNIT_HEAD, "单位名称"], ["某某局", "市直单位", "市管干部", "", "x"]])), TODAY);
    expect(twice.errors.map(say)).toEqual(["第1行「单位名称」：表头重复"]);
  });

  it("checks units and cadres cell by cell", async () => {
    const units = parseSheet(unitSpec, await readSheetRows(await sheet([
      UNIT_HEAD,
      ["某", "市直单位", "市管干部", ""],
      ["某某局", "市直部门", "处级", "某某局"],
      ["甲局", "市直单位", "市管干部", ""],
      ["甲局", "市直单位", "市管干部", ""],
    ])), TODAY);
    expect(units.errors.map(say)).toEqual([
      "第2行「单位名称」：至少 2 个字",
      expect.stringMatching(/^第3行「单位类别」：应为以下之一：市（地）、/),
      "第3行「主要负责人管理层级」：应为以下之一：省管干部、市管干部、县管干部",
      "第5行「单位名称」：与第4行重复",
    ]);
    const cadres = parseSheet(cadreSpec, await readSheetRows(await sheet([
      ["姓名*", "工作单位*", "职级", "专业特长", "所在库*", "首次从事巡视巡察工作日期", "可抽调"],
      ["王某", "某某局", "", "财务、审计", "人才库、组长库", "2020-01-01", ""],
      ["李某", "某某局", "", "烹饪", "", "2030-01-01", "可以"],
    ])), TODAY);
    expect(cadres.records.map((r) => r.value)).toEqual([
      { name: "王某", homeUnit: "某某局", rank: null, specialties: ["财务", "审计"], pools: ["leader", "talent"], firstPostedOn: "2020-01-01", available: true },
    ]);
    expect(cadres.errors.map(say)).toEqual([
      "第3行「专业特长」：只能填写：财务、审计、法律、工程、组织人事、纪检监察、经济管理、信息技术（多个用顿号分隔）",
      "第3行「所在库」：至少填写一项：组长库、人才库、专家库",
      "第3行「首次从事巡视巡察工作日期」：日期不能晚于今天",
      "第3行「可抽调」：应为“是”或“否”",
    ]);
  });

  it(`stops at ${MAX_IMPORT_ROWS} rows`, () => {
    const rows = [{ row: 1, cells: UNIT_HEAD }, ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => ({ row: i + 2, cells: [`单位${i}`, "市直单位", "市管干部", ""] }))];
    const parsed = parseSheet(unitSpec, rows, TODAY);
    expect(parsed.fatal).toBe(true);
    expect(parsed.errors.map(say)).toEqual([`单次最多导入 ${MAX_IMPORT_ROWS} 行，请拆分文件后分批导入`]);
  });
});

describe("resolve", () => {
  it("units: a name the org has, a parent it does not, a parent later in the file, and a loop", () => {
    const rec = (row: number, name: string, parent: string | null) => ({ row, value: { name, category: "city_dept" as const, headLevel: "city_managed" as const, parent } });
    const { errors, plan } = resolveUnits(
      [rec(2, "已有局", null), rec(3, "村甲", "镇甲"), rec(4, "镇甲", "已有县"), rec(5, "某局", "不存在"), rec(6, "环一", "环二"), rec(7, "环二", "环一")],
      { taken: new Set(["已有局", "已有县"]), activeParents: new Map([["已有县", 1]]) },
    );
    expect(errors.map(say)).toEqual([
      "第2行「单位名称」：本机构已有同名的巡察对象",
      "第5行「上级单位」：上级单位须为本机构在册的巡察对象，或本文件中的另一行",
      "第6行「上级单位」：上级单位形成循环（单位不能直接或间接以自己为上级）",
      "第7行「上级单位」：上级单位形成循环（单位不能直接或间接以自己为上级）",
    ]);
    expect(plan.waves.map((w) => w.map((u) => u.name))).toEqual([["已有局", "镇甲", "某局"], ["村甲"]]);
    expect(plan.parents).toEqual([["已有县", 1]]);
  });

  it("ledger: an unknown unit, a problem not fed back, a deadline before the feedback, an item already there", () => {
    const rec = (row: number, unitName: string, problemSeq: number, measures: string, deadline: string | null) => ({
      row, value: { unitName, problemSeq, measures, responsibleLeader: "甲", responsibleDepartment: "乙", responsiblePerson: "丙", kind: "deadline" as const, deadline },
    });
    const { errors, rows } = resolveLedger(
      [rec(2, "某局", 1, "新措施", "2026-06-01"), rec(3, "别的局", 1, "新措施", "2026-06-01"), rec(4, "某局", 9, "新措施", "2026-06-01"),
        rec(5, "某局", 2, "新措施", "2026-01-01"), rec(6, "某局", 2, "已有 措施", "2026-06-01")],
      [{ engagementId: 10, unitName: "某局", feedbackOn: "2026-03-01" }],
      [{ engagementId: 10, seq: 1, problemId: 100 }, { engagementId: 10, seq: 2, problemId: 101 }],
      [{ problemId: 101, measures: "已有措施" }],
    );
    expect(errors.map(say)).toEqual([
      "第3行「被巡察单位」：未知单位：不是所选轮次中本机构组织巡察且已反馈的被巡察单位",
      "第4行「问题序号」：该单位没有此序号的已反馈问题",
      "第5行「整改时限」：整改时限不能早于反馈日期（2026-03-01）",
      "第6行「整改措施」：该问题已有相同整改措施的整改事项",
    ]);
    expect(rows.map((r) => r.problemId)).toEqual([100]);
  });
});

describe("the file itself", () => {
  it("takes an .xlsx and refuses anything else, too large, or inflating far beyond an import", async () => {
    const xlsx = new Uint8Array(await buildWorkbook([{ name: "a", columns: [{ header: "x", value: (r: number) => r }], rows: [1] }]));
    expect(checkImportFile(xlsx)).toEqual({ ok: true });
    expect(zipInflatedSize(xlsx)).toBeGreaterThan(xlsx.length);
    expect(checkImportFile(new Uint8Array())).toEqual({ ok: false, reason: "empty" });
    expect(checkImportFile(new TextEncoder().encode("单位名称,单位类别\n某局,市直单位\n"))).toEqual({ ok: false, reason: "not_xlsx" });
    expect(checkImportFile(new TextEncoder().encode("%PDF-1.4 ..."))).toEqual({ ok: false, reason: "not_xlsx" });
    expect(checkImportFile(new Uint8Array(MAX_IMPORT_BYTES + 1))).toEqual({ ok: false, reason: "too_large" });
    // The same workbook with one part declaring 4 GB once inflated.
    const bomb = new Uint8Array(xlsx);
    const view = new DataView(bomb.buffer);
    const cd = view.getUint32(bomb.length - 22 + 16, true);
    view.setUint32(cd + 24, 0xfffffff0, true);
    expect(checkImportFile(bomb)).toEqual({ ok: false, reason: "inflates" });
  });
});
