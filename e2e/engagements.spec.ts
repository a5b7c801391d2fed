import { test } from "@playwright/test";
import { as, expect, screenshot } from "./fixtures";
import { open, openEngagement, pdf, registerPetition, token } from "./patrol";

/**
 * 巡察任务 against the demo seed: 哈尔滨's flexible round (stationed) has 市委第一巡察组
 * (with hrb.member) on an elevated patrol of 道里区纪委监委机关, and 市委交叉巡察第一组
 * (道里区's cadres, with daoli.member) on a cross patrol of 南岗区财政局.
 */
const CROSS_UNIT = "南岗区财政局";
const ELEVATED_UNIT = "道里区纪委监委机关";

as("countyMember")(
  "a cross patrol's member records a talk and a petition; the unit's own office sees the engagement but none of its conduct",
  async ({ page, browser }) => {
    test.setTimeout(180_000);
    const t = token();
    await page.goto("/engagements");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的巡察任务");
    await expect(page.getByTestId("engagement-row")).toHaveCount(1);
    await expect(page.getByTestId("engagement-row")).toContainText(CROSS_UNIT);
    await expect(page.getByTestId("engagement-row").getByTestId("mode-badge")).toHaveText("交叉巡察");
    await screenshot(page, "county-member-engagements");
    const engagementUrl = await openEngagement(page, CROSS_UNIT);
    // The round belongs to the city: the member cannot read it, the page says so.
    await expect(page.getByText("上级机构组织的轮次").first()).toBeVisible();

    // A talk record with its notes as a PDF.
    const talk = page.getByRole("form", { name: "新增谈话与调研记录" });
    await talk.getByLabel("类型").selectOption({ label: "个别谈话" });
    await talk.getByLabel("日期").fill("2026-11-20");
    await talk.getByLabel("事项/主题").fill(`与分管副局长个别谈话${t}`);
    await talk.getByLabel("参加人员").fill("韩丽娟、谈话对象");
    await talk.getByLabel("内容摘要").fill("了解津贴补贴发放和政府采购情况，已形成谈话笔录。");
    await talk.getByLabel("附件（可选）").setInputFiles({ name: `谈话笔录${t}.pdf`, mimeType: "application/pdf", buffer: pdf(t) });
    await talk.getByRole("button", { name: "保存记录" }).click();
    await expect(page.getByRole("status")).toContainText("记录已保存");
    const talkRow = page.getByTestId("fieldwork-row").filter({ hasText: `与分管副局长个别谈话${t}` });
    await expect(talkRow).toContainText(`谈话笔录${t}.pdf`);
    const attachmentUrl = await talkRow.getByRole("link", { name: new RegExp(`谈话笔录${t}`) }).getAttribute("href");
    await screenshot(page, "county-member-cross-fieldwork");

    // Unified registration: what is missing is said in Chinese, all at once; an anonymous
    // petition asks for no reporter.
    await page.goto(`${engagementUrl}?tab=petitions`);
    const intake = page.getByRole("form", { name: "信访举报统一登记" });
    await intake.getByRole("button", { name: "登记信访举报" }).click();
    await expect(intake.getByText("请选择来源渠道")).toBeVisible();
    await expect(intake.getByText("请填写反映内容（2 至 10000 字）")).toBeVisible();
    await expect(intake.getByText("署名举报须填写举报人姓名或联系方式")).toBeVisible();
    await intake.getByLabel("匿名举报").check();
    await expect(intake.getByLabel("举报人姓名")).toHaveCount(0);
    await intake.getByLabel("匿名举报").uncheck();
    await page.goto(engagementUrl);
    const petitionUrl = await registerPetition(page, t);
    // He recorded who reported but cannot read it back.
    await expect(page.getByTestId("identity-restricted")).toHaveText("举报人身份信息受限");
    await expect(page.getByText("已登记", { exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "查看举报人信息" })).toHaveCount(0);
    await expect(page.locator("body")).not.toContainText(`王举报${t}`);
    await screenshot(page, "county-member-petition");
    // Handling is recorded on the petition; the identity is not part of that form.
    await page.getByRole("link", { name: "修改办理情况" }).click();
    const handling = page.getByRole("form", { name: "修改办理情况" });
    await expect(handling.getByLabel("举报人姓名")).toHaveCount(0);
    await handling.getByLabel("处置方式").selectOption({ label: "自办" });
    await handling.getByLabel("办理结果").fill("已列入问题底稿，进一步核实。");
    await handling.getByRole("button", { name: "保存办理情况" }).click();
    await expect(page.getByRole("status")).toContainText("办理情况已保存");
    await expect(page.getByText("已列入问题底稿，进一步核实。")).toBeVisible();

    // 南岗 (the target) sees that the patrol exists, who does it and when, and nothing of its conduct.
    const nangang = await open(browser, "countyB");
    await nangang.goto(`/engagements?q=${encodeURIComponent(CROSS_UNIT)}`);
    const row = nangang.getByTestId("engagement-row").filter({ hasText: CROSS_UNIT }).first();
    await expect(row.getByTestId("mode-badge")).toHaveText("交叉巡察（由道里区委巡察组）");
    await screenshot(nangang, "county-b-engagements");
    await row.getByRole("link", { name: CROSS_UNIT }).click();
    await expect(nangang.getByTestId("target-notice")).toContainText("本机构不可查看");
    await expect(nangang.getByRole("navigation", { name: "巡察过程记录" })).toHaveCount(0);
    await expect(nangang.locator("body")).not.toContainText(`李某${t}`);
    await screenshot(nangang, "county-b-cross-engagement");
    expect((await nangang.goto(`${engagementUrl}?tab=petitions`))?.status()).toBe(200);
    await expect(nangang.getByTestId("petition-row")).toHaveCount(0);
    expect((await nangang.goto(petitionUrl))?.status()).toBe(404);
    await expect(nangang.getByRole("heading", { name: "页面不存在" })).toBeVisible();
    expect((await nangang.request.get(attachmentUrl!)).status()).toBe(404);
    // And it cannot write there either.
    const post = await nangang.request.post(engagementUrl, { form: { intent: "fieldwork", kind: "talk", occurredOn: "2026-11-20", participants: "x", summary: "越权写入" } });
    expect(post.status()).toBe(403);

    // 道里 (the executing office) sees all of it.
    const daoli = await open(browser, "county");
    await daoli.goto(`${engagementUrl}?tab=petitions`);
    await expect(daoli.getByTestId("petition-row").filter({ hasText: `李某${t}` })).toBeVisible();
    await expect(daoli.locator("body")).not.toContainText(`王举报${t}`);
    await screenshot(daoli, "county-cross-petitions");
    await daoli.goto(engagementUrl);
    await expect(daoli.getByTestId("fieldwork-row").filter({ hasText: `与分管副局长个别谈话${t}` })).toBeVisible();
    await daoli.goto(petitionUrl);
    await expect(daoli.getByTestId("identity-restricted")).toBeVisible();
    expect((await daoli.request.get(attachmentUrl!)).status()).toBe(200);
    await daoli.context().close();
    await nangang.context().close();
  },
);

as("city")("the city director reveals a reporter's identity once, and the audit log records the read", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const t = token();
  const member = await open(browser, "countyMember");
  await openEngagement(member, CROSS_UNIT);
  const petitionUrl = await registerPetition(member, t);
  await member.context().close();

  // The register never shows who reported.
  const engagementUrl = await openEngagement(page, CROSS_UNIT);
  await page.goto(`${engagementUrl}?tab=petitions`);
  await expect(page.getByTestId("petition-row").filter({ hasText: `李某${t}` })).toBeVisible();
  await expect(page.locator("body")).not.toContainText(`王举报${t}`);

  await page.goto(petitionUrl);
  await expect(page.getByText("已登记", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "查看举报人信息" }).click();
  const identity = page.getByTestId("reporter-identity");
  await expect(identity).toContainText(`王举报${t}`);
  await expect(identity).toContainText(`139${t}`.slice(0, 11));
  await screenshot(page, "city-petition-revealed");
  // Shown once: the next page load does not carry it.
  await page.reload();
  await expect(page.getByTestId("reporter-identity")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(`王举报${t}`);

  const auditor = await open(browser, "auditAdmin");
  await auditor.goto("/audit");
  const petitionId = petitionUrl.match(/(\d+)$/)![1];
  const read = auditor.getByTestId("audit-row").filter({ hasText: "查看举报人身份信息" }).filter({ hasText: `信访举报 #${petitionId}` });
  await expect(read.first()).toContainText("李明");
  await expect(read.first()).toContainText("成功");
  await screenshot(auditor, "audit-reporter-identity");
  await auditor.context().close();
});

as("countyMember")("attachments: a PDF round-trips byte for byte; a disguised executable and a file over 20 MB are refused, keeping the form", async ({ page }) => {
  test.setTimeout(180_000);
  const t = token();
  const engagementUrl = await openEngagement(page, CROSS_UNIT);
  const talk = page.getByRole("form", { name: "新增谈话与调研记录" });
  await talk.getByLabel("类型").selectOption({ label: "调阅资料" });
  await talk.getByLabel("日期").fill("2026-11-19");
  await talk.getByLabel("事项/主题").fill(`调阅财务凭证${t}`);
  await talk.getByLabel("参加人员").fill("韩丽娟");
  await talk.getByLabel("内容摘要").fill("调阅 2025 年度财务凭证。");

  // An executable renamed to .pdf: the bytes decide, not the name or the browser's claim.
  const exe = Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "latin1"), Buffer.alloc(256)]);
  await talk.getByLabel("附件（可选）").setInputFiles({ name: "凭证.pdf", mimeType: "application/pdf", buffer: exe });
  await talk.getByRole("button", { name: "保存记录" }).click();
  await expect(page.getByText("不支持的文件类型")).toBeVisible();
  await expect(talk.getByLabel("事项/主题")).toHaveValue(`调阅财务凭证${t}`);
  await screenshot(page, "county-member-attachment-refused");

  await talk.getByLabel("附件（可选）").setInputFiles({ name: "大文件.txt", mimeType: "text/plain", buffer: Buffer.alloc(20 * 1024 * 1024 + 1, 0x61) });
  await talk.getByRole("button", { name: "保存记录" }).click();
  await expect(page.getByText("文件超过 20 MB")).toBeVisible();
  await expect(talk.getByLabel("内容摘要")).toHaveValue("调阅 2025 年度财务凭证。");
  await expect(page.getByTestId("fieldwork-row").filter({ hasText: `调阅财务凭证${t}` })).toHaveCount(0);

  const bytes = pdf(`凭证 ${t}`);
  await talk.getByLabel("附件（可选）").setInputFiles({ name: `财务凭证${t}.pdf`, mimeType: "application/octet-stream", buffer: bytes });
  await talk.getByRole("button", { name: "保存记录" }).click();
  await expect(page.getByRole("status")).toContainText("记录已保存");

  await page.goto(`${engagementUrl}?tab=attachments`);
  const row = page.getByTestId("attachment-row").filter({ hasText: `财务凭证${t}.pdf` });
  await expect(row).toContainText("PDF");
  await expect(row).toContainText(`调阅资料（2026-11-19）`);
  await screenshot(page, "county-member-attachments");
  const link = row.getByRole("link", { name: `财务凭证${t}.pdf` });
  const response = await page.request.get((await link.getAttribute("href"))!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  expect(response.headers()["content-length"]).toBe(String(bytes.length));
  expect(response.headers()["content-disposition"]).toBe(
    `attachment; filename="____${t}.pdf"; filename*=UTF-8''${encodeURIComponent(`财务凭证${t}.pdf`)}`,
  );
  expect(Buffer.compare(await response.body(), bytes)).toBe(0);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe(`财务凭证${t}.pdf`);

  // A file of several 256 KB slices, uploaded to a record from the attachments tab.
  const text = Buffer.from(`巡察谈话提纲 ${t}\n`.repeat(40_000));
  const upload = page.getByRole("form", { name: "上传附件" });
  await upload.getByLabel("所属记录").selectOption({ label: "调阅资料（2026-11-19）" });
  await upload.getByLabel("附件").setInputFiles({ name: `提纲${t}.txt`, mimeType: "text/plain", buffer: text });
  await upload.getByRole("button", { name: "上传附件" }).click();
  await expect(page.getByRole("status")).toContainText("附件已上传");
  const big = page.getByTestId("attachment-row").filter({ hasText: `提纲${t}.txt` });
  await expect(big).toContainText("纯文本");
  const long = await page.request.get((await big.getByRole("link").getAttribute("href"))!);
  expect(long.headers()["content-type"]).toBe("text/plain; charset=utf-8");
  expect(Buffer.compare(await long.body(), text)).toBe(0);

  await row.getByRole("button", { name: `删除 财务凭证${t}.pdf` }).click();
  await expect(page.getByRole("status")).toContainText("附件已删除");
  await expect(page.getByTestId("attachment-row").filter({ hasText: `财务凭证${t}.pdf` })).toHaveCount(0);
});

as("cityMember")("a city group member sees only his group's engagements, an elevated patrol among them", async ({ page }) => {
  await page.goto("/engagements");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的巡察任务");
  const rows = page.getByTestId("engagement-row");
  await expect(rows.filter({ hasText: ELEVATED_UNIT }).first().getByTestId("mode-badge")).toHaveText("提级巡察");
  await expect(rows.filter({ hasText: CROSS_UNIT })).toHaveCount(0);
  await screenshot(page, "city-member-engagements");
  await openEngagement(page, ELEVATED_UNIT);
  await expect(page.getByRole("form", { name: "新增谈话与调研记录" })).toBeVisible();
  await screenshot(page, "city-member-elevated");
});

as("county")("the county office sees the city's elevated patrol of its discipline commission, and nothing of its conduct", async ({ page }) => {
  await page.goto(`/engagements?q=${encodeURIComponent(ELEVATED_UNIT)}`);
  const row = page.getByTestId("engagement-row").filter({ hasText: ELEVATED_UNIT }).first();
  await expect(row.getByTestId("mode-badge")).toHaveText("上级提级巡察");
  await expect(row).toContainText("上级机构组织的轮次");
  await screenshot(page, "county-engagements-elevated");
  await row.getByRole("link", { name: ELEVATED_UNIT }).click();
  await expect(page.getByTestId("target-notice")).toContainText("提级巡察");
  await expect(page.getByTestId("stage-stationedOn")).not.toContainText("未开始");
  await expect(page.getByRole("form", { name: "信访举报统一登记" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "登记阶段日期" })).toHaveCount(0);
  await screenshot(page, "county-elevated-engagement");
});

as("city")("the supervising office records stage dates; a date out of order is refused in Chinese", async ({ page }) => {
  await page.goto("/engagements");
  await screenshot(page, "city-engagements");
  await openEngagement(page, CROSS_UNIT);
  await page.getByRole("link", { name: "登记阶段日期" }).click();
  const form = page.getByRole("form", { name: "登记阶段日期" });
  await form.getByLabel("报告日期").fill("2026-12-01");
  await form.getByRole("button", { name: "保存阶段日期" }).click();
  await expect(form.getByText("报告日期须在撤离之后，请先填写撤离日期")).toBeVisible();
  await form.getByLabel("撤离日期").fill("2026-12-05");
  await form.getByRole("button", { name: "保存阶段日期" }).click();
  await expect(form.getByText("报告日期不能早于撤离日期")).toBeVisible();
  await screenshot(page, "city-engagement-stages-error");
  // The server checks the same rules (and the database again): nothing is saved.
  const url = page.url().replace(/\?.*$/, "");
  const refused = await page.request.post(url, { form: { intent: "stages", withdrawnOn: "2026-12-05" } });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain("撤离日期须在进驻之后，请先填写进驻日期");
  await form.getByRole("link", { name: "取消" }).click();
  await expect(page.getByRole("form", { name: "登记阶段日期" })).toHaveCount(0);
});
