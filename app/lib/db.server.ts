import postgres from "postgres";
import type { Sql } from "./privileged.server";

/**
 * The request pool. It connects as `authenticator` (as PostgREST does) where the
 * deployment provides APP_DATABASE_URL, and every unit of work runs inside
 * `inUserContext`: one transaction with `role = authenticated` and the verified JWT
 * claims, so RLS decides what each statement sees.
 */
export type Tx = postgres.TransactionSql<Record<string, never>>;

export interface JwtClaims {
  sub: string;
  role: "authenticated";
  session_id: string;
  email?: string;
  aud?: string;
  exp?: number;
  iat?: number;
  [key: string]: unknown;
}

let pool: Sql | undefined;

export function requestSql(): Sql {
  if (!pool) {
    const url = process.env.APP_DATABASE_URL ?? process.env.DATABASE_URL;
    if (!url) throw new Error("APP_DATABASE_URL or DATABASE_URL must be set");
    pool = postgres(url, {
      max: Number(process.env.DB_POOL_SIZE ?? 10),
      // Supabase's pooler in transaction mode cannot keep prepared statements.
      prepare: process.env.DB_PREPARE !== "false",
      onnotice: () => {},
      connection: { application_name: "xunlian-request" },
    }) as Sql;
  }
  return pool;
}

/** Runs `fn` in one transaction as `authenticated` with the given (already verified) claims. */
export async function inUserContext<T>(sql: Sql, claims: JwtClaims, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return (await sql.begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true),
                    set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
    return fn(tx as Tx);
  })) as T;
}

/**
 * Runs `fn` in one read-only transaction as `anon` with no claims: what a visitor who is
 * not signed in may read (today only published rectification disclosures). Policies
 * and column grants for `anon` decide what the statements see.
 */
export async function inAnonContext<T>(sql: Sql, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return (await sql.begin("read only", async (tx) => {
    await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '', true)`;
    return fn(tx as Tx);
  })) as T;
}

/** A LIKE pattern for "contains q": q's own %, _ and \ match themselves. */
export const likeContains = (q: string) => "%" + q.replace(/[\\%_]/g, (c) => "\\" + c) + "%";
