import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { listMigrations, migrate } from "../../app/lib/migrate.server";
import { createPrivilegedSql, type Sql } from "../../app/lib/privileged.server";
import { closeTestSql, ownerSql } from "./support/db";

afterAll(closeTestSql);

const MIGRATIONS_DIR = path.resolve(__dirname, "../migrations");
const PSQL = existsSync("/usr/bin/psql") ? "/usr/bin/psql" : "psql";

function urlFor(database: string): string {
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `fn` against a brand-new empty database of the test cluster, dropped afterwards. */
async function withFreshDatabase<T>(fn: (url: string, name: string) => Promise<T>): Promise<T> {
  const name = `xl_psql_${randomBytes(6).toString("hex")}`;
  await ownerSql().unsafe(`create database ${name}`);
  try {
    return await fn(urlFor(name), name);
  } finally {
    await ownerSql().unsafe(`drop database if exists ${name} with (force)`);
  }
}

/** `psql -v ON_ERROR_STOP=1 -f file`, as an operator would apply a migration by hand. */
function psqlFile(url: string, file: string): void {
  try {
    execFileSync(PSQL, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file], {
      stdio: "pipe",
      env: { ...process.env, PGOPTIONS: "-c client_min_messages=warning", PGCONNECT_TIMEOUT: "10" },
      timeout: 60_000,
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`psql failed on ${path.basename(file)}: ${stderr || (error as Error).message}`);
  }
}

async function withSql<T>(url: string, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const sql = createPrivilegedSql(url, 1);
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 2 });
  }
}

const SCHEMAS = ["public", "private", "auth", "supabase_migrations"];

/**
 * A catalogue fingerprint of the application schemas: tables and columns, constraints,
 * indexes, triggers, RLS flags, policies, functions (with body, security and config),
 * types, grants. One line per object, sorted, so a difference reads as a diff.
 */
async function fingerprint(sql: Sql, schemas = SCHEMAS): Promise<string[]> {
  const rows = await sql<{ line: string }[]>`
    with s as (select oid, nspname from pg_namespace where nspname in ${sql(schemas)})
    select format('schema %s acl=%s', s.nspname, n.nspacl) as line
      from s join pg_namespace n on n.oid = s.oid
    union all
    select format('relation %s.%s kind=%s rls=%s force=%s acl=%s options=%s', s.nspname, c.relname, c.relkind,
                  c.relrowsecurity, c.relforcerowsecurity, c.relacl, c.reloptions)
      from pg_class c join s on s.oid = c.relnamespace where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
    union all
    select format('column %s.%s.%s %s notnull=%s default=%s identity=%s generated=%s acl=%s', s.nspname, c.relname,
                  a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.attacl)
      from pg_attribute a join pg_class c on c.oid = a.attrelid join s on s.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
     where c.relkind in ('r', 'p', 'v', 'm') and a.attnum > 0 and not a.attisdropped
    union all
    select format('constraint %s.%s %s: %s', s.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid))
      from pg_constraint k join pg_class c on c.oid = k.conrelid join s on s.oid = c.relnamespace
    union all
    select format('index %s', pg_get_indexdef(i.indexrelid))
      from pg_index i join pg_class c on c.oid = i.indrelid join s on s.oid = c.relnamespace
    union all
    select format('trigger %s', pg_get_triggerdef(t.oid))
      from pg_trigger t join pg_class c on c.oid = t.tgrelid join s on s.oid = c.relnamespace where not t.tgisinternal
    union all
    select format('policy %s.%s "%s" cmd=%s permissive=%s roles=%s using=%s check=%s', s.nspname, c.relname, p.polname,
                  p.polcmd, p.polpermissive, (select array_agg(case r when 0 then 'public' else r::regrole::text end order by 1)
                                               from unnest(p.polroles) r),
                  pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
      from pg_policy p join pg_class c on c.oid = p.polrelid join s on s.oid = c.relnamespace
    union all
    select format('function %s.%s(%s) returns %s lang=%s volatile=%s secdef=%s config=%s acl=%s body=%s', s.nspname,
                  p.proname, pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid),
                  l.lanname, p.provolatile, p.prosecdef, p.proconfig, p.proacl, md5(p.prosrc))
      from pg_proc p join s on s.oid = p.pronamespace join pg_language l on l.oid = p.prolang
    union all
    select format('type %s.%s kind=%s labels=%s', s.nspname, t.typname, t.typtype,
                  (select array_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid))
      from pg_type t join s on s.oid = t.typnamespace where t.typtype in ('e', 'd')
    union all
    select format('default-acl %s %s %s', coalesce(s.nspname, '(global)'), d.defaclobjtype, d.defaclacl)
      from pg_default_acl d left join s on s.oid = d.defaclnamespace
     where d.defaclnamespace = 0 or s.oid is not null`;
  return [...new Set(rows.map((r) => r.line))].sort();
}

describe("migrations applied by hand with psql", () => {
  it("applying every file in name order to an empty database gives the same schema as the test database", async () => {
    const files = await listMigrations(MIGRATIONS_DIR);
    expect(files.length).toBeGreaterThanOrEqual(7);
    const [fresh, reference] = await withFreshDatabase(async (url) => {
      const before = await withSql(url, (sql) => fingerprint(sql, ["public", "private", "auth"]));
      expect(before.filter((l) => !l.startsWith("schema public") && !l.startsWith("default-acl"))).toEqual([]);
      for (const m of files) psqlFile(url, m.file);
      return [
        await withSql(url, (sql) => fingerprint(sql, ["public", "private", "auth"])),
        await fingerprint(ownerSql(), ["public", "private", "auth"]),
      ];
    });
    expect(fresh.filter((l) => l.startsWith("policy ")).length).toBeGreaterThanOrEqual(10);
    expect(fresh.filter((l) => l.startsWith("relation ")).length).toBeGreaterThanOrEqual(10);
    expect(fresh).toEqual(reference);
  });

  it("the Supabase bootstrap is skipped when an auth schema already exists", async () => {
    const result = await withFreshDatabase(async (url) => {
      await withSql(url, (sql) =>
        sql.unsafe(`
          create schema auth;
          create table auth.users (id uuid primary key);
          create function auth.uid() returns uuid language sql stable as 'select null::uuid';`),
      );
      const [bootstrap] = await listMigrations(MIGRATIONS_DIR);
      expect(bootstrap.name).toBe("supabase_bootstrap");
      psqlFile(url, bootstrap.file);
      return withSql(url, async (sql) => {
        const [row] = await sql<{ sessions: string | null; role: string | null; jwt: string | null; columns: string[]; roles: number }[]>`
          select to_regclass('auth.sessions')::text as sessions,
                 to_regprocedure('auth.role()')::text as role,
                 to_regprocedure('auth.jwt()')::text as jwt,
                 array(select attname::text from pg_attribute
                        where attrelid = 'auth.users'::regclass and attnum > 0 and not attisdropped order by attnum) as columns,
                 (select count(*)::int from pg_roles
                   where rolname in ('anon', 'authenticated', 'service_role', 'authenticator')) as roles`;
        return row;
      });
    });
    expect(result).toEqual({ sessions: null, role: null, jwt: null, columns: ["id"], roles: 4 });
  });

  it("on an empty database the bootstrap creates the GoTrue-compatible auth schema (the control for the skip)", async () => {
    const result = await withFreshDatabase(async (url) => {
      const [bootstrap] = await listMigrations(MIGRATIONS_DIR);
      psqlFile(url, bootstrap.file);
      return withSql(url, async (sql) => {
        const [row] = await sql<{ sessions: string | null; uid: string | null; banned: boolean }[]>`
          select to_regclass('auth.sessions')::text as sessions, to_regprocedure('auth.uid()')::text as uid,
                 exists (select 1 from pg_attribute where attrelid = to_regclass('auth.users') and attname = 'banned_until') as banned`;
        return row;
      });
    });
    expect(result).toEqual({ sessions: "auth.sessions", uid: "auth.uid()", banned: true });
  });
});

describe("the app's migration runner", () => {
  it("records every file's version in supabase_migrations.schema_migrations, and a second run applies nothing", async () => {
    const files = await listMigrations(MIGRATIONS_DIR);
    const result = await withFreshDatabase((url) =>
      withSql(url, async (sql) => {
        const first = await migrate(sql, MIGRATIONS_DIR);
        const second = await migrate(sql, MIGRATIONS_DIR);
        const recorded = await sql<{ version: string; name: string; statements: string[] }[]>`
          select version, name, statements from supabase_migrations.schema_migrations order by version`;
        return { first, second, recorded, schema: await fingerprint(sql) };
      }),
    );
    expect(result.first).toEqual(files.map((m) => m.version));
    expect(result.second).toEqual([]);
    expect(result.recorded.map((r) => [r.version, r.name])).toEqual(files.map((m) => [m.version, m.name]));
    for (const [i, m] of files.entries()) {
      expect(result.recorded[i].statements, m.version).toEqual([await readFile(m.file, "utf8")]);
    }
    expect(result.schema).toEqual(await fingerprint(ownerSql()));
  });

  it("versions are unique and the file names follow <version>_<name>.sql", async () => {
    const files = await listMigrations(MIGRATIONS_DIR);
    const versions = files.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect([...versions].sort()).toEqual(versions);
    for (const m of files) expect(path.basename(m.file)).toMatch(/^\d{14}_[a-z0-9_]+\.sql$/);
  });
});
