import { as, expect } from "./fixtures";

as("county")("pages are not cached, not framable, and run under a CSP without violations", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  const response = await page.goto("/units");
  const headers = response!.headers();
  expect(headers["cache-control"]).toBe("no-store");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  // Hydrated under the CSP: the user menu is a client-side component.
  await page.getByTestId("user-menu").click();
  await expect(page.getByRole("menuitem", { name: "修改密码" })).toBeVisible();
  expect(errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
});
