import type { Browser, Page } from "@playwright/test";
import { as, expect, screenshot, storageState } from "./fixtures";
import { open, openEngagement } from "./patrol";

/**
 * Feedback (巡察反馈): the province office records the feedback of one of its reported
 * engagements (bad input first, with and without JavaScript); an engagement without a
 * report date explains what comes first; the unit's contact reads his unit's feedback
 * and no other.
 */

/** A date plus whole months, the day clamped to the month's end (as PostgreSQL does it). */
function addMonths(iso: string, months: number) {
  const [y, m, d] = iso.split("-").map(Number);
  const month0 = m - 1 + months;
  const year = y + Math.floor(month0 / 12);
  const month = month0 % 12;
  const day = Math.min(d, new Date(Date.UTC(year, month + 1, 0)).getUTCDate());
  return `${year}-${String(month + 1).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * The feedback page of a reported engagement still waiting for its feedback, taken from
 * the end of the list so that other specs picking the first one do not collide with it.
 */
async function pendingFeedback(page: Page): Promise<string> {
  await page.goto("/engagements?status=reported");
  const hrefs = await page.getByTestId("engagement-row").getByRole("link").evaluateAll((links) =>
    links.map((a) => a.getAttribute("href") ?? "").filter((h) => /^\/engagements\/\d+$/.test(h)));
  for (const href of [...new Set(hrefs)].reverse()) {
    await page.goto(`${href}/feedback`);
    if (await page.getByRole("form", { name: "登记巡察反馈" }).count()) return `${href}/feedback`;
  }
  throw new Error("no reported engagement waiting for feedback");
}

async function noScript(browser: Browser) {
  const context = await browser.newContext({ storageState: storageState("province"), javaScriptEnabled: false });
  return context.newPage();
}

as("province")("the office records feedback; bad input is refused in Chinese and kept; the record and its problems show", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(180_000);
  const url = await pendingFeedback(page);
  const form = page.getByRole("form", { name: "登记巡察反馈" });
  const reportedOn = (await form.getByLabel("反馈日期").getAttribute("min"))!;
  const boxes = form.getByTestId("feedback-problems").getByRole("checkbox");
  const total = await boxes.count();
  expect(total).toBeGreaterThan(1);
  for (let i = 0; i < total; i++) await expect(boxes.nth(i)).toBeChecked();
  // The plan deadline is shown, two months after the date, and follows it until set by hand.
  const feedbackOn = await form.getByLabel("反馈日期").inputValue();
  await expect(form.getByLabel("整改方案报送期限")).toHaveValue(addMonths(feedbackOn, 2));
  await form.getByLabel("反馈日期").fill(reportedOn);
  await expect(form.getByLabel("整改方案报送期限")).toHaveValue(addMonths(reportedOn, 2));
  await screenshot(page, "feedback-form");

  // In the browser: a date before the report, nothing ticked.
  const before = addMonths(reportedOn, -1);
  await form.getByLabel("反馈日期").fill(before);
  await form.getByLabel("反馈形式").selectOption({ label: "集中反馈（向被巡察党组织领导班子集中反馈）" });
  await form.getByLabel("参加人员").fill("省委第一巡视组组长、副组长，省委巡视办有关同志");
  await form.getByRole("button", { name: "全不选" }).click();
  await form.getByRole("button", { name: "登记反馈" }).click();
  await expect(form.getByRole("alert").filter({ hasText: `反馈日期不能早于巡察报告日期（${reportedOn}）` })).toBeVisible();
  await expect(form.getByRole("alert").filter({ hasText: "请至少勾选一个反馈的问题" })).toBeVisible();
  await expect(form.getByLabel("参加人员")).toHaveValue("省委第一巡视组组长、副组长，省委巡视办有关同志");
  await screenshot(page, "feedback-errors");

  // And on the server (no JavaScript): the same refusals, what was typed comes back.
  const plain = await noScript(browser);
  await plain.goto(url);
  const plainForm = plain.getByRole("form", { name: "登记巡察反馈" });
  await plainForm.getByLabel("反馈日期").fill(before);
  await plainForm.getByLabel("参加人员").fill("省委巡视组全体成员");
  await plainForm.getByLabel("反馈意见文号").fill("黑巡反〔2026〕9号");
  const plainBoxes = plainForm.getByTestId("feedback-problems").getByRole("checkbox");
  for (let i = 0; i < total; i++) await plainBoxes.nth(i).uncheck();
  await plainBoxes.nth(0).check();
  const response = plain.waitForResponse((r) => r.request().method() === "POST");
  await plainForm.getByRole("button", { name: "登记反馈" }).click();
  expect((await response).status()).toBe(400);
  const again = plain.getByRole("form", { name: "登记巡察反馈" });
  await expect(again.getByRole("alert").filter({ hasText: `反馈日期不能早于巡察报告日期（${reportedOn}）` })).toBeVisible();
  await expect(again.getByRole("alert").filter({ hasText: "请选择反馈形式" })).toBeVisible();
  await expect(again.getByLabel("参加人员")).toHaveValue("省委巡视组全体成员");
  await expect(again.getByLabel("反馈意见文号")).toHaveValue("黑巡反〔2026〕9号");
  await expect(again.getByLabel("反馈日期")).toHaveValue(before);
  await expect(plainBoxes.nth(0)).toBeChecked();
  await expect(plainBoxes.nth(1)).not.toBeChecked();
  await screenshot(plain, "feedback-errors-server");
  await plain.context().close();

  // Nothing was written: the form is still there.
  await page.goto(url);
  await expect(page.getByRole("form", { name: "登记巡察反馈" })).toBeVisible();

  // A deadline not after the feedback date is refused too.
  const f = page.getByRole("form", { name: "登记巡察反馈" });
  await f.getByLabel("反馈日期").fill(reportedOn);
  await f.getByLabel("反馈形式").selectOption({ label: "双反馈（向党组织和主要负责人分别反馈）" });
  await f.getByLabel("参加人员").fill("省委第一巡视组组长、副组长，省委巡视办有关同志，被巡视党组织领导班子成员");
  await f.getByLabel("反馈意见文号").fill("黑巡反〔2026〕12号");
  await f.getByLabel("抄送").fill("省纪委监委，省委组织部");
  await f.getByLabel("整改方案报送期限").fill(reportedOn);
  await f.getByRole("button", { name: "登记反馈" }).click();
  await expect(f.getByRole("alert").filter({ hasText: "整改方案报送期限须晚于反馈日期" })).toBeVisible();

  // A valid feedback of all problems but the last, with the deadline set by hand.
  const due = addMonths(reportedOn, 3);
  await f.getByLabel("整改方案报送期限").fill(due);
  await f.getByTestId("feedback-problems").getByRole("checkbox").nth(total - 1).uncheck();
  await f.getByRole("button", { name: "登记反馈" }).click();
  await expect(page.getByRole("status")).toContainText(`巡察反馈已登记，反馈问题 ${total - 1} 个`);
  await expect(page.getByRole("heading", { name: "反馈情况" })).toBeVisible();
  const record = page.getByTestId("feedback-record");
  await expect(record).toContainText("双反馈");
  await expect(record).toContainText("黑巡反〔2026〕12号");
  await expect(record).toContainText("省纪委监委，省委组织部");
  await expect(page.getByTestId("feedback-plan-due")).toHaveText(due);
  await expect(page.getByTestId("feedback-problem-row")).toHaveCount(total - 1);
  await expect(page.getByRole("link", { name: "进入整改落实" })).toHaveAttribute("href", url.replace(/^\/engagements\/(\d+)\/feedback$/, "/rectification/$1"));
  await expect(page.getByRole("form", { name: "登记巡察反馈" })).toHaveCount(0);
  await screenshot(page, "feedback-record");

  // The engagement's stages follow.
  await page.goto(url.replace(/\/feedback$/, ""));
  await expect(page.getByTestId("stage-feedbackOn")).toContainText(reportedOn);
  await expect(page.getByTestId("stage-rectificationDue")).toContainText(due);
});

as("province")("without a report date, the page says what comes first and links to the stages", async ({ page }, testInfo) => {
  testInfo.setTimeout(120_000);
  // One of the office's own withdrawn engagements (its stages are the office's to record).
  await page.goto("/engagements?status=withdrawn");
  const hrefs = await page.getByTestId("engagement-row").getByRole("link").evaluateAll((links) =>
    links.map((a) => a.getAttribute("href") ?? "").filter((h) => /^\/engagements\/\d+$/.test(h)));
  let href: string | undefined;
  for (const h of new Set(hrefs)) {
    await page.goto(`${h}/feedback`);
    if (await page.getByTestId("feedback-report-missing").getByRole("link", { name: "登记阶段日期" }).count()) {
      href = h;
      break;
    }
  }
  expect(href, "a withdrawn engagement of the province office").toBeTruthy();
  const notice = page.getByTestId("feedback-report-missing");
  await expect(notice).toContainText("反馈前须先登记巡察报告日期");
  await expect(page.getByRole("form", { name: "登记巡察反馈" })).toHaveCount(0);
  await screenshot(page, "feedback-report-missing");
  await notice.getByRole("link", { name: "登记阶段日期" }).click();
  await expect(page).toHaveURL(new RegExp(`${href}\\?stages=1$`));
  await expect(page.getByRole("form", { name: "登记阶段日期" })).toBeVisible();
});

as("unitContact")("the unit's contact reads his unit's feedback, and nothing of another unit", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  const city = await open(browser, "city");
  const own = await openEngagement(city, "哈尔滨市财政局");
  const other = await openEngagement(city, "哈尔滨市体育局");
  await city.context().close();
  const ownPath = new URL(own).pathname;
  const otherPath = new URL(other).pathname;

  await page.goto(`${ownPath}/feedback`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("哈尔滨市财政局 · 巡察反馈");
  await expect(page.getByTestId("feedback-record")).toContainText("哈尔滨市委巡察办");
  expect(await page.getByTestId("feedback-problem-row").count()).toBeGreaterThan(0);
  await expect(page.getByRole("link", { name: "返回巡察任务" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "进入整改落实" })).toBeVisible();
  await expect(page.getByRole("form", { name: "登记巡察反馈" })).toHaveCount(0);
  await screenshot(page, "feedback-unit-contact");

  // The engagement itself and another unit's feedback: not his.
  expect((await page.goto(ownPath))?.status()).toBe(404);
  expect((await page.goto(`${otherPath}/feedback`))?.status()).toBe(404);
  await expect(page.getByTestId("error-404")).toBeVisible();
});
