import postgres from "postgres";

/**
 * THE privileged connection (table owner / superuser). It bypasses RLS, so it is
 * used only by migrations, seeding, the built-in auth service (the in-process
 * stand-in for GoTrue, which owns the auth schema) and system jobs. Route modules
 * and models must never import this file; a test enforces that.
 */
export type Sql = postgres.Sql<Record<string, never>>;

let shared: Sql | undefined;

export function createPrivilegedSql(url: string, max = 4): Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    connection: { application_name: "xunlian-privileged" },
  }) as Sql;
}

/** The process-wide privileged pool, from DATABASE_URL. */
export function privilegedSql(): Sql {
  if (!shared) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    shared = createPrivilegedSql(url);
  }
  return shared;
}

export async function closePrivilegedSql(): Promise<void> {
  const current = shared;
  shared = undefined;
  await current?.end({ timeout: 5 });
}
