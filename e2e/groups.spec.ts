import { defaultGroupName } from "../app/lib/group-rules";
import { as, expect, screenshot, storageState } from "./fixtures";
import { addEngagement, addMember, createCadre, createUnit, newGroup, openCityRound, suffix } from "./patrol";

/**
 * Groups and engagements, planning side. Every test makes its own units and cadres (the
 * demo seed's groups and engagements are not relied on), so a run leaves the seeded
 * plans as they were apart from what it added.
 */

as("city")("the city office sets up a group: objects 一托二 with an elevated patrol, leader and members, refusals, rotation warning, a draw", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(180_000);
  const s = suffix();
  const cityUnit = `哈尔滨市测试巡察对象局${s}`;
  const countyUnit = `道里区测试巡察对象局${s}`;
  const leaderName = `测试组长${s}`;
  const veteranName = `测试老兵${s}`;
  const conflictedName = `测试回避${s}`;

  // Data of its own: a city unit, a county unit (made by the county office), three cadres.
  await createUnit(page, cityUnit, "市直单位", "市管干部");
  const county = await browser.newContext({ storageState: storageState("county") });
  await createUnit(await county.newPage(), countyUnit, "县直单位", "市管干部");
  await county.close();
  await createCadre(page, { name: leaderName, leader: true, firstPostedOn: "2022-03-01" });
  await createCadre(page, { name: veteranName, firstPostedOn: "2015-03-01", specialty: "审计" });
  await createCadre(page, { name: conflictedName, firstPostedOn: "2023-03-01", specialty: "法律" });
  const conflictForm = page.getByRole("form", { name: "登记回避" });
  const unitOption = conflictForm.getByLabel("回避单位").locator("option", { hasText: cityUnit });
  await conflictForm.getByLabel("回避单位").selectOption((await unitOption.getAttribute("value"))!);
  await conflictForm.getByLabel("回避原因").selectOption({ label: "近亲属在该单位任职" });
  await conflictForm.getByRole("button", { name: "登记回避" }).click();
  await expect(page.getByRole("status")).toContainText("回避情形已登记");

  // The round (submitted, not yet approved) gets a new group with a proposed number and name.
  await openCityRound(page, 6);
  await expect(page.getByRole("heading", { name: "巡察组" })).toBeVisible();
  const groupName = await newGroup(page);
  await screenshot(page, "city-group-new");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("巡察组已组建");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(groupName);
  const groupUrl = page.url();

  // 一托二: a city unit (regular), and a county unit, elevated. The wrong mode is refused.
  await addEngagement(page, cityUnit);
  await expect(page.getByRole("status")).toContainText(`已将「${cityUnit}」列为本组巡察对象（常规巡察）`);
  await addEngagement(page, countyUnit, "常规巡察");
  await expect(page.getByText("所选方式与单位的管辖关系不符")).toBeVisible();
  await expect(page.getByRole("status")).toHaveCount(0);
  await page.getByRole("form", { name: "添加巡察对象" }).getByLabel("被巡察单位").selectOption({ index: 1 });
  await expect(page.getByTestId("mode-suggestion")).toHaveText("建议：提级巡察");
  await expect(page.getByRole("form", { name: "添加巡察对象" }).getByLabel("巡察方式")).toHaveValue("elevated");
  await page.getByRole("form", { name: "添加巡察对象" }).getByRole("button", { name: "添加巡察对象" }).click();
  await expect(page.getByRole("status")).toContainText("（提级巡察）");
  await expect(page.getByRole("heading", { name: "巡察对象（一托二）" })).toBeVisible();
  const engagements = page.getByTestId("engagement-row");
  await expect(engagements).toHaveCount(2);
  await expect(engagements.filter({ hasText: countyUnit })).toContainText("提级巡察");
  await expect(engagements.filter({ hasText: countyUnit })).toContainText("道里区委巡察办");
  await expect(engagements.filter({ hasText: cityUnit }).getByRole("link", { name: cityUnit })).toHaveAttribute("href", /\/engagements\/\d+$/);

  // Refusals with their reasons: not in the leader pool; a conflict with one of the group's units.
  await addMember(page, conflictedName, "组长");
  await expect(page.getByText("组长须从组长库中选配")).toBeVisible();
  await addMember(page, conflictedName, "成员");
  await expect(page.getByText(`该干部与「${cityUnit}」存在回避关系，不能参加对该单位的巡察`)).toBeVisible();
  await expect(page.getByTestId("member-row")).toHaveCount(0);

  // A leader from the leader pool; a member five years in post: warned, not refused.
  await addMember(page, leaderName, "组长");
  await expect(page.getByRole("status")).toContainText(`已将${leaderName}加入本组（组长）`);
  await addMember(page, veteranName, "成员");
  await expect(page.getByRole("status")).toContainText("任职满5年，建议轮岗");
  await expect(page.getByTestId("rotation-callout")).toContainText(`${veteranName}从事巡视巡察工作已满5年，建议轮岗交流`);
  await expect(page.getByTestId("member-row").filter({ hasText: veteranName }).getByTestId("rotation-badge")).toHaveText("任职满5年，建议轮岗");
  await expect(page.getByTestId("member-row").filter({ hasText: leaderName })).toContainText("组长");

  // A draw: two from the talent pool, recorded, then both added.
  const drawForm = page.getByRole("form", { name: "随机抽选" });
  await drawForm.getByLabel("抽选人数").fill("2");
  await drawForm.getByLabel("财务").check();
  await drawForm.getByLabel("审计").check();
  await drawForm.getByRole("button", { name: "随机抽选" }).click();
  await expect(page.getByRole("status")).toContainText(/抽选已记录：从 \d+ 名符合条件的干部中抽出 2 名/);
  await expect(page.getByTestId("drawn-row")).toHaveCount(2);
  await expect(page.getByTestId("draw-row")).toHaveCount(1);
  await expect(page.getByTestId("draw-row")).toContainText("财务、审计");
  await expect(page.getByTestId("draw-row")).toContainText("李明");
  await page.getByRole("button", { name: "全部加入本组" }).click();
  await expect(page.getByRole("status")).toContainText("已将 2 名干部加入本组");
  await expect(page.getByTestId("drawn-row").getByText("已在本组")).toHaveCount(2);
  await expect(page.getByTestId("member-row")).toHaveCount(4);
  await screenshot(page, "city-group-detail");

  // The round lists the group with its leader, size and objects.
  await page.getByRole("link", { name: "返回轮次" }).click();
  const row = page.getByTestId("group-row").filter({ hasText: groupName });
  await expect(row).toContainText(leaderName);
  await expect(row).toContainText("4 人");
  await expect(row.getByTestId("group-coverage")).toHaveText("一托二");
  await expect(row).toContainText("常规巡察");
  await expect(row).toContainText("提级巡察");
  await screenshot(page, "city-round-groups");

  // The province reads the group but changes nothing; a sibling county does not see it.
  const province = await browser.newContext({ storageState: storageState("province") });
  const p = await province.newPage();
  await p.goto(groupUrl);
  await expect(p.getByRole("heading", { level: 1 })).toHaveText(groupName);
  await expect(p.getByTestId("member-row")).toHaveCount(4);
  await expect(p.getByRole("form", { name: "添加成员" })).toHaveCount(0);
  await expect(p.getByRole("form", { name: "添加巡察对象" })).toHaveCount(0);
  await expect(p.getByRole("form", { name: "随机抽选" })).toHaveCount(0);
  await province.close();
  const sibling = await browser.newContext({ storageState: storageState("countyB") });
  expect((await (await sibling.newPage()).goto(groupUrl))?.status()).toBe(404);
  await sibling.close();
});

as("city")("members are evaluated once the round is past stationing; an evaluated member stays", async ({ page }, testInfo) => {
  testInfo.setTimeout(90_000);
  const s = suffix();
  const name = `测试评价${s}`;
  await createCadre(page, { name, leader: true, firstPostedOn: "2021-06-01" });
  // Round 4 of 哈尔滨 is in its feedback stage.
  await openCityRound(page, 4);
  await newGroup(page);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("巡察组已组建");
  await addMember(page, name, "组长");
  await expect(page.getByRole("status")).toContainText(`已将${name}加入本组（组长）`);

  const form = page.getByRole("form", { name: `${name}的评价` });
  await form.getByRole("button", { name: "保存评价" }).click();
  await expect(form.getByText("请选择评价等次")).toBeVisible();
  await form.getByLabel(`${name}的评价`, { exact: true }).selectOption({ label: "优秀" });
  await form.getByLabel(`${name}的评价说明`).fill("发现问题线索多，底稿规范");
  await form.getByRole("button", { name: "保存评价" }).click();
  await expect(page.getByRole("status")).toContainText(`已保存对${name}的评价`);
  const row = page.getByTestId("member-row").filter({ hasText: name });
  await expect(row).toContainText("优秀");
  await expect(row).toContainText("发现问题线索多，底稿规范");
  await expect(row.getByRole("button", { name: `将${name}移出本组` })).toHaveCount(0);
  await screenshot(page, "city-group-evaluation");
});

as("city")("a cross patrol: 道里's group patrols a 南岗 unit; overlapping stationing is refused; 道里 reads its group, 南岗 sees nothing", async ({ page, browser }, testInfo) => {
  testInfo.setTimeout(180_000);
  const s = suffix();
  const nangangUnit = `南岗区测试交叉对象局${s}`;
  const cadre = `测试交叉${s}`;
  const countyB = await browser.newContext({ storageState: storageState("countyB") });
  await createUnit(await countyB.newPage(), nangangUnit, "县直单位", "县管干部");
  await createCadre(page, { name: cadre, firstPostedOn: "2024-03-01", specialty: "工程" });

  // A group executed by 道里, set up by the city: its number proposes its name.
  await openCityRound(page, 6);
  await newGroup(page);
  const number = 40 + (Number(s) % 59);
  const crossName = defaultGroupName(number, "city"); // e.g. 第五十七巡察组
  await page.getByLabel("组序号").fill(String(number));
  await expect(page.getByLabel("组名")).toHaveValue(crossName);
  const executing = page.getByLabel("执行机构");
  await executing.selectOption((await executing.locator("option", { hasText: "道里区委巡察办" }).getAttribute("value"))!);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("巡察组已组建");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(crossName);
  const crossUrl = page.url();
  await expect(page.getByText("可从以下机构的干部库中选配：道里区委巡察办、哈尔滨市委巡察办。")).toBeVisible();

  // Elevated is the city's own group's mode: refused; cross is proposed and accepted.
  await addEngagement(page, nangangUnit, "提级巡察");
  await expect(page.getByText("所选方式与单位的管辖关系不符：提级巡察须由本级巡察组巡察下级机构管辖的单位")).toBeVisible();
  await page.getByRole("form", { name: "添加巡察对象" }).getByLabel("被巡察单位").selectOption({ index: 1 });
  await expect(page.getByTestId("mode-suggestion")).toHaveText("建议：交叉巡察");
  await page.getByRole("form", { name: "添加巡察对象" }).getByRole("button", { name: "添加巡察对象" }).click();
  await expect(page.getByRole("status")).toContainText("（交叉巡察）");
  await expect(page.getByTestId("engagement-row")).toContainText("交叉巡察");
  await addMember(page, cadre, "成员");
  await expect(page.getByRole("status")).toContainText(`已将${cadre}加入本组（成员）`);
  await screenshot(page, "city-group-cross");

  // The same cadre in a second group of the same round: the stationing overlaps.
  await openCityRound(page, 6);
  await newGroup(page);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("巡察组已组建");
  await addMember(page, cadre, "成员");
  await expect(page.getByText(new RegExp(`该干部在${crossName}（\\d{4}-\\d{2}-\\d{2}至\\d{4}-\\d{2}-\\d{2}）的进驻期间与本组重叠`))).toBeVisible();

  // Other dates: no overlap, he joins; moved back, the new dates are refused for him.
  await page.getByRole("link", { name: "编辑" }).click();
  const edit = page.getByRole("form", { name: "编辑" });
  await edit.getByLabel("进驻日期").fill("2027-02-01");
  await edit.getByLabel("撤离日期").fill("2027-03-15");
  await edit.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("巡察组信息已保存");
  await expect(page.getByText("2027-02-01 至 2027-03-15").first()).toBeVisible();
  await addMember(page, cadre, "成员");
  await expect(page.getByRole("status")).toContainText(`已将${cadre}加入本组（成员）`);
  await page.getByRole("link", { name: "编辑" }).click();
  await edit.getByLabel("进驻日期").fill("2027-01-10");
  await edit.getByRole("button", { name: "保存" }).click();
  await expect(edit.getByText(new RegExp(`调整后的进驻时间与成员安排冲突：有成员在${crossName}（.+）的进驻期间与本组重叠`))).toBeVisible();
  await page.getByRole("link", { name: "取消" }).click();
  await page.getByRole("button", { name: `将${cadre}移出本组` }).click();
  await expect(page.getByRole("status")).toContainText(`已将${cadre}移出本组`);
  await expect(page.getByTestId("member-row")).toHaveCount(0);

  // 道里 executes the group: it reads it (members, objects) and changes nothing.
  const county = await browser.newContext({ storageState: storageState("county") });
  const c = await county.newPage();
  await c.goto(crossUrl);
  await expect(c.getByRole("heading", { level: 1 })).toHaveText(crossName);
  await expect(c.getByTestId("member-row")).toContainText(cadre);
  await expect(c.getByTestId("engagement-row")).toContainText(nangangUnit);
  await expect(c.getByRole("form", { name: "添加成员" })).toHaveCount(0);
  await expect(c.getByText("您对该巡察组只有查看权限。")).toBeVisible();
  await screenshot(c, "county-group-cross-readonly");
  await county.close();
  // 南岗 is the target: before stationing it does not see the group at all.
  const n = await countyB.newPage();
  expect((await n.goto(crossUrl))?.status()).toBe(404);
  await countyB.close();

  // A draw from the expert pool, any specialty; then the planned object is removed again.
  await page.goto(crossUrl);
  const drawForm = page.getByRole("form", { name: "随机抽选" });
  await drawForm.getByLabel("抽选人数").fill("1");
  await drawForm.getByLabel("抽选库").selectOption({ label: "专家库" });
  await drawForm.getByRole("button", { name: "随机抽选" }).click();
  await expect(page.getByRole("status")).toContainText("抽选已记录");
  await expect(page.getByTestId("draw-row")).toContainText("不限");
  await page.getByRole("button", { name: `移除巡察对象「${nangangUnit}」` }).click();
  await expect(page.getByRole("status")).toContainText(`已移除巡察对象「${nangangUnit}」`);
  await expect(page.getByTestId("engagement-row")).toHaveCount(0);
});
