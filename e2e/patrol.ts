import type { Browser, Page } from "@playwright/test";
import { expect, storageState, type RoleName } from "./fixtures";

/** Steps of patrol work shared by the specs: units, cadres, rounds, groups, engagements, petitions. */

export const suffix = () => String(Date.now() % 1_000_000);

export async function createUnit(page: Page, name: string, category: string, headLevel: string) {
  await page.goto("/units/new");
  await page.getByLabel("单位名称").fill(name);
  await page.getByLabel("类别").selectOption({ label: category });
  await page.getByLabel("主要负责人管理层级").selectOption({ label: headLevel });
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("巡察对象已新增");
}

export async function createCadre(page: Page, c: { name: string; leader?: boolean; firstPostedOn: string; specialty?: string }) {
  await page.goto("/cadres/new");
  await page.getByLabel("姓名").fill(c.name);
  await page.getByLabel("工作单位").fill("哈尔滨市委巡察办");
  if (c.leader) await page.getByLabel("组长库").check();
  await page.getByLabel(c.specialty ?? "财务").check();
  await page.getByLabel("首次从事巡视巡察工作日期").fill(c.firstPostedOn);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("干部已新增");
  await expect(page.getByRole("heading", { name: c.name })).toBeVisible();
}

/** Opens a round of 哈尔滨 by its number, from the rounds list. */
export async function openCityRound(page: Page, number: number) {
  await page.goto("/rounds");
  await page.getByRole("link", { name: `十五届市委第${number}轮`, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`十五届市委第${number}轮`);
}

export async function newGroup(page: Page): Promise<string> {
  await page.getByRole("link", { name: "新建巡察组" }).click();
  await expect(page.getByRole("heading", { name: "新建巡察组" })).toBeVisible();
  const name = await page.getByLabel("组名").inputValue();
  expect(name).toMatch(/^第[一二三四五六七八九十]+巡察组$/);
  await expect(page.getByLabel("执行机构")).toHaveValue(/\d+/);
  await expect(page.getByLabel("进驻日期")).not.toHaveValue("");
  return name;
}

/**
 * Finds a cadre by name in the add-member form and adds him with a role. With `option`,
 * picks the match whose label contains it (a common name may match several cadres).
 */
export async function addMember(page: Page, name: string, role: string, option?: string) {
  await page.getByRole("search", { name: "按姓名查找干部" }).getByRole("searchbox").fill(name);
  await page.getByRole("search", { name: "按姓名查找干部" }).getByRole("button", { name: "查找" }).click();
  const form = page.getByRole("form", { name: "添加成员" });
  const options = form.getByLabel("干部").locator("option");
  if (option) {
    // The search reloads the page: read the option only once its results are there.
    await expect(options.filter({ hasText: option }).filter({ hasText: name })).not.toHaveCount(0);
    const value = await options.filter({ hasText: option }).filter({ hasText: name }).first().getAttribute("value");
    await form.getByLabel("干部").selectOption(value!);
  } else {
    await expect(options).toHaveCount(2);
    await expect(options.nth(1)).toContainText(name);
    await form.getByLabel("干部").selectOption({ index: 1 });
  }
  await form.getByLabel("职务").selectOption({ label: role });
  await form.getByRole("button", { name: "添加成员" }).click();
}

/** Finds a unit by name and plans it for the group with a mode (or the one proposed). */
export async function addEngagement(page: Page, unit: string, mode?: string) {
  const search = page.getByRole("search", { name: "按名称查找单位" });
  await search.getByRole("searchbox").fill(unit);
  await search.getByRole("button", { name: "查找" }).click();
  const form = page.getByRole("form", { name: "添加巡察对象" });
  await expect(form.getByLabel("被巡察单位").locator("option")).toHaveCount(2);
  await expect(form.getByLabel("被巡察单位").locator("option").nth(1)).toContainText(unit);
  await form.getByLabel("被巡察单位").selectOption({ index: 1 });
  if (mode) await form.getByLabel("巡察方式").selectOption({ label: mode });
  await form.getByRole("button", { name: "添加巡察对象" }).click();
}

export const token = () => `${Date.now() % 1_000_000}${Math.floor(Math.random() * 100)}`;
export const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);

export async function open(browser: Browser, role: RoleName): Promise<Page> {
  const context = await browser.newContext({ storageState: storageState(role) });
  return context.newPage();
}

/** Opens an engagement from the list, by its unit's name. */
export async function openEngagement(page: Page, unit: string) {
  await page.goto(`/engagements?q=${encodeURIComponent(unit)}`);
  await page.getByTestId("engagement-row").getByRole("link", { name: unit }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: unit })).toBeVisible();
  return page.url().replace(/\?.*$/, "");
}

/** Registers a signed petition on the page's engagement; returns the petition's URL. */
export async function registerPetition(page: Page, t: string) {
  await page.getByRole("link", { name: /信访举报/ }).click();
  const form = page.getByRole("form", { name: "信访举报统一登记" });
  await form.getByLabel("来源渠道").selectOption({ label: "来信" });
  await form.getByLabel("举报人姓名").fill(`王举报${t}`);
  await form.getByLabel("举报人联系方式").fill(`139${t}`.slice(0, 11));
  await form.getByLabel("被反映人姓名").fill(`李某${t}`);
  await form.getByLabel("被反映人职务").fill("南岗区财政局副局长");
  await form.getByLabel("反映内容").fill(`反映违规发放津贴补贴问题（${t}）。`);
  await form.getByLabel("问题类别").selectOption("廉洁纪律");
  await form.getByRole("button", { name: "登记信访举报" }).click();
  await expect(page.getByRole("status")).toContainText("信访举报已登记");
  await expect(page).toHaveURL(/\/petitions\/\d+$/);
  return page.url();
}


/** Records a fieldwork record (谈话、调阅 …) on the page's engagement. */
export async function recordFieldwork(
  page: Page,
  r: { kind: string; date: string; subject: string; participants: string; summary: string },
) {
  const form = page.getByRole("form", { name: "新增谈话与调研记录" });
  await form.getByLabel("类型").selectOption({ label: r.kind });
  await form.getByLabel("日期").fill(r.date);
  await form.getByLabel("事项/主题").fill(r.subject);
  await form.getByLabel("参加人员").fill(r.participants);
  await form.getByLabel("内容摘要").fill(r.summary);
  await form.getByRole("button", { name: "保存记录" }).click();
  await expect(page.getByRole("status")).toContainText("记录已保存");
}
