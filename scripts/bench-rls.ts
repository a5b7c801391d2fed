/**
 * RLS benchmark: the unit list page and the home page's unit count, exactly as the
 * app sends them, for a province, a city and a county user under RLS, against the
 * table owner. Both sides call the app's own functions (app/models/units.server.ts):
 * the RLS side `listUnits`/`countActiveUnits` with the /units defaults and the app's
 * single-org planner hint, the owner side `queryUnitPage`/`queryActiveUnitCount` with
 * the tightest hand-written filter for that scope in place of the hint.
 *
 *   npm run bench:rls                     # migrations as they are, the app's queries
 *   npm run bench:rls -- --experiment     # also the alternatives in scripts/bench/variants.ts
 *   options: --units=N (default 1000000) --reps=N (default 30) --only=name,name
 *            --prepare=false (unnamed statements, as the app with DB_PREPARE=false)
 *
 * Starts its own embedded PostgreSQL in .data/bench and removes it afterwards.
 * Not part of the test suite. See docs/performance.md.
 */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { startEmbeddedPostgres, type EmbeddedCluster } from "../app/lib/embedded-postgres.server";
import { createPrivilegedSql, type Sql } from "../app/lib/privileged.server";
import { migrate } from "../app/lib/migrate.server";
import { enableAuthenticatorLogin } from "../app/lib/system.server";
import { createUsers, generateTree, generateUnits, resolveAppScope } from "./bench/generate";
import { fixedOverhead, floorCosts, mark, ms, runVariant, TARGET, type Row } from "./bench/suite";
import { catalogState, diffStates, VARIANTS } from "./bench/variants";

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: string) =>
  argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

const UNITS = Number(option("units", "1000000"));
const REPS = Number(option("reps", "30"));
const WARMUP = 5;
const EXPERIMENT = flag("experiment");
const ONLY = option("only", "").split(",").filter(Boolean);
/** The app prepares statements unless DB_PREPARE=false (app/lib/db.server.ts). */
const PREPARE = option("prepare", "true") !== "false";
const DATA_DIR = path.resolve(".data", "bench");

const log = (line = "") => process.stdout.write(line + "\n");

async function main() {
  const started = performance.now();
  await rm(DATA_DIR, { recursive: true, force: true });
  const password = randomBytes(12).toString("hex");
  let cluster: EmbeddedCluster | undefined;
  let owner: Sql | undefined;
  let app: Sql | undefined;
  // Ctrl-C: stop the server and remove its data directory all the same.
  process.once("SIGINT", () => {
    void (cluster?.stop() ?? Promise.resolve())
      .catch(() => {})
      .finally(() => rm(DATA_DIR, { recursive: true, force: true }).finally(() => process.exit(130)));
  });
  try {
    cluster = await startEmbeddedPostgres({ dataDir: DATA_DIR, password, ephemeral: true });
    const setup = createPrivilegedSql(cluster.url, 2);
    const [{ version }] = await setup<{ version: string }[]>`select current_setting('server_version') as version`;
    log(`# RLS bench — PostgreSQL ${version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, node ${process.version}`);
    await migrate(setup);

    let t = performance.now();
    const tree = await generateTree(setup);
    const treeMs = performance.now() - t;
    t = performance.now();
    await generateUnits(setup, UNITS);
    const unitsMs = performance.now() - t;
    t = performance.now();
    await setup.unsafe("vacuum (analyze) public.units");
    const vacuumMs = performance.now() - t;
    // Flush the load now, so the checkpointer does not compete with the measurements.
    await setup.unsafe("checkpoint");
    const [size] = await setup<{ heap: string; indexes: string; total: string }[]>`
      select pg_size_pretty(pg_relation_size('public.units')) as heap,
             pg_size_pretty(pg_indexes_size('public.units')) as indexes,
             pg_size_pretty(pg_total_relation_size('public.units')) as total`;
    log(`orgs: ${tree.provinces} provinces, ${tree.cities} cities, ${tree.counties} counties ` +
      `(${tree.provinces + tree.cities + tree.counties} orgs, ${tree.closureRows} closure rows) in ${(treeMs / 1000).toFixed(1)} s`);
    log(`units: ${UNITS.toLocaleString("en")} rows in ${(unitsMs / 1000).toFixed(1)} s; vacuum+analyze ${(vacuumMs / 1000).toFixed(1)} s; ` +
      `heap ${size.heap}, indexes ${size.indexes}, total ${size.total}`);

    const indexes = await setup<{ name: string; size: string }[]>`
      select c.relname as name, pg_size_pretty(pg_relation_size(c.oid)) as size
        from pg_index i join pg_class c on c.oid = i.indexrelid
       where i.indrelid = 'public.units'::regclass order by c.relname`;
    log(`units indexes: ${indexes.map((i) => `${i.name} ${i.size}`).join(", ")}`);

    const users = await createUsers(setup);
    for (const u of users) {
      const [{ n }] = await setup<{ n: number }[]>`select count(*)::int as n from public.units where org_id = any(${u.subtree})`;
      log(`user ${u.label}: org ${u.orgId}, ${u.subtree.length} readable orgs, ${n.toLocaleString("en")} visible units`);
    }
    // The cheapest possible definer helper, to measure the floor (bench database only).
    await setup.unsafe(`
      create function private.bench_noop() returns int
        language sql stable security definer set search_path = '' as $$ select 1 $$;
      grant execute on function private.bench_noop() to authenticated;`);
    // Everything else vacuumed and analyzed too, as autovacuum leaves a live database
    // (measured: visible_org_ids(), which scans org_closure, takes +1.0 ms before and
    // +0.5 ms after; otherwise results depend on whether autovacuum came by mid-run).
    await setup.unsafe("vacuum (analyze)");
    const appPassword = randomBytes(12).toString("hex");
    await enableAuthenticatorLogin(setup, appPassword);
    await setup.end();

    // One connection each, so every measured statement sees the same backend; both in
    // the app's statement mode (requestSql: prepared unless DB_PREPARE=false).
    const connect = (url: string) => postgres(url, { max: 1, prepare: PREPARE, onnotice: () => {} }) as Sql;
    const appUrl = `postgres://authenticator:${appPassword}@127.0.0.1:${cluster.port}/postgres`;
    owner = connect(cluster.url);
    app = connect(appUrl);
    await resolveAppScope(app, users);
    log(`statements: ${PREPARE ? "named prepared (the app's default)" : "unnamed (DB_PREPARE=false)"}; ` +
      `subtreeOrgIds passed to the unit queries: ${users.map((u) => `${u.label} ${u.appSubtree.length}`).join(", ")}`);

    const opt = { reps: REPS, warmup: WARMUP, url: cluster.url, log };
    const migrated = await catalogState(owner);

    const selected = (EXPERIMENT ? VARIANTS : VARIANTS.slice(0, 1)).filter((v) => !ONLY.length || ONLY.includes(v.name));
    const all: Row[] = [];
    const overheads: { variant: string; user: string; o: Awaited<ReturnType<typeof fixedOverhead>> }[] = [];
    for (const v of selected) {
      log(`\n## ${v.name}: ${v.title}`);
      if (v.setup) await v.setup(owner);
      // Fresh connections per variant: no cached plans or prepared statements from the last one.
      await app.end();
      await owner.end();
      app = connect(appUrl);
      owner = connect(cluster.url);
      try {
        all.push(...(await runVariant(v, owner, app, users, opt)));
        for (const u of users) {
          if (v.users && !v.users.includes(u.label)) continue;
          const o = await fixedOverhead(app, owner, u, v, opt);
          overheads.push({ variant: v.name, user: u.label, o });
          log(`  ${u.label.padEnd(8)} fixed: select 1 owner ${ms(o.ownerSelect1)} / user ${ms(o.userSelect1)} ms; ` +
            `units-policy helpers ${ms(o.userHelpers)} ms (+${ms(o.userHelpers - o.userSelect1)}; server exec ${ms(o.serverExec)} ms)`);
        }
      } finally {
        if (v.teardown) await v.teardown(owner);
      }
      const diff = diffStates(migrated, await catalogState(owner));
      if (diff) throw new Error(`[${v.name}] teardown did not restore the migrated state:\n${diff}`);
    }

    log(`\n## Fixed cost per statement (county user, migrations as they are, medians of ${REPS * 2} rotated runs, ms)`);
    const floor = await floorCosts(app, users[2], opt);
    for (const f of floor) log(`  ${ms(f.median)} (+${ms(f.extra)})  ${f.statement}`);

    const cell = (variant: string, user: string, query: string) => all.find((x) => x.variant === variant && x.user === user && x.query === query);
    log(`\n## Variants`);
    for (const v of selected) log(`- ${v.name}: ${v.title}`);
    log(`\n## Summary (medians of ${REPS} interleaved runs, ms; ratio = RLS / owner; ✗ = above ${TARGET.toFixed(2)})`);
    log(`list = listUnits (page total + first page of rows, 2 statements); count = countActiveUnits (1 statement)`);
    log(`| variant | user | query | RLS | owner | ratio |`);
    log(`|---|---|---|---:|---:|---:|`);
    for (const r of all) log(`| ${r.variant} | ${r.user} | ${r.query} | ${ms(r.rls)} | ${ms(r.owner)} | ${r.ratio.toFixed(2)}${mark(r.ratio)} |`);
    if (selected.length > 1) {
      log(`\n## Ratios RLS / owner at a glance (✗ = above ${TARGET.toFixed(2)}; – = same statements as current)`);
      log(`| variant | province list | province count | city list | city count | county list | county count |`);
      log(`|---|---:|---:|---:|---:|---:|---:|`);
      for (const v of selected) {
        const cells = ["province", "city", "county"].flatMap((user) =>
          (["list", "count"] as const).map((query) => {
            const r = cell(v.name, user, query);
            return r ? `${r.ratio.toFixed(2)}${mark(r.ratio)}` : "–";
          }),
        );
        log(`| ${v.name} | ${cells.join(" | ")} |`);
      }
    }
    log(`\n| variant | user | units-policy helpers per statement (ms, client) | server exec (ms) |`);
    log(`|---|---|---:|---:|`);
    for (const { variant, user, o } of overheads) {
      log(`| ${variant} | ${user} | ${ms(o.userHelpers - o.userSelect1)} | ${ms(o.serverExec)} |`);
    }
    log(`\n| fixed cost, county user | median | over select 1 |`);
    log(`|---|---:|---:|`);
    for (const f of floor) log(`| \`${f.statement}\` | ${ms(f.median)} | +${ms(f.extra)} |`);

    const base = selected[0]?.name;
    if (base) {
      log(`\n## Ratio per user (${base}: RLS / owner, medians in ms; target ≤ ${TARGET.toFixed(2)}, ✗ = missed)`);
      for (const user of ["province", "city", "county"]) {
        const parts = (["list", "count"] as const).map((query) => {
          const r = cell(base, user, query);
          return r ? `${query} ${r.ratio.toFixed(2)}${mark(r.ratio) || "  "} (${ms(r.rls)} / ${ms(r.owner)})` : `${query} –`;
        });
        log(`${user.padEnd(8)}  ${parts.join("   ")}`);
      }
    }
    log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await app?.end({ timeout: 2 }).catch(() => {});
    await owner?.end({ timeout: 2 }).catch(() => {});
    await cluster?.stop().catch(() => {});
    await rm(DATA_DIR, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
