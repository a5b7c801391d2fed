import type { Page } from "@playwright/test";
import { as, expect, screenshot } from "./fixtures";
import {
  addEngagement, addMember, createCadre, createUnit, newGroup, open, recordFieldwork,
  registerPetition, suffix,
} from "./patrol";

/**
 * The issue's whole first half in one pass, across three offices and a group member:
 * 哈尔滨's director plans a round with two groups covering four units (一托二), one of
 * them an elevated patrol of a 道里 unit; the round is approved and the elevated patrol
 * stationed; hrb.member (in the first group) registers a petition and a talk record;
 * 道里's office sees the patrol on its unit but not the petition; 道里's coverage moves.
 */

const CITY = "哈尔滨市委巡察办";
const MEMBER = { name: "郑海涛", option: CITY };

async function ownCovered(page: Page) {
  await page.goto("/coverage");
  await expect(page.getByTestId("focus-org")).toHaveText("道里区委巡察办");
  return Number((await page.getByTestId("stat-own-covered").innerText()).trim());
}

as("city")("a city plans a round with two groups (一托二, one elevated); the group works; the county sees only that the patrol exists; coverage moves", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(420_000);
  const s = suffix();

  // 道里 before: its coverage, and a unit of its plan still to be patrolled whose head the city manages.
  const county = await open(browser, "county");
  const coveredBefore = await ownCovered(county);
  const remaining = await county.getByTestId("remaining-group").locator("li").allInnerTexts();
  const target = remaining.map((x) => x.split("\n")[0].trim()).find((n) => /人民法院|人民检察院|公安局|组织部/.test(n));
  expect(target, `an uncovered 道里 unit with a city-managed head among ${remaining.join("、")}`).toBeTruthy();

  // The city's own data for this round: three municipal units and two leaders.
  const units = ["甲", "乙", "丙"].map((x) => `哈尔滨市流程测试${x}局${s}`);
  for (const u of units) await createUnit(page, u, "市直单位", "市管干部");
  const leaders = [`流程组长甲${s}`, `流程组长乙${s}`];
  for (const name of leaders) await createCadre(page, { name, leader: true, firstPostedOn: "2022-03-01" });

  // A new round, planned and saved.
  await page.goto("/rounds");
  await page.getByRole("link", { name: "新建轮次" }).click();
  const number = await page.getByLabel("轮次序号").inputValue();
  await page.getByLabel("计划进驻日期").fill("2026-11-16");
  await page.getByLabel("计划结束日期").fill("2026-12-28");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("轮次已新建");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`十五届市委第${number}轮`);
  const roundUrl = page.url();

  // Group one: a municipal unit and the 道里 unit (elevated); its leader and hrb.member.
  await newGroup(page);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("巡察组已组建");
  await addEngagement(page, units[0]);
  await expect(page.getByRole("status")).toContainText("（常规巡察）");
  await addEngagement(page, target!, "提级巡察");
  await expect(page.getByRole("status")).toContainText("（提级巡察）");
  await addMember(page, leaders[0], "组长");
  await expect(page.getByRole("status")).toContainText(`已将${leaders[0]}加入本组（组长）`);
  await addMember(page, MEMBER.name, "成员", MEMBER.option);
  await expect(page.getByRole("status")).toContainText(`已将${MEMBER.name}加入本组（成员）`);
  await expect(page.getByRole("heading", { name: "巡察对象（一托二）" })).toBeVisible();
  await screenshot(page, "flow-group-one");

  // Group two: two municipal units.
  await page.goto(roundUrl);
  await newGroup(page);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("巡察组已组建");
  await addEngagement(page, units[1]);
  await addEngagement(page, units[2]);
  await addMember(page, leaders[1], "组长");
  await expect(page.getByRole("heading", { name: "巡察对象（一托二）" })).toBeVisible();

  // The round shows both groups and their four objects; the director submits and approves it.
  await page.goto(roundUrl);
  await expect(page.getByTestId("group-row")).toHaveCount(2);
  for (const u of [...units, target!]) await expect(page.getByRole("link", { name: u })).toBeVisible();
  for (const [button, status] of [["提交审定", "待审定"], ["审定通过", "已审定"]] as const) {
    await page.getByRole("button", { name: button }).click();
    await expect(page.getByRole("status")).toContainText(`轮次状态已变更为“${status}”`);
  }
  await screenshot(page, "flow-round");

  // Before stationing, 道里 does not see the elevated patrol.
  await county.goto(`/engagements?q=${encodeURIComponent(target!)}`);
  await expect(county.getByTestId("engagement-row").filter({ hasText: `十五届市委第${number}轮` })).toHaveCount(0);

  // The group is stationed at the 道里 unit.
  await page.getByRole("link", { name: target! }).click();
  await expect(page).toHaveURL(/\/engagements\/\d+$/);
  const engagementUrl = page.url().replace(/\?.*$/, "");
  await page.getByRole("link", { name: "登记阶段日期" }).click();
  const stages = page.getByRole("form", { name: "登记阶段日期" });
  await stages.getByLabel("进驻日期").fill("2026-11-16");
  await stages.getByRole("button", { name: "保存阶段日期" }).click();
  await expect(page.getByRole("status")).toBeVisible();

  // hrb.member works on it: a talk record and a petition.
  const member = await open(browser, "cityMember");
  await member.goto("/");
  await expect(member.getByText("我的巡察任务", { exact: true })).toBeVisible();
  const mine = Number(await member.getByTestId("home-engagements").innerText());
  await member.goto("/engagements");
  await expect(member.getByRole("heading", { level: 1 })).toHaveText("我的巡察任务");
  // His own group's four objects so far: the seeded group's two and this round's two.
  await expect(member.getByTestId("engagement-row")).toHaveCount(mine);
  expect(mine).toBe(4);
  await member.goto(engagementUrl);
  await expect(member.getByRole("heading", { level: 1, name: target! })).toBeVisible();
  await recordFieldwork(member, {
    kind: "个别谈话", date: "2026-11-18", subject: `与院党组书记个别谈话${s}`, participants: "郑海涛、谈话对象",
    summary: "了解落实全面从严治党主体责任情况，已形成谈话笔录。",
  });
  await member.goto(engagementUrl);
  const petitionUrl = await registerPetition(member, s);
  await screenshot(member, "flow-member-petition");

  // 道里 sees the patrol on its unit, who does it and when; no conduct, and the petition is a 404.
  await county.goto(`/engagements?q=${encodeURIComponent(target!)}`);
  const row = county.getByTestId("engagement-row").filter({ hasText: target! }).filter({ hasText: "上级提级巡察" });
  await expect(row).toHaveCount(1);
  await county.goto(engagementUrl);
  await expect(county.getByRole("heading", { level: 1, name: target! })).toBeVisible();
  await expect(county.getByRole("form", { name: "新增谈话与调研记录" })).toHaveCount(0);
  await expect(county.getByRole("link", { name: /信访举报/ })).toHaveCount(0);
  await expect(county.locator("body")).not.toContainText(`与院党组书记个别谈话${s}`);
  await screenshot(county, "flow-county-engagement");
  expect((await county.goto(petitionUrl))?.status()).toBe(404);

  // The city sees the petition; 道里's coverage has moved by the one stationed patrol.
  await page.goto(petitionUrl);
  await expect(page.getByText(`反映违规发放津贴补贴问题（${s}）。`)).toBeVisible();
  expect(await ownCovered(county)).toBe(coveredBefore + 1);
  await screenshot(county, "flow-county-coverage");
  await county.context().close();
  await member.context().close();
});
