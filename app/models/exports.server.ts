import type { Tx } from "~/lib/db.server";
import { rate, treeOrder } from "~/lib/coverage";
import { engagementModeLabel, orgLevelLabel, termObjectKindLabel, unitCategoryLabel } from "~/lib/messages";
import { disciplineFormLabel, severityLabel } from "~/lib/messages/findings";
import { importsText } from "~/lib/messages/imports";
import { leadSourceLabel, leadStageLabel } from "~/lib/messages/leads";
import { deadlineColourLabel, itemStatusLabel, rectificationKindLabel, rectificationText } from "~/lib/messages/rectification";
import { beijingToday, itemColour } from "~/lib/rectification";
import { buildWorkbook, type SheetSpec } from "~/lib/xlsx.server";
import { coverageTree, termPlan } from "./coverage.server";
import { listProblems as listEngagementProblems } from "./findings.server";
import type { LeadRow } from "./leads.server";
import { listItems, listProblems, type FeedbackRow } from "./rectification.server";

/**
 * The .xlsx exports of the lists and ledgers, in the layout offices use: a title
 * "<org> <list>", a note with the scope and the time of export (Beijing), 序号 first,
 * dates as yyyy-mm-dd. Every export reads through the app's own model queries inside the
 * caller's RLS context, so its rows are exactly what the page shows that user; the
 * route checks the same CASL rule as the page first.
 */

const x = importsText.export;
const r = rectificationText;

/** The time of export in Beijing, to the minute: 2026-11-21 14:05. */
export function beijingNow(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
}

const note = (scope: string, now: Date) => `${x.scope(scope)}　${x.exportedAt(beijingNow(now))}`;
const yesNo = (b: boolean) => (b ? x.yes : x.no);
const seqColumn = <T>(rows: T[]) => {
  const index = new Map(rows.map((row, i) => [row, i + 1]));
  return { header: x.seq, width: 6, value: (row: T) => index.get(row) ?? null, format: "integer" as const };
};

export interface XlsxFile {
  bytes: Buffer;
  filename: string;
}

// ---------------------------------------------------------------- rectification: the four lists

/** 问题清单、任务清单、责任清单、督查清单 of one engagement's rectification, one sheet each. */
export async function rectificationWorkbook(db: Tx, feedback: FeedbackRow, orgName: string, now = new Date()): Promise<XlsxFile> {
  const [problems, items] = [await listProblems(db, feedback.engagementId), await listItems(db, feedback.engagementId)];
  const today = beijingToday(now);
  const scope = `${feedback.unitName}（${feedback.groupName}，${r.feedbackOn} ${feedback.feedbackOn}）`;
  const subtitle = note(scope, now);
  type P = (typeof problems)[number];
  type I = (typeof items)[number];
  const problemSheet: SheetSpec<P> = {
    name: x.problemList,
    title: `${orgName} ${x.problemList}`,
    subtitle,
    rows: problems,
    columns: [
      seqColumn(problems),
      { header: r.problemSeq, width: 8, value: (p) => p.seq, format: "integer" },
      { header: r.problemTitle, width: 36, value: (p) => p.title },
      { header: "问题描述", width: 50, value: (p) => p.description },
      { header: r.problemCategory, width: 18, value: (p) => p.category },
      { header: r.severity, width: 10, value: (p) => severityLabel[p.severity] },
      { header: r.onTheSpot, width: 12, value: (p) => yesNo(p.onTheSpot) },
      { header: r.itemCount, width: 10, value: (p) => p.items, format: "integer" },
      { header: r.itemsClosed, width: 10, value: (p) => p.closed, format: "integer" },
      {
        header: r.problemState, width: 16,
        value: (p) => (p.items === 0 ? r.problemNoItems : p.closed === p.items ? r.problemRectified : r.problemInProgress(p.closed, p.items)),
      },
    ],
  };
  // 任务、责任、督查清单: a sheet of the items each, after 序号 and the problem's number.
  const itemSheet = (name: string, columns: SheetSpec<I>["columns"]): SheetSpec<I> => ({
    name,
    title: `${orgName} ${name}`,
    subtitle,
    rows: items,
    columns: [seqColumn(items), { header: r.problemSeq, width: 8, value: (i) => i.problemSeq, format: "integer" }, ...columns],
  });
  const taskSheet = itemSheet(x.taskList, [
    { header: r.problemTitle, width: 30, value: (i) => i.problemTitle },
    { header: r.measures, width: 50, value: (i) => i.measures },
    { header: r.kind, width: 12, value: (i) => rectificationKindLabel[i.kind] },
    { header: r.deadline, width: 12, value: (i) => i.deadline ?? r.noDeadline },
    { header: r.status, width: 18, value: (i) => itemStatusLabel[i.status] },
  ]);
  const dutySheet = itemSheet(x.dutyList, [
    { header: r.problemTitle, width: 30, value: (i) => i.problemTitle },
    { header: r.measures, width: 44, value: (i) => i.measures },
    { header: r.responsibleLeader, width: 12, value: (i) => i.responsibleLeader },
    { header: r.responsibleDepartment, width: 16, value: (i) => i.responsibleDepartment },
    { header: r.responsiblePerson, width: 12, value: (i) => i.responsiblePerson },
  ]);
  const supervisionSheet = itemSheet(x.supervisionList, [
    { header: r.measures, width: 40, value: (i) => i.measures },
    { header: r.deadline, width: 12, value: (i) => i.deadline ?? r.noDeadline },
    { header: r.status, width: 18, value: (i) => itemStatusLabel[i.status] },
    { header: r.warning, width: 10, value: (i) => { const c = itemColour(i, today); return c ? deadlineColourLabel[c] : null; } },
    { header: r.progress, width: 40, value: (i) => i.lastProgress },
    { header: "最新报告日期", width: 12, value: (i) => i.lastReportedOn },
    { header: "进展报告次数", width: 10, value: (i) => i.updates, format: "integer" },
    { header: r.returnedTimes, width: 10, value: (i) => i.returnedCount, format: "integer" },
    { header: "回头看重开次数", width: 10, value: (i) => i.reopenedCount, format: "integer" },
  ]);
  return { bytes: await buildWorkbook([problemSheet, taskSheet, dutySheet, supervisionSheet]), filename: `${feedback.unitName}整改四个清单.xlsx` };
}

// ---------------------------------------------------------------- an engagement's problem list

export async function problemsWorkbook(
  db: Tx,
  engagement: { id: number; unitName: string; groupName: string },
  orgName: string,
  now = new Date(),
): Promise<XlsxFile> {
  const problems = await listEngagementProblems(db, engagement.id);
  const sheet: SheetSpec<(typeof problems)[number]> = {
    name: x.problemList,
    title: `${orgName} ${x.problemList}`,
    subtitle: note(`${engagement.unitName}（${engagement.groupName}）`, now),
    rows: problems,
    columns: [
      seqColumn(problems),
      { header: "问题编号", width: 8, value: (p) => p.seq, format: "integer" },
      { header: "问题", width: 36, value: (p) => p.title },
      { header: "问题描述", width: 50, value: (p) => p.description },
      { header: "问题类别", width: 18, value: (p) => p.topCategoryName },
      { header: "具体类别", width: 18, value: (p) => (p.categoryName && p.categoryName !== p.topCategoryName ? p.categoryName : null) },
      { header: "严重程度", width: 10, value: (p) => severityLabel[p.severity] },
      { header: "四种形态", width: 12, value: (p) => (p.disciplineForm ? disciplineFormLabel[p.disciplineForm] : null) },
      { header: "立行立改", width: 10, value: (p) => yesNo(p.onTheSpot) },
      { header: "是否已反馈", width: 10, value: (p) => yesNo(p.fedBack) },
    ],
  };
  return { bytes: await buildWorkbook([sheet]), filename: `${engagement.unitName}问题清单.xlsx` };
}

// ---------------------------------------------------------------- the leads register

/**
 * The leads as public.list_leads returned them to the caller (audited there, one
 * lead.read per lead): never the person concerned nor anyone who reported, which that
 * function does not return. A partner's staff get their inbox's columns.
 */
export async function leadsWorkbook(leads: LeadRow[], o: { orgName: string; partner: boolean }, now = new Date()): Promise<XlsxFile> {
  const sheet: SheetSpec<LeadRow> = {
    name: x.leadsList,
    title: `${o.orgName} ${x.leadsList}`,
    subtitle: note(o.partner ? "移交本单位的问题线索" : "本机构及下级机构的问题线索", now),
    rows: leads,
    columns: [
      seqColumn(leads),
      { header: "线索编号", width: 8, value: (l) => l.seq, format: "integer" },
      { header: "被巡察单位", width: 24, value: (l) => l.unitName },
      o.partner
        ? { header: "移交机关", width: 20, value: (l) => l.executingOrgName }
        : { header: "线索来源", width: 14, value: (l) => (l.problemId ? leadSourceLabel.problem : leadSourceLabel.petition) },
      { header: "线索摘要", width: 50, value: (l) => l.summary },
      { header: "办理状态", width: 10, value: (l) => leadStageLabel[l.stage] },
      ...(o.partner ? [] : [{ header: "接收单位", width: 20, value: (l: LeadRow) => l.receivingOrgName }]),
      { header: "移交日期", width: 12, value: (l) => l.transferredOn },
      { header: "移交文号", width: 18, value: (l) => l.documentNo },
      { header: "党纪政务处分（人）", width: 12, value: (l) => l.sanctionedPersons, format: "integer" },
      { header: "移送司法机关（人）", width: 12, value: (l) => l.judicialPersons, format: "integer" },
    ],
  };
  return { bytes: await buildWorkbook([sheet]), filename: `${o.orgName}问题线索台账.xlsx` };
}

// ---------------------------------------------------------------- coverage

/**
 * 全覆盖进度 of the focus org and every org below it (the coverage page's query), and
 * the focus org's plan objects when it has a term. Null when the focus is not in the
 * caller's subtree (the page's 404).
 */
export async function coverageWorkbook(
  db: Tx,
  o: { activeOrgId: number; focusId: number; year: number; orgName: string },
  now = new Date(),
): Promise<XlsxFile | null> {
  const nodes = await coverageTree(db, o.activeOrgId, o.year);
  const focus = nodes.find((n) => n.id === o.focusId);
  if (!focus) return null;
  const rows = treeOrder(nodes, focus.id);
  const indent = (depth: number) => "　".repeat(Math.max(0, depth - focus.depth));
  const term = focus.termName ? `${focus.termName}（${focus.startYear}—${focus.endYear}）` : "尚未设立届次";
  const tree: SheetSpec<(typeof rows)[number]> = {
    name: x.coverageList,
    title: `${o.orgName} ${x.coverageList}`,
    subtitle: note(`${focus.name}及下级机构，${term}`, now),
    rows,
    columns: [
      seqColumn(rows),
      { header: "机构", width: 28, value: (n) => `${indent(n.depth)}${n.name}` },
      { header: "层级", width: 8, value: (n) => orgLevelLabel[n.level] },
      { header: "当前届次", width: 18, value: (n) => n.termName },
      { header: "本级应覆盖", width: 10, value: (n) => n.own.due, format: "integer" },
      { header: "本级已覆盖", width: 10, value: (n) => n.own.covered, format: "integer" },
      { header: "本级覆盖率", width: 10, value: (n) => rate(n.own), format: "percent" },
      { header: "提级对象应覆盖", width: 12, value: (n) => n.own.elevatedDue, format: "integer" },
      { header: "提级对象已覆盖", width: 12, value: (n) => n.own.elevatedCovered, format: "integer" },
      { header: "已排期未进驻", width: 12, value: (n) => n.own.scheduled, format: "integer" },
      { header: "含下级应覆盖", width: 12, value: (n) => n.rolled.due, format: "integer" },
      { header: "含下级已覆盖", width: 12, value: (n) => n.rolled.covered, format: "integer" },
      { header: "含下级覆盖率", width: 12, value: (n) => rate(n.rolled), format: "percent" },
    ],
  };
  const sheets: SheetSpec<unknown>[] = [tree as SheetSpec<unknown>];
  if (focus.termId !== null) {
    const plan = await termPlan(db, focus.termId);
    const planSheet: SheetSpec<(typeof plan)[number]> = {
      name: x.coveragePlan,
      title: `${o.orgName} ${x.coveragePlan}`,
      subtitle: note(`${focus.name}，${term}`, now),
      rows: plan,
      columns: [
        seqColumn(plan),
        { header: "巡察对象", width: 30, value: (p) => p.unitName },
        { header: "单位类别", width: 14, value: (p) => unitCategoryLabel[p.unitCategory as keyof typeof unitCategoryLabel] ?? p.unitCategory },
        { header: "管辖机构", width: 20, value: (p) => p.unitOrgName },
        { header: "对象类型", width: 16, value: (p) => termObjectKindLabel[p.kind] },
        { header: "计划年度", width: 10, value: (p) => p.plannedYear, format: "integer" },
        { header: "覆盖情况", width: 10, value: (p) => (p.covered ? "已覆盖" : p.scheduled ? "已排期" : "未覆盖") },
        { header: "进驻日期", width: 12, value: (p) => p.coveredOn },
        {
          header: "巡察方式", width: 10,
          value: (p) => (p.coveredMode ? (engagementModeLabel[p.coveredMode as keyof typeof engagementModeLabel] ?? p.coveredMode) : null),
        },
      ],
    };
    sheets.push(planSheet as SheetSpec<unknown>);
  }
  return { bytes: await buildWorkbook(sheets), filename: `${focus.name}全覆盖进度.xlsx` };
}
