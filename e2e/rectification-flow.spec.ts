import type { Page } from "@playwright/test";
import { as, expect, screenshot } from "./fixtures";
import { addEngagement, addMember, newGroup, open, pdf, suffix } from "./patrol";

/**
 * The whole second half in one pass, in four browser contexts: 哈尔滨's office
 * plans a round that patrols 哈尔滨市财政局 with hrb.member as 组长; he writes a working
 * paper and takes it through the review chain onto the problem list; the office records
 * the report and gives feedback; the unit's contact submits the plan, which the office
 * accepts, adds a ledger item and reports progress with evidence; the unit's head
 * confirms; the office verifies and the item is closed (销号). The rectification rate of
 * the round on 统计分析 moves from 0.00% to 100.00%, and 哈尔滨's own figures by one.
 */

const UNIT = "哈尔滨市财政局";
const MEMBER = { name: "郑海涛", option: "哈尔滨市委巡察办" };
const slow = { timeout: 30_000 };
const inDays = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

async function figure(page: Page, testId: string) {
  return (await page.getByTestId(testId).innerText()).trim();
}

/** 哈尔滨's fed-back and rectified problems, over all its rounds (本级 and below). */
async function cityTotals(page: Page) {
  await page.goto("/figures");
  await expect(page.getByTestId("focus-org")).toHaveText("哈尔滨市委巡察办");
  const n = async (id: string) => Number((await figure(page, id)).replace(/,/g, ""));
  return { fedBack: await n("stat-fed-back"), rectified: await n("stat-rectified") };
}

as("city")("from a working paper to a closed item: group member, office, unit contact and unit head; the rate moves", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(600_000);
  const s = suffix();
  // Server-rendered Chinese arrives whole: no NUL bytes from React's chunk boundaries
  // (this page had 33 before app/entry.server.tsx removed them).
  for (const path of ["/reports/thematic", "/engagements", "/units"]) {
    const html = await (await page.request.get(path)).body();
    expect(html.includes(0), `NUL bytes in ${path}`).toBe(false);
  }
  const before = await cityTotals(page);

  // The office: a round in late summer (hrb.member's other groups are stationed later),
  // one group led by hrb.member, patrolling 哈尔滨市财政局; approved and stationed.
  await page.goto("/rounds");
  await page.getByRole("link", { name: "新建轮次" }).click();
  const number = await page.getByLabel("轮次序号").inputValue();
  await page.getByLabel("计划进驻日期").fill("2026-08-03");
  await page.getByLabel("计划结束日期").fill("2026-09-11");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("轮次已新建", slow);
  const roundUrl = page.url();
  const roundId = roundUrl.match(/\/rounds\/(\d+)/)![1];
  await newGroup(page);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("巡察组已组建", slow);
  await addEngagement(page, UNIT);
  await expect(page.getByRole("status")).toContainText("（常规巡察）", slow);
  await addMember(page, MEMBER.name, "组长", MEMBER.option);
  await expect(page.getByRole("status")).toContainText(`已将${MEMBER.name}加入本组（组长）`, slow);
  await page.goto(roundUrl);
  for (const [button, status] of [["提交审定", "待审定"], ["审定通过", "已审定"]] as const) {
    await page.getByRole("button", { name: button }).click();
    await expect(page.getByRole("status")).toContainText(`轮次状态已变更为“${status}”`, slow);
  }
  await page.getByRole("link", { name: UNIT }).click();
  await expect(page).toHaveURL(/\/engagements\/\d+$/);
  const engagementUrl = page.url().replace(/\?.*$/, "");
  const stages = async (dates: Record<string, string>) => {
    await page.goto(`${engagementUrl}?stages=1`);
    const form = page.getByRole("form", { name: "登记阶段日期" });
    for (const [label, date] of Object.entries(dates)) await form.getByLabel(label).fill(date);
    await form.getByRole("button", { name: "保存阶段日期" }).click();
    await expect(page.getByRole("status")).toBeVisible(slow);
  };
  await stages({ 进驻日期: "2026-08-03" });

  // The group member (组长): a working paper through 副组长, 组长 and 组务会 onto the problem list.
  const member = await open(browser, "cityMember");
  await member.goto(`${engagementUrl}/papers`);
  await expect(member.getByRole("heading", { level: 1 })).toHaveText("问题底稿");
  const title = `违规发放津贴补贴${s}`;
  const paper = member.getByRole("form", { name: "新建问题底稿" });
  await paper.getByLabel("标题").fill(title);
  await paper.getByLabel("问题类别").selectOption({ label: "廉洁纪律" });
  await paper.getByLabel("严重程度").selectOption({ label: "较重" });
  await paper.getByLabel("承办人").selectOption({ index: 1 });
  await paper.getByLabel("事实（问题表现）").fill(`2025年以来以加班补助名义发放津贴补贴共计8.4万元（${s}）。`);
  await paper.getByLabel("证据材料").fill("会计凭证第7册第21—26页");
  await paper.getByRole("button", { name: "保存底稿" }).click();
  await expect(member.getByRole("status")).toContainText("问题底稿已保存。", slow);
  const steps = [
    ["提交审核", "底稿已提交副组长审核。"],
    ["通过", "已通过，底稿进入“组长审核”环节。"],
    ["通过", "已通过，底稿进入“组务会审议”环节。"],
    ["审议通过，列入问题清单", "组务会审议通过，问题已列入问题清单。"],
  ] as const;
  for (const [button, toast] of steps) {
    await member.getByRole("button", { name: button, exact: true }).click();
    await expect(member.getByRole("status")).toContainText(toast, slow);
  }
  await member.goto(`${engagementUrl}/problems`);
  await expect(member.getByText(title)).toBeVisible();
  await screenshot(member, "flow2-member-problems");
  await member.context().close();

  // The office: withdrawal and report dates, then feedback of the problem.
  await stages({ 撤离日期: "2026-09-11", 报告日期: "2026-09-25" });
  await page.goto(`${engagementUrl}/feedback`);
  const feedback = page.getByRole("form", { name: "登记巡察反馈" });
  await feedback.getByLabel("反馈日期").fill("2026-10-09");
  await feedback.getByLabel("反馈形式").selectOption({ label: "集中反馈（向被巡察党组织领导班子集中反馈）" });
  await feedback.getByLabel("参加人员").fill("市委第一巡察组全体成员，市委巡察办有关同志");
  await feedback.getByLabel("主送").fill("中共哈尔滨市财政局党组");
  await expect(feedback.getByTestId("feedback-problems").getByRole("checkbox")).toHaveCount(1);
  await feedback.getByRole("button", { name: "登记反馈" }).click();
  await expect(page.getByRole("status")).toBeVisible(slow);
  await screenshot(page, "flow2-feedback");

  // The round's figures: one problem fed back, none rectified yet.
  await page.goto(`/figures?round=${roundId}`);
  await expect(page.getByTestId("stat-fed-back")).toHaveText("1");
  await expect(page.getByTestId("stat-rectified")).toHaveText("0");
  await expect(page.getByTestId("stat-rate")).toHaveText("0.00%");

  // The unit's contact: the plan.
  const engagementId = engagementUrl.match(/\/engagements\/(\d+)/)![1];
  const rectificationUrl = `/rectification/${engagementId}`;
  const unit = await open(browser, "unitContact");
  await unit.goto(rectificationUrl);
  await expect(unit.getByRole("heading", { level: 1 })).toHaveText(`${UNIT} · 整改落实`);
  const plan = unit.getByRole("form", { name: "报送整改方案" });
  await plan.getByLabel("标题").fill(`关于巡察反馈意见的整改方案${s}`);
  await plan.getByLabel("正文").fill("一、总体要求\n二、整改任务\n（一）清退违规发放的津贴补贴……");
  await plan.getByRole("button", { name: "报送整改方案" }).click();
  await expect(unit.getByRole("status")).toBeVisible(slow);

  // The office accepts it.
  await page.goto(rectificationUrl);
  const review = page.getByRole("form", { name: "审核整改方案" });
  await review.getByRole("button", { name: "审核通过" }).click();
  await expect(page.getByRole("status")).toBeVisible(slow);
  await expect(page.getByTestId("reports-plan").getByTestId("review-status").first()).toHaveText("已通过");

  // The unit: a ledger item (三个一) and its progress with evidence.
  await unit.goto(`${rectificationUrl}?tab=problems`);
  const item = unit.getByRole("form", { name: "添加整改事项" });
  await item.getByLabel("对应问题").selectOption({ index: 1 });
  const measures = `清退违规发放的津贴补贴并建立发放审批制度${s}`;
  await item.getByLabel("整改措施").fill(measures);
  await item.getByLabel("责任领导", { exact: true }).fill("高志远（党组书记）");
  await item.getByLabel("责任部门").fill("计划财务处");
  await item.getByLabel("责任人", { exact: true }).fill("马晓红");
  // The responsible people's own accounts, who will receive the deadline warnings.
  await item.getByLabel("责任领导账号").selectOption({ label: "高志远（单位主要负责人）" });
  await item.getByLabel("责任人账号").selectOption({ label: "马晓红" });
  await item.getByLabel("整改类型").selectOption({ label: "限期整改" });
  await item.getByLabel("整改时限").fill(inDays(30));
  await item.getByRole("button", { name: "保存整改事项" }).click();
  await expect(unit.getByRole("status")).toContainText("整改事项已添加", slow);
  await unit.getByTestId("task-row").filter({ hasText: measures }).getByRole("link").click();
  await expect(unit).toHaveURL(/\/rectification\/items\/\d+$/);
  const itemUrl = unit.url();
  await expect(unit.getByTestId("warning-accounts")).toHaveText("责任领导账号：高志远；责任人账号：马晓红");
  // The person changes: the leader takes the warnings alone.
  const accounts = unit.getByRole("form", { name: "预警接收账号" });
  await accounts.getByLabel("责任人账号").selectOption({ label: "不关联" });
  await accounts.getByRole("button", { name: "保存预警接收账号" }).click();
  await expect(unit.getByRole("status")).toContainText("已更新预警接收账号", slow);
  await expect(unit.getByTestId("warning-accounts")).toHaveText("责任领导账号：高志远；责任人账号：不关联");
  const progress = unit.getByRole("form", { name: "报送整改进展" });
  await progress.getByLabel("进展情况").fill(`已全额清退8.4万元，印发《津贴补贴发放审批办法》（${s}）。`);
  await progress.getByLabel("附件（可选）").setInputFiles({ name: `清退凭证${s}.pdf`, mimeType: "application/pdf", buffer: pdf(s) });
  await progress.getByRole("button", { name: "报送进展" }).click();
  await expect(unit.getByRole("status")).toContainText("整改进展已报送", slow);
  await screenshot(unit, "flow2-unit-item");
  await unit.context().close();

  // The unit's head confirms; the office verifies: 已销号.
  const head = await open(browser, "unitHead");
  await head.goto(itemUrl);
  await head.getByRole("form", { name: "确认整改到位" }).getByRole("button", { name: "确认整改到位" }).click();
  await expect(head.getByTestId("item-status").first()).toHaveText("单位已确认，待核验", slow);
  await head.context().close();
  await page.goto(itemUrl);
  await page.getByRole("form", { name: "核验销号" }).getByRole("button", { name: "核验销号" }).click();
  await expect(page.getByTestId("item-status").first()).toHaveText("已销号", slow);
  await screenshot(page, "flow2-office-closed");

  // The rate moves: the round's to 100.00%, 哈尔滨's totals by one fed back and one rectified.
  await page.goto(`/figures?round=${roundId}`);
  await expect(page.getByTestId("stat-rectified")).toHaveText("1");
  await expect(page.getByTestId("stat-rate")).toHaveText("100.00%");
  await screenshot(page, "flow2-figures-round");
  const after = await cityTotals(page);
  expect(after).toEqual({ fedBack: before.fedBack + 1, rectified: before.rectified + 1 });
  expect(number).toMatch(/^\d+$/);
});
