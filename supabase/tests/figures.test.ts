import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql } from "./support/db";
import { attempt, ownerRolledBack } from "./support/engagements";
import { fx } from "./support/matrix-harness";
import {
  actAs,
  categoryId,
  ownerFeedback,
  ownerItems,
  ownerLeads,
  ownerProblems,
  provinceTree,
  reported,
  sharedRolledBack,
  type ProvinceTree,
} from "./support/findings";

/**
 * The figures offices are judged by (ADR 013), public.engagement_figures and
 * public.org_figures, over an isolated province subtree (测试省 → 测试市 → 测试县, and
 * 测试二市) in which the test puts exactly known rows: one city engagement with seed 004's
 * figures (815 problems, 183 立行立改, 484 限期整改, 148 leads transferred), the city's
 * elevated patrol of a county unit, a county engagement, a province engagement, and one
 * of the sibling city. Fed back over the province: 2,266 problems, 1,903 rectified
 * (seed 003: 83.98%). Each engagement counts for the office whose round it is; a parent's
 * figure is its own plus its children's. Everything is rolled back.
 */

const shared = sharedRolledBack(build);
beforeAll(() => shared.open());
afterAll(async () => {
  await shared.close();
  await closeTestSql();
});

/** The day figures are taken (overdue = open items past their deadline on that day). */
const TODAY = "2026-07-01";
const DEADLINE = "2026-06-30";

const FIELDS = [
  "problems", "onTheSpot", "deadlineItems", "fedBack", "rectified", "overdueItems", "leadsTransferred", "personsSanctioned",
  "personsJudicial",
] as const;
type Counts = Record<(typeof FIELDS)[number], number>;
type EngagementKey = "EC" | "EE" | "EX" | "EP" | "ES";

interface World {
  tree: ProvinceTree;
  e: Record<EngagementKey, number>;
  cat: Record<string, number>;
}

const ZERO: Counts = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Counts;
const EXPECTED: Record<EngagementKey, Counts & { byCategory: Record<string, number> }> = {
  // The city's regular engagement: seed 004's figures.
  EC: {
    problems: 815, onTheSpot: 183, deadlineItems: 484, fedBack: 815, rectified: 700, overdueItems: 84, leadsTransferred: 148,
    personsSanctioned: 37, personsJudicial: 5, byCategory: { four_styles: 300, discipline: 200, fiscal_funds: 315 },
  },
  // The city's elevated patrol (提级) of a county unit: the city's work, not the county's.
  EE: { ...ZERO, problems: 10, byCategory: { other: 10 } },
  EX: {
    problems: 40, onTheSpot: 12, deadlineItems: 18, fedBack: 30, rectified: 20, overdueItems: 10, leadsTransferred: 5,
    personsSanctioned: 3, personsJudicial: 1, byCategory: { four_styles: 12, appointments: 28 },
  },
  EP: { ...ZERO, problems: 1421, fedBack: 1421, rectified: 1183, byCategory: { leadership: 1421 } },
  ES: { ...ZERO, problems: 3, byCategory: { other: 3 } },
};

function sum(...rows: (Counts & { byCategory: Record<string, number> })[]) {
  const out: Counts & { byCategory: Record<string, number>; engagements: number } = { ...ZERO, byCategory: {}, engagements: rows.length };
  for (const r of rows) {
    for (const f of FIELDS) out[f] += r[f];
    for (const [k, n] of Object.entries(r.byCategory)) out.byCategory[k] = (out.byCategory[k] ?? 0) + n;
  }
  return out;
}

/**
 * As the owner: the tree and exactly the rows of EXPECTED, written through the tables'
 * triggers (engagements, papers, problems, feedback, items; leads directly).
 */
async function build(tx: Tx): Promise<World> {
  const tree = await provinceTree(tx);
  const cat: Record<string, number> = {};
  for (const code of ["four_styles", "discipline", "fiscal_funds", "appointments", "leadership", "other"]) cat[code] = await categoryId(tx, code);
  const engagement = async (round: number, group: number, unit: number, mode = "regular") =>
    (await fx.engagement(tx, round, group, unit, mode, "2026-03-05")).id;
  const e: World["e"] = {
    EC: await engagement(tree.round.city, tree.group.city, tree.unit.city),
    EE: await engagement(tree.round.city, tree.group.city, tree.unit.countyElevated, "elevated"),
    EX: await engagement(tree.round.county, tree.group.county, tree.unit.county),
    EP: await engagement(tree.round.province, tree.group.province, tree.unit.province),
    ES: await engagement(tree.round.sibling, tree.group.sibling, tree.unit.sibling),
  };

  // EC: 815 problems (the first 183 fixed on the spot), all fed back, one item each.
  const ec = await ownerProblems(tx, e.EC, [
    { category: "four_styles.formalism", n: 300, onTheSpot: 183 },
    { category: "discipline.integrity", n: 200 },
    { category: "fiscal_funds", n: 315 },
  ]);
  await reported(tx, e.EC, "2026-04-20", "2026-05-01");
  await ownerFeedback(tx, e.EC, ec, "2026-05-10");
  await ownerItems(tx, ec.slice(0, 183), { kind: "immediate", deadline: "2026-05-31", status: "closed" });
  await ownerItems(tx, ec.slice(183, 583), { kind: "deadline", deadline: DEADLINE, status: "closed" });
  await ownerItems(tx, ec.slice(583, 667), { kind: "deadline", deadline: DEADLINE }); // 84 open, overdue on TODAY
  await ownerItems(tx, ec.slice(667, 784), { kind: "long_term", status: "closed" });
  await ownerItems(tx, ec.slice(784, 815), { kind: "long_term" });
  // 148 leads transferred (37 persons sanctioned, 5 sent to justice), 12 registered only.
  await ownerLeads(tx, e.EC, { problemIds: ec.slice(0, 5), receivingOrgId: tree.partner.city, sanctioned: 1, judicial: 1 });
  await ownerLeads(tx, e.EC, { problemIds: ec.slice(5, 37), receivingOrgId: tree.partner.city, sanctioned: 1 });
  await ownerLeads(tx, e.EC, { problemIds: ec.slice(37, 148), receivingOrgId: tree.partner.city });
  await ownerLeads(tx, e.EC, { problemIds: ec.slice(148, 160) });

  await ownerProblems(tx, e.EE, [{ n: 10 }]);

  // EX: 40 problems, 12 on the spot; 30 fed back, 20 of them rectified.
  const ex = await ownerProblems(tx, e.EX, [{ category: "four_styles.hedonism", n: 12, onTheSpot: 12 }, { category: "appointments", n: 28 }]);
  await reported(tx, e.EX, "2026-04-20", "2026-05-01");
  await ownerFeedback(tx, e.EX, ex.slice(0, 30), "2026-05-10");
  await ownerItems(tx, ex.slice(0, 12), { kind: "immediate", deadline: "2026-05-31", status: "closed" });
  await ownerItems(tx, ex.slice(12, 20), { kind: "deadline", deadline: DEADLINE, status: "closed" });
  await ownerItems(tx, ex.slice(20, 30), { kind: "deadline", deadline: DEADLINE });
  await ownerLeads(tx, e.EX, { problemIds: ex.slice(0, 1), receivingOrgId: tree.partner.county, sanctioned: 1, judicial: 1 });
  await ownerLeads(tx, e.EX, { problemIds: ex.slice(1, 3), receivingOrgId: tree.partner.county, sanctioned: 1 });
  await ownerLeads(tx, e.EX, { problemIds: ex.slice(3, 5), receivingOrgId: tree.partner.county });
  await ownerLeads(tx, e.EX, { problemIds: ex.slice(5, 7) });

  // EP: 1,421 problems, all fed back; 1,183 rectified (长期坚持 items, no deadline: never overdue).
  const ep = await ownerProblems(tx, e.EP, [{ category: "leadership.decisions", n: 1421 }]);
  await reported(tx, e.EP, "2026-04-20", "2026-05-01");
  await ownerFeedback(tx, e.EP, ep, "2026-05-10");
  await ownerItems(tx, ep.slice(0, 1183), { kind: "long_term", status: "closed" });
  await ownerItems(tx, ep.slice(1183), { kind: "long_term" });

  await ownerProblems(tx, e.ES, [{ n: 3 }]);
  return { tree, e, cat };
}

interface Row extends Counts {
  byCategory: Record<string, number>;
}

/** Category ids → codes, so expectations read as words. */
function byCode(w: World, byCategory: Record<string, number>) {
  const codeOf = new Map(Object.entries(w.cat).map(([code, id]) => [String(id), code]));
  return Object.fromEntries(Object.entries(byCategory).map(([id, n]) => [codeOf.get(id) ?? `?${id}`, n]));
}

async function engagementFigures(tx: Tx, w: World, o: { term?: number; today?: string } = {}) {
  const rows = await tx<(Row & { engagementId: number; supervisingOrgId: number })[]>`
    select engagement_id::int as "engagementId", supervising_org_id as "supervisingOrgId", problems, on_the_spot as "onTheSpot",
           deadline_items as "deadlineItems", fed_back as "fedBack", rectified, overdue_items as "overdueItems",
           leads_transferred as "leadsTransferred", persons_sanctioned as "personsSanctioned", persons_judicial as "personsJudicial",
           by_category as "byCategory"
      from public.engagement_figures(${o.term ?? null}::bigint, null, null, ${o.today ?? TODAY}::date)`;
  const keyOf = new Map(Object.entries(w.e).map(([k, id]) => [id, k]));
  const out: Partial<Record<EngagementKey, Row & { supervisingOrgId: number }>> = {};
  for (const { engagementId, ...r } of rows) {
    const k = keyOf.get(engagementId) as EngagementKey | undefined;
    if (k) out[k] = { ...r, byCategory: byCode(w, r.byCategory) };
  }
  return { all: rows.length, ours: out };
}

async function orgFigures(tx: Tx, w: World, orgId: number, o: { term?: number } = {}) {
  const rows = await tx<(Row & { orgId: number; ownOnly: boolean; engagements: number })[]>`
    select org_id as "orgId", own_only as "ownOnly", engagements, problems, on_the_spot as "onTheSpot",
           deadline_items as "deadlineItems", fed_back as "fedBack", rectified, overdue_items as "overdueItems",
           leads_transferred as "leadsTransferred", persons_sanctioned as "personsSanctioned", persons_judicial as "personsJudicial",
           by_category as "byCategory"
      from public.org_figures(${orgId}, ${o.term ?? null}::bigint, null, ${TODAY}::date)`;
  const name = new Map(Object.entries(w.tree.org).map(([k, id]) => [id, k]));
  return Object.fromEntries(
    rows.map(({ orgId: id, ownOnly, ...r }) => [`${name.get(id) ?? id}${ownOnly ? " own" : ""}`, { ...r, byCategory: byCode(w, r.byCategory) }]),
  );
}

/** Each test in its own savepoint of the one transaction that holds the world (built once). */
const withWorld = <T>(fn: (tx: Tx, w: World) => Promise<T>) => shared.run(fn);
const withoutSupervisor = ({ supervisingOrgId: _, ...r }: Row & { supervisingOrgId: number }) => r;

describe("public.engagement_figures", () => {
  it("counts each engagement exactly, for the office whose round it is", async () => {
    await withWorld(async (tx, w) => {
      await actAs(tx, w.tree.director.province);
      const { all, ours } = await engagementFigures(tx, w);
      expect(all, "the new province sees its own engagements only").toBe(5);
      for (const k of Object.keys(EXPECTED) as EngagementKey[]) {
        expect(withoutSupervisor(ours[k]!), k).toEqual(EXPECTED[k]);
        const totalByCategory = Object.values(ours[k]!.byCategory).reduce((a, b) => a + b, 0);
        expect(totalByCategory, `${k}: by_category sums to problems`).toBe(ours[k]!.problems);
      }
      expect(ours.EE!.supervisingOrgId, "the elevated patrol is the city's").toBe(w.tree.org.city);

      // Each office's scope: the county sees its own engagement, not the city's elevated patrol of its unit.
      const scopes: [keyof ProvinceTree["director"], EngagementKey[]][] = [
        ["city", ["EC", "EE", "EX"]],
        ["county", ["EX"]],
        ["sibling", ["ES"]],
      ];
      for (const [who, keys] of scopes) {
        await actAs(tx, w.tree.director[who]);
        const seen = await engagementFigures(tx, w);
        expect(Object.keys(seen.ours).sort(), who).toEqual([...keys].sort());
        expect(seen.all, who).toBe(keys.length);
        for (const k of keys) expect(withoutSupervisor(seen.ours[k]!), `${who} ${k}`).toEqual(EXPECTED[k]);
      }
      // The demo's offices see none of it.
      for (const who of ["province", "city", "qqhr", "zj"] as const) {
        await actAs(tx, who);
        expect(Object.keys((await engagementFigures(tx, w)).ours), who).toEqual([]);
      }
    });
  });

  it("filters by term", async () => {
    await withWorld(async (tx, w) => {
      await actAs(tx, w.tree.director.province);
      const { all, ours } = await engagementFigures(tx, w, { term: w.tree.term.city });
      expect(Object.keys(ours).sort()).toEqual(["EC", "EE"]);
      expect(all).toBe(2);
    });
  });

  it("counts a fed-back problem as rectified only when it has items and all of them are closed", async () => {
    await withWorld(async (tx, w) => {
      const [{ id: problem }] = await tx<{ id: number }[]>`
        select p.id::int as id from public.problems p
         where p.engagement_id = ${w.e.EC} and exists (select 1 from public.rectification_items i where i.problem_id = p.id and i.status = 'closed')
         order by p.seq limit 1`;
      const rectified = async () => {
        await actAs(tx, w.tree.director.city);
        const { ours } = await engagementFigures(tx, w);
        await actAs(tx, "owner");
        return ours.EC!.rectified;
      };
      expect(await rectified()).toBe(700);
      const [second] = await ownerItems(tx, [problem], { kind: "deadline", deadline: "2026-08-31" });
      expect(await rectified(), "a second item, still open").toBe(699);
      await tx`update public.rectification_items set status = 'unit_confirmed' where id = ${second}`;
      expect(await rectified(), "confirmed by the unit, not yet verified").toBe(699);
      await tx`update public.rectification_items set status = 'closed' where id = ${second}`;
      expect(await rectified(), "both closed").toBe(700);
      // A problem not fed back never counts, whatever its items.
      await actAs(tx, w.tree.director.city);
      expect((await engagementFigures(tx, w)).ours.EE!.rectified).toBe(0);
    });
  });

  it("counts as overdue only the open items past their deadline on the given day", async () => {
    await withWorld(async (tx, w) => {
      const overdue = async (today = TODAY) => {
        await actAs(tx, w.tree.director.city);
        const { ours } = await engagementFigures(tx, w, { today });
        await actAs(tx, "owner");
        return ours.EC!.overdueItems;
      };
      expect(await overdue()).toBe(84);
      expect(await overdue(DEADLINE), "on the deadline itself, not yet").toBe(0);
      const [problem] = await tx<{ id: number }[]>`
        select id::int as id from public.problems where engagement_id = ${w.e.EC} order by seq desc limit 1`;
      const [dueToday] = await ownerItems(tx, [problem.id], { kind: "deadline", deadline: TODAY });
      expect(await overdue(), "due today").toBe(84);
      expect(await overdue("2026-07-02"), "due yesterday").toBe(85);
      await tx`update public.rectification_items set status = 'unit_confirmed' where id = ${dueToday}`;
      expect(await overdue("2026-07-02"), "confirmed by the unit: waiting for the office, not overdue").toBe(84);
    });
  });

  it("is not executable by anon", async () => {
    await ownerRolledBack(async (tx) => {
      await tx`set local role anon`;
      expect(await attempt(tx, (sp) => sp`select * from public.engagement_figures()`)).toBe("42501");
      expect(await attempt(tx, (sp) => sp`select * from public.org_figures(1)`)).toBe("42501");
    });
  });
});

describe("public.org_figures", () => {
  it("rolls up: the province is its own figure plus its children's, at every level", async () => {
    await withWorld(async (tx, w) => {
      const { EC, EE, EX, EP, ES } = EXPECTED;
      const expectedProvince = {
        province: sum(EC, EE, EX, EP, ES),
        "province own": sum(EP),
        city: sum(EC, EE, EX),
        sibling: sum(ES),
      };
      await actAs(tx, w.tree.director.province);
      const province = await orgFigures(tx, w, w.tree.org.province);
      expect(province).toEqual(expectedProvince);

      // The parent's figure is its own plus its children's, field by field and by category.
      const parts = sum(province["province own"], province.city, province.sibling);
      const { engagements: _e, ...rolled } = province.province;
      const { engagements: _p, ...fromParts } = parts;
      expect(rolled).toEqual(fromParts);
      expect(province.province.engagements).toBe(
        province["province own"].engagements + province.city.engagements + province.sibling.engagements,
      );
      for (const row of Object.values(province)) {
        expect(Object.values(row.byCategory).reduce((a, b) => a + b, 0), "by_category sums to problems").toBe(row.problems);
      }

      // Seed 003's rate: 1,903 of 2,266 fed-back problems rectified. The two-decimal
      // formatting is the app's (app/lib/figures.ts); the database gives the counts.
      expect([province.province.fedBack, province.province.rectified]).toEqual([2266, 1903]);
      expect(Math.round((province.province.rectified / province.province.fedBack) * 10_000) / 100).toBe(83.98);
      // And seed 004's figures at the city engagement, unchanged by the roll-up.
      expect([EC.problems, EC.onTheSpot, EC.deadlineItems, EC.leadsTransferred]).toEqual([815, 183, 484, 148]);

      // The city: rolled up over the county; its own rounds only (本级) include the elevated patrol.
      const expectedCity = { city: sum(EC, EE, EX), "city own": sum(EC, EE), county: sum(EX) };
      for (const who of ["province", "city"] as const) {
        await actAs(tx, w.tree.director[who]);
        expect(await orgFigures(tx, w, w.tree.org.city), `the city's figures as the ${who}`).toEqual(expectedCity);
      }
      await actAs(tx, w.tree.director.county);
      expect(await orgFigures(tx, w, w.tree.org.county)).toEqual({ county: sum(EX), "county own": sum(EX) });

      // With a term: only that term's rounds.
      await actAs(tx, w.tree.director.province);
      expect((await orgFigures(tx, w, w.tree.org.province, { term: w.tree.term.city })).province).toEqual(sum(EC, EE));
    });
  });

  it("gives nothing of an org outside the caller's subtree: a sibling city, a child looking up, the demo's offices", async () => {
    await withWorld(async (tx, w) => {
      const cases: [string, () => Promise<void>, number][] = [
        ["the sibling city → the city", () => actAs(tx, w.tree.director.sibling), w.tree.org.city],
        ["the sibling city → the county", () => actAs(tx, w.tree.director.sibling), w.tree.org.county],
        ["the sibling city → the province", () => actAs(tx, w.tree.director.sibling), w.tree.org.province],
        ["the city → the province", () => actAs(tx, w.tree.director.city), w.tree.org.province],
        ["the county → the city", () => actAs(tx, w.tree.director.county), w.tree.org.city],
        ["黑龙江 → the province", () => actAs(tx, "province"), w.tree.org.province],
        ["浙江 → the city", () => actAs(tx, "zj"), w.tree.org.city],
        ["the system administrator → the province", () => actAs(tx, "sysadmin"), w.tree.org.province],
      ];
      for (const [label, as, orgId] of cases) {
        await as();
        expect(await orgFigures(tx, w, orgId), label).toEqual({});
      }
      // The sibling's own figures are its own only.
      await actAs(tx, w.tree.director.sibling);
      expect(await orgFigures(tx, w, w.tree.org.sibling)).toEqual({ sibling: sum(EXPECTED.ES), "sibling own": sum(EXPECTED.ES) });
    });
  });
});
