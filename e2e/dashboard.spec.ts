import { readFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import { readSheetRows } from "../app/lib/xlsx.server";
import { as, expect, screenshot } from "./fixtures";

/**
 * 统计分析 as a dashboard: the charts draw, each has a table view with the same numbers,
 * the drill-down province → 哈尔滨 → a county → its engagements is consistent at every
 * level (a 合计 is the sum of its rows, a child's row is the child's own 合计), and the
 * Excel export holds the page's numbers. The numbers are read from the page's tables and
 * compared with each other, never with fixed values (the demo seed may change).
 * Read-only: nothing is written (the export is audited, as it should be).
 */

const CHARTS = ["coverage", "categories", "ranking", "problems", "leads", "rectification", "overdue"] as const;
/** The tables with one row per child office (or engagement) and a 合计. */
const BREAKDOWN = ["coverage", "problems", "leads", "rectification", "overdue"] as const;
type Chart = (typeof CHARTS)[number];

interface Row {
  kind: string;
  orgId: string | null;
  engagementId: string | null;
  label: string;
  values: Record<string, string>;
  /** Every cell in order (the label's without its note), as shown. */
  cells: string[];
}

/** "1,903" → 1903; a rate stays text. */
const asNumber = (text: string) => {
  const n = Number(text.trim().replace(/,/g, ""));
  if (!Number.isFinite(n)) throw new Error(`not a number: ${text}`);
  return n;
};
const isRate = (key: string) => key === "rate" || key === "share";

/** A chart's table (its table view, always in the page), row by row, with the 合计 last. */
async function tableOf(page: Page, id: Chart): Promise<{ rows: Row[]; total: Row | undefined; title: string; headers: string[] }> {
  const view = page.getByTestId(`table-view-${id}`);
  const title = (await view.locator("caption").textContent()) ?? "";
  const headers = (await view.locator("thead th").allTextContents()).map((h) => h.trim());
  const rows = await view.locator("tr[data-row-kind]").evaluateAll((trs) =>
    trs.map((tr) => {
      const th = tr.querySelector("th")!;
      const label = (th.firstElementChild?.textContent ?? th.textContent ?? "").trim();
      return {
        kind: tr.getAttribute("data-row-kind")!,
        orgId: tr.getAttribute("data-org-id"),
        engagementId: tr.getAttribute("data-engagement-id"),
        label,
        values: Object.fromEntries([...tr.querySelectorAll("[data-figure]")].map((c) => [(c as HTMLElement).dataset.figure!, (c.textContent ?? "").trim()])),
        cells: [...tr.children].map((c) => (c === th ? label : (c.textContent ?? "").trim())),
      };
    }),
  );
  return { rows: rows.filter((r) => r.kind !== "total"), total: rows.find((r) => r.kind === "total"), title, headers };
}

/** The 合计 of a breakdown table is the sum of its rows, column by column (a rate: of the sums). */
function expectTotalIsSum(id: Chart, t: Awaited<ReturnType<typeof tableOf>>) {
  expect(t.total, `${id} has a 合计`).toBeDefined();
  for (const key of Object.keys(t.total!.values)) {
    if (isRate(key)) continue;
    const sum = t.rows.reduce((a, r) => a + asNumber(r.values[key]), 0);
    expect(asNumber(t.total!.values[key]), `${id}: 合计 ${key}`).toBe(sum);
  }
  const v = t.total!.values;
  if (id === "rectification") {
    const fedBack = asNumber(v.fedBack);
    if (fedBack === 0) expect(v.rate).toBe("—");
    else expect(Number(v.rate.slice(0, -1))).toBeCloseTo((asNumber(v.rectified) * 100) / fedBack, 2);
  }
  if (id === "coverage") expect(asNumber(v.uncovered)).toBe(asNumber(v.due) - asNumber(v.covered));
}

const panel = (page: Page, id: Chart) => page.getByTestId(`panel-${id}`);

/** Every chart in chart view is drawn (a panel switched to its table keeps that view while drilling down). */
async function chartsDrawn(page: Page) {
  for (const id of CHARTS) {
    if ((await panel(page, id).getByRole("radio", { name: "表格" }).getAttribute("aria-checked")) === "true") continue;
    const chart = page.getByTestId(`chart-${id}`);
    await expect(chart, id).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
    await expect(chart.locator("svg").first(), id).toBeVisible();
  }
}

/** Checks every breakdown table of the page adds up; returns them for the level below. */
async function expectLevelAddsUp(page: Page) {
  const tables = {} as Record<(typeof BREAKDOWN)[number], Awaited<ReturnType<typeof tableOf>>>;
  for (const id of BREAKDOWN) {
    tables[id] = await tableOf(page, id);
    expect(tables[id].rows.length, `${id} has rows`).toBeGreaterThan(0);
    expectTotalIsSum(id, tables[id]);
  }
  // The cards are the 合计.
  expect(asNumber(await page.getByTestId("stat-problems").innerText())).toBe(asNumber(tables.problems.total!.values.problems));
  expect((await page.getByTestId("stat-rate").innerText()).trim()).toBe(tables.rectification.total!.values.rate);
  expect(asNumber(await page.getByTestId("stat-overdue").innerText())).toBe(asNumber(tables.overdue.total!.values.overdueItems));
  // The categories add up to the problems, and the ranking shows at most ten.
  const categories = await tableOf(page, "categories");
  expect(categories.rows.reduce((a, r) => a + asNumber(r.values.count), 0)).toBe(asNumber(tables.problems.total!.values.problems));
  expect((await tableOf(page, "ranking")).rows.length).toBeLessThanOrEqual(10);
  return tables;
}

/** A child's row at its parent is the child's own 合计, in every breakdown table. */
function expectChildMatches(parent: Awaited<ReturnType<typeof expectLevelAddsUp>>, child: Awaited<ReturnType<typeof expectLevelAddsUp>>, orgId: string) {
  for (const id of BREAKDOWN) {
    const row = parent[id].rows.find((r) => r.orgId === orgId);
    expect(row, `${id}: the parent's row for ${orgId}`).toBeDefined();
    expect(child[id].total!.values, `${id}: the child's 合计 is its row at the parent`).toEqual(row!.values);
  }
}

async function showTable(page: Page, id: Chart): Promise<Locator> {
  await panel(page, id).getByRole("radio", { name: "表格" }).click();
  await expect(panel(page, id).getByTestId(`chart-${id}`)).toHaveCount(0);
  const table = panel(page, id).getByRole("table");
  await expect(table).toBeVisible();
  // Visible for real: not the 1-pixel box of the hidden table behind a chart.
  expect((await table.boundingBox())!.height).toBeGreaterThan(60);
  return table;
}

as("province")("the province's dashboard draws its charts, shows a chart as a table, drills down to a county's engagements with consistent numbers, and exports them", async ({ page }, testInfo) => {
  testInfo.setTimeout(180_000);
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto("/figures");
  await expect(page.getByTestId("focus-org")).toHaveText("黑龙江省委巡视办");
  await chartsDrawn(page);
  await expect(page.getByTestId("chart-problems")).toHaveAttribute("aria-hidden", "true");
  await screenshot(page, "dashboard-province");

  // One chart as a table: the same rows, now visible, each office a link down.
  const province = await expectLevelAddsUp(page);
  const table = await showTable(page, "problems");
  await expect(table.getByRole("columnheader", { name: "发现问题" })).toBeVisible();
  expect((await tableOf(page, "problems")).rows).toEqual(province.problems.rows);
  await panel(page, "problems").getByRole("radio", { name: "图表" }).click();
  await expect(page.getByTestId("chart-problems").locator("svg").first()).toBeVisible();

  // → 哈尔滨, by the link in the table view.
  await showTable(page, "problems");
  const harbinRow = province.problems.rows.find((r) => r.label === "哈尔滨市委巡察办")!;
  expect(harbinRow.orgId).toBeTruthy();
  await panel(page, "problems").getByRole("link", { name: "哈尔滨市委巡察办" }).click();
  await expect(page.getByTestId("focus-org")).toHaveText("哈尔滨市委巡察办", { timeout: 30_000 });
  await expect(page).toHaveURL(new RegExp(`/figures\\?org=${harbinRow.orgId}$`));
  await chartsDrawn(page);
  const harbin = await expectLevelAddsUp(page);
  expectChildMatches(province, harbin, harbinRow.orgId!);

  // → 道里, by the link in another chart's table view.
  const daoliRow = harbin.problems.rows.find((r) => r.label === "道里区委巡察办")!;
  await showTable(page, "overdue");
  await panel(page, "overdue").getByRole("link", { name: "道里区委巡察办" }).click();
  await expect(page.getByTestId("focus-org")).toHaveText("道里区委巡察办", { timeout: 30_000 });
  await chartsDrawn(page);
  await expect(page.getByRole("navigation", { name: "层级" })).toContainText("黑龙江省委巡视办");
  const daoli = await expectLevelAddsUp(page);
  expectChildMatches(harbin, daoli, daoliRow.orgId!);

  // A county has no child offices: its rows are its engagements, and so is the list below.
  expect(daoli.problems.rows.every((r) => r.kind === "engagement" && r.engagementId)).toBe(true);
  const listed = await page.getByTestId("figures-engagement-row").evaluateAll((trs) =>
    trs.map((tr) => ({
      href: tr.querySelector("a")?.getAttribute("href"),
      problems: tr.querySelector('[data-figure="problems"]')?.textContent ?? "",
      overdue: tr.querySelector('[data-figure="overdueItems"]')?.textContent ?? "",
    })),
  );
  expect(listed.map((e) => e.href).sort()).toEqual(daoli.problems.rows.map((r) => `/engagements/${r.engagementId}`).sort());
  expect(listed.reduce((a, e) => a + asNumber(e.problems), 0)).toBe(asNumber(daoli.problems.total!.values.problems));
  expect(listed.reduce((a, e) => a + asNumber(e.overdue), 0)).toBe(asNumber(daoli.overdue.total!.values.overdueItems));

  // The Excel export of 道里: one sheet per table, the page's numbers.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("figures-export").click()]);
  expect(download.suggestedFilename()).toMatch(/^道里区委巡察办统计分析_\d{4}-\d{2}-\d{2}\.xlsx$/);
  const bytes = await readFile((await download.path())!);
  const sheets: { title: string; header: string[]; rows: string[][] }[] = [];
  for (let i = 0; ; i++) {
    const rows = await readSheetRows(bytes, i);
    if (rows.length === 0) break;
    sheets.push({ title: rows[0].cells[0], header: rows[2].cells, rows: rows.slice(3).map((r) => r.cells) });
    expect(rows[1].cells[0]).toMatch(/^范围：.+；导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）$/);
  }
  expect(sheets.length).toBe(CHARTS.length + 2);
  // A count on the page has thousands separators; in the sheet it is a number.
  const plain = (v: string) => (/^[\d,]+$/.test(v) ? String(asNumber(v)) : v);
  for (const id of CHARTS) {
    const shown = await tableOf(page, id);
    const sheet = sheets.find((s) => s.title === `道里区委巡察办 统计分析 — ${shown.title}`);
    expect(sheet, `a sheet for ${shown.title}`).toBeDefined();
    expect(sheet!.header, `${id}: the same columns`).toEqual(shown.headers);
    const expected = [...shown.rows, ...(shown.total ? [shown.total] : [])].map((r) => r.cells.map(plain));
    // An engagement's label carries its round in the sheet: 单位（轮次）.
    const got = sheet!.rows.map((cells, i) => cells.slice(0, shown.headers.length).map((c, j) => (c.startsWith(`${expected[i]?.[j]}（`) ? expected[i][j] : c)));
    expect(got, id).toEqual(expected);
  }

  // → an engagement.
  await page.getByTestId("figures-engagement-row").first().getByRole("link").click();
  await expect(page).toHaveURL(/\/engagements\/\d+$/, { timeout: 30_000 });
});

as("city")("the city's dashboard (screenshot)", async ({ page }, testInfo) => {
  testInfo.setTimeout(120_000);
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto("/figures");
  await expect(page.getByTestId("focus-org")).toHaveText("哈尔滨市委巡察办");
  await chartsDrawn(page);
  await expectLevelAddsUp(page);
  await screenshot(page, "dashboard-city");
});

as("county")("the county's dashboard (screenshot), and a year filter narrows it", async ({ page }, testInfo) => {
  testInfo.setTimeout(120_000);
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto("/figures");
  await expect(page.getByTestId("focus-org")).toHaveText("道里区委巡察办");
  await chartsDrawn(page);
  const all = await expectLevelAddsUp(page);
  await screenshot(page, "dashboard-county");

  // A year: the scope is named, the numbers still add up, and none exceeds the whole.
  const years = (await page.locator("#f-year option").allInnerTexts()).filter((y) => /^\d{4}年$/.test(y));
  expect(years.length).toBeGreaterThan(0);
  await page.getByLabel("年度").selectOption({ label: years[0] });
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/year=\d{4}/, { timeout: 30_000 });
  await expect(page.getByTestId("figures-scope")).toHaveText(`当前范围：${years[0]}`);
  await chartsDrawn(page);
  const year = await expectLevelAddsUp(page);
  expect(asNumber(year.problems.total!.values.problems)).toBeLessThanOrEqual(asNumber(all.problems.total!.values.problems));
  // The export link carries the filter.
  await expect(page.getByTestId("figures-export")).toHaveAttribute("href", /^\/figures\/xlsx\?year=\d{4}$/);
});
