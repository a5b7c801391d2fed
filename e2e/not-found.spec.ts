import { as, expect, screenshot } from "./fixtures";
import { storageState } from "./fixtures";

as("county")("another county's unit by URL is a 404, not a 403", async ({ page, browser }) => {
  await page.goto("/units");
  await page.getByTestId("unit-row").first().getByRole("link").click();
  await expect(page).toHaveURL(/\/units\/\d+$/);
  const ownUnitUrl = page.url();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  const other = await browser.newContext({ storageState: storageState("countyB") });
  const otherPage = await other.newPage();
  const response = await otherPage.goto(ownUnitUrl);
  expect(response?.status()).toBe(404);
  await expect(otherPage.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  await screenshot(otherPage, "county-b-404");

  // The city above both counties does see it.
  const city = await browser.newContext({ storageState: storageState("city") });
  const cityPage = await city.newPage();
  expect((await cityPage.goto(ownUnitUrl))?.status()).toBe(200);
  await other.close();
  await city.close();
});

as("county")("an unknown path and a malformed id are Chinese 404 pages", async ({ page }) => {
  expect((await page.goto("/no-such-page"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  expect((await page.goto("/units/abc"))?.status()).toBe(404);
});
