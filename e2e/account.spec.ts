import { test } from "@playwright/test";
import { expect, login, PASSWORD, screenshot } from "./fixtures";

// Accounts of their own (not used by other specs), so the changes here disturb nothing.

test("a user changes the password: wrong current and weak new passwords are refused in Chinese", async ({ page }, testInfo) => {
  // Two logins and three submissions; the first spec of a run meets a cold server on a shared machine.
  testInfo.setTimeout(90_000);
  const next = "Longjiang#2027a";
  await login(page, "hlj.leader@xunlian.local");
  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "修改密码" }).click();
  await expect(page.getByRole("heading", { name: "修改密码" })).toBeVisible();

  await page.getByLabel("当前密码").fill(PASSWORD);
  await page.getByLabel("新密码", { exact: true }).fill("short");
  await page.getByLabel("确认新密码").fill("short");
  await page.getByRole("button", { name: "保存新密码" }).click();
  await expect(page.getByText("至少 10 位，须同时包含大写字母、小写字母、数字和符号").last()).toBeVisible();

  await page.getByLabel("当前密码").fill("Not-the-password1");
  await page.getByLabel("新密码", { exact: true }).fill(next);
  await page.getByLabel("确认新密码").fill(next);
  await page.getByRole("button", { name: "保存新密码" }).click();
  await expect(page.getByText("当前密码不正确")).toBeVisible();
  await screenshot(page, "password-wrong-current");

  await page.getByLabel("当前密码").fill(PASSWORD);
  await page.getByLabel("新密码", { exact: true }).fill(next);
  await page.getByLabel("确认新密码").fill(next);
  await page.getByRole("button", { name: "保存新密码" }).click();
  await expect(page.getByRole("status")).toContainText("密码已修改");

  await page.getByRole("button", { name: "退出登录" }).click();
  await login(page, "hlj.leader@xunlian.local", next);
  await expect(page.getByTestId("active-org")).toContainText("黑龙江省委巡视办");
});

test("five wrong passwords in a row lock the account, in Chinese", async ({ page }) => {
  await page.goto("/login");
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("账号（邮箱）").fill("qqhr.director@xunlian.local");
    await page.getByLabel("密码").fill(`wrong-${i}`);
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.getByRole("alert")).toBeVisible();
  }
  await expect(page.getByRole("alert")).toContainText("账号已锁定");
  // Even the right password is refused while locked.
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toContainText("账号已锁定");
  await screenshot(page, "login-locked");
});
