import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "~/lib/db.server";
import { outlook, type Figures, type PlanObject } from "~/lib/coverage";
import { asUser, closeTestSql, DEMO, orgIdByRegion, ownerSql, sqlState } from "../../supabase/tests/support/db";
import { addObject, coverageTree, includeAllUnits, setPlannedYear, termPlan, type CoverageNode } from "./coverage.server";
import { getAdministeredMembership, grantPermission, listMemberships, revokePermission } from "./people.server";

/**
 * Full coverage figures on the seeded demo, through RLS: a parent's rolled-up figure is
 * its own plus its children's rolled-up figures, and an office's own page shows the
 * same figure its ancestors see for it. Writes are rolled back.
 */

afterAll(closeTestSql);

const YEAR = 2026;
const KEYS: (keyof Figures)[] = ["due", "covered", "elevatedDue", "elevatedCovered", "scheduled"];
let province: number, city: number, daoli: number;

beforeAll(async () => {
  [province, city, daoli] = await Promise.all(["230000", "230100", "230102"].map(orgIdByRegion));
});

function sum(nodes: CoverageNode[], pick: (n: CoverageNode) => Figures): Figures {
  const out = { due: 0, covered: 0, elevatedDue: 0, elevatedCovered: 0, scheduled: 0 };
  for (const n of nodes) for (const k of KEYS) out[k] += pick(n)[k];
  return out;
}

describe("coverageTree", () => {
  it("rolls every org's figure up: rolled = own + the children's rolled-up figures", async () => {
    const nodes = await asUser(DEMO.province, (tx) => coverageTree(tx, province, YEAR));
    expect(nodes[0].id).toBe(province);
    expect(nodes.length).toBeGreaterThan(100);
    // The demo plans the province's term; an empty seed would make the rest vacuous.
    expect(nodes[0].own.due).toBeGreaterThan(0);
    let checked = 0;
    for (const n of nodes) {
      const children = nodes.filter((c) => c.parentId === n.id);
      const expected = sum([n], (x) => x.own);
      const fromChildren = sum(children, (c) => c.rolled);
      for (const k of KEYS) expect(n.rolled[k], `${n.name} ${k}`).toBe(expected[k] + fromChildren[k]);
      if (children.some((c) => c.rolled.due > 0)) checked++;
      expect(n.own.covered).toBeLessThanOrEqual(n.own.due);
      expect(n.own.elevatedDue).toBeLessThanOrEqual(n.own.due);
    }
    // At least the province and 哈尔滨 have planning children.
    expect(checked).toBeGreaterThanOrEqual(2);
    // The province's total is the sum over every org's own plan.
    expect(nodes[0].rolled.due).toBe(nodes.reduce((s, n) => s + n.own.due, 0));
  });

  it("gives a city and a county the same figures on their own page as their ancestors see", async () => {
    const fromProvince = await asUser(DEMO.province, (tx) => coverageTree(tx, province, YEAR));
    const fromCity = await asUser(DEMO.city, (tx) => coverageTree(tx, city, YEAR));
    const fromCounty = await asUser(DEMO.countyDaoli, (tx) => coverageTree(tx, daoli, YEAR));
    const strip = ({ depth: _depth, ...n }: CoverageNode) => n;
    const pick = (nodes: CoverageNode[], id: number) => strip(nodes.find((n) => n.id === id)!);
    expect(fromCity[0].id).toBe(city);
    expect(pick(fromCity, city)).toEqual(pick(fromProvince, city));
    expect(pick(fromCounty, daoli)).toEqual(pick(fromProvince, daoli));
    expect(pick(fromCounty, daoli)).toEqual(pick(fromCity, daoli));
    // The city sees itself and its counties only.
    const cityIds = new Set(fromCity.map((n) => n.id));
    expect(fromCity.every((n) => n.id === city || n.parentId === city)).toBe(true);
    expect(fromProvince.filter((n) => n.parentId === city).every((n) => cityIds.has(n.id))).toBe(true);
    expect(fromCounty.map((n) => n.id)).toEqual([daoli]);
  });
});

describe("the term plan", () => {
  async function termOf(orgId: number) {
    const [row] = await ownerSql()<{ id: number; startYear: number; endYear: number }[]>`
      select id::int as id, start_year as "startYear", end_year as "endYear" from public.terms
       where org_id = ${orgId} order by start_year desc limit 1`;
    return row;
  }

  it("includes every active unit of the org once, and refuses what does not fit", async () => {
    const term = await termOf(city);
    await asUser(DEMO.city, async (tx: Tx) => {
      const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from public.units where org_id = ${city} and active`;
      await includeAllUnits(tx, term.id);
      expect(await includeAllUnits(tx, term.id)).toBe(0);
      const plan = await termPlan(tx, term.id);
      expect(plan.filter((o) => o.kind === "regular").length).toBe(n);

      // A county unit is elevated, never regular; a city unit never elevated.
      const [county] = await tx<{ id: number }[]>`
        select u.id::int as id from public.units u where u.org_id = ${daoli} and u.active
           and not exists (select 1 from public.term_objects x where x.term_id = ${term.id} and x.unit_id = u.id) limit 1`;
      expect(await sqlState(tx, (sp) => addObject(sp, term.id, county.id, "regular", null))).toBe("23514");
      expect(await sqlState(tx, (sp) => addObject(sp, term.id, plan[0].unitId, "elevated", null))).toBe("23514");
      expect(await sqlState(tx, (sp) => addObject(sp, term.id, county.id, "elevated", term.endYear + 1))).toBe("23514");
      const id = await addObject(tx, term.id, county.id, "elevated", term.endYear);
      expect(await sqlState(tx, (sp) => addObject(sp, term.id, county.id, "elevated", null))).toBe("23505");
      expect(await sqlState(tx, (sp) => setPlannedYear(sp, term.id, [id], term.startYear - 1))).toBe("23514");
      expect(await setPlannedYear(tx, term.id, [id], null)).toBe(1);
    });
  });

  it("is written by the term's own office only", async () => {
    const term = await termOf(city);
    await asUser(DEMO.province, async (tx) => {
      expect(await sqlState(tx, (sp) => includeAllUnits(sp, term.id))).toBe("42501");
      // Reading is fine: the city is in the province's subtree.
      expect((await termPlan(tx, term.id)).length).toBeGreaterThanOrEqual(0);
    });
    await asUser(DEMO.countyDaoli, async (tx) => {
      expect(await termPlan(tx, term.id)).toEqual([]);
    });
  });
});

describe("special permissions on the memberships page", () => {
  it("a system admin grants and revokes 查看举报人身份 for others, never for himself", async () => {
    const admin = await ownerSql()<{ id: string }[]>`select id from auth.users where email = ${DEMO.systemAdmin}`;
    await asUser(DEMO.systemAdmin, async (tx) => {
      const rows = await listMemberships(tx);
      const own = rows.find((r) => r.userId === admin[0].id)!;
      const staff = rows.find((r) => r.email === DEMO.countyNangang)!;
      expect(await sqlState(tx, (sp) => grantPermission(sp, own, "view_reporter_identity"))).toBe("42501");
      await grantPermission(tx, staff, "view_reporter_identity");
      expect((await getAdministeredMembership(tx, staff.id))!.permissions).toEqual(["view_reporter_identity"]);
      expect(await sqlState(tx, (sp) => grantPermission(sp, staff, "view_reporter_identity"))).toBe("23505");
      expect(await revokePermission(tx, staff.id, "view_reporter_identity")).toBe(true);
      expect((await getAdministeredMembership(tx, staff.id))!.permissions).toEqual([]);
    });
  });

  it("an office director administers no memberships", async () => {
    await asUser(DEMO.province, async (tx) => {
      expect(await listMemberships(tx)).toEqual([]);
    });
  });
});

describe("outlook (前松后紧)", () => {
  const obj = (id: number, plannedYear: number | null, coveredOn: string | null): PlanObject => ({
    id, unitId: id, unitName: `单位${id}`, unitCategory: "other", unitOrgName: "机构", kind: "regular",
    plannedYear, covered: coveredOn !== null, coveredOn, coveredMode: coveredOn ? "regular" : null, scheduled: false,
  });

  it("compares each remaining year with the past pace and the whole remainder with the years left", () => {
    const objects = [
      obj(1, 2022, "2022-05-01"), obj(2, 2023, "2023-05-01"), obj(3, 2023, "2023-06-01"), obj(4, 2024, "2024-05-01"),
      obj(5, 2024, null), // overdue
      obj(6, 2025, null), obj(7, 2025, null), obj(8, 2026, null), obj(9, 2026, null), obj(10, 2026, null), obj(11, 2026, null),
      obj(12, null, null),
    ];
    const o = outlook(objects, { startYear: 2022, endYear: 2026 }, 2025);
    expect(o.pace).toEqual({ from: 2022, to: 2024, covered: 4, perYear: 4 / 3 });
    expect(o.remainingYears).toBe(2);
    expect(o.riskYears).toEqual([{ year: 2025, remaining: 2 }, { year: 2026, remaining: 4 }]);
    expect(o.totalRisk).toEqual({ remaining: 8, years: 2, capacity: 2 });
    expect(o.groups.map((g) => [g.year, g.overdue, g.objects.length])).toEqual([
      [2024, true, 1], [2025, false, 2], [2026, false, 4], [null, false, 1],
    ]);
    expect(o.years.find((y) => y.year === 2023)).toMatchObject({ covered: 2, remaining: 0, past: true });
  });

  it("has no pace in the term's first year, and no risk when the plan is even", () => {
    expect(outlook([obj(1, 2022, null)], { startYear: 2022, endYear: 2026 }, 2022).pace).toBeNull();
    const even = [obj(1, 2022, "2022-03-01"), obj(2, 2023, "2023-03-01"), obj(3, 2024, null), obj(4, 2025, null)];
    const o = outlook(even, { startYear: 2022, endYear: 2026 }, 2024);
    expect(o.riskYears).toEqual([]);
    expect(o.totalRisk).toBeNull();
  });
});
