import { test } from "@playwright/test";
import { expect, login, PASSWORD, screenshot } from "./fixtures";

test("logout revokes the session: the old cookie no longer opens any page", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, "hrb.director@xunlian.local");
  const saved = await context.cookies();
  expect(saved.find((c) => c.name === "xl_session")?.httpOnly).toBe(true);

  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page.getByText("已安全退出。")).toBeVisible();

  // Replay the stolen cookie in a fresh browser: the JWT is still signed, but the session row is gone.
  const replay = await browser.newContext();
  await replay.addCookies(saved);
  const replayPage = await replay.newPage();
  await replayPage.goto("/units");
  await expect(replayPage).toHaveURL(/\/login/);
  await expect(replayPage.getByRole("button", { name: "登录" })).toBeVisible();
  await context.close();
  await replay.close();
});

test("a wrong password is refused in Chinese and the e-mail is kept", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("账号（邮箱）").fill("daoli.staff@xunlian.local");
  await page.getByLabel("密码").fill(`${PASSWORD}-wrong`);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toContainText("账号或密码错误");
  await expect(page.getByLabel("账号（邮箱）")).toHaveValue("daoli.staff@xunlian.local");
  await screenshot(page, "login-error");
});

test("a person with two memberships switches the active office and the scope follows", async ({ page }) => {
  await login(page, "hrb.director@xunlian.local");
  await page.goto("/orgs");
  await expect(page.getByTestId("org-row")).toHaveCount(19);
  await page.getByRole("button", { name: "切换机构" }).click();
  await page.getByRole("menuitem", { name: /黑龙江省委巡视办/ }).click();
  await expect(page.getByTestId("active-org")).toContainText("黑龙江省委巡视办");
  await expect(page.getByTestId("org-row")).toHaveCount(140);
  await screenshot(page, "city-director-switched");
});
