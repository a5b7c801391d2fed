import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import type { Download, Page } from "@playwright/test";
import { readSheetRows } from "../app/lib/xlsx.server";
import { as, expect, screenshot, storageState } from "./fixtures";
import { token } from "./patrol";

/**
 * Excel in and out. Imports: a template downloads with its Chinese headers; a ledger
 * with bad rows is refused row by row and column by column (nothing written); a good
 * unit registry runs as a background job that can be left and found again. Exports:
 * what downloads opens back with exactly the rows of the user's scope. The imported
 * units carry the test's token; the refused ledger writes nothing.
 */

async function bytesOf(download: Download): Promise<Buffer> {
  return readFile((await download.path())!);
}

/** The downloaded template with `rows` typed under its example row. */
async function filled(template: Buffer, rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as never);
  const sheet = wb.worksheets[0];
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function downloadTemplate(page: Page, kind: "unit" | "cadre" | "ledger"): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(`template-${kind}`).click()]);
  return bytesOf(download);
}

/** Clicks an export button (it fetches the file in the page's script) until its download starts. */
async function exportFile(page: Page, testId: string): Promise<Download> {
  let download: Download | undefined;
  await expect(async () => {
    [download] = await Promise.all([page.waitForEvent("download", { timeout: 15_000 }), page.getByTestId(testId).click()]);
  }).toPass({ timeout: 80_000 });
  return download!;
}

/** The upload form, once its script runs (the round picker follows the chosen kind). */
async function openImports(page: Page) {
  await page.goto("/imports");
  await expect(page.getByRole("heading", { level: 1, name: "数据导入" })).toBeVisible();
  await expect(page.getByRole("form", { name: "上传并导入" })).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
}

async function upload(page: Page, name: string, buffer: Buffer) {
  await page.locator('input[type="file"]').setInputFiles({ name, mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer });
  await page.getByRole("button", { name: "上传并导入" }).click();
}

as("city")("the ledger template downloads; a file with an unknown unit, a bad date, no responsible person and a duplicate is refused row by row", async ({ page }, testInfo) => {
  testInfo.slow();
  await openImports(page);
  await page.getByLabel("导入内容").selectOption({ label: "问题清单及整改台账" });
  const rounds = page.getByLabel("导入到轮次");
  await expect(rounds).toBeVisible();
  await rounds.selectOption({ index: 1 });
  await expect(page.getByRole("table", { name: "填写要求" })).toContainText("整改时限");
  await screenshot(page, "imports-index");

  const template = await downloadTemplate(page, "ledger");
  const head = await readSheetRows(template);
  expect(head[0].cells[0]).toBe("问题清单及整改台账导入模板");
  expect(head[2].cells).toEqual(["被巡察单位*", "问题序号*", "整改措施*", "责任领导*", "责任部门*", "责任人*", "整改类型*", "整改时限"]);

  const t = token();
  const bad = await filled(template, [
    [`不存在的单位${t}`, 1, "修订公务接待制度", "分管副局长", "办公室", "张某", "限期整改", "2026-12-31"],
    [`不存在的单位${t}`, 2, "清退违规补贴", "局长", "财务科", "李某", "限期整改", "2026-02-30"],
    [`不存在的单位${t}`, 3, "开展专项检查", "局长", "财务科", "", "立行立改", "2026-12-31"],
    [`不存在的单位${t}`, 1, "修订公务接待制度", "分管副局长", "办公室", "张某", "限期整改", "2026-12-31"],
  ]);
  await upload(page, `整改台账${t}.xlsx`, bad);
  await expect(page).toHaveURL(/\/imports\/\d+$/, { timeout: 60_000 });
  await expect(page.getByTestId("job-failed")).toContainText("导入失败，未写入任何数据", { timeout: 30_000 });
  const rows = page.getByTestId("error-row");
  await expect(rows).toHaveCount(4);
  const expected = [
    ["第 5 行", "被巡察单位", "未知单位"],
    ["第 6 行", "整改时限", "日期格式应为 2026-03-31"],
    ["第 7 行", "责任人", "必填"],
    ["第 8 行", "整改措施", "与第5行重复"],
  ];
  for (const [i, [row, column, message]] of expected.entries()) {
    await expect(rows.nth(i).getByRole("rowheader")).toHaveText(row);
    await expect(rows.nth(i).getByRole("cell").nth(0)).toHaveText(column);
    await expect(rows.nth(i).getByRole("cell").nth(1)).toContainText(message);
  }
  await expect(page.getByTestId("error-count")).toHaveText("共 4 处错误。");
  await screenshot(page, "imports-errors");
});

as("countyB")("a non-Excel file is refused; a good unit registry imports in the background, and the job is found again after leaving", async ({ page }, testInfo) => {
  testInfo.setTimeout(240_000);
  await openImports(page);
  await expect(page.getByLabel("导入内容")).toHaveValue("unit");

  // Bytes that are not a workbook, whatever the name says.
  await page.locator('input[type="file"]').setInputFiles({ name: "单位名录.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: Buffer.from("单位名称,单位类别\n某局,县直单位\n") });
  await page.getByRole("button", { name: "上传并导入" }).click();
  await expect(page.getByText("只能导入 Excel 2007 及以上版本的 .xlsx 文件")).toBeVisible({ timeout: 30_000 });
  await expect(page).toHaveURL(/\/imports(\?index)?$/);

  const template = await downloadTemplate(page, "unit");
  const t = token();
  const n = 3000;
  const rows = Array.from({ length: n }, (_, i) => [`导入测试${t}单位${String(i + 1).padStart(4, "0")}`, i % 2 ? "县直单位" : "村（社区）", "县管干部", ""]);
  await upload(page, `单位名录${t}.xlsx`, await filled(template, rows));
  await expect(page).toHaveURL(/\/imports\/\d+$/, { timeout: 60_000 });
  const jobUrl = page.url();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("导入单位名录", { timeout: 30_000 });
  await screenshot(page, "imports-job-running");

  // Leave while it runs (or after), then find it again from the list.
  await page.goto("/units");
  await page.goto("/imports");
  const job = page.getByTestId("job-row").filter({ hasText: `单位名录${t}.xlsx` });
  await expect(job).toHaveCount(1);
  await job.getByRole("link", { name: "查看" }).click();
  await expect(page).toHaveURL(jobUrl, { timeout: 30_000 });
  await expect(page.getByTestId("job-done")).toHaveText(`导入完成，共写入 ${n} 条记录。`, { timeout: 60_000 });
  await expect(page.getByTestId("job-progress")).toHaveCount(0);
  await screenshot(page, "imports-job-done");
  await page.goto("/imports");
  await expect(page.getByTestId("job-row").filter({ hasText: `单位名录${t}.xlsx` })).toContainText(`已写入 ${n} 条`);
  await screenshot(page, "imports-index-jobs");

  await page.goto(`/units?q=${encodeURIComponent(`导入测试${t}`)}`);
  await expect(page.getByTestId("units-total")).toHaveText(`共 ${n} 个对象`);
});

as("county")("the coverage export opens back with the county's own row only; another county's is a 404", async ({ page }, testInfo) => {
  testInfo.slow();
  await page.goto("/coverage");
  const download = await exportFile(page, "export-coverage");
  expect(download.suggestedFilename()).toBe("道里区委巡察办全覆盖进度.xlsx");
  const sheet = await readSheetRows(await bytesOf(download));
  expect(sheet[0].cells[0]).toBe("道里区委巡察办 全覆盖进度");
  expect(sheet[2].cells[0]).toBe("序号");
  expect(sheet.slice(3).map((r) => r.cells[1].trim())).toEqual(["道里区委巡察办"]);
  await expect(page.getByTestId("export-coverage-status")).toHaveText("已下载。");
  await screenshot(page, "imports-export-coverage");
});

as("city")("the leads register exports the rows the page lists, without the person concerned; a county cannot export the city's coverage", async ({ page, browser }, testInfo) => {
  testInfo.slow();
  await page.goto("/leads");
  const total = Number((await page.getByTestId("leads-total").innerText()).replace(/\D/g, ""));
  expect(total).toBeGreaterThan(0);
  const download = await exportFile(page, "export-leads");
  const sheet = await readSheetRows(await bytesOf(download));
  expect(sheet[0].cells[0]).toBe("哈尔滨市委巡察办 问题线索台账");
  const header = sheet[2].cells;
  expect(header[0]).toBe("序号");
  for (const word of ["被反映人", "姓名", "职务", "举报人"]) expect(header.join("|")).not.toContain(word);
  expect(sheet.slice(3)).toHaveLength(total);

  // 南岗's id from the city's coverage page; 道里 asking for it gets a 404.
  await page.goto("/coverage");
  const nangang = await page.getByTestId("coverage-row").filter({ hasText: "南岗区委巡察办" }).first().getAttribute("data-org-id");
  const county = await browser.newContext({ storageState: storageState("county") });
  expect((await county.request.get(`/coverage/xlsx?org=${nangang}`)).status()).toBe(404);
  expect((await county.request.get("/coverage/xlsx")).status()).toBe(200);
  await county.close();
});

as("unitContact")("the unit's four lists export as one workbook of four sheets with the page's rows; the problem list exports for the office; a county gets a 404", async ({ page, browser }, testInfo) => {
  testInfo.slow();
  await page.goto("/rectification");
  await page.getByTestId("rectification-row").first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/rectification\/\d+$/, { timeout: 30_000 });
  const engagementUrl = page.url();
  const problems = Number(await page.getByTestId("count-problems").innerText());
  await page.goto(`${engagementUrl}?tab=tasks`);
  const items = await page.getByTestId("task-row").count();
  const download = await exportFile(page, "export-rectification");
  expect(download.suggestedFilename()).toMatch(/整改四个清单\.xlsx$/);
  const bytes = await bytesOf(download);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  expect(wb.worksheets.map((w) => w.name)).toEqual(["问题清单", "任务清单", "责任清单", "督查清单"]);
  expect((await readSheetRows(bytes, 0)).slice(3)).toHaveLength(problems);
  for (const sheet of [1, 2, 3]) expect((await readSheetRows(bytes, sheet)).slice(3)).toHaveLength(items);
  expect((await readSheetRows(bytes, 2))[2].cells).toEqual(["序号", "编号", "问题", "整改措施", "责任领导", "责任部门", "责任人"]);
  await screenshot(page, "imports-export-rectification");

  // The office's problem list of the same engagement.
  const office = await browser.newContext({ storageState: storageState("city") });
  const officePage = await office.newPage();
  const problemsUrl = engagementUrl.replace("/rectification/", "/engagements/") + "/problems";
  await officePage.goto(problemsUrl);
  const listed = await officePage.getByTestId("problem-row").count();
  expect(listed).toBeGreaterThan(0);
  const list = await exportFile(officePage, "export-problems");
  const rows = (await readSheetRows(await bytesOf(list))).slice(3);
  expect(rows).toHaveLength(listed);
  expect(rows.map((r) => r.cells[0])).toEqual(rows.map((_, i) => String(i + 1)));
  await office.close();

  const county = await browser.newContext({ storageState: storageState("countyB") });
  for (const url of [`${problemsUrl}/xlsx`, engagementUrl.replace(/$/, "/xlsx")]) {
    expect((await county.request.get(url)).status()).toBe(404);
  }
  await county.close();
});
