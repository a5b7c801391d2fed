import type { Locator, Page } from "@playwright/test";
import { as, expect, screenshot, storageState } from "./fixtures";

/**
 * 全覆盖进度: figures are compared computed two ways (a row against the sum of its
 * children, a page against its ancestor's view of it), not against fixed numbers, so
 * the demo seed may change. Tests that write leave nothing behind. Each test makes many
 * round trips through several sessions, over the whole province's plan: marked slow.
 */

const num = async (l: Locator) => Number((await l.innerText()).trim());

interface RowFigures {
  ownDue: number;
  ownCovered: number;
  rolledDue: number;
  rolledCovered: number;
}

async function rowFigures(row: Locator): Promise<RowFigures> {
  return {
    ownDue: await num(row.getByTestId("own-due")),
    ownCovered: await num(row.getByTestId("own-covered")),
    rolledDue: await num(row.getByTestId("rolled-due")),
    rolledCovered: await num(row.getByTestId("rolled-covered")),
  };
}

async function statFigures(page: Page): Promise<RowFigures> {
  return {
    ownDue: await num(page.getByTestId("stat-own-due")),
    ownCovered: await num(page.getByTestId("stat-own-covered")),
    rolledDue: await num(page.getByTestId("stat-rolled-due")),
    rolledCovered: await num(page.getByTestId("stat-rolled-covered")),
  };
}

const orgRow = (page: Page, name: string) => page.getByTestId("coverage-row").filter({ has: page.getByRole("rowheader", { name }) });

as("province")("the province director sees the province's coverage rolled up over its subtree, and what is left by year", async ({ page }, testInfo) => {
  testInfo.slow();
  await page.goto("/coverage");
  await expect(page.getByRole("heading", { level: 1, name: "全覆盖进度" })).toBeVisible();
  await expect(page.getByTestId("focus-org")).toHaveText("黑龙江省委巡视办");

  const rows = page.getByTestId("coverage-row");
  const province = rows.first();
  const provinceId = await province.getAttribute("data-org-id");
  const own = await rowFigures(province);
  expect(own.ownDue).toBeGreaterThan(0);
  // Rolled up: the province's own plan plus each city's rolled-up figure.
  const cities = rows.and(page.locator(`[data-parent-id="${provinceId}"]`));
  expect(await cities.count()).toBeGreaterThanOrEqual(13);
  let due = own.ownDue;
  let covered = own.ownCovered;
  for (const city of await cities.all()) {
    const f = await rowFigures(city);
    due += f.rolledDue;
    covered += f.rolledCovered;
  }
  expect(own.rolledDue).toBe(due);
  expect(own.rolledCovered).toBe(covered);
  expect(own.rolledDue).toBeGreaterThan(own.ownDue);
  // The headline figures are the province's row.
  expect(await statFigures(page)).toEqual(own);

  // What is left, grouped by planned year: together exactly the uncovered objects.
  const groups = page.getByTestId("remaining-group");
  await expect(groups.first()).toBeVisible();
  let remaining = 0;
  for (const count of await page.getByTestId("remaining-count").allInnerTexts()) remaining += Number(count.replace(/\D/g, ""));
  expect(remaining).toBe(own.ownDue - own.ownCovered);
  await expect(page.getByTestId("year-bar")).toHaveCount(5);
  await expect(page.getByTestId("coverage-pace")).toContainText("往年平均");
  await screenshot(page, "coverage-province");

  // Drill down into 哈尔滨: the same figures as its row in the province's table.
  const harbin = await rowFigures(orgRow(page, "哈尔滨市委巡察办"));
  await orgRow(page, "哈尔滨市委巡察办").getByRole("link", { name: "哈尔滨市委巡察办" }).click();
  await expect(page).toHaveURL(/\/coverage\?org=\d+$/);
  await expect(page.getByTestId("focus-org")).toHaveText("哈尔滨市委巡察办");
  await expect(page.getByRole("navigation", { name: "层级" })).toContainText("黑龙江省委巡视办");
  expect(await statFigures(page)).toEqual(harbin);
  await screenshot(page, "coverage-province-drill-harbin");
});

as("city")("the city director sees 哈尔滨 and its counties only, with the figures the province sees for 哈尔滨", async ({ page, browser }, testInfo) => {
  testInfo.slow();
  await page.goto("/coverage");
  await expect(page.getByTestId("focus-org")).toHaveText("哈尔滨市委巡察办");
  const rows = page.getByTestId("coverage-row");
  const cityId = await rows.first().getAttribute("data-org-id");
  const count = await rows.count();
  expect(count).toBeGreaterThan(1);
  for (const row of (await rows.all()).slice(1)) {
    await expect(row).toHaveAttribute("data-parent-id", cityId!);
  }
  await expect(page.getByRole("table", { name: "各级覆盖进度" })).not.toContainText("齐齐哈尔");
  await expect(page.getByRole("table", { name: "各级覆盖进度" })).not.toContainText("黑龙江省委巡视办");
  const own = await rowFigures(rows.first());
  expect(await statFigures(page)).toEqual(own);
  // Rolled up over the counties.
  let due = own.ownDue;
  for (const row of (await rows.all()).slice(1)) due += (await rowFigures(row)).rolledDue;
  expect(own.rolledDue).toBe(due);
  await screenshot(page, "coverage-city");

  // The province's view of 哈尔滨 gives the same figures.
  const province = await browser.newContext({ storageState: storageState("province") });
  const p = await province.newPage();
  await p.goto("/coverage");
  expect(await rowFigures(orgRow(p, "哈尔滨市委巡察办"))).toEqual(own);
  // And a city id outside the city's subtree is a page that does not exist.
  const qqhr = await orgRow(p, "齐齐哈尔市委巡察办").getAttribute("data-org-id");
  await province.close();
  const response = await page.goto(`/coverage?org=${qqhr}`);
  expect(response?.status()).toBe(404);
});

as("city")("the city office plans an elevated object, schedules it and removes it; a second add is refused in Chinese", async ({ page, browser }, testInfo) => {
  testInfo.slow();
  await page.goto("/terms");
  await page.getByRole("link", { name: "十五届市委", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("十五届市委全覆盖规划");
  const planUrl = page.url().split("?")[0];
  const before = await page.getByTestId("plan-count").innerText();

  // Including all units twice changes nothing the second time. What it added (regular,
  // not yet scheduled) is taken out again afterwards, so the plan is left as it was.
  const newRegular = `${planUrl}?kind=regular&year=none`;
  await page.goto(newRegular);
  const unscheduledBefore = new Set(await page.getByTestId("plan-row").getByRole("rowheader").allInnerTexts());
  await page.getByRole("button", { name: "将本级全部在册单位纳入规划" }).click();
  await expect(page.getByRole("status")).toContainText(/纳入规划|均已在规划中/);
  await page.getByRole("button", { name: "将本级全部在册单位纳入规划" }).click();
  await expect(page.getByRole("status")).toContainText("本级在册单位均已在规划中");
  await page.goto(newRegular);
  const added = (await page.getByTestId("plan-row").getByRole("rowheader").allInnerTexts()).filter((n) => !unscheduledBefore.has(n));
  for (const name of added) {
    await page.getByRole("button", { name: `移出规划：${name}`, exact: true }).click();
    await expect(page.getByTestId("plan-row").filter({ has: page.getByRole("rowheader", { name, exact: true }) })).toHaveCount(0);
  }
  await page.goto(planUrl);
  await expect(page.getByTestId("plan-count")).toHaveText(before);

  const search = page.getByRole("form", { name: "添加提级对象" });
  await search.getByLabel("单位名称包含").fill("公安局");
  await search.getByRole("button", { name: "搜索" }).click();
  const candidate = page.getByTestId("candidate-row").first();
  await expect(candidate).toBeVisible();
  const unit = (await candidate.getByRole("rowheader").innerText()).trim();
  await screenshot(page, "term-plan-search");

  // A colleague adds the same unit first.
  const other = await browser.newContext({ storageState: storageState("city") });
  const o = await other.newPage();
  await o.goto(page.url());
  await o.getByTestId("candidate-row").filter({ hasText: unit }).getByRole("button", { name: `加入规划：${unit}` }).click();
  await expect(o.getByRole("status")).toContainText("提级对象已加入规划");
  await other.close();

  await candidate.getByLabel(`${unit}计划年度`).selectOption({ label: "2026 年" });
  await candidate.getByRole("button", { name: `加入规划：${unit}` }).click();
  await expect(page.getByRole("alert")).toContainText("该单位已在本届规划中");

  // Schedule it: select the row, set the year.
  await page.goto(`${planUrl}?kind=elevated`);
  const row = page.getByTestId("plan-row").filter({ hasText: unit });
  await expect(row).toContainText("未排期");
  await row.getByRole("checkbox").check();
  await page.getByLabel("将选中的对象计划年度设为").selectOption({ label: "2026 年" });
  await page.getByRole("button", { name: "设置计划年度" }).click();
  await expect(page.getByRole("status")).toContainText("已调整 1 个对象的计划年度");
  await expect(row.getByTestId("planned-year")).toHaveText("2026 年");
  await screenshot(page, "term-plan");

  // Remove it again: the plan is as it was.
  await row.getByRole("button", { name: `移出规划：${unit}` }).click();
  await expect(page.getByRole("status")).toContainText("对象已移出规划");
  await expect(page.getByTestId("plan-row").filter({ hasText: unit })).toHaveCount(0);
  await page.goto(planUrl);
  await expect(page.getByTestId("plan-count")).toHaveText(before);
});

as("systemAdmin")("a system admin grants 查看举报人身份 to a staff member and revokes it, never to himself", async ({ page, browser }, testInfo) => {
  testInfo.slow();
  await page.goto("/memberships");
  const own = page.getByTestId("membership-row").and(page.locator('[data-email="sysadmin@xunlian.local"]'));
  await expect(own).toContainText("本人账号（不可自行授权）");
  await expect(own.getByRole("button")).toHaveCount(0);

  const row = page.getByTestId("membership-row").and(page.locator('[data-email="nangang.staff@xunlian.local"]'));
  await row.getByRole("button", { name: "授予查看举报人身份" }).click();
  await expect(page.getByRole("status")).toContainText("已向 刘洋 授予“查看举报人身份”权限");
  await expect(row.getByRole("button", { name: "撤销查看举报人身份" })).toBeVisible();
  await screenshot(page, "memberships-grant");

  await row.getByRole("button", { name: "撤销查看举报人身份" }).click();
  await expect(page.getByRole("status")).toContainText("已撤销 刘洋 的“查看举报人身份”权限");
  await expect(row.getByRole("button", { name: "授予查看举报人身份" })).toBeVisible();

  // Both writes are in the audit trail (read by the audit administrator).
  const auditor = await browser.newContext({ storageState: storageState("auditAdmin") });
  const a = await auditor.newPage();
  await a.goto("/audit");
  await expect(a.getByTestId("audit-row").filter({ hasText: "授予特别权限" }).first()).toBeVisible();
  await expect(a.getByTestId("audit-row").filter({ hasText: "撤销特别权限" }).first()).toBeVisible();
  await auditor.close();
});

as("province")("a cadre's record shows his patrol groups and their evaluations", async ({ page }, testInfo) => {
  testInfo.slow();
  await page.goto("/cadres");
  const links = page.getByTestId("cadre-row").getByRole("link");
  await expect(links.first()).toBeVisible();
  const hrefs = (await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")))).slice(0, 20);
  let found = false;
  for (const href of hrefs) {
    await page.goto(href!);
    await expect(page.getByRole("heading", { name: "巡察经历与考评" })).toBeVisible();
    const evaluations = page.getByTestId("patrol-evaluation").filter({ hasText: /^(优秀|称职|基本称职|不称职)$/ });
    if ((await evaluations.count()) > 0) {
      found = true;
      break;
    }
  }
  expect(found).toBe(true);
  const record = page.getByRole("table", { name: "巡察经历与考评" });
  await expect(record.getByTestId("patrol-record-row").first()).toContainText(/第\d+轮/);
  await screenshot(page, "cadre-patrol-record");
});
