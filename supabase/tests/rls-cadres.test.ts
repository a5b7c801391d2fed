import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { asUser, claimsFor, closeTestSql, DEMO, ownerSql, sqlState, userId } from "./support/db";
import {
  actAsUser,
  enterRequestContext,
  fixtures,
  keysOf,
  leaveRequestContext,
  OFFICE_USERS,
  ORG,
  ORG_KEYS,
  ownerRolledBack,
  type Fixtures,
  type OrgKey,
  PROVINCE_STAFF, EVERY_ACTOR,
} from "./support/fixtures";
import { asUserOverFixtures, probe } from "./support/matrix-harness";

/**
 * Cadre pools (干部库: 组长库, 人才库, 专家库), their work history and conflicts of interest
 * (回避), and the view that unions recorded conflicts with those derived from work history.
 * An office holds its pool; it and its ancestors read it; only its director and staff
 * write it. None of this depends on the demo's cadres: every cadre here is inserted in a
 * transaction that is rolled back.
 */

afterAll(closeTestSql);

type Membership = { regionCode: string; role: string };

const SPECIALTIES = ["财务", "审计", "法律", "工程", "组织人事", "纪检监察", "经济管理", "信息技术"];

let f: Fixtures;
/** ancestor org key -> depth, per fixture org (self excluded). */
const ancestors = Object.fromEntries(ORG_KEYS.map((k) => [k, new Map<OrgKey, number>()])) as Record<OrgKey, Map<OrgKey, number>>;
/** Every org id (fixture or not) of each fixture org's subtree, itself included. */
const subtreeIds = {} as Record<OrgKey, number[]>;
/** A second unit of 道里 (the fixture unit is its lowest-id one). */
let secondDaoliUnit: number;

beforeAll(async () => {
  f = await fixtures();
  const sql = ownerSql();
  const closure = await sql<{ a: number; d: number; depth: number }[]>`
    select ancestor_id as a, descendant_id as d, depth from public.org_closure
     where ancestor_id = any(${Object.values(f.org)}::int[])`;
  for (const k of ORG_KEYS) subtreeIds[k] = closure.filter((c) => c.a === f.org[k]).map((c) => c.d);
  for (const c of closure) {
    if (c.depth === 0) continue;
    const [d] = keysOf(f, "org", [c.d]);
    const [a] = keysOf(f, "org", [c.a]);
    if (d && a) ancestors[d].set(a, c.depth);
  }
  const units = await sql<{ id: number }[]>`
    select id::int as id from public.units where org_id = ${f.org.daoli} order by id limit 2`;
  expect(units[0]?.id).toBe(f.unit.daoli);
  secondDaoliUnit = units[1].id;
});

/** Where fixture org `x` sits relative to `own`. */
function relation(own: OrgKey, x: OrgKey): string {
  if (x === own) return "own";
  const down = ancestors[x].get(own);
  if (down !== undefined) return down === 1 ? "child" : "grandchild";
  const up = ancestors[own].get(x);
  if (up !== undefined) return up === 1 ? "parent" : "grandparent";
  const inProvince = (k: OrgKey) => k === "province" || ancestors[k].has("province");
  return inProvince(x) === inProvince(own) ? "sibling/cousin" : "other province";
}

// ---------------------------------------------------------------- helpers

/** Runs one statement in a savepoint that is always rolled back: its SQLSTATE, or `rows:N`. */
async function attempt(tx: Tx, run: (sp: Tx) => Promise<{ count: number }>): Promise<string> {
  const r = await probe(tx, async (sp) => (await run(sp)).count);
  return r.state ?? `rows:${r.value}`;
}

/** Runs one statement in a savepoint that is always rolled back: `SQLSTATE: message`, or "ok". */
async function failure(tx: Tx, run: (sp: Tx) => Promise<unknown>): Promise<string> {
  try {
    await tx.savepoint(async (sp) => {
      await run(sp as Tx);
      throw new Error("__ok__");
    });
  } catch (error) {
    if ((error as Error).message === "__ok__") return "ok";
    const code = (error as { code?: string }).code;
    if (!code) throw error;
    return `${code}: ${(error as Error).message}`;
  }
  throw new Error("unreachable");
}

interface CadreRow {
  id: number;
  org_id: number;
  province_id: number;
  specialties: string[];
  pools: string[];
  created_by: string | null;
  created_at: Date;
}

function insertCadre(
  tx: Tx,
  orgId: number,
  o: {
    name?: string;
    specialties?: (string | null)[];
    pools?: (string | null)[];
    userId?: string | null;
    provinceId?: number;
    createdBy?: string;
  } = {},
) {
  return tx<CadreRow[]>`
    insert into public.cadres (org_id, province_id, name, home_unit, rank, specialties, pools, user_id, created_by, created_at)
    values (${orgId}, ${o.provinceId ?? orgId}, ${o.name ?? `测试干部${Math.random().toString(36).slice(2, 6)}`}, '测试原单位', '正科级',
            ${o.specialties ?? ["财务"]}::text[], ${o.pools ?? ["talent"]}::text[]::public.cadre_pool[], ${o.userId ?? null},
            ${o.createdBy ?? null}, '2000-01-01')
    returning id::int as id, org_id, province_id, specialties::text[] as specialties, pools::text[] as pools, created_by, created_at`;
}

interface ChildRow {
  id: number;
  org_id: number;
  province_id: number;
}

/**
 * A work-history row. `to` is a date, null (still there), or a distance back from the
 * database's current_date (so the five-year window holds whenever the suite runs).
 */
function insertHistory(
  tx: Tx,
  cadreId: number,
  o: {
    unitId?: number | null;
    unitName?: string;
    post?: string | null;
    from?: string;
    to?: string | null | { yearsAgo: number; daysAgo?: number; daysLater?: number };
    orgId?: number;
    provinceId?: number;
  } = {},
) {
  const to = o.to === undefined ? { yearsAgo: 1 } : o.to;
  const rel = typeof to === "object" && to !== null ? to : null;
  const literal = typeof to === "string" ? to : null;
  return tx<ChildRow[]>`
    insert into public.cadre_work_history (cadre_id, org_id, province_id, unit_id, unit_name, post, from_date, to_date)
    values (${cadreId}, ${o.orgId ?? 0}, ${o.provinceId ?? 0}, ${o.unitId === undefined ? null : o.unitId},
            ${o.unitName ?? "测试任职单位"}, ${o.post === undefined ? "副主任" : o.post}, ${o.from ?? "2000-01-01"},
            case when ${rel !== null}::boolean
                 then (current_date - make_interval(years => ${rel?.yearsAgo ?? 0}, days => ${rel?.daysAgo ?? 0})
                                    + make_interval(days => ${rel?.daysLater ?? 0}))::date
                 else ${literal}::date end)
    returning id::int as id, org_id, province_id`;
}

function insertConflict(
  tx: Tx,
  cadreId: number,
  unitId: number,
  o: { reason?: string; note?: string | null; orgId?: number; provinceId?: number; createdBy?: string } = {},
) {
  return tx<(ChildRow & { created_by: string | null; created_at: Date })[]>`
    insert into public.cadre_conflicts (cadre_id, org_id, province_id, unit_id, reason, note, created_by, created_at)
    values (${cadreId}, ${o.orgId ?? 0}, ${o.provinceId ?? 0}, ${unitId}, ${o.reason ?? "other"},
            ${o.note === undefined ? "测试回避" : o.note}, ${o.createdBy ?? null}, '2000-01-01')
    returning id::int as id, org_id, province_id, created_by, created_at`;
}

interface Pool {
  org: number;
  cadre: number;
  /** A work-history row in a unit of the org, ended a year ago (so a derived conflict). */
  history: number;
  /** A recorded conflict (reason 'relative') with the same unit. */
  conflict: number;
}
type Pools = Record<OrgKey, Pool>;

/** Owner-side fixtures in the rolled-back transaction: a cadre with history and a conflict in every fixture org. */
async function poolsEverywhere(owner: Tx): Promise<Pools> {
  const out = {} as Pools;
  for (const k of ORG_KEYS) {
    const [cadre] = await insertCadre(owner, f.org[k], { name: `测试干部${ORG[k]}` });
    const [history] = await insertHistory(owner, cadre.id, { unitId: f.unit[k], unitName: `${ORG[k]}任职单位` });
    const [conflict] = await insertConflict(owner, cadre.id, f.unit[k], { reason: "relative" });
    for (const row of [cadre, history, conflict]) {
      if (row.org_id !== f.org[k]) throw new Error(`fixture of ${k} landed in org ${row.org_id}`);
    }
    out[k] = { org: f.org[k], cadre: cadre.id, history: history.id, conflict: conflict.id };
  }
  return out;
}

/** Runs `fn` as `email` over a pool in every fixture org; everything is rolled back. */
async function asUserWithPools<T>(email: string, fn: (tx: Tx, p: Pools) => Promise<T>, membership?: Membership) {
  return asUserOverFixtures(await claimsFor(email, membership), poolsEverywhere, fn);
}

/** Fixture org keys of the fixture rows (ids in `ids`) of `table` that the caller sees. */
async function visibleKeys(tx: Tx, table: string, ids: number[]): Promise<OrgKey[]> {
  const rows = await tx.unsafe<{ org_id: number }[]>(`select org_id from ${table} where id = any($1::bigint[])`, [ids]);
  return keysOf(f, "org", rows.map((r) => r.org_id));
}

// ---------------------------------------------------------------- reads

describe("cadre pools: who reads what", () => {
  /**
   * Which fixture orgs' cadres, history rows, conflicts and view rows (recorded and
   * derived) the user sees, with a pool in every fixture org; and how many rows of any
   * pool (the demo's included) lie outside the subtree `subtree`.
   */
  function visible(email: string, subtree: number[], membership?: Membership) {
    return asUserWithPools(
      email,
      async (tx, p) => {
        const pools = ORG_KEYS.map((k) => p[k]);
        const cadres = pools.map((x) => x.cadre);
        const view = await tx<{ cadreId: number; source: string }[]>`
          select cadre_id::int as "cadreId", source from public.cadre_unit_conflicts where cadre_id = any(${cadres}::bigint[])`;
        const viewKeys = (source: string) =>
          ORG_KEYS.filter((k) => view.some((v) => v.cadreId === p[k].cadre && v.source === source));
        const [outside] = await tx<{ cadres: number; history: number; conflicts: number; view: number }[]>`
          select (select count(*)::int from public.cadres where not (org_id = any(${subtree}::int[]))) as cadres,
                 (select count(*)::int from public.cadre_work_history where not (org_id = any(${subtree}::int[]))) as history,
                 (select count(*)::int from public.cadre_conflicts where not (org_id = any(${subtree}::int[]))) as conflicts,
                 (select count(*)::int from public.cadre_unit_conflicts v
                   where not exists (select 1 from public.cadres c where c.id = v.cadre_id and c.org_id = any(${subtree}::int[]))) as view`;
        return {
          cadres: await visibleKeys(tx, "public.cadres", cadres),
          history: await visibleKeys(tx, "public.cadre_work_history", pools.map((x) => x.history)),
          conflicts: await visibleKeys(tx, "public.cadre_conflicts", pools.map((x) => x.conflict)),
          recorded: viewKeys("recorded"),
          derived: viewKeys("work_history"),
          outside,
        };
      },
      membership,
    );
  }
  const all = (keys: OrgKey[]) => ({
    cadres: keys,
    history: keys,
    conflicts: keys,
    recorded: keys,
    derived: keys,
    outside: { cadres: 0, history: 0, conflicts: 0, view: 0 },
  });

  it("a province office reads its own pool and every pool below it, 齐齐哈尔's included, and none of 浙江's", async () => {
    expect(await visible(DEMO.province, subtreeIds.province)).toEqual(all(["province", "city", "daoli", "nangang", "siblingCity"]));
  });

  it("a city office reads its own pool and its counties', not its province's, a sibling city's or another province's", async () => {
    expect(await visible(DEMO.city, subtreeIds.city)).toEqual(all(["city", "daoli", "nangang"]));
  });

  it("a county office reads only its own pool: not its sibling county's, nor its city's or province's", async () => {
    expect(await visible(DEMO.countyDaoli, subtreeIds.daoli)).toEqual(all(["daoli"]));
    expect(await visible(DEMO.countyNangang, subtreeIds.nangang)).toEqual(all(["nangang"]));
  });

  it("a sibling city reads only its own pool; another province only its own", async () => {
    expect(await visible(DEMO.otherCity, subtreeIds.siblingCity)).toEqual(all(["siblingCity"]));
    expect(await visible(DEMO.otherProvince, subtreeIds.otherProvince)).toEqual(all(["otherProvince"]));
  });

  it("leadership reads the province's pools; the system and audit administrators read no pool at all", async () => {
    expect(await visible(DEMO.leadership, subtreeIds.province)).toEqual(all(["province", "city", "daoli", "nangang", "siblingCity"]));
    expect(await visible(DEMO.systemAdmin, [])).toEqual(all([]));
    expect(await visible(DEMO.auditAdmin, [])).toEqual(all([]));
  });

  it("the active membership decides: 李明 reads the city's pools as its director, the province's as province staff", async () => {
    expect(await visible(DEMO.city, subtreeIds.province, PROVINCE_STAFF)).toEqual(
      all(["province", "city", "daoli", "nangang", "siblingCity"]),
    );
  });
});

// ---------------------------------------------------------------- writes

describe("cadre pools: who writes where", () => {
  const WRITE_ACTORS: { label: string; email: string; membership?: Membership; org: OrgKey; writes: boolean }[] = [
    ...OFFICE_USERS.map(([email, org]) => ({ label: email, email, org, writes: true })),
    { label: "hrb.director as province staff", email: DEMO.city, membership: PROVINCE_STAFF, org: "province", writes: true },
    { label: "leadership", email: DEMO.leadership, org: "province", writes: false },
    { label: "system_admin", email: DEMO.systemAdmin, org: "province", writes: false },
    { label: "audit_admin", email: DEMO.auditAdmin, org: "province", writes: false },
  ];
  const OPS = [
    "insert cadre",
    "update cadre",
    "delete cadre",
    "insert history",
    "update history",
    "delete history",
    "insert conflict",
    "update conflict",
    "delete conflict",
  ] as const;

  it.each(WRITE_ACTORS)(
    "$label: writes only its own org's pool (inserts 42501, updates and deletes 0 rows elsewhere; cadres never deleted)",
    async (actor) => {
      const got = await asUserWithPools(
        actor.email,
        async (tx, p) => {
          const out: Record<string, Record<string, string>> = {};
          for (const k of ORG_KEYS) {
            const x = p[k];
            const row: Record<(typeof OPS)[number], string> = {
              "insert cadre": await attempt(tx, (sp) => insertCadre(sp, x.org)),
              "update cadre": await attempt(tx, (sp) => sp`update public.cadres set rank = '副处级', available = false where id = ${x.cadre}`),
              "delete cadre": await attempt(tx, (sp) => sp`delete from public.cadres where id = ${x.cadre}`),
              "insert history": await attempt(tx, (sp) => insertHistory(sp, x.cadre, { unitId: f.unit[k], to: null })),
              "update history": await attempt(tx, (sp) => sp`update public.cadre_work_history set post = '主任' where id = ${x.history}`),
              "delete history": await attempt(tx, (sp) => sp`delete from public.cadre_work_history where id = ${x.history}`),
              "insert conflict": await attempt(tx, (sp) => insertConflict(sp, x.cadre, f.unit[k], { reason: "other" })),
              "update conflict": await attempt(tx, (sp) => sp`update public.cadre_conflicts set note = '改过的说明' where id = ${x.conflict}`),
              "delete conflict": await attempt(tx, (sp) => sp`delete from public.cadre_conflicts where id = ${x.conflict}`),
            };
            out[`${k} [${relation(actor.org, k)}]`] = row;
          }
          return out;
        },
        actor.membership,
      );
      const allowed = Object.fromEntries(OPS.map((op) => [op, op === "delete cadre" ? "42501" : "rows:1"]));
      const refused = Object.fromEntries(
        OPS.map((op) => [op, op.startsWith("insert") || op === "delete cadre" ? "42501" : "rows:0"]),
      );
      expect(got).toEqual(
        Object.fromEntries(
          ORG_KEYS.map((k) => [`${k} [${relation(actor.org, k)}]`, actor.writes && k === actor.org ? allowed : refused]),
        ),
      );
    },
  );

  it("a province office reads a city's cadre but cannot edit it, its history or its conflicts (0 rows), and they stay as they were", async () => {
    const result = await asUserWithPools(DEMO.province, async (tx, p) => ({
      codes: [
        await attempt(tx, (sp) => sp`update public.cadres set name = '省里改的', pools = '{expert}' where id = ${p.city.cadre}`),
        await attempt(tx, (sp) => sp`update public.cadre_work_history set to_date = null where cadre_id = ${p.city.cadre}`),
        await attempt(tx, (sp) => sp`delete from public.cadre_work_history where cadre_id = ${p.city.cadre}`),
        await attempt(tx, (sp) => sp`delete from public.cadre_conflicts where cadre_id = ${p.city.cadre}`),
      ],
      cadre: (await tx<{ name: string; pools: string[] }[]>`select name, pools::text[] as pools from public.cadres where id = ${p.city.cadre}`)[0],
      history: (await tx<{ n: number }[]>`select count(*)::int as n from public.cadre_work_history where cadre_id = ${p.city.cadre} and to_date is not null`)[0].n,
      conflicts: (await tx<{ n: number }[]>`select count(*)::int as n from public.cadre_conflicts where cadre_id = ${p.city.cadre}`)[0].n,
    }));
    expect(result).toEqual({
      codes: ["rows:0", "rows:0", "rows:0", "rows:0"],
      cadre: { name: `测试干部${ORG.city}`, pools: ["talent"] },
      history: 1,
      conflicts: 1,
    });
  });

  it("leadership, system and audit administrators cannot write even the province's own pool", async () => {
    for (const email of [DEMO.leadership, DEMO.systemAdmin, DEMO.auditAdmin]) {
      const codes = await asUserWithPools(email, async (tx, p) => ({
        "insert cadre": await attempt(tx, (sp) => insertCadre(sp, p.province.org)),
        "update cadre": await attempt(tx, (sp) => sp`update public.cadres set available = false where id = ${p.province.cadre}`),
        "update every cadre": await attempt(tx, (sp) => sp`update public.cadres set available = available`),
        "insert history": await attempt(tx, (sp) => insertHistory(sp, p.province.cadre, { unitId: f.unit.province })),
        "update history": await attempt(tx, (sp) => sp`update public.cadre_work_history set post = post where id = ${p.province.history}`),
        "delete history": await attempt(tx, (sp) => sp`delete from public.cadre_work_history where id = ${p.province.history}`),
        "insert conflict": await attempt(tx, (sp) => insertConflict(sp, p.province.cadre, f.unit.province)),
        "update conflict": await attempt(tx, (sp) => sp`update public.cadre_conflicts set note = note where id = ${p.province.conflict}`),
        "delete every conflict": await attempt(tx, (sp) => sp`delete from public.cadre_conflicts`),
      }));
      expect(codes, email).toEqual({
        "insert cadre": "42501",
        "update cadre": "rows:0",
        "update every cadre": "rows:0",
        "insert history": "42501",
        "update history": "rows:0",
        "delete history": "rows:0",
        "insert conflict": "42501",
        "update conflict": "rows:0",
        "delete every conflict": "rows:0",
      });
    }
  });

  it("nobody deletes or truncates a cadre (42501 for every role, own pool included), so no history goes with it", async () => {
    for (const [label, email, membership] of EVERY_ACTOR) {
      const result = await asUserWithPools(
        email,
        async (tx, p) => {
          const out: Record<string, string> = {};
          for (const k of ORG_KEYS) out[k] = await attempt(tx, (sp) => sp`delete from public.cadres where id = ${p[k].cadre}`);
          out.all = await attempt(tx, (sp) => sp`delete from public.cadres`);
          out.truncate = await attempt(tx, (sp) => sp`truncate public.cadres cascade`);
          return out;
        },
        membership,
      );
      const wrong = Object.entries(result).filter(([, c]) => c !== "42501");
      expect(wrong, `${label}: a cadre deleted`).toEqual([]);
    }
    // and the pools are intact afterwards, as the owner sees them
    const left = await ownerRolledBack(async (tx) => {
      const p = await poolsEverywhere(tx);
      await enterRequestContext(tx, await claimsFor(DEMO.countyDaoli));
      const code = await attempt(tx, (sp) => sp`delete from public.cadres where id = ${p.daoli.cadre}`);
      await leaveRequestContext(tx);
      const [n] = await tx<{ c: number; h: number }[]>`
        select (select count(*)::int from public.cadres where id = ${p.daoli.cadre}) as c,
               (select count(*)::int from public.cadre_work_history where cadre_id = ${p.daoli.cadre}) as h`;
      return { code, ...n };
    });
    expect(left).toEqual({ code: "42501", c: 1, h: 1 });
  });
});

// ---------------------------------------------------------------- the early 42501

describe("cadre pools: a write into a pool the office cannot write answers 42501 before any other check", () => {
  /** Invalid rows of every kind, into the pool of `target`, by an office that cannot write it. */
  async function invalidWrites(email: string, target: OrgKey, membership?: Membership) {
    return asUserWithPools(
      email,
      async (tx, p) => {
        const x = p[target];
        const other = target === "otherProvince" ? "province" : "otherProvince";
        return {
          "cadre with a specialty outside the list": await attempt(tx, (sp) => insertCadre(sp, x.org, { specialties: ["外语"] })),
          "cadre with a one-character name": await attempt(tx, (sp) => insertCadre(sp, x.org, { name: "张" })),
          "history in a unit of another province": await attempt(tx, (sp) => insertHistory(sp, x.cadre, { unitId: f.unit[other] })),
          "history in a unit that does not exist": await attempt(tx, (sp) => insertHistory(sp, x.cadre, { unitId: 2_000_000_000 })),
          "history ending before it starts": await attempt(tx, (sp) => insertHistory(sp, x.cadre, { from: "2020-01-01", to: "2019-01-01" })),
          "conflict in a unit of another province": await attempt(tx, (sp) => insertConflict(sp, x.cadre, f.unit[other])),
          "conflict duplicating the recorded one": await attempt(tx, (sp) => insertConflict(sp, x.cadre, f.unit[target], { reason: "relative" })),
          "conflict with a note too long": await attempt(tx, (sp) => insertConflict(sp, x.cadre, f.unit[target], { note: "长".repeat(201) })),
        };
      },
      membership,
    );
  }
  const ALL_42501 = {
    "cadre with a specialty outside the list": "42501",
    "cadre with a one-character name": "42501",
    "history in a unit of another province": "42501",
    "history in a unit that does not exist": "42501",
    "history ending before it starts": "42501",
    "conflict in a unit of another province": "42501",
    "conflict duplicating the recorded one": "42501",
    "conflict with a note too long": "42501",
  };

  it("浙江 writing into 黑龙江's province pool", async () => {
    expect(await invalidWrites(DEMO.otherProvince, "province")).toEqual(ALL_42501);
  });

  it("the province office writing into a city pool it can read", async () => {
    expect(await invalidWrites(DEMO.province, "city")).toEqual(ALL_42501);
  });

  it("道里 writing into its sibling 南岗's pool and its parent 哈尔滨's", async () => {
    expect(await invalidWrites(DEMO.countyDaoli, "nangang")).toEqual(ALL_42501);
    expect(await invalidWrites(DEMO.countyDaoli, "city")).toEqual(ALL_42501);
  });

  it("leadership writing into its own org's pool", async () => {
    expect(await invalidWrites(DEMO.leadership, "province")).toEqual(ALL_42501);
  });

  it("the same rows in the office's own pool fail on their own merits (so the 42501 above is not their error)", async () => {
    const got = await asUserWithPools(DEMO.countyDaoli, async (tx, p) => {
      const x = p.daoli;
      return [
        await attempt(tx, (sp) => insertCadre(sp, x.org, { specialties: ["外语"] })),
        await attempt(tx, (sp) => insertCadre(sp, x.org, { name: "张" })),
        await attempt(tx, (sp) => insertHistory(sp, x.cadre, { unitId: f.unit.otherProvince })),
        await attempt(tx, (sp) => insertHistory(sp, x.cadre, { unitId: 2_000_000_000 })),
        await attempt(tx, (sp) => insertHistory(sp, x.cadre, { from: "2020-01-01", to: "2019-01-01" })),
        await attempt(tx, (sp) => insertConflict(sp, x.cadre, f.unit.otherProvince)),
        await attempt(tx, (sp) => insertConflict(sp, x.cadre, f.unit.daoli, { reason: "relative" })),
        await attempt(tx, (sp) => insertConflict(sp, x.cadre, f.unit.daoli, { note: "长".repeat(201) })),
      ];
    });
    expect(got).toEqual(["23514", "23514", "23503", "23503", "23514", "23503", "23505", "23514"]);
  });

  it("moving the office's own history row or conflict onto a cadre of another pool answers 42501, and the row stays", async () => {
    const result = await asUserWithPools(DEMO.countyDaoli, async (tx, p) => ({
      codes: {
        "history → 南岗's cadre": await attempt(tx, (sp) => sp`update public.cadre_work_history set cadre_id = ${p.nangang.cadre} where id = ${p.daoli.history}`),
        "history → 浙江's cadre": await attempt(tx, (sp) => sp`update public.cadre_work_history set cadre_id = ${p.otherProvince.cadre} where id = ${p.daoli.history}`),
        "conflict → 哈尔滨's cadre": await attempt(tx, (sp) => sp`update public.cadre_conflicts set cadre_id = ${p.city.cadre} where id = ${p.daoli.conflict}`),
      },
      history: (await tx<{ cadre: number }[]>`select cadre_id::int as cadre from public.cadre_work_history where id = ${p.daoli.history}`)[0].cadre,
      conflict: (await tx<{ cadre: number }[]>`select cadre_id::int as cadre from public.cadre_conflicts where id = ${p.daoli.conflict}`)[0].cadre,
      daoli: p.daoli.cadre,
    }));
    expect(result.codes).toEqual({ "history → 南岗's cadre": "42501", "history → 浙江's cadre": "42501", "conflict → 哈尔滨's cadre": "42501" });
    expect(result.history).toBe(result.daoli);
    expect(result.conflict).toBe(result.daoli);
  });

  it("the cadre check does not reveal whether a cadre id exists: a foreign cadre and no cadre at all answer alike (42501)", async () => {
    // With a unit of the writer's own province, an existing foreign cadre must not answer
    // differently from an id no cadre has: otherwise any office can probe which cadre ids
    // exist in other pools and provinces.
    const got = await asUserWithPools(DEMO.countyDaoli, async (tx, p) => {
      const out: Record<string, string> = {};
      for (const [label, cadre] of [
        ["浙江's cadre", p.otherProvince.cadre],
        ["南岗's cadre", p.nangang.cadre],
        ["no such cadre", 2_000_000_000],
      ] as const) {
        out[`history without unit, ${label}`] = await failure(tx, (sp) => insertHistory(sp, cadre, { unitId: null }));
        out[`history in 道里's unit, ${label}`] = await failure(tx, (sp) => insertHistory(sp, cadre, { unitId: f.unit.daoli }));
        out[`conflict with 道里's unit, ${label}`] = await failure(tx, (sp) => insertConflict(sp, cadre, f.unit.daoli));
      }
      return out;
    });
    const codes = Object.fromEntries(Object.entries(got).map(([k, v]) => [k, v.split(":")[0]]));
    expect(codes).toEqual(Object.fromEntries(Object.keys(got).map((k) => [k, "42501"])));
  });
});

// ---------------------------------------------------------------- derived columns

describe("cadre pools: derived columns", () => {
  it("a history row's and a conflict's org and province come from the cadre, whatever the client sends, on insert and update", async () => {
    const result = await asUserWithPools(DEMO.countyDaoli, async (tx, p) => {
      const lie = { orgId: f.org.otherProvince, provinceId: f.org.otherProvince };
      const [h] = await insertHistory(tx, p.daoli.cadre, { unitId: f.unit.daoli, ...lie });
      const [c] = await insertConflict(tx, p.daoli.cadre, f.unit.daoli, lie);
      const [hu] = await tx<ChildRow[]>`
        update public.cadre_work_history set org_id = ${f.org.nangang}, province_id = ${f.org.otherProvince}
         where id = ${p.daoli.history} returning id::int as id, org_id, province_id`;
      const [cu] = await tx<ChildRow[]>`
        update public.cadre_conflicts set org_id = ${f.org.city}, province_id = ${f.org.otherProvince}
         where id = ${p.daoli.conflict} returning id::int as id, org_id, province_id`;
      const pick = (r: ChildRow) => [r.org_id, r.province_id];
      return { history: pick(h), conflict: pick(c), historyUpdated: pick(hu), conflictUpdated: pick(cu) };
    });
    const daoli = [f.org.daoli, f.org.province];
    expect(result).toEqual({ history: daoli, conflict: daoli, historyUpdated: daoli, conflictUpdated: daoli });
  });

  it("the seeding job (no claims) gets the same derivation: the rows follow the cadre", async () => {
    const rows = await ownerRolledBack(async (tx) => {
      const [cadre] = await insertCadre(tx, f.org.nangang, { provinceId: f.org.otherProvince });
      const [h] = await insertHistory(tx, cadre.id, { unitId: f.unit.nangang, orgId: f.org.daoli, provinceId: f.org.otherProvince });
      const [c] = await insertConflict(tx, cadre.id, f.unit.city, { orgId: f.org.daoli, provinceId: f.org.otherProvince });
      return [cadre, h, c].map((r) => [r.org_id, r.province_id]);
    });
    expect(rows).toEqual([
      [f.org.nangang, f.org.province],
      [f.org.nangang, f.org.province],
      [f.org.nangang, f.org.province],
    ]);
  });

  it("a cadre's province and authorship are derived: sent values are ignored on insert, kept on update", async () => {
    const me = await userId(DEMO.countyDaoli);
    const someoneElse = await userId(DEMO.province);
    const result = await asUser(DEMO.countyDaoli, async (tx) => {
      const [row] = await insertCadre(tx, f.org.daoli, { provinceId: f.org.otherProvince, createdBy: someoneElse });
      const [after] = await tx<CadreRow[]>`
        update public.cadres set province_id = ${f.org.otherProvince}, created_by = ${someoneElse}, created_at = '2000-01-01'
         where id = ${row.id}
        returning id::int as id, org_id, province_id, specialties::text[] as specialties, pools::text[] as pools, created_by, created_at`;
      const [{ now }] = await tx<{ now: Date }[]>`select now() as now`;
      return { row, after, now };
    });
    expect([result.row.province_id, result.row.created_by]).toEqual([f.org.province, me]);
    expect(result.row.created_at).toEqual(result.now);
    expect([result.after.province_id, result.after.created_by]).toEqual([f.org.province, me]);
    expect(result.after.created_at).toEqual(result.row.created_at);
  });

  it("a recorded conflict's authorship is the database's: the recorder and time are set on insert and kept on update", async () => {
    const me = await userId(DEMO.countyDaoli);
    const someoneElse = await userId(DEMO.province);
    const result = await asUser(DEMO.countyDaoli, async (tx) => {
      const [cadre] = await insertCadre(tx, f.org.daoli);
      const [row] = await insertConflict(tx, cadre.id, f.unit.daoli, { createdBy: someoneElse });
      const [after] = await tx<{ created_by: string | null; created_at: Date }[]>`
        update public.cadre_conflicts set created_by = ${someoneElse}, created_at = '2000-01-01', note = '补充说明'
         where id = ${row.id} returning created_by, created_at`;
      const [{ now }] = await tx<{ now: Date }[]>`select now() as now`;
      return { inserted: { by: row.created_by, at: row.created_at }, updated: { by: after.created_by, at: after.created_at }, now };
    });
    expect(result.inserted).toEqual({ by: me, at: result.now });
    expect(result.updated, "created_by/created_at rewritten by the client on update").toEqual(result.inserted);
  });
});

// ---------------------------------------------------------------- integrity

describe("cadre pools: integrity", () => {
  it("a history row or conflict in a unit of another province is rejected (23503), on insert and on update", async () => {
    const codes = await asUserWithPools(DEMO.countyDaoli, async (tx, p) => ({
      "insert history": await attempt(tx, (sp) => insertHistory(sp, p.daoli.cadre, { unitId: f.unit.otherProvince })),
      "insert conflict": await attempt(tx, (sp) => insertConflict(sp, p.daoli.cadre, f.unit.otherProvince)),
      "update history": await attempt(tx, (sp) => sp`update public.cadre_work_history set unit_id = ${f.unit.otherProvince} where id = ${p.daoli.history}`),
      "update conflict": await attempt(tx, (sp) => sp`update public.cadre_conflicts set unit_id = ${f.unit.otherProvince} where id = ${p.daoli.conflict}`),
      // a unit of the same province is fine, up the tree too (a cadre may have worked in a city department)
      "history in 道里's second unit": await attempt(tx, (sp) => insertHistory(sp, p.daoli.cadre, { unitId: secondDaoliUnit })),
      "history in 哈尔滨's unit": await attempt(tx, (sp) => insertHistory(sp, p.daoli.cadre, { unitId: f.unit.city })),
      "conflict with the province's unit": await attempt(tx, (sp) => insertConflict(sp, p.daoli.cadre, f.unit.province)),
      "history without a unit": await attempt(tx, (sp) => insertHistory(sp, p.daoli.cadre, { unitId: null, unitName: "外省某单位" })),
    }));
    expect(codes).toEqual({
      "insert history": "23503",
      "insert conflict": "23503",
      "update history": "23503",
      "update conflict": "23503",
      "history in 道里's second unit": "rows:1",
      "history in 哈尔滨's unit": "rows:1",
      "conflict with the province's unit": "rows:1",
      "history without a unit": "rows:1",
    });
  });

  it("the unit check does not reveal whether a foreign unit exists (same answer as for no unit at all)", async () => {
    const messages = await asUserWithPools(DEMO.countyDaoli, async (tx, p) => [
      await failure(tx, (sp) => insertHistory(sp, p.daoli.cadre, { unitId: f.unit.otherProvince })),
      await failure(tx, (sp) => insertHistory(sp, p.daoli.cadre, { unitId: 2_000_000_000 })),
      await failure(tx, (sp) => insertConflict(sp, p.daoli.cadre, f.unit.otherProvince)),
      await failure(tx, (sp) => insertConflict(sp, p.daoli.cadre, 2_000_000_000)),
    ]);
    expect(messages[0]).toMatch(/^23503/);
    expect(new Set(messages).size, messages.join(" | ")).toBe(1);
  });

  it("the seeding job cannot link a cadre to a unit of another province either (23503)", async () => {
    const codes = await ownerRolledBack(async (tx) => {
      const [cadre] = await insertCadre(tx, f.org.daoli);
      return [
        await sqlState(tx, (sp) => insertHistory(sp, cadre.id, { unitId: f.unit.otherProvince })),
        await sqlState(tx, (sp) => insertConflict(sp, cadre.id, f.unit.otherProvince)),
      ];
    });
    expect(codes).toEqual(["23503", "23503"]);
  });

  it("specialties outside the allowed list are rejected (23514), on insert and on update; the eight allowed ones pass", async () => {
    const codes = await asUser(DEMO.countyDaoli, async (tx) => {
      const [row] = await insertCadre(tx, f.org.daoli);
      return {
        unknown: await attempt(tx, (sp) => insertCadre(sp, f.org.daoli, { specialties: ["外语"] })),
        "one unknown among allowed": await attempt(tx, (sp) => insertCadre(sp, f.org.daoli, { specialties: ["财务", "审计", "财会"] })),
        "a NULL element": await attempt(tx, (sp) => insertCadre(sp, f.org.daoli, { specialties: ["法律", null] })),
        "update to unknown": await attempt(tx, (sp) => sp`update public.cadres set specialties = '{财务,会计}' where id = ${row.id}`),
        "all eight": await attempt(tx, (sp) => insertCadre(sp, f.org.daoli, { specialties: SPECIALTIES })),
        none: await attempt(tx, (sp) => insertCadre(sp, f.org.daoli, { specialties: [] })),
      };
    });
    expect(codes).toEqual({
      unknown: "23514",
      "one unknown among allowed": "23514",
      "a NULL element": "23514",
      "update to unknown": "23514",
      "all eight": "rows:1",
      none: "rows:1",
    });
  });

  it("specialties and pools are deduplicated and sorted, on insert and on update", async () => {
    const result = await asUser(DEMO.countyDaoli, async (tx) => {
      const specialties = ["法律", "财务", "法律", "审计", "财务", "信息技术"];
      // the database's own text order, for comparison
      const [{ sorted }] = await tx<{ sorted: string[] }[]>`
        select array_agg(s order by s)::text[] as sorted from (select distinct unnest(${specialties}::text[]) as s) d`;
      const [inserted] = await insertCadre(tx, f.org.daoli, { specialties, pools: ["expert", "leader", "expert", "talent", "leader"] });
      const [updated] = await tx<CadreRow[]>`
        update public.cadres set specialties = '{审计,工程,审计}', pools = '{expert,talent,expert}' where id = ${inserted.id}
        returning specialties::text[] as specialties, pools::text[] as pools`;
      return { sorted, inserted: { s: inserted.specialties, p: inserted.pools }, updated: { s: updated.specialties, p: updated.pools } };
    });
    expect(result.sorted).toHaveLength(4);
    expect(new Set(result.sorted)).toEqual(new Set(["法律", "财务", "审计", "信息技术"]));
    expect(result.inserted).toEqual({ s: result.sorted, p: ["leader", "talent", "expert"] });
    expect(result.updated.p).toEqual(["talent", "expert"]);
    expect(new Set(result.updated.s)).toEqual(new Set(["审计", "工程"]));
    expect(result.updated.s).toHaveLength(2);
    expect(result.updated.s).toEqual([...result.updated.s].sort());
  });

  it("a cadre's pools hold only pools: a NULL element is rejected (23514) or dropped, never stored", async () => {
    const result = await asUser(DEMO.countyDaoli, (tx) =>
      probe(tx, async (sp) => {
        const [row] = await sp<{ pools: string[]; hasNull: boolean }[]>`
          insert into public.cadres (org_id, name, home_unit, pools)
          values (${f.org.daoli}, '测试干部', '测试原单位', array['leader', null]::public.cadre_pool[])
          returning array_remove(pools, null)::text[] as pools, array_position(pools, null) is not null as "hasNull"`;
        return row;
      }),
    );
    if (result.state !== null) expect(result.state).toBe("23514");
    else expect(result.value).toEqual({ pools: ["leader"], hasNull: false });
  });

  it("a cadre cannot move to another pool: refused for the office, 22023 for the seeding job; it stays", async () => {
    const byOffice = await asUserWithPools(DEMO.countyDaoli, async (tx, p) => ({
      codes: {
        "to 南岗 (sibling)": await attempt(tx, (sp) => sp`update public.cadres set org_id = ${f.org.nangang} where id = ${p.daoli.cadre}`),
        "to 哈尔滨 (parent)": await attempt(tx, (sp) => sp`update public.cadres set org_id = ${f.org.city} where id = ${p.daoli.cadre}`),
        "to 浙江": await attempt(tx, (sp) => sp`update public.cadres set org_id = ${f.org.otherProvince} where id = ${p.daoli.cadre}`),
        "to the same org": await attempt(tx, (sp) => sp`update public.cadres set org_id = ${f.org.daoli} where id = ${p.daoli.cadre}`),
      },
      org: (await tx<{ org: number }[]>`select org_id as org from public.cadres where id = ${p.daoli.cadre}`)[0].org,
    }));
    // The office meets the early 42501 (it cannot write the target pool) or the move check itself.
    for (const [what, code] of Object.entries(byOffice.codes)) {
      expect(code, what).toMatch(what === "to the same org" ? /^rows:1$/ : /^(22023|42501)$/);
    }
    expect(byOffice.org).toBe(f.org.daoli);

    const bySeed = await ownerRolledBack(async (tx) => {
      const [cadre] = await insertCadre(tx, f.org.daoli);
      return [
        await sqlState(tx, (sp) => sp`update public.cadres set org_id = ${f.org.nangang} where id = ${cadre.id}`),
        await sqlState(tx, (sp) => sp`update public.cadres set org_id = ${f.org.otherProvince} where id = ${cadre.id}`),
      ];
    });
    expect(bySeed).toEqual(["22023", "22023"]);
  });

  it("a cadre's user account is unique across pools (23505); another account or none is fine", async () => {
    const codes = await ownerRolledBack(async (tx) => {
      const [u1, u2] = [randomUUID(), randomUUID()];
      for (const id of [u1, u2]) {
        await tx`
          insert into auth.users (instance_id, id, aud, role, email, created_at, updated_at)
          values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated',
                  ${`cadre.${id}@fixture.invalid`}, now(), now())`;
      }
      const [other] = await insertCadre(tx, f.org.daoli);
      await enterRequestContext(tx, await claimsFor(DEMO.countyDaoli));
      const first = await attempt(tx, (sp) => insertCadre(sp, f.org.daoli, { userId: u1 }));
      await insertCadre(tx, f.org.daoli, { userId: u1 });
      return {
        first,
        "insert with a taken account": await attempt(tx, (sp) => insertCadre(sp, f.org.daoli, { userId: u1, name: "另一干部" })),
        "update to a taken account": await attempt(tx, (sp) => sp`update public.cadres set user_id = ${u1} where id = ${other.id}`),
        "another account": await attempt(tx, (sp) => insertCadre(sp, f.org.daoli, { userId: u2 })),
        "no account, twice": await attempt(tx, async (sp) => {
          await insertCadre(sp, f.org.daoli, { userId: null });
          return insertCadre(sp, f.org.daoli, { userId: null });
        }),
      };
    });
    expect(codes).toEqual({
      first: "rows:1",
      "insert with a taken account": "23505",
      "update to a taken account": "23505",
      "another account": "rows:1",
      "no account, twice": "rows:1",
    });
  });
});

// ---------------------------------------------------------------- the conflicts view

describe("cadre_unit_conflicts: recorded and derived conflicts", () => {
  interface ViewRow {
    unit: number;
    reason: string;
    source: string;
    note: string | null;
  }
  const viewOf = (tx: Tx, cadreId: number) =>
    tx<ViewRow[]>`
      select unit_id::int as unit, reason::text as reason, source, note
        from public.cadre_unit_conflicts where cadre_id = ${cadreId}
       order by source, unit_id, reason, note`;

  /** As 道里's staff: a cadre with history of every age and two recorded conflicts. */
  async function daoliCadre(tx: Tx) {
    const [cadre] = await insertCadre(tx, f.org.daoli, { name: "王建国" });
    const u1 = f.unit.daoli;
    const u2 = secondDaoliUnit;
    const history = {
      recent: (await insertHistory(tx, cadre.id, { unitId: u1, unitName: "近年单位", post: "副局长", to: { yearsAgo: 1 } }))[0].id,
      open: (await insertHistory(tx, cadre.id, { unitId: u2, unitName: "现任单位", post: null, from: "2010-03-01", to: null }))[0].id,
      justInside: (await insertHistory(tx, cadre.id, { unitId: f.unit.city, unitName: "五年内单位", to: { yearsAgo: 5, daysLater: 1 } }))[0].id,
      justOutside: (await insertHistory(tx, cadre.id, { unitId: f.unit.province, unitName: "五年前单位", to: { yearsAgo: 5, daysAgo: 1 } }))[0].id,
      longAgo: (await insertHistory(tx, cadre.id, { unitId: u2, unitName: "早年单位", from: "1995-01-01", to: "2001-06-30" }))[0].id,
      noUnit: (await insertHistory(tx, cadre.id, { unitId: null, unitName: "外省某单位", to: null }))[0].id,
    };
    await insertConflict(tx, cadre.id, u1, { reason: "relative", note: "配偶在该单位任职" });
    await insertConflict(tx, cadre.id, f.unit.province, { reason: "other", note: null });
    return { cadre: cadre.id, history, u1, u2 };
  }

  it("shows recorded conflicts (any age) and work history with a unit ended within five years or still open; not older history or history without a unit", async () => {
    const got = await asUser(DEMO.countyDaoli, async (tx) => {
      const c = await daoliCadre(tx);
      return { c, rows: await viewOf(tx, c.cadre) };
    });
    const { c } = got;
    const expected: ViewRow[] = [
      { unit: c.u1, reason: "relative", source: "recorded", note: "配偶在该单位任职" },
      { unit: f.unit.province, reason: "other", source: "recorded", note: null },
      { unit: c.u1, reason: "worked_there", source: "work_history", note: "近年单位，副局长" },
      { unit: c.u2, reason: "worked_there", source: "work_history", note: "现任单位" },
      { unit: f.unit.city, reason: "worked_there", source: "work_history", note: "五年内单位，副主任" },
    ];
    const order = (rows: ViewRow[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(order(got.rows)).toEqual(order(expected));
  });

  it("follows the history: ending a job long ago removes its derived conflict, reopening it adds it back, deleting it removes it", async () => {
    const got = await asUser(DEMO.countyDaoli, async (tx) => {
      const c = await daoliCadre(tx);
      const derivedUnits = async () =>
        (await viewOf(tx, c.cadre)).filter((r) => r.source === "work_history").map((r) => r.note).sort();
      const before = await derivedUnits();
      await tx`update public.cadre_work_history set to_date = '2015-12-31' where id = ${c.history.recent}`;
      const ended = await derivedUnits();
      await tx`update public.cadre_work_history set to_date = null where id = ${c.history.longAgo}`;
      const reopened = await derivedUnits();
      await tx`delete from public.cadre_work_history where id = ${c.history.open}`;
      const deleted = await derivedUnits();
      return { before, ended, reopened, deleted };
    });
    expect(got).toEqual({
      before: ["五年内单位，副主任", "现任单位", "近年单位，副局长"],
      ended: ["五年内单位，副主任", "现任单位"],
      reopened: ["五年内单位，副主任", "早年单位，副主任", "现任单位"],
      deleted: ["五年内单位，副主任", "早年单位，副主任"],
    });
  });

  it("shows a cadre's conflicts only to offices that read the cadre: 道里 and its ancestors, not 南岗, 齐齐哈尔, 浙江 or the administrators", async () => {
    const seen = await ownerRolledBack(async (tx) => {
      // 道里's staff write the cadre, then each reader looks at the same rows.
      await enterRequestContext(tx, await claimsFor(DEMO.countyDaoli));
      const c = await daoliCadre(tx);
      const out: Record<string, number> = {};
      for (const [label, email, membership] of [
        ["道里", DEMO.countyDaoli, undefined],
        ["哈尔滨", DEMO.city, undefined],
        ["黑龙江", DEMO.province, undefined],
        ["黑龙江 staff (李明)", DEMO.city, PROVINCE_STAFF],
        ["leadership", DEMO.leadership, undefined],
        ["南岗", DEMO.countyNangang, undefined],
        ["齐齐哈尔", DEMO.otherCity, undefined],
        ["浙江", DEMO.otherProvince, undefined],
        ["system_admin", DEMO.systemAdmin, undefined],
        ["audit_admin", DEMO.auditAdmin, undefined],
      ] as const) {
        await actAsUser(tx, email, membership);
        out[label] = (await viewOf(tx, c.cadre)).length;
      }
      return out;
    });
    expect(seen).toEqual({
      道里: 5,
      哈尔滨: 5,
      黑龙江: 5,
      "黑龙江 staff (李明)": 5,
      leadership: 5,
      南岗: 0,
      齐齐哈尔: 0,
      浙江: 0,
      system_admin: 0,
      audit_admin: 0,
    });
  });
});

// ---------------------------------------------------------------- leftovers

describe("cadre pools: nothing is left behind", () => {
  it("no cadre, history row, conflict or account written by these tests or the matrix was committed", async () => {
    const [row] = await ownerSql()<{ cadres: number; history: number; conflicts: number; users: number }[]>`
      select (select count(*)::int from public.cadres where home_unit in ('测试原单位', '矩阵测试原单位')) as cadres,
             (select count(*)::int from public.cadre_work_history where unit_name like '%测试%') as history,
             (select count(*)::int from public.cadre_conflicts where note like '%测试%') as conflicts,
             (select count(*)::int from auth.users where email like 'cadre.%@fixture.invalid') as users`;
    expect(row).toEqual({ cadres: 0, history: 0, conflicts: 0, users: 0 });
  });
});
