import { as, expect, screenshot, storageState } from "./fixtures";

as("city")("a city director plans a round, submits it, approves it and stations it; each step is recorded", async ({ page }) => {
  await page.goto("/rounds");
  await page.getByRole("link", { name: "新建轮次" }).click();
  await expect(page.getByLabel("届次")).toHaveValue(/\d+/);
  // The next free number is proposed (other specs may have added rounds before this one).
  const number = await page.getByLabel("轮次序号").inputValue();
  expect(Number(number)).toBeGreaterThanOrEqual(7);

  // Bad input first: a special round without a theme, dates in the wrong order.
  await page.getByLabel("类型").selectOption({ label: "专项" });
  await page.getByLabel("计划进驻日期").fill("2026-12-20");
  await page.getByLabel("计划结束日期").fill("2026-12-01");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("专项巡视巡察须填写主题")).toBeVisible();
  await expect(page.getByText("结束日期不能早于进驻日期")).toBeVisible();

  await page.getByLabel("专项主题").fill("营商环境");
  await page.getByLabel("计划结束日期").fill("2027-01-30");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("轮次已新建");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`十五届市委第${number}轮`);

  for (const [button, status] of [["提交审定", "待审定"], ["审定通过", "已审定"], ["进驻", "进驻中"]] as const) {
    await page.getByRole("button", { name: button }).click();
    await expect(page.getByRole("status")).toContainText(`轮次状态已变更为“${status}”`);
  }
  const history = page.getByTestId("round-history");
  await expect(history).toHaveCount(4);
  await expect(history.last()).toContainText("进驻中");
  await expect(history.last()).toContainText("李明");
  // Approved plans are frozen.
  await expect(page.getByRole("link", { name: "编辑计划" })).toHaveCount(0);
  await screenshot(page, "city-round-detail");
});

as("county")("county staff submit a round but cannot approve it; the number in use is refused", async ({ page }) => {
  await page.goto("/rounds/new");
  await page.getByLabel("轮次序号").fill("1");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("该届次已有相同序号的轮次")).toBeVisible();
  await expect(page.getByLabel("轮次序号")).toHaveValue("1");

  await page.getByLabel("轮次序号").fill("3");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("轮次已新建");
  await page.getByRole("button", { name: "提交审定" }).click();
  await expect(page.getByRole("status")).toContainText("待审定");
  await expect(page.getByRole("button", { name: "审定通过" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "退回修改" })).toBeVisible();
});

as("county")("a county sees its own rounds only; the province sees them read-only", async ({ page, browser }) => {
  await page.goto("/rounds");
  const orgs = new Set(await page.getByTestId("round-row").locator("td:nth-child(2)").allInnerTexts());
  expect([...orgs]).toEqual(["道里区委巡察办"]);
  await page.getByTestId("round-row").first().getByRole("link").click();
  await expect(page).toHaveURL(/\/rounds\/\d+$/);
  const url = page.url();

  const province = await browser.newContext({ storageState: storageState("province") });
  const p = await province.newPage();
  await p.goto("/rounds");
  const provinceOrgs = new Set(await p.getByTestId("round-row").locator("td:nth-child(2)").allInnerTexts());
  expect(provinceOrgs).toEqual(new Set(["黑龙江省委巡视办", "哈尔滨市委巡察办", "道里区委巡察办", "南岗区委巡察办"]));
  await screenshot(p, "province-rounds");
  await p.goto(url);
  await expect(p.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(p.getByRole("button", { name: /提交审定|审定通过|进驻|办结/ })).toHaveCount(0);

  const otherCounty = await browser.newContext({ storageState: storageState("countyB") });
  const o = await otherCounty.newPage();
  expect((await o.goto(url))?.status()).toBe(404);
  await expect(o.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  await province.close();
  await otherCounty.close();
});
