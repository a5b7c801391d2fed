import postgres from "postgres";
import { inject } from "vitest";
import { createPrivilegedSql, type Sql } from "../../../app/lib/privileged.server";
import { createSession } from "../../../app/lib/auth-store.server";
import type { JwtClaims, Tx } from "../../../app/lib/db.server";

/**
 * Database test support: act as a real demo user, through the same RLS context the
 * app's request path sets, inside a transaction that is always rolled back.
 */

let owner: Sql | undefined;
let app: Sql | undefined;

/** Owner connection, for fixtures only (the test equivalent of the seeding job). */
export function ownerSql(): Sql {
  owner ??= createPrivilegedSql(inject("databaseUrl"), 2);
  return owner;
}

/** The request pool's connection: logs in as `authenticator`, like PostgREST. */
export function appSql(): Sql {
  app ??= postgres(inject("appDatabaseUrl"), { max: 2, onnotice: () => {} }) as Sql;
  return app;
}

export async function closeTestSql(): Promise<void> {
  await Promise.all([owner?.end({ timeout: 2 }), app?.end({ timeout: 2 })]);
  owner = undefined;
  app = undefined;
}

export const DEMO = {
  province: "hlj.director@xunlian.local",
  city: "hrb.director@xunlian.local",
  countyDaoli: "daoli.staff@xunlian.local",
  countyNangang: "nangang.staff@xunlian.local",
  otherCity: "qqhr.director@xunlian.local",
  otherProvince: "zj.director@xunlian.local",
  leadership: "hlj.leader@xunlian.local",
  systemAdmin: "sysadmin@xunlian.local",
  auditAdmin: "auditor@xunlian.local",
  /** group_member @230100, a cadre of 哈尔滨's pool (cadres.user_id). */
  memberCity: "hrb.member@xunlian.local",
  /** group_member @230102, a cadre of 道里's pool (cadres.user_id). */
  memberDaoli: "daoli.member@xunlian.local",
  /** unit_contact of 哈尔滨市财政局 (a unit of 230100). */
  unitContact: "hrb.unit@xunlian.local",
  /** unit_contact of 哈尔滨市财政局 and its head (is_unit_head): confirms closures. */
  unitHead: "hrb.unithead@xunlian.local",
  /** partner_staff of 哈尔滨市纪委监委 (a supervision partner attached to 230100). */
  cityPartner: "hrb.jiwei@xunlian.local",
} as const;

export async function userId(email: string): Promise<string> {
  const [row] = await ownerSql()<{ id: string }[]>`select id from auth.users where email = ${email}`;
  if (!row) throw new Error(`no demo user ${email}`);
  return row.id;
}

export async function orgIdByRegion(code: string): Promise<number> {
  const [row] = await ownerSql()<{ id: number }[]>`select id from public.orgs where region_code = ${code} and kind = 'patrol_office'`;
  if (!row) throw new Error(`no org ${code}`);
  return row.id;
}

const sessionCache = new Map<string, JwtClaims>();

/**
 * Verified-looking claims for a live session of `email`, in the exact shape the app
 * puts in request.jwt.claims. With `membership`, the session acts under that
 * membership (org region code + role) instead of the first one.
 */
export async function claimsFor(email: string, membership?: { regionCode: string; role: string }): Promise<JwtClaims> {
  const key = `${email}|${membership?.regionCode ?? ""}|${membership?.role ?? ""}`;
  const cached = sessionCache.get(key);
  if (cached) return cached;
  const sql = ownerSql();
  const uid = await userId(email);
  const session = await createSession(sql, uid);
  if (membership) {
    const [m] = await sql<{ id: number }[]>`
      select m.id from public.memberships m join public.orgs o on o.id = m.org_id
       where m.user_id = ${uid} and o.region_code = ${membership.regionCode} and m.role = ${membership.role}`;
    if (!m) throw new Error(`no membership ${key}`);
    await sql`insert into private.session_context (session_id, membership_id) values (${session.id}, ${m.id})`;
  }
  const claims: JwtClaims = {
    sub: uid,
    role: "authenticated",
    aud: "authenticated",
    session_id: session.id,
    email,
  };
  sessionCache.set(key, claims);
  return claims;
}

class Rollback extends Error {
  constructor(readonly value: unknown) {
    super("rollback");
  }
}

/** Runs `fn` as `email` (through the authenticator login) and rolls everything back. */
export async function asUser<T>(
  email: string,
  fn: (tx: Tx) => Promise<T>,
  membership?: { regionCode: string; role: string },
): Promise<T> {
  const claims = await claimsFor(email, membership);
  return asClaims(claims, fn);
}

export async function asClaims<T>(claims: JwtClaims | Record<string, unknown>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    await appSql().begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true),
                      set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
      throw new Rollback(await fn(tx as Tx));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.value as T;
    throw error;
  }
  throw new Error("unreachable");
}

/** Resolves to the SQLSTATE a statement raised, or null when it succeeded. */
export async function sqlState(tx: Tx, run: (sp: Tx) => Promise<unknown>): Promise<string | null> {
  try {
    await tx.savepoint(async (sp) => {
      await run(sp as Tx);
    });
    return null;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!code) throw error;
    return code;
  }
}
