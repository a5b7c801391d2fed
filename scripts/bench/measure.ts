import { performance } from "node:perf_hooks";
import type postgres from "postgres";
import { inUserContext, type JwtClaims, type Tx } from "../../app/lib/db.server";
import type { Sql } from "../../app/lib/privileged.server";
import type { Statement } from "./app-queries";
import type { ExplainRoot } from "./plan";

/**
 * Timing primitives. Each measured call runs in its own transaction, as a request
 * does: the RLS side on the `authenticator` login through the app's own
 * `inUserContext` (role and claims set locally), the owner side on the superuser
 * connection. Only the statements themselves are timed (client-side, wall clock).
 * Both connections use the app's statement mode: named prepared statements unless
 * the bench runs with --prepare=false (DB_PREPARE=false, a transaction-mode pooler).
 */

export type Claims = JwtClaims;

/** The app's request transaction; for another request role (level-roles variants) the same with that role. */
async function inContext<T>(app: Sql, claims: Claims, role: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (role === "authenticated") return inUserContext(app, claims, fn);
  return (await app.begin(async (tx) => {
    await tx`select set_config('role', ${role}, true),
                    set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
    return fn(tx as Tx);
  })) as T;
}

export async function timeAsUser<T>(
  app: Sql,
  claims: Claims,
  role: string,
  fn: (tx: Tx) => Promise<T>,
): Promise<{ ms: number; result: T }> {
  let ms = 0;
  const result = await inContext(app, claims, role, async (tx) => {
    const t0 = performance.now();
    const r = await fn(tx);
    ms = performance.now() - t0;
    return r;
  });
  return { ms, result };
}

export async function timeAsOwner<T>(owner: Sql, fn: (tx: Tx) => Promise<T>): Promise<{ ms: number; result: T }> {
  let ms = 0;
  const result = (await owner.begin(async (tx) => {
    const t0 = performance.now();
    const r = await fn(tx as Tx);
    ms = performance.now() - t0;
    return r;
  })) as T;
  return { ms, result };
}

/**
 * A fixed SQL text in the extended protocol, as the app's tagged templates send it
 * (a named prepared statement when the connection prepares). postgres.js would send
 * a parameterless `unsafe` as a simple query; `simple: false` is its internal switch.
 */
export const statement = (tx: Tx, text: string) =>
  tx.unsafe(text, [], { prepare: true, simple: false } as postgres.UnsafeQueryOptions);

type ParamValue = postgres.ParameterOrJSON<never>;
type ExplainRow = { "QUERY PLAN": ExplainRoot[] };

const literal = (v: unknown) =>
  typeof v === "number" || typeof v === "bigint" || typeof v === "boolean"
    ? String(v)
    : `'${(typeof v === "string" ? v : JSON.stringify(v)).replace(/'/g, "''")}'`;

/**
 * EXPLAIN ANALYZE of one statement with its parameters. `generic`: the plan the plan
 * cache reuses for a prepared statement after five custom plans (PREPARE + EXECUTE
 * with plan_cache_mode = force_generic_plan), else the custom plan for these values.
 */
async function explainIn(tx: Tx, s: Statement, generic: boolean): Promise<ExplainRoot> {
  if (!generic || s.params.length === 0) {
    const [row] = await tx.unsafe<ExplainRow[]>(`explain (analyze, buffers, format json) ${s.text}`, s.params as ParamValue[]);
    return row["QUERY PLAN"][0];
  }
  await tx.unsafe(`prepare bench_explain as ${s.text}`);
  try {
    await tx.unsafe(`set local plan_cache_mode = force_generic_plan`);
    const [row] = await tx.unsafe<ExplainRow[]>(
      `explain (analyze, buffers, format json) execute bench_explain (${s.params.map(literal).join(", ")})`,
    );
    await tx.unsafe(`set local plan_cache_mode = auto`);
    return row["QUERY PLAN"][0];
  } finally {
    await tx.unsafe(`deallocate bench_explain`);
  }
}

/** EXPLAIN ANALYZE of captured statements, with their parameters, in the user's request context. */
export async function explainAsUser(app: Sql, claims: Claims, role: string, ss: Statement[], generic: boolean[] = []): Promise<ExplainRoot[]> {
  return inContext(app, claims, role, async (tx) => {
    const out: ExplainRoot[] = [];
    for (const [i, s] of ss.entries()) out.push(await explainIn(tx, s, generic[i] ?? false));
    return out;
  });
}

export async function explainAsOwner(owner: Sql, ss: Statement[], generic: boolean[] = []): Promise<ExplainRoot[]> {
  return (await owner.begin(async (tx) => {
    const out: ExplainRoot[] = [];
    for (const [i, s] of ss.entries()) out.push(await explainIn(tx as Tx, s, generic[i] ?? false));
    return out;
  })) as ExplainRoot[];
}

/** How this connection's prepared statements were planned so far (a generic plan may be chosen after 5 custom ones). */
export async function planCacheCounts(sql: Sql, ss: Statement[]): Promise<{ generic: number; custom: number }[]> {
  const rows = await sql<{ statement: string; generic: number; custom: number }[]>`
    select statement, generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements`;
  return ss.map((s) => {
    const r = rows.find((x) => x.statement === s.text);
    return { generic: r?.generic ?? 0, custom: r?.custom ?? 0 };
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Runs two competitors interleaved: `warmup` rounds untimed, then `reps` rounds,
 * alternating which one goes first, so drift and noise hit both alike.
 */
export async function interleaved(
  a: () => Promise<number>,
  b: () => Promise<number>,
  reps: number,
  warmup: number,
): Promise<{ a: number[]; b: number[] }> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      ta.push(await a());
      tb.push(await b());
    } else {
      tb.push(await b());
      ta.push(await a());
    }
  }
  return { a: ta, b: tb };
}
