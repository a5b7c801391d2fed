import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { asUser, claimsFor, closeTestSql, DEMO, ownerSql, sqlState, userId } from "./support/db";
import { actAsUser, fixtures, keysOf, OFFICE_USERS, ORG, ORG_KEYS, type Fixtures, type OrgKey, PROVINCE_STAFF, EVERY_ACTOR } from "./support/fixtures";
import { asUserOverFixtures, probe } from "./support/matrix-harness";

/**
 * Terms (届) and rounds (轮次): who reads and writes them, the status workflow (only the
 * director approves), the status history the database keeps, and the plan's integrity.
 * Every write happens in a transaction that is rolled back.
 */

afterAll(closeTestSql);

const STEPS = ["draft", "submitted", "approved", "stationed", "reporting", "feedback", "rectification", "closed"] as const;
type Status = (typeof STEPS)[number];
/** The workflow: one step forward, or a submitted round back to draft. Everything else is refused. */
const MOVES = new Set([
  "draft→submitted",
  "submitted→draft",
  "submitted→approved",
  "approved→stationed",
  "stationed→reporting",
  "reporting→feedback",
  "feedback→rectification",
  "rectification→closed",
]);

type Membership = { regionCode: string; role: string };

interface SeededTerm {
  id: number;
  name: string;
  startYear: number;
  endYear: number;
}
interface SeededRound {
  id: number;
  number: number;
  year: number;
  status: Status;
}

let f: Fixtures;
/** The demo's terms and rounds per fixture org (siblingCity has none), read once through the owner. */
const seededTerm: Partial<Record<OrgKey, SeededTerm>> = {};
const seededRounds = Object.fromEntries(ORG_KEYS.map((k) => [k, [] as SeededRound[]])) as Record<OrgKey, SeededRound[]>;
/** ancestor org key -> depth, per fixture org (self excluded). */
const ancestors = Object.fromEntries(ORG_KEYS.map((k) => [k, new Map<OrgKey, number>()])) as Record<OrgKey, Map<OrgKey, number>>;

beforeAll(async () => {
  f = await fixtures();
  const sql = ownerSql();
  const keyOf = (code: string) => ORG_KEYS.find((k) => ORG[k] === code);
  const terms = await sql<(SeededTerm & { code: string })[]>`
    select t.id::int as id, t.name, t.start_year as "startYear", t.end_year as "endYear", o.region_code as code
      from public.terms t join public.orgs o on o.id = t.org_id order by t.id`;
  for (const { code, ...t } of terms) {
    const k = keyOf(code);
    if (k && !seededTerm[k]) seededTerm[k] = t;
  }
  const rounds = await sql<(SeededRound & { code: string })[]>`
    select r.id::int as id, r.number, r.year, r.status::text as status, o.region_code as code
      from public.rounds r join public.orgs o on o.id = r.org_id order by r.org_id, r.number`;
  for (const { code, ...r } of rounds) {
    const k = keyOf(code);
    if (k) seededRounds[k].push(r);
  }
  const closure = await sql<{ a: number; d: number; depth: number }[]>`
    select ancestor_id as a, descendant_id as d, depth from public.org_closure
     where depth > 0 and ancestor_id = any(${Object.values(f.org)}::int[]) and descendant_id = any(${Object.values(f.org)}::int[])`;
  for (const c of closure) ancestors[keysOf(f, "org", [c.d])[0]].set(keysOf(f, "org", [c.a])[0], c.depth);
});

/** Where fixture org `x` sits relative to `own`. */
function relation(own: OrgKey, x: OrgKey): string {
  if (x === own) return "own";
  const down = ancestors[x].get(own);
  if (down !== undefined) return down === 1 ? "child" : "grandchild";
  const up = ancestors[own].get(x);
  if (up !== undefined) return up === 1 ? "parent" : "grandparent";
  const sameProvince = [...ancestors[x].keys(), x].some((a) => a === "province") === [...ancestors[own].keys(), own].some((a) => a === "province");
  return sameProvince ? "sibling/cousin" : "other province";
}

// ---------------------------------------------------------------- helpers

/** Runs one statement in a savepoint that is always rolled back: its SQLSTATE, or `rows:N`. */
async function attempt(tx: Tx, run: (sp: Tx) => Promise<{ count: number }>): Promise<string> {
  const r = await probe(tx, async (sp) => (await run(sp)).count);
  return r.state ?? `rows:${r.value}`;
}

interface RoundRow {
  id: number;
  status: Status;
  province_id: number;
  created_by: string | null;
  status_changed_by: string | null;
}

/** A new round (as the acting user). The number defaults to the term's next free one. */
function insertRound(
  tx: Tx,
  orgId: number,
  termId: number,
  o: { year?: number; number?: number; kind?: string; theme?: string | null; status?: string; createdBy?: string; provinceId?: number } = {},
) {
  const year = o.year ?? 2026;
  return tx<RoundRow[]>`
    insert into public.rounds (org_id, term_id, year, number, kind, theme, planned_start, planned_end,
                               status, created_by, status_changed_by, province_id)
    values (${orgId}, ${termId}, ${year},
            coalesce(${o.number ?? null}::int,
                     (select coalesce(max(r.number), 0) + 1 from public.rounds r where r.term_id = ${termId})),
            ${o.kind ?? "regular"}, ${o.theme ?? null}, ${`${year}-03-01`}, ${`${year}-04-30`},
            ${o.status ?? "draft"}, ${o.createdBy ?? null}, ${o.createdBy ?? null}, ${o.provinceId ?? orgId})
    returning id::int as id, status::text as status, province_id, created_by, status_changed_by`;
}

function insertTerm(tx: Tx, orgId: number, o: { name?: string; start?: number; end?: number; provinceId?: number; createdBy?: string } = {}) {
  return tx<{ id: number; province_id: number; created_by: string | null }[]>`
    insert into public.terms (org_id, name, start_year, end_year, province_id, created_by)
    values (${orgId}, ${o.name ?? `测试届${Math.random().toString(36).slice(2, 8)}`}, ${o.start ?? 2022}, ${o.end ?? 2026},
            ${o.provinceId ?? orgId}, ${o.createdBy ?? null})
    returning id::int as id, province_id, created_by`;
}

function setStatus(tx: Tx, roundId: number, status: string) {
  return tx`update public.rounds set status = ${status} where id = ${roundId}`;
}

/** Moves the round forward step by step (the acting user must be allowed each step). */
async function walkTo(tx: Tx, roundId: number, target: Status) {
  const [{ status }] = await tx<{ status: Status }[]>`select status::text as status from public.rounds where id = ${roundId}`;
  for (const step of STEPS.slice(STEPS.indexOf(status) + 1, STEPS.indexOf(target) + 1)) {
    const r = await setStatus(tx, roundId, step);
    if (r.count !== 1) throw new Error(`walking round ${roundId} to ${step}: ${r.count} rows`);
  }
}

/** A new round of the province office at `status`, walked there by the province director. */
async function provinceRoundAt(tx: Tx, status: Status): Promise<number> {
  await actAsUser(tx, DEMO.province);
  const [row] = await insertRound(tx, f.org.province, seededTerm.province!.id);
  await walkTo(tx, row.id, status);
  return row.id;
}

async function historyOf(tx: Tx, roundId: number) {
  return tx<{ from: string | null; to: string; by: string | null }[]>`
    select from_status::text as "from", to_status::text as "to", changed_by as by
      from public.round_status_history where round_id = ${roundId} order by id`;
}

interface OrgPlanning {
  org: number;
  term: number;
  /** A draft round written for the test (the demo's rounds are left as they are). */
  round: number;
  /** A submitted round written for the test. */
  submitted: number;
  /** The latest history row of `submitted` (draft→submitted), written by the database. */
  history: number;
}
type Planning = Record<OrgKey, OrgPlanning>;

/**
 * Owner-side fixtures in the rolled-back transaction: a term in every fixture org (the
 * demo's where it has one; 齐齐哈尔 has none) and a draft and a submitted round in each.
 */
async function planningEverywhere(owner: Tx): Promise<Planning> {
  const out = {} as Planning;
  for (const k of ORG_KEYS) {
    const term = seededTerm[k]?.id ?? (await insertTerm(owner, f.org[k], { name: "测试十五届" }))[0].id;
    const [round] = await insertRound(owner, f.org[k], term, { number: 95 });
    const [submitted] = await insertRound(owner, f.org[k], term, { number: 96 });
    await setStatus(owner, submitted.id, "submitted");
    const [history] = await owner<{ id: number }[]>`
      select max(id)::int as id from public.round_status_history where round_id = ${submitted.id}`;
    out[k] = { org: f.org[k], term, round: round.id, submitted: submitted.id, history: history.id };
  }
  return out;
}

/** Runs `fn` as `email` over planning rows in every fixture org; everything is rolled back. */
async function asUserWithPlanning<T>(email: string, fn: (tx: Tx, p: Planning) => Promise<T>, membership?: Membership) {
  return asUserOverFixtures(await claimsFor(email, membership), planningEverywhere, fn);
}

/**
 * The fixture orgs whose rows of `table` the user sees. Rows of any other org are an error,
 * except, when `ownProvince` is given, those of offices of that province that are not
 * fixtures (浙江's city and county offices, for 浙江's own director).
 */
async function orgKeysIn(tx: Tx, table: string, ownProvince?: number): Promise<OrgKey[]> {
  const rows = await tx.unsafe<{ org_id: number; province_id: number | null }[]>(
    `select distinct t.org_id, o.province_id from ${table} t left join public.orgs o on o.id = t.org_id`);
  const fixture = new Set<number>(Object.values(f.org));
  const counted = rows.filter((r) => fixture.has(r.org_id) || ownProvince === undefined || r.province_id !== ownProvince);
  const keys = keysOf(f, "org", counted.map((r) => r.org_id));
  if (keys.length !== counted.length) throw new Error(`${table}: rows of non-fixture orgs are visible`);
  return keys;
}

// ---------------------------------------------------------------- the demo's figures

describe("rounds: the seeded demo", () => {
  async function seen(email: string, membership?: Membership) {
    return asUser(
      email,
      async (tx) => {
        const byOrg = await tx<{ code: string; n: number }[]>`
          select o.region_code as code, count(*)::int as n
            from public.rounds r join public.orgs o on o.id = r.org_id group by o.region_code order by o.region_code`;
        const [{ rounds }] = await tx<{ rounds: number }[]>`select count(*)::int as rounds from public.rounds`;
        const [{ terms }] = await tx<{ terms: number }[]>`select count(*)::int as terms from public.terms`;
        return { rounds, terms, byOrg: Object.fromEntries(byOrg.map((r) => [r.code, r.n])) };
      },
      membership,
    );
  }

  it("the province office sees its own 10 rounds and its descendants' (city 6, 道里 2, 南岗 1): 19, none of 浙江's", async () => {
    expect(await seen(DEMO.province)).toEqual({
      rounds: 19,
      terms: 4,
      byOrg: { "230000": 10, "230100": 6, "230102": 2, "230103": 1 },
    });
  });

  it("道里 sees only its own 2 rounds and its own term", async () => {
    expect(await seen(DEMO.countyDaoli)).toEqual({ rounds: 2, terms: 1, byOrg: { "230102": 2 } });
  });

  it("哈尔滨 sees its 6 and its counties' 3; 南岗 its 1; 齐齐哈尔 none; 浙江 its own 6 and its local offices'", async () => {
    expect(await seen(DEMO.city)).toEqual({ rounds: 9, terms: 3, byOrg: { "230100": 6, "230102": 2, "230103": 1 } });
    expect(await seen(DEMO.countyNangang)).toEqual({ rounds: 1, terms: 1, byOrg: { "230103": 1 } });
    expect(await seen(DEMO.otherCity)).toEqual({ rounds: 0, terms: 0, byOrg: {} });
    // 浙江: its own 6, and the 2 rounds each of its 19 local offices of seed 003 (supabase/seed/zhejiang.ts).
    const zj = await seen(DEMO.otherProvince);
    expect(zj).toMatchObject({ rounds: 6 + 19 * 2, terms: 1 + 19 });
    expect(zj.byOrg["330000"]).toBe(6);
    expect(Object.keys(zj.byOrg).every((code) => code.startsWith("33")), "nothing of 黑龙江").toBe(true);
  });

  it("leadership sees the province's 19; the system and audit administrators see none", async () => {
    expect((await seen(DEMO.leadership)).rounds).toBe(19);
    expect(await seen(DEMO.systemAdmin)).toEqual({ rounds: 0, terms: 0, byOrg: {} });
    expect(await seen(DEMO.auditAdmin)).toEqual({ rounds: 0, terms: 0, byOrg: {} });
  });

  it("the province's rounds are 第1–10轮 of 十三届省委 (2022–2026)", () => {
    expect(seededTerm.province).toMatchObject({ name: "十三届省委", startYear: 2022, endYear: 2026 });
    expect(seededRounds.province.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(seededRounds.siblingCity).toEqual([]);
  });

  it("every seeded round's history, as the offices read it, walks the workflow step by step from draft to its status", async () => {
    const check = (email: string) =>
      asUser(email, async (tx) => {
        const rounds = await tx<{ id: number; status: Status }[]>`select id::int as id, status::text as status from public.rounds order by id`;
        const wrong: string[] = [];
        for (const r of rounds) {
          const steps = STEPS.slice(0, STEPS.indexOf(r.status) + 1);
          const expected = steps.map((to, i) => ({ from: i === 0 ? null : steps[i - 1], to }));
          const got = (await historyOf(tx, r.id)).map(({ from, to }) => ({ from, to }));
          if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`round ${r.id}: ${JSON.stringify(got)}`);
        }
        return { rounds: rounds.length, wrong };
      });
    expect(await check(DEMO.province)).toEqual({ rounds: 19, wrong: [] });
    expect(await check(DEMO.otherProvince)).toEqual({ rounds: 6 + 19 * 2, wrong: [] });
  });
});

// ---------------------------------------------------------------- reads

describe("terms, rounds and history: who reads what", () => {
  /** Which fixture orgs' terms, rounds and history rows the user sees (with rows in every fixture org). */
  function visible(email: string, membership?: Membership, ownProvince?: number) {
    return asUserWithPlanning(
      email,
      async (tx) => ({
        terms: await orgKeysIn(tx, "public.terms", ownProvince),
        rounds: await orgKeysIn(tx, "public.rounds", ownProvince),
        history: await orgKeysIn(tx, "public.round_status_history", ownProvince),
      }),
      membership,
    );
  }
  const all = (keys: OrgKey[]) => ({ terms: keys, rounds: keys, history: keys });

  it("a province office reads its own, its cities' and counties' plans, 齐齐哈尔's included, and none of 浙江's", async () => {
    expect(await visible(DEMO.province)).toEqual(all(["province", "city", "daoli", "nangang", "siblingCity"]));
  });

  it("a city office reads its own and its counties', not its province's, a sibling city's or another province's", async () => {
    expect(await visible(DEMO.city)).toEqual(all(["city", "daoli", "nangang"]));
  });

  it("a county office reads only its own, not its sibling county's, its city's or its province's", async () => {
    expect(await visible(DEMO.countyDaoli)).toEqual(all(["daoli"]));
    expect(await visible(DEMO.countyNangang)).toEqual(all(["nangang"]));
  });

  it("a sibling city reads only its own; another province only its own", async () => {
    expect(await visible(DEMO.otherCity)).toEqual(all(["siblingCity"]));
    // 浙江's director also reads his own cities' and counties' plans (not fixtures), nothing of 黑龙江.
    expect(await visible(DEMO.otherProvince, undefined, f.org.otherProvince)).toEqual(all(["otherProvince"]));
  });

  it("leadership reads the whole province subtree", async () => {
    expect(await visible(DEMO.leadership)).toEqual(all(["province", "city", "daoli", "nangang", "siblingCity"]));
  });

  it("system and audit administrators read no plans at all", async () => {
    expect(await visible(DEMO.systemAdmin)).toEqual(all([]));
    expect(await visible(DEMO.auditAdmin)).toEqual(all([]));
  });

  it("switching to the province membership widens the city director's view to the province", async () => {
    expect(await visible(DEMO.city, PROVINCE_STAFF)).toEqual(all(["province", "city", "daoli", "nangang", "siblingCity"]));
  });
});

// ---------------------------------------------------------------- writes

describe("terms and rounds: who writes where", () => {
  const WRITE_ACTORS: { label: string; email: string; membership?: Membership; org: OrgKey; writes: boolean }[] = [
    ...OFFICE_USERS.map(([email, org]) => ({ label: email, email, org, writes: true })),
    { label: "hrb.director as province staff", email: DEMO.city, membership: PROVINCE_STAFF, org: "province", writes: true },
    { label: "leadership", email: DEMO.leadership, org: "province", writes: false },
    { label: "system_admin", email: DEMO.systemAdmin, org: "province", writes: false },
    { label: "audit_admin", email: DEMO.auditAdmin, org: "province", writes: false },
  ];

  it.each(WRITE_ACTORS)("$label: adds and edits terms and rounds in its own org only (insert 42501, update 0 rows elsewhere)", async (actor) => {
    const got = await asUserWithPlanning(
      actor.email,
      async (tx, p) => {
        const out: Record<string, Record<string, string>> = {};
        for (const k of ORG_KEYS) {
          out[`${k} [${relation(actor.org, k)}]`] = {
            "insert term": await attempt(tx, (sp) => insertTerm(sp, p[k].org)),
            "update term": await attempt(tx, (sp) => sp`update public.terms set name = name where id = ${p[k].term}`),
            "insert round": await attempt(tx, (sp) => insertRound(sp, p[k].org, p[k].term, { number: 99 })),
            "update round": await attempt(tx, (sp) => sp`update public.rounds set theme = '改过的主题' where id = ${p[k].round}`),
          };
        }
        return out;
      },
      actor.membership,
    );
    const expected = Object.fromEntries(
      ORG_KEYS.map((k) => {
        const own = actor.writes && k === actor.org;
        return [
          `${k} [${relation(actor.org, k)}]`,
          own
            ? { "insert term": "rows:1", "update term": "rows:1", "insert round": "rows:1", "update round": "rows:1" }
            : { "insert term": "42501", "update term": "rows:0", "insert round": "42501", "update round": "rows:0" },
        ];
      }),
    );
    expect(got).toEqual(expected);
  });

  it("a province office reads a child's round but cannot edit or advance it (0 rows), and it stays as it was", async () => {
    const result = await asUserWithPlanning(DEMO.province, async (tx, p) => ({
      edit: await attempt(tx, (sp) => sp`update public.rounds set theme = '省里改的' where id = ${p.city.round}`),
      advance: await attempt(tx, (sp) => setStatus(sp, p.city.round, "submitted")),
      row: (await tx<{ status: string; theme: string | null }[]>`select status::text as status, theme from public.rounds where id = ${p.city.round}`)[0],
    }));
    expect(result).toEqual({ edit: "rows:0", advance: "rows:0", row: { status: "draft", theme: null } });
  });

  it("nobody deletes a term, a round or a status history row (42501 for every role, own rows included)", async () => {
    for (const [label, email, membership] of EVERY_ACTOR) {
      const codes = await asUserWithPlanning(
        email,
        async (tx, p) => {
          const out: Record<string, string> = {};
          for (const k of ["province", "city", "daoli", "otherProvince"] as const) {
            out[`term ${k}`] = await attempt(tx, (sp) => sp`delete from public.terms where id = ${p[k].term}`);
            out[`round ${k}`] = await attempt(tx, (sp) => sp`delete from public.rounds where id = ${p[k].round}`);
            out[`history ${k}`] = await attempt(tx, (sp) => sp`delete from public.round_status_history where round_id = ${p[k].round}`);
          }
          out["truncate rounds"] = await attempt(tx, (sp) => sp`truncate public.rounds cascade`);
          return out;
        },
        membership,
      );
      expect(Object.values(codes).every((c) => c === "42501"), `${label}: ${JSON.stringify(codes)}`).toBe(true);
    }
  });

  it("leadership, system and audit administrators cannot plan, edit or advance even their own org's rounds", async () => {
    for (const email of [DEMO.leadership, DEMO.systemAdmin, DEMO.auditAdmin]) {
      const codes = await asUserWithPlanning(email, async (tx, p) => [
        await attempt(tx, (sp) => insertTerm(sp, p.province.org)),
        await attempt(tx, (sp) => insertRound(sp, p.province.org, p.province.term)),
        await attempt(tx, (sp) => sp`update public.terms set end_year = end_year where id = ${p.province.term}`),
        await attempt(tx, (sp) => sp`update public.rounds set theme = '领导改的' where id = ${p.province.round}`),
        await attempt(tx, (sp) => setStatus(sp, p.province.submitted, "approved")),
        await attempt(tx, (sp) => setStatus(sp, p.province.round, "submitted")),
      ]);
      expect(codes, email).toEqual(["42501", "42501", "rows:0", "rows:0", "rows:0", "rows:0"]);
    }
  });
});

// ---------------------------------------------------------------- workflow

describe("rounds: the status workflow", () => {
  it("the director: exactly the workflow's moves succeed; skipping a step or going back (but submitted→draft) raises 23514", async () => {
    const got = await asUser(DEMO.province, async (tx) => {
      const out: Record<string, string> = {};
      for (const from of STEPS) {
        const id = await provinceRoundAt(tx, from);
        for (const to of STEPS) if (to !== from) out[`${from}→${to}`] = await attempt(tx, (sp) => setStatus(sp, id, to));
      }
      return out;
    });
    expect(Object.keys(got)).toHaveLength(56);
    expect(got).toEqual(Object.fromEntries(Object.keys(got).map((m) => [m, MOVES.has(m) ? "rows:1" : "23514"])));
  });

  it("office staff: every move of the workflow but approval succeeds; approval raises 42501; the rest 23514", async () => {
    const got = await asUser(DEMO.province, async (tx) => {
      const out: Record<string, string> = {};
      for (const from of STEPS) {
        const id = await provinceRoundAt(tx, from);
        await actAsUser(tx, DEMO.city, PROVINCE_STAFF);
        for (const to of STEPS) if (to !== from) out[`${from}→${to}`] = await attempt(tx, (sp) => setStatus(sp, id, to));
      }
      return out;
    });
    expect(got).toEqual(
      Object.fromEntries(
        Object.keys(got).map((m) => [m, m === "submitted→approved" ? "42501" : MOVES.has(m) ? "rows:1" : "23514"]),
      ),
    );
    expect(Object.keys(got)).toHaveLength(56);
  });

  it("county staff cannot approve their own office's submitted round either (42501), and it stays submitted", async () => {
    const result = await asUserWithPlanning(DEMO.countyDaoli, async (tx, p) => ({
      code: await sqlState(tx, (sp) => setStatus(sp, p.daoli.submitted, "approved")),
      status: (await tx<{ s: string }[]>`select status::text as s from public.rounds where id = ${p.daoli.submitted}`)[0].s,
      history: (await historyOf(tx, p.daoli.submitted)).length,
    }));
    expect(result).toEqual({ code: "42501", status: "submitted", history: 2 });
  });

  it("the city director approves 哈尔滨's seeded submitted round; the province director (parent) cannot (0 rows)", async () => {
    const submitted = seededRounds.city.find((r) => r.status === "submitted")!;
    expect(submitted, "the demo has a submitted city round").toBeDefined();
    const byCity = await asUser(DEMO.city, async (tx) => ({
      rows: (await setStatus(tx, submitted.id, "approved")).count,
      last: (await historyOf(tx, submitted.id)).at(-1),
    }));
    expect(byCity).toEqual({ rows: 1, last: { from: "submitted", to: "approved", by: await userId(DEMO.city) } });
    const byProvince = await asUser(DEMO.province, async (tx) => ({
      rows: (await setStatus(tx, submitted.id, "approved")).count,
      status: (await tx<{ s: string }[]>`select status::text as s from public.rounds where id = ${submitted.id}`)[0].s,
    }));
    expect(byProvince).toEqual({ rows: 0, status: "submitted" });
  });

  it("the role, not the person, approves: 李明 approves as 哈尔滨's director, not as province staff (42501)", async () => {
    const asCityDirector = await asUserWithPlanning(DEMO.city, (tx, p) => attempt(tx, (sp) => setStatus(sp, p.city.submitted, "approved")));
    const asProvinceStaff = await asUserWithPlanning(
      DEMO.city,
      (tx, p) => attempt(tx, (sp) => setStatus(sp, p.province.submitted, "approved")),
      PROVINCE_STAFF,
    );
    expect({ asCityDirector, asProvinceStaff }).toEqual({ asCityDirector: "rows:1", asProvinceStaff: "42501" });
  });

  it("a round starts as a draft: inserting any other status raises 23514", async () => {
    const codes = await asUser(DEMO.countyDaoli, async (tx) => {
      const out: string[] = [];
      for (const status of STEPS.slice(1)) {
        out.push(await attempt(tx, (sp) => insertRound(sp, f.org.daoli, seededTerm.daoli!.id, { status })));
      }
      return out;
    });
    expect(codes).toEqual(STEPS.slice(1).map(() => "23514"));
  });
});

// ---------------------------------------------------------------- history

describe("rounds: the status history", () => {
  it("the database writes exactly one history row per status change, from/to/changed_by the acting user", async () => {
    const staff = await userId(DEMO.city);
    const director = await userId(DEMO.province);
    const log = await asUser(DEMO.province, async (tx) => {
      const out: { step: string; added: number; last: unknown; changedBy: string | null; code?: string | null }[] = [];
      await actAsUser(tx, DEMO.city, PROVINCE_STAFF);
      const [row] = await insertRound(tx, f.org.province, seededTerm.province!.id);
      const record = async (step: string, code?: string | null) => {
        const history = await historyOf(tx, row.id);
        const [r] = await tx<{ by: string | null }[]>`select status_changed_by as by from public.rounds where id = ${row.id}`;
        out.push({ step, added: history.length, last: history.at(-1), changedBy: r.by, ...(code === undefined ? {} : { code }) });
      };
      await record("insert");
      const step = async (who: "staff" | "director", to: Status) => {
        if (who === "staff") await actAsUser(tx, DEMO.city, PROVINCE_STAFF);
        else await actAsUser(tx, DEMO.province);
        const code = await sqlState(tx, (sp) => setStatus(sp, row.id, to));
        await record(`${who} → ${to}`, code);
      };
      await step("staff", "submitted");
      await step("staff", "draft");
      await step("staff", "submitted");
      await step("staff", "approved"); // refused: no history row
      await step("director", "approved");
      for (const to of ["stationed", "reporting", "feedback", "rectification", "closed"] as const) await step("staff", to);
      return { out, full: await historyOf(tx, row.id) };
    });
    expect(log.out).toEqual([
      { step: "insert", added: 1, last: { from: null, to: "draft", by: staff }, changedBy: staff },
      { step: "staff → submitted", added: 2, last: { from: "draft", to: "submitted", by: staff }, changedBy: staff, code: null },
      { step: "staff → draft", added: 3, last: { from: "submitted", to: "draft", by: staff }, changedBy: staff, code: null },
      { step: "staff → submitted", added: 4, last: { from: "draft", to: "submitted", by: staff }, changedBy: staff, code: null },
      { step: "staff → approved", added: 4, last: { from: "draft", to: "submitted", by: staff }, changedBy: staff, code: "42501" },
      { step: "director → approved", added: 5, last: { from: "submitted", to: "approved", by: director }, changedBy: director, code: null },
      { step: "staff → stationed", added: 6, last: { from: "approved", to: "stationed", by: staff }, changedBy: staff, code: null },
      { step: "staff → reporting", added: 7, last: { from: "stationed", to: "reporting", by: staff }, changedBy: staff, code: null },
      { step: "staff → feedback", added: 8, last: { from: "reporting", to: "feedback", by: staff }, changedBy: staff, code: null },
      { step: "staff → rectification", added: 9, last: { from: "feedback", to: "rectification", by: staff }, changedBy: staff, code: null },
      { step: "staff → closed", added: 10, last: { from: "rectification", to: "closed", by: staff }, changedBy: staff, code: null },
    ]);
    expect(log.full.map((h) => h.to)).toEqual(["draft", "submitted", "draft", "submitted", "approved", "stationed", "reporting", "feedback", "rectification", "closed"]);
  });

  it("an update that does not change the status writes no history row, and a refused move none either", async () => {
    const counts = await asUser(DEMO.countyDaoli, async (tx) => {
      const [row] = await insertRound(tx, f.org.daoli, seededTerm.daoli!.id);
      const n = async () => (await historyOf(tx, row.id)).length;
      const before = await n();
      await tx`update public.rounds set theme = '新主题', status = 'draft' where id = ${row.id}`;
      const afterEdit = await n();
      await sqlState(tx, (sp) => setStatus(sp, row.id, "closed"));
      return { before, afterEdit, afterRefused: await n() };
    });
    expect(counts).toEqual({ before: 1, afterEdit: 1, afterRefused: 1 });
  });

  it("the client cannot choose who changed the status: status_changed_by and the history row are the acting user's", async () => {
    const me = await userId(DEMO.countyDaoli);
    const someoneElse = await userId(DEMO.province);
    const result = await asUser(DEMO.countyDaoli, async (tx) => {
      const [row] = await insertRound(tx, f.org.daoli, seededTerm.daoli!.id, { createdBy: someoneElse });
      const [after] = await tx<{ by: string; created_by: string }[]>`
        update public.rounds set status = 'submitted', status_changed_by = ${someoneElse}, created_by = ${someoneElse}
         where id = ${row.id} returning status_changed_by as by, created_by`;
      return { inserted: { created: row.created_by, changed: row.status_changed_by }, after, history: (await historyOf(tx, row.id)).map((h) => h.by) };
    });
    expect(result).toEqual({ inserted: { created: me, changed: me }, after: { by: me, created_by: me }, history: [me, me] });
  });

  it("no role inserts, updates or deletes history rows by hand (42501), not even the round's own office", async () => {
    for (const [label, email, membership] of EVERY_ACTOR) {
      const codes = await asUserWithPlanning(
        email,
        async (tx, p) => {
          const out: Record<string, string> = {};
          for (const k of ["province", "city", "daoli", "otherProvince"] as const) {
            const h = p[k].history;
            out[`insert ${k}`] = await attempt(
              tx,
              (sp) => sp`
                insert into public.round_status_history (round_id, org_id, province_id, from_status, to_status, changed_by)
                values (${p[k].submitted}, ${p[k].org}, ${f.org[k === "otherProvince" ? "otherProvince" : "province"]}, 'draft', 'closed', null)`,
            );
            out[`update ${k}`] = await attempt(tx, (sp) => sp`update public.round_status_history set to_status = 'closed' where id = ${h}`);
            out[`update all ${k}`] = await attempt(tx, (sp) => sp`update public.round_status_history set changed_by = null where org_id = ${p[k].org}`);
            out[`delete ${k}`] = await attempt(tx, (sp) => sp`delete from public.round_status_history where id = ${h}`);
          }
          out.truncate = await attempt(tx, (sp) => sp`truncate public.round_status_history`);
          return out;
        },
        membership,
      );
      const wrong = Object.entries(codes).filter(([, c]) => c !== "42501");
      expect(wrong, `${label}: history written by hand`).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------- plan integrity

/** Changes to each plan field of a round written by insertRound (year 2026, dates in March–April). */
const PLAN_CHANGES: [field: string, sql: (sp: Tx, id: number) => Promise<{ count: number }>][] = [
  ["year", (sp, id) => sp`update public.rounds set year = year - 1 where id = ${id}`],
  ["number", (sp, id) => sp`update public.rounds set number = number + 50 where id = ${id}`],
  ["kind", (sp, id) => sp`update public.rounds set kind = 'flexible' where id = ${id}`],
  ["theme", (sp, id) => sp`update public.rounds set theme = '改过的主题' where id = ${id}`],
  ["planned_start", (sp, id) => sp`update public.rounds set planned_start = planned_start - 7 where id = ${id}`],
  ["planned_end", (sp, id) => sp`update public.rounds set planned_end = planned_end + 7 where id = ${id}`],
];

describe("rounds: an approved plan is frozen", () => {
  it("a draft's year, number, kind, theme and dates can change", async () => {
    const got = await asUser(DEMO.province, async (tx) => {
      const id = await provinceRoundAt(tx, "draft");
      const out: Record<string, string> = {};
      for (const [field, change] of PLAN_CHANGES) out[field] = await attempt(tx, (sp) => change(sp, id));
      return out;
    });
    expect(got).toEqual(Object.fromEntries(PLAN_CHANGES.map(([field]) => [field, "rows:1"])));
  });

  it("from approval on (approved … closed), every plan field is frozen (23514), for the director and staff alike", async () => {
    const got = await asUser(DEMO.province, async (tx) => {
      const out: Record<string, string> = {};
      for (const status of STEPS.slice(2)) {
        const id = await provinceRoundAt(tx, status);
        for (const [who, membership] of [["director", undefined], ["staff", PROVINCE_STAFF]] as const) {
          await actAsUser(tx, who === "director" ? DEMO.province : DEMO.city, membership);
          for (const [field, change] of PLAN_CHANGES) out[`${status} ${field} by ${who}`] = await attempt(tx, (sp) => change(sp, id));
          out[`${status} no-op by ${who}`] = await attempt(tx, (sp) => sp`update public.rounds set theme = theme, year = year where id = ${id}`);
        }
      }
      return out;
    });
    expect(got).toEqual(Object.fromEntries(Object.keys(got).map((k) => [k, k.includes("no-op") ? "rows:1" : "23514"])));
    expect(Object.keys(got)).toHaveLength(6 * 2 * (PLAN_CHANGES.length + 1));
  });

  it("the seeded closed rounds' plans are frozen too", async () => {
    const closed = seededRounds.province.find((r) => r.status === "closed")!;
    const code = await asUser(DEMO.province, (tx) => attempt(tx, (sp) => sp`update public.rounds set theme = '事后改' where id = ${closed.id}`));
    expect(code).toBe("23514");
  });

  it("nor can a plan field change together with a status step (approved→stationed, rectification→closed)", async () => {
    const got = await asUser(DEMO.province, async (tx) => {
      const approved = await provinceRoundAt(tx, "approved");
      const rectification = await provinceRoundAt(tx, "rectification");
      return {
        "approved→stationed with year": await attempt(tx, (sp) => sp`update public.rounds set status = 'stationed', year = year - 1 where id = ${approved}`),
        "approved→stationed with theme": await attempt(tx, (sp) => sp`update public.rounds set status = 'stationed', theme = '改过的主题' where id = ${approved}`),
        "rectification→closed with dates": await attempt(
          tx,
          (sp) => sp`update public.rounds set status = 'closed', planned_start = planned_start - 30, planned_end = planned_end + 30 where id = ${rectification}`,
        ),
      };
    });
    expect(got).toEqual({
      "approved→stationed with year": "23514",
      "approved→stationed with theme": "23514",
      "rectification→closed with dates": "23514",
    });
  });
});

describe("terms and rounds: integrity", () => {
  it("a round in another org's term is rejected (23503): a sibling's, its city's, another province's", async () => {
    const codes = await asUser(DEMO.countyDaoli, async (tx) => [
      await attempt(tx, (sp) => insertRound(sp, f.org.daoli, seededTerm.nangang!.id)),
      await attempt(tx, (sp) => insertRound(sp, f.org.daoli, seededTerm.city!.id, { year: 2025 })),
      await attempt(tx, (sp) => insertRound(sp, f.org.daoli, seededTerm.otherProvince!.id)),
    ]);
    expect(codes).toEqual(["23503", "23503", "23503"]);
  });

  it("the term check does not reveal whether a foreign term exists", async () => {
    const messages = await asUser(DEMO.countyDaoli, async (tx) => {
      const message = async (term: number) => {
        try {
          await tx.savepoint((sp) => insertRound(sp as Tx, f.org.daoli, term));
          return "ok";
        } catch (error) {
          return `${(error as { code?: string }).code}: ${(error as Error).message}`;
        }
      };
      return [await message(seededTerm.nangang!.id), await message(2_000_000_000)];
    });
    expect(messages[0]).toMatch(/^23503/);
    expect(messages[0]).toBe(messages[1]);
  });

  it("a round written into an org the office cannot write answers 42501 whatever the term (no oracle on foreign terms' org or years)", async () => {
    // 浙江 cannot read 黑龙江's terms; the term checks must not tell it which org a term
    // belongs to or which years it spans (the trigger runs before the RLS check).
    const province = seededTerm.province!;
    const codes = await asUser(DEMO.otherProvince, async (tx) => ({
      "黑龙江's term, a year inside it": await attempt(tx, (sp) => insertRound(sp, f.org.province, province.id, { number: 99, year: province.startYear })),
      "黑龙江's term, a year after it": await attempt(tx, (sp) => insertRound(sp, f.org.province, province.id, { number: 99, year: province.endYear + 4 })),
      "哈尔滨's term": await attempt(tx, (sp) => insertRound(sp, f.org.province, seededTerm.city!.id, { number: 99 })),
      "no such term": await attempt(tx, (sp) => insertRound(sp, f.org.province, 2_000_000_000, { number: 99 })),
    }));
    expect(codes).toEqual({
      "黑龙江's term, a year inside it": "42501",
      "黑龙江's term, a year after it": "42501",
      "哈尔滨's term": "42501",
      "no such term": "42501",
    });
  });

  it("a round's year must lie within its term (23514), on insert and on update", async () => {
    const codes = await asUser(DEMO.countyDaoli, async (tx) => {
      const term = seededTerm.daoli!;
      const [row] = await insertRound(tx, f.org.daoli, term.id, { year: term.endYear });
      return [
        await attempt(tx, (sp) => insertRound(sp, f.org.daoli, term.id, { year: term.startYear - 1 })),
        await attempt(tx, (sp) => insertRound(sp, f.org.daoli, term.id, { year: term.endYear + 1 })),
        await attempt(tx, (sp) => sp`update public.rounds set year = ${term.endYear + 1} where id = ${row.id}`),
        await attempt(tx, (sp) => insertRound(sp, f.org.daoli, term.id, { year: term.startYear })),
      ];
    });
    expect(codes).toEqual(["23514", "23514", "23514", "rows:1"]);
  });

  it("the number is unique within a term (23505), but the same number in another term is fine", async () => {
    const codes = await asUser(DEMO.countyDaoli, async (tx) => {
      const [other] = await insertTerm(tx, f.org.daoli, { name: "十六届区委", start: 2027, end: 2031 });
      return [
        await attempt(tx, (sp) => insertRound(sp, f.org.daoli, seededTerm.daoli!.id, { number: seededRounds.daoli[0].number })),
        await attempt(tx, (sp) => insertRound(sp, f.org.daoli, other.id, { number: seededRounds.daoli[0].number, year: 2027 })),
      ];
    });
    expect(codes).toEqual(["23505", "rows:1"]);
    expect(seededRounds.daoli[0].number).toBe(1);
  });

  it("a round cannot move to another term of its org (22023) or to another org (rejected), and stays put", async () => {
    const result = await asUser(DEMO.countyDaoli, async (tx) => {
      const [other] = await insertTerm(tx, f.org.daoli, { name: "十六届区委", start: 2022, end: 2026 });
      const id = seededRounds.daoli[1].id;
      return {
        term: await attempt(tx, (sp) => sp`update public.rounds set term_id = ${other.id} where id = ${id}`),
        org: await attempt(tx, (sp) => sp`update public.rounds set org_id = ${f.org.nangang} where id = ${id}`),
        orgAndTerm: await attempt(tx, (sp) => sp`update public.rounds set org_id = ${f.org.nangang}, term_id = ${seededTerm.nangang!.id} where id = ${id}`),
        row: (await tx<{ org: number; term: number }[]>`select org_id as org, term_id::int as term from public.rounds where id = ${id}`)[0],
      };
    });
    // Moving within the org is refused as such; a move to another org may be refused by
    // the term check, the move check or the policy (which one answers is not the point).
    expect(result.term).toBe("22023");
    expect(result.org).toMatch(/^(22023|23503|42501)$/);
    expect(result.orgAndTerm).toMatch(/^(22023|23503|42501)$/);
    expect(result.row).toEqual({ org: f.org.daoli, term: seededTerm.daoli!.id });
  });

  it("a special round needs a theme (23514)", async () => {
    const codes = await asUser(DEMO.countyDaoli, async (tx) => [
      await attempt(tx, (sp) => insertRound(sp, f.org.daoli, seededTerm.daoli!.id, { kind: "special" })),
      await attempt(tx, (sp) => insertRound(sp, f.org.daoli, seededTerm.daoli!.id, { kind: "special", theme: "选人用人专项巡察" })),
    ]);
    expect(codes).toEqual(["23514", "rows:1"]);
  });

  it("a term cannot shrink below its rounds' years (23514), but may widen or shrink to what its rounds still fit", async () => {
    const codes = await asUser(DEMO.province, async (tx) => {
      const t = seededTerm.province!.id;
      return {
        "end before the last round": await attempt(tx, (sp) => sp`update public.terms set end_year = 2025 where id = ${t}`),
        "start after the first round": await attempt(tx, (sp) => sp`update public.terms set start_year = 2023 where id = ${t}`),
        widen: await attempt(tx, (sp) => sp`update public.terms set end_year = 2027 where id = ${t}`),
      };
    });
    expect(codes).toEqual({ "end before the last round": "23514", "start after the first round": "23514", widen: "rows:1" });
    // 道里's rounds are all in 2026: its term may start later.
    expect(seededRounds.daoli.every((r) => r.year === 2026)).toBe(true);
    const daoli = await asUser(DEMO.countyDaoli, (tx) =>
      attempt(tx, (sp) => sp`update public.terms set start_year = 2024 where id = ${seededTerm.daoli!.id}`),
    );
    expect(daoli).toBe("rows:1");
  });

  it("a term's years: the end not before the start, at most five years apart (23514)", async () => {
    const codes = await asUser(DEMO.countyDaoli, async (tx) => [
      await attempt(tx, (sp) => insertTerm(sp, f.org.daoli, { start: 2026, end: 2025 })),
      await attempt(tx, (sp) => insertTerm(sp, f.org.daoli, { start: 2022, end: 2028 })),
      await attempt(tx, (sp) => insertTerm(sp, f.org.daoli, { start: 2027, end: 2032 })),
    ]);
    expect(codes).toEqual(["23514", "23514", "rows:1"]);
  });

  it("a term's name is unique within its org (23505); the same name in another org is fine", async () => {
    const codes = await asUser(DEMO.countyDaoli, (tx) => attempt(tx, (sp) => insertTerm(sp, f.org.daoli, { name: seededTerm.daoli!.name })));
    expect(codes).toBe("23505");
    // 道里 and 南岗 both hold a 十五届区委.
    expect(seededTerm.nangang!.name).toBe(seededTerm.daoli!.name);
  });

  it("a term cannot move to another org (22023)", async () => {
    const code = await asUser(DEMO.countyDaoli, (tx) =>
      attempt(tx, (sp) => sp`update public.terms set org_id = ${f.org.nangang} where id = ${seededTerm.daoli!.id}`),
    );
    expect(code).toBe("22023");
  });

  it("province_id and authorship are derived, whatever the client sends", async () => {
    const me = await userId(DEMO.countyDaoli);
    const someoneElse = await userId(DEMO.province);
    const result = await asUser(DEMO.countyDaoli, async (tx) => {
      const [term] = await insertTerm(tx, f.org.daoli, { provinceId: f.org.otherProvince, createdBy: someoneElse });
      const [round] = await insertRound(tx, f.org.daoli, term.id, { provinceId: f.org.otherProvince, createdBy: someoneElse });
      const [updated] = await tx<{ province_id: number }[]>`
        update public.rounds set province_id = ${f.org.otherProvince} where id = ${round.id} returning province_id`;
      return { term: [term.province_id, term.created_by], round: [round.province_id, round.created_by], updated: updated.province_id };
    });
    expect(result).toEqual({ term: [f.org.province, me], round: [f.org.province, me], updated: f.org.province });
  });
});
