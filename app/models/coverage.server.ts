import { likeContains, type Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import type { Figures, PlanObject, TermObjectKind } from "~/lib/coverage";
import { coverageText as t } from "~/lib/messages/coverage";

/**
 * Full coverage in a term (届内全覆盖): the plan (term_objects) and its live state
 * (the term_coverage view). Every query runs in the caller's RLS context, and the view
 * is security_invoker, so each office counts exactly what it may see: the province's
 * figure for a city equals the city's own.
 */

export const TERM_OBJECT_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /regular object/, field: null, message: t.refusalRegular },
  { code: "23514", match: /elevated object/, field: null, message: t.refusalElevated },
  { code: "23514", match: /planned year/, field: null, message: t.refusalYear },
  { code: "23505", match: /term_objects_term_unit_key/, field: null, message: t.refusalDuplicate },
];

/** The year in China: "the current term" is the one containing it. */
export function chinaYear(now = new Date()): number {
  return Number(new Intl.DateTimeFormat("en", { timeZone: "Asia/Shanghai", year: "numeric" }).format(now));
}

export interface CoverageNode {
  id: number;
  parentId: number | null;
  level: "province" | "city" | "county";
  name: string;
  depth: number;
  termId: number | null;
  termName: string | null;
  startYear: number | null;
  endYear: number | null;
  /** The org's own current term plan. */
  own: Figures;
  /** Own plus every org below it (= own + the children's rolled-up figures). */
  rolled: Figures;
}

const figureColumns = (prefix: string) => [
  `${prefix}_due`, `${prefix}_covered`, `${prefix}_elevated_due`, `${prefix}_elevated_covered`, `${prefix}_scheduled`,
];

type CoverageRow = Omit<CoverageNode, "own" | "rolled"> & Record<string, number | string | null>;

/**
 * One grouped query over term_coverage for the whole subtree of `rootId`: each org's
 * current term (the one containing `year`, else the latest), its own figures, and the
 * figures rolled up over its subtree through the closure table.
 */
export async function coverageTree(db: Tx, rootId: number, year: number): Promise<CoverageNode[]> {
  const rows = await db<CoverageRow[]>`
    with sub as (
      select c.descendant_id as org_id, c.depth from public.org_closure c where c.ancestor_id = ${rootId}
    ),
    cur as (
      select distinct on (tm.org_id) tm.id as term_id, tm.org_id, tm.name, tm.start_year, tm.end_year
        from public.terms tm
       where tm.org_id in (select org_id from sub)
       order by tm.org_id, (${year}::int between tm.start_year and tm.end_year) desc, tm.start_year desc, tm.id desc
    ),
    own as materialized (
      select cur.org_id,
             count(*)::int as due,
             count(*) filter (where tc.covered)::int as covered,
             count(*) filter (where tc.kind = 'elevated')::int as elevated_due,
             count(*) filter (where tc.kind = 'elevated' and tc.covered)::int as elevated_covered,
             count(*) filter (where tc.scheduled and not tc.covered)::int as scheduled
        from cur join public.term_coverage tc on tc.term_id = cur.term_id
       group by cur.org_id
    )
    select o.id, o.parent_id as "parentId", o.level, o.name, sub.depth,
           cur.term_id::int as "termId", cur.name as "termName", cur.start_year as "startYear", cur.end_year as "endYear",
           coalesce(own.due, 0) as own_due, coalesce(own.covered, 0) as own_covered,
           coalesce(own.elevated_due, 0) as own_elevated_due, coalesce(own.elevated_covered, 0) as own_elevated_covered,
           coalesce(own.scheduled, 0) as own_scheduled,
           r.due as rolled_due, r.covered as rolled_covered, r.elevated_due as rolled_elevated_due,
           r.elevated_covered as rolled_elevated_covered, r.scheduled as rolled_scheduled
      from sub
      join public.orgs o on o.id = sub.org_id
      left join cur on cur.org_id = o.id
      left join own on own.org_id = o.id
      cross join lateral (
        select coalesce(sum(x.due), 0)::int as due, coalesce(sum(x.covered), 0)::int as covered,
               coalesce(sum(x.elevated_due), 0)::int as elevated_due,
               coalesce(sum(x.elevated_covered), 0)::int as elevated_covered,
               coalesce(sum(x.scheduled), 0)::int as scheduled
          from own x join public.org_closure cl on cl.descendant_id = x.org_id
         where cl.ancestor_id = o.id
      ) r
     order by sub.depth, o.level, o.region_code`;
  const figures = (row: CoverageRow, prefix: string): Figures => {
    const [due, covered, elevatedDue, elevatedCovered, scheduled] = figureColumns(prefix).map((c) => Number(row[c]));
    return { due, covered, elevatedDue, elevatedCovered, scheduled };
  };
  return rows.map((row) => ({
    id: row.id,
    parentId: row.parentId,
    level: row.level,
    name: row.name,
    depth: row.depth,
    termId: row.termId,
    termName: row.termName,
    startYear: row.startYear,
    endYear: row.endYear,
    own: figures(row, "own"),
    rolled: figures(row, "rolled"),
  }));
}

export interface TermInfo {
  id: number;
  orgId: number;
  orgName: string;
  orgLevel: "province" | "city" | "county";
  name: string;
  startYear: number;
  endYear: number;
}

export async function getTerm(db: Tx, id: number): Promise<TermInfo | undefined> {
  const [row] = await db<TermInfo[]>`
    select t.id::int as id, t.org_id as "orgId", o.name as "orgName", o.level as "orgLevel", t.name, t.start_year as "startYear", t.end_year as "endYear"
      from public.terms t join public.orgs o on o.id = t.org_id
     where t.id = ${id}`;
  return row;
}

/** A term's plan with its live state (covered, scheduled), in the caller's view. */
export async function termPlan(db: Tx, termId: number): Promise<PlanObject[]> {
  return db<PlanObject[]>`
    select tc.id::int as id, tc.unit_id::int as "unitId", tc.unit_name as "unitName", tc.unit_category::text as "unitCategory",
           uo.name as "unitOrgName", tc.kind, tc.planned_year as "plannedYear", tc.covered,
           tc.covered_on::text as "coveredOn", tc.covered_mode::text as "coveredMode", tc.scheduled
      from public.term_coverage tc
      join public.units u on u.id = tc.unit_id
      join public.orgs uo on uo.id = u.org_id
     where tc.term_id = ${termId}
     order by tc.kind, tc.planned_year nulls last, uo.level, uo.region_code, tc.unit_category, tc.unit_name`;
}

/** Adds every active unit of the term's own org not yet in the plan, as a regular object. */
export async function includeAllUnits(db: Tx, termId: number): Promise<number> {
  const rows = await db`
    insert into public.term_objects (term_id, org_id, province_id, unit_id, kind)
    select t.id, t.org_id, o.province_id, u.id, 'regular'
      from public.terms t
      join public.orgs o on o.id = t.org_id
      join public.units u on u.org_id = t.org_id and u.active
     where t.id = ${termId}
       and not exists (select 1 from public.term_objects x where x.term_id = t.id and x.unit_id = u.id)
     order by u.id`;
  return rows.count;
}

export async function addObject(db: Tx, termId: number, unitId: number, kind: TermObjectKind, plannedYear: number | null) {
  // The trigger sets org_id and province_id from the term again and checks the kind fits.
  const [row] = await db<{ id: number }[]>`
    insert into public.term_objects (term_id, org_id, province_id, unit_id, kind, planned_year)
    select t.id, t.org_id, o.province_id, ${unitId}::bigint, ${kind}::public.term_object_kind, ${plannedYear}::int
      from public.terms t join public.orgs o on o.id = t.org_id
     where t.id = ${termId}
    returning id::int as id`;
  return row?.id;
}

/** Sets (or clears, with null) the planned year of the given objects of one term. */
export async function setPlannedYear(db: Tx, termId: number, ids: number[], year: number | null): Promise<number> {
  const rows = await db`
    update public.term_objects set planned_year = ${year}
     where term_id = ${termId} and id = any (${ids}::bigint[])`;
  return rows.count;
}

export async function removeObject(db: Tx, termId: number, id: number): Promise<string | null> {
  const [row] = await db<{ unitName: string }[]>`
    delete from public.term_objects o using public.units u
     where o.id = ${id} and o.term_id = ${termId} and u.id = o.unit_id
    returning u.name as "unitName"`;
  return row?.unitName ?? null;
}

export interface Candidate {
  id: number;
  name: string;
  category: string;
  orgName: string;
}

/** Active units below the term's org (its descendants' registries) not yet in the plan. */
export async function elevatedCandidates(db: Tx, term: TermInfo, q: { q?: string; category?: string }): Promise<Candidate[]> {
  return db<Candidate[]>`
    select u.id::int as id, u.name, u.category::text as category, o.name as "orgName"
      from public.units u
      join public.org_closure c on c.descendant_id = u.org_id and c.ancestor_id = ${term.orgId} and c.depth > 0
      join public.orgs o on o.id = u.org_id
     where u.active
       ${q.q ? db`and u.name like ${likeContains(q.q)}` : db``}
       ${q.category ? db`and u.category::text = ${q.category}` : db``}
       and not exists (select 1 from public.term_objects x where x.term_id = ${term.id} and x.unit_id = u.id)
     order by c.depth, o.region_code, u.name
     limit 50`;
}
