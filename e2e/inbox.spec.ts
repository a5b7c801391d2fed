import type { Page } from "@playwright/test";
import { as, expect, screenshot } from "./fixtures";
import { open } from "./patrol";

/**
 * The to-do inbox (待办): the demo's deadline warnings for 哈尔滨市财政局's contacts, in
 * their colours, unread first; marking read takes the header's badge down.
 */

async function unreadBadge(page: Page): Promise<number> {
  const badge = page.getByTestId("unread-count");
  return (await badge.count()) ? Number(await badge.innerText()) : 0;
}

as("unitContact")("the unit contact's inbox shows the deadline warnings in colour, and marking one read takes the badge down", async ({ page }, testInfo) => {
  testInfo.setTimeout(120_000);
  await page.goto("/inbox");
  const before = await unreadBadge(page);
  expect(before).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId("inbox-unread")).toHaveText(`未读 ${before} 条`);

  const notices = page.getByTestId("notice");
  const level = (l: string) => notices.filter({ has: page.locator(`[data-testid="notice-level"][data-level="${l}"]`) });
  await expect(level("green").first()).toContainText("到期");
  await expect(level("green").first().getByTestId("notice-level")).toHaveText("绿");
  await expect(level("yellow").first().getByTestId("notice-level")).toHaveText("黄");
  await expect(level("yellow").first()).toContainText("即将到期");
  await expect(level("red").first().getByTestId("notice-level")).toHaveText("红");
  await expect(level("red").first()).toContainText("已逾期");
  await expect(level("info").first().getByTestId("notice-level")).toHaveText("通知");
  // Unread first: no unread notice after a read one.
  const states = await notices.evaluateAll((els) => els.map((e) => e.getAttribute("data-read")));
  expect(states.indexOf("1") === -1 || !states.slice(states.indexOf("1")).includes("0")).toBe(true);
  await screenshot(page, "inbox-unit");

  // Mark the green warning read: one fewer in the badge, and it moves among the read.
  const green = level("green").and(page.locator('[data-read="0"]')).first();
  const title = (await green.getByRole("link").first().innerText()).trim();
  await green.getByRole("button", { name: /标为已读/ }).click();
  await expect(page.getByRole("status")).toContainText("已标为已读", { timeout: 30_000 });
  await expect(page.getByTestId("unread-count")).toHaveText(String(before - 1));
  await expect(notices.filter({ hasText: title }).first()).toHaveAttribute("data-read", "1");

  // A notice links to its subject: the red warning opens its item.
  await level("red").first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/rectification\/items\/\d+$/);
  await expect(page.locator('[data-testid="deadline-colour"][data-colour="red"]')).toBeVisible();
});

as("unitHead")("全部标为已读 clears the badge, and one user cannot mark another's notice", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  await page.goto("/inbox");
  expect(await unreadBadge(page)).toBeGreaterThan(0);
  // The unit contact's own notice ids are not the head's to mark.
  const contact = await open(browser, "unitContact");
  await contact.goto("/inbox");
  const theirs = await contact.getByTestId("notice").locator('input[name="id"]').first().getAttribute("value");
  await contact.context().close();
  expect(theirs).toMatch(/^\d+$/);
  const response = await page.request.post("/inbox", { form: { intent: "read", id: theirs! } });
  expect(response.status()).toBe(404);
  await page.getByRole("button", { name: "全部标为已读" }).click();
  await expect(page.getByRole("status")).toContainText("已全部标为已读", { timeout: 30_000 });
  await expect(page.getByTestId("unread-count")).toHaveCount(0);
  await expect(page.getByTestId("inbox-unread")).toHaveText("未读 0 条");
  await expect(page.getByTestId("notice").and(page.locator('[data-read="0"]'))).toHaveCount(0);
  await screenshot(page, "inbox-head-all-read");
  // The contact's notices are untouched.
  const after = await open(browser, "unitContact");
  await after.goto("/inbox");
  expect(await unreadBadge(after)).toBeGreaterThan(0);
  await expect(after.getByTestId("notice").locator(`input[name="id"][value="${theirs}"]`)).toHaveCount(1);
  await after.context().close();
});
