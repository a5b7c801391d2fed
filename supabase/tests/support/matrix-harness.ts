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
