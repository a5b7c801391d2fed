import { test as setup } from "@playwright/test";
import { login, ROLES, storageState, type RoleName } from "./fixtures";

for (const role of Object.keys(ROLES) as RoleName[]) {
  setup(`log in as ${role}`, async ({ page }) => {
    await login(page, ROLES[role].email);
    await page.context().storageState({ path: storageState(role) });
  });
}
