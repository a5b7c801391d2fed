import { likeContains, type Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import type { HeadLevel, UnitCategory, UnitFilters, UnitInput } from "~/lib/schemas/unit";

/**
 * The unit registry. Every query runs inside the caller's RLS context: the database
 * decides which rows exist for this user; these functions only shape the queries.
 */
import { UNITS_PAGE_SIZE } from "~/lib/paging";

/** What the database refuses in a unit form, as field errors. */
export const UNIT_REFUSALS: DbRefusal[] = [
  { code: "23505", field: "name", message: m.units.nameTaken },
  { code: "23503", field: "parentUnitId", message: m.units.parentInvalid },
  { code: "23514", field: "parentUnitId", message: m.units.parentInvalid },
];

export interface UnitRow {
  id: number;
  name: string;
  category: UnitCategory;
  headLevel: HeadLevel;
  orgId: number;
  orgName: string;
  orgLevel: "province" | "city" | "county";
  provinceId: number;
  parentUnitId: number | null;
  parentUnitName: string | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const columns = (db: Tx) => db`
  u.id::int as id, u.name, u.category, u.head_level as "headLevel", u.org_id as "orgId",
  o.name as "orgName", o.level as "orgLevel", u.province_id as "provinceId",
  u.parent_unit_id::int as "parentUnitId", p.name as "parentUnitName", u.active,
  u.created_at as "createdAt", u.updated_at as "updatedAt"`;

type Fragment = ReturnType<Tx["unsafe"]>;

/**
 * A planner hint, not a security filter (RLS decides): when the caller's scope is a
 * single org, say so as a constant. The policy's helper values are unknown at plan
 * time; with the constant a county's list takes the owner's plan (measured 1.45 ->
 * 1.00 ms, docs/performance.md variant "no-hint").
 */
export function scopeHint(db: Tx, subtreeOrgIds: number[]): Fragment {
  return subtreeOrgIds.length === 1 ? db`and u.org_id = ${subtreeOrgIds[0]}` : db``;
}

function unitWhere(db: Tx, f: UnitFilters, scope: Fragment) {
  return db`
    where true
    ${f.org ? db`and u.org_id = ${f.org}` : scope}
    ${f.level ? db`and u.org_id in (select l.id from public.orgs l where l.level = ${f.level})` : db``}
    ${f.category ? db`and u.category = ${f.category}` : db``}
    ${f.status === "active" ? db`and u.active` : f.status === "inactive" ? db`and not u.active` : db``}
    ${f.q ? db`and u.name like ${likeContains(f.q)}` : db``}`;
}

/**
 * One page of the registry and its total. `scope` is the app's planner hint, or (in
 * the benchmark) the owner's hand-written filter: the same statements either way.
 *
 * The page of units is read first and only then joined to orgs and parents: joined
 * up front, the orgs policy shrinks the planner's row estimate below the LIMIT and it
 * sorts the whole province instead of stopping early (docs/performance.md).
 */
export async function queryUnitPage(db: Tx, f: UnitFilters, scope: Fragment): Promise<{ rows: UnitRow[]; total: number }> {
  const where = unitWhere(db, f, scope);
  const [{ total }] = await db<{ total: number }[]>`select count(*)::int as total from public.units u ${where}`;
  const rows = await db<UnitRow[]>`
    select ${columns(db)}
      from (select * from public.units u
            ${where}
             order by u.created_at desc, u.id desc
             limit ${UNITS_PAGE_SIZE} offset ${(f.page - 1) * UNITS_PAGE_SIZE}) u
      join public.orgs o on o.id = u.org_id
      left join public.units p on p.id = u.parent_unit_id
     order by u.created_at desc, u.id desc`;
  return { rows, total };
}

export function listUnits(db: Tx, f: UnitFilters, subtreeOrgIds: number[]): Promise<{ rows: UnitRow[]; total: number }> {
  return queryUnitPage(db, f, scopeHint(db, subtreeOrgIds));
}

export async function getUnit(db: Tx, id: number): Promise<UnitRow | undefined> {
  const [row] = await db<UnitRow[]>`
    select ${columns(db)}
      from public.units u
      join public.orgs o on o.id = u.org_id
      left join public.units p on p.id = u.parent_unit_id
     where u.id = ${id}`;
  return row;
}

/** Active units of one org, for the parent-unit picker. */
export async function unitOptions(db: Tx, orgId: number, excludeId?: number): Promise<{ id: number; name: string }[]> {
  return db<{ id: number; name: string }[]>`
    select id::int as id, name from public.units
     where org_id = ${orgId} and active ${excludeId ? db`and id <> ${excludeId}` : db``}
     order by name`;
}

/** The org is always the acting office's own; it never comes from the form. */
export async function createUnit(db: Tx, orgId: number, input: UnitInput): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into public.units (org_id, name, category, head_level, parent_unit_id)
    values (${orgId}, ${input.name}, ${input.category}, ${input.headLevel}, ${input.parentUnitId ?? null})
    returning id::int as id`;
  return row.id;
}

export async function updateUnit(db: Tx, id: number, input: UnitInput): Promise<boolean> {
  const rows = await db`
    update public.units
       set name = ${input.name}, category = ${input.category}, head_level = ${input.headLevel},
           parent_unit_id = ${input.parentUnitId ?? null}
     where id = ${id}`;
  return rows.count === 1;
}

export async function setUnitActive(db: Tx, id: number, active: boolean): Promise<boolean> {
  const rows = await db`update public.units set active = ${active} where id = ${id}`;
  return rows.count === 1;
}

export async function queryActiveUnitCount(db: Tx, scope: Fragment): Promise<number> {
  const [{ n }] = await db<{ n: number }[]>`select count(*)::int as n from public.units u where u.active ${scope}`;
  return n;
}

export function countActiveUnits(db: Tx, subtreeOrgIds: number[]): Promise<number> {
  return queryActiveUnitCount(db, scopeHint(db, subtreeOrgIds));
}
