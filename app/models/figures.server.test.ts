import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNT_KEYS, rectificationRate, sumCounts, type FigureCounts } from "~/lib/figures";
import { asUser, closeTestSql, DEMO } from "../../supabase/tests/support/db";
import { newOffice, withScenario, world, type World } from "../../supabase/tests/support/engagements";
import { enterRequestContext } from "../../supabase/tests/support/fixtures";
import {
  financeEngagement,
  ownerFeedback,
  ownerItems,
  ownerLeads,
  ownerProblems,
  reported,
  categoryId,
} from "../../supabase/tests/support/findings";
import { dashboardTables, type DashboardTable } from "~/lib/figures-dashboard";
import { chinaYear, coverageTree } from "./coverage.server";
import {
  categoryRanking,
  dashboardData,
  figureFilterOptions,
  homeFigures,
  orgFigures,
  orgTrail,
  ownEngagementFigures,
  topCategories,
} from "./figures.server";

/**
 * The figures page's model over a real PostgreSQL: the demo's figures add up at every
 * level (total = 本级 + children), an org outside the caller's subtree gives nothing, and
 * a controlled engagement (rolled back) moves exactly the counts it should, for the
 * office whose round it is and its ancestors only.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

const TODAY = "2026-06-30";

const counts = (f: FigureCounts) => Object.fromEntries(COUNT_KEYS.map((k) => [k, f[k]]));

function expectAddsUp(f: NonNullable<Awaited<ReturnType<typeof orgFigures>>>) {
  const parts = sumCounts([f.own, ...f.children]);
  expect(counts(f.total)).toEqual(counts(parts));
  expect(f.total.byCategory).toEqual(parts.byCategory);
  expect(f.total.problems).toBe(Object.values(f.total.byCategory).reduce((a, b) => a + b, 0));
}

describe("figures add up at every level", () => {
  it("the province: its total is its own rounds' plus each city's, and so is every city's", async () => {
    await asUser(DEMO.province, async (tx) => {
      const province = (await orgFigures(tx, w.org.province, { today: TODAY }))!;
      expect(province.children.length).toBeGreaterThanOrEqual(13);
      expect(province.children.map((c) => c.level)).toEqual(province.children.map(() => "city"));
      expectAddsUp(province);
      const harbin = (await orgFigures(tx, w.org.city, { today: TODAY }))!;
      expectAddsUp(harbin);
      // The city's row in the province's table is the city's own total.
      expect(counts(province.children.find((c) => c.orgId === w.org.city)!)).toEqual(counts(harbin.total));
      const daoli = (await orgFigures(tx, w.org.daoli, { today: TODAY }))!;
      expect(daoli.children).toEqual([]);
      expect(counts(daoli.total)).toEqual(counts(daoli.own));
      expect(counts(harbin.children.find((c) => c.orgId === w.org.daoli)!)).toEqual(counts(daoli.total));
    });
  });

  it("the same org gives the same figures to itself and to its ancestors", async () => {
    const asCity = await asUser(DEMO.city, (tx) => orgFigures(tx, w.org.city, { today: TODAY }));
    const asProvince = await asUser(DEMO.province, (tx) => orgFigures(tx, w.org.city, { today: TODAY }));
    expect(asCity).toEqual(asProvince);
  });

  it("an engagement list of the org's own rounds sums to its 本级 row", async () => {
    await asUser(DEMO.city, async (tx) => {
      const f = (await orgFigures(tx, w.org.city, { today: TODAY }))!;
      const all: FigureCounts[] = [];
      for (let page = 1; ; page++) {
        const { rows, total } = await ownEngagementFigures(tx, w.org.city, { today: TODAY, page });
        expect(total).toBe(f.own.engagements);
        all.push(...rows);
        if (rows.length === 0 || all.length >= total) break;
      }
      expect(all.length).toBe(f.own.engagements);
      expect(counts(sumCounts(all))).toEqual(counts(f.own));
    });
  });
});

describe("scope", () => {
  it("an org outside the caller's subtree gives nothing: no figures, no trail", async () => {
    await asUser(DEMO.countyDaoli, async (tx) => {
      expect(await orgFigures(tx, w.org.city)).toBeUndefined();
      expect(await orgFigures(tx, w.org.nangang)).toBeUndefined();
      expect(await orgTrail(tx, w.org.daoli, w.org.city)).toBeUndefined();
      expect(await orgFigures(tx, w.org.daoli)).toBeDefined();
      // Nor any engagement of another office.
      expect((await ownEngagementFigures(tx, w.org.city)).total).toBe(0);
    });
    await asUser(DEMO.city, async (tx) => {
      expect(await orgFigures(tx, w.org.province)).toBeUndefined();
      expect(await orgFigures(tx, w.org.qqhr)).toBeUndefined();
      expect(await orgTrail(tx, w.org.city, w.org.qqhr)).toBeUndefined();
    });
  });

  it("roles outside the offices see no figures at all", async () => {
    for (const email of [DEMO.unitContact, DEMO.memberCity, DEMO.cityPartner, DEMO.systemAdmin]) {
      expect(await asUser(email, (tx) => orgFigures(tx, w.org.city)), email).toBeUndefined();
    }
  });

  it("the drill-down trail runs from the active org to the chosen one", async () => {
    await asUser(DEMO.province, async (tx) => {
      expect((await orgTrail(tx, w.org.province, w.org.daoli))!.map((c) => c.id)).toEqual([w.org.province, w.org.city, w.org.daoli]);
      expect((await orgTrail(tx, w.org.province, w.org.province))!.map((c) => c.id)).toEqual([w.org.province]);
      expect(await orgTrail(tx, w.org.city, w.org.province)).toBeUndefined();
    });
  });

  it("filters offer the terms and rounds of the org's subtree only", async () => {
    await asUser(DEMO.city, async (tx) => {
      const o = await figureFilterOptions(tx, w.org.city);
      expect(o.terms.length).toBeGreaterThan(0);
      expect(o.terms.every((t) => !t.label.startsWith("黑龙江省委巡视办"))).toBe(true);
      expect(o.rounds.every((r) => o.terms.some((t) => t.id === r.termId))).toBe(true);
    });
  });
});

describe("a controlled engagement moves exactly its own counts", () => {
  it("counts for the office whose round it is, rolled up to its ancestors, and the rate has two decimals", async () => {
    await withScenario(async (tx, s, as) => {
      const figuresOf = async (who: "city" | "province" | "daoli", orgId: number) => {
        await as(who);
        const f = await orgFigures(tx, orgId, { today: TODAY });
        await as("owner");
        return f!;
      };
      const cityBefore = await figuresOf("city", w.org.city);
      const provinceBefore = await figuresOf("province", w.org.province);
      const daoliBefore = await figuresOf("daoli", w.org.daoli);

      // 哈尔滨市财政局: 5 problems (3 违反六项纪律, one fixed on the spot; 2 四风), 4 fed back.
      const e = await financeEngagement(tx, s, "2026-01-05");
      await reported(tx, e.id, "2026-02-10", "2026-02-20");
      const [p1, p2, p3, p4, p5] = await ownerProblems(tx, e.id, [
        { category: "discipline", n: 3, onTheSpot: 1 },
        { category: "four_styles", n: 2 },
      ]);
      await ownerFeedback(tx, e.id, [p1, p2, p3, p4], "2026-03-02");
      // p1 rectified (its only item closed); p2 one item closed, one open and overdue;
      // p3 open but not yet due; p4 no item yet.
      await ownerItems(tx, [p1], { kind: "immediate", deadline: "2026-03-10", status: "closed" });
      await ownerItems(tx, [p2], { kind: "deadline", deadline: "2026-04-30", status: "closed" });
      await ownerItems(tx, [p2], { kind: "deadline", deadline: "2026-06-29" });
      await ownerItems(tx, [p3], { kind: "deadline", deadline: "2026-07-31" });
      // Two leads: one transferred to the city's 纪委监委 with its outcome, one only registered.
      const [partner] = await tx<{ id: number }[]>`
        select id from public.orgs where kind = 'supervision_partner' and attached_org_id = ${w.org.city} order by id limit 1`;
      await ownerLeads(tx, e.id, { problemIds: [p5], receivingOrgId: partner.id, transferredOn: "2026-04-01", sanctioned: 2, judicial: 1 });
      await ownerLeads(tx, e.id, { problemIds: [p4] });
      // The city's elevated patrol of a 道里 unit: one problem, counted for the city, not 道里.
      await ownerProblems(tx, s.e("提级").id, [{ category: "discipline", n: 1 }]);

      const discipline = String(await categoryId(tx, "discipline"));
      const fourStyles = String(await categoryId(tx, "four_styles"));
      const delta = (after: FigureCounts, before: FigureCounts) =>
        Object.fromEntries(COUNT_KEYS.map((k) => [k, after[k] - before[k]]));
      const expected = {
        engagements: 1, problems: 6, onTheSpot: 1, deadlineItems: 3, fedBack: 4, rectified: 1, overdueItems: 1,
        leadsTransferred: 1, personsSanctioned: 2, personsJudicial: 1,
      };

      const cityAfter = await figuresOf("city", w.org.city);
      expect(delta(cityAfter.total, cityBefore.total)).toEqual(expected);
      expect(delta(cityAfter.own, cityBefore.own)).toEqual(expected);
      expect((cityAfter.total.byCategory[discipline] ?? 0) - (cityBefore.total.byCategory[discipline] ?? 0)).toBe(4);
      expect((cityAfter.total.byCategory[fourStyles] ?? 0) - (cityBefore.total.byCategory[fourStyles] ?? 0)).toBe(2);
      expectAddsUp(cityAfter);

      const provinceAfter = await figuresOf("province", w.org.province);
      expect(delta(provinceAfter.total, provinceBefore.total)).toEqual(expected);
      expect(delta(provinceAfter.own, provinceBefore.own)).toEqual(Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])));
      expectAddsUp(provinceAfter);

      // 道里 (the elevated patrol's unit's office) counts none of it.
      expect(counts((await figuresOf("daoli", w.org.daoli)).total)).toEqual(counts(daoliBefore.total));

      // The engagement's own row, and the overdue count follows the day asked for.
      await as("city");
      const own = await ownEngagementFigures(tx, w.org.city, { today: TODAY, page: 1 });
      const total = own.total;
      let row = own.rows.find((r) => r.id === e.id);
      for (let page = 2; !row && (page - 1) * 20 < total; page++) {
        row = (await ownEngagementFigures(tx, w.org.city, { today: TODAY, page })).rows.find((r) => r.id === e.id);
      }
      expect(row).toMatchObject({ unitName: "哈尔滨市财政局", problems: 5, fedBack: 4, rectified: 1, overdueItems: 1, deadlineItems: 3 });
      expect(row!.byCategory).toEqual({ [discipline]: 3, [fourStyles]: 2 });
      const early = (await orgFigures(tx, w.org.city, { today: "2026-06-29" }))!;
      expect(early.total.overdueItems - cityBefore.total.overdueItems).toBe(0);

      // The category names come from the dictionary.
      const names = new Map((await topCategories(tx)).map((c) => [String(c.id), c.name]));
      expect(names.get(discipline)).toBe("违反六项纪律");
      expect(names.get(fourStyles)).toBe("四风问题");
    });
  });

  it("homeFigures: the active org rolled up, today in China, with the rate as the page shows it", async () => {
    await withScenario(async (tx, s, as) => {
      // 2026-06-30 17:00 UTC is 2026-07-01 01:00 in Beijing: "today" is the 1st of July.
      const now = new Date("2026-06-30T17:00:00Z");
      await as("city");
      const before = await homeFigures(tx, w.org.city, now);
      const june30Before = (await orgFigures(tx, w.org.city, { today: "2026-06-30" }))!.total.overdueItems;
      await as("owner");
      const e = await financeEngagement(tx, s, "2026-01-05");
      await reported(tx, e.id, "2026-02-10", "2026-02-20");
      const problems = await ownerProblems(tx, e.id, [{ n: 3 }]);
      await ownerFeedback(tx, e.id, problems, "2026-03-02");
      await ownerItems(tx, problems.slice(0, 2), { kind: "immediate", deadline: "2026-03-10", status: "closed" });
      // Due on 30 June: overdue on 1 July, not on 30 June.
      await ownerItems(tx, problems.slice(2), { kind: "deadline", deadline: "2026-06-30" });
      await as("city");
      const home = await homeFigures(tx, w.org.city, now);
      const t = (await orgFigures(tx, w.org.city, { today: "2026-07-01" }))!.total;
      expect(home).toEqual({
        fedBack: t.fedBack,
        rectified: t.rectified,
        rate: rectificationRate(t.rectified, t.fedBack),
        overdue: t.overdueItems,
        problems: t.problems,
      });
      expect(home.rate).toMatch(/^\d{1,3}\.\d{2}%$/);
      expect({
        fedBack: home.fedBack - before.fedBack,
        rectified: home.rectified - before.rectified,
        overdue: home.overdue - before.overdue,
        problems: home.problems - before.problems,
      }).toEqual({ fedBack: 3, rectified: 2, overdue: 1, problems: 3 });
      // On 30 June the new item is not overdue yet.
      expect((await orgFigures(tx, w.org.city, { today: "2026-06-30" }))!.total.overdueItems).toBe(june30Before);
    });
  });

  it("homeFigures of an office with nothing fed back shows a dash", async () => {
    await withScenario(async (tx) => {
      // A fresh county office under 哈尔滨: nothing of the demo is counted for it.
      const office = await newOffice(tx, w.org.city);
      await enterRequestContext(tx, office.claims);
      expect(await homeFigures(tx, office.orgId)).toEqual({ fedBack: 0, rectified: 0, rate: "—", overdue: 0, problems: 0 });
    });
  });
});

describe("the dashboard on the demo", () => {
  /** Each count column's 合计 is the sum of the rows (the 合计 is the database's roll-up, the rows its parts). */
  function expectAddsUpTable(table: DashboardTable, label: string) {
    for (const c of table.columns.filter((x) => x.kind === "count")) {
      const rows = table.rows.reduce((a, r) => a + (r.values[c.key] as number), 0);
      expect(table.total!.values[c.key], `${label} ${table.id}.${c.key}`).toBe(rows);
    }
  }

  it("at the province, 哈尔滨 and 道里 every chart's table adds up, a child's row is the child's own total, and coverage is the coverage page's", async () => {
    await asUser(DEMO.province, async (tx) => {
      const year = chinaYear();
      const orgs = [
        { id: w.org.province, name: "黑龙江省委巡视办" },
        { id: w.org.city, name: "哈尔滨市委巡察办" },
        { id: w.org.daoli, name: "道里区委巡察办" },
      ];
      const tree = await coverageTree(tx, w.org.province, year);
      const byId: Record<number, Record<string, DashboardTable>> = {};
      for (const org of orgs) {
        const d = (await dashboardData(tx, org, { today: TODAY }, year))!;
        const { figures, ...data } = d;
        const tables = Object.fromEntries(dashboardTables(data).map((x) => [x.id, x]));
        byId[org.id] = tables;
        for (const id of ["coverage", "problems", "leads", "rectification", "overdue"]) expectAddsUpTable(tables[id], org.name);
        // The same numbers as the cards (the database's total) and the 各下级机构 table.
        expect(tables.problems.total!.values.problems).toBe(figures.total.problems);
        expect(tables.rectification.total!.values.rate).toBe(rectificationRate(figures.total.rectified, figures.total.fedBack));
        expect(tables.categories.total!.values.problems).toBe(figures.total.problems);
        const ranking = await categoryRanking(tx, org.id, { today: TODAY });
        expect(ranking.reduce((a, r) => a + r.problems, 0), `${org.name}: the ranking covers every problem`).toBe(figures.total.problems);
        expect(tables.ranking.rows.length).toBe(Math.min(10, ranking.length));
        // Coverage: the coverage page's figures for the org (its own plan, each child rolled up).
        const node = tree.find((n) => n.id === org.id)!;
        expect(tables.coverage.total!.values).toMatchObject({ due: node.rolled.due, covered: node.rolled.covered });
        expect(tables.coverage.rows[0].values).toMatchObject({ due: node.own.due, covered: node.own.covered });
        expect(d.breakdown.by).toBe(figures.children.length ? "orgs" : "engagements");
      }
      expect(byId[w.org.province].problems.total!.values.problems).toBeGreaterThan(0);
      // A child's row at its parent is the child's own 合计, in every table.
      for (const [parent, child] of [[w.org.province, w.org.city], [w.org.city, w.org.daoli]]) {
        for (const id of ["coverage", "problems", "leads", "rectification", "overdue"]) {
          const row = byId[parent][id].rows.find((r) => r.orgId === child)!;
          expect(row.values, `${id}: ${child} at ${parent}`).toEqual(byId[child][id].total!.values);
        }
      }
      // 道里 has no child offices: its rows are its own engagements.
      expect(byId[w.org.daoli].problems.rows.every((r) => r.kind === "engagement" && r.engagementId)).toBe(true);
      expect(byId[w.org.daoli].problems.rows.length).toBeGreaterThan(0);
    });
  });
});
