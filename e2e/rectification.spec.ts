import type { Browser, Page } from "@playwright/test";
import { as, expect, screenshot } from "./fixtures";
import { open, pdf, token } from "./patrol";

/**
 * Rectification (整改) across the inspected unit and the office, on the demo's 哈尔滨市财政局
 * (fed back, plan accepted, items in every status): the unit's contact adds items and
 * reports progress with evidence, its head confirms, the 哈尔滨 office verifies or returns;
 * reports are returned and resubmitted; the unit sees nothing of the patrol's conduct nor
 * another unit's rectification; a disclosure is published and read without login. Every
 * item and report a test acts on is its own (the seeded ones are only read).
 */

const UNIT = "哈尔滨市财政局";

/** Today plus `days`, in Beijing, as the date inputs take it. */
/** After a submission: the machine these run on is shared and slow. */
const slow = { timeout: 30_000 };

const inDays = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The unit's rectification page of the demo's fed-back engagement, opened from the list:
 * the unit's earliest feedback (another spec may give the unit a newer one).
 */
async function openUnitRectification(page: Page, load = true): Promise<string> {
  if (load) await page.goto(`/rectification?q=${encodeURIComponent(UNIT)}`);
  const rows = page.getByTestId("rectification-row").filter({ hasText: UNIT });
  await expect(rows.first()).toBeVisible();
  const dates = await rows.locator("td:nth-child(3)").allInnerTexts();
  await rows.nth(dates.indexOf([...dates].sort()[0])).getByRole("link", { name: UNIT }).click();
  await expect(page).toHaveURL(/\/rectification\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${UNIT} · 整改落实`);
  return page.url();
}

/** Adds an item for the first fed-back problem and opens it; returns its URL. */
async function addItem(page: Page, url: string, measures: string) {
  await page.goto(`${url}?tab=problems`);
  const form = page.getByRole("form", { name: "添加整改事项" });
  await form.getByLabel("对应问题").selectOption({ index: 1 });
  await form.getByLabel("整改措施").fill(measures);
  await form.getByLabel("责任领导", { exact: true }).fill("高志远（党组书记）");
  await form.getByLabel("责任部门").fill("计划财务处");
  await form.getByLabel("责任人", { exact: true }).fill("马晓红");
  await form.getByLabel("整改类型").selectOption({ label: "限期整改" });
  await form.getByLabel("整改时限").fill(inDays(45));
  await form.getByRole("button", { name: "保存整改事项" }).click();
  await expect(page.getByRole("status")).toContainText("整改事项已添加", slow);
  await page.getByTestId("task-row").filter({ hasText: measures }).getByRole("link").click();
  await expect(page).toHaveURL(/\/rectification\/items\/\d+$/);
  await expect(page.getByTestId("item-status").first()).toHaveText("整改中");
  return page.url();
}

async function reportProgress(page: Page, text: string, file?: { name: string; buffer: Buffer }) {
  const form = page.getByRole("form", { name: "报送整改进展" });
  await form.getByLabel("进展情况").fill(text);
  if (file) await form.getByLabel("附件（可选）").setInputFiles({ ...file, mimeType: "application/pdf" });
  await form.getByRole("button", { name: "报送进展" }).click();
  await expect(page.getByRole("status")).toContainText("整改进展已报送", slow);
}

async function confirmAsHead(browser: Browser, itemUrl: string) {
  const head = await open(browser, "unitHead");
  await head.goto(itemUrl);
  await head.getByRole("form", { name: "确认整改到位" }).getByRole("button", { name: "确认整改到位" }).click();
  await expect(head.getByRole("status")).toContainText("已确认整改到位", slow);
  await expect(head.getByTestId("item-status").first()).toHaveText("单位已确认，待核验");
  await head.context().close();
}

as("unitContact")("the unit reports progress with evidence, its head confirms, the office verifies: 已销号", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(180_000);
  const t = token();
  // His unit's rectification only.
  await page.goto("/rectification");
  await expect(page.getByTestId("rectification-row").first()).toContainText(UNIT);
  expect(await page.getByTestId("rectification-row").filter({ hasNotText: UNIT }).count()).toBe(0);
  await screenshot(page, "rectification-list-unit");
  const url = await openUnitRectification(page);
  await expect(page.getByTestId("reports-plan").getByTestId("review-status").first()).toHaveText("已通过");
  await screenshot(page, "rectification-detail-unit");
  for (const tab of ["任务清单", "责任清单", "督查清单"]) {
    await page.getByRole("link", { name: new RegExp(`^${tab}`) }).click();
    await expect(page.getByRole("table", { name: tab })).toBeVisible();
  }
  // The seeded deadline warnings show in the 督查清单 in their colours.
  for (const colour of ["green", "yellow", "red"]) {
    await expect(page.locator(`[data-testid="deadline-colour"][data-colour="${colour}"]`).first()).toBeVisible();
  }
  await screenshot(page, "rectification-supervision-list-unit");

  // Bad input: a 限期整改 item without its deadline is refused in Chinese, and what was typed stays.
  await page.goto(`${url}?tab=problems`);
  const form = page.getByRole("form", { name: "添加整改事项" });
  await form.getByLabel("对应问题").selectOption({ index: 1 });
  await form.getByLabel("整改措施").fill(`无时限的措施${t}`);
  await form.getByLabel("责任领导", { exact: true }).fill("高志远");
  await form.getByLabel("责任部门").fill("办公室");
  await form.getByLabel("责任人", { exact: true }).fill("马晓红");
  await form.getByLabel("整改类型").selectOption({ label: "限期整改" });
  await form.getByRole("button", { name: "保存整改事项" }).click();
  await expect(form.getByText("立行立改和限期整改须填写整改时限")).toBeVisible();
  await expect(form.getByLabel("整改措施")).toHaveValue(`无时限的措施${t}`);
  await expect(form.getByLabel("责任部门")).toHaveValue("办公室");
  await screenshot(page, "rectification-item-form-refused");

  const itemUrl = await addItem(page, url, `清退违规发放的津贴补贴并修订制度${t}`);
  await expect(page.getByTestId("review-panel")).toContainText("须由单位主要负责人确认整改到位");
  await expect(page.getByRole("button", { name: "确认整改到位" })).toHaveCount(0);

  // Bad input: no progress text.
  const progress = page.getByRole("form", { name: "报送整改进展" });
  const reportedOn = await progress.getByLabel("报送日期").inputValue();
  expect(reportedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await progress.getByRole("button", { name: "报送进展" }).click();
  await expect(progress.getByText("请填写进展情况（2至5000字）")).toBeVisible();
  await expect(progress.getByLabel("报送日期")).toHaveValue(reportedOn);
  await expect(page.getByTestId("update-row")).toHaveCount(0);

  await reportProgress(page, `已清退津贴补贴12.6万元，修订《津贴补贴发放管理办法》${t}`, { name: `清退凭证${t}.pdf`, buffer: pdf(`清退凭证 ${t}`) });
  const row = page.getByTestId("update-row").filter({ hasText: `修订《津贴补贴发放管理办法》${t}` });
  await expect(row.getByRole("link", { name: new RegExp(`清退凭证${t}\\.pdf`) })).toBeVisible();
  await screenshot(page, "rectification-item-unit");

  await confirmAsHead(browser, itemUrl);

  const office = await open(browser, "city");
  await office.goto(itemUrl);
  await expect(office.getByTestId("event-row").first()).toContainText("单位主要负责人确认");
  // The evidence is readable by the office, through the attachments route.
  const href = await office.getByTestId("update-row").getByRole("link", { name: new RegExp(`清退凭证${t}`) }).getAttribute("href");
  expect(href).toMatch(/^\/attachments\/\d+$/);
  const download = await office.request.get(href!);
  expect(download.status()).toBe(200);
  expect((await download.body()).subarray(0, 8).toString("latin1")).toBe("%PDF-1.4");
  await screenshot(office, "rectification-item-office-confirmed");
  await office.getByRole("form", { name: "核验销号" }).getByRole("button", { name: "核验销号" }).click();
  await expect(office.getByRole("status")).toContainText("已核验销号", slow);
  await expect(office.getByTestId("item-status").first()).toHaveText("已销号");
  await expect(office.getByRole("form", { name: "回头看重新打开" })).toBeVisible();
  await screenshot(office, "rectification-item-office-closed");

  // The unit sees it closed, and may no longer report on it.
  await page.reload();
  await expect(page.getByTestId("item-status").first()).toHaveText("已销号");
  await expect(page.getByRole("form", { name: "报送整改进展" })).toHaveCount(0);
  await office.context().close();
});

as("unitContact")("the office returns a confirmed item with its reason, and it reopens", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(180_000);
  const t = token();
  const url = await openUnitRectification(page);
  const itemUrl = await addItem(page, url, `规范公务接待审批${t}`);
  await reportProgress(page, `已修订公务接待管理办法${t}`);
  await confirmAsHead(browser, itemUrl);

  const office = await open(browser, "city");
  await office.goto(itemUrl);
  const returning = office.getByRole("form", { name: "退回重新整改" });
  await returning.getByRole("button", { name: "退回重新整改" }).click();
  await expect(returning.getByText("退回或重新打开须说明理由（至少2个字）")).toBeVisible();
  await expect(office.getByTestId("item-status").first()).toHaveText("单位已确认，待核验");
  await returning.getByLabel("退回重新整改理由").fill(`佐证材料不足，请补充接待审批单${t}`);
  await returning.getByRole("button", { name: "退回重新整改" }).click();
  await expect(office.getByRole("status")).toContainText("已退回", slow);
  await expect(office.getByTestId("item-status").first()).toHaveText("整改中");
  await expect(office.getByTestId("event-row").first()).toContainText(`佐证材料不足，请补充接待审批单${t}`);
  await screenshot(office, "rectification-item-office-returned");
  await office.context().close();

  await page.goto(itemUrl);
  await expect(page.getByTestId("item-status").first()).toHaveText("整改中");
  await expect(page.getByTestId("event-row").first()).toContainText("退回");
  await expect(page.getByRole("form", { name: "报送整改进展" })).toBeVisible();
});

as("city")("the office returns a progress report with a reason; the unit resubmits it as a new version", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(180_000);
  const t = token();
  await page.goto("/rectification?q=" + encodeURIComponent(UNIT));
  await screenshot(page, "rectification-list-office");
  const url = await openUnitRectification(page, false);
  const progress = page.getByTestId("reports-progress");
  const pending = progress.getByTestId("report-version").filter({ has: page.getByTestId("review-status").filter({ hasText: "待审核" }) });
  await expect(pending).toHaveCount(1);
  await screenshot(page, "rectification-detail-office");
  const review = pending.getByRole("form");
  await review.getByRole("button", { name: "退回修改" }).click();
  await expect(review.getByText("退回时请说明理由（至少2个字）")).toBeVisible();
  await review.getByLabel("审核意见（退回时必填）").fill(`请补充整改资金退还凭证${t}`);
  await review.getByRole("button", { name: "退回修改" }).click();
  await expect(page.getByRole("status")).toContainText("已退回", slow);
  await expect(progress.getByTestId("report-version").first()).toContainText(`请补充整改资金退还凭证${t}`);

  const unit = await open(browser, "unitContact");
  await unit.goto(url);
  const form = unit.getByRole("form", { name: "报送整改进展情况报告" });
  await form.getByLabel("正文").fill("截至目前，反馈问题整改情况如下……");
  await form.getByRole("button", { name: "报送整改进展情况报告" }).click();
  await expect(form.getByText("请填写标题（2至200字）")).toBeVisible();
  await expect(form.getByLabel("正文")).toHaveValue("截至目前，反馈问题整改情况如下……");
  await form.getByLabel("标题").fill(`关于巡察整改进展情况的报告（补充凭证）${t}`);
  await form.getByLabel("附件（可选）").setInputFiles({ name: `退还凭证${t}.pdf`, mimeType: "application/pdf", buffer: pdf(t) });
  await form.getByRole("button", { name: "报送整改进展情况报告" }).click();
  await expect(unit.getByRole("status")).toContainText("整改进展情况报告已报送", slow);
  const latest = unit.getByTestId("reports-progress").getByTestId("report-version").first();
  await expect(latest).toContainText(`关于巡察整改进展情况的报告（补充凭证）${t}`);
  await expect(latest).toContainText("第3次报送");
  await expect(latest.getByTestId("review-status")).toHaveText("待审核");
  await expect(latest.getByRole("link", { name: new RegExp(`退还凭证${t}`) })).toBeVisible();
  await expect(unit.getByRole("form", { name: "报送整改进展情况报告" })).toHaveCount(0);
  await screenshot(unit, "rectification-report-resubmitted-unit");
  await unit.context().close();
});

as("unitContact")("the unit contact sees nothing of the patrol's conduct nor another unit's rectification", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(180_000);
  const url = await openUnitRectification(page);
  const id = url.match(/\/rectification\/(\d+)$/)![1];

  // What the office can open, to try as the unit: a petition of this engagement, another unit's rectification and item.
  const office = await open(browser, "city");
  await office.goto(`/engagements/${id}?tab=petitions`);
  const petitionHref = await office.getByTestId("petition-row").first().getByRole("link").getAttribute("href");
  expect(petitionHref).toMatch(/^\/petitions\/\d+$/);
  await office.goto("/rectification");
  const other = office.getByTestId("rectification-row").filter({ hasNotText: UNIT }).first();
  const otherHref = await other.getByRole("link").first().getAttribute("href");
  expect(otherHref).toMatch(/^\/rectification\/\d+$/);
  await office.goto(`${otherHref}?tab=tasks`);
  const otherItemHref = await office.getByTestId("task-row").first().getByRole("link").getAttribute("href");
  expect(otherItemHref).toMatch(/^\/rectification\/items\/\d+$/);
  await office.context().close();

  for (const path of [`/engagements/${id}`, `/engagements/${id}/papers`, petitionHref!, otherHref!, otherItemHref!]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByTestId("error-404")).toBeVisible();
  }
  for (const path of ["/leads", "/supervision"]) {
    const response = await page.goto(path);
    expect([403, 404], path).toContain(response?.status());
  }
  await screenshot(page, "rectification-unit-denied");
  // Nor does the nav offer them.
  const nav = page.getByRole("navigation", { name: "主导航" });
  await expect(nav.getByRole("link", { name: "整改落实" })).toBeVisible();
  for (const name of ["巡察任务", "问题线索", "挂账督办"]) await expect(nav.getByRole("link", { name })).toHaveCount(0);
});

as("city")("挂账督办 lists overdue items of the subtree, longest overdue first", async ({ page }, testInfo) => {
  testInfo.setTimeout(90_000);
  await page.goto("/supervision");
  const rows = page.getByTestId("overdue-row");
  await expect(rows.first()).toBeVisible();
  const days = (await page.getByTestId("days-overdue").allInnerTexts()).map((x) => Number(x.replace(/\D/g, "")));
  expect(days.length).toBeGreaterThan(1);
  expect(days).toEqual([...days].sort((a, b) => b - a));
  await expect(rows.filter({ hasText: UNIT }).first()).toBeVisible();
  await screenshot(page, "supervision-office");
  await page.getByLabel("被巡察单位包含").fill(UNIT);
  await page.getByRole("button", { name: "查询" }).click();
  await expect(rows.first()).toContainText(UNIT);
  expect(await rows.filter({ hasNotText: UNIT }).count()).toBe(0);
});

as("city")("the office publishes a disclosure; an anonymous visitor reads it without login and without names", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(180_000);
  const t = token();
  const url = await openUnitRectification(page);
  // The names the public must not see: every responsible leader and person on the 责任清单.
  await page.goto(`${url}?tab=duties`);
  const rows = page.getByTestId("duty-row");
  const cells = [
    ...(await rows.locator("td:nth-child(3)").allInnerTexts()), // 责任领导
    ...(await rows.locator("td:nth-child(5)").allInnerTexts()), // 责任人
  ];
  const names = [...new Set(cells.map((c) => c.replace(/（.*）$/, "").trim()))];
  expect(names.length).toBeGreaterThan(1);
  expect(names).toContain("马晓红");

  const panel = page.getByTestId("disclosure-panel");
  const form = panel.getByRole("form", { name: "发布公示" });
  await expect(form.getByLabel("公示标题")).toHaveValue(`关于${UNIT}巡察整改情况的公示`);
  await form.getByLabel("公示标题").fill(`关于${UNIT}巡察整改情况的公示（${t}）`);
  await form.getByLabel("公示说明").fill("整改中");
  await form.getByRole("button", { name: "发布公示" }).click();
  await expect(form.getByText("请填写公示说明（10至20000字）")).toBeVisible();
  await expect(form.getByLabel("公示标题")).toHaveValue(`关于${UNIT}巡察整改情况的公示（${t}）`);
  await form.getByLabel("公示说明").fill(`根据市委巡察工作安排，现将${UNIT}巡察整改进展情况予以公示，欢迎社会各界监督。`);
  await form.getByRole("button", { name: "发布公示" }).click();
  await expect(page.getByRole("status")).toContainText("公示已发布", slow);
  const row = page.getByTestId("disclosure-row").filter({ hasText: `（${t}）` });
  const link = await row.getByTestId("public-link").getAttribute("href");
  expect(link).toMatch(/^\/public\/rectification\/[a-f0-9]{24}$/);
  await screenshot(page, "rectification-disclosure-office");

  // A visitor with no login at all (not even the test's stored one).
  const anon = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const visitor = await anon.newPage();
  const response = await visitor.goto(link!);
  expect(response?.status()).toBe(200);
  expect(response?.headers()["x-frame-options"]).toBe("DENY");
  expect(response?.headers()["cache-control"]).toBe("no-store");
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText(`关于${UNIT}巡察整改情况的公示（${t}）`);
  await expect(visitor.getByText(UNIT, { exact: true })).toBeVisible();
  await expect(visitor.getByText("哈尔滨市委巡察办", { exact: true })).toBeVisible();
  await expect(visitor.getByTestId("public-rate")).toHaveText(/^\d+\.\d{2}%$/);
  await expect(visitor.getByTestId("public-category").first()).toBeVisible();
  await expect(visitor.getByTestId("active-org")).toHaveCount(0);
  const text = await visitor.locator("body").innerText();
  for (const name of names) expect(text, `the public page names ${name}`).not.toContain(name);
  await screenshot(visitor, "rectification-public");

  // Unknown and malformed slugs: a Chinese 404.
  for (const path of ["/public/rectification/0123456789abcdef0123abcd", "/public/rectification/NOT-A-SLUG"]) {
    const r = await visitor.goto(path);
    expect(r?.status()).toBe(404);
    await expect(visitor.getByText("该公示不存在或已撤回。")).toBeVisible();
  }
  await screenshot(visitor, "rectification-public-not-found");

  // Withdrawn: gone for the public too.
  await row.getByRole("button", { name: "撤回公示" }).click();
  await expect(page.getByRole("status")).toContainText("公示已撤回", slow);
  await expect(page.getByTestId("disclosure-row").filter({ hasText: `（${t}）` })).toContainText("已撤回");
  const gone = await visitor.goto(link!);
  expect(gone?.status()).toBe(404);
  await expect(visitor.getByText("该公示不存在或已撤回。")).toBeVisible();
  await anon.close();
});
