import { likeContains, type Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { rectificationText as t } from "~/lib/messages/rectification";
import type { ItemStatus, RectificationKind, ReportKind, ReviewStatus } from "~/lib/rectification";
import {
  RECTIFICATION_PAGE_SIZE,
  SUPERVISION_PAGE_SIZE,
  type ItemInput,
  type RectificationFilters,
  type ReportInput,
  type SupervisionFilters,
  type UpdateInput,
  type WarningAccountsInput,
} from "~/lib/schemas/rectification";
import type { AttachmentContentType } from "~/lib/sniff";

/**
 * Rectification (整改): the feedback a unit received, its plan and progress reports and
 * their review, the ledger items (the four lists), their progress and double review.
 *
 * Every query runs in the caller's RLS context. A unit contact reads no engagement, unit
 * or org: everything here starts from public.feedbacks, whose snapshot columns (unit,
 * group, supervising office) he may read, and never joins the conduct tables.
 */

// ---------------------------------------------------------------- refusals

/** The database's refusals (20261121001700_feedback_and_rectification.sql) in words. */
const msg = (fragment: string) => new RegExp(fragment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

export const REPORT_REFUSALS: DbRefusal[] = [
  { code: "23514", match: msg("progress is reported once the plan is accepted"), field: null, message: t.refused.planFirst },
  { code: "23514", match: msg("a report of this kind awaits review"), field: null, message: t.refused.awaitingReview },
  { code: "23514", match: msg("the plan is accepted already"), field: null, message: t.refused.planAccepted },
  { code: "23514", match: /rectification_reports_title_check/, field: "title", message: t.titleRequired },
  { code: "23514", match: /rectification_reports_content_check/, field: "content", message: t.contentRequired },
];

export const REPORT_REVIEW_REFUSALS: DbRefusal[] = [
  { code: "23514", match: msg("only a submitted report is reviewed, once"), field: null, message: t.refused.reviewedOnce },
  { code: "23514", match: msg("a submitted report is not changed"), field: null, message: t.refused.reportUnchanged },
  { code: "23514", match: /rectification_reports_return_reason/, field: "comment", message: t.reasonRequired },
  { code: "42501", field: null, message: t.refused.officeReviews },
];

export const ITEM_REFUSALS: DbRefusal[] = [
  { code: "23514", match: msg("the deadline is after the feedback"), field: "deadline", message: t.refused.deadlineAfterFeedback },
  { code: "23514", match: /rectification_items_deadline/, field: "deadline", message: t.deadlineRequired },
  { code: "23514", match: msg("the responsible account is not the unit's"), field: null, message: t.refused.accountNotUnits },
  { code: "23514", match: msg("a closed item is reopened by the office first"), field: null, message: t.refused.closedReopenFirst },
  { code: "23514", match: /rectification_items_measures_check/, field: "measures", message: t.measuresRequired },
];

export const UPDATE_REFUSALS: DbRefusal[] = [
  { code: "22007", match: msg("the date is not in the future"), field: "reportedOn", message: t.refused.dateNotFuture },
  { code: "23514", match: /rectification_updates_progress_check/, field: "progress", message: t.progressRequired },
];

export const ITEM_REVIEW_REFUSALS: DbRefusal[] = [
  { code: "42501", match: msg("the unit's head confirms"), field: null, message: t.refused.headConfirms },
  { code: "23514", match: msg("only an open item is confirmed"), field: null, message: t.refused.onlyOpenConfirmed },
  { code: "23514", match: msg("report progress before confirming"), field: null, message: t.refused.progressBeforeConfirm },
  { code: "42501", match: msg("the office reviews"), field: null, message: t.refused.officeReviews },
  { code: "23514", match: msg("a return gives its reason"), field: "reason", message: t.refused.returnReason },
  { code: "23514", match: /rectification_item_events_reason/, field: "reason", message: t.refused.returnReason },
  { code: "23514", match: msg("the unit's head confirms first"), field: null, message: t.refused.headFirst },
  { code: "23514", match: msg("only a confirmed item is returned"), field: null, message: t.refused.onlyConfirmedReturned },
  { code: "23514", match: msg("only a closed item is reopened"), field: null, message: t.refused.onlyClosedReopened },
];

// ---------------------------------------------------------------- policy columns

/** The columns the rectification policies and CASL rules (RectificationRecord) look at. */
export interface RectificationScope {
  groupId: number;
  executingOrgId: number;
  supervisingOrgId: number;
  targetVisibleOrgId: number | null;
  unitId: number;
}

const scopeColumns = (db: Tx, alias: string) => db`
  ${db(alias)}.group_id::int as "groupId", ${db(alias)}.executing_org_id as "executingOrgId",
  ${db(alias)}.supervising_org_id as "supervisingOrgId", ${db(alias)}.target_visible_org_id as "targetVisibleOrgId",
  ${db(alias)}.unit_id::int as "unitId"`;

// ---------------------------------------------------------------- the list

export type PlanState = "none" | ReviewStatus;

export interface RectificationListRow {
  engagementId: number;
  unitName: string;
  groupName: string;
  supervisingOrgName: string;
  feedbackOn: string;
  planDue: string;
  planState: PlanState;
  problems: number;
  items: number;
  open: number;
  confirmed: number;
  closed: number;
  overdue: number;
}

/** Engagements under rectification the caller sees (RLS: offices in scope, the group, the unit's contacts). */
export async function listRectifications(
  db: Tx,
  f: RectificationFilters,
  today: string,
): Promise<{ rows: RectificationListRow[]; total: number }> {
  const rows = await db<(RectificationListRow & { total: number })[]>`
    with r as (
      select f.engagement_id::int as "engagementId", f.unit_name as "unitName",
             f.group_name as "groupName", f.supervising_org_name as "supervisingOrgName",
             f.feedback_on::text as "feedbackOn", f.plan_due::text as "planDue",
             coalesce(pl.status::text, 'none') as "planState",
             (select count(*)::int from public.problems p where p.feedback_id = f.id) as problems,
             coalesce(ic.items, 0) as items, coalesce(ic.open, 0) as open, coalesce(ic.confirmed, 0) as confirmed,
             coalesce(ic.closed, 0) as closed, coalesce(ic.overdue, 0) as overdue
        from public.feedbacks f
        left join lateral (
          select rr.status from public.rectification_reports rr
           where rr.engagement_id = f.engagement_id and rr.kind = 'plan' order by rr.seq desc limit 1) pl on true
        left join lateral (
          select count(*)::int as items,
                 count(*) filter (where i.status = 'open')::int as open,
                 count(*) filter (where i.status = 'unit_confirmed')::int as confirmed,
                 count(*) filter (where i.status = 'closed')::int as closed,
                 count(*) filter (where i.status = 'open' and i.deadline < ${today}::date)::int as overdue
            from public.rectification_items i where i.engagement_id = f.engagement_id) ic on true
       where true
       ${f.q ? db`and f.unit_name like ${likeContains(f.q)}` : db``}
    )
    select r.*, count(*) over ()::int as total
      from r
     where true
     ${f.plan ? db`and r."planState" = ${f.plan}` : db``}
     ${f.overdue ? db`and r.overdue > 0` : db``}
     order by r.overdue desc, r."feedbackOn" desc, r."engagementId" desc
     limit ${RECTIFICATION_PAGE_SIZE} offset ${(f.page - 1) * RECTIFICATION_PAGE_SIZE}`;
  return { rows: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}

// ---------------------------------------------------------------- feedback

export interface FeedbackRow extends RectificationScope {
  id: number;
  engagementId: number;
  unitName: string;
  groupName: string;
  supervisingOrgName: string;
  feedbackOn: string;
  form: "centralized" | "dual" | "combined";
  attendees: string;
  documentNo: string | null;
  mainRecipients: string;
  ccRecipients: string | null;
  planDue: string;
}

export async function getFeedback(db: Tx, engagementId: number): Promise<FeedbackRow | undefined> {
  const [row] = await db<FeedbackRow[]>`
    select f.id::int as id, f.engagement_id::int as "engagementId", ${scopeColumns(db, "f")},
           f.unit_name as "unitName", f.group_name as "groupName", f.supervising_org_name as "supervisingOrgName",
           f.feedback_on::text as "feedbackOn", f.form, f.attendees, f.document_no as "documentNo",
           f.main_recipients as "mainRecipients", f.cc_recipients as "ccRecipients", f.plan_due::text as "planDue"
      from public.feedbacks f
     where f.engagement_id = ${engagementId}`;
  return row;
}

// ---------------------------------------------------------------- problems (问题清单)

export interface ProblemRow {
  id: number;
  seq: number;
  title: string;
  description: string;
  category: string | null;
  severity: "general" | "serious" | "grave";
  onTheSpot: boolean;
  items: number;
  closed: number;
}

/** The fed-back problems of an engagement, with how far their items are. */
export async function listProblems(db: Tx, engagementId: number): Promise<ProblemRow[]> {
  return db<ProblemRow[]>`
    select p.id::int as id, p.seq, p.title, p.description,
           -- An office's own sub-category is not readable by the unit: its top category is.
           coalesce(c.name, tc.name) as category, p.severity, p.on_the_spot as "onTheSpot",
           (select count(*)::int from public.rectification_items i where i.problem_id = p.id) as items,
           (select count(*)::int from public.rectification_items i where i.problem_id = p.id and i.status = 'closed') as closed
      from public.problems p
      left join public.problem_categories c on c.id = p.category_id
      left join public.problem_categories tc on tc.id = p.top_category_id
     where p.engagement_id = ${engagementId} and p.feedback_id is not null
     order by p.seq`;
}

// ---------------------------------------------------------------- reports

export interface EvidenceFile {
  id: number;
  fileName: string;
  contentType: AttachmentContentType;
  sizeBytes: number;
}

export interface ReportRow {
  id: number;
  kind: ReportKind;
  seq: number;
  title: string;
  content: string;
  status: ReviewStatus;
  submittedAt: Date;
  submittedBy: string | null;
  reviewComment: string | null;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  files: EvidenceFile[];
}

/** The plan's and progress reports' versions, newest first within each kind, with their files. */
export async function listReports(db: Tx, engagementId: number): Promise<ReportRow[]> {
  const reports = await db<Omit<ReportRow, "files">[]>`
    with d as (select * from private.people_directory())
    select r.id::int as id, r.kind, r.seq, r.title, r.content, r.status, r.submitted_at as "submittedAt",
           sb.display_name as "submittedBy", r.review_comment as "reviewComment", r.reviewed_at as "reviewedAt",
           rb.display_name as "reviewedBy"
      from public.rectification_reports r
      left join d sb on sb.user_id = r.submitted_by
      left join d rb on rb.user_id = r.reviewed_by
     where r.engagement_id = ${engagementId}
     order by r.kind, r.seq desc`;
  const files = await db<(EvidenceFile & { ownerId: number })[]>`
    select a.id::int as id, a.rectification_report_id::int as "ownerId", a.file_name as "fileName",
           a.content_type as "contentType", a.size_bytes as "sizeBytes"
      from public.attachments a
     where a.engagement_id = ${engagementId} and a.rectification_report_id is not null
     order by a.id`;
  return reports.map((r) => ({ ...r, files: files.filter((f) => f.ownerId === r.id).map(({ ownerId: _o, ...f }) => f) }));
}

/** Submits a plan or a progress report (the database numbers the version and checks the order). */
export async function submitReport(db: Tx, engagementId: number, input: ReportInput): Promise<{ id: number; seq: number }> {
  const [row] = await db<{ id: number; seq: number }[]>`
    insert into public.rectification_reports (engagement_id, kind, title, content)
    values (${engagementId}, ${input.kind}, ${input.title}, ${input.content})
    returning id::int as id, seq`;
  return row;
}

export async function getReport(db: Tx, engagementId: number, reportId: number) {
  const [row] = await db<{ id: number; kind: ReportKind; seq: number; status: ReviewStatus }[]>`
    select r.id::int as id, r.kind, r.seq, r.status from public.rectification_reports r
     where r.id = ${reportId} and r.engagement_id = ${engagementId}`;
  return row;
}

/** The office's verdict: false when RLS hides the row from updates (not the supervising office). */
export async function reviewReport(
  db: Tx,
  engagementId: number,
  reportId: number,
  decision: "accepted" | "returned",
  comment: string | undefined,
): Promise<boolean> {
  const rows = await db`
    update public.rectification_reports
       set status = ${decision}, review_comment = ${comment?.length ? comment : null}
     where id = ${reportId} and engagement_id = ${engagementId}`;
  return rows.count === 1;
}

// ---------------------------------------------------------------- items (任务、责任、督查清单)

export interface ItemRow {
  id: number;
  problemId: number;
  problemSeq: number;
  problemTitle: string;
  measures: string;
  responsibleLeader: string;
  responsibleDepartment: string;
  responsiblePerson: string;
  kind: RectificationKind;
  deadline: string | null;
  status: ItemStatus;
  returnedCount: number;
  reopenedCount: number;
  updates: number;
  lastReportedOn: string | null;
  lastProgress: string | null;
}

export async function listItems(db: Tx, engagementId: number): Promise<ItemRow[]> {
  return db<ItemRow[]>`
    select i.id::int as id, i.problem_id::int as "problemId", p.seq as "problemSeq", p.title as "problemTitle",
           i.measures, i.responsible_leader as "responsibleLeader", i.responsible_department as "responsibleDepartment",
           i.responsible_person as "responsiblePerson", i.kind, i.deadline::text as deadline, i.status,
           i.returned_count as "returnedCount", i.reopened_count as "reopenedCount",
           coalesce(u.n, 0) as updates, u.last_on as "lastReportedOn", u.last_progress as "lastProgress"
      from public.rectification_items i
      join public.problems p on p.id = i.problem_id
      left join lateral (
        select count(*)::int as n, max(x.reported_on)::text as last_on,
               (select y.progress from public.rectification_updates y where y.item_id = i.id
                 order by y.reported_on desc, y.id desc limit 1) as last_progress
          from public.rectification_updates x where x.item_id = i.id) u on true
     where i.engagement_id = ${engagementId}
     order by p.seq, i.id`;
}

/**
 * Adds an item for one of the engagement's fed-back problems; null when the problem is
 * not on this engagement's fed-back list (or not visible).
 */
export async function createItem(db: Tx, engagementId: number, input: ItemInput): Promise<number | null> {
  const [row] = await db<{ id: number }[]>`
    insert into public.rectification_items (problem_id, measures, responsible_leader, responsible_department,
                                            responsible_person, kind, deadline,
                                            responsible_leader_user_id, responsible_person_user_id)
    select p.id, ${input.measures}, ${input.responsibleLeader}, ${input.responsibleDepartment}, ${input.responsiblePerson},
           ${input.kind}, ${input.deadline ?? null},
           ${input.responsibleLeaderUserId ?? null}, ${input.responsiblePersonUserId ?? null}
      from public.problems p
     where p.id = ${input.problemId} and p.engagement_id = ${engagementId} and p.feedback_id is not null
    returning id::int as id`;
  return row?.id ?? null;
}

/** An inspected unit's accounts (its 整改联络员), for linking an item's responsible people. */
export interface UnitAccount {
  userId: string;
  displayName: string;
  isUnitHead: boolean;
}

/** The unit's accounts, as public.unit_accounts gives them (nothing to anyone else). */
export async function listUnitAccounts(db: Tx, unitId: number): Promise<UnitAccount[]> {
  return db<UnitAccount[]>`
    select user_id as "userId", display_name as "displayName", is_unit_head as "isUnitHead"
      from public.unit_accounts(${unitId})`;
}

/** Links (or unlinks) the accounts that receive an item's deadline warnings. */
export async function setWarningAccounts(db: Tx, id: number, input: WarningAccountsInput): Promise<boolean> {
  const rows = await db`
    update public.rectification_items
       set responsible_leader_user_id = ${input.responsibleLeaderUserId ?? null},
           responsible_person_user_id = ${input.responsiblePersonUserId ?? null}
     where id = ${id}`;
  return rows.count === 1;
}

export interface ItemDetail extends RectificationScope {
  id: number;
  engagementId: number;
  problemId: number;
  problemSeq: number;
  problemTitle: string;
  problemDescription: string;
  unitName: string;
  supervisingOrgName: string;
  feedbackOn: string;
  measures: string;
  responsibleLeader: string;
  responsibleDepartment: string;
  responsiblePerson: string;
  kind: RectificationKind;
  deadline: string | null;
  status: ItemStatus;
  statusChangedAt: Date;
  returnedCount: number;
  reopenedCount: number;
  responsibleLeaderUserId: string | null;
  responsiblePersonUserId: string | null;
  /** The linked accounts' names (as people_directory shows them to the reader). */
  leaderAccountName: string | null;
  personAccountName: string | null;
}

export async function getItem(db: Tx, id: number): Promise<ItemDetail | undefined> {
  const [row] = await db<ItemDetail[]>`
    select i.id::int as id, i.engagement_id::int as "engagementId", ${scopeColumns(db, "i")},
           i.problem_id::int as "problemId", p.seq as "problemSeq", p.title as "problemTitle",
           p.description as "problemDescription", f.unit_name as "unitName",
           f.supervising_org_name as "supervisingOrgName", f.feedback_on::text as "feedbackOn",
           i.measures, i.responsible_leader as "responsibleLeader", i.responsible_department as "responsibleDepartment",
           i.responsible_person as "responsiblePerson", i.kind, i.deadline::text as deadline, i.status,
           i.status_changed_at as "statusChangedAt", i.returned_count as "returnedCount",
           i.reopened_count as "reopenedCount",
           i.responsible_leader_user_id as "responsibleLeaderUserId", i.responsible_person_user_id as "responsiblePersonUserId",
           (select d.display_name from private.people_directory() d where d.user_id = i.responsible_leader_user_id) as "leaderAccountName",
           (select d.display_name from private.people_directory() d where d.user_id = i.responsible_person_user_id) as "personAccountName"
      from public.rectification_items i
      join public.problems p on p.id = i.problem_id
      join public.feedbacks f on f.engagement_id = i.engagement_id
     where i.id = ${id}`;
  return row;
}

// ---------------------------------------------------------------- progress updates

export interface UpdateRow {
  id: number;
  reportedOn: string;
  progress: string;
  createdAt: Date;
  createdBy: string | null;
  files: EvidenceFile[];
}

export async function listUpdates(db: Tx, itemId: number): Promise<UpdateRow[]> {
  const updates = await db<Omit<UpdateRow, "files">[]>`
    select u.id::int as id, u.reported_on::text as "reportedOn", u.progress, u.created_at as "createdAt",
           d.display_name as "createdBy"
      from public.rectification_updates u
      left join private.people_directory() d on d.user_id = u.created_by
     where u.item_id = ${itemId}
     order by u.reported_on desc, u.id desc`;
  if (updates.length === 0) return [];
  const files = await db<(EvidenceFile & { ownerId: number })[]>`
    select a.id::int as id, a.rectification_update_id::int as "ownerId", a.file_name as "fileName",
           a.content_type as "contentType", a.size_bytes as "sizeBytes"
      from public.attachments a
     where a.rectification_update_id = any (${updates.map((u) => u.id)}::bigint[])
     order by a.id`;
  return updates.map((u) => ({ ...u, files: files.filter((f) => f.ownerId === u.id).map(({ ownerId: _o, ...f }) => f) }));
}

/**
 * The database's date, which its checks use (a progress update is "not in the future" by
 * current_date). The form offers it, so its default is never refused around midnight,
 * when the session's time zone and Beijing's are on different days.
 */
export async function databaseToday(db: Tx): Promise<string> {
  const [{ today }] = await db<{ today: string }[]>`select current_date::text as today`;
  return today;
}

export async function addUpdate(db: Tx, itemId: number, input: UpdateInput): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into public.rectification_updates (item_id, reported_on, progress)
    values (${itemId}, ${input.reportedOn}, ${input.progress})
    returning id::int as id`;
  return row.id;
}

// ---------------------------------------------------------------- double review

export type ItemAction = "confirm" | "verify" | "return" | "reopen";

export interface ItemEventRow {
  id: number;
  action: ItemAction;
  lookBack: boolean;
  reason: string | null;
  actedAt: Date;
  actedBy: string | null;
}

export async function listItemEvents(db: Tx, itemId: number): Promise<ItemEventRow[]> {
  return db<ItemEventRow[]>`
    select e.id::int as id, e.action, e.look_back as "lookBack", e.reason, e.acted_at as "actedAt",
           d.display_name as "actedBy"
      from public.rectification_item_events e
      left join private.people_directory() d on d.user_id = e.acted_by
     where e.item_id = ${itemId}
     order by e.acted_at desc, e.id desc`;
}

/** One step of the double review, through public.review_rectification_item: the item's new status. */
export async function reviewItem(db: Tx, itemId: number, action: ItemAction, reason?: string): Promise<ItemStatus> {
  const [row] = await db<{ status: ItemStatus }[]>`
    select public.review_rectification_item(${itemId}, ${action}::public.item_action, ${reason?.length ? reason : null},
                                            ${action === "reopen"}) as status`;
  return row.status;
}

// ---------------------------------------------------------------- overdue items (挂账督办)

export interface OverdueRow {
  id: number;
  engagementId: number;
  problemSeq: number | null;
  problemTitle: string | null;
  supervisingOrgId: number;
  unitName: string;
  groupName: string;
  measures: string;
  responsibleLeader: string;
  responsibleDepartment: string;
  responsiblePerson: string;
  deadline: string;
  daysOverdue: number;
  returnedCount: number;
  reopenedCount: number;
}

/** Open items past their deadline in the caller's scope (public.overdue_items), longest overdue first. */
export async function listOverdueItems(db: Tx, f: SupervisionFilters): Promise<{ rows: OverdueRow[]; total: number; orgIds: number[] }> {
  const rows = await db<(OverdueRow & { total: number })[]>`
    select o.id::int as id, o.engagement_id::int as "engagementId", p.seq as "problemSeq", p.title as "problemTitle",
           o.supervising_org_id as "supervisingOrgId", o.unit_name as "unitName", o.group_name as "groupName",
           o.measures, o.responsible_leader as "responsibleLeader", o.responsible_department as "responsibleDepartment",
           o.responsible_person as "responsiblePerson", o.deadline::text as deadline, o.days_overdue as "daysOverdue",
           o.returned_count as "returnedCount", o.reopened_count as "reopenedCount", count(*) over ()::int as total
      from public.overdue_items o
      left join public.problems p on p.id = o.problem_id
     where true
     ${f.org ? db`and o.supervising_org_id = ${f.org}` : db``}
     ${f.q ? db`and o.unit_name like ${likeContains(f.q)}` : db``}
     ${f.min ? db`and o.days_overdue > ${f.min}` : db``}
     order by o.days_overdue desc, o.unit_name, o.id
     limit ${SUPERVISION_PAGE_SIZE} offset ${(f.page - 1) * SUPERVISION_PAGE_SIZE}`;
  const orgs = await db<{ id: number }[]>`select distinct o.supervising_org_id as id from public.overdue_items o order by 1`;
  return { rows: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0, orgIds: orgs.map((o) => o.id) };
}
