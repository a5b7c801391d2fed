import { expect, test as base, type Page } from "@playwright/test";

export const PASSWORD = "Xunlian@2026";

/** One demo account per role; the setup project logs each in once and stores its state. */
export const ROLES = {
  province: { email: "hlj.director@xunlian.local", org: "黑龙江省委巡视办" },
  city: { email: "hrb.director@xunlian.local", org: "哈尔滨市委巡察办" },
  county: { email: "daoli.staff@xunlian.local", org: "道里区委巡察办" },
  countyB: { email: "nangang.staff@xunlian.local", org: "南岗区委巡察办" },
  otherProvince: { email: "zj.director@xunlian.local", org: "浙江省委巡视办" },
  systemAdmin: { email: "sysadmin@xunlian.local", org: "黑龙江省委巡视办" },
  auditAdmin: { email: "auditor@xunlian.local", org: "黑龙江省委巡视办" },
  cityMember: { email: "hrb.member@xunlian.local", org: "哈尔滨市委巡察办" },
  countyMember: { email: "daoli.member@xunlian.local", org: "道里区委巡察办" },
  unitContact: { email: "hrb.unit@xunlian.local", org: "哈尔滨市委巡察办" },
  unitHead: { email: "hrb.unithead@xunlian.local", org: "哈尔滨市委巡察办" },
  cityPartner: { email: "hrb.jiwei@xunlian.local", org: "哈尔滨市纪委监委" },
} as const;
export type RoleName = keyof typeof ROLES;

/** Per server port, so several e2e runs on one machine never share logins. */
export const storageState = (role: RoleName) => `e2e/.auth/${process.env.E2E_PORT ?? 3100}/${role}.json`;

export async function login(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("账号（邮箱）").fill(email);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  // The first page after login can take a while on a busy machine (the province's home rolls up its figures).
  await expect(page.getByTestId("active-org")).toBeVisible({ timeout: 30_000 });
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

/** A test running as one role, with that role's stored login. */
export function as(role: RoleName) {
  return base.extend({ storageState: storageState(role) });
}

export { expect };
