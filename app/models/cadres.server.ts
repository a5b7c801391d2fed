import { likeContains, type Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import type { CadreFilters, CadreInput, CadrePool, ConflictReason } from "~/lib/schemas/cadre";
import type { EvaluationGrade, GroupRole } from "~/lib/schemas/group";

/** The cadre pools. Every query runs in the caller's RLS context. */

export const CADRE_REFUSALS: DbRefusal[] = [{ code: "23514", field: "specialties", message: m.cadres.poolRequired }];
export const CONFLICT_REFUSALS: DbRefusal[] = [
  { code: "23505", field: "unitId", message: m.cadres.conflictDuplicate },
  { code: "23503", field: "unitId", message: m.cadres.unitInvalid },
];
export const HISTORY_REFUSALS: DbRefusal[] = [{ code: "23503", field: "unitName", message: m.cadres.unitInvalid }];

export interface CadreRow {
  id: number;
  orgId: number;
  orgName: string;
  name: string;
  homeUnit: string;
  rank: string | null;
  specialties: string[];
  pools: CadrePool[];
  firstPostedOn: string | null;
  available: boolean;
  conflictCount: number;
}

const cadreColumns = (db: Tx) => db`
  c.id::int as id, c.org_id as "orgId", o.name as "orgName", c.name, c.home_unit as "homeUnit", c.rank,
  c.specialties, c.pools::text[] as pools, c.first_posted_on::text as "firstPostedOn", c.available,
  (select count(*)::int from public.cadre_unit_conflicts x where x.cadre_id = c.id) as "conflictCount"`;

export const CADRES_PAGE_LIMIT = 200;

export async function listCadres(db: Tx, f: CadreFilters): Promise<{ rows: CadreRow[]; total: number }> {
  const where = db`
    where true
      ${f.org ? db`and c.org_id = ${f.org}` : db``}
      ${f.pool ? db`and ${f.pool}::public.cadre_pool = any (c.pools)` : db``}
      ${f.specialty ? db`and ${f.specialty} = any (c.specialties)` : db``}
      ${f.q ? db`and (c.name like ${likeContains(f.q)} or c.home_unit like ${likeContains(f.q)})` : db``}`;
  const [{ total }] = await db<{ total: number }[]>`select count(*)::int as total from public.cadres c ${where}`;
  const rows = await db<CadreRow[]>`
    select ${cadreColumns(db)}
      from public.cadres c join public.orgs o on o.id = c.org_id
    ${where}
     order by o.level, o.region_code, ('leader' = any (c.pools::text[])) desc, c.name
     limit ${CADRES_PAGE_LIMIT}`;
  return { rows, total };
}

export async function getCadre(db: Tx, id: number): Promise<CadreRow | undefined> {
  const [row] = await db<CadreRow[]>`
    select ${cadreColumns(db)} from public.cadres c join public.orgs o on o.id = c.org_id where c.id = ${id}`;
  return row;
}

export async function createCadre(db: Tx, orgId: number, input: CadreInput): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into public.cadres (org_id, name, home_unit, rank, specialties, pools, first_posted_on, available)
    values (${orgId}, ${input.name}, ${input.homeUnit}, ${input.rank || null}, ${input.specialties},
            ${db.array(input.pools)}::text[]::public.cadre_pool[], ${input.firstPostedOn ?? null}, ${input.available})
    returning id::int as id`;
  return row.id;
}

export async function updateCadre(db: Tx, id: number, input: CadreInput): Promise<boolean> {
  const rows = await db`
    update public.cadres
       set name = ${input.name}, home_unit = ${input.homeUnit}, rank = ${input.rank || null},
           specialties = ${input.specialties}, pools = ${db.array(input.pools)}::text[]::public.cadre_pool[],
           first_posted_on = ${input.firstPostedOn ?? null}, available = ${input.available}
     where id = ${id}`;
  return rows.count === 1;
}

export interface ConflictRow {
  id: number | null;
  unitId: number;
  unitName: string | null;
  reason: ConflictReason;
  source: "recorded" | "work_history";
  note: string | null;
}

export async function cadreConflicts(db: Tx, cadreId: number): Promise<ConflictRow[]> {
  return db<ConflictRow[]>`
    select (select cc.id::int from public.cadre_conflicts cc
             where cc.cadre_id = x.cadre_id and cc.unit_id = x.unit_id and cc.reason = x.reason and x.source = 'recorded') as id,
           x.unit_id::int as "unitId", u.name as "unitName", x.reason, x.source, x.note
      from public.cadre_unit_conflicts x
      left join public.units u on u.id = x.unit_id
     where x.cadre_id = ${cadreId}
     order by x.source, u.name`;
}

export interface HistoryRow {
  id: number;
  unitName: string;
  post: string | null;
  fromDate: string;
  toDate: string | null;
}

export async function cadreHistory(db: Tx, cadreId: number): Promise<HistoryRow[]> {
  return db<HistoryRow[]>`
    select id::int as id, unit_name as "unitName", post, from_date::text as "fromDate", to_date::text as "toDate"
      from public.cadre_work_history where cadre_id = ${cadreId} order by from_date desc`;
}

export async function addConflict(db: Tx, cadreId: number, input: { unitId: number; reason: ConflictReason; note?: string }) {
  // org_id and province_id come from the cadre (trigger).
  await db`insert into public.cadre_conflicts (cadre_id, unit_id, reason, note)
           values (${cadreId}, ${input.unitId}, ${input.reason}, ${input.note || null})`;
}

export async function removeConflict(db: Tx, cadreId: number, conflictId: number): Promise<boolean> {
  const rows = await db`delete from public.cadre_conflicts where id = ${conflictId} and cadre_id = ${cadreId}`;
  return rows.count === 1;
}

export async function addHistory(
  db: Tx,
  cadreId: number,
  input: { unitId?: number; unitName: string; post?: string; fromDate: string; toDate?: string },
) {
  await db`insert into public.cadre_work_history (cadre_id, unit_id, unit_name, post, from_date, to_date)
           values (${cadreId}, ${input.unitId ?? null}, ${input.unitName}, ${input.post || null},
                   ${input.fromDate}, ${input.toDate ?? null})`;
}

/** Units the office can name in a conflict (its readable registry), for the picker. */
export async function conflictUnitOptions(db: Tx): Promise<{ id: number; name: string; orgName: string }[]> {
  return db`
    select u.id::int as id, u.name, o.name as "orgName"
      from public.units u join public.orgs o on o.id = u.org_id
     where u.active
     order by o.level, o.region_code, u.name
     limit 3000`;
}

export interface PatrolRecordRow {
  id: number;
  role: GroupRole;
  rotationWarning: boolean;
  evaluation: EvaluationGrade | null;
  evaluationNote: string | null;
  evaluatedAt: Date | null;
  groupId: number;
  groupName: string;
  stationStart: string;
  stationEnd: string;
  executingOrgName: string | null;
  /** Null when the round belongs to an office the reader may not see (a cross patrol's city). */
  roundId: number | null;
  roundNumber: number | null;
  roundYear: number | null;
  termName: string | null;
  roundOrgName: string | null;
  units: string | null;
}

/**
 * The cadre's service in patrol groups (巡察经历与考评). RLS on group_members lets the
 * executing office and its ancestors read them; the pool's org is one of those, since a
 * group draws only from pools between its executing and its supervising org.
 */
export async function cadrePatrolRecord(db: Tx, cadreId: number): Promise<PatrolRecordRow[]> {
  return db<PatrolRecordRow[]>`
    select gm.id::int as id, gm.role, gm.rotation_warning as "rotationWarning", gm.evaluation,
           gm.evaluation_note as "evaluationNote", gm.evaluated_at as "evaluatedAt",
           g.id::int as "groupId", g.name as "groupName", g.station_start::text as "stationStart",
           g.station_end::text as "stationEnd", eo.name as "executingOrgName",
           r.id::int as "roundId", r.number as "roundNumber", r.year as "roundYear", t.name as "termName",
           ro.name as "roundOrgName",
           (select string_agg(e.unit_name, '、' order by e.unit_name) from public.engagements e where e.group_id = g.id) as units
      from public.group_members gm
      join public.patrol_groups g on g.id = gm.group_id
      left join public.orgs eo on eo.id = g.executing_org_id
      left join public.rounds r on r.id = g.round_id
      left join public.terms t on t.id = r.term_id
      left join public.orgs ro on ro.id = r.org_id
     where gm.cadre_id = ${cadreId}
     order by g.station_start desc, gm.id desc`;
}
