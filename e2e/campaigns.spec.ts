import { statSync } from "node:fs";
import type { Locator, Page } from "@playwright/test";
import { as, expect as baseExpect, screenshot } from "./fixtures";
import { open, token } from "./patrol";

/**
 * 上下联动: the province launches a campaign with 哈尔滨 and 道里区 taking part; each hears
 * of it in 待办 and finds it on /campaigns, and attaches one of its own rounds; the
 * province sees the figures pooled by level and by office, and the problems that recur
 * across units, and assembles a 专题报告 from them in one click, which it sends down; a
 * sibling city (齐齐哈尔) sees none of it. The title is unique per run (the e2e database is
 * shared by every spec).
 */

// The first visit of each page compiles it (Vite dev, a busy machine): generous waits.
const expect = baseExpect.configure({ timeout: 45_000 });

const figure = (row: Locator, key: string) => row.locator(`[data-figure="${key}"]`).innerText().then((s) => Number(s.replace(/,/g, "")));

/** Attaches the office's own round whose label contains `round` on the campaign page. */
async function attachRound(page: Page, round: RegExp) {
  const form = page.getByRole("form", { name: "关联本级轮次/任务" });
  const select = form.getByLabel("轮次或巡察任务");
  const option = select.locator('optgroup[label="本级轮次"] option').filter({ hasText: round }).first();
  const value = await option.getAttribute("value");
  expect(value).toMatch(/^round:\d+$/);
  const label = (await option.innerText()).replace(/（.*$/, "");
  await select.selectOption(value!);
  await form.getByRole("button", { name: "关联" }).click();
  await expect(page.getByRole("status")).toContainText("已关联到联动");
  return label;
}

as("province")("a campaign across three levels: launched, joined, pooled, reported on and sent down; an office outside it sees nothing", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(600_000);
  const title = `生态环境和自然资源系统上下联动${token()}`;

  // ---- the province launches it
  await page.goto("/campaigns");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("上下联动");
  await page.getByRole("link", { name: "发起联动" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("发起上下联动");
  // Nothing chosen: refused in Chinese, and what was typed stays.
  await page.getByLabel("联动名称").fill(title);
  await page.getByLabel("系统/主题").fill("生态环境和自然资源系统");
  await page.getByLabel("开始日期").fill("2026-03-01");
  await page.getByLabel("结束日期").fill("2026-02-01");
  await page.getByLabel("工作指引").fill("一、聚焦生态环境保护主体责任落实。\n二、各级关联本级相关巡察轮次，按月报送进展。");
  await page.getByRole("button", { name: "发起", exact: true }).click();
  await expect(page.getByText("结束日期不能早于开始日期")).toBeVisible();
  await expect(page.getByText("请至少选择一个参与机构")).toBeVisible();
  await expect(page.getByLabel("联动名称")).toHaveValue(title);
  await page.getByLabel("结束日期").fill("2026-12-31");
  // An office that is not below the province, forged into the form: refused, nothing written.
  const forged = await page.request.post("/campaigns/new", {
    form: { title, systemName: "生态环境和自然资源系统", startsOn: "2026-03-01", endsOn: "2026-12-31", participant: "999999999" },
  });
  expect(forged.status()).toBe(400);
  expect(await forged.text()).toContain("参与机构须为本机构的下级巡察机构");
  const picker = page.getByTestId("picker-participant");
  await picker.getByLabel("哈尔滨市委巡察办", { exact: true }).check();
  await picker.locator("details").filter({ hasText: "哈尔滨市所辖" }).locator("summary").click();
  await picker.getByLabel("道里区委巡察办", { exact: true }).check();
  await expect(page.getByTestId("picker-participant-count")).toHaveText("已选 2 个机构");
  await screenshot(page, "campaigns-new");
  await page.getByRole("button", { name: "发起", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("上下联动已发起");
  await expect(page).toHaveURL(/\/campaigns\/\d+$/);
  const url = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByTestId("participant-row")).toHaveCount(2);

  // ---- 哈尔滨 and 道里区 hear of it, find it and attach a round each
  const joined: Record<string, string> = {};
  for (const [role, round, name] of [["city", /第1轮/, "city"], ["county", /第1轮/, "county"]] as const) {
    const p = await open(browser, role);
    await p.goto("/inbox");
    const notice = p.getByTestId("notice").filter({ hasText: `黑龙江省委巡视办部署上下联动：${title}` });
    await expect(notice).toHaveCount(1);
    await expect(notice).toHaveAttribute("data-read", "0");
    await p.goto("/campaigns");
    const row = p.getByTestId("campaign-row").filter({ hasText: title });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("本级参与");
    await expect(row).toContainText("黑龙江省委巡视办");
    await expect(row.getByTestId("campaign-own-links")).toHaveText("0");
    await row.getByRole("link", { name: title }).click();
    await expect(p).toHaveURL(new RegExp(`${url}$`));
    await expect(p.getByTestId("campaign-guidance")).toContainText("聚焦生态环境保护主体责任落实");
    joined[name] = await attachRound(p, round);
    await expect(p.getByTestId("link-row").filter({ hasText: joined[name] })).toHaveCount(1);
    if (role === "county") {
      // 道里区 sees its own part only: its participation and its link, not 哈尔滨's.
      await expect(p.getByTestId("participant-row")).toHaveCount(1);
      await expect(p.getByTestId("link-row")).toHaveCount(1);
      await expect(p.getByTestId("campaign-figures")).toContainText("本机构及下级进展和成果");
      await screenshot(p, "campaigns-participant");
    }
    await p.goto("/campaigns");
    await expect(p.getByTestId("campaign-row").filter({ hasText: title }).getByTestId("campaign-own-links")).toHaveText("1");
    await p.context().close();
  }

  // ---- the province: pooled by level and by office, the recurring problems
  await page.goto("/campaigns");
  const listRow = page.getByTestId("campaign-row").filter({ hasText: title });
  await expect(listRow, "one campaign: the forged form wrote nothing").toHaveCount(1);
  await expect(listRow.getByTestId("campaign-participants")).toHaveText("2");
  await expect(listRow).toContainText("本级发起");
  await screenshot(page, "campaigns-list");
  await page.goto(url);
  await expect(page.getByTestId("link-row")).toHaveCount(2);
  const orgRows = page.getByTestId("campaign-org-row");
  await expect(orgRows).toHaveCount(3);
  const orgTotal = page.getByTestId("campaign-org-total");
  const harbin = orgRows.filter({ hasText: "哈尔滨市委巡察办" });
  const daoli = orgRows.filter({ hasText: "道里区委巡察办" });
  const province = orgRows.filter({ hasText: "黑龙江省委巡视办" });
  for (const key of ["engagements", "problems", "leadsTransferred", "fedBack", "rectified"]) {
    const parts = (await figure(province, key)) + (await figure(harbin, key)) + (await figure(daoli, key));
    expect(await figure(orgTotal, key), key).toBe(parts);
    expect(await figure(page.getByTestId("campaign-level-total"), key), key).toBe(parts);
  }
  expect(await figure(harbin, "problems")).toBeGreaterThan(0);
  expect(await figure(daoli, "engagements")).toBeGreaterThan(0);
  expect(await figure(page.locator('[data-testid="campaign-level-row"][data-level="city"]'), "problems")).toBe(await figure(harbin, "problems"));
  expect(await figure(page.locator('[data-testid="campaign-level-row"][data-level="county"]'), "problems")).toBe(await figure(daoli, "problems"));
  await expect(page.getByTestId("campaign-stat-problems")).toHaveText((await orgTotal.locator('[data-figure="problems"]').innerText()).trim());
  await expect(page.getByTestId("campaign-stat-rate")).toHaveText(/^(\d+\.\d{2}%|—)$/);
  const recurring = page.getByTestId("recurring-row");
  expect(await recurring.count()).toBeGreaterThan(0);
  const units = await recurring.locator('[data-figure="units"]').allInnerTexts();
  expect(units.map(Number).every((n) => n >= 2)).toBe(true);
  expect(units.map(Number)).toEqual([...units.map(Number)].sort((a, b) => b - a));
  const harbinPart = { problems: await figure(harbin, "problems"), daoli: await figure(daoli, "problems") };
  await screenshot(page, "campaigns-launcher");

  // The city reads its own part with the same numbers: its own rounds plus 道里区's.
  const city = await open(browser, "city");
  await city.goto(url);
  await expect(city.getByTestId("campaign-org-row")).toHaveCount(2);
  expect(await figure(city.getByTestId("campaign-org-total"), "problems")).toBe(harbinPart.problems + harbinPart.daoli);
  await expect(city.getByTestId("link-row")).toHaveCount(2);
  await screenshot(city, "campaigns-city");
  await city.context().close();

  // ---- one click: the 专题报告 from the recurring problems, then sent down to the participants
  await page.getByTestId("assemble-thematic").click();
  await expect(page).toHaveURL(/\/reports\/thematic\?/);
  await expect(page.getByTestId("thematic-preset")).toContainText("已选取上下联动的共性问题");
  const chosen = Number((await page.getByTestId("thematic-selected").innerText()).match(/\d+/)![0]);
  expect(chosen).toBeGreaterThan(0);
  await expect(page.getByTestId("thematic-row")).toHaveCount(chosen);
  await expect(page.getByLabel("报告标题")).toHaveValue(`关于${title}发现共性问题的专题报告`);
  await page.getByLabel("主送").fill("省生态环境厅党组");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("thematic-download").click()]);
  expect(download.suggestedFilename()).toBe(`关于${title}发现共性问题的专题报告.docx`);
  expect(statSync(await download.path()).size).toBeGreaterThan(0);
  // The participants are the recipients chosen at first.
  const recipients = page.getByTestId("picker-recipient");
  await expect(page.getByTestId("picker-recipient-count")).toHaveText("已选 2 个机构");
  await expect(recipients.getByLabel("哈尔滨市委巡察办", { exact: true })).toBeChecked();
  await expect(recipients.getByLabel("道里区委巡察办", { exact: true })).toBeChecked();
  await page.getByLabel("下发说明（选填）").fill("请结合本地实际对照检查，举一反三。");
  await screenshot(page, "campaigns-thematic");
  await page.getByTestId("dispatch-send").click();
  await expect(page.getByRole("status")).toContainText("专题报告已下发到 2 个机构");
  await expect(page).toHaveURL(/\/dispatches\/\d+$/);
  const dispatchUrl = new URL(page.url()).pathname;
  await expect(page.getByTestId("dispatch-recipients")).toContainText("哈尔滨市委巡察办");
  await expect(page.getByRole("link", { name: title })).toBeVisible();

  // 道里区 receives it and opens the document as sent.
  const county = await open(browser, "county");
  await county.goto("/inbox");
  await expect(county.getByTestId("notice").filter({ hasText: `黑龙江省委巡视办下发专题报告：关于${title}` })).toHaveCount(1);
  await county.goto("/dispatches");
  await county.getByTestId("dispatch-received").getByRole("link", { name: `关于${title}发现共性问题的专题报告` }).click();
  await expect(county).toHaveURL(new RegExp(`${dispatchUrl}$`));
  await expect(county.getByTestId("dispatch-recipients")).toHaveText("道里区委巡察办");
  const [sent] = await Promise.all([county.waitForEvent("download"), county.getByTestId("dispatch-download").click()]);
  expect(sent.suggestedFilename()).toBe(`关于${title}发现共性问题的专题报告.docx`);
  expect(statSync(await sent.path()).size).toBeGreaterThan(0);
  await screenshot(county, "dispatches-received");
  await county.context().close();

  // ---- 南岗 (a county of 哈尔滨 that does not take part): not in the list, a 404 by URL, and
  // the report neither. (The sibling city's account is locked by account.spec's lockout test,
  // and the database test covers 齐齐哈尔 and the other outsiders.)
  const sibling = await open(browser, "countyB");
  await sibling.goto("/campaigns");
  await expect(sibling.getByRole("heading", { level: 1 })).toHaveText("上下联动");
  await expect(sibling.getByTestId("campaign-row").filter({ hasText: title })).toHaveCount(0);
  expect((await sibling.goto(url))?.status()).toBe(404);
  expect((await sibling.goto(dispatchUrl))?.status()).toBe(404);
  expect((await sibling.request.get(`${dispatchUrl}/docx`)).status()).toBe(404);
  await sibling.context().close();
});

as("county")("a county office launches nothing, and a campaign id that is not there is a 404", async ({ page }, testInfo) => {
  testInfo.setTimeout(120_000);
  await page.goto("/campaigns");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("上下联动");
  await expect(page.getByRole("link", { name: "发起联动" })).toHaveCount(0);
  expect((await page.goto("/campaigns/new"))?.status()).toBe(403);
  expect((await page.goto("/campaigns/999999999"))?.status()).toBe(404);
  expect((await page.goto("/campaigns/abc"))?.status()).toBe(404);
});
