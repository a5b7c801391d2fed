import { randomUUID } from "node:crypto";
import type { JwtClaims, Tx } from "../../../app/lib/db.server";
import { claimsFor, DEMO, ownerSql, userId } from "./db";
import { enterRequestContext, leaveRequestContext, ownerRolledBack } from "./fixtures";
import {
  createEngagementFixtures,
  createFindingsFixtures,
  probe,
  type EngagementFixtures,
  type EngagementFx,
  type FindingsFixtures,
  type GroupFx,
  type RowFx,
} from "./matrix-harness";

/**
 * Support for the engagement tests (rls-engagements, assignment-rules, reporter-identity,
 * coverage) and, through withFindingsScenario, the findings and rectification tests
 * (rls-findings-scope, rls-rectification-scope, leads-access): the demo's orgs and units,
 * live sessions of the demo accounts, and the city-level scenario of
 * supabase/tests/support/matrix-harness.ts built in an owner transaction that is always
 * rolled back. Nothing here depends on the demo's own groups, engagements, petitions,
 * papers, problems or leads.
 */

export const CODES = {
  province: "230000",
  city: "230100",
  daoli: "230102",
  nangang: "230103",
  qqhr: "230200",
  longsha: "230202",
  zj: "330000",
} as const;
export type OrgKey = keyof typeof CODES;
const ORG_KEYS = Object.keys(CODES) as OrgKey[];

/** The acting accounts of these tests (a session each, created once per file). */
export const ACTORS = {
  province: { email: DEMO.province },
  provinceStaff: { email: DEMO.city, membership: { regionCode: CODES.province, role: "office_staff" } },
  city: { email: DEMO.city },
  daoli: { email: DEMO.countyDaoli },
  nangang: { email: DEMO.countyNangang },
  qqhr: { email: DEMO.otherCity },
  zj: { email: DEMO.otherProvince },
  leader: { email: DEMO.leadership },
  sysadmin: { email: DEMO.systemAdmin },
  auditor: { email: DEMO.auditAdmin },
  cityMember: { email: DEMO.memberCity },
  daoliMember: { email: DEMO.memberDaoli },
  /** unit_contact of 哈尔滨市财政局 (FINANCE_UNIT). */
  unitContact: { email: DEMO.unitContact },
  /** unit_contact and head of 哈尔滨市财政局. */
  unitHead: { email: DEMO.unitHead },
  /** partner_staff of 哈尔滨市纪委监委. */
  cityPartner: { email: DEMO.cityPartner },
} as const;

/** The unit of the demo's unit contacts (looked up by name in the city). */
export const FINANCE_UNIT = { org: CODES.city, name: "哈尔滨市财政局" } as const;
export type ActorKey = keyof typeof ACTORS;

export interface World {
  org: Record<OrgKey, number>;
  /** The first six active units (by id) of every org that the demo's engagements leave alone. */
  units: Record<OrgKey, number[]>;
  user: Record<ActorKey, string>;
  claims: Record<ActorKey, JwtClaims>;
  /** The active membership id of every actor's session. */
  membership: Record<ActorKey, number>;
  /** 哈尔滨市财政局 (FINANCE_UNIT). */
  financeUnit: number;
  /** The supervision partners of the offices of CODES, by name (哈尔滨市纪委监委, 道里区纪委监委 …). */
  partner: Record<string, number>;
}

let cached: Promise<World> | undefined;

/** Read once per file, through the owner (never written). */
export function world(): Promise<World> {
  cached ??= load();
  return cached;
}

async function load(): Promise<World> {
  const sql = ownerSql();
  const rows = await sql<{ code: string; id: number; units: number[] }[]>`
    select o.region_code as code, o.id,
           array(select u.id::int from public.units u
                  where u.org_id = o.id and u.active
                    -- Units the demo has not patrolled: a test's own engagements decide their coverage.
                    and not exists (select 1 from public.engagements e where e.unit_id = u.id)
                  order by u.id limit 6) as units
      from public.orgs o where o.kind = 'patrol_office' and o.region_code in ${sql(Object.values(CODES))}`;
  const org = {} as World["org"];
  const units = {} as World["units"];
  for (const k of ORG_KEYS) {
    const row = rows.find((r) => r.code === CODES[k]);
    if (!row || row.units.length < 6) throw new Error(`engagement tests: org ${CODES[k]} missing or with fewer than 6 units`);
    org[k] = row.id;
    units[k] = row.units;
  }
  const user = {} as World["user"];
  const claims = {} as World["claims"];
  const membership = {} as World["membership"];
  for (const [k, a] of Object.entries(ACTORS) as [ActorKey, (typeof ACTORS)[ActorKey]][]) {
    user[k] = await userId(a.email);
    claims[k] = await claimsFor(a.email, "membership" in a ? a.membership : undefined);
    const [m] = await sql<{ id: number }[]>`
      select m.id::int as id from public.memberships m
        left join private.session_context sc on sc.session_id = ${claims[k].session_id} and sc.membership_id = m.id
       where m.user_id = ${user[k]} order by (sc.membership_id is not null) desc, m.id limit 1`;
    membership[k] = m.id;
  }
  const [finance] = await sql<{ id: number }[]>`
    select u.id::int as id from public.units u join public.orgs o on o.id = u.org_id
     where o.kind = 'patrol_office' and o.region_code = ${FINANCE_UNIT.org} and u.name = ${FINANCE_UNIT.name}`;
  if (!finance) throw new Error(`engagement tests: no unit ${FINANCE_UNIT.name}`);
  const partners = await sql<{ id: number; name: string }[]>`
    select id, name from public.orgs where kind = 'supervision_partner' and attached_org_id in ${sql(Object.values(org))}`;
  const partner = Object.fromEntries(partners.map((p) => [p.name, p.id]));
  return { org, units, user, claims, membership, financeUnit: finance.id, partner };
}

/** The orgs of the scenario, in which withScenario (and withFindingsScenario) make their fixtures. */
const SCENARIO_KEYS: OrgKey[] = ["province", "city", "daoli", "nangang", "qqhr"];

/** The scenario's rows, by key, with the handles the tests use most. */
export interface Scenario extends EngagementFixtures {
  e: (key: string) => EngagementFx;
  g: (key: string) => GroupFx;
  conductOf: (key: string) => { fieldworkId: number; petitionId: number; attachmentId: number };
  /** The member row of a group-member account in the scenario ("市巡察组成员账号", "交叉组成员账号", "已办结组成员账号"). */
  memberRow: (key: string) => number;
}

/**
 * In an owner transaction that is always rolled back: the city scenario (a running round
 * of every org of the province's branch under test with a regular engagement, the city's
 * elevated engagements of 道里's units, its cross engagement by 道里's group of a 南岗 unit,
 * a closed round), then `fn`, which switches to the request context with `as`.
 */
export async function withScenario<T>(
  fn: (tx: Tx, s: Scenario, as: (who: ActorKey | "owner") => Promise<void>) => Promise<T>,
): Promise<T> {
  const w = await world();
  return ownerRolledBack(async (tx) => {
    const fixtures = await createEngagementFixtures(
      tx,
      SCENARIO_KEYS.map((k) => ({ id: w.org[k], code: CODES[k], units: w.units[k].slice(0, 3) as [number, number, number] })),
      { city: CODES.city, countyA: CODES.daoli, countyB: CODES.nangang, cityMemberUserId: w.user.cityMember, countyMemberUserId: w.user.daoliMember },
    );
    const pick = <X extends { key: string }>(xs: X[], key: string, what: string) => {
      const hit = xs.find((x) => x.key === key);
      if (!hit) throw new Error(`scenario: no ${what} ${key}`);
      return hit;
    };
    const s: Scenario = {
      ...fixtures,
      e: (key) => pick(fixtures.engagements, key, "engagement"),
      g: (key) => pick(fixtures.groups, key, "group"),
      conductOf: (key) => {
        const c = fixtures.conduct.find((x) => x.engagement.key === key);
        if (!c) throw new Error(`scenario: no conduct of ${key}`);
        return c;
      },
      memberRow: (key) => pick(fixtures.members, key, "member").id,
    };
    let inRequest = false;
    const as = async (who: ActorKey | "owner") => {
      if (who === "owner") {
        if (inRequest) await leaveRequestContext(tx);
        inRequest = false;
        return;
      }
      await enterRequestContext(tx, w.claims[who]);
      inRequest = true;
    };
    return fn(tx, s, as);
  });
}

/** The scenario with the second half of the patrols on top (support/matrix-harness.ts createFindingsFixtures). */
export interface FindingsScenario extends Scenario {
  f: FindingsFixtures;
  /** The rows of `list` that belong to the engagement `key`. */
  rowsOf: (list: RowFx[], key: string) => RowFx[];
  /** The one row of `list` of the engagement `key` whose description starts with `what`. */
  rowOf: (list: RowFx[], key: string, what: string) => RowFx;
}

/**
 * withScenario, plus (still as the owner, before `fn` switches to a request context) the
 * findings fixtures: papers, problems, leads, feedback, reports, items, events, updates,
 * evidence, publications, evaluations in every org of the scenario; the city's elevated,
 * cross and closed-round engagements; an engagement of 哈尔滨市财政局 fed back in the city's
 * running round; and a notification of every actor.
 */
export async function withFindingsScenario<T>(
  fn: (tx: Tx, s: FindingsScenario, as: (who: ActorKey | "owner") => Promise<void>) => Promise<T>,
): Promise<T> {
  const w = await world();
  return withScenario(async (tx, base, as) => {
    const f = await createFindingsFixtures(
      tx,
      base,
      SCENARIO_KEYS.map((k) => ({ id: w.org[k], code: CODES[k], extraUnits: [w.units[k][3], w.units[k][4]] as [number, number] })),
      { city: CODES.city, financeUnitId: w.financeUnit, notifyUserIds: [...new Set(Object.values(w.user))] },
    );
    const rowsOf = (list: RowFx[], key: string) => list.filter((r) => r.engagementKey === key);
    const s: FindingsScenario = {
      ...base,
      f,
      rowsOf,
      rowOf: (list, key, what) => {
        const hits = rowsOf(list, key).filter((r) => r.what.startsWith(what));
        if (hits.length !== 1) throw new Error(`findings scenario: ${hits.length} rows "${what}" of ${key}`);
        return hits[0];
      },
    };
    return fn(tx, s, as);
  });
}

/** Runs one statement in a savepoint that is always rolled back: its SQLSTATE, or `rows:N`. */
export async function attempt(tx: Tx, run: (sp: Tx) => Promise<{ count: number }>): Promise<string> {
  const r = await probe(tx, async (sp) => (await run(sp)).count);
  return r.state ?? `rows:${r.value}`;
}

/** Runs `run` in a savepoint that is kept on success: "ok", or `SQLSTATE: message`. */
export async function outcome(tx: Tx, run: (sp: Tx) => Promise<unknown>): Promise<string> {
  try {
    await tx.savepoint(async (sp) => {
      await run(sp as Tx);
    });
    return "ok";
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!code) throw error;
    return `${code}: ${(error as Error).message}`;
  }
}

/** Runs `run` in a savepoint that is always rolled back: "ok", or `SQLSTATE: message (detail)`. */
export async function rolledBack(tx: Tx, run: (sp: Tx) => Promise<unknown>): Promise<string> {
  const marker = new Error("__rolled_back__");
  try {
    await tx.savepoint(async (sp) => {
      await run(sp as Tx);
      throw marker;
    });
  } catch (error) {
    if (error === marker) return "ok";
    const { code, detail } = error as { code?: string; detail?: string };
    if (!code) throw error;
    return `${code}: ${(error as Error).message}${detail ? ` (${detail})` : ""}`;
  }
  throw new Error("unreachable");
}

/** Ids among `ids` that the caller sees in `table`. */
export async function seen(tx: Tx, table: string, ids: number[]): Promise<number[]> {
  const rows = await tx.unsafe<{ id: number }[]>(`select id::int as id from ${table} where id = any($1::bigint[]) order by id`, [ids]);
  return rows.map((r) => r.id);
}

/**
 * A new county office under `parentId` with three units and a director with a live
 * session (in the owner transaction, rolled back with it): a pool nobody else fills.
 */
export async function newOffice(tx: Tx, parentId: number, name = "测试区委巡察办") {
  const code = `98${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;
  const [o] = await tx<{ id: number }[]>`
    insert into public.orgs (parent_id, level, region_code, region_name, name)
    values (${parentId}, 'county', ${code}, '测试区', ${name}) returning id`;
  const units: number[] = [];
  for (const [n, category] of [["测试区纪委监委机关", "discipline_commission"], ["测试区财政局", "county_dept"], ["测试区教育局", "county_dept"]]) {
    const [u] = await tx<{ id: number }[]>`
      insert into public.units (org_id, name, category, head_level) values (${o.id}, ${n}, ${category}, 'county_managed')
      returning id::int as id`;
    units.push(u.id);
  }
  const director = randomUUID();
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, created_at, updated_at)
    values ('00000000-0000-0000-0000-000000000000', ${director}, 'authenticated', 'authenticated',
            ${`director.${director}@fixture.invalid`}, now(), now())`;
  await tx`insert into public.memberships (user_id, org_id, role) values (${director}, ${o.id}, 'office_director')`;
  const [session] = await tx<{ id: string }[]>`
    insert into auth.sessions (id, user_id, created_at, updated_at, aal, not_after)
    values (gen_random_uuid(), ${director}, now(), now(), 'aal1', now() + interval '1 hour') returning id`;
  const claims: JwtClaims = { sub: director, role: "authenticated", aud: "authenticated", session_id: session.id };
  return { orgId: o.id, units, director, claims };
}

export { ownerRolledBack };
