import { likeContains, type Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { findingsText as t, paperStepLabel } from "~/lib/messages/findings";
import {
  THEMATIC_LIMIT,
  type CategoryInput,
  type DisciplineForm,
  type PaperAction,
  type PaperInput,
  type PaperStatus,
  type Severity,
  type ThematicFilters,
} from "~/lib/schemas/findings";
import type { GroupRole } from "~/lib/schemas/group";
import type { AttachmentRow } from "./attachments.server";

/**
 * Findings: working papers (问题底稿) and their review chain, the problem list they
 * become, and the category dictionary. Every query runs in the caller's RLS context:
 * the group writes papers; the executing office and its ancestors read them; the
 * review chain moves only through public.advance_working_paper, which decides who may
 * act on each step.
 */

// ---------------------------------------------------------------- refusals

/** A refusal of ours (not the database's), in the shape saveSubmission matches. */
export class FindingsRefusal extends Error {
  readonly code = "XL001";
  constructor(message: "category" | "duplicate") {
    super(message);
  }
}

export const PAPER_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /a paper under review is not changed/, field: null, message: t.papers.underReview },
  { code: "23514", match: /the handler is a member of the group/, field: "handlerMemberId", message: t.papers.handlerNotMember },
  { code: "23514", match: /papers are written once the group is stationed/, field: null, message: t.papers.notStationed },
  { code: "23503", match: /category/, field: "categoryId", message: t.papers.categoryUnknown },
  { code: "23503", match: /handler/, field: "handlerMemberId", message: t.papers.handlerNotMember },
  { code: "XL001", match: /category/, field: "categoryId", message: t.papers.categoryUnknown },
];

/** An attachment refused because its paper is under review. */
export const PAPER_ATTACH_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /a paper under review is not changed/, field: "file", message: t.papers.underReview },
];

export const CATEGORY_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /categories have two levels/, field: "parentId", message: t.categories.twoLevels },
  { code: "23503", field: "parentId", message: t.categories.twoLevels },
  { code: "XL001", match: /duplicate/, field: "name", message: t.categories.duplicate },
];

/**
 * What public.advance_working_paper says, in words: the step's own role for a step that
 * is not the caller's (its detail is the step), and each out-of-order request.
 */
export const REVIEW_REFUSALS: DbRefusal[] = [
  { code: "42501", match: /paper review: this step is not yours/, field: null, message: (e) => t.review.notYours(e.detail ?? "") },
  { code: "42501", match: /working_paper_reviews/, field: null, message: t.review.notInGroup },
  { code: "23514", match: /paper review: the paper is approved already/, field: null, message: t.review.alreadyApproved },
  { code: "23514", match: /paper review: only a draft is submitted/, field: null, message: t.review.onlyDraft },
  { code: "23514", match: /paper review: a draft is submitted first/, field: null, message: t.review.draftFirst },
  { code: "23514", match: /paper review: a return gives its reason|working_paper_reviews_return_reason/, field: "comment", message: t.review.returnReason },
];

// ---------------------------------------------------------------- categories

export interface CategoryRow {
  id: number;
  /** null: the common taxonomy. */
  orgId: number | null;
  parentId: number | null;
  code: string;
  name: string;
  sort: number;
  active: boolean;
}

/** Every category the caller sees (RLS: the common ones, and those of the office's line and subtree). */
export async function listCategories(db: Tx): Promise<CategoryRow[]> {
  return db<CategoryRow[]>`
    select c.id::int as id, c.org_id as "orgId", c.parent_id::int as "parentId", c.code, c.name, c.sort, c.active
      from public.problem_categories c
     order by c.org_id nulls first, c.sort, c.id`;
}

export interface CategoryGroup {
  top: CategoryRow;
  children: CategoryRow[];
}

/**
 * The dictionary as a two-level tree, common categories first. With `usable`, only
 * active ones, plus `keep` (a paper's current category, even if deactivated since).
 */
export function categoryTree(rows: CategoryRow[], opts: { usable?: boolean; keep?: number | null } = {}): CategoryGroup[] {
  const ok = (c: CategoryRow) => !opts.usable || c.active || c.id === opts.keep;
  const tops = rows.filter((c) => c.parentId === null);
  const bySort = (a: CategoryRow, b: CategoryRow) =>
    (a.orgId === null ? 0 : 1) - (b.orgId === null ? 0 : 1) || a.sort - b.sort || a.id - b.id;
  return tops
    .sort(bySort)
    .map((top) => ({ top, children: rows.filter((c) => c.parentId === top.id && ok(c)).sort(bySort) }))
    .filter((g) => ok(g.top) || g.children.length > 0);
}

export async function createCategory(db: Tx, orgId: number, input: CategoryInput): Promise<number> {
  const [dup] = await db`
    select 1 from public.problem_categories c
     where c.parent_id is not distinct from ${input.parentId ?? null} and c.name = ${input.name}`;
  if (dup) throw new FindingsRefusal("duplicate");
  // The code is the database's key, not the user's concern: one per office, never reused.
  const [row] = await db<{ id: number }[]>`
    insert into public.problem_categories (org_id, parent_id, code, name, sort)
    values (${orgId}, ${input.parentId ?? null},
            ${`org${orgId}_`} || to_char(clock_timestamp(), 'YYYYMMDDHH24MISSUS'),
            ${input.name},
            coalesce((select max(c.sort) from public.problem_categories c
                       where c.parent_id is not distinct from ${input.parentId ?? null}), 0) + 1)
    returning id::int as id`;
  return row.id;
}

/** Deactivates (or reactivates) an office's own category; false when RLS hides it from updates. */
export async function setCategoryActive(db: Tx, id: number, active: boolean): Promise<CategoryRow | undefined> {
  const [row] = await db<CategoryRow[]>`
    update public.problem_categories set active = ${active} where id = ${id} and org_id is not null
    returning id::int as id, org_id as "orgId", parent_id::int as "parentId", code, name, sort, active`;
  return row;
}

export async function getCategory(db: Tx, id: number): Promise<CategoryRow | undefined> {
  const [row] = await db<CategoryRow[]>`
    select c.id::int as id, c.org_id as "orgId", c.parent_id::int as "parentId", c.code, c.name, c.sort, c.active
      from public.problem_categories c where c.id = ${id}`;
  return row;
}

/** A category the caller may file a paper under: one he sees, active (or the paper's current one). */
async function assertCategoryUsable(db: Tx, categoryId: number, current: number | null) {
  const [ok] = await db`
    select 1 from public.problem_categories c where c.id = ${categoryId} and (c.active or c.id = ${current})`;
  if (!ok) throw new FindingsRefusal("category");
}

// ---------------------------------------------------------------- working papers

export interface PaperRow {
  id: number;
  engagementId: number;
  groupId: number;
  executingOrgId: number;
  seq: number;
  title: string;
  categoryId: number;
  categoryName: string | null;
  topCategoryName: string | null;
  severity: Severity;
  disciplineForm: DisciplineForm | null;
  onTheSpot: boolean;
  handlerMemberId: number | null;
  handlerName: string | null;
  handlerRole: GroupRole | null;
  status: PaperStatus;
  statusChangedAt: Date;
  updatedAt: Date;
}

export interface PaperDetail extends PaperRow {
  facts: string;
  evidence: string | null;
  createdBy: string | null;
  createdAt: Date;
  problemId: number | null;
}

// Category names through a left join: a category RLS hides from the caller (another
// office's addition) must not hide the paper.
const paperColumns = (db: Tx) => db`
  w.id::int as id, w.engagement_id::int as "engagementId", w.group_id::int as "groupId",
  w.executing_org_id as "executingOrgId", w.seq, w.title, w.category_id::int as "categoryId",
  c.name as "categoryName", tc.name as "topCategoryName", w.severity, w.discipline_form::text as "disciplineForm",
  w.on_the_spot as "onTheSpot", w.handler_member_id::int as "handlerMemberId", gm.cadre_name as "handlerName",
  gm.role as "handlerRole", w.status, w.status_changed_at as "statusChangedAt", w.updated_at as "updatedAt"`;

const paperJoins = (db: Tx) => db`
  left join public.problem_categories c on c.id = w.category_id
  left join public.problem_categories tc on tc.id = coalesce(c.parent_id, c.id)
  left join public.group_members gm on gm.id = w.handler_member_id`;

export async function listPapers(db: Tx, engagementId: number): Promise<PaperRow[]> {
  return db<PaperRow[]>`
    select ${paperColumns(db)}
      from public.working_papers w
      ${paperJoins(db)}
     where w.engagement_id = ${engagementId}
     order by w.seq desc
     limit 1000`;
}

export async function getPaper(db: Tx, id: number): Promise<PaperDetail | undefined> {
  const [row] = await db<PaperDetail[]>`
    select ${paperColumns(db)}, w.facts, w.evidence, d.display_name as "createdBy", w.created_at as "createdAt",
           (select p.id::int from public.problems p where p.working_paper_id = w.id) as "problemId"
      from public.working_papers w
      ${paperJoins(db)}
      left join private.people_directory() d on d.user_id = w.created_by
     where w.id = ${id}`;
  return row;
}

export async function createPaper(db: Tx, engagementId: number, input: PaperInput): Promise<{ id: number; seq: number }> {
  await assertCategoryUsable(db, input.categoryId, null);
  const [row] = await db<{ id: number; seq: number }[]>`
    insert into public.working_papers (engagement_id, title, facts, evidence, category_id, severity, discipline_form,
                                       on_the_spot, handler_member_id)
    values (${engagementId}, ${input.title}, ${input.facts}, ${input.evidence || null}, ${input.categoryId},
            ${input.severity}, ${input.disciplineForm ? Number(input.disciplineForm) : null}, ${input.onTheSpot},
            ${input.handlerMemberId})
    returning id::int as id, seq`;
  return row;
}

/** Changes a draft's content; false when RLS hides the row from updates (not the group's). */
export async function updatePaper(db: Tx, id: number, currentCategoryId: number, input: PaperInput): Promise<boolean> {
  await assertCategoryUsable(db, input.categoryId, currentCategoryId);
  const rows = await db`
    update public.working_papers
       set title = ${input.title}, facts = ${input.facts}, evidence = ${input.evidence || null},
           category_id = ${input.categoryId}, severity = ${input.severity},
           discipline_form = ${input.disciplineForm ? Number(input.disciplineForm) : null},
           on_the_spot = ${input.onTheSpot}, handler_member_id = ${input.handlerMemberId}
     where id = ${id}`;
  return rows.count === 1;
}

/** One step of the chain, decided by the database; returns the paper's new status. */
export async function advancePaper(db: Tx, id: number, action: PaperAction, comment: string | null): Promise<PaperStatus> {
  const [row] = await db<{ status: PaperStatus }[]>`
    select public.advance_working_paper(${id}, ${action}::public.paper_action, ${comment}) as status`;
  return row.status;
}

/** The caller's own role in a group (his highest), or null when he is not in it. */
export async function myGroupRole(db: Tx, groupId: number): Promise<GroupRole | null> {
  const [row] = await db<{ role: GroupRole | null }[]>`select private.my_group_role(${groupId}) as role`;
  return row?.role ?? null;
}

/** Whether `role` may take `action` on a paper at `status` (the database decides again). */
export function mayAct(status: PaperStatus, role: GroupRole | null, action: PaperAction): boolean {
  if (!role || status === "approved") return false;
  if (action === "submit") return status === "drafting";
  if (status === "deputy_review") return role === "deputy" || role === "leader";
  return (status === "leader_review" || status === "meeting_review") && role === "leader";
}

export interface ReviewRow {
  id: number;
  step: PaperStatus;
  action: PaperAction;
  comment: string | null;
  actedAs: GroupRole | null;
  actedBy: string | null;
  actedAt: Date;
}

export async function paperReviews(db: Tx, paperId: number): Promise<ReviewRow[]> {
  return db<ReviewRow[]>`
    select r.id::int as id, r.step, r.action, r.comment, r.acted_as as "actedAs", d.display_name as "actedBy",
           r.acted_at as "actedAt"
      from public.working_paper_reviews r
      left join private.people_directory() d on d.user_id = r.acted_by
     where r.paper_id = ${paperId}
     order by r.acted_at, r.id`;
}

export interface ChainStep {
  step: PaperStatus;
  label: string;
  state: "done" | "current" | "todo";
  review: ReviewRow | null;
}

/**
 * The chain of the current round (since the last return): each step done with who
 * acted and when, the paper's current step, and the steps still to come.
 */
export function reviewChain(status: PaperStatus, reviews: ReviewRow[]): ChainStep[] {
  const lastReturn = reviews.map((r) => r.action).lastIndexOf("return");
  const round = reviews.slice(lastReturn + 1);
  const order: PaperStatus[] = ["drafting", "deputy_review", "leader_review", "meeting_review", "approved"];
  const at = order.indexOf(status);
  return order.map((step, i) => ({
    step,
    label: paperStepLabel[step],
    state: i < at || status === "approved" ? "done" : i === at ? "current" : "todo",
    // The step's own act in this round: the submission for the draft, the approval for a review.
    review: step === "approved" ? null : [...round].reverse().find((r) => r.step === step) ?? null,
  }));
}

export interface MemberOption {
  id: number;
  name: string;
  role: GroupRole;
}

/** The group's members, for the 承办人 select. */
export async function groupMemberOptions(db: Tx, groupId: number): Promise<MemberOption[]> {
  return db<MemberOption[]>`
    select m.id::int as id, m.cadre_name as name, m.role
      from public.group_members m
     where m.group_id = ${groupId}
     order by array_position(array['leader', 'deputy', 'liaison', 'member']::public.group_role[], m.role), m.id`;
}

/** A paper's files, in the shape of the engagement's attachment table. */
export async function paperAttachments(db: Tx, paperId: number): Promise<AttachmentRow[]> {
  return db<AttachmentRow[]>`
    select a.id::int as id, a.engagement_id::int as "engagementId", null::int as "fieldworkRecordId",
           null::int as "petitionId", a.group_id::int as "groupId", a.executing_org_id as "executingOrgId",
           a.file_name as "fileName", a.content_type as "contentType", a.size_bytes as "sizeBytes", a.sha256,
           a.created_at as "createdAt", d.display_name as "createdBy",
           null as "fieldworkKind", null as "fieldworkDate", null::int as "petitionSeq"
      from public.attachments a
      left join private.people_directory() d on d.user_id = a.created_by
     where a.working_paper_id = ${paperId}
     order by a.created_at desc, a.id desc`;
}

// ---------------------------------------------------------------- problems

export interface ProblemRow {
  id: number;
  engagementId: number;
  workingPaperId: number;
  seq: number;
  title: string;
  description: string;
  categoryId: number;
  categoryName: string | null;
  topCategoryId: number;
  topCategoryName: string | null;
  topCategorySort: number | null;
  severity: Severity;
  disciplineForm: DisciplineForm | null;
  onTheSpot: boolean;
  fedBack: boolean;
}

const problemColumns = (db: Tx) => db`
  p.id::int as id, p.engagement_id::int as "engagementId", p.working_paper_id::int as "workingPaperId", p.seq,
  p.title, p.description, p.category_id::int as "categoryId", c.name as "categoryName",
  p.top_category_id::int as "topCategoryId", tc.name as "topCategoryName", tc.sort as "topCategorySort",
  p.severity, p.discipline_form::text as "disciplineForm", p.on_the_spot as "onTheSpot",
  (p.feedback_id is not null) as "fedBack"`;

/** The problem list of an engagement, by top category then number. */
export async function listProblems(db: Tx, engagementId: number): Promise<ProblemRow[]> {
  return db<ProblemRow[]>`
    select ${problemColumns(db)}
      from public.problems p
      left join public.problem_categories c on c.id = p.category_id
      left join public.problem_categories tc on tc.id = p.top_category_id
     where p.engagement_id = ${engagementId}
     order by tc.org_id nulls first, tc.sort nulls last, p.top_category_id, p.seq`;
}

export interface CategoryCount {
  topCategoryId: number;
  name: string;
  count: number;
  onTheSpot: number;
}

/** Problems counted by top category, in the dictionary's order (the order of `problems`). */
export function countByTopCategory(problems: Pick<ProblemRow, "topCategoryId" | "topCategoryName" | "onTheSpot">[]): CategoryCount[] {
  const out = new Map<number, CategoryCount>();
  for (const p of problems) {
    const c = out.get(p.topCategoryId) ?? { topCategoryId: p.topCategoryId, name: p.topCategoryName ?? "其他问题", count: 0, onTheSpot: 0 };
    c.count += 1;
    if (p.onTheSpot) c.onTheSpot += 1;
    out.set(p.topCategoryId, c);
  }
  return [...out.values()];
}

// ---------------------------------------------------------------- thematic search

/** Offices write thematic reports; they search every engagement RLS lets them see. */
export const THEMATIC_ROLES: ReadonlySet<string> = new Set(["office_director", "office_staff", "leadership"]);

export interface ThematicRow {
  id: number;
  engagementId: number;
  unitName: string;
  roundLabel: string | null;
  seq: number;
  title: string;
  description: string;
  topCategoryId: number;
  topCategoryName: string | null;
  topCategorySort: number | null;
  categoryName: string | null;
}

const thematicColumns = (db: Tx) => db`
  p.id::int as id, p.engagement_id::int as "engagementId", e.unit_name as "unitName",
  case when r.id is not null then t.name || '第' || r.number || '轮（' || r.year || '年）' end as "roundLabel",
  p.seq, p.title, p.description, p.top_category_id::int as "topCategoryId", tc.name as "topCategoryName",
  tc.sort as "topCategorySort", c.name as "categoryName"`;

const thematicFrom = (db: Tx) => db`
  from public.problems p
  join public.engagements e on e.id = p.engagement_id
  left join public.rounds r on r.id = e.round_id
  left join public.terms t on t.id = r.term_id
  left join public.problem_categories c on c.id = p.category_id
  left join public.problem_categories tc on tc.id = p.top_category_id`;

/** Problems across every engagement the caller sees (RLS), filtered; at most THEMATIC_LIMIT (+1 to tell "more"). */
export async function searchProblems(db: Tx, f: ThematicFilters): Promise<{ rows: ThematicRow[]; more: boolean }> {
  const rows = await db<ThematicRow[]>`
    select ${thematicColumns(db)}
    ${thematicFrom(db)}
     where true
     ${f.category ? db`and (p.top_category_id = ${f.category} or p.category_id = ${f.category})` : db``}
     ${f.round ? db`and e.round_id = ${f.round}` : db``}
     ${f.q ? db`and (p.title like ${likeContains(f.q)} or p.description like ${likeContains(f.q)})` : db``}
     order by r.year desc nulls last, r.number desc nulls last, e.unit_name, p.seq
     limit ${THEMATIC_LIMIT + 1}`;
  return { rows: rows.slice(0, THEMATIC_LIMIT), more: rows.length > THEMATIC_LIMIT };
}

/** The chosen problems, as RLS shows them (an id the caller cannot see is simply absent). */
export async function problemsByIds(db: Tx, ids: number[]): Promise<ThematicRow[]> {
  return db<ThematicRow[]>`
    select ${thematicColumns(db)}
    ${thematicFrom(db)}
     where p.id = any (${ids}::bigint[])
     order by tc.org_id nulls first, tc.sort nulls last, p.top_category_id, e.unit_name, p.seq`;
}

/** The rounds of the engagements whose problems the caller sees, for the filter. */
export async function thematicRounds(db: Tx): Promise<{ id: number; label: string }[]> {
  return db<{ id: number; label: string }[]>`
    select r.id::int as id, t.name || '第' || r.number || '轮（' || r.year || '年）' as label
      from public.rounds r
      join public.terms t on t.id = r.term_id
     where exists (select 1 from public.engagements e join public.problems p on p.engagement_id = e.id where e.round_id = r.id)
     order by r.year desc, r.number desc, r.id`;
}
