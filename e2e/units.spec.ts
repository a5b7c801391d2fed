import { as, expect, screenshot } from "./fixtures";

as("county")("county staff create, edit and deactivate a unit, with Chinese field errors", async ({ page }) => {
  const name = `道里区测试单位${Date.now()}`;
  await page.goto("/units");
  await page.getByRole("link", { name: "新增对象" }).click();

  // Bad input: a clear Chinese message and nothing written.
  await page.getByLabel("单位名称").fill("测");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("单位名称应为 2 至 100 个字")).toBeVisible();
  await expect(page.getByText("请选择类别")).toBeVisible();
  await screenshot(page, "county-unit-form-errors");

  await page.getByLabel("单位名称").fill(name);
  await page.getByLabel("类别").selectOption({ label: "县直单位" });
  await page.getByLabel("主要负责人管理层级").selectOption({ label: "县管干部" });
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("巡察对象已新增");
  await expect(page.getByRole("heading", { name })).toBeVisible();

  // A duplicate name is refused by the database and reported on the field, input kept.
  await page.goto("/units/new");
  await page.getByLabel("单位名称").fill(name);
  await page.getByLabel("类别").selectOption({ label: "县直单位" });
  await page.getByLabel("主要负责人管理层级").selectOption({ label: "县管干部" });
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("本机构已有同名的巡察对象")).toBeVisible();
  await expect(page.getByLabel("单位名称")).toHaveValue(name);

  await page.goto(`/units?q=${encodeURIComponent(name)}`);
  await page.getByRole("link", { name }).click();
  await page.getByRole("link", { name: "编辑" }).click();
  await page.getByLabel("单位名称").fill(`${name}（更名）`);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("巡察对象已保存");
  await page.getByRole("button", { name: "停用" }).click();
  await expect(page.getByRole("status")).toContainText("巡察对象已停用");
  await expect(page.getByText("已停用", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "重新启用" })).toBeVisible();
  await screenshot(page, "county-unit-detail");
});

as("province")("the province reads a county's unit but cannot edit it", async ({ page }) => {
  await page.goto("/units?level=county");
  await page.getByTestId("unit-row").first().getByRole("link").click();
  await expect(page.getByText("您对该对象只有查看权限。")).toBeVisible();
  await expect(page.getByRole("link", { name: "编辑" })).toHaveCount(0);
});
