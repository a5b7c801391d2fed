import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Sql } from "./privileged.server";

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "supabase/migrations");

export interface MigrationFile {
  version: string;
  name: string;
  file: string;
}

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_[a-z0-9_]+\.sql$/.test(f)).sort();
  return files.map((file) => {
    const [version, ...rest] = file.replace(/\.sql$/, "").split("_");
    return { version, name: rest.join("_"), file: path.join(dir, file) };
  });
}

/**
 * Applies pending migrations in file-name order, all in one transaction (each file in
 * a savepoint, so a failure names its file and nothing of the batch is applied), and
 * records them in supabase_migrations.schema_migrations exactly as the Supabase CLI
 * does, so `supabase db push` later sees the same history. An advisory lock keeps
 * two starting processes from racing.
 */
export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<string[]> {
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('xunlian.migrate'))`;
    await tx.unsafe(`
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (
        version text not null primary key,
        statements text[],
        name text
      );
      alter table supabase_migrations.schema_migrations enable row level security;
    `);
    const done = new Set(
      (await tx<{ version: string }[]>`select version from supabase_migrations.schema_migrations`).map(
        (r) => r.version,
      ),
    );
    for (const m of await listMigrations(dir)) {
      if (done.has(m.version)) continue;
      const text = await readFile(m.file, "utf8");
      await tx.savepoint(async (sp) => {
        await sp.unsafe(text);
        await sp`insert into supabase_migrations.schema_migrations (version, statements, name)
                 values (${m.version}, ${[text]}, ${m.name})`;
      });
      applied.push(m.version);
    }
  });
  return applied;
}
