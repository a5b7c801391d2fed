import type { JwtClaims, Tx } from "../../../app/lib/db.server";
import { claimsFor, DEMO, ownerSql } from "./db";

/**
 * Org and unit fixtures for the RLS tests, read once per test file from the seeded demo
 * through the owner connection (never written).
 *
 *   黑龙江 230000 (province)
 *   ├── 哈尔滨 230100 (city)
 *   │   ├── 道里区 230102 (county)
 *   │   └── 南岗区 230103 (county)
 *   └── 齐齐哈尔 230200 (sibling city)
 *   浙江 330000 (other province)
 */
export const ORG = {
  province: "230000",
  city: "230100",
  daoli: "230102",
  nangang: "230103",
  siblingCity: "230200",
  otherProvince: "330000",
} as const;

export type OrgKey = keyof typeof ORG;

/** The demo office users and the fixture org each of them acts for. */
export const OFFICE_USERS: [email: string, org: OrgKey][] = [
  ["hlj.director@xunlian.local", "province"],
  ["hrb.director@xunlian.local", "city"],
  ["daoli.staff@xunlian.local", "daoli"],
  ["nangang.staff@xunlian.local", "nangang"],
  ["qqhr.director@xunlian.local", "siblingCity"],
  ["zj.director@xunlian.local", "otherProvince"],
];
export const ORG_KEYS = Object.keys(ORG) as OrgKey[];

/** hrb.director's second membership: staff of the province office. */
export const PROVINCE_STAFF = { regionCode: ORG.province, role: "office_staff" } as const;

/** Every demo account under its first membership, and hrb.director as province staff. */
export const EVERY_ACTOR: (readonly [label: string, email: string, membership: typeof PROVINCE_STAFF | undefined])[] = [
  ...Object.entries(DEMO).map(([k, e]) => [k, e, undefined] as const),
  ["hrb.director as province staff", DEMO.city, PROVINCE_STAFF] as const,
];

export interface Fixtures {
  /** Org id of each fixture org. */
  org: Record<OrgKey, number>;
  /** The lowest-id unit of each fixture org. */
  unit: Record<OrgKey, number>;
  /** Number of units in each fixture org itself. */
  ownUnits: Record<OrgKey, number>;
  /** Number of units in each fixture org's subtree (itself and all descendants). */
  subtreeUnits: Record<OrgKey, number>;
  /** Number of orgs in each fixture org's subtree. */
  subtreeOrgs: Record<OrgKey, number>;
}

let cached: Promise<Fixtures> | undefined;

export function fixtures(): Promise<Fixtures> {
  cached ??= load();
  return cached;
}

async function load(): Promise<Fixtures> {
  const sql = ownerSql();
  const rows = await sql<
    { code: string; orgId: number; unit: number; ownUnits: number; subtreeUnits: number; subtreeOrgs: number }[]
  >`
    select o.region_code as code, o.id as "orgId",
           (select min(u.id)::int from public.units u where u.org_id = o.id) as unit,
           (select count(*)::int from public.units u where u.org_id = o.id) as "ownUnits",
           (select count(*)::int from public.units u
              join public.org_closure c on c.descendant_id = u.org_id where c.ancestor_id = o.id) as "subtreeUnits",
           (select count(*)::int from public.org_closure c where c.ancestor_id = o.id) as "subtreeOrgs"
      from public.orgs o
     where o.kind = 'patrol_office' and o.region_code in ${sql(Object.values(ORG))}`;
  const pick = <K extends keyof (typeof rows)[number]>(field: K) =>
    Object.fromEntries(
      ORG_KEYS.map((key) => {
        const row = rows.find((r) => r.code === ORG[key]);
        if (!row || row[field] == null) throw new Error(`fixture org ${ORG[key]} has no ${String(field)}`);
        return [key, row[field]];
      }),
    ) as unknown as Record<OrgKey, number>;
  return {
    org: pick("orgId"),
    unit: pick("unit"),
    ownUnits: pick("ownUnits"),
    subtreeUnits: pick("subtreeUnits"),
    subtreeOrgs: pick("subtreeOrgs"),
  };
}

/** Fixture org keys whose id is in `ids`, in fixture order. */
export function keysOf(f: Fixtures, field: "org" | "unit", ids: number[]): OrgKey[] {
  const set = new Set(ids.map(Number));
  return ORG_KEYS.filter((k) => set.has(f[field][k]));
}

/** Within the current transaction, act as another user from the next statement on. */
export async function actAs(tx: Tx, claims: JwtClaims | Record<string, unknown>): Promise<void> {
  await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
}

/** Within the current transaction, act as a demo user (optionally under one of his memberships). */
export async function actAsUser(tx: Tx, email: string, membership?: { regionCode: string; role: string }) {
  await actAs(tx, await claimsFor(email, membership));
}

class OwnerRollback extends Error {
  constructor(readonly value: unknown) {
    super("rollback");
  }
}

/**
 * Runs `fn` in an owner transaction that is always rolled back, for fixtures that need
 * privileged writes (banning a user, expiring a session, catalogue probes).
 */
export async function ownerRolledBack<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    await ownerSql().begin(async (tx) => {
      await tx`set local lock_timeout = '10s'`;
      throw new OwnerRollback(await fn(tx as unknown as Tx));
    });
  } catch (error) {
    if (error instanceof OwnerRollback) return error.value as T;
    throw error;
  }
  throw new Error("unreachable");
}

/**
 * Inside an owner transaction: switch to the request context (role authenticated and
 * the given claims), exactly as the request path sets it. RLS applies from here on.
 */
export async function enterRequestContext(tx: Tx, claims: JwtClaims | Record<string, unknown>): Promise<void> {
  await tx`select set_config('role', 'authenticated', true),
                  set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
}

/** Inside an owner transaction that entered a request context: become the owner again. */
export async function leaveRequestContext(tx: Tx): Promise<void> {
  await tx`reset role`;
  await tx`select set_config('request.jwt.claims', '', true)`;
}

export async function count(tx: Tx, table: string): Promise<number> {
  const [row] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}`);
  return row.n;
}
