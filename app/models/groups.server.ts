import { likeContains, type Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { groupsText as t } from "~/lib/messages/groups";
import type { CadrePool } from "~/lib/schemas/cadre";
import type { DrawInput, EngagementInput, EvaluationGrade, GroupEditInput, GroupInput, GroupRole } from "~/lib/schemas/group";
import type { RoundStatus } from "~/lib/schemas/round";
import type { EngagementMode } from "~/lib/group-rules";

/**
 * Patrol groups, members, draws and the planning side of engagements. Every query runs
 * in the caller's RLS context; the triggers judge every assignment and mode.
 */

type DbError = { detail?: string; message?: string };
const detail = (e: DbError) => e.detail ?? "";

export const GROUP_REFUSALS: DbRefusal[] = [
  { code: "23505", match: /round_number/, field: "number", message: t.numberTaken },
  { code: "23514", match: /patrol_groups_dates/, field: "stationEnd", message: t.datesOrder },
  { code: "23514", match: /executing org/, field: "executingOrgId", message: t.executingOrgInvalid },
  { code: "23514", match: /round is closed/, field: null, message: t.closedRound },
  { code: "23514", match: /name/, field: "name", message: t.nameInvalid },
];

/** New dates are checked against every member again (after-update trigger). */
export const GROUP_EDIT_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /patrol_groups_dates/, field: "stationEnd", message: t.datesOrder },
  { code: "23514", match: /round is closed/, field: null, message: t.closedRound },
  { code: "23514", match: /assignment refused: overlap/, field: "stationStart", message: (e) => t.datesMemberProblem(t.refused.overlap(detail(e)).replace(/^该干部/, "有成员")) },
  { code: "23514", match: /assignment refused: unavailable/, field: "stationStart", message: (e) => t.datesMemberProblem(`${detail(e)}当前不可参加巡察`) },
  { code: "23514", match: /assignment refused/, field: "stationStart", message: (e) => t.datesMemberProblem(detail(e)) },
  { code: "23514", match: /name/, field: "name", message: t.nameInvalid },
];

/** Why the database refused an assignment, in words (the detail names the unit, the group or the cadre). */
export function assignmentRefusals(field: string | null, prefix?: (e: DbError) => string | undefined): DbRefusal[] {
  const say = (text: (e: DbError) => string) => (e: DbError) => {
    const who = prefix?.(e);
    return who ? t.refused.named(who, text(e)) : text(e);
  };
  return [
    { code: "23514", match: /assignment refused: conflict/, field, message: say((e) => t.refused.conflict(detail(e))) },
    { code: "23514", match: /assignment refused: overlap/, field, message: say((e) => t.refused.overlap(detail(e))) },
    { code: "23514", match: /assignment refused: not_leader/, field: field === null ? null : "role", message: say(() => t.refused.notLeader) },
    { code: "23514", match: /assignment refused: unavailable/, field, message: say(() => t.refused.unavailable) },
    { code: "23514", match: /assignment refused: outside_pool/, field, message: say(() => t.refused.outsidePool) },
    { code: "23505", match: /one_leader/, field: field === null ? null : "role", message: say(() => t.refused.oneLeader) },
    { code: "23505", match: /group_cadre/, field, message: say(() => t.refused.duplicate) },
    { code: "23514", match: /round is closed/, field: null, message: t.refused.roundClosed },
  ];
}

export const MEMBER_REFUSALS = assignmentRefusals("cadreId");
export const REMOVE_MEMBER_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /evaluated member/, field: null, message: t.refused.evaluatedStays },
];
export const EVALUATION_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /evaluated after stationing/, field: "evaluation", message: t.evaluationTooEarly },
  { code: "23514", match: /evaluation_note/, field: "note", message: t.evaluationNoteTooLong },
];

export const ENGAGEMENT_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /engagement mode: a regular/, field: "mode", message: t.engagementRefused.regular },
  { code: "23514", match: /engagement mode: an elevated/, field: "mode", message: t.engagementRefused.elevated },
  { code: "23514", match: /engagement mode: a cross/, field: "mode", message: t.engagementRefused.cross },
  { code: "23514", match: /engagement mode/, field: "mode", message: t.engagementRefused.mode },
  { code: "23514", match: /assignment refused: conflict/, field: "unitId", message: (e) => t.engagementRefused.conflict(detail(e)) },
  { code: "23514", match: /unit is inactive/, field: "unitId", message: t.engagementRefused.inactive },
  { code: "23514", match: /round is closed/, field: null, message: t.engagementRefused.roundClosed },
  { code: "23505", match: /round_unit/, field: "unitId", message: t.engagementRefused.taken },
  { code: "23503", field: "unitId", message: t.engagementRefused.outside },
];
export const REMOVE_ENGAGEMENT_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /stationed engagement/, field: null, message: t.engagementRefused.stationed },
];

// ---------------------------------------------------------------- groups

export interface RoundGroupRow {
  id: number;
  number: number;
  name: string;
  executingOrgId: number;
  executingOrgName: string | null;
  stationStart: string;
  stationEnd: string;
  leaderName: string | null;
  memberCount: number;
  engagements: { id: number; unitName: string; mode: EngagementMode }[];
}

export async function listRoundGroups(db: Tx, roundId: number): Promise<RoundGroupRow[]> {
  return db<RoundGroupRow[]>`
    select g.id::int as id, g.number, g.name, g.executing_org_id as "executingOrgId", eo.name as "executingOrgName",
           g.station_start::text as "stationStart", g.station_end::text as "stationEnd",
           (select m.cadre_name from public.group_members m where m.group_id = g.id and m.role = 'leader') as "leaderName",
           (select count(*)::int from public.group_members m where m.group_id = g.id) as "memberCount",
           coalesce((select json_agg(json_build_object('id', e.id, 'unitName', e.unit_name, 'mode', e.mode) order by e.id)
                       from public.engagements e where e.group_id = g.id), '[]'::json) as engagements
      from public.patrol_groups g
      left join lateral public.org_names(array[g.executing_org_id]) eo on true
     where g.round_id = ${roundId}
     order by g.number`;
}

export interface GroupRow {
  id: number;
  roundId: number;
  orgId: number;
  orgName: string | null;
  orgLevel: "province" | "city" | "county" | null;
  executingOrgId: number;
  executingOrgName: string | null;
  number: number;
  name: string;
  stationStart: string;
  stationEnd: string;
  /** Null when the caller may see the group but not the round (a cross patrol's executing county). */
  roundNumber: number | null;
  roundStatus: RoundStatus | null;
  termName: string | null;
}

export async function getGroup(db: Tx, id: number): Promise<GroupRow | undefined> {
  const [row] = await db<GroupRow[]>`
    select g.id::int as id, g.round_id::int as "roundId", g.org_id as "orgId", ro.name as "orgName", ro.level as "orgLevel",
           g.executing_org_id as "executingOrgId", eo.name as "executingOrgName", g.number, g.name,
           g.station_start::text as "stationStart", g.station_end::text as "stationEnd",
           r.number as "roundNumber", r.status as "roundStatus", t.name as "termName"
      from public.patrol_groups g
      left join public.rounds r on r.id = g.round_id
      left join public.terms t on t.id = r.term_id
      left join lateral public.org_names(array[g.org_id]) ro on true
      left join lateral public.org_names(array[g.executing_org_id]) eo on true
     where g.id = ${id}`;
  return row;
}

/** The round's org and every org below it the caller can see: who may execute a group. */
export async function executingOrgOptions(db: Tx, roundOrgId: number): Promise<{ id: number; name: string; depth: number }[]> {
  return db`
    select o.id, o.name, c.depth
      from public.org_closure c
      join public.orgs o on o.id = c.descendant_id
     where c.ancestor_id = ${roundOrgId}
     order by c.depth, o.region_code`;
}

export async function orgLevel(db: Tx, orgId: number): Promise<"province" | "city" | "county" | undefined> {
  const [row] = await db<{ level: "province" | "city" | "county" }[]>`select level from public.orgs where id = ${orgId}`;
  return row?.level;
}

export async function groupNumbers(db: Tx, roundId: number): Promise<number[]> {
  const rows = await db<{ number: number }[]>`select number from public.patrol_groups where round_id = ${roundId}`;
  return rows.map((r) => r.number);
}

export async function createGroup(db: Tx, roundId: number, input: GroupInput): Promise<number> {
  // org_id and province_id come from the round (trigger).
  const [row] = await db<{ id: number }[]>`
    insert into public.patrol_groups (round_id, executing_org_id, number, name, station_start, station_end)
    values (${roundId}, ${input.executingOrgId}, ${input.number}, ${input.name}, ${input.stationStart}, ${input.stationEnd})
    returning id::int as id`;
  return row.id;
}

export async function updateGroup(db: Tx, id: number, input: GroupEditInput): Promise<boolean> {
  const rows = await db`
    update public.patrol_groups
       set name = ${input.name}, station_start = ${input.stationStart}, station_end = ${input.stationEnd}
     where id = ${id}`;
  return rows.count === 1;
}

// ---------------------------------------------------------------- members

export interface MemberRow {
  id: number;
  cadreId: number;
  name: string;
  role: GroupRole;
  rotationWarning: boolean;
  evaluation: EvaluationGrade | null;
  evaluationNote: string | null;
  /** From the pool; null for those who see the group but not the pool (teammates). */
  rank: string | null;
  specialties: string[] | null;
  pools: CadrePool[] | null;
  orgName: string | null;
}

export async function groupMembers(db: Tx, groupId: number): Promise<MemberRow[]> {
  return db<MemberRow[]>`
    select m.id::int as id, m.cadre_id::int as "cadreId", m.cadre_name as name, m.role,
           m.rotation_warning as "rotationWarning", m.evaluation, m.evaluation_note as "evaluationNote",
           c.rank, c.specialties, c.pools::text[] as pools, o.name as "orgName"
      from public.group_members m
      left join public.cadres c on c.id = m.cadre_id
      left join public.orgs o on o.id = c.org_id
     where m.group_id = ${groupId}
     order by m.role, m.created_at, m.id`;
}

/** The orgs whose pools a group draws from: its executing org and those up to the round's org. */
export async function poolOrgs(db: Tx, group: { orgId: number; executingOrgId: number }): Promise<{ id: number; name: string }[]> {
  return db`
    select o.id, o.name
      from public.org_closure up
      join public.org_closure down on down.descendant_id = up.ancestor_id and down.ancestor_id = ${group.orgId}
      join public.orgs o on o.id = up.ancestor_id
     where up.descendant_id = ${group.executingOrgId}
     order by up.depth`;
}

export interface CadreOption {
  id: number;
  name: string;
  rank: string | null;
  specialties: string[];
  pools: CadrePool[];
  orgName: string;
  /** 5+ years in inspection posts when the group is stationed. */
  rotationWarning: boolean;
}

export const CADRE_OPTIONS_LIMIT = 300;

/** Available cadres of the group's pools who are not in it yet (leaders first), optionally by name. */
export async function cadreOptions(
  db: Tx,
  group: { id: number; orgId: number; executingOrgId: number; stationStart: string },
  q?: string,
): Promise<{ rows: CadreOption[]; more: boolean }> {
  const rows = await db<CadreOption[]>`
    select c.id::int as id, c.name, c.rank, c.specialties, c.pools::text[] as pools, o.name as "orgName",
           coalesce(c.first_posted_on <= ${group.stationStart}::date - interval '5 years', false) as "rotationWarning"
      from public.cadres c
      join public.orgs o on o.id = c.org_id
     where c.available
       and c.org_id in (select up.ancestor_id
                          from public.org_closure up
                          join public.org_closure down on down.descendant_id = up.ancestor_id
                         where up.descendant_id = ${group.executingOrgId} and down.ancestor_id = ${group.orgId})
       and not exists (select 1 from public.group_members m where m.group_id = ${group.id} and m.cadre_id = c.id)
       ${q ? db`and c.name like ${likeContains(q)}` : db``}
     order by ('leader' = any (c.pools::text[])) desc, o.level desc, c.name, c.id
     limit ${CADRE_OPTIONS_LIMIT + 1}`;
  return { rows: rows.slice(0, CADRE_OPTIONS_LIMIT), more: rows.length > CADRE_OPTIONS_LIMIT };
}

export async function addMember(
  db: Tx,
  groupId: number,
  cadreId: number,
  role: GroupRole,
): Promise<{ id: number; name: string; rotationWarning: boolean }> {
  // The trigger checks the assignment and snapshots the name and the rotation warning.
  const [row] = await db<{ id: number; name: string; rotationWarning: boolean }[]>`
    insert into public.group_members (group_id, cadre_id, role)
    values (${groupId}, ${cadreId}, ${role})
    returning id::int as id, cadre_name as name, rotation_warning as "rotationWarning"`;
  return row;
}

export async function removeMember(db: Tx, groupId: number, memberId: number): Promise<string | null> {
  const [row] = await db<{ name: string }[]>`
    delete from public.group_members where id = ${memberId} and group_id = ${groupId} returning cadre_name as name`;
  return row?.name ?? null;
}

export async function evaluateMember(
  db: Tx,
  groupId: number,
  memberId: number,
  input: { evaluation: EvaluationGrade; note?: string },
): Promise<string | null> {
  const [row] = await db<{ name: string }[]>`
    update public.group_members set evaluation = ${input.evaluation}, evaluation_note = ${input.note || null}
     where id = ${memberId} and group_id = ${groupId}
    returning cadre_name as name`;
  return row?.name ?? null;
}

// ---------------------------------------------------------------- draws

/** Draws at random (public.draw_group_members records the draw) and returns the draw's id. */
export async function drawMembers(db: Tx, groupId: number, input: DrawInput): Promise<{ drawId: number; eligible: number; picked: number }> {
  const picked = await db`
    select cadre_id from public.draw_group_members(${groupId}, ${input.count}, ${db.array(input.specialties)}::text[],
                                                   ${input.pool}::public.cadre_pool)`;
  const [draw] = await db<{ id: number; eligible: number }[]>`
    select id::int as id, eligible from public.member_draws
     where group_id = ${groupId} and drawn_by = (select auth.uid())
     order by id desc limit 1`;
  return { drawId: draw.id, eligible: draw.eligible, picked: picked.length };
}

export interface DrawRow {
  id: number;
  pool: CadrePool;
  specialties: string[];
  requested: number;
  eligible: number;
  proposedNames: string | null;
  proposedCount: number;
  drawnBy: string | null;
  drawnAt: Date;
}

export async function groupDraws(db: Tx, groupId: number): Promise<DrawRow[]> {
  return db<DrawRow[]>`
    select d.id::int as id, d.pool, d.specialties, d.requested, d.eligible,
           (select string_agg(coalesce(c.name, '—'), '、' order by p.pos)
              from unnest(d.proposed) with ordinality p(id, pos)
              left join public.cadres c on c.id = p.id) as "proposedNames",
           cardinality(d.proposed) as "proposedCount",
           pd.display_name as "drawnBy", d.drawn_at as "drawnAt"
      from public.member_draws d
      left join private.people_directory() pd on pd.user_id = d.drawn_by
     where d.group_id = ${groupId}
     order by d.drawn_at desc, d.id desc
     limit 50`;
}

export interface DrawnCadre {
  id: number;
  name: string;
  rank: string | null;
  specialties: string[];
  rotationWarning: boolean;
  isMember: boolean;
}

export async function drawnCadres(db: Tx, groupId: number, drawId: number): Promise<DrawnCadre[]> {
  return db<DrawnCadre[]>`
    select c.id::int as id, c.name, c.rank, c.specialties,
           coalesce(c.first_posted_on <= g.station_start - interval '5 years', false) as "rotationWarning",
           exists (select 1 from public.group_members m where m.group_id = d.group_id and m.cadre_id = c.id) as "isMember"
      from public.member_draws d
      join public.patrol_groups g on g.id = d.group_id
      cross join lateral unnest(d.proposed) with ordinality p(id, pos)
      join public.cadres c on c.id = p.id
     where d.id = ${drawId} and d.group_id = ${groupId}
     order by p.pos`;
}

// ---------------------------------------------------------------- engagements

export interface GroupEngagementRow {
  id: number;
  unitId: number;
  unitName: string;
  mode: EngagementMode;
  targetOrgName: string | null;
  stationedOn: string | null;
}

export async function groupEngagements(db: Tx, groupId: number): Promise<GroupEngagementRow[]> {
  return db<GroupEngagementRow[]>`
    select e.id::int as id, e.unit_id::int as "unitId", e.unit_name as "unitName", e.mode,
           tn.name as "targetOrgName", e.stationed_on::text as "stationedOn"
      from public.engagements e
      left join lateral public.org_names(array[e.target_org_id]) tn on true
     where e.group_id = ${groupId}
     order by e.id`;
}

export interface UnitOption {
  id: number;
  name: string;
  orgId: number;
  orgName: string;
  /** The group that already has the unit in this round, if any. */
  takenBy: string | null;
}

export const UNIT_OPTIONS_LIMIT = 50;

/**
 * Active units under the round's org whose name contains q: the round org's own first,
 * then lower orgs'. Thousands of units: the picker searches, it never lists them all.
 */
export async function unitOptions(
  db: Tx,
  round: { id: number; orgId: number },
  q?: string,
): Promise<{ rows: UnitOption[]; more: boolean }> {
  const rows = await db<UnitOption[]>`
    select u.id::int as id, u.name, u.org_id as "orgId", o.name as "orgName",
           (select e.group_name from public.engagements e where e.round_id = ${round.id} and e.unit_id = u.id) as "takenBy"
      from public.org_closure c
      join public.units u on u.org_id = c.descendant_id
      join public.orgs o on o.id = u.org_id
     where c.ancestor_id = ${round.orgId}
       and u.active
       ${q ? db`and u.name like ${likeContains(q)}` : db``}
     order by c.depth, o.region_code, u.name, u.id
     limit ${UNIT_OPTIONS_LIMIT + 1}`;
  return { rows: rows.slice(0, UNIT_OPTIONS_LIMIT), more: rows.length > UNIT_OPTIONS_LIMIT };
}

export async function addEngagement(db: Tx, group: { id: number; roundId: number }, input: EngagementInput): Promise<{ id: number; unitName: string }> {
  // The trigger judges the mode against the org tree and the members' conflicts.
  const [row] = await db<{ id: number; unitName: string }[]>`
    insert into public.engagements (round_id, group_id, unit_id, mode)
    values (${group.roundId}, ${group.id}, ${input.unitId}, ${input.mode})
    returning id::int as id, unit_name as "unitName"`;
  return row;
}

export async function removeEngagement(db: Tx, groupId: number, engagementId: number): Promise<string | null> {
  const [row] = await db<{ unitName: string }[]>`
    delete from public.engagements where id = ${engagementId} and group_id = ${groupId} returning unit_name as "unitName"`;
  return row?.unitName ?? null;
}
