import type { Page } from "@playwright/test";
import { as, expect, screenshot } from "./fixtures";
import { open, openEngagement, suffix } from "./patrol";

/**
 * Problem leads (问题线索), from registration to the receiving body's handling: 哈尔滨's
 * office registers two leads from problems of a municipal unit's list and transfers one
 * to 哈尔滨市纪委监委; hrb.jiwei finds it in his inbox, reveals the person concerned
 * (audited) and records 初核 and 立案 with one person sanctioned; the office sees the
 * handling but not the person. The partner cannot open the lead that was not transferred,
 * nor any engagement or petition; the auditor sees the office's reads.
 */

const UNIT = "哈尔滨市体育局";
const PARTNER = "哈尔滨市纪委监委";

async function registerLead(page: Page, summary: string, person: string, option: number) {
  const form = page.getByRole("form", { name: "登记问题线索" });
  await form.getByLabel("巡察发现的问题").check();
  const select = form.getByLabel("选择问题");
  const value = await select.locator("option").nth(option).getAttribute("value");
  await select.selectOption(value!);
  await form.getByLabel("线索摘要").fill(summary);
  await form.getByLabel("被反映人姓名").fill(person);
  await form.getByLabel("职务").fill("副局长");
  await form.getByLabel("干部管理层级").selectOption({ label: "市管干部" });
  await form.getByRole("button", { name: "登记线索" }).click();
  await expect(page.getByRole("status")).toContainText("问题线索已登记");
  const row = page.getByTestId("lead-row").filter({ hasText: summary });
  await expect(row).toHaveCount(1);
  return row;
}

as("city")("the office registers and transfers a lead; the 纪委监委 handles it; each sees only what is his", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(240_000);
  const s = suffix();
  const summaryA = `以会议费名义违规发放津贴补贴，涉及资金较大（测试${s}甲）`;
  const summaryB = `违规接受管理服务对象宴请（测试${s}乙）`;
  const personA = `郝某${s}`;

  // The engagement, its petitions (for the partner's 404 later) and its leads page.
  const engagementUrl = await openEngagement(page, UNIT);
  await page.getByRole("link", { name: /信访举报/ }).first().click();
  const petitionHref = await page.getByTestId("petition-row").first().getByRole("link").getAttribute("href");
  expect(petitionHref).toMatch(/^\/petitions\/\d+$/);
  await page.goto(engagementUrl);
  await page.getByTestId("section-leads").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${UNIT} · 问题线索`);

  // Bad input: no person concerned, no summary; Chinese messages, nothing saved, what was typed kept.
  const before = await page.getByTestId("lead-row").count();
  const form = page.getByRole("form", { name: "登记问题线索" });
  await form.getByLabel("线索摘要").fill("短");
  await form.getByRole("button", { name: "登记线索" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "请填写被反映人姓名（不超过 40 字）" })).toBeVisible();
  await expect(form.getByRole("alert").filter({ hasText: "请填写线索摘要（2 至 5000 字）" })).toBeVisible();
  await expect(form.getByRole("alert").filter({ hasText: "请选择线索所依据的问题" })).toBeVisible();
  await expect(form.getByLabel("线索摘要")).toHaveValue("短");
  await expect(page.getByTestId("lead-row")).toHaveCount(before);
  await screenshot(page, "leads-register-errors");

  // Two leads from two problems of the list; the list never shows who they concern.
  const rowA = await registerLead(page, summaryA, personA, 1);
  await registerLead(page, summaryB, `钱某${s}`, 2);
  await expect(rowA).toContainText("未移交");
  await expect(page.getByRole("table", { name: "问题线索" })).not.toContainText(personA);
  const leadA = await rowA.getByRole("link").first().getAttribute("href");
  const leadB = await page.getByTestId("lead-row").filter({ hasText: summaryB }).getByRole("link").first().getAttribute("href");
  expect(leadA).toMatch(/^\/leads\/\d+$/);

  // Transfer A to the city's 纪委监委 (only the partners of this office are offered).
  await rowA.getByRole("link", { name: /^移交/ }).click();
  const transfer = page.getByTestId("transfer-card");
  await expect(transfer.getByLabel("接收单位").locator("option")).toHaveText(["请选择接收单位", "哈尔滨市纪委监委", "哈尔滨市委组织部"]);
  await transfer.getByLabel("接收单位").selectOption({ label: PARTNER });
  await transfer.getByLabel("移交文号").fill(`哈巡移〔2026〕${s}号`);
  await screenshot(page, "leads-transfer");
  await transfer.getByRole("button", { name: "确认移交" }).click();
  await expect(page.getByRole("status")).toContainText(`线索已移交${PARTNER}`);
  await expect(rowA).toContainText(PARTNER);
  await expect(rowA).toContainText("已移交");
  await expect(rowA.getByRole("link", { name: /^移交/ })).toHaveCount(0);
  await screenshot(page, "leads-engagement");

  // The partner's inbox: what was transferred to him, newest first, the unhandled marked.
  const partner = await open(browser, "cityPartner");
  await partner.goto("/leads");
  await expect(partner.getByRole("heading", { level: 1 })).toHaveText("问题线索");
  const inboxRow = partner.getByTestId("lead-row").filter({ hasText: summaryA });
  await expect(inboxRow).toHaveCount(1);
  await expect(inboxRow.getByTestId("lead-unhandled")).toHaveText("待处置");
  await expect(inboxRow).toContainText("哈尔滨市委巡察办");
  await expect(partner.getByRole("table", { name: "问题线索" })).not.toContainText(personA);
  await expect(partner.getByTestId("lead-row").filter({ hasText: summaryB })).toHaveCount(0);
  const transferDates = await partner.getByTestId("lead-row").evaluateAll((rows) =>
    rows.map((r) => (r.querySelectorAll("td")[4] as HTMLElement | undefined)?.innerText ?? ""));
  expect(transferDates.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
  expect([...transferDates].sort().reverse()).toEqual(transferDates);
  // Only what waits for him: every row marked, ours among them.
  await partner.getByRole("radio", { name: /^待处置/ }).click();
  await expect(inboxRow).toHaveCount(1);
  const waiting = partner.getByTestId("lead-row");
  expect(await waiting.count()).toBe(await partner.getByTestId("lead-unhandled").count());
  // The inbox is long: the top of it is what a user sees first.
  await partner.screenshot({ path: "e2e/screenshots/leads-partner-inbox.png" });

  // He opens it, reveals the person concerned, and records 初核 then 立案.
  await inboxRow.getByRole("link").first().click();
  await expect(partner).toHaveURL(new RegExp(`${leadA}$`));
  await expect(partner.getByTestId("lead-person-restricted")).toBeVisible();
  await expect(partner.getByText(personA)).toHaveCount(0);
  await partner.getByRole("button", { name: "查看被反映人信息" }).click();
  await expect(partner.getByTestId("lead-person")).toContainText(personA);
  await expect(partner.getByTestId("lead-person")).toContainText("副局长");
  await expect(partner.getByTestId("lead-person")).toContainText("市管干部");
  await screenshot(partner, "leads-partner-person");

  const handle = partner.getByRole("form", { name: "登记处置情况" });
  // Bad input first: a date before the transfer.
  await handle.getByLabel("处置环节").selectOption({ label: "初核" });
  await handle.getByLabel("日期").fill("2020-01-01");
  await handle.getByLabel("情况说明").fill("已启动初步核实。");
  await handle.getByRole("button", { name: "登记处置情况" }).click();
  await expect(handle.getByRole("alert").filter({ hasText: /处置日期不能早于移交日期/ })).toBeVisible();
  await expect(handle.getByLabel("情况说明")).toHaveValue("已启动初步核实。");
  const today = await handle.getByLabel("日期").getAttribute("max");
  await handle.getByLabel("日期").fill(today!);
  await handle.getByRole("button", { name: "登记处置情况" }).click();
  await expect(partner.getByRole("status")).toContainText("已登记处置情况：初核");
  await expect(partner.getByTestId("handling-row")).toHaveCount(1);
  // The person is shown once only, on request: gone after the next page load.
  await expect(partner.getByText(personA)).toHaveCount(0);

  const handle2 = partner.getByRole("form", { name: "登记处置情况" });
  await handle2.getByLabel("处置环节").selectOption({ label: "立案" });
  await handle2.getByLabel("情况说明").fill("经初核，决定立案审查。");
  await handle2.getByLabel("党纪政务处分（人）").fill("1");
  await handle2.getByRole("button", { name: "登记处置情况" }).click();
  await expect(partner.getByRole("status")).toContainText("已登记处置情况：立案");
  await expect(partner.getByTestId("handling-row")).toHaveCount(2);
  await expect(partner.getByTestId("lead-outcome")).toHaveText("党纪政务处分 1 人");
  await screenshot(partner, "leads-partner-handled");

  // His inbox no longer marks it.
  await partner.goto("/leads");
  await expect(inboxRow.getByTestId("lead-unhandled")).toHaveCount(0);
  await expect(inboxRow).toContainText("立案");

  // What is not his: the lead not transferred, any engagement, any petition.
  const denied = await partner.goto(leadB!);
  expect(denied?.status()).toBe(404);
  await expect(partner.getByTestId("error-404")).toBeVisible();
  const engagements = await partner.goto("/engagements");
  expect([403, 404]).toContain(engagements?.status());
  await expect(partner.getByTestId("engagement-row")).toHaveCount(0);
  const engagement = await partner.goto(engagementUrl);
  expect(engagement?.status()).toBe(404);
  const petition = await partner.goto(petitionHref!);
  expect(petition?.status()).toBe(404);
  await expect(partner.getByRole("link", { name: "巡察任务" })).toHaveCount(0);
  await partner.context().close();

  // The office sees the handling, but not the person (no view_lead_person).
  await page.goto(leadA!);
  await expect(page.getByTestId("handling-row")).toHaveCount(2);
  await expect(page.getByTestId("handling-row").nth(0)).toContainText("初核");
  await expect(page.getByTestId("handling-row").nth(1)).toContainText("立案");
  await expect(page.getByTestId("lead-outcome")).toHaveText("党纪政务处分 1 人");
  await expect(page.getByTestId("lead-person-restricted")).toBeVisible();
  await expect(page.getByRole("button", { name: "查看被反映人信息" })).toHaveCount(0);
  await expect(page.getByText(personA)).toHaveCount(0);
  await screenshot(page, "leads-office-detail");

  // The office's list across engagements shows it too.
  await page.goto("/leads");
  await expect(page.getByTestId("lead-row").filter({ hasText: summaryA })).toContainText(UNIT);

  // The auditor sees the reads, the transfer and the registrations.
  const auditor = await open(browser, "auditAdmin");
  await auditor.goto("/audit?action=lead.read");
  await expect(auditor.getByTestId("audit-row").first()).toContainText("查看问题线索");
  await expect(auditor.getByTestId("audit-row").filter({ hasText: "哈尔滨市委巡察办" }).first()).toContainText("问题线索");
  await screenshot(auditor, "leads-audit");
  await auditor.goto("/audit?action=lead.transfer");
  await expect(auditor.getByTestId("audit-row").filter({ hasText: "移交问题线索" }).first()).toContainText("哈尔滨市委巡察办");
  await auditor.context().close();
});

as("cityMember")("a group member registers a lead from a petition of his group's engagement but cannot transfer it", async ({ page }, testInfo) => {
  testInfo.setTimeout(90_000);
  const s = suffix();
  const summary = `反映工程项目未经公开招标（组员登记${s}）`;
  await page.goto("/engagements");
  const link = page.getByTestId("engagement-row").getByRole("link", { name: "道里区纪委监委机关" }).first();
  await link.click();
  await page.getByTestId("section-leads").click();
  const form = page.getByRole("form", { name: "登记问题线索" });
  await form.getByLabel("信访举报", { exact: true }).check();
  const select = form.getByLabel("信访举报登记号");
  await select.selectOption((await select.locator("option").nth(1).getAttribute("value"))!);
  await form.getByLabel("线索摘要").fill(summary);
  await form.getByLabel("被反映人姓名").fill(`孙某${s}`);
  await form.getByRole("button", { name: "登记线索" }).click();
  await expect(page.getByRole("status")).toContainText("问题线索已登记");
  const row = page.getByTestId("lead-row").filter({ hasText: summary });
  await expect(row).toContainText("信访举报");
  await expect(row).toContainText("未移交");
  await expect(page.getByRole("link", { name: /^移交/ })).toHaveCount(0);
  await screenshot(page, "leads-member");
  // Nor by URL: the form is not offered, and a posted transfer is refused.
  const url = page.url();
  await page.goto(`${url}?transfer=${(await row.getByRole("link").first().getAttribute("href"))!.split("/").pop()}`);
  await expect(page.getByTestId("transfer-card")).toHaveCount(0);
  await page.goto(`${(await row.getByRole("link").first().getAttribute("href"))!}`);
  await expect(page.getByRole("button", { name: "查看被反映人信息" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "移交" })).toHaveCount(0);
});

as("systemAdmin")("查阅线索被反映人信息 is granted per membership; its holder reveals a lead's person (audited); revoked, the button is gone", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  await page.goto("/memberships");
  const row = page.getByTestId("membership-row")
    .and(page.locator('[data-email="hlj.director@xunlian.local"][data-role="office_director"]'));
  await row.getByRole("button", { name: "授予查阅线索被反映人信息" }).click();
  await expect(page.getByRole("status")).toContainText("已向 王建国 授予“查阅线索被反映人信息”权限");
  await expect(row.getByRole("button", { name: "撤销查阅线索被反映人信息" })).toBeVisible();
  // The reporter permission he already holds is untouched.
  await expect(row.getByRole("button", { name: "撤销查看举报人身份" })).toBeVisible();
  await screenshot(page, "leads-memberships-grant");

  // The province director now reveals the person of a lead of his subtree.
  const province = await open(browser, "province");
  await province.goto("/leads");
  await province.getByTestId("lead-row").first().getByRole("link").first().click();
  await expect(province.getByTestId("lead-person-restricted")).toBeVisible();
  await province.getByRole("button", { name: "查看被反映人信息" }).click();
  await expect(province.getByTestId("lead-person")).toContainText("被反映人姓名");
  const leadUrl = province.url();

  // Revoked: at once, no button any more.
  await row.getByRole("button", { name: "撤销查阅线索被反映人信息" }).click();
  await expect(page.getByRole("status")).toContainText("已撤销 王建国 的“查阅线索被反映人信息”权限");
  await province.goto(leadUrl);
  await expect(province.getByTestId("lead-person-restricted")).toBeVisible();
  await expect(province.getByRole("button", { name: "查看被反映人信息" })).toHaveCount(0);
  await province.context().close();

  // The reveal is on the audit trail.
  const auditor = await open(browser, "auditAdmin");
  await auditor.goto("/audit?action=lead.person.read");
  const reveal = auditor.getByTestId("audit-row").filter({ hasText: "王建国" }).first();
  await expect(reveal).toContainText("查看线索被反映人信息");
  await expect(reveal).toContainText("成功");
  await auditor.context().close();
});
