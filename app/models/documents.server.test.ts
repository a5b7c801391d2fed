import JSZip from "jszip";
import { afterAll, describe, expect, it } from "vitest";
import type { Tx } from "~/lib/db.server";
import { chineseDate, chineseNumeral, headingLabel } from "~/lib/official-docx.server";
import type { AuditEntry } from "~/lib/request.server";
import type { PaperInput } from "~/lib/schemas/findings";
import { closeTestSql } from "../../supabase/tests/support/db";
import { withScenario, type Scenario } from "../../supabase/tests/support/engagements";
import { committeeOf, generateEngagementDocument, generateThematicDocument, leadingGroupOf } from "./documents.server";
import { advancePaper, createPaper, listProblems } from "./findings.server";

/**
 * The official documents of an engagement, generated in the caller's RLS context on the
 * engagement scenario (rolled back): the group's papers go through the review chain
 * onto the problem list; the city office then generates the 巡察情况报告 and the 反馈意见
 * (before and after feedback is given) and a 专题报告, and each .docx is unzipped and
 * read back: title, 主送, the 一、（一） headings and the figures.
 */

afterAll(closeTestSql);

/** The text of each paragraph of word/document.xml, and the raw XML. */
async function readDocx(bytes: Buffer): Promise<{ paragraphs: string[]; xml: string }> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file("word/document.xml")!.async("string");
  const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map((m) => [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(""))
    .filter((p) => p.length > 0);
  return { paragraphs, xml };
}

/** The paragraph's own XML (for its layout: alignment, fonts, sizes). */
const paragraphXml = (xml: string, text: string) =>
  [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => m[0]).find((p) => p.includes(text)) ?? "";

async function categoryId(tx: Tx, code: string): Promise<number> {
  const [row] = await tx<{ id: number }[]>`select id::int as id from public.problem_categories where code = ${code} and org_id is null`;
  return row.id;
}

function recorder(requestId: string) {
  const entries: AuditEntry[] = [];
  return { entries, ctx: (db: Tx) => ({ db, requestId, audit: async (e: AuditEntry) => void entries.push(e) }) };
}

/**
 * As the owner: hrb.member leads the city's group; then, as him, five papers through the
 * chain (two 廉洁纪律, one 工作纪律 — both 违反六项纪律 —, one 形式主义, one 选人用人,
 * the 选人用人 one fixed on the spot) and a lead from the first problem.
 */
async function fiveProblems(tx: Tx, s: Scenario, as: (who: "cityMember" | "owner") => Promise<void>) {
  await tx`update public.group_members set role = 'member' where id = ${s.memberRow("230100组长")}`;
  await tx`update public.group_members set role = 'leader' where id = ${s.memberRow("市巡察组成员账号")}`;
  const e = s.e("230100常规");
  const specs: [string, string, boolean][] = [
    ["违规发放津贴补贴", "discipline.integrity", false],
    ["公务接待超标准", "discipline.integrity", false],
    ["履行职责不到位", "discipline.work", false],
    ["文山会海问题突出", "four_styles.formalism", false],
    ["干部选任程序不规范", "appointments", true],
  ];
  const inputs: PaperInput[] = [];
  for (const [title, code, onTheSpot] of specs) {
    inputs.push({
      title, facts: `${title}的具体表现。`, evidence: "相关凭证", categoryId: await categoryId(tx, code), severity: "general",
      disciplineForm: undefined, onTheSpot, handlerMemberId: s.memberRow("市巡察组成员账号"),
    });
  }
  await as("cityMember");
  for (const input of inputs) {
    const { id } = await createPaper(tx, e.id, input);
    for (const action of ["submit", "approve", "approve", "approve"] as const) await advancePaper(tx, id, action, null);
  }
  const problems = await listProblems(tx, e.id);
  await tx`select public.register_lead(${e.id}, '某科长涉嫌违规发放津贴', '某某', '科长', null, ${problems[0].id}::bigint, null, null)`;
  return { e, problems };
}

describe("official document layout", () => {
  it("numbers headings and dates the way official documents write them", () => {
    expect([1, 2, 10, 12, 20, 35].map(chineseNumeral)).toEqual(["一", "二", "十", "十二", "二十", "三十五"]);
    expect(headingLabel.h1(3)).toBe("三、");
    expect(headingLabel.h2(11)).toBe("（十一）");
    expect(headingLabel.h3(2)).toBe("2.");
    expect(chineseDate("2026-11-01")).toBe("2026年11月1日");
    // A timestamp is dated in Beijing: 20:00 UTC is the next day there.
    expect(chineseDate(new Date("2026-11-20T20:00:00Z"))).toBe("2026年11月21日");
    expect(committeeOf("哈尔滨市委巡察办")).toBe("哈尔滨市委");
    expect(leadingGroupOf("哈尔滨市委巡察办")).toBe("哈尔滨市委巡察工作领导小组");
    expect(leadingGroupOf("黑龙江省委巡视办")).toBe("黑龙江省委巡视工作领导小组");
  });
});

describe("engagement documents", () => {
  it("the report: to the leading group, the work done, the problems by category with their counts, leads", async () => {
    await withScenario(async (tx, s, as) => {
      const { e } = await fiveProblems(tx, s, as);
      const [{ unit, office }] = await tx<{ unit: string; office: string }[]>`
        select e.unit_name as unit, o.name as office from public.engagements e join public.orgs o on o.id = e.supervising_org_id
         where e.id = ${e.id}`;
      await as("city");
      const { entries, ctx } = recorder("doc-test-report-0001");
      const doc = await generateEngagementDocument(ctx(tx), e.id, "report", "2026-11-21");
      expect(doc?.fileName).toBe(`${unit}巡察情况报告.docx`);
      const { paragraphs, xml } = await readDocx(doc!.bytes);

      expect(paragraphs).toContain(`关于巡察${unit}党组织的情况报告`);
      expect(paragraphs).toContain(`${leadingGroupOf(office)}：`);
      expect(paragraphs).toContain("一、巡察工作开展情况");
      expect(paragraphs).toContain("二、发现的主要问题");
      expect(paragraphs).toContain("三、问题线索移交情况");
      expect(paragraphs).toContain("四、意见建议");
      // The scenario's conduct: one talk and one petition.
      expect(paragraphs.find((p) => p.includes("巡察期间"))).toMatch(/开展个别谈话1次，受理信访举报1件。$/);
      expect(paragraphs).toContain("经组务会审议，共发现问题5个，其中违反六项纪律方面3个，四风问题方面1个，选人用人问题方面1个；已督促立行立改1个。具体如下：");
      expect(paragraphs).toContain("（一）违反六项纪律方面（3个）");
      expect(paragraphs).toContain("（二）四风问题方面（1个）");
      expect(paragraphs).toContain("（三）选人用人问题方面（1个）");
      // Items restart under each （一）.
      expect(paragraphs).toContain("1.违规发放津贴补贴。违规发放津贴补贴的具体表现。");
      expect(paragraphs).toContain("3.履行职责不到位。履行职责不到位的具体表现。");
      expect(paragraphs).toContain("1.文山会海问题突出。文山会海问题突出的具体表现。");
      expect(paragraphs).toContain("巡察期间发现问题线索1件，已按规定移交0件，其余1件正在按程序办理。");
      // Signed by the group, dated, both right-aligned at the end.
      expect(paragraphs.slice(-2)).toEqual(["矩阵230100组", "2026年11月21日"]);
      expect(paragraphXml(xml, "2026年11月21日")).toContain('<w:jc w:val="right"/>');
      // Layout: 二号 title in 宋体, 三号 仿宋 body, 黑体 一、 and 楷体 （一）.
      const title = paragraphXml(xml, `关于巡察${unit}`);
      expect(title).toContain('<w:jc w:val="center"/>');
      expect(title).toContain('w:eastAsia="SimSun"');
      expect(title).toContain('<w:sz w:val="44"/>');
      expect(paragraphXml(xml, "一、巡察工作开展情况")).toContain('w:eastAsia="SimHei"');
      expect(paragraphXml(xml, "（一）违反六项纪律方面")).toContain('w:eastAsia="KaiTi"');
      expect(paragraphXml(xml, "经组务会审议")).toMatch(/w:eastAsia="FangSong"[\s\S]*<w:sz w:val="32"\/>/);

      expect(entries).toEqual([
        {
          action: "document.generate", objectType: "engagement", objectId: e.id,
          detail: expect.objectContaining({ kind: "report", problems: 5, leads: 1, sizeBytes: doc!.bytes.byteLength, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
        },
      ]);
      // Counting the leads read them: list_leads audited each one under this request (read as the owner).
      await as("owner");
      const [{ n }] = await tx<{ n: number }[]>`
        select count(*)::int as n from public.audit_log where action = 'lead.read' and request_id = 'doc-test-report-0001'`;
      expect(n).toBe(1);
    });
  });

  it("the feedback: a draft with every problem before feedback, then to the recorded 主送 with the fed-back ones and the plan's deadline", async () => {
    await withScenario(async (tx, s, as) => {
      const { e, problems } = await fiveProblems(tx, s, as);
      const [{ unit }] = await tx<{ unit: string }[]>`select unit_name as unit from public.engagements where id = ${e.id}`;

      await as("city");
      const draft = await readDocx((await generateEngagementDocument(recorder("doc-test-fb-0001").ctx(tx), e.id, "feedback", "2026-11-21"))!.bytes);
      expect(draft.paragraphs).toContain(`关于巡察${unit}党组织的反馈意见`);
      expect(draft.paragraphs).toContain("（代拟稿）");
      expect(draft.paragraphs).toContain(`${unit}党组织：`);
      expect(draft.paragraphs).toContain("共反馈问题5个，其中违反六项纪律方面3个，四风问题方面1个，选人用人问题方面1个。");
      expect(draft.paragraphs).toContain("一、巡察发现的主要问题");
      expect(draft.paragraphs).toContain("二、整改要求");
      expect(draft.paragraphs.some((p) => p.startsWith("请自反馈之日起2个月内将整改方案报送"))).toBe(true);

      // The office records the report stage and gives feedback on three of the five.
      await as("owner");
      await tx`update public.engagements set withdrawn_on = stationed_on + 30, reported_on = stationed_on + 40 where id = ${e.id}`;
      await as("city");
      const [{ on }] = await tx<{ on: string }[]>`select (reported_on + 5)::text as on from public.engagements where id = ${e.id}`;
      const due = new Date(Date.parse(`${on}T00:00:00Z`) + 60 * 86_400_000).toISOString().slice(0, 10);
      const chosen = [problems[0].id, problems[1].id, problems[3].id];
      await tx`select public.give_feedback(${e.id}, ${on}::date, 'centralized', '单位领导班子成员', '哈巡反〔2026〕3号',
                                           ${`中共${unit}党组`}, null, ${chosen}::bigint[], ${due}::date)`;
      const { entries, ctx } = recorder("doc-test-fb-0002");
      const doc = await generateEngagementDocument(ctx(tx), e.id, "feedback", "2026-11-21");
      const { paragraphs } = await readDocx(doc!.bytes);
      expect(doc?.fileName).toBe(`${unit}反馈意见.docx`);
      expect(paragraphs).not.toContain("（代拟稿）");
      expect(paragraphs).toContain("哈巡反〔2026〕3号");
      expect(paragraphs).toContain(`中共${unit}党组：`);
      expect(paragraphs).toContain("共反馈问题3个，其中违反六项纪律方面2个，四风问题方面1个。");
      expect(paragraphs).toContain("（一）违反六项纪律方面");
      expect(paragraphs).toContain("（二）四风问题方面");
      expect(paragraphs.some((p) => p.includes("干部选任程序不规范"))).toBe(false);
      expect(paragraphs.find((p) => p.startsWith("请于"))).toMatch(new RegExp(`^请于${chineseDate(due)}前将整改方案报送哈尔滨市委巡察办`));
      // Dated the day of the feedback.
      expect(paragraphs.at(-1)).toBe(chineseDate(on));
      expect(entries[0]).toMatchObject({ action: "document.generate", detail: expect.objectContaining({ kind: "feedback", problems: 3 }) });
    });
  });

  it("is not generated for an engagement the caller cannot see", async () => {
    await withScenario(async (tx, s, as) => {
      const e = s.e("230100常规");
      await as("nangang");
      const { entries, ctx } = recorder("doc-test-none-0001");
      expect(await generateEngagementDocument(ctx(tx), e.id, "report")).toBeNull();
      expect(entries).toEqual([]);
    });
  });
});

describe("thematic report", () => {
  it("groups the chosen problems by category with the units concerned, only problems the caller sees", async () => {
    await withScenario(async (tx, s, as) => {
      const { e, problems } = await fiveProblems(tx, s, as);
      const [{ unit }] = await tx<{ unit: string }[]>`select unit_name as unit from public.engagements where id = ${e.id}`;
      const input = { title: "关于违规发放津贴补贴问题的专题报告", mainRecipients: "市财政局党组", problem: [problems[0].id, problems[1].id, problems[3].id] };

      await as("city");
      const { entries, ctx } = recorder("doc-test-th-0001");
      const doc = await generateThematicDocument(ctx(tx), input, "哈尔滨市委巡察办", "2026-11-21");
      if (doc === "unknown") throw new Error("the city sees its own problems");
      expect(doc.fileName).toBe("关于违规发放津贴补贴问题的专题报告.docx");
      const { paragraphs } = await readDocx(doc.bytes);
      expect(paragraphs).toContain("关于违规发放津贴补贴问题的专题报告");
      expect(paragraphs).toContain("市财政局党组：");
      expect(paragraphs[2]).toBe("哈尔滨市委巡察办对1个单位巡察发现的问题进行了梳理分析，共涉及问题3个，现将有关情况报告如下，供研究解决共性问题、推动系统治理参考。");
      expect(paragraphs).toContain("一、违反六项纪律方面的问题（2个）");
      expect(paragraphs).toContain("二、四风问题方面的问题（1个）");
      expect(paragraphs).toContain(`（一）${unit}`);
      expect(paragraphs).toContain(`涉及${unit}等1个单位。`);
      expect(paragraphs).toContain("三、意见建议");
      expect(paragraphs.slice(-2)).toEqual(["哈尔滨市委巡察办", "2026年11月21日"]);
      expect(entries[0]).toMatchObject({ action: "document.generate", objectType: "document", detail: expect.objectContaining({ kind: "thematic", problems: input.problem }) });

      // A county office does not see them: no report, and nothing audited as generated.
      await as("nangang");
      const other = recorder("doc-test-th-0002");
      expect(await generateThematicDocument(other.ctx(tx), input, "南岗区委巡察办")).toBe("unknown");
      expect(other.entries).toEqual([]);
    });
  });
});
