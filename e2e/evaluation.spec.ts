import type { Page } from "@playwright/test";
import { as, expect, screenshot } from "./fixtures";

/**
 * 整改成效评估: the 哈尔滨 office makes a template (the points total shown as it goes),
 * evaluates an engagement fed back more than six months ago and reads the score and
 * grade the database computed; a date too early is refused in Chinese with the earliest
 * date; the veto gives 差; the template, once used, is read-only. The template's name
 * is the test's own (unique per run); evaluations cannot be deleted, and the e2e
 * database is fresh on every run.
 */

const day = (iso: string, months: number, days = 0) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** An engagement of 哈尔滨's first round (2025, fed back in mid-2025): its evaluation page. */
async function openOldEngagementEvaluation(page: Page) {
  await page.goto("/engagements");
  const options = await page.locator("#f-round option").allInnerTexts();
  const label = options.find((o) => /第1轮（2025年）/.test(o) && o.includes("市委"));
  expect(label, options.join(" | ")).toBeTruthy();
  await page.getByLabel("轮次").selectOption({ label: label! });
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/round=\d+/);
  await page.getByTestId("engagement-row").first().getByRole("link").click();
  await expect(page).toHaveURL(/\/engagements\/\d+$/);
  await page.getByTestId("section-evaluation").click();
  await expect(page).toHaveURL(/\/engagements\/\d+\/evaluation$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("整改成效评估");
}

as("city")("the 哈尔滨 office makes a template, evaluates an engagement fed back over six months ago, and the template is then read-only", async ({ page }, testInfo) => {
  testInfo.slow();
  const name = `整改成效评估测试模板${Date.now()}`;

  // A new template.
  await page.goto("/evaluation-templates");
  await expect(page.getByRole("heading", { level: 1, name: "成效评估" })).toBeVisible();
  // The office's own template and the province's, both listed.
  await expect(page.getByRole("table", { name: "评估模板" })).toContainText("黑龙江省委巡视办");
  await page.getByLabel("模板名称").fill("短");
  await page.getByRole("button", { name: "创建模板" }).click();
  await expect(page.getByText("模板名称为 2 至 100 字")).toBeVisible();
  await page.getByLabel("模板名称").fill(name);
  await page.getByRole("button", { name: "创建模板" }).click();
  await expect(page).toHaveURL(/\/evaluation-templates\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText(`评估模板“${name}”已创建，请添加评估指标。`)).toBeVisible();
  const templateUrl = page.url();

  // Indicators, the total shown as the points are typed and after each save.
  const form = page.getByRole("form", { name: "添加指标" });
  const addIndicator = async (area: string, indicator: string, points: string, guidance: string, totalAfter: string) => {
    await form.getByLabel("评估领域").fill(area);
    await form.getByLabel("指标", { exact: true }).fill(indicator);
    await form.getByLabel("分值").fill(points);
    await form.getByLabel("扣分标准").fill(guidance);
    await expect(form.getByTestId("points-after")).toHaveText(`保存后合计 ${totalAfter} 分`);
    await form.getByRole("button", { name: "添加指标" }).click();
    await expect(page.getByText(`已添加指标“${indicator}”。`)).toBeVisible();
    await expect(page.getByTestId("template-total")).toHaveText(`合计 ${totalAfter} 分`);
  };
  await addIndicator("整改责任落实", "整改主体责任落实", "40", "未成立整改工作领导小组的扣10分", "40");
  await addIndicator("问题整改质量", "反馈问题整改到位", "30", "每有一个问题未整改到位扣3分", "70");
  // Refused in Chinese, what was typed kept.
  await form.getByLabel("评估领域").fill("长效机制建设");
  await form.getByLabel("指标", { exact: true }).fill("建章立制");
  await form.getByLabel("分值").fill("0");
  await form.getByRole("button", { name: "添加指标" }).click();
  await expect(form.getByText("分值须大于 0、不超过 100，最多一位小数")).toBeVisible();
  await expect(form.getByLabel("指标", { exact: true })).toHaveValue("建章立制");
  await addIndicator("长效机制建设", "建章立制", "20", "未建立长效机制的每项扣2分", "90");
  await addIndicator("群众满意度", "干部群众满意度", "15", "满意率每低1个百分点扣0.5分", "105");
  // One too many: removed; one edited.
  await page.getByRole("button", { name: "删除指标“干部群众满意度”" }).click();
  await expect(page.getByText("已删除指标“干部群众满意度”。")).toBeVisible();
  await expect(page.getByTestId("template-total")).toHaveText("合计 90 分");
  await page.getByTestId("indicator-row").filter({ hasText: "建章立制" }).getByRole("link", { name: "修改" }).click();
  const edit = page.getByRole("form", { name: "修改指标" });
  await expect(edit.getByLabel("分值")).toHaveValue("20");
  await edit.getByLabel("分值").fill("30");
  await expect(edit.getByTestId("points-after")).toHaveText("保存后合计 100 分");
  await edit.getByRole("button", { name: "保存指标" }).click();
  await expect(page.getByText("已修改指标“建章立制”。")).toBeVisible();
  await expect(page.getByTestId("template-total")).toHaveText("合计 100 分");
  await expect(page.getByTestId("points-total")).toHaveText("100");
  await expect(page.getByTestId("indicator-row")).toHaveCount(3);
  await screenshot(page, "evaluation-template-city");

  // The evaluation of an engagement fed back in 2025.
  await openOldEngagementEvaluation(page);
  const evaluationUrl = page.url();
  const feedbackOn = (await page.getByTestId("feedback-on").innerText()).trim();
  const earliest = (await page.getByTestId("earliest-on").innerText()).trim();
  expect(earliest).toBe(day(feedbackOn, 6));
  const before = await page.getByTestId("evaluation-record").count();
  await page.getByRole("combobox", { name: "评估模板" }).selectOption({ label: `${name}（哈尔滨市委巡察办，3 项指标）` });
  await page.getByRole("button", { name: "使用此模板" }).click();
  await expect(page.getByTestId("score-row")).toHaveCount(3);
  const form2 = page.getByRole("form", { name: "评估打分" });
  await form2.getByLabel("整改主体责任落实 扣分", { exact: true }).fill("5");
  await form2.getByLabel("反馈问题整改到位 扣分", { exact: true }).fill("7.5");
  await form2.getByLabel("反馈问题整改到位 扣分说明").fill("有2个问题整改不到位");
  await expect(form2.getByTestId("evaluation-preview")).toHaveText("按当前扣分：得分 87.50，等级 较好（以保存后系统计算为准）");

  // Too early: the database refuses, the message names the earliest date; nothing is lost.
  await form2.getByLabel("评估日期").fill(day(feedbackOn, 1));
  await form2.getByLabel("评估结论").fill("整改责任基本落实，个别问题整改不到位。");
  await form2.getByRole("button", { name: "保存评估" }).click();
  await expect(form2.getByText(`评估须在反馈满六个月后进行，最早可于 ${earliest} 评估。`)).toBeVisible();
  await expect(form2.getByLabel("反馈问题整改到位 扣分", { exact: true })).toHaveValue("7.5");
  await expect(form2.getByLabel("评估结论")).toHaveValue("整改责任基本落实，个别问题整改不到位。");
  await expect(page.getByTestId("evaluation-record")).toHaveCount(before);
  await screenshot(page, "evaluation-too-early");

  // On the earliest day: saved; the score and grade are the database's.
  await form2.getByLabel("评估日期").fill(earliest);
  await form2.getByRole("button", { name: "保存评估" }).click();
  await expect(page.getByText("评估已保存：得分 87.50，等级 较好。")).toBeVisible();
  await expect(page.getByTestId("evaluation-record")).toHaveCount(before + 1);
  const saved = page.getByTestId("evaluation-record").filter({ hasText: name }).first();
  await expect(saved.getByTestId("evaluation-score")).toHaveText("87.50");
  await expect(saved.getByTestId("evaluation-grade")).toHaveText("较好");
  await expect(saved).toContainText("有2个问题整改不到位");
  await screenshot(page, "evaluation-city");

  // False reporting vetoes: 差, whatever the points.
  await page.goto(evaluationUrl);
  await page.getByRole("combobox", { name: "评估模板" }).selectOption({ label: `${name}（哈尔滨市委巡察办，3 项指标）` });
  await page.getByRole("button", { name: "使用此模板" }).click();
  const form3 = page.getByRole("form", { name: "评估打分" });
  await form3.getByLabel("虚报整改情况（一票否决）").check();
  await expect(form3.getByTestId("evaluation-preview")).toHaveText("按当前扣分：得分 100.00，等级 差（以保存后系统计算为准）");
  await form3.getByLabel("评估结论").fill("经核查存在虚报整改情况，一票否决。");
  await form3.getByRole("button", { name: "保存评估" }).click();
  await expect(page.getByText("评估已保存：得分 100.00，等级 差。")).toBeVisible();
  const vetoed = page.getByTestId("evaluation-record").filter({ hasText: "一票否决。" }).first();
  await expect(vetoed.getByTestId("evaluation-grade")).toHaveText("差");
  await expect(vetoed.getByTestId("evaluation-veto")).toHaveText("一票否决");

  // The template, now in use, is read-only: no form, no removal; the list says so.
  await page.goto(templateUrl);
  await expect(page.getByTestId("template-read-only")).toContainText("已用于 2 次成效评估");
  await expect(page.getByRole("form", { name: "添加指标" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /删除指标/ })).toHaveCount(0);
  await page.goto("/evaluation-templates");
  await expect(page.getByTestId("template-row").filter({ hasText: name })).toContainText("已用于 2 次评估");
  await expect(page.getByTestId("recent-evaluation-row").first()).toBeVisible();
  await screenshot(page, "evaluation-templates-city");
});

as("city")("an engagement fed back less than six months ago: the page names the earliest date and the database refuses today", async ({ page }) => {
  await page.goto("/engagements");
  const options = await page.locator("#f-round option").allInnerTexts();
  // 哈尔滨's latest round that reached feedback (2026).
  const label = options.find((o) => /第4轮（2026年）/.test(o) && o.includes("市委"));
  expect(label, options.join(" | ")).toBeTruthy();
  await page.getByLabel("轮次").selectOption({ label: label! });
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/round=\d+/);
  await page.getByTestId("engagement-row").first().getByRole("link").click();
  await page.getByTestId("section-evaluation").click();
  const earliest = (await page.getByTestId("earliest-on").innerText()).trim();
  await expect(page.getByRole("note").filter({ hasText: "距反馈尚不满六个月" })).toHaveText(`距反馈尚不满六个月，${earliest} 起方可评估。`);
  const form = page.getByRole("form", { name: "评估打分" });
  await form.getByRole("button", { name: "保存评估" }).click();
  await expect(form.getByText(`评估须在反馈满六个月后进行，最早可于 ${earliest} 评估。`)).toBeVisible();
});

as("province")("the province sees its template and the city's evaluations, but does not evaluate the city's engagements", async ({ page }) => {
  await page.goto("/evaluation-templates");
  await expect(page.getByTestId("template-row")).toHaveCount(1);
  await expect(page.getByTestId("template-row")).toContainText("巡视整改成效评估指标（黑龙江）");
  // The recent list reaches down to 哈尔滨's evaluations.
  const cityEvaluation = page.getByTestId("recent-evaluation-row").filter({ hasText: "哈尔滨市委巡察办" }).first();
  await expect(cityEvaluation).toBeVisible();
  await screenshot(page, "evaluation-templates-province");
  await cityEvaluation.getByRole("link").click();
  await expect(page).toHaveURL(/\/engagements\/\d+\/evaluation$/);
  await expect(page.getByText("整改成效评估由组织本轮巡察的机构开展，您可查看评估结果。")).toBeVisible();
  await expect(page.getByRole("form", { name: "评估打分" })).toHaveCount(0);
  await expect(page.getByTestId("evaluation-record").first()).toBeVisible();
  await screenshot(page, "evaluation-province-reads-city");
});

as("county")("a county office uses its line's templates and cannot change them", async ({ page }) => {
  await page.goto("/evaluation-templates");
  const rows = page.getByTestId("template-row");
  await expect(rows.filter({ hasText: "巡察整改成效评估指标（哈尔滨市）" })).toContainText("哈尔滨市委巡察办");
  await expect(rows.filter({ hasText: "巡视整改成效评估指标（黑龙江）" })).toContainText("黑龙江省委巡视办");
  await screenshot(page, "evaluation-templates-county");
  await rows.filter({ hasText: "巡察整改成效评估指标（哈尔滨市）" }).getByRole("link").click();
  await expect(page.getByText("上级机构（哈尔滨市委巡察办）制定，可直接使用，不可修改").first()).toBeVisible();
  await expect(page.getByRole("form", { name: "添加指标" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "停用模板" })).toHaveCount(0);
  // It may copy it into a template of its own.
  await expect(page.getByRole("form", { name: "复制为新模板" })).toBeVisible();
  await screenshot(page, "evaluation-template-county-inherited");
});
