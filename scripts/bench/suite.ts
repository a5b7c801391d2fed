import type { Tx } from "../../app/lib/db.server";
import type { Sql } from "../../app/lib/privileged.server";
import { captureQueries, ownerQuery, QUERY_KINDS, rlsQuery, type QueryKind, type Statement } from "./app-queries";
import type { BenchUser } from "./generate";
import {
  explainAsOwner,
  explainAsUser,
  interleaved,
  median,
  planCacheCounts,
  statement,
  timeAsOwner,
  timeAsUser,
} from "./measure";
import { summarizePlan } from "./plan";
import type { Variant } from "./variants";

/** The measured suite: per user, the app's list page and count, under RLS against the owner. */

export interface SuiteOptions {
  reps: number;
  warmup: number;
  /** Superuser URL, for capturing the statements' text (to EXPLAIN them and find their cached plans). */
  url: string;
  log: (line?: string) => void;
}

export interface Row {
  variant: string;
  user: BenchUser["label"];
  query: QueryKind;
  rls: number;
  owner: number;
  ratio: number;
  rlsPlans: string[];
  ownerPlans: string[];
}

export const ms = (x: number) => x.toFixed(3);
export const TARGET = 1.1;
export const mark = (ratio: number) => (ratio <= TARGET ? "" : " ✗");

/** The subtree the app passes to the model functions for `u` under variant `v`. */
const subtreeFor = (v: Variant, u: BenchUser) => (v.hint === false ? [] : u.appSubtree);

/** Which captured statements the timed runs executed with a cached generic plan (only parameterized ones differ). */
const usedGeneric = (ss: Statement[], before: { generic: number }[], after: { generic: number }[]) =>
  ss.map((s, i) => s.params.length > 0 && after[i].generic - before[i].generic > 0);

export async function runVariant(v: Variant, owner: Sql, app: Sql, users: BenchUser[], opt: SuiteOptions): Promise<Row[]> {
  const { reps: REPS, warmup: WARMUP, log } = opt;
  const shape = v.shape ?? "app";
  const rows: Row[] = [];
  for (const u of users) {
    if (v.users && !v.users.includes(u.label)) continue;
    const role = v.role?.(u) ?? "authenticated";
    const subtree = subtreeFor(v, u);
    for (const kind of QUERY_KINDS) {
      const captured = await captureQueries(opt.url, shape, kind, u, subtree);
      const rls = (tx: Tx) => rlsQuery(shape, kind, tx, subtree);
      const own = (tx: Tx) => ownerQuery(kind, tx, u);
      // Correctness first: RLS must return exactly what the owner's filter returns.
      const r = await timeAsUser(app, u.claims, role, rls);
      const o = await timeAsOwner(owner, own);
      if (JSON.stringify(r.result) !== JSON.stringify(o.result)) {
        throw new Error(`[${v.name}] ${u.label} ${kind}: RLS result differs from the owner's filter`);
      }
      const [rlsBefore, ownBefore] = [await planCacheCounts(app, captured.app), await planCacheCounts(owner, captured.owner)];
      const t = await interleaved(
        async () => (await timeAsUser(app, u.claims, role, rls)).ms,
        async () => (await timeAsOwner(owner, own)).ms,
        REPS,
        WARMUP,
      );
      const rlsGeneric = usedGeneric(captured.app, rlsBefore, await planCacheCounts(app, captured.app));
      const ownGeneric = usedGeneric(captured.owner, ownBefore, await planCacheCounts(owner, captured.owner));
      const tag = (g: boolean) => (g ? "[generic] " : "");
      const rlsPlans = (await explainAsUser(app, u.claims, role, captured.app, rlsGeneric)).map((p, i) => tag(rlsGeneric[i]) + summarizePlan(p));
      const ownerPlans = (await explainAsOwner(owner, captured.owner, ownGeneric)).map((p, i) => tag(ownGeneric[i]) + summarizePlan(p));
      const row: Row = {
        variant: v.name,
        user: u.label,
        query: kind,
        rls: median(t.a),
        owner: median(t.b),
        ratio: median(t.a) / median(t.b),
        rlsPlans,
        ownerPlans,
      };
      rows.push(row);
      log(`  ${u.label.padEnd(8)} ${kind.padEnd(5)} rls ${ms(row.rls).padStart(8)} ms  owner ${ms(row.owner).padStart(8)} ms  ratio ${row.ratio.toFixed(2)}${mark(row.ratio)}`);
      for (const p of rlsPlans) log(`      rls:   ${p}`);
      for (const p of ownerPlans) log(`      owner: ${p}`);
    }
  }
  return rows;
}

/**
 * The fixed cost of a variant's units-policy helpers per statement: a trivial
 * statement as the user, with and without the initplans the units policy evaluates.
 */
export async function fixedOverhead(app: Sql, owner: Sql, u: BenchUser, v: Variant, opt: SuiteOptions) {
  const { reps: REPS, warmup: WARMUP } = opt;
  const role = v.role?.(u) ?? "authenticated";
  const helpers = v.helpers(u);
  const bare = await interleaved(
    async () => (await timeAsUser(app, u.claims, role, (tx) => statement(tx, "select 1"))).ms,
    async () => (await timeAsOwner(owner, (tx) => statement(tx, "select 1"))).ms,
    REPS,
    WARMUP,
  );
  const withHelpers = await interleaved(
    async () => (await timeAsUser(app, u.claims, role, (tx) => statement(tx, helpers))).ms,
    async () => (await timeAsUser(app, u.claims, role, (tx) => statement(tx, "select 1"))).ms,
    REPS,
    WARMUP,
  );
  const [plan] = await explainAsUser(app, u.claims, role, [{ text: helpers, params: [] }]);
  return {
    ownerSelect1: median(bare.b),
    userSelect1: median(bare.a),
    userHelpers: median(withHelpers.a),
    serverExec: plan["Execution Time"],
  };
}

/**
 * What policy helpers cost per statement, whatever they do: a trivial statement as
 * the user, plus initplans calling (a) Supabase's inlined auth.uid(), (b) an empty
 * security-definer SQL function, (c) the policy helpers one by one, and (d) the sets
 * the app's statements evaluate. Rotated order, every statement once per round.
 */
export const FLOOR_STATEMENTS: { label: string; text: string }[] = [
  { label: "select 1", text: "select 1" },
  { label: "(select auth.uid())", text: "select (select auth.uid())" },
  { label: "(select private.bench_noop())", text: "select (select private.bench_noop())" },
  { label: "(select private.active_province_id())", text: "select (select private.active_province_id())" },
  { label: "(select private.readable_org_ids())", text: "select (select private.readable_org_ids())" },
  { label: "(select private.visible_org_ids())", text: "select (select private.visible_org_ids())" },
  { label: "(select private.my_membership_org_ids())", text: "select (select private.my_membership_org_ids())" },
  {
    label: "units policy (active_province_id, readable_org_ids): the count, the list's total",
    text: "select (select private.active_province_id()), (select private.readable_org_ids())",
  },
  {
    label: "units + orgs policies (+ visible_org_ids, my_membership_org_ids): the list's row statement",
    text: "select (select private.active_province_id()), (select private.readable_org_ids()), " +
      "(select private.visible_org_ids()), (select private.my_membership_org_ids())",
  },
];

export async function floorCosts(app: Sql, u: BenchUser, opt: SuiteOptions) {
  const statements = FLOOR_STATEMENTS;
  const times: number[][] = statements.map(() => []);
  for (let i = 0; i < opt.warmup + opt.reps * 2; i++) {
    for (let k = 0; k < statements.length; k++) {
      const idx = (k + i) % statements.length; // rotate the order every round
      const { ms } = await timeAsUser(app, u.claims, "authenticated", (tx) => statement(tx, statements[idx].text));
      if (i >= opt.warmup) times[idx].push(ms);
    }
  }
  const base = median(times[0]);
  return statements.map((s, k) => ({ statement: s.label, median: median(times[k]), extra: median(times[k]) - base }));
}
