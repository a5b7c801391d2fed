/**
 * Import benchmark: a 10,000-row unit registry (单位名录) .xlsx imported through the app's
 * own code path — the upload's job (public.start_import_job) and runImport with its
 * transactions on a request-style pool as `authenticated` with a live session's claims:
 * read the workbook, validate every row (one lookup query), write all rows in one
 * transaction with set-based inserts of 1,000, progress in separate transactions, audit
 * row, job finished. It is timed against a baseline measured in the same run: the same
 * 10,000 rows in one plain multi-row INSERT by the table owner (no RLS, no policy
 * helpers). The same INSERT as the user under RLS is shown too.
 *
 *   npx tsx scripts/bench-import.ts          (or: npm run bench:import)
 *   options: --rows=N (default 10000) --reps=N (default 3)
 *
 * Starts its own embedded PostgreSQL in .data/bench-import (migrated, no demo) and
 * removes it afterwards. Not part of the test suite. See docs/performance.md.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { createSession } from "../app/lib/auth-store.server";
import { inUserContext, type JwtClaims } from "../app/lib/db.server";
import { startEmbeddedPostgres, type EmbeddedCluster } from "../app/lib/embedded-postgres.server";
import { specs } from "../app/lib/imports/kinds";
import { migrate } from "../app/lib/migrate.server";
import { createPrivilegedSql, type Sql } from "../app/lib/privileged.server";
import { enableAuthenticatorLogin } from "../app/lib/system.server";
import { buildWorkbook, readSheetRows } from "../app/lib/xlsx.server";
import { getImportJob, runImport, startImportJob, type ImportDb } from "../app/models/imports.server";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const ROWS = Number(option("rows", "10000"));
const REPS = Number(option("reps", "3"));
const DATA_DIR = path.resolve(".data", "bench-import");
const LIMIT_S = 10;

const log = (line = "") => process.stdout.write(line + "\n");
const s = (ms: number) => (ms / 1000).toFixed(2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const CATEGORIES = [["市直单位", "city_dept"], ["国有企业", "soe"], ["乡镇（街道）", "township"], ["村（社区）", "village"]] as const;
const LEVELS = [["市管干部", "city_managed"], ["县管干部", "county_managed"]] as const;

/** The rows of one rep's file: names unique per run (each rep imports into its own org anyway). */
function registry(tag: string): string[][] {
  return Array.from({ length: ROWS }, (_, i) => {
    const [category] = CATEGORIES[i % CATEGORIES.length];
    const [level] = LEVELS[i % LEVELS.length];
    return [`${tag}测试单位${String(i + 1).padStart(5, "0")}`, category, level, ""];
  });
}

async function main() {
  const started = performance.now();
  await rm(DATA_DIR, { recursive: true, force: true });
  let cluster: EmbeddedCluster | undefined;
  let owner: Sql | undefined;
  let app: Sql | undefined;
  process.once("SIGINT", () => {
    void (cluster?.stop() ?? Promise.resolve())
      .catch(() => {})
      .finally(() => rm(DATA_DIR, { recursive: true, force: true }).finally(() => process.exit(130)));
  });
  try {
    const password = randomBytes(12).toString("hex");
    cluster = await startEmbeddedPostgres({ dataDir: DATA_DIR, password, ephemeral: true });
    owner = createPrivilegedSql(cluster.url, 2);
    const [{ version }] = await owner<{ version: string }[]>`select current_setting('server_version') as version`;
    log(`# Import bench — PostgreSQL ${version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, node ${process.version}; ${ROWS.toLocaleString("en")} rows, ${REPS} reps`);
    await migrate(owner);
    const appPassword = randomBytes(12).toString("hex");
    await enableAuthenticatorLogin(owner, appPassword);
    // The request pool as the app opens it (app/lib/db.server.ts): authenticator, prepared statements.
    app = postgres(`postgres://authenticator:${appPassword}@127.0.0.1:${cluster.port}/postgres`, { max: 4, onnotice: () => {} }) as Sql;

    const [province] = await owner<{ id: number }[]>`
      insert into public.orgs (level, region_code, region_name, name) values ('province', '970000', '基准省', '基准省委巡视办') returning id`;
    const [city] = await owner<{ id: number }[]>`
      insert into public.orgs (parent_id, level, region_code, region_name, name)
      values (${province.id}, 'city', '970100', '基准市', '基准市委巡察办') returning id`;

    /** A county office of its own per measurement, with a director and a live session. */
    let n = 0;
    const office = async () => {
      n++;
      const [org] = await owner!<{ id: number }[]>`
        insert into public.orgs (parent_id, level, region_code, region_name, name)
        values (${city.id}, 'county', ${`97${String(n).padStart(4, "0")}`}, ${`基准县${n}`}, ${`基准县${n}委巡察办`}) returning id`;
      const userId = randomUUID();
      await owner!`
        insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
        values (${userId}, 'authenticated', 'authenticated', ${`bench.import.${n}@xunlian.local`}, now(),
                '{"provider":"email","providers":["email"]}', ${owner!.json({ display_name: `bench ${n}` })}, now(), now())`;
      await owner!`insert into public.memberships (user_id, org_id, role) values (${userId}, ${org.id}, 'office_director')`;
      const session = await createSession(owner!, userId, { userAgent: "bench-import" });
      const claims: JwtClaims = { sub: userId, role: "authenticated", aud: "authenticated", session_id: session.id };
      return { orgId: org.id, userId, claims };
    };
    const countIn = async (orgId: number) =>
      (await owner!<{ n: number }[]>`select count(*)::int as n from public.units where org_id = ${orgId}`)[0].n;

    const columns = specs.unit.columns.map((c, i) => ({ header: c.required ? `${c.header}*` : c.header, value: (r: string[]) => r[i] || null }));
    const results: { owner: number; rlsInsert: number; importTotal: number; read: number }[] = [];
    for (let rep = 1; rep <= REPS; rep++) {
      const rows = registry(`R${rep}`);
      const bytes = new Uint8Array(await buildWorkbook([{ name: "填写表", title: "单位名录导入", subtitle: "基准", columns, rows }]));
      const values = rows.map((r) => {
        const category = CATEGORIES.find(([l]) => l === r[1])![1];
        const level = LEVELS.find(([l]) => l === r[2])![1];
        return [r[0], category, level];
      });

      // Baseline: one plain multi-row INSERT of the same rows by the owner.
      const base = await office();
      let t = performance.now();
      await owner.begin(async (tx) => {
        await tx`insert into public.units ${tx(values.map(([name, category, head_level]) => ({ org_id: base.orgId, name, category, head_level })))}`;
      });
      const ownerMs = performance.now() - t;
      if ((await countIn(base.orgId)) !== ROWS) throw new Error("baseline: wrong count");

      // The same INSERT as the office's director, under RLS (one statement).
      const rlsUser = await office();
      t = performance.now();
      await inUserContext(app, rlsUser.claims, async (tx) => {
        await tx`insert into public.units ${tx(values.map(([name, category, head_level]) => ({ org_id: rlsUser.orgId, name, category, head_level })))}`;
      });
      const rlsMs = performance.now() - t;
      if ((await countIn(rlsUser.orgId)) !== ROWS) throw new Error("RLS insert: wrong count");

      // The import, as the upload starts it: the job, then runImport to its end.
      const user = await office();
      const conn: ImportDb = { transaction: (fn) => inUserContext(app!, user.claims, fn) };
      t = performance.now();
      const jobId = await conn.transaction(async (tx) => {
        const id = await startImportJob(tx, "unit", "单位名录.xlsx", null);
        if (id === "running") throw new Error("a job is running");
        return id;
      });
      const outcome = await runImport(
        conn,
        { jobId, kind: "unit", orgId: user.orgId, roundId: null, userId: user.userId, filename: "单位名录.xlsx", requestId: `bench-${rep}` },
        bytes,
      );
      const importMs = performance.now() - t;
      if (!outcome.ok) throw new Error(`import failed: ${JSON.stringify(outcome.errors.slice(0, 3))}`);
      const job = await conn.transaction((tx) => getImportJob(tx, jobId));
      if (job?.status !== "done" || job.written !== ROWS || (await countIn(user.orgId)) !== ROWS) throw new Error("import: wrong count");

      // The read alone (exceljs), to split the import's time.
      t = performance.now();
      await readSheetRows(Buffer.from(bytes));
      const readMs = performance.now() - t;
      results.push({ owner: ownerMs, rlsInsert: rlsMs, importTotal: importMs, read: readMs });
      log(`rep ${rep}: owner INSERT ${s(ownerMs)} s · user INSERT under RLS ${s(rlsMs)} s · import ${s(importMs)} s ` +
        `(of which reading the .xlsx ${s(readMs)} s) · ratio ${(importMs / ownerMs).toFixed(1)}×`);
      await owner.unsafe("vacuum analyze public.units");
    }

    const m = {
      owner: median(results.map((r) => r.owner)),
      rls: median(results.map((r) => r.rlsInsert)),
      total: median(results.map((r) => r.importTotal)),
      read: median(results.map((r) => r.read)),
    };
    log(`\n## ${ROWS.toLocaleString("en")} unit rows, medians of ${REPS} (seconds)`);
    log(`| measurement | s | ratio to baseline |`);
    log(`|---|---:|---:|`);
    log(`| baseline: one multi-row INSERT, table owner | ${s(m.owner)} | 1.0× |`);
    log(`| the same INSERT as the office director, under RLS | ${s(m.rls)} | ${(m.rls / m.owner).toFixed(1)}× |`);
    log(`| import (job, read .xlsx, validate, write in batches, progress, audit, finish) | ${s(m.total)} | ${(m.total / m.owner).toFixed(1)}× |`);
    log(`| of which reading the .xlsx (exceljs) | ${s(m.read)} | |`);
    log(`\nimport ${s(m.total)} s for ${ROWS.toLocaleString("en")} rows: ${m.total / 1000 < LIMIT_S ? "within" : "OVER"} the ${LIMIT_S} s target`);
    log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
    if (m.total / 1000 >= LIMIT_S) process.exitCode = 2;
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
