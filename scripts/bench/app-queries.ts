import postgres from "postgres";
import type { Tx } from "../../app/lib/db.server";
import { UNITS_PAGE_SIZE } from "../../app/lib/paging";
import type { Sql } from "../../app/lib/privileged.server";
import { unitFilterSchema } from "../../app/lib/schemas/unit";
import { countActiveUnits, listUnits, queryActiveUnitCount, queryUnitPage, scopeHint } from "../../app/models/units.server";
import type { BenchUser } from "./generate";

/**
 * The measured statements: the app's own functions from app/models/units.server.ts
 * on both sides, so the two sides can differ only in the scope filter.
 *
 * - "list"  = the /units page with no query string: its total and first page of rows
 *   (two statements). RLS side `listUnits(db, PAGE_FILTERS, subtreeOrgIds)`, which adds
 *   the single-org planner hint (`and u.org_id = $1`) when the subtree is one org;
 *   owner side `queryUnitPage(db, PAGE_FILTERS, <owner's filter>)`.
 * - "count" = the home page's count (one statement). RLS side
 *   `countActiveUnits(db, subtreeOrgIds)`; owner side `queryActiveUnitCount(db, <owner's filter>)`.
 *
 * The owner's statements are the same for every variant, so ratios compare across
 * variants. The only SQL written here is the list shape the app sent before f8f0cf8,
 * kept for the `previous` variant.
 */

export type QueryKind = "list" | "count";
export const QUERY_KINDS: QueryKind[] = ["list", "count"];

/** /units with no query string: status "active", page 1, no other filter. */
export const PAGE_FILTERS = unitFilterSchema.parse({});

/**
 * "app": the app's functions as the loaders call them. "join-first": the list as the
 * app sent it before f8f0cf8 (historical, `previous` only).
 */
export type Shape = "app" | "join-first";

/**
 * Historical copy of listUnits before f8f0cf8, for the default filters: units joined
 * to orgs and parents first, then sorted and limited; the total over the same join.
 * Not the app's code; the app's column list is copied from units.server.ts.
 */
async function joinFirstList(db: Tx, scope: ReturnType<Tx["unsafe"]>): Promise<unknown> {
  const where = db`
    where true
    ${scope}
    and u.active`;
  const [{ total }] = await db<{ total: number }[]>`
    select count(*)::int as total from public.units u join public.orgs o on o.id = u.org_id ${where}`;
  const rows = await db`
    select u.id::int as id, u.name, u.category, u.head_level as "headLevel", u.org_id as "orgId",
           o.name as "orgName", o.level as "orgLevel", u.province_id as "provinceId",
           u.parent_unit_id::int as "parentUnitId", p.name as "parentUnitName", u.active,
           u.created_at as "createdAt", u.updated_at as "updatedAt"
      from public.units u
      join public.orgs o on o.id = u.org_id
      left join public.units p on p.id = u.parent_unit_id
    ${where}
     order by u.created_at desc, u.id desc
     limit ${UNITS_PAGE_SIZE} offset ${(PAGE_FILTERS.page - 1) * UNITS_PAGE_SIZE}`;
  return { rows, total };
}

/**
 * The RLS side. `subtreeOrgIds` is what requireUser hands the loaders; an empty one
 * gives the unhinted statements (what province and city users always send).
 */
export async function rlsQuery(shape: Shape, kind: QueryKind, db: Tx, subtreeOrgIds: number[]): Promise<unknown> {
  if (kind === "count") return { n: await countActiveUnits(db, subtreeOrgIds) };
  return shape === "app" ? listUnits(db, PAGE_FILTERS, subtreeOrgIds) : joinFirstList(db, scopeHint(db, subtreeOrgIds));
}

/** The owner's tightest hand-written filter for each user's scope, as constants. */
export function ownerFilterSql(u: BenchUser): string {
  if (u.label === "province") return `and u.province_id = ${u.provinceId}`;
  if (u.label === "city") return `and u.org_id = any ('{${u.subtree.join(",")}}'::int[])`;
  return `and u.org_id = ${u.orgId}`;
}

/** The owner side: the app's statements with the owner's filter as their scope. */
export async function ownerQuery(kind: QueryKind, db: Tx, u: BenchUser): Promise<unknown> {
  const scope = db.unsafe(ownerFilterSql(u));
  return kind === "list" ? queryUnitPage(db, PAGE_FILTERS, scope) : { n: await queryActiveUnitCount(db, scope) };
}

export interface Statement {
  text: string;
  params: unknown[];
}

/**
 * The statements a callback sends, captured from postgres.js on a throwaway
 * superuser connection (the text does not depend on who runs it), so the bench can
 * EXPLAIN exactly those and find them in pg_prepared_statements.
 */
async function capture(url: string, fn: (db: Tx) => Promise<unknown>): Promise<Statement[]> {
  const out: Statement[] = [];
  let on = false;
  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    debug: (_conn, text, params) => {
      if (on) out.push({ text, params: [...params] });
    },
  }) as Sql;
  try {
    await sql.begin(async (tx) => {
      on = true;
      await fn(tx as Tx);
      on = false;
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  } finally {
    await sql.end({ timeout: 2 });
  }
  return out;
}
class Rollback extends Error {}

/** The statements each side sends for `u` (RLS side with `subtreeOrgIds`). */
export async function captureQueries(url: string, shape: Shape, kind: QueryKind, u: BenchUser, subtreeOrgIds: number[]) {
  return {
    app: await capture(url, (db) => rlsQuery(shape, kind, db, subtreeOrgIds)),
    owner: await capture(url, (db) => ownerQuery(kind, db, u)),
  };
}
