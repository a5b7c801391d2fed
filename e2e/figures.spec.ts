import type { Locator, Page } from "@playwright/test";
import { as, expect, screenshot, storageState } from "./fixtures";

/**
 * 统计分析: the figures are compared computed two ways (a total against its parts, a
 * page against its parent's row for it), never against fixed numbers, so the demo seed
 * may change. Read-only: nothing is written.
 */

const FIGURES = [
  "engagements", "problems", "onTheSpot", "deadlineItems", "leadsTransferred", "personsSanctioned", "personsJudicial",
  "fedBack", "rectified", "overdueItems",
] as const;
type Figures = Record<(typeof FIGURES)[number], number>;

/** "1,903" → 1903. */
const count = (text: string) => {
  const n = Number(text.trim().replace(/,/g, ""));
  if (!Number.isInteger(n)) throw new Error(`not a count: ${text}`);
  return n;
};

/** The figure cells of every row matched, read in one go (data-figure names each cell). */
async function figuresOf(rows: Locator): Promise<Figures[]> {
  const cells = await rows.evaluateAll((trs) =>
    trs.map((tr) => Object.fromEntries([...tr.querySelectorAll("[data-figure]")].map((c) => [(c as HTMLElement).dataset.figure!, c.textContent ?? ""]))),
  );
  return cells.map((row) => {
    const out = {} as Figures;
    // An engagement's row has no engagements column: it is one.
    for (const f of FIGURES) out[f] = f === "engagements" && !(f in row) ? 1 : count(row[f] ?? "");
    return out;
  });
}

async function rowFigures(row: Locator): Promise<Figures> {
  await expect(row).toHaveCount(1);
  return (await figuresOf(row))[0];
}

const sumOf = (xs: Figures[]) => xs.reduce((a, b) => add(a, b), { ...zero });

const add = (a: Figures, b: Figures) => Object.fromEntries(FIGURES.map((f) => [f, a[f] + b[f]])) as Figures;
const zero = Object.fromEntries(FIGURES.map((f) => [f, 0])) as Figures;

/** The headline cards, in the table's terms (the cards have no engagements count). */
async function cardFigures(page: Page) {
  const card = async (id: string) => count(await page.getByTestId(id).innerText());
  return {
    problems: await card("stat-problems"),
    onTheSpot: await card("stat-on-the-spot"),
    deadlineItems: await card("stat-deadline-items"),
    leadsTransferred: await card("stat-leads"),
    personsSanctioned: await card("stat-sanctioned"),
    personsJudicial: await card("stat-judicial"),
    fedBack: await card("stat-fed-back"),
    rectified: await card("stat-rectified"),
    overdueItems: await card("stat-overdue"),
  };
}

const withoutEngagements = ({ engagements: _e, ...rest }: Figures) => rest;

/**
 * The page's numbers add up: the 合计 row is 本级 plus every child row, the cards are
 * the 合计 row, and the rate is rectified ÷ fed back with two decimals. Returns the total.
 */
async function expectAddsUp(page: Page): Promise<Figures> {
  const total = await rowFigures(page.getByTestId("figures-total-row"));
  const sum = add(await rowFigures(page.getByTestId("figures-own-row")), sumOf(await figuresOf(page.getByTestId("figures-child-row"))));
  expect(sum).toEqual(total);
  expect(await cardFigures(page)).toEqual(withoutEngagements(total));
  const rate = (await page.getByTestId("stat-rate").innerText()).trim();
  if (total.fedBack === 0) expect(rate).toBe("—");
  else {
    expect(rate).toMatch(/^\d{1,3}\.\d{2}%$/);
    expect(Number(rate.slice(0, -1))).toBeCloseTo((total.rectified * 100) / total.fedBack, 2);
  }
  return total;
}

const childRow = (page: Page, name: string) =>
  page.getByTestId("figures-child-row").filter({ has: page.getByRole("link", { name, exact: true }) });

as("province")("the province director sees the province's figures, drills down to 哈尔滨 and to a county, and every level adds up", async ({ page }, testInfo) => {
  // A loaded machine serving through Vite: page loads take a while.
  testInfo.setTimeout(180_000);
  await page.goto("/figures");
  await expect(page.getByRole("heading", { level: 1, name: "统计分析" })).toBeVisible();
  await expect(page.getByTestId("focus-org")).toHaveText("黑龙江省委巡视办");
  expect(await page.getByTestId("figures-child-row").count()).toBeGreaterThanOrEqual(13);
  const province = await expectAddsUp(page);
  expect(province.problems).toBeGreaterThan(0);
  await expect(page.getByTestId("rate-explain")).toContainText("整改率 = 已整改问题 ÷ 已反馈问题");
  // Problems by category: the same total, names from the dictionary.
  await expect(page.getByRole("table", { name: "发现问题按类别分布" })).toContainText("违反六项纪律");
  let byCategory = 0;
  for (const cell of await page.getByTestId("category-row").locator('[data-figure="count"]').all()) byCategory += count(await cell.innerText());
  expect(byCategory).toBe(province.problems);
  await screenshot(page, "figures-province");

  // 哈尔滨: its page shows the figures of its row in the province's table.
  const harbinRow = await rowFigures(childRow(page, "哈尔滨市委巡察办"));
  await childRow(page, "哈尔滨市委巡察办").getByRole("link", { name: "哈尔滨市委巡察办" }).click();
  await expect(page).toHaveURL(/\/figures\?org=\d+$/, { timeout: 30_000 });
  await expect(page.getByTestId("focus-org")).toHaveText("哈尔滨市委巡察办");
  await expect(page.getByRole("navigation", { name: "层级" })).toContainText("黑龙江省委巡视办");
  const harbin = await expectAddsUp(page);
  expect(harbin).toEqual(harbinRow);
  expect(harbin.fedBack).toBeGreaterThan(0);
  await expect(page.getByTestId("stat-rate")).toHaveText(/^\d{1,3}\.\d{2}%$/);
  // Its own engagements, each a link to the engagement.
  await expect(page.getByTestId("figures-engagement-row").first().getByRole("link")).toHaveAttribute("href", /^\/engagements\/\d+$/);
  await screenshot(page, "figures-province-drill-harbin");

  // 道里: a county has no children; its total is its own rounds'.
  const daoliRow = await rowFigures(childRow(page, "道里区委巡察办"));
  await childRow(page, "道里区委巡察办").getByRole("link", { name: "道里区委巡察办" }).click();
  await expect(page.getByTestId("focus-org")).toHaveText("道里区委巡察办", { timeout: 30_000 });
  await expect(page.getByTestId("figures-child-row")).toHaveCount(0);
  const daoli = await expectAddsUp(page);
  expect(daoli).toEqual(daoliRow);
  expect(await rowFigures(page.getByTestId("figures-own-row"))).toEqual(daoli);
  // The trail leads back up.
  await page.getByRole("navigation", { name: "层级" }).getByRole("link", { name: "哈尔滨市委巡察办" }).click();
  await expect(page.getByTestId("focus-org")).toHaveText("哈尔滨市委巡察办", { timeout: 30_000 });
});

as("city")("the city director: 哈尔滨's figures, its own engagements add up to 本级, a round filter keeps the sums", async ({ page, browser }, testInfo) => {
  // A loaded machine serving through Vite: page loads take a while.
  testInfo.setTimeout(180_000);
  await page.goto("/figures");
  await expect(page.getByTestId("focus-org")).toHaveText("哈尔滨市委巡察办");
  const harbin = await expectAddsUp(page);
  await expect(page.getByTestId("stat-rate")).toHaveText(/^\d{1,3}\.\d{2}%$/);
  await expect(page.getByRole("table", { name: "各下级机构" })).not.toContainText("齐齐哈尔");
  await screenshot(page, "figures-city");

  // The province's view of 哈尔滨 gives the same figures.
  const province = await browser.newContext({ storageState: storageState("province") });
  const p = await province.newPage();
  await p.goto("/figures");
  expect(await rowFigures(childRow(p, "哈尔滨市委巡察办"))).toEqual(harbin);
  await province.close();

  // Every engagement of 哈尔滨's own rounds, page after page, adds up to 本级.
  const own = await rowFigures(page.getByTestId("figures-own-row"));
  await expect(page.getByTestId("figures-engagements-total")).toContainText(`共 ${own.engagements} 项任务`);
  const pages = Math.ceil(own.engagements / 20);
  let sum = { ...zero };
  for (let n = 1; n <= pages; n++) {
    await page.goto(n === 1 ? "/figures" : `/figures?page=${n}`);
    await expect(page.getByTestId("figures-engagements-total")).toContainText(pages > 1 ? `第 ${n} / ${pages} 页` : "项任务");
    sum = add(sum, sumOf(await figuresOf(page.getByTestId("figures-engagement-row"))));
  }
  expect(sum).toEqual(own);
  // The pages are linked to each other.
  if (pages > 1) {
    await page.getByRole("link", { name: "上一页" }).click();
    await expect(page.getByTestId("figures-engagements-total")).toContainText(`第 ${pages - 1} / ${pages} 页`);
  }

  // A round: the scope is named, and the page still adds up.
  await page.goto("/figures");
  const options = await page.locator("#f-round option").allInnerTexts();
  const label = options.find((o) => o.includes("哈尔滨市委巡察办") && o.includes("第1轮"));
  expect(label).toBeTruthy();
  await page.getByLabel("轮次").selectOption({ label: label! });
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/round=\d+/, { timeout: 30_000 });
  await expect(page.getByText(`当前范围：${label}`)).toBeVisible();
  const round = await expectAddsUp(page);
  expect(round.engagements).toBeGreaterThan(0);
  expect(round.engagements).toBeLessThan(harbin.engagements);
  // A round of the city's own: no child counts anything.
  for (const row of await figuresOf(page.getByTestId("figures-child-row"))) expect(row).toEqual(zero);

  // A round that does not exist: said so in Chinese, and everything shown.
  await page.goto("/figures?round=999999999");
  await expect(page.getByRole("alert")).toHaveText("所选届次、年度、轮次或联动不存在或无权查看，已忽略该条件。");
  expect(await rowFigures(page.getByTestId("figures-total-row"))).toEqual(harbin);
});

as("county")("a county user sees 道里's figures and cannot open 哈尔滨's (404 in Chinese)", async ({ page, browser }, testInfo) => {
  // A loaded machine serving through Vite: page loads take a while.
  testInfo.setTimeout(180_000);
  await page.goto("/figures");
  await expect(page.getByTestId("focus-org")).toHaveText("道里区委巡察办", { timeout: 30_000 });
  await expect(page.getByTestId("figures-child-row")).toHaveCount(0);
  const daoli = await expectAddsUp(page);
  await screenshot(page, "figures-county");

  // Its engagements are all on one page: they add up to 本级.
  await expect(page.getByRole("link", { name: "下一页" })).toHaveCount(0);
  expect(sumOf(await figuresOf(page.getByTestId("figures-engagement-row")))).toEqual(daoli);

  // 哈尔滨's page, by the link the province follows: the county gets a 404 in Chinese.
  const province = await browser.newContext({ storageState: storageState("province") });
  const p = await province.newPage();
  await p.goto("/figures");
  const harbinHref = await childRow(p, "哈尔滨市委巡察办").getByRole("link").getAttribute("href");
  await province.close();
  expect(harbinHref).toMatch(/^\/figures\?org=\d+$/);
  const response = await page.goto(harbinHref!);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  await screenshot(page, "figures-county-404");
  // And so for a malformed one.
  expect((await page.goto("/figures?org=abc"))?.status()).toBe(404);
});
