import type { Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { sharingText as t } from "~/lib/messages/sharing";
import type { BriefingInput, BriefingReplyInput, GrantInput, GrantScope, GrantStatus } from "~/lib/schemas/sharing";
import type { ItemStatus, RectificationKind } from "~/lib/rectification";
import type { DisciplineForm, Severity } from "~/lib/schemas/findings";

/**
 * Shared results (成果共享, migration 20261121001900). The office side reads and writes
 * public.result_grants and public.pre_patrol_briefings under RLS (the granting office and
 * its ancestors read; the office's own staff write; a grant is only ever revoked). The
 * partner side has no table privilege at all: it reads through the security-definer
 * functions, which check the grant on every call and write the grant.read audit row
 * themselves (allowed or refused), tagged with the request id.
 */

// ---------------------------------------------------------------- the office's grants

export interface GrantAccess {
  occurredAt: Date;
  displayName: string | null;
  success: boolean;
}

export interface GrantRow {
  id: number;
  orgId: number;
  orgName: string;
  partnerOrgId: number;
  partnerName: string;
  scope: GrantScope;
  engagementId: number | null;
  roundId: number | null;
  /** The engagement (unit and group) or the round, in words. */
  subject: string;
  expiresOn: string;
  note: string | null;
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
  revokedBy: string | null;
  /** As of the database's today: revoked first, then expired, else active. */
  status: GrantStatus;
}

export interface GrantWithAccesses extends GrantRow {
  accesses: GrantAccess[];
}

export const GRANTS_LIMIT = 500;

const grantColumns = (db: Tx) => db`
  g.id::int as id, g.org_id as "orgId", o.name as "orgName", g.partner_org_id as "partnerOrgId",
  g.partner_name as "partnerName", g.scope, g.engagement_id::int as "engagementId", g.round_id::int as "roundId",
  coalesce(e.unit_name || '（' || e.group_name || '）', rt.name || '第' || r.number || '轮（' || r.year || '年）', '—') as subject,
  g.expires_on::text as "expiresOn", g.note, g.created_at as "createdAt", cb.display_name as "createdBy",
  g.revoked_at as "revokedAt", rb.display_name as "revokedBy",
  case when g.revoked_at is not null then 'revoked' when g.expires_on < current_date then 'expired' else 'active' end as status`;

const grantFrom = (db: Tx) => db`
  from public.result_grants g
  join public.orgs o on o.id = g.org_id
  left join public.engagements e on e.id = g.engagement_id
  left join public.rounds r on r.id = g.round_id
  left join public.terms rt on rt.id = r.term_id
  left join private.people_directory() cb on cb.user_id = g.created_by
  left join private.people_directory() rb on rb.user_id = g.revoked_by`;

/** The grants the session sees (its office's and, for an ancestor, its subtree's), newest first, with who used them. */
export async function listGrants(db: Tx, status?: GrantStatus): Promise<GrantWithAccesses[]> {
  const rows = await db<GrantRow[]>`
    select ${grantColumns(db)} ${grantFrom(db)}
     where ${status ?? null}::text is null
        or ${status ?? null}::text = case when g.revoked_at is not null then 'revoked'
                                          when g.expires_on < current_date then 'expired' else 'active' end
     order by g.created_at desc, g.id desc
     limit ${GRANTS_LIMIT}`;
  const accesses = await grantAccesses(db, rows.map((g) => g.id));
  return rows.map((g) => ({ ...g, accesses: accesses.get(g.id) ?? [] }));
}

/** How many of the session's grants are in each status (for the filter). */
export async function grantCounts(db: Tx): Promise<Record<GrantStatus | "all", number>> {
  const [row] = await db<Record<GrantStatus | "all", number>[]>`
    select count(*)::int as all,
           count(*) filter (where revoked_at is null and expires_on >= current_date)::int as active,
           count(*) filter (where revoked_at is null and expires_on < current_date)::int as expired,
           count(*) filter (where revoked_at is not null)::int as revoked
      from public.result_grants`;
  return row;
}

/** One grant the session sees, or undefined. */
export async function getGrant(db: Tx, id: number): Promise<GrantRow | undefined> {
  const [row] = await db<GrantRow[]>`select ${grantColumns(db)} ${grantFrom(db)} where g.id = ${id}`;
  return row;
}

/**
 * Who used the grants and when (public.grant_accesses: the granting office and its
 * ancestors only; the partner's reads, allowed or refused, newest first).
 */
export async function grantAccesses(db: Tx, grantIds: number[]): Promise<Map<number, GrantAccess[]>> {
  const out = new Map<number, GrantAccess[]>();
  if (grantIds.length === 0) return out;
  const rows = await db<(GrantAccess & { grantId: number })[]>`
    select g.id::int as "grantId", a.occurred_at as "occurredAt", a.display_name as "displayName", a.success
      from unnest(${grantIds}::bigint[]) with ordinality g (id, n)
     cross join lateral public.grant_accesses(g.id) a
     order by g.n, a.occurred_at desc`;
  for (const { grantId, ...a } of rows) {
    if (!out.has(grantId)) out.set(grantId, []);
    out.get(grantId)!.push(a);
  }
  return out;
}

/** The partners the session's office may share with (attached to it; public.grant_partners). */
export async function grantPartners(db: Tx): Promise<{ id: number; name: string }[]> {
  const rows = await db<{ id: number; name: string }[]>`select id, name from public.grant_partners()`;
  // The discipline commission (纪委监委) first: most sharing goes there.
  const rank = (name: string) => (/纪委|监委/.test(name) ? 0 : 1);
  return [...rows].sort((a, b) => rank(a.name) - rank(b.name));
}

export interface GrantableEngagement {
  id: number;
  unitName: string;
  groupName: string;
  problems: number;
  roundId: number;
  roundLabel: string;
}

/** The engagements the office may share: those it supervises or executes, newest round first. */
export async function grantableEngagements(db: Tx, orgId: number): Promise<GrantableEngagement[]> {
  return db<GrantableEngagement[]>`
    select e.id::int as id, e.unit_name as "unitName", e.group_name as "groupName",
           (select count(*)::int from public.problems p where p.engagement_id = e.id) as problems,
           r.id::int as "roundId", t.name || '第' || r.number || '轮（' || r.year || '年）' as "roundLabel"
      from public.engagements e
      join public.rounds r on r.id = e.round_id
      join public.terms t on t.id = r.term_id
     where e.supervising_org_id = ${orgId} or e.executing_org_id = ${orgId}
     order by r.year desc, r.number desc, r.id desc, e.unit_name, e.id
     limit 2000`;
}

export interface OfficeRound {
  id: number;
  label: string;
  termName: string;
  number: number;
  year: number;
  status: string;
}

/** The office's own rounds, newest first. */
export async function officeRounds(db: Tx, orgId: number): Promise<OfficeRound[]> {
  return db<OfficeRound[]>`
    select r.id::int as id, t.name || '第' || r.number || '轮（' || r.year || '年）' as label, t.name as "termName",
           r.number, r.year, r.status
      from public.rounds r join public.terms t on t.id = r.term_id
     where r.org_id = ${orgId}
     order by r.year desc, r.number desc, r.id desc
     limit 500`;
}

/** Records a grant (partner name, province and authorship come from the database). */
export async function createGrant(db: Tx, orgId: number, input: GrantInput): Promise<{ id: number; partnerName: string }> {
  const [row] = await db<{ id: number; partnerName: string }[]>`
    insert into public.result_grants (org_id, partner_org_id, scope, engagement_id, round_id, expires_on, note)
    values (${orgId}, ${input.partnerOrgId}, ${input.scope}::public.grant_scope, ${input.engagementId}, ${input.roundId},
            ${input.expiresOn}, ${input.note})
    returning id::int as id, partner_name as "partnerName"`;
  return row;
}

/**
 * Revokes a grant at once (the database stamps when and by whom; a revoked grant is never
 * changed again). Undefined when the session may not revoke it (RLS).
 */
export async function revokeGrant(db: Tx, id: number): Promise<{ id: number; partnerName: string } | undefined> {
  const [row] = await db<{ id: number; partnerName: string }[]>`
    update public.result_grants set revoked_at = now() where id = ${id}
    returning id::int as id, partner_name as "partnerName"`;
  return row;
}

export const GRANT_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /not a partner of this office/, field: "partnerOrgId", message: t.notPartner },
  { code: "23514", match: /expiry/, field: "expiresOn", message: t.expiryRange },
  { code: "23514", match: /an engagement of this office/, field: "engagementId", message: t.notOwnEngagement },
  { code: "23514", match: /a round of this office/, field: "roundId", message: t.notOwnRound },
  { code: "23514", match: /result_grants_note_check/, field: "note", message: t.noteTooLong },
];

export const REVOKE_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /already revoked/, field: null, message: t.alreadyRevoked },
];

// ---------------------------------------------------------------- 巡前通报

export interface BriefingRow {
  id: number;
  roundId: number;
  orgId: number;
  partnerOrgId: number;
  partnerName: string;
  requestedOn: string;
  request: string;
  repliedOn: string | null;
  reply: string | null;
  createdBy: string | null;
  updatedAt: Date;
}

const briefingColumns = (db: Tx) => db`
  b.id::int as id, b.round_id::int as "roundId", b.org_id as "orgId", b.partner_org_id as "partnerOrgId",
  b.partner_name as "partnerName", b.requested_on::text as "requestedOn", b.request, b.replied_on::text as "repliedOn",
  b.reply, p.display_name as "createdBy", b.updated_at as "updatedAt"`;

/** A round's briefings (RLS: the round's office and its ancestors), in the order they were asked. */
export async function listBriefings(db: Tx, roundId: number): Promise<BriefingRow[]> {
  return db<BriefingRow[]>`
    select ${briefingColumns(db)}
      from public.pre_patrol_briefings b
      left join private.people_directory() p on p.user_id = b.created_by
     where b.round_id = ${roundId}
     order by b.requested_on, b.id`;
}

export async function getBriefing(db: Tx, id: number): Promise<BriefingRow | undefined> {
  const [row] = await db<BriefingRow[]>`
    select ${briefingColumns(db)}
      from public.pre_patrol_briefings b
      left join private.people_directory() p on p.user_id = b.created_by
     where b.id = ${id}`;
  return row;
}

export interface BriefingRound {
  id: number;
  orgId: number;
  orgName: string;
  label: string;
  status: string;
  requested: number;
  replied: number;
}

/**
 * The rounds of the 巡前通报 overview: the office's own (where it records them) and any
 * round of its subtree with a briefing (what an ancestor reads), newest first.
 */
export async function briefingRounds(db: Tx, orgId: number): Promise<BriefingRound[]> {
  return db<BriefingRound[]>`
    select r.id::int as id, r.org_id as "orgId", o.name as "orgName",
           t.name || '第' || r.number || '轮（' || r.year || '年）' as label, r.status,
           count(b.id)::int as requested, count(b.replied_on)::int as replied
      from public.rounds r
      join public.terms t on t.id = r.term_id
      join public.orgs o on o.id = r.org_id
      left join public.pre_patrol_briefings b on b.round_id = r.id
     where r.org_id = ${orgId} or b.id is not null
     group by r.id, o.id, t.name
     order by (r.org_id = ${orgId}) desc, r.year desc, r.number desc, r.id desc
     limit 500`;
}

export async function createBriefing(db: Tx, roundId: number, input: BriefingInput): Promise<{ id: number; partnerName: string }> {
  const [row] = await db<{ id: number; partnerName: string }[]>`
    insert into public.pre_patrol_briefings (round_id, partner_org_id, requested_on, request)
    values (${roundId}, ${input.partnerOrgId}, ${input.requestedOn}, ${input.request})
    returning id::int as id, partner_name as "partnerName"`;
  return row;
}

/** Records (or corrects) what came back. Undefined when the session may not change it (RLS). */
export async function recordBriefingReply(db: Tx, input: BriefingReplyInput): Promise<{ id: number; partnerName: string } | undefined> {
  const [row] = await db<{ id: number; partnerName: string }[]>`
    update public.pre_patrol_briefings set replied_on = ${input.repliedOn}, reply = ${input.reply}
     where id = ${input.briefingId}
    returning id::int as id, partner_name as "partnerName"`;
  return row;
}

export const BRIEFING_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /not a partner of this office/, field: "partnerOrgId", message: t.notPartner },
  { code: "22007", match: /briefing: the date/, field: "requestedOn", message: t.requestedOnFuture },
  { code: "23514", match: /pre_patrol_briefings_request_check/, field: "request", message: t.requestRequired },
];

export const REPLY_REFUSALS: DbRefusal[] = [
  { code: "22007", match: /briefing: the date/, field: "repliedOn", message: t.repliedOnFuture },
  { code: "23514", match: /pre_patrol_briefings_reply_check/, field: "reply", message: t.replyRequired },
  { code: "23514", match: /pre_patrol_briefings_reply\b/, field: "repliedOn", message: t.replyPair },
];

// ---------------------------------------------------------------- the partner's reads

export interface SharedGrant {
  id: number;
  scope: GrantScope;
  officeName: string;
  subject: string;
  expiresOn: string;
  grantedAt: Date;
  note: string | null;
}

/** What is shared with the session's partner org now (not revoked, not expired). Not a read of results: not audited. */
export async function sharedWithMe(db: Tx): Promise<SharedGrant[]> {
  return db<SharedGrant[]>`
    select id::int as id, scope, office_name as "officeName", subject, expires_on::text as "expiresOn",
           granted_at as "grantedAt", note
      from public.shared_with_me()`;
}

export interface SharedProblem {
  seq: number;
  title: string;
  description: string;
  category: string;
  topCategory: string;
  severity: Severity;
  disciplineForm: DisciplineForm | null;
  onTheSpot: boolean;
  fedBack: boolean;
  unitName: string;
  groupName: string;
}

/** An engagement's problem list through a grant; every call is audited (grant.read) by the function. */
export async function sharedProblems(db: Tx, grantId: number, requestId: string): Promise<SharedProblem[]> {
  return db<SharedProblem[]>`
    select seq, title, description, category, top_category as "topCategory", severity, discipline_form::text as "disciplineForm",
           on_the_spot as "onTheSpot", fed_back as "fedBack", unit_name as "unitName", group_name as "groupName"
      from public.shared_problems(${grantId}::bigint, ${requestId}::text)`;
}

export interface SharedItem {
  problemSeq: number;
  problemTitle: string;
  measures: string;
  responsibleLeader: string | null;
  responsibleDepartment: string | null;
  responsiblePerson: string | null;
  kind: RectificationKind;
  deadline: string | null;
  status: ItemStatus;
  updates: number;
  lastReportedOn: string | null;
  unitName: string;
}

/** An engagement's rectification items and progress through a grant; audited by the function. */
export async function sharedRectification(db: Tx, grantId: number, requestId: string): Promise<SharedItem[]> {
  return db<SharedItem[]>`
    select problem_seq as "problemSeq", problem_title as "problemTitle", measures, responsible_leader as "responsibleLeader",
           responsible_department as "responsibleDepartment", responsible_person as "responsiblePerson", kind,
           deadline::text as deadline, status, updates, last_reported_on::text as "lastReportedOn", unit_name as "unitName"
      from public.shared_rectification(${grantId}::bigint, ${requestId}::text)`;
}

export interface SharedFigures {
  unitName: string;
  groupName: string;
  problems: number;
  onTheSpot: number;
  deadlineItems: number;
  fedBack: number;
  rectified: number;
  overdueItems: number;
  leadsTransferred: number;
  personsSanctioned: number;
  personsJudicial: number;
}

/** A round's figures per engagement through a grant; audited by the function. */
export async function sharedRoundFigures(db: Tx, grantId: number, requestId: string): Promise<SharedFigures[]> {
  return db<SharedFigures[]>`
    select unit_name as "unitName", group_name as "groupName", problems, on_the_spot as "onTheSpot",
           deadline_items as "deadlineItems", fed_back as "fedBack", rectified, overdue_items as "overdueItems",
           leads_transferred as "leadsTransferred", persons_sanctioned as "personsSanctioned", persons_judicial as "personsJudicial"
      from public.shared_round_figures(${grantId}::bigint, ${requestId}::text)`;
}

export type SharedResult =
  | { scope: "engagement_problems"; problems: SharedProblem[] }
  | { scope: "engagement_rectification"; items: SharedItem[] }
  | { scope: "round_figures"; figures: SharedFigures[] };

/**
 * One grant's result as the partner sees it, or null when the grant is not usable now
 * (revoked, expired, another org's, or no grant at all). The function for the grant's
 * scope is called either way, so the refused access is audited too: for a grant the
 * partner no longer sees, its scope is unknown to him and the problem-list function
 * records the attempt.
 */
export async function readSharedResult(
  db: Tx,
  grantId: number,
  requestId: string,
): Promise<{ grant: SharedGrant; result: SharedResult } | null> {
  const grant = (await sharedWithMe(db)).find((g) => g.id === grantId);
  if (!grant) {
    await sharedProblems(db, grantId, requestId);
    return null;
  }
  let result: SharedResult;
  switch (grant.scope) {
    case "engagement_problems":
      result = { scope: grant.scope, problems: await sharedProblems(db, grantId, requestId) };
      break;
    case "engagement_rectification":
      result = { scope: grant.scope, items: await sharedRectification(db, grantId, requestId) };
      break;
    case "round_figures":
      result = { scope: grant.scope, figures: await sharedRoundFigures(db, grantId, requestId) };
      break;
  }
  // Revoked between the two statements: nothing of it is shown.
  if (!(await sharedWithMe(db)).some((g) => g.id === grantId)) return null;
  return { grant, result };
}
