import { as, expect, screenshot, storageState } from "./fixtures";

as("city")("a city office adds a cadre to its pool, records a conflict, and sees the rotation warning", async ({ page }) => {
  await page.goto("/cadres");
  await expect(page.getByTestId("cadre-row").first()).toBeVisible();
  await page.getByRole("link", { name: "新增干部" }).click();

  // Nothing chosen: Chinese messages, input kept.
  await page.getByLabel("姓名").fill("测");
  await page.getByLabel("人才库").uncheck();
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("请填写姓名（2 至 40 个字）")).toBeVisible();
  await expect(page.getByText("请至少选择一个库")).toBeVisible();

  const name = `测试干部${Date.now() % 100000}`;
  await page.getByLabel("姓名").fill(name);
  await page.getByLabel("工作单位").fill("哈尔滨市审计局");
  await page.getByLabel("组长库").check();
  await page.getByLabel("审计").check();
  await page.getByLabel("首次从事巡视巡察工作日期").fill("2019-03-01");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("干部已新增");
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByRole("note")).toContainText("应轮岗交流");

  const form = page.getByRole("form", { name: "登记回避" });
  await form.getByLabel("回避单位").selectOption({ index: 1 });
  await form.getByLabel("回避原因").selectOption({ label: "近亲属在该单位任职" });
  await form.getByRole("button", { name: "登记回避" }).click();
  await expect(page.getByRole("status")).toContainText("回避情形已登记");
  await expect(page.getByTestId("conflict-row")).toHaveCount(1);
  // The same conflict again is refused on the field.
  await form.getByLabel("回避单位").selectOption({ index: 1 });
  await form.getByLabel("回避原因").selectOption({ label: "近亲属在该单位任职" });
  await form.getByRole("button", { name: "登记回避" }).click();
  await expect(page.getByText("该回避情形已登记")).toBeVisible();
  await expect(page.getByRole("status")).toHaveCount(0);
  await screenshot(page, "city-cadre-detail");
});

as("county")("a county reads only its own pool; the province reads it but cannot edit", async ({ page, browser }) => {
  await page.goto("/cadres");
  const orgs = new Set(await page.getByTestId("cadre-row").locator("td:nth-child(5)").allInnerTexts());
  expect([...orgs]).toEqual(["道里区委巡察办"]);
  await expect(page.getByTestId("cadres-total")).toHaveText("共 26 人"); // 25 in the pool, plus 韩丽娟 (daoli.member), a cadre with an account
  await page.getByTestId("cadre-row").first().getByRole("link").click();
  await expect(page).toHaveURL(/\/cadres\/\d+$/);
  const url = page.url();

  const province = await browser.newContext({ storageState: storageState("province") });
  const p = await province.newPage();
  await p.goto(url);
  await expect(p.getByText("您对该干部信息只有查看权限。")).toBeVisible();
  await expect(p.getByRole("form", { name: "登记回避" })).toHaveCount(0);
  await p.goto("/cadres");
  await screenshot(p, "province-cadres");

  const sibling = await browser.newContext({ storageState: storageState("countyB") });
  const s = await sibling.newPage();
  expect((await s.goto(url))?.status()).toBe(404);
  await province.close();
  await sibling.close();
});
