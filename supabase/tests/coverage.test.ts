import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql } from "./support/db";
import { attempt, CODES, rolledBack, withScenario, world, type World } from "./support/engagements";
import { fx } from "./support/matrix-harness";

/**
 * Full coverage in a term (届内全覆盖): the plan's objects (term_objects: the office's own
 * units, and the elevated objects below it) and the security_invoker view term_coverage.
 * An object is covered by an engagement on its unit stationed within the term's years by
 * the plan's own office or an office above it; a lower office's patrol does not count.
 * Each office counts what RLS lets it see. Everything is rolled back.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

const addObject = (tx: Tx, term: number, unit: number, kind: string, year: number | null = 2025) =>
  rolledBack(tx, (sp) => sp`insert into public.term_objects (term_id, unit_id, kind, planned_year) values (${term}, ${unit}, ${kind}, ${year})`);

describe("term_objects: what a plan may list", () => {
  it("lists the office's own units as regular objects and units below it as elevated ones", async () => {
    await withScenario(async (tx, s, as) => {
      const city = s.term.get(CODES.city)!;
      const daoli = s.term.get(CODES.daoli)!;
      const u = w.units;
      await as("city");
      expect(
        {
          regularOwn: await addObject(tx, city, u.city[3], "regular"),
          regularChild: await addObject(tx, city, u.daoli[3], "regular"),
          elevatedChild: await addObject(tx, city, u.daoli[3], "elevated"),
          elevatedOtherChild: await addObject(tx, city, u.nangang[3], "elevated"),
          elevatedOwn: await addObject(tx, city, u.city[3], "elevated"),
          elevatedSiblingCity: await addObject(tx, city, u.qqhr[3], "elevated"),
          elevatedParent: await addObject(tx, city, u.province[3], "elevated"),
          elevatedOtherProvince: await addObject(tx, city, u.zj[3], "elevated"),
          yearOutside: await addObject(tx, city, u.city[3], "regular", 2027),
          yearBefore: await addObject(tx, city, u.city[3], "regular", 2021),
          noYear: await addObject(tx, city, u.city[3], "regular", null),
          twice: await addObject(tx, city, u.city[0], "regular"),
        },
      ).toEqual({
        regularOwn: "ok",
        regularChild: "23514: term object: a regular object is a unit of the term's own org",
        elevatedChild: "ok",
        elevatedOtherChild: "ok",
        elevatedOwn: "23514: term object: an elevated object is a unit below the term's org",
        elevatedSiblingCity: "23514: term object: an elevated object is a unit below the term's org",
        elevatedParent: "23514: term object: an elevated object is a unit below the term's org",
        elevatedOtherProvince: "23514: term object: an elevated object is a unit below the term's org",
        yearOutside: "23514: term object: the planned year is outside the term",
        yearBefore: "23514: term object: the planned year is outside the term",
        noYear: "ok",
        twice: expect.stringMatching(/^23505/),
      });
      // Org and province come from the term, whatever the client sends; an object does not move.
      const [row] = await tx<{ id: number; orgId: number; provinceId: number }[]>`
        insert into public.term_objects (term_id, unit_id, kind, org_id, province_id) values (${city}, ${u.city[3]}, 'regular', ${w.org.qqhr}, ${w.org.zj})
        returning id::int as id, org_id as "orgId", province_id as "provinceId"`;
      expect(row).toMatchObject({ orgId: w.org.city, provinceId: w.org.province });
      expect(await rolledBack(tx, (sp) => sp`update public.term_objects set unit_id = ${u.city[4]} where id = ${row.id}`)).toMatch(/^22023/);
      expect(await attempt(tx, (sp) => sp`update public.term_objects set planned_year = 2026 where id = ${row.id}`)).toBe("rows:1");
      expect(await attempt(tx, (sp) => sp`delete from public.term_objects where id = ${row.id}`)).toBe("rows:1");
      // A county has nothing below it.
      await as("daoli");
      expect(await addObject(tx, daoli, u.daoli[3], "regular")).toBe("ok");
      expect(await addObject(tx, daoli, u.nangang[3], "elevated")).toMatch(/^23514: term object: an elevated object/);
      // Only the plan's office writes it, refused before anything is checked.
      for (const who of ["daoli", "province", "leader", "cityMember", "sysadmin"] as const) {
        await as(who);
        expect(await addObject(tx, city, u.daoli[3], "regular"), who).toMatch(/^42501/);
        expect(await attempt(tx, (sp) => sp`update public.term_objects set planned_year = planned_year where term_id = ${city}`), who).toBe("rows:0");
      }
    });
  });
});

interface CoverageRow {
  unitId: number;
  kind: string;
  covered: boolean;
  coveredOn: string | null;
  coveredMode: string | null;
  scheduled: boolean;
}

async function coverage(tx: Tx, term: number): Promise<Record<number, Omit<CoverageRow, "unitId">>> {
  const rows = await tx<CoverageRow[]>`
    select unit_id::int as "unitId", kind::text as kind, covered, to_char(covered_on, 'YYYY-MM-DD') as "coveredOn",
           covered_mode::text as "coveredMode", scheduled
      from public.term_coverage where term_id = ${term} order by unit_id`;
  return Object.fromEntries(rows.map(({ unitId, ...r }) => [unitId, r]));
}

describe("term_coverage", () => {
  it("counts an engagement stationed within the term's years by the plan's office or one above it, not by a lower office", async () => {
    await withScenario(async (tx, s, as) => {
      const u = w.units;
      const tag = randomUUID().slice(0, 6);
      // The city's plan for a term, and a round of it with a group of its own and a cross group of 道里.
      const cityTerm = await fx.term(tx, w.org.city, `覆盖测试届${tag}`, 2022, 2026);
      const round = await fx.round(tx, w.org.city, cityTerm, 1, "stationed", 2024);
      const cityGroup = await fx.group(tx, round, null, 1, s.window);
      const crossGroup = await fx.group(tx, round, w.org.daoli, 2, s.window);
      const [A, B, E] = [u.city[3], u.city[4], u.city[5]];
      const [C, D] = [u.daoli[3], u.daoli[4]];
      const N = u.nangang[3];
      for (const [unit, kind] of [[A, "regular"], [B, "regular"], [E, "regular"], [C, "elevated"], [D, "elevated"]] as const) {
        await tx`insert into public.term_objects (term_id, unit_id, kind, planned_year) values (${cityTerm}, ${unit}, ${kind}, 2024)`;
      }
      // 道里's and 南岗's plans for the same years.
      const daoliTerm = await fx.term(tx, w.org.daoli, `覆盖测试届${tag}`, 2022, 2026);
      await tx`insert into public.term_objects (term_id, unit_id, kind) values (${daoliTerm}, ${C}, 'regular'), (${daoliTerm}, ${D}, 'regular')`;
      const nangangTerm = await fx.term(tx, w.org.nangang, `覆盖测试届${tag}`, 2022, 2026);
      await tx`insert into public.term_objects (term_id, unit_id, kind) values (${nangangTerm}, ${N}, 'regular')`;

      const station = (id: number, on: string) => tx`update public.engagements set stationed_on = ${on} where id = ${id}`;
      await fx.engagement(tx, round, cityGroup.id, A, "regular", "2024-05-10");
      await fx.engagement(tx, round, cityGroup.id, B, "regular", "2027-01-10"); // after the term
      const d = await fx.engagement(tx, round, cityGroup.id, D, "elevated"); // planned, not stationed
      await fx.engagement(tx, s.round.get(CODES.daoli)!, s.g(CODES.daoli).id, C, "regular", "2025-04-01"); // 道里's own: lower than the city
      const cross = await fx.engagement(tx, round, crossGroup.id, N, "cross");

      const none = { covered: false, coveredOn: null, coveredMode: null, scheduled: false };
      await as("city");
      expect(await coverage(tx, cityTerm), "the city's plan, before").toEqual({
        [A]: { kind: "regular", covered: true, coveredOn: "2024-05-10", coveredMode: "regular", scheduled: false },
        [B]: { kind: "regular", ...none },
        [C]: { kind: "elevated", ...none }, // 道里's own patrol does not cover the city's elevated object
        [D]: { kind: "elevated", ...none, scheduled: true },
        [E]: { kind: "regular", ...none },
      });
      await as("daoli");
      expect(await coverage(tx, daoliTerm), "道里's plan, before").toEqual({
        [C]: { kind: "regular", covered: true, coveredOn: "2025-04-01", coveredMode: "regular", scheduled: false },
        [D]: { kind: "regular", ...none }, // the city's planned elevated engagement is not 道里's to see yet
      });
      await as("nangang");
      expect(await coverage(tx, nangangTerm), "南岗's plan, before").toEqual({ [N]: { kind: "regular", ...none } });

      // The province patrols C (elevated), the city stations D and the cross engagement of N.
      await as("owner");
      await fx.engagement(tx, s.round.get(CODES.province)!, s.g(CODES.province).id, C, "elevated", "2025-06-01");
      await station(d.id, "2026-06-01");
      await station(cross.id, "2026-02-01");

      await as("city");
      expect(await coverage(tx, cityTerm), "the city's plan, after").toEqual({
        [A]: { kind: "regular", covered: true, coveredOn: "2024-05-10", coveredMode: "regular", scheduled: false },
        [B]: { kind: "regular", ...none },
        [C]: { kind: "elevated", covered: true, coveredOn: "2025-06-01", coveredMode: "elevated", scheduled: false }, // by the province
        [D]: { kind: "elevated", covered: true, coveredOn: "2026-06-01", coveredMode: "elevated", scheduled: false },
        [E]: { kind: "regular", ...none },
      });
      await as("daoli");
      expect(await coverage(tx, daoliTerm), "道里's plan, after").toEqual({
        [C]: { kind: "regular", covered: true, coveredOn: "2025-04-01", coveredMode: "regular", scheduled: false }, // the first
        [D]: { kind: "regular", covered: true, coveredOn: "2026-06-01", coveredMode: "elevated", scheduled: false }, // the city's, now seen
      });
      await as("nangang");
      expect(await coverage(tx, nangangTerm), "南岗's plan: the city's cross patrol covers it").toEqual({
        [N]: { kind: "regular", covered: true, coveredOn: "2026-02-01", coveredMode: "cross", scheduled: false },
      });

      // Each office counts what it may see: the province all three plans, the others none but their own.
      const visibleTerms = async () =>
        (await tx<{ term: number }[]>`
          select distinct term_id::int as term from public.term_coverage where term_id in (${cityTerm}, ${daoliTerm}, ${nangangTerm}) order by 1`).map((r) => r.term);
      const sees: Record<string, number[]> = {};
      for (const who of ["province", "leader", "city", "daoli", "nangang", "qqhr", "zj", "cityMember", "sysadmin"] as const) {
        await as(who);
        sees[who] = await visibleTerms();
      }
      const all = [cityTerm, daoliTerm, nangangTerm].sort((a, b) => a - b);
      expect(sees).toEqual({
        province: all, leader: all, city: all, daoli: [daoliTerm], nangang: [nangangTerm], qqhr: [], zj: [], cityMember: [], sysadmin: [],
      });
      await as("province");
      expect(await coverage(tx, cityTerm), "the province's figure for the city's plan is the city's").toMatchObject({
        [C]: { covered: true, coveredOn: "2025-06-01" },
        [D]: { covered: true },
      });
    });
  });

  it("takes only stationings within the term's years", async () => {
    await withScenario(async (tx, s, as) => {
      const tag = randomUUID().slice(0, 6);
      const term = await fx.term(tx, w.org.city, `覆盖边界届${tag}`, 2023, 2025);
      const round = await fx.round(tx, w.org.city, term, 1, "stationed", 2024);
      const group = await fx.group(tx, round, null, 1, s.window);
      const units = w.units.city.slice(3, 6);
      for (const unit of units) await tx`insert into public.term_objects (term_id, unit_id, kind) values (${term}, ${unit}, 'regular')`;
      const on = ["2022-12-31", "2023-01-01", "2025-12-31"];
      for (const [i, unit] of units.entries()) await fx.engagement(tx, round, group.id, unit, "regular", on[i]);
      await as("city");
      const rows = await coverage(tx, term);
      expect(units.map((unit) => rows[unit].covered)).toEqual([false, true, true]);
    });
  });
});
