import type { Page } from "@playwright/test";
import { as, expect, screenshot } from "./fixtures";
import { open, openEngagement, suffix } from "./patrol";

/**
 * Shared results (成果共享): 哈尔滨's office grants 哈尔滨市纪委监委 access to one
 * engagement's problem list; hrb.jiwei finds the notice in 待办, opens it and sees exactly
 * those problems; the office revokes; the partner's page now says the share is revoked and
 * his list no longer has it; the office sees each of his reads (allowed and refused).
 * Then 巡前通报: the office records what it asked its 纪委监委 before a round and the reply.
 * Every run makes its own grant and briefing (the e2e database is shared).
 */

const UNIT = "哈尔滨市体育局";
const PARTNER = "哈尔滨市纪委监委";
const slow = { timeout: 30_000 };

/** "第 N 号 title" of every problem of a list (the office's or the partner's view), in 问题编号 order. */
async function problemList(page: Page, rowTestId: string): Promise<string[]> {
  const rows = page.getByTestId(rowTestId);
  await expect(rows.first()).toBeVisible(slow);
  const out: { seq: number; line: string }[] = [];
  for (const row of await rows.all()) {
    const seq = (await row.getByRole("cell").first().innerText()).trim();
    const title = (await row.getByRole("rowheader").innerText()).split("\n")[0].trim();
    out.push({ seq: Number(seq.replace(/\D/g, "")), line: `${seq} ${title}` });
  }
  return out.sort((a, b) => a.seq - b.seq).map((x) => x.line);
}

as("city")("the office shares a problem list with its 纪委监委, who reads exactly it until it is revoked; every read is listed", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(240_000);
  const s = suffix();
  const note = `配合开展专项监督，请注意保密（测试${s}）`;

  // The engagement and its problem list, as the office sees them.
  const engagementUrl = await openEngagement(page, UNIT);
  const engagementId = engagementUrl.match(/\/engagements\/(\d+)$/)![1];
  await page.goto(`${engagementUrl}/problems`);
  const titles = await problemList(page, "problem-row");
  expect(titles.length).toBeGreaterThan(0);

  // The grant form, with the engagement preselected from the link.
  await page.goto(`/sharing?engagement=${engagementId}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("成果共享");
  const form = page.getByRole("form", { name: "新增共享" });
  await expect(form.getByLabel("问题清单")).toBeChecked();
  await expect(form.getByLabel("巡察任务")).toHaveValue(engagementId);
  await expect(form.getByLabel("共享对象（监督单位）").locator("option")).toHaveText(["请选择监督单位", PARTNER, "哈尔滨市委组织部"]);

  // Bad input: no partner, an expiry beyond a year; Chinese messages, nothing saved, what was typed kept.
  const before = await page.getByTestId("grant-row").count();
  const expires = await form.getByLabel("有效期至").inputValue();
  expect(expires).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await form.getByLabel("共享说明（可选）").fill(note);
  await form.getByLabel("有效期至").fill("2099-01-01");
  await form.getByRole("button", { name: "确认共享" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "请选择共享对象" })).toBeVisible();
  await expect(form.getByRole("alert").filter({ hasText: /有效期最长一年/ })).toBeVisible();
  await expect(form.getByLabel("共享说明（可选）")).toHaveValue(note);
  await expect(page.getByTestId("grant-row")).toHaveCount(before);

  // The grant: 30 days by default.
  await form.getByLabel("有效期至").fill(expires);
  await form.getByLabel("共享对象（监督单位）").selectOption({ label: PARTNER });
  await form.getByRole("button", { name: "确认共享" }).click();
  await expect(page.getByRole("status")).toContainText(`已向${PARTNER}共享，对方已收到通知。`, slow);
  const row = page.getByTestId("grant-row").filter({ hasText: note });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(PARTNER);
  await expect(row).toContainText("问题清单");
  await expect(row).toContainText(UNIT);
  await expect(row.getByTestId("grant-status")).toHaveText("有效");
  await expect(row).toContainText("尚未查阅");
  const grantId = await row.getAttribute("data-grant-id");
  expect(grantId).toMatch(/^\d+$/);
  await screenshot(page, "sharing-office");

  // The partner: the notice in 待办, then exactly the engagement's problems.
  const partner = await open(browser, "cityPartner");
  await partner.goto("/inbox");
  const notice = partner.getByTestId("notice").filter({ has: partner.locator(`a[href="/shared/${grantId}"]`) });
  await expect(notice).toHaveCount(1);
  await expect(notice).toContainText("哈尔滨市委巡察办向本单位共享了巡察成果");
  await expect(notice).toContainText(`问题清单，有效期至 ${expires}`);
  await notice.getByRole("link").click();
  await expect(partner).toHaveURL(new RegExp(`/shared/${grantId}$`));
  await expect(partner.getByRole("heading", { level: 1 })).toContainText(UNIT, slow);
  await expect(partner.getByRole("heading", { level: 1 })).toContainText("问题清单");
  await expect(partner.getByTestId("shared-count")).toHaveText(`共 ${titles.length} 个问题`);
  await expect(partner.getByTestId("shared-problem")).toHaveCount(titles.length);
  expect(await problemList(partner, "shared-problem"), "exactly the engagement's problems").toEqual(titles);
  await expect(partner.getByText(note)).toBeVisible();
  await screenshot(partner, "sharing-partner");
  await partner.goto("/shared");
  await expect(partner.locator(`a[href="/shared/${grantId}"]`)).toHaveCount(1);
  await screenshot(partner, "sharing-partner-list");
  // Nothing of the office's own pages is his.
  for (const path of ["/sharing", `${new URL(engagementUrl).pathname}/problems`]) {
    await partner.goto(path);
    await expect(partner.getByTestId(/^error-40[34]$/)).toBeVisible();
  }

  // The office revokes, behind a confirmation.
  await page.goto("/sharing");
  const revokeRow = page.locator(`[data-testid="grant-row"][data-grant-id="${grantId}"]`);
  await expect(revokeRow).toContainText("查阅 1 次");
  await revokeRow.getByRole("button", { name: /^撤销/ }).click();
  const dialog = page.getByRole("alertdialog", { name: "撤销共享" });
  await expect(dialog).toContainText(`撤销后，${PARTNER}将立即无法查阅`);
  await dialog.getByRole("button", { name: "取消" }).click();
  await expect(dialog).toBeHidden();
  await expect(revokeRow.getByTestId("grant-status")).toHaveText("有效");
  await revokeRow.getByRole("button", { name: /^撤销/ }).click();
  await page.getByRole("alertdialog", { name: "撤销共享" }).getByRole("button", { name: "确认撤销" }).click();
  await expect(page.getByRole("status")).toContainText(`已撤销对${PARTNER}的共享。`, slow);
  await expect(revokeRow.getByTestId("grant-status")).toHaveText("已撤销");
  await expect(revokeRow.getByRole("button", { name: /^撤销/ })).toHaveCount(0);

  // The partner: revoked at once, and gone from his list.
  const gone = await partner.goto(`/shared/${grantId}`);
  expect(gone?.status()).toBe(404);
  await expect(partner.getByRole("heading", { level: 1 })).toHaveText("该共享已撤销或已过期");
  await expect(partner.getByTestId("shared-problem")).toHaveCount(0);
  await screenshot(partner, "sharing-partner-revoked");
  await partner.goto("/shared");
  await expect(partner.getByRole("heading", { level: 1 })).toHaveText("共享成果");
  await expect(partner.locator(`a[href="/shared/${grantId}"]`)).toHaveCount(0);
  await partner.context().close();

  // The office: both reads listed, the allowed one and the refused one, by name.
  await page.goto("/sharing?status=revoked");
  await expect(revokeRow).toContainText("查阅 2 次");
  await revokeRow.getByTestId("grant-accesses").locator("summary").click();
  const accesses = revokeRow.getByTestId("grant-access");
  await expect(accesses).toHaveCount(2);
  await expect(accesses.nth(0)).toContainText("冯国庆");
  await expect(accesses.nth(0)).toContainText("被拒绝");
  await expect(accesses.nth(1)).toContainText("查阅成功");
  await screenshot(page, "sharing-office-accesses");
});

as("city")("巡前通报: the office records what it asked its 纪委监委 before a round, and the reply", async ({ page }, testInfo) => {
  testInfo.setTimeout(120_000);
  const s = suffix();
  const request = `请提供被巡察单位领导班子成员近三年问题线索处置情况（测试${s}）`;
  const reply = `经查，暂无相关问题线索（测试${s}）`;

  await page.goto("/sharing?tab=briefings");
  await expect(page.getByRole("table", { name: "各轮次巡前通报" })).toBeVisible(slow);
  await page.getByTestId("briefing-round").first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("巡前通报");

  const form = page.getByRole("form", { name: "登记征询" });
  await form.getByRole("button", { name: "登记征询" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "请选择征询对象" })).toBeVisible();
  await expect(form.getByRole("alert").filter({ hasText: "请填写征询内容（2 至 5000 字）" })).toBeVisible();
  await form.getByLabel("征询对象（监督单位）").selectOption({ label: PARTNER });
  await form.getByLabel("征询内容").fill(request);
  await form.getByRole("button", { name: "登记征询" }).click();
  await expect(page.getByRole("status")).toContainText(`已登记向${PARTNER}的征询。`, slow);
  const card = page.getByTestId("briefing").filter({ hasText: request });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText("尚未回复");

  const replyForm = card.getByRole("form", { name: `登记回复：${PARTNER}` });
  await replyForm.getByLabel("回复内容").fill(reply);
  await replyForm.getByRole("button", { name: "登记回复" }).click();
  await expect(page.getByRole("status")).toContainText(`已登记${PARTNER}的回复。`, slow);
  await expect(card.getByTestId("briefing-reply")).toHaveText(reply);
  await screenshot(page, "sharing-briefings");

  await page.goto("/sharing?tab=briefings");
  await screenshot(page, "sharing-briefings-rounds");
});
