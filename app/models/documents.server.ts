import { createHash } from "node:crypto";
import type { Tx } from "~/lib/db.server";
import { contentDisposition } from "~/lib/download";
import { applySecurityHeaders } from "~/lib/security-headers.server";
import { engagementModeLabel, fieldworkKindLabel } from "~/lib/messages";
import { documentKindLabel } from "~/lib/messages/findings";
import { chineseDate, Outline, renderOfficialDocx, type OfficialDocument } from "~/lib/official-docx.server";
import type { UserContext } from "~/lib/request.server";
import type { FieldworkKind } from "~/lib/schemas/engagement";
import type { DocumentKind, ThematicInput } from "~/lib/schemas/findings";
import { getEngagement, orgNames, type EngagementRow } from "./engagements.server";
import { countByTopCategory, listProblems, problemsByIds, type ProblemRow, type ThematicRow } from "./findings.server";

/**
 * Official documents generated from what was entered once ("一次录入、多次使用"): the
 * patrol report (巡察情况报告) and the feedback (反馈意见) of an engagement, and the
 * thematic report (专题报告) over problems of several. Every figure is read through the
 * caller's RLS context, so a document holds only what its reader may see. Each
 * generation is audited (document.generate) with the file's size and SHA-256.
 */

const STREAM_SLICE_BYTES = 16 * 1024;

export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

type Ctx = Pick<UserContext, "db" | "audit" | "requestId">;

export interface GeneratedDocument {
  fileName: string;
  bytes: Buffer;
}

/** "哈尔滨市委巡察办" → "哈尔滨市委"; "黑龙江省委巡视办" → "黑龙江省委". */
export const committeeOf = (office: string) => office.replace(/(巡察|巡视)(工作)?(办|办公室)$/, "");
/** The leading group a patrol report goes to: 哈尔滨市委巡察工作领导小组. */
export const leadingGroupOf = (office: string) =>
  `${committeeOf(office)}${/巡视(工作)?(办|办公室)$/.test(office) ? "巡视" : "巡察"}工作领导小组`;
const patrolWord = (office: string) => (/巡视(工作)?(办|办公室)$/.test(office) ? "巡视" : "巡察");

/** A problem's sentence in a document: its title, and its facts as the text. */
const ending = (s: string) => (/[。！？；]$/.test(s) ? s : `${s}。`);

export interface EngagementDocumentData {
  engagement: EngagementRow;
  supervisingOrgName: string;
  leaderName: string | null;
  fieldwork: { kind: FieldworkKind; count: number }[];
  petitions: number;
  problems: ProblemRow[];
  /** null when the caller's leads were not counted. */
  leads: { total: number; transferred: number } | null;
  feedback: { mainRecipients: string; feedbackOn: string; planDue: string; documentNo: string | null } | null;
}

/**
 * Everything the two documents of an engagement need, read in the caller's RLS context.
 * Leads are counted through public.list_leads, which audits every lead it returns
 * (lead.read): a report that states the leads has read them.
 */
export async function engagementDocumentData(db: Tx, engagementId: number, requestId: string): Promise<EngagementDocumentData | null> {
  const engagement = await getEngagement(db, engagementId);
  if (!engagement) return null;
  const names = await orgNames(db, [engagement.supervisingOrgId]);
  const [leader] = await db<{ name: string }[]>`
    select m.cadre_name as name from public.group_members m where m.group_id = ${engagement.groupId} and m.role = 'leader'`;
  const fieldwork = await db<{ kind: FieldworkKind; count: number }[]>`
    select f.kind, count(*)::int as count from public.fieldwork_records f
     where f.engagement_id = ${engagementId} group by f.kind order by f.kind`;
  const [{ petitions }] = await db<{ petitions: number }[]>`
    select count(*)::int as petitions from public.petitions p where p.engagement_id = ${engagementId}`;
  const [leads] = await db<{ total: number; transferred: number }[]>`
    select count(*)::int as total, count(*) filter (where l.transferred_on is not null)::int as transferred
      from public.list_leads(${engagementId}, ${requestId}) l`;
  const [feedback] = await db<{ mainRecipients: string; feedbackOn: string; planDue: string; documentNo: string | null }[]>`
    select f.main_recipients as "mainRecipients", f.feedback_on::text as "feedbackOn", f.plan_due::text as "planDue",
           f.document_no as "documentNo"
      from public.feedbacks f where f.engagement_id = ${engagementId}`;
  return {
    engagement,
    supervisingOrgName: names[engagement.supervisingOrgId] ?? engagement.executingOrgName,
    leaderName: leader?.name ?? null,
    fieldwork,
    petitions,
    problems: await listProblems(db, engagementId),
    leads: leads ?? null,
    feedback: feedback ?? null,
  };
}

/** "2026-11-16" → "2026年11月16日"; null → "". */
const day = (iso: string | null) => (iso ? chineseDate(iso) : "");

function period(e: EngagementRow): string {
  if (e.stationedOn && e.withdrawnOn) return `${day(e.stationedOn)}至${day(e.withdrawnOn)}`;
  if (e.stationedOn) return `自${day(e.stationedOn)}起`;
  return "";
}

/** Problems by top category, each with its items, in the dictionary's order. */
function problemsByCategory(outline: Outline, problems: ProblemRow[], suffix: (name: string, n: number) => string) {
  for (const c of countByTopCategory(problems)) {
    outline.h2(suffix(c.name, c.count));
    for (const p of problems.filter((x) => x.topCategoryId === c.topCategoryId)) {
      outline.item(ending(p.title), p.description.replace(/\s+/g, " ").trim());
    }
  }
}

const countsSentence = (problems: ProblemRow[]) =>
  countByTopCategory(problems).map((c) => `${c.name}方面${c.count}个`).join("，");

/** 巡察情况报告: to the leading group, from the group. */
export function reportDocument(d: EngagementDocumentData, today: Date | string): OfficialDocument {
  const e = d.engagement;
  const office = d.supervisingOrgName;
  const word = patrolWord(office);
  const o = new Outline();
  const when = period(e);
  o.p(
    `根据${committeeOf(office)}${word}工作统一部署，${e.groupName}${when ? `于${when}` : ""}对${e.unitName}党组织开展了${engagementModeLabel[e.mode]}` +
      `${e.executingOrgName !== office ? `（由${e.executingOrgName}组织实施）` : ""}。现将有关情况报告如下。`,
  );
  o.h1(`${word}工作开展情况`);
  const work = d.fieldwork.filter((f) => f.count > 0).map((f) => `${fieldworkKindLabel[f.kind]}${f.count}次`);
  o.p(
    `${word}组${d.leaderName ? `在组长${d.leaderName}带领下，` : ""}坚持以党的政治建设为统领，紧扣被巡察党组织职能责任，` +
      `通过个别谈话、调阅资料、走访调研、受理信访等方式深入了解情况。` +
      `${word}期间，${work.length ? `开展${work.join("、")}，` : ""}受理信访举报${d.petitions}件。`,
  );
  o.h1("发现的主要问题");
  const onTheSpot = d.problems.filter((p) => p.onTheSpot).length;
  if (d.problems.length === 0) {
    o.p(`经组务会审议，本次${word}暂未形成列入问题清单的问题。`);
  } else {
    o.p(`经组务会审议，共发现问题${d.problems.length}个，其中${countsSentence(d.problems)}；已督促立行立改${onTheSpot}个。具体如下：`);
    problemsByCategory(o, d.problems, (name, n) => `${name}方面（${n}个）`);
  }
  if (d.leads) {
    o.h1("问题线索移交情况");
    o.p(
      d.leads.total === 0
        ? `本次${word}未发现需要移交的问题线索。`
        : `${word}期间发现问题线索${d.leads.total}件，已按规定移交${d.leads.transferred}件${d.leads.total > d.leads.transferred ? `，其余${d.leads.total - d.leads.transferred}件正在按程序办理` : ""}。`,
    );
  }
  o.h1("意见建议");
  o.h2("压紧压实整改主体责任");
  o.p(`建议${e.unitName}党组织把${word}整改作为重要政治任务，主要负责人切实履行第一责任人职责，对反馈问题逐项研究、逐条整改、逐一销号。`);
  o.h2("深化标本兼治");
  o.p("针对问题背后的制度短板和管理漏洞，举一反三、建章立制，推动解决共性问题和深层次问题。");
  o.h2("加强整改监督");
  o.p(`建议${word}机构会同纪检监察机关、组织部门加强对整改情况的日常监督，对整改不力、敷衍整改的严肃问责。`);
  o.p("特此报告。");
  return {
    title: `关于${word}${e.unitName}党组织的情况报告`,
    mainRecipients: leadingGroupOf(office),
    blocks: o.blocks,
    issuer: e.groupName,
    date: today,
  };
}

/** 反馈意见: to the unit's party organization, the fed-back problems and the rectification requirements. */
export function feedbackDocument(d: EngagementDocumentData, today: Date | string): OfficialDocument {
  const e = d.engagement;
  const office = d.supervisingOrgName;
  const word = patrolWord(office);
  const fb = d.feedback;
  // Without a recorded feedback, a draft (代拟稿) with every problem on the list.
  const problems = fb ? d.problems.filter((p) => p.fedBack) : d.problems;
  const o = new Outline();
  const when = period(e);
  o.p(
    `根据${committeeOf(office)}${word}工作统一部署，${e.groupName}${when ? `于${when}` : ""}对${e.unitName}党组织进行了${word}。` +
      `经${leadingGroupOf(office)}审议并报${committeeOf(office)}同意，现将${word}发现的问题反馈如下。`,
  );
  o.h1(`${word}发现的主要问题`);
  if (problems.length === 0) {
    o.p("（暂无反馈问题。）");
  } else {
    o.p(`共反馈问题${problems.length}个，其中${countsSentence(problems)}。`);
    problemsByCategory(o, problems, (name) => `${name}方面`);
  }
  o.h1("整改要求");
  o.h2("提高政治站位，扛起整改主体责任");
  o.p(`${e.unitName}党组织要把${word}整改作为重大政治任务，主要负责人履行第一责任人职责，班子成员落实“一岗双责”，对反馈问题照单全收、逐项整改。`);
  o.h2("制定整改方案，限期报送");
  o.p(
    fb
      ? `请于${day(fb.planDue)}前将整改方案报送${office}，明确整改措施、责任领导、责任部门、责任人和完成时限，建立问题清单、任务清单、责任清单、督查清单。`
      : `请自反馈之日起2个月内将整改方案报送${office}，明确整改措施、责任领导、责任部门、责任人和完成时限，建立问题清单、任务清单、责任清单、督查清单。`,
  );
  o.h2("坚持标本兼治，确保整改实效");
  o.p("能够立行立改的要立行立改，需要持续整改的要明确时限、跟踪问效，对共性问题要建章立制，防止问题反弹回潮。整改进展情况按要求定期报送，整改情况按规定公开。");
  o.p("特此反馈。");
  return {
    title: `关于${word}${e.unitName}党组织的反馈意见`,
    subtitle: fb ? (fb.documentNo ?? undefined) : "（代拟稿）",
    mainRecipients: fb?.mainRecipients ?? `${e.unitName}党组织`,
    blocks: o.blocks,
    issuer: e.groupName,
    date: fb?.feedbackOn ?? today,
  };
}

/** 专题报告: the chosen problems by top category, each with the unit concerned. */
export function thematicDocument(
  input: Pick<ThematicInput, "title" | "mainRecipients">,
  problems: ThematicRow[],
  issuer: string,
  today: Date | string,
): OfficialDocument {
  const word = patrolWord(issuer);
  const units = [...new Set(problems.map((p) => p.unitName))];
  const o = new Outline();
  o.p(
    `${issuer}对${units.length}个单位${word}发现的问题进行了梳理分析，` +
      `共涉及问题${problems.length}个，现将有关情况报告如下，供研究解决共性问题、推动系统治理参考。`,
  );
  const groups = new Map<number, ThematicRow[]>();
  for (const p of problems) groups.set(p.topCategoryId, [...(groups.get(p.topCategoryId) ?? []), p]);
  for (const list of groups.values()) {
    const unitsHere = [...new Set(list.map((p) => p.unitName))];
    o.h1(`${list[0].topCategoryName ?? "其他问题"}方面的问题（${list.length}个）`);
    o.p(`涉及${unitsHere.join("、")}等${unitsHere.length}个单位。`);
    for (const unit of unitsHere) {
      o.h2(unit);
      for (const p of list.filter((x) => x.unitName === unit)) {
        o.item(ending(p.title), p.description.replace(/\s+/g, " ").trim());
      }
    }
  }
  o.h1("意见建议");
  o.p("建议有关部门针对上述问题加强行业指导和监督管理，完善相关制度规定，推动同类问题系统整改。");
  o.p("特此报告。");
  return { title: input.title, mainRecipients: input.mainRecipients, blocks: o.blocks, issuer, date: today };
}

async function finish(ctx: Ctx, doc: OfficialDocument, fileName: string, audit: { objectType: string; objectId: number | null; detail: Record<string, unknown> }): Promise<GeneratedDocument> {
  const bytes = await renderOfficialDocx(doc);
  await ctx.audit({
    action: "document.generate",
    objectType: audit.objectType,
    objectId: audit.objectId,
    detail: { ...audit.detail, title: doc.title, sizeBytes: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") },
  });
  return { fileName, bytes };
}

/** The report or feedback of an engagement the caller sees; null when RLS hides it. */
export async function generateEngagementDocument(ctx: Ctx, engagementId: number, kind: DocumentKind, today: Date | string = new Date()): Promise<GeneratedDocument | null> {
  const data = await engagementDocumentData(ctx.db, engagementId, ctx.requestId);
  if (!data) return null;
  const doc = kind === "report" ? reportDocument(data, today) : feedbackDocument(data, today);
  const problems = kind === "feedback" && data.feedback ? data.problems.filter((p) => p.fedBack) : data.problems;
  return finish(ctx, doc, `${data.engagement.unitName}${documentKindLabel[kind]}.docx`, {
    objectType: "engagement",
    objectId: engagementId,
    detail: { kind, problems: problems.length, leads: data.leads?.total ?? null },
  });
}

/** A thematic report over problems the caller sees; null when none of the ids is visible. */
export async function generateThematicDocument(ctx: Ctx, input: ThematicInput, issuer: string, today: Date | string = new Date()): Promise<GeneratedDocument | "unknown"> {
  const ids = [...new Set(input.problem)];
  const problems = await problemsByIds(ctx.db, ids);
  // Every id must be one the caller sees: a report never silently drops a chosen problem.
  if (problems.length !== ids.length) return "unknown";
  const doc = thematicDocument(input, problems, issuer, today);
  const safe = input.title.replace(/[\\/:*?"<>|\u0000-\u001f]/g, "").slice(0, 80) || "专题报告";
  return finish(ctx, doc, `${safe}.docx`, {
    objectType: "document",
    objectId: null,
    detail: { kind: "thematic", problems: ids },
  });
}

/**
 * The file as a download: its exact length (the browser shows progress from it), the
 * type, the Chinese file name, and nothing cached.
 */
export function documentResponse(doc: GeneratedDocument): Response {
  const headers = new Headers();
  applySecurityHeaders(headers);
  headers.set("Content-Type", DOCX_TYPE);
  headers.set("Content-Length", String(doc.bytes.byteLength));
  headers.set("Content-Disposition", contentDisposition(doc.fileName));
  headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
  // Streamed in slices, so the browser reads it (and reports its progress) as it arrives.
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const end = Math.min(offset + STREAM_SLICE_BYTES, doc.bytes.byteLength);
      controller.enqueue(new Uint8Array(doc.bytes.subarray(offset, end)));
      offset = end;
      if (offset >= doc.bytes.byteLength) controller.close();
    },
  });
  return new Response(body, { status: 200, headers });
}
