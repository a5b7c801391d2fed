import { statSync } from "node:fs";
import type { Page } from "@playwright/test";
import { as, expect, screenshot } from "./fixtures";
import { open, pdf, token } from "./patrol";

/**
 * Findings (issue 4, steps 5 and 7): hrb.member, 组长 of 哈尔滨's stationed 市委第一巡察组
 * in the demo, drafts a working paper, submits it and approves it through the three
 * review steps onto the problem list; a second paper is returned with its reason and is
 * a draft again. 哈尔滨's office reads the papers without any way to change them and
 * downloads the 巡察情况报告 and a 专题报告; 南岗's office gets a 404 for all of it.
 * Every paper is the test's own (its title carries a token).
 */

/** The member's stationed regular engagement (his group's, from the demo): its URL. */
async function memberEngagement(page: Page): Promise<string> {
  await page.goto("/engagements?mode=regular&status=stationed");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的巡察任务");
  const row = page.getByTestId("engagement-row").filter({ hasText: "市委第一巡察组" }).first();
  await row.getByRole("link").click();
  await expect(page).toHaveURL(/\/engagements\/\d+$/);
  return page.url().replace(/\?.*$/, "");
}

async function draftPaper(page: Page, papersUrl: string, p: { title: string; category: string; onTheSpot?: boolean }) {
  await page.goto(papersUrl);
  const form = page.getByRole("form", { name: "新建问题底稿" });
  await form.getByLabel("标题").fill(p.title);
  await form.getByLabel("问题类别").selectOption({ label: p.category });
  await form.getByLabel("严重程度").selectOption({ label: "较重" });
  await form.getByLabel("四种形态").selectOption({ label: "第一种形态" });
  await form.getByLabel("承办人").selectOption({ index: 1 });
  if (p.onTheSpot) await form.getByLabel("立行立改").check();
  await form.getByLabel("事实（问题表现）").fill(`${p.title}：2025年以来以值班补助名义发放补贴共计12.6万元，涉及干部职工18人。`);
  await form.getByLabel("证据材料").fill("财务凭证第3册第12—15页；个别谈话记录2份");
  await form.getByRole("button", { name: "保存底稿" }).click();
  await expect(page.getByRole("status")).toContainText("问题底稿已保存。");
  await expect(page).toHaveURL(/\/papers\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(p.title);
  return page.url();
}

async function act(page: Page, button: string, toast: string) {
  await page.getByRole("button", { name: button, exact: true }).click();
  await expect(page.getByRole("status")).toContainText(toast);
}

as("cityMember")("a paper goes through the chain onto the problem list; a return sends it back with its reason; the office reads and downloads; a county sees nothing", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(360_000);
  const t = token();
  const engagementUrl = await memberEngagement(page);
  await page.getByTestId("section-papers").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("问题底稿");
  const papersUrl = page.url();
  await expect(page.getByRole("link", { name: "问题分类字典" })).toBeVisible();

  // Draft, attach evidence, submit.
  const title = `违规发放值班补助${t}`;
  const paperUrl = await draftPaper(page, papersUrl, { title, category: "廉洁纪律", onTheSpot: true });
  await page.locator('input[type="file"]').setInputFiles({ name: `财务凭证${t}.pdf`, mimeType: "application/pdf", buffer: pdf(t) });
  await page.getByRole("button", { name: "上传附件" }).click();
  await expect(page.getByRole("status")).toContainText("附件已上传。");
  await expect(page.getByRole("link", { name: `财务凭证${t}.pdf` })).toBeVisible();
  await expect(page.getByTestId("chain-drafting")).toHaveAttribute("data-state", "current");
  await act(page, "提交审核", "底稿已提交副组长审核。");
  await expect(page.getByTestId("paper-status")).toHaveText("待副组长审核");
  // Under review: no editing, no more files.
  await expect(page.getByRole("link", { name: "修改底稿" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "上传附件" })).toHaveCount(0);

  await screenshot(page, "findings-paper-review");
  // The 组长 acts on the three steps (a deputy's step is his too).
  await act(page, "通过", "已通过，底稿进入“组长审核”环节。");
  await page.getByLabel("审核意见").fill("事实清楚，证据充分。");
  await act(page, "通过", "已通过，底稿进入“组务会审议”环节。");
  await act(page, "审议通过，列入问题清单", "组务会审议通过，问题已列入问题清单。");
  await expect(page.getByTestId("paper-status")).toHaveText("已通过");
  for (const step of ["drafting", "deputy_review", "leader_review", "meeting_review", "approved"]) {
    await expect(page.getByTestId(`chain-${step}`)).toHaveAttribute("data-state", "done");
  }
  await expect(page.getByTestId("chain-leader_review")).toContainText("组长 郑海涛");
  await expect(page.getByTestId("review-history")).toContainText("事实清楚，证据充分。");
  await screenshot(page, "findings-paper");

  // On the problem list, with its category, 立行立改, not yet fed back.
  await page.goto(`${engagementUrl}/problems`);
  const problem = page.getByTestId("problem-row").filter({ hasText: title });
  await expect(problem).toHaveCount(1);
  await expect(problem).toContainText("违反六项纪律");
  await expect(problem).toContainText("廉洁纪律");
  await expect(problem).toContainText("第一种形态");
  await expect(problem).toContainText("立行立改");
  await expect(problem).toContainText("未反馈");
  await expect(page.getByTestId("category-count").filter({ hasText: "违反六项纪律" })).toBeVisible();

  // A second paper is returned: a reason is required, and it is a draft again.
  const returnedTitle = `公务接待超标准${t}`;
  const returnedUrl = await draftPaper(page, papersUrl, { title: returnedTitle, category: "形式主义" });
  await act(page, "提交审核", "底稿已提交副组长审核。");
  await page.getByRole("button", { name: "退回", exact: true }).click();
  await expect(page.getByText("退回须填写理由（2 至 2000 字）")).toBeVisible();
  await page.getByLabel("审核意见").fill(`请补充接待清单和审批单${t}`);
  await act(page, "退回", "底稿已退回承办人修改。");
  await expect(page.getByTestId("paper-status")).toHaveText("起草中");
  await expect(page.getByTestId("chain-drafting")).toHaveAttribute("data-state", "current");
  await expect(page.getByTestId("review-history")).toContainText(`退回理由：请补充接待清单和审批单${t}`);
  await expect(page.getByRole("link", { name: "修改底稿" })).toBeVisible();
  await page.goto(papersUrl);
  await expect(page.getByTestId("paper-row").filter({ hasText: returnedTitle })).toContainText("起草中");
  await expect(page.getByTestId("paper-row").filter({ hasText: title })).toContainText("已通过");
  await screenshot(page, "findings-papers");

  // The office: reads everything, may change nothing, downloads the report.
  const office = await open(browser, "city");
  await office.goto(paperUrl);
  await expect(office.getByRole("heading", { level: 1 })).toContainText(title);
  await expect(office.getByText("事实清楚，证据充分。")).toBeVisible();
  for (const button of ["提交审核", "通过", "退回", "上传附件"]) await expect(office.getByRole("button", { name: button, exact: true })).toHaveCount(0);
  await office.goto(returnedUrl);
  await expect(office.getByRole("link", { name: "修改底稿" })).toHaveCount(0);
  await expect(office.getByRole("button", { name: "提交审核" })).toHaveCount(0);
  await office.goto(papersUrl);
  await expect(office.getByText("巡察办可查看本任务的问题底稿，底稿由巡察组起草和审核。")).toBeVisible();
  await expect(office.getByRole("form", { name: "新建问题底稿" })).toHaveCount(0);
  await office.goto(`${engagementUrl}/problems`);
  await expect(office.getByTestId("problem-row").filter({ hasText: title })).toHaveCount(1);
  const [report] = await Promise.all([office.waitForEvent("download"), office.getByTestId("download-report").click()]);
  expect(report.suggestedFilename()).toMatch(/巡察情况报告\.docx$/);
  expect(statSync(await report.path()).size).toBeGreaterThan(0);
  await expect(office.getByTestId("download-report-status")).toHaveText("已下载。");
  await screenshot(office, "findings-problems");

  // A 专题报告 from the thematic search.
  await office.goto(`/reports/thematic?q=${encodeURIComponent(t)}`);
  const hit = office.getByTestId("thematic-row").filter({ hasText: title });
  await expect(hit).toHaveCount(1);
  await office.getByTestId("thematic-download").click();
  await expect(office.getByText("请至少选取一个问题")).toBeVisible();
  await hit.getByRole("checkbox").check();
  await expect(office.getByTestId("thematic-selected")).toHaveText("已选取 1 个问题");
  await office.getByLabel("主送").fill("市财政局党组");
  const [thematic] = await Promise.all([office.waitForEvent("download"), office.getByTestId("thematic-download").click()]);
  expect(thematic.suggestedFilename()).toBe("关于巡察发现问题的专题报告.docx");
  expect(statSync(await thematic.path()).size).toBeGreaterThan(0);
  await screenshot(office, "findings-thematic");

  // 南岗's office: none of it exists.
  const county = await open(browser, "countyB");
  for (const url of [paperUrl, papersUrl, `${engagementUrl}/problems`, `${engagementUrl}/documents/report`]) {
    expect((await county.goto(url))?.status(), url).toBe(404);
  }
  await county.goto(`/reports/thematic?q=${encodeURIComponent(t)}`);
  await expect(county.getByTestId("thematic-row")).toHaveCount(0);

  await office.context().close();
  await county.context().close();
});

as("city")("the office keeps its own categories beside the common dictionary", async ({ page }) => {
  const name = `营商环境问题${token()}`;
  await page.goto("/categories");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("问题分类字典");
  const common = page.getByTestId("category-row").filter({ hasText: "违反六项纪律" });
  await expect(common).toContainText("通用分类");
  await expect(common.getByRole("button")).toHaveCount(0);
  const form = page.getByRole("form", { name: "新增分类" });
  await form.getByLabel("分类名称").fill(name);
  await form.getByLabel("上级分类").selectOption({ label: "四风问题" });
  await form.getByRole("button", { name: "新增分类" }).click();
  await expect(page.getByRole("status")).toContainText(`已新增分类“${name}”。`);
  const row = page.getByTestId("category-row").filter({ hasText: name });
  await expect(row).toContainText("本机构补充");
  await form.getByLabel("分类名称").fill(name);
  await form.getByLabel("上级分类").selectOption({ label: "四风问题" });
  await form.getByRole("button", { name: "新增分类" }).click();
  await expect(page.getByText("同一上级分类下已有同名分类")).toBeVisible();
  await expect(form.getByLabel("分类名称")).toHaveValue(name);
  await screenshot(page, "findings-categories");
  await row.getByRole("button").click();
  await expect(page.getByRole("status")).toContainText(`已停用分类“${name}”`);
  await expect(page.getByTestId("category-row").filter({ hasText: name })).toContainText("已停用");
});
