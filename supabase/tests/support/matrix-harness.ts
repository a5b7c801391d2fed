import type { JwtClaims, Tx } from "../../../app/lib/db.server";
import { ownerSql } from "./db";

/**
 * Support for the CASL <-> RLS matrix (supabase/tests/casl-rls-matrix.test.ts).
 *
 * The matrix needs fixture rows the demo lacks (audit rows in every org, memberships of
 * a second user in every org). audit_log is append-only, so committed fixtures could
 * never be removed, and committed memberships would leak into suites that run at the
 * same time. So each actor's matrix runs in ONE transaction that is always rolled back:
 *
 *   1. the owner inserts the fixtures (nothing is ever committed);
 *   2. the transaction switches to the request context, exactly as the request path does
 *      (`role = authenticated` + `request.jwt.claims` of a live session), after which
 *      RLS and the grants of `authenticated` decide everything;
 *   3. every probe runs in a savepoint that is rolled back, so one cell's successful
 *      insert/update/delete cannot change what the next cell sees.
 *
 * The test also compares the session context built here with the one built through the
 * app's own login path (authenticator -> authenticated, `asUser`), so both paths are
 * shown to be the same RLS context.
 */

class Rollback extends Error {
  constructor(readonly value: unknown) {
    super("rollback");
  }
}

/**
 * Runs `setup` as the owner, then `fn` as the user of `claims` (role authenticated, RLS
 * in force), in one transaction that is always rolled back.
 */
export async function asUserOverFixtures<F, T>(
  claims: JwtClaims,
  setup: (owner: Tx) => Promise<F>,
  fn: (tx: Tx, fixtures: F) => Promise<T>,
): Promise<T> {
  try {
    await ownerSql().begin(async (raw) => {
      const tx = raw as unknown as Tx;
      const fixtures = await setup(tx);
      await tx`select set_config('role', 'authenticated', true),
                      set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
      const [who] = await tx<{ name: string; bypass: boolean }[]>`
        select current_user as name, r.rolbypassrls or r.rolsuper as bypass
          from pg_roles r where r.rolname = current_user`;
      if (who?.name !== "authenticated" || who.bypass) {
        throw new Error(`matrix harness: expected to act as authenticated, got ${JSON.stringify(who)}`);
      }
      throw new Rollback(await fn(tx, fixtures));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.value as T;
    throw error;
  }
  throw new Error("unreachable");
}

export interface ProbeResult<T> {
  /** SQLSTATE raised, or null when the statement succeeded. */
  state: string | null;
  value?: T;
}

/** Runs one statement in a savepoint that is always rolled back; reports its SQLSTATE and result. */
export async function probe<T>(tx: Tx, run: (sp: Tx) => Promise<T>): Promise<ProbeResult<T>> {
  try {
    await tx.savepoint(async (sp) => {
      throw new Rollback(await run(sp as Tx));
    });
  } catch (error) {
    if (error instanceof Rollback) return { state: null, value: error.value as T };
    const code = (error as { code?: string }).code;
    if (!code) throw error;
    return { state: code };
  }
  throw new Error("unreachable");
}

// ---------------------------------------------------------------- planning fixtures

export interface PlanningFixture {
  term: { id: number; name: string; startYear: number; endYear: number; seeded: boolean };
  /** The org's first seeded round (when the demo has one), then a fixture draft and a fixture submitted round. */
  rounds: { id: number; status: string; label: string; seeded: boolean }[];
  /** The latest history row of the org's first round (written by the database, not by hand). */
  history: { id: number; label: string };
}

/**
 * Inside the owner transaction (before the request context is entered): a term and rounds
 * in every org given, reusing the demo's where it has them and inserting the rest, so
 * every org sits in the matrix with real rows. Rounds are written through the same
 * triggers the app goes through, so their status history exists as it would in use.
 */
export async function createPlanningFixtures(
  tx: Tx,
  orgs: { id: number; code: string }[],
): Promise<Map<string, PlanningFixture>> {
  const out = new Map<string, PlanningFixture>();
  for (const org of orgs) {
    let [term] = await tx<{ id: number; name: string; startYear: number; endYear: number }[]>`
      select id::int as id, name, start_year as "startYear", end_year as "endYear"
        from public.terms where org_id = ${org.id} order by id limit 1`;
    const seededTerm = Boolean(term);
    if (!term) {
      [term] = await tx<{ id: number; name: string; startYear: number; endYear: number }[]>`
        insert into public.terms (org_id, name, start_year, end_year) values (${org.id}, '矩阵测试届', 2022, 2026)
        returning id::int as id, name, start_year as "startYear", end_year as "endYear"`;
    }
    const rounds: PlanningFixture["rounds"] = [];
    const [seeded] = await tx<{ id: number; status: string; number: number }[]>`
      select id::int as id, status::text as status, number from public.rounds where org_id = ${org.id} order by id limit 1`;
    if (seeded) rounds.push({ id: seeded.id, status: seeded.status, label: `第${seeded.number}轮`, seeded: true });
    for (const [number, status] of [[97, "draft"], [98, "submitted"]] as const) {
      const [r] = await tx<{ id: number }[]>`
        insert into public.rounds (org_id, term_id, year, number, kind, planned_start, planned_end)
        values (${org.id}, ${term.id}, ${term.startYear}, ${number}, 'regular',
                ${`${term.startYear}-09-01`}, ${`${term.startYear}-10-31`})
        returning id::int as id`;
      if (status === "submitted") await tx`update public.rounds set status = 'submitted' where id = ${r.id}`;
      rounds.push({ id: r.id, status, label: `第${number}轮`, seeded: false });
    }
    const [history] = await tx<{ id: number; from: string | null; to: string }[]>`
      select id::int as id, from_status::text as "from", to_status::text as "to"
        from public.round_status_history where round_id = ${rounds[0].id} order by id desc limit 1`;
    if (!history) throw new Error(`matrix harness: round ${rounds[0].id} of org ${org.code} has no status history`);
    out.set(org.code, {
      term: { ...term, seeded: seededTerm },
      rounds,
      history: { id: history.id, label: `${rounds[0].label} ${history.from ?? "∅"}→${history.to}` },
    });
  }
  return out;
}

// ---------------------------------------------------------------- cadre fixtures

export interface CadreFixture {
  /** A cadre in the org's pool, inserted for the matrix (never a seeded one). */
  cadre: { id: number; name: string };
  /** A work-history row of that cadre, in a unit of the org (so of the cadre's province). */
  history: { id: number; unitId: number };
  /** A recorded conflict of that cadre with the same unit (reason 'relative'). */
  conflict: { id: number; unitId: number };
}

/**
 * Inside the owner transaction (before the request context is entered): a cadre in the
 * pool of every org given, with one work-history row and one recorded conflict, both
 * referencing a unit of the org itself. The rows go through the same triggers as the
 * app's writes (org and province of the child rows are derived from the cadre), and the
 * derived values are checked here so that a fixture can never sit in the wrong org.
 */
export async function createCadreFixtures(
  tx: Tx,
  orgs: { id: number; code: string; provinceId: number; unitId: number }[],
): Promise<Map<string, CadreFixture>> {
  const out = new Map<string, CadreFixture>();
  for (const org of orgs) {
    const name = `矩阵干部${org.code}`;
    const [cadre] = await tx<{ id: number; orgId: number; provinceId: number }[]>`
      insert into public.cadres (org_id, name, home_unit, rank, specialties, pools)
      values (${org.id}, ${name}, '矩阵测试原单位', '正处级', '{财务,审计}', '{leader,talent}')
      returning id::int as id, org_id as "orgId", province_id as "provinceId"`;
    const [history] = await tx<{ id: number; orgId: number; provinceId: number }[]>`
      insert into public.cadre_work_history (cadre_id, unit_id, unit_name, post, from_date, to_date)
      values (${cadre.id}, ${org.unitId}, '矩阵测试单位', '副主任', '2019-01-01', '2023-12-31')
      returning id::int as id, org_id as "orgId", province_id as "provinceId"`;
    const [conflict] = await tx<{ id: number; orgId: number; provinceId: number }[]>`
      insert into public.cadre_conflicts (cadre_id, unit_id, reason, note)
      values (${cadre.id}, ${org.unitId}, 'relative', '矩阵测试：配偶在该单位任职')
      returning id::int as id, org_id as "orgId", province_id as "provinceId"`;
    for (const [what, row] of [["cadre", cadre], ["history", history], ["conflict", conflict]] as const) {
      if (row.orgId !== org.id || row.provinceId !== org.provinceId) {
        throw new Error(`matrix harness: ${what} fixture of org ${org.code} landed in org ${row.orgId} / province ${row.provinceId}`);
      }
    }
    out.set(org.code, {
      cadre: { id: cadre.id, name },
      history: { id: history.id, unitId: org.unitId },
      conflict: { id: conflict.id, unitId: org.unitId },
    });
  }
  return out;
}
