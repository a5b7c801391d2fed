import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { rectificationRate } from "../../app/lib/figures";
import { dashboardTables, RANKING_TOP, type DashboardTable } from "../../app/lib/figures-dashboard";
import { readSheetRows } from "../../app/lib/xlsx.server";
import {
  categoryRanking,
  dashboardData,
  dashboardWorkbook,
  resolveFigureQuery,
  type FigureFilter,
} from "../../app/models/figures.server";
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

// ---------------------------------------------------------------- the dashboard (统计分析)

/**
 * The dashboard's tables (one per chart, app/lib/figures-dashboard.ts) over the same
 * isolated tree: every series at the province, the city and the county is the expected
 * number and its 合计 is the sum of its rows; a child's row is that child's own total;
 * the year, round and campaign filters narrow; the Excel export, opened back, holds the
 * page's numbers.
 */

/** As the owner, in the test's savepoint: term plans with known coverage (engagements stationed 2026-03-05 cover them). */
async function coveragePlans(tx: Tx, w: World) {
  const unit = async (orgId: number, name: string, category: string, level: string) => {
    const [u] = await tx<{ id: number }[]>`
      insert into public.units (org_id, name, category, head_level) values (${orgId}, ${name}, ${category}, ${level}) returning id::int as id`;
    return u.id;
  };
  const plan = async (term: number, units: number[]) => {
    for (const u of units) await tx`insert into public.term_objects (term_id, unit_id, kind, planned_year) values (${term}, ${u}, 'regular', 2026)`;
  };
  const { tree } = w;
  // 测试省: 1 of 2 (EP covers the 财政厅); 测试市: 1 of 2; 测试县: 2 of 2 (the city's elevated
  // patrol covers its 纪委监委机关: an office above the plan's); 测试二市: 1 of 1.
  await plan(tree.term.province, [tree.unit.province, await unit(tree.org.province, "测试省教育厅", "provincial_dept", "province_managed")]);
  await plan(tree.term.city, [tree.unit.city, await unit(tree.org.city, "测试市教育局", "city_dept", "city_managed")]);
  await plan(tree.term.county, [tree.unit.county, tree.unit.countyElevated]);
  await plan(tree.term.sibling, [tree.unit.sibling]);
}

const ORG_NAMES: Record<keyof ProvinceTree["org"], string> = {
  province: "测试省委巡视办", city: "测试市委巡察办", county: "测试县委巡察办", sibling: "测试二市委巡察办",
};

async function dashboardOf(tx: Tx, w: World, who: keyof ProvinceTree["org"], f: FigureFilter = {}) {
  const d = await dashboardData(tx, { id: w.tree.org[who], name: ORG_NAMES[who] }, { today: TODAY, ...f }, 2026);
  expect(d, `${who}'s dashboard`).toBeDefined();
  const { figures, ...data } = d!;
  return { figures, data, tables: Object.fromEntries(dashboardTables(data).map((x) => [x.id, x])) as Record<string, DashboardTable> };
}

type Series = Record<string, number | string>;

/** A table as { row label: values } (with 合计), for whole-table comparisons. */
const asRows = (table: DashboardTable) =>
  Object.fromEntries([...table.rows, ...(table.total ? [table.total] : [])].map((r) => [r.label, r.values]));

/** The breakdown tables' values of a set of engagements' figures. */
function series(c: Counts) {
  return {
    problems: { problems: c.problems, onTheSpot: c.onTheSpot, deadlineItems: c.deadlineItems },
    leads: { leadsTransferred: c.leadsTransferred, personsSanctioned: c.personsSanctioned, personsJudicial: c.personsJudicial },
    rectification: { fedBack: c.fedBack, rectified: c.rectified, rate: rectificationRate(c.rectified, c.fedBack) },
    overdue: { overdueItems: c.overdueItems },
  } as Record<string, Series>;
}

const BREAKDOWN = ["problems", "leads", "rectification", "overdue"] as const;

/** Every count column of the 合计 is the sum of the rows; every rate is the rate of the sums. */
function expectTotalIsSum(table: DashboardTable) {
  const sum: Record<string, number> = {};
  for (const c of table.columns) if (c.kind === "count") sum[c.key] = table.rows.reduce((a, r) => a + (r.values[c.key] as number), 0);
  for (const c of table.columns) {
    if (c.kind === "count") expect(table.total!.values[c.key], `${table.id}: 合计 ${c.key}`).toBe(sum[c.key]);
  }
  if (table.id === "rectification") expect(table.total!.values.rate).toBe(rectificationRate(sum.rectified, sum.fedBack));
  if (table.id === "coverage") expect(table.total!.values.uncovered).toBe((sum.due as number) - (sum.covered as number));
}

describe("the dashboard", () => {
  it("shows at the province, the city and the county exactly the expected numbers, each 合计 the sum of its rows", async () => {
    await withWorld(async (tx, w) => {
      await coveragePlans(tx, w);
      const { EC, EE, EX, EP, ES } = EXPECTED;
      const city = sum(EC, EE, EX);
      const all = sum(EC, EE, EX, EP, ES);

      await actAs(tx, w.tree.director.province);
      const province = await dashboardOf(tx, w, "province");
      expect(province.data.breakdown.by).toBe("orgs");
      for (const id of BREAKDOWN) {
        expect(asRows(province.tables[id]), id).toEqual({
          本级: series(sum(EP))[id],
          测试市委巡察办: series(city)[id],
          测试二市委巡察办: series(sum(ES))[id],
          合计: series(all)[id],
        });
        expectTotalIsSum(province.tables[id]);
      }
      // Seed 003's rate and seed 004's figures, through the dashboard.
      expect(province.tables.rectification.total!.values).toEqual({ fedBack: 2266, rectified: 1903, rate: "83.98%" });
      expect(province.tables.problems.rows.find((r) => r.kind === "child" && r.orgId === w.tree.org.city)!.values.problems).toBe(865);
      expect(asRows(province.tables.coverage)).toEqual({
        本级: { due: 2, covered: 1, uncovered: 1, rate: "50.0%" },
        测试市委巡察办: { due: 4, covered: 3, uncovered: 1, rate: "75.0%" },
        测试二市委巡察办: { due: 1, covered: 1, uncovered: 0, rate: "100.0%" },
        合计: { due: 7, covered: 5, uncovered: 2, rate: "71.4%" },
      });
      expectTotalIsSum(province.tables.coverage);
      expect(asRows(province.tables.categories)).toEqual({
        党的领导弱化: { problems: 1421, share: "62.1%" },
        违规使用财政资金: { problems: 315, share: "13.8%" },
        四风问题: { problems: 312, share: "13.6%" },
        违反六项纪律: { problems: 200, share: "8.7%" },
        选人用人问题: { problems: 28, share: "1.2%" },
        其他问题: { problems: 13, share: "0.6%" },
        合计: { problems: 2289, share: "100.0%" },
      });
      expect(province.tables.categories.total!.values.problems).toBe(all.problems);
      expect(province.tables.ranking.rows.map((r) => [r.label, r.values])).toEqual([
        ["贯彻落实党中央决策部署不到位", { rank: 1, topName: "党的领导弱化", problems: 1421, engagements: 1 }],
        ["违规使用财政资金", { rank: 2, topName: "违规使用财政资金", problems: 315, engagements: 1 }],
        ["形式主义", { rank: 3, topName: "四风问题", problems: 300, engagements: 1 }],
        ["廉洁纪律", { rank: 4, topName: "违反六项纪律", problems: 200, engagements: 1 }],
        ["选人用人问题", { rank: 5, topName: "选人用人问题", problems: 28, engagements: 1 }],
        ["其他问题", { rank: 6, topName: "其他问题", problems: 13, engagements: 2 }],
        ["享乐主义", { rank: 7, topName: "四风问题", problems: 12, engagements: 1 }],
      ]);

      // The city, as the city and as the province: its 合计 is the province's row for it.
      for (const who of ["city", "province"] as const) {
        await actAs(tx, w.tree.director[who]);
        const c = await dashboardOf(tx, w, "city");
        for (const id of BREAKDOWN) {
          expect(asRows(c.tables[id]), `${id} as the ${who}`).toEqual({
            本级: series(sum(EC, EE))[id],
            测试县委巡察办: series(sum(EX))[id],
            合计: series(city)[id],
          });
          expectTotalIsSum(c.tables[id]);
          const row = province.tables[id].rows.find((r) => r.orgId === w.tree.org.city)!;
          expect(c.tables[id].total!.values, `${id}: the province's row for the city`).toEqual(row.values);
        }
        expect(asRows(c.tables.coverage)).toEqual({
          本级: { due: 2, covered: 1, uncovered: 1, rate: "50.0%" },
          测试县委巡察办: { due: 2, covered: 2, uncovered: 0, rate: "100.0%" },
          合计: { due: 4, covered: 3, uncovered: 1, rate: "75.0%" },
        });
        expect(c.tables.coverage.total!.values).toEqual(province.tables.coverage.rows.find((r) => r.orgId === w.tree.org.city)!.values);
        expect(Object.fromEntries(c.tables.categories.rows.map((r) => [r.label, r.values.problems]))).toEqual({
          违规使用财政资金: 315, 四风问题: 312, 违反六项纪律: 200, 选人用人问题: 28, 其他问题: 10,
        });
        expect(c.tables.categories.total!.values.problems).toBe(865);
      }
      // The province's categories are its own rounds' (EP: 1,421 党的领导弱化) plus its children's.
      const categoriesOf = async (who: "city" | "sibling") =>
        Object.fromEntries((await dashboardOf(tx, w, who)).tables.categories.rows.map((r) => [r.label, r.values.problems as number]));
      await actAs(tx, w.tree.director.province);
      const summed: Record<string, number> = { 党的领导弱化: 1421 };
      for (const part of [await categoriesOf("city"), await categoriesOf("sibling")]) {
        for (const [k, n] of Object.entries(part)) summed[k] = (summed[k] ?? 0) + n;
      }
      expect(Object.fromEntries(province.tables.categories.rows.map((r) => [r.label, r.values.problems]))).toEqual(summed);

      // The county: no child offices, so its rows are its engagements (the elevated patrol of its unit is the city's).
      for (const who of ["county", "city", "province"] as const) {
        await actAs(tx, w.tree.director[who]);
        const county = await dashboardOf(tx, w, "county");
        expect(county.data.breakdown.by, who).toBe("engagements");
        for (const id of BREAKDOWN) {
          expect(county.tables[id].rows.map((r) => [r.engagementId, r.label, r.values]), `${id} as the ${who}`).toEqual([
            [w.e.EX, "测试县财政局", series(sum(EX))[id]],
          ]);
          expect(county.tables[id].total!.values).toEqual(series(sum(EX))[id]);
        }
        expect(asRows(county.tables.coverage)).toEqual({
          本级: { due: 2, covered: 2, uncovered: 0, rate: "100.0%" },
          合计: { due: 2, covered: 2, uncovered: 0, rate: "100.0%" },
        });
        expect(asRows(county.tables.categories)).toEqual({
          选人用人问题: { problems: 28, share: "70.0%" },
          四风问题: { problems: 12, share: "30.0%" },
          合计: { problems: 40, share: "100.0%" },
        });
        expect(county.tables.ranking.rows.map((r) => [r.label, r.values.problems, r.values.engagements])).toEqual([
          ["选人用人问题", 28, 1],
          ["享乐主义", 12, 1],
        ]);
      }
    });
  });

  it("ranks the categories of a parent as the sums of its own rounds' and its children's", async () => {
    await withWorld(async (tx, w) => {
      await actAs(tx, w.tree.director.province);
      const rank = async (org: number) =>
        Object.fromEntries((await categoryRanking(tx, org, { today: TODAY })).map((r) => [String(r.categoryId), [r.problems, r.engagements]]));
      const province = await rank(w.tree.org.province);
      const parts = [await rank(w.tree.org.city), await rank(w.tree.org.sibling)];
      // The province's own rounds: EP only, 1,421 problems of leadership.decisions.
      await actAs(tx, "owner");
      const own = { [String(await categoryId(tx, "leadership.decisions"))]: [1421, 1] };
      const summed: Record<string, [number, number]> = {};
      for (const part of [own, ...parts]) {
        for (const [k, [n, e]] of Object.entries(part)) summed[k] = [(summed[k]?.[0] ?? 0) + n, (summed[k]?.[1] ?? 0) + e];
      }
      expect(province).toEqual(summed);
      const total = Object.values(province).reduce((a, [n]) => a + n, 0);
      expect(total, "the ranking covers every problem").toBe(2289);
      // Only the first ten are shown.
      expect(RANKING_TOP).toBe(10);
    });
  });

  it("narrows by year and by round, and a round implies its year", async () => {
    await withWorld(async (tx, w) => {
      const [{ id: demoRound }] = await tx<{ id: number }[]>`select id::int as id from public.rounds where org_id <> all (${Object.values(w.tree.org)}::int[]) limit 1`;
      // As the owner: a 2025 round of the city with one engagement (7 problems, 2 on the spot, 7 fed back, 3 rectified).
      const round2025 = await fx.round(tx, w.tree.org.city, w.tree.term.city, 2, "rectification", 2025);
      const group = (await fx.group(tx, round2025, null, 1, { start: "2025-03-01", end: "2025-04-30" })).id;
      const [{ id: unit }] = await tx<{ id: number }[]>`
        insert into public.units (org_id, name, category, head_level) values (${w.tree.org.city}, '测试市审计局', 'city_dept', 'city_managed')
        returning id::int as id`;
      const e2025 = (await fx.engagement(tx, round2025, group, unit, "regular", "2025-03-05")).id;
      const ps = await ownerProblems(tx, e2025, [{ category: "discipline.work", n: 7, onTheSpot: 2 }]);
      await reported(tx, e2025, "2025-04-20", "2025-05-01");
      await ownerFeedback(tx, e2025, ps, "2025-05-10");
      await ownerItems(tx, ps.slice(0, 3), { kind: "deadline", deadline: "2025-06-30", status: "closed" });
      await ownerItems(tx, ps.slice(3), { kind: "deadline", deadline: "2025-06-30" });
      const Y2025: Counts & { byCategory: Record<string, number> } = {
        ...ZERO, problems: 7, onTheSpot: 2, deadlineItems: 7, fedBack: 7, rectified: 3, overdueItems: 4, byCategory: { discipline: 7 },
      };
      const { EC, EE, EX, EP, ES } = EXPECTED;

      await actAs(tx, w.tree.director.province);
      const by = async (f: FigureFilter) => asRows((await dashboardOf(tx, w, "province", f)).tables.problems);
      expect(await by({ year: 2025 })).toEqual({
        本级: series(sum())["problems"],
        测试市委巡察办: series(sum(Y2025))["problems"],
        测试二市委巡察办: series(sum())["problems"],
        合计: series(sum(Y2025))["problems"],
      });
      expect((await by({ year: 2026 })).合计).toEqual(series(sum(EC, EE, EX, EP, ES))["problems"]);
      expect((await by({})).合计).toEqual(series(sum(EC, EE, EX, EP, ES, Y2025))["problems"]);
      expect(await by({ round: w.tree.round.city })).toEqual({
        本级: series(sum())["problems"],
        测试市委巡察办: series(sum(EC, EE))["problems"],
        测试二市委巡察办: series(sum())["problems"],
        合计: series(sum(EC, EE))["problems"],
      });
      // The year narrows the ranking and the categories too.
      const d2025 = await dashboardOf(tx, w, "province", { year: 2025 });
      expect(d2025.tables.ranking.rows.map((r) => [r.label, r.values.problems])).toEqual([["工作纪律", 7]]);
      expect(asRows(d2025.tables.categories)).toEqual({ 违反六项纪律: { problems: 7, share: "100.0%" }, 合计: { problems: 7, share: "100.0%" } });
      expect(d2025.tables.rectification.total!.values).toEqual({ fedBack: 7, rectified: 3, rate: "42.86%" });

      // The query as the page resolves it: a round brings its year (and term); an unknown year is dropped, and said so.
      const q = (query: Parameters<typeof resolveFigureQuery>[2]) => resolveFigureQuery(tx, w.tree.org.province, query, 2026);
      const withRound = (await q({ round: w.tree.round.city, year: 2025 }))!;
      expect(withRound.filter).toEqual({ term: w.tree.term.city, round: w.tree.round.city, year: 2026, campaign: undefined });
      expect(withRound.ignored).toBe(false);
      expect((await q({}))!.options.years).toEqual([2026, 2025]);
      const unknownYear = (await q({ year: 2019 }))!;
      expect([unknownYear.filter.year, unknownYear.ignored]).toEqual([undefined, true]);
      expect((await q({ year: 2025 }))!.coverageYear).toBe(2025);
      // Another office's round is not the caller's: dropped.
      expect((await q({ round: demoRound }))!.ignored).toBe(true);
      // The county cannot focus on the city.
      await actAs(tx, w.tree.director.county);
      expect(await resolveFigureQuery(tx, w.tree.org.county, { org: w.tree.org.city }, 2026)).toBeUndefined();
    });
  });

  it("narrows by linkage campaign: the rounds and engagements linked to it, within the reader's scope", async () => {
    await withWorld(async (tx, w) => {
      // As the owner: the province launches a campaign; the city takes part and links its round; the county links nothing.
      const [{ id: campaign }] = await tx<{ id: number }[]>`
        insert into public.campaigns (org_id, province_id, title, system_name, starts_on, ends_on)
        values (${w.tree.org.province}, ${w.tree.org.province}, '测试联动：财政系统', '财政系统', '2026-01-01', '2026-12-31')
        returning id::int as id`;
      await tx`insert into public.campaign_participants (campaign_id, org_id) values (${campaign}, ${w.tree.org.city}), (${campaign}, ${w.tree.org.county})`;
      await tx`insert into public.campaign_links (campaign_id, round_id) values (${campaign}, ${w.tree.round.city})`;
      const { EC, EE } = EXPECTED;

      await actAs(tx, w.tree.director.province);
      const q = (await resolveFigureQuery(tx, w.tree.org.province, { campaign }, 2026))!;
      expect(q.options.campaigns).toContainEqual({ id: campaign, title: "测试联动：财政系统" });
      expect([q.filter.campaign, q.ignored, q.scope]).toEqual([campaign, false, "联动：测试联动：财政系统"]);
      const d = await dashboardOf(tx, w, "province", { campaign });
      expect(asRows(d.tables.problems)).toEqual({
        本级: series(sum())["problems"],
        测试市委巡察办: series(sum(EC, EE))["problems"],
        测试二市委巡察办: series(sum())["problems"],
        合计: series(sum(EC, EE))["problems"],
      });
      // The sibling city is no participant: it sees neither the campaign nor anything through it.
      await actAs(tx, w.tree.director.sibling);
      const sibling = (await resolveFigureQuery(tx, w.tree.org.sibling, { campaign }, 2026))!;
      expect(sibling.options.campaigns.map((c) => c.id)).not.toContain(campaign);
      expect(sibling.ignored).toBe(true);
    });
  });

  it("exports the page's tables: the workbook opened back holds the same numbers, titled with the org and the filter", async () => {
    await withWorld(async (tx, w) => {
      await coveragePlans(tx, w);
      for (const who of ["province", "city", "county"] as const) {
        await actAs(tx, w.tree.director[who]);
        const q = (await resolveFigureQuery(tx, w.tree.org[who], { round: who === "county" ? w.tree.round.county : undefined }, 2026))!;
        // What the page's loader shows for that query.
        const page = await dashboardData(tx, q.focus, { ...q.filter, today: TODAY }, q.coverageYear);
        const { figures: _f, ...data } = page!;
        const shown = dashboardTables(data);
        const now = new Date("2026-07-01T02:30:00Z");
        const book = (await dashboardWorkbook(tx, q, { coverage: true, now, today: TODAY }))!;
        expect(book.fileName).toBe(`${q.focus.name}统计分析_2026-07-01.xlsx`);
        expect(book.sheets).toBe(shown.length + 2);
        for (const [i, table] of book.tables.entries()) {
          const rows = await readSheetRows(book.bytes, i);
          expect(rows[0].cells[0], `${who} sheet ${i} title`).toBe(`${q.focus.name} 统计分析 — ${table.title}`);
          expect(rows[1].cells[0]).toBe(
            `范围：${who === "county" ? q.scope : "全部届次、年度和轮次"}；导出时间：2026-07-01 10:30（北京时间）`,
          );
          const leading = table.leading ?? [];
          expect(rows[2].cells).toEqual([...leading.map((c) => c.label), table.head, ...table.columns.map((c) => c.label)]);
          const body = rows.slice(3).map((r) => r.cells);
          const expected = [...table.rows, ...(table.total ? [table.total] : [])].map((r) => [
            ...leading.map((c) => String(r.values[c.key] ?? "")),
            r.sub ? `${r.label}（${r.sub}）` : r.label,
            ...table.columns.map((c) => String(r.values[c.key] ?? "")),
          ]);
          // Empty trailing text cells are not kept by the reader.
          expect(body.map((cells) => cells.concat(Array(expected[0]?.length ?? 0).fill("")).slice(0, expected[0]?.length ?? 0)), `${who}: ${table.title}`).toEqual(expected);
        }
        // The chart sheets are the page's tables, value for value.
        const chartSheets = book.tables.slice(1, -1);
        expect(chartSheets).toEqual(shown);
        if (who === "county") expect(q.scope).toContain("测试届990101");
      }
    });
  });
});
