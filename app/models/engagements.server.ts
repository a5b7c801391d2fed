import { likeContains, type Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { engagementsText as t } from "~/lib/messages/engagements";
import {
  ENGAGEMENTS_PAGE_SIZE,
  type EngagementFilters,
  type EngagementMode,
  type EngagementStatus,
  type StagesInput,
} from "~/lib/schemas/engagement";

/**
 * Engagements (巡察任务 = round x unit x group). Every query runs in the caller's RLS
 * context: the executing office and its ancestors, the group, and (once stationed) the
 * target of an elevated or cross patrol see a row. The round is joined with a left join:
 * the target org and a cross patrol's executing county cannot read the round's row, and
 * the engagement's snapshot columns (unit, group, executing office) read whole without it.
 */

export const STAGE_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /engagements_stage_order/, field: null, message: t.stageOrder },
];

export interface EngagementRow {
  id: number;
  roundId: number;
  /** Null when the caller cannot read the round (RLS on rounds). */
  termName: string | null;
  roundYear: number | null;
  roundNumber: number | null;
  groupId: number;
  unitId: number;
  unitName: string;
  groupName: string;
  executingOrgName: string;
  mode: EngagementMode;
  supervisingOrgId: number;
  executingOrgId: number;
  targetOrgId: number;
  targetVisibleOrgId: number | null;
  stationedOn: string | null;
  withdrawnOn: string | null;
  reportedOn: string | null;
  feedbackOn: string | null;
  rectificationDue: string | null;
  status: EngagementStatus;
}

/**
 * Progress from the stage dates, in one place for the list, its filter and the detail:
 * a stage counts once its date (Beijing time) has come; a due date after feedback means
 * rectification is under way.
 */
const statusExpr = (db: Tx) => db`(
  case
    when e.feedback_on <= (now() at time zone 'Asia/Shanghai')::date and e.rectification_due is not null then 'rectifying'
    when e.feedback_on <= (now() at time zone 'Asia/Shanghai')::date then 'feedback'
    when e.reported_on <= (now() at time zone 'Asia/Shanghai')::date then 'reported'
    when e.withdrawn_on <= (now() at time zone 'Asia/Shanghai')::date then 'withdrawn'
    when e.stationed_on <= (now() at time zone 'Asia/Shanghai')::date then 'stationed'
    else 'planned'
  end)`;

const columns = (db: Tx) => db`
  e.id::int as id, e.round_id::int as "roundId", t.name as "termName", r.year as "roundYear", r.number as "roundNumber",
  e.group_id::int as "groupId", e.unit_id::int as "unitId", e.unit_name as "unitName", e.group_name as "groupName",
  e.executing_org_name as "executingOrgName", e.mode, e.supervising_org_id as "supervisingOrgId",
  e.executing_org_id as "executingOrgId", e.target_org_id as "targetOrgId", e.target_visible_org_id as "targetVisibleOrgId",
  e.stationed_on::text as "stationedOn", e.withdrawn_on::text as "withdrawnOn", e.reported_on::text as "reportedOn",
  e.feedback_on::text as "feedbackOn", e.rectification_due::text as "rectificationDue",
  ${statusExpr(db)} as status`;

const yearExpr = (db: Tx) => db`coalesce(r.year, extract(year from e.stationed_on)::int)`;

function where(db: Tx, f: EngagementFilters) {
  return db`
    where true
    ${f.round ? db`and e.round_id = ${f.round}` : db``}
    ${f.year ? db`and ${yearExpr(db)} = ${f.year}` : db``}
    ${f.mode ? db`and e.mode = ${f.mode}` : db``}
    ${f.status ? db`and ${statusExpr(db)} = ${f.status}` : db``}
    ${f.q ? db`and e.unit_name like ${likeContains(f.q)}` : db``}`;
}

export async function listEngagements(db: Tx, f: EngagementFilters): Promise<{ rows: EngagementRow[]; total: number }> {
  const [{ total }] = await db<{ total: number }[]>`
    select count(*)::int as total
      from public.engagements e
      left join public.rounds r on r.id = e.round_id
    ${where(db, f)}`;
  const rows = await db<EngagementRow[]>`
    select ${columns(db)}
      from public.engagements e
      left join public.rounds r on r.id = e.round_id
      left join public.terms t on t.id = r.term_id
    ${where(db, f)}
     order by ${yearExpr(db)} desc nulls last, e.stationed_on desc nulls last, e.unit_name, e.id
     limit ${ENGAGEMENTS_PAGE_SIZE} offset ${(f.page - 1) * ENGAGEMENTS_PAGE_SIZE}`;
  return { rows, total };
}

export interface EngagementFilterOptions {
  years: number[];
  rounds: { id: number; label: string }[];
}

/** The years and the readable rounds among the engagements the caller sees. */
export async function engagementFilterOptions(db: Tx): Promise<EngagementFilterOptions> {
  const years = await db<{ year: number }[]>`
    select distinct ${yearExpr(db)} as year
      from public.engagements e
      left join public.rounds r on r.id = e.round_id
     where ${yearExpr(db)} is not null
     order by 1 desc`;
  const rounds = await db<{ id: number; termName: string; year: number; number: number }[]>`
    select distinct r.id::int as id, t.name as "termName", r.year, r.number
      from public.engagements e
      join public.rounds r on r.id = e.round_id
      join public.terms t on t.id = r.term_id
     order by r.year desc, r.number desc, 1`;
  return {
    years: years.map((y) => y.year),
    rounds: rounds.map((r) => ({ id: r.id, label: t.roundName(r.termName, r.number, r.year) })),
  };
}

export async function getEngagement(db: Tx, id: number): Promise<EngagementRow | undefined> {
  const [row] = await db<EngagementRow[]>`
    select ${columns(db)}
      from public.engagements e
      left join public.rounds r on r.id = e.round_id
      left join public.terms t on t.id = r.term_id
     where e.id = ${id}`;
  return row;
}

/** Office names are public within the province; the orgs table shows only the caller's subtree. */
export async function orgNames(db: Tx, ids: number[]): Promise<Record<number, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return {};
  const rows = await db<{ id: number; name: string }[]>`select id, name from public.org_names(${unique}::int[])`;
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

/** Records the stage dates; false when RLS hides the row from updates (not the supervising office). */
export async function updateStages(db: Tx, id: number, input: StagesInput): Promise<boolean> {
  const rows = await db`
    update public.engagements
       set stationed_on = ${input.stationedOn ?? null}, withdrawn_on = ${input.withdrawnOn ?? null},
           reported_on = ${input.reportedOn ?? null}, feedback_on = ${input.feedbackOn ?? null},
           rectification_due = ${input.rectificationDue ?? null}
     where id = ${id}`;
  return rows.count === 1;
}

/** For CASL: the fields its Engagement rules look at. */
export function engagementSubject(e: EngagementRow) {
  return {
    id: e.id,
    groupId: e.groupId,
    supervisingOrgId: e.supervisingOrgId,
    executingOrgId: e.executingOrgId,
    targetVisibleOrgId: e.targetVisibleOrgId,
  };
}

/** For CASL: the fields the conduct rules (fieldwork, petitions, attachments) look at. */
export function conductSubject(e: { groupId: number; executingOrgId: number }) {
  return { groupId: e.groupId, executingOrgId: e.executingOrgId };
}

/** For CASL: the fields the feedback and rectification rules look at. */
export function rectificationSubject(e: {
  groupId: number; executingOrgId: number; supervisingOrgId: number; targetVisibleOrgId: number | null; unitId: number;
}) {
  return {
    groupId: e.groupId,
    executingOrgId: e.executingOrgId,
    supervisingOrgId: e.supervisingOrgId,
    targetVisibleOrgId: e.targetVisibleOrgId,
    unitId: e.unitId,
  };
}
