import { afterAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { rectificationRate } from "../../app/lib/figures";
import { ZJ_LOCAL_OFFICES } from "../seed/demo";
import { SEED_003_LOCAL } from "../seed/zhejiang";
import { asUser, closeTestSql, DEMO, orgIdByRegion, ownerSql } from "./support/db";

/**
 * Seed 003 on the demo's figures, as 浙江's province director reads them through
 * public.org_figures: "2019年，全省各级巡察办共巡察党组织100个，巡察发现“三个聚焦”方面问题86949个，
 * 党纪政务处分922人，移送司法机关处理110人" — the city and county offices' 2025 (the demo's
 * year for the seed's 2019) — and, unchanged beside it, the province's own rounds: 2,101
 * problems in rounds 1–3, 1,903 of 2,266 fed-back problems rectified over rounds 1–4.
 * Read-only: nothing is written.
 */

afterAll(closeTestSql);

const YEAR = SEED_003_LOCAL.year;

interface Row {
  orgId: number;
  ownOnly: boolean;
  engagements: number;
  problems: number;
  fedBack: number;
  rectified: number;
  leadsTransferred: number;
  sanctioned: number;
  judicial: number;
  byCategory: Record<string, number>;
}
const COUNTS = ["engagements", "problems", "fedBack", "rectified", "leadsTransferred", "sanctioned", "judicial"] as const;
type Counts = Record<(typeof COUNTS)[number], number>;

async function orgFigures(tx: Tx, orgId: number, o: { year?: number; round?: number } = {}): Promise<Row[]> {
  return tx<Row[]>`
    select org_id as "orgId", own_only as "ownOnly", engagements, problems, fed_back as "fedBack", rectified,
           leads_transferred as "leadsTransferred", persons_sanctioned as sanctioned, persons_judicial as judicial,
           by_category as "byCategory"
      from public.org_figures(${orgId}, null, ${o.round ?? null}::bigint, current_date, ${o.year ?? null}::int)`;
}

const counts = (r: Row | Counts): Counts => Object.fromEntries(COUNTS.map((k) => [k, r[k]])) as Counts;
const sum = (rows: (Row | Counts)[]): Counts =>
  Object.fromEntries(COUNTS.map((k) => [k, rows.reduce((s, r) => s + r[k], 0)])) as Counts;
const total = (rows: Row[], orgId: number) => rows.find((r) => r.orgId === orgId && !r.ownOnly)!;
const own = (rows: Row[], orgId: number) => rows.find((r) => r.orgId === orgId && r.ownOnly)!;
const children = (rows: Row[], orgId: number) => rows.filter((r) => r.orgId !== orgId);

describe("seed 003's all-level figure: 浙江's city and county patrol offices in one year", () => {
  it("the province's children sum to 100 organisations, 86,949 problems, 922 sanctioned, 110 sent to justice", async () => {
    const province = await orgIdByRegion("330000");
    const rows = await asUser(DEMO.otherProvince, (tx) => orgFigures(tx, province, { year: YEAR }));
    const cities = children(rows, province);
    expect(cities.length, "浙江's eleven cities").toBe(11);
    const { leadsTransferred, ...figure } = sum(cities);
    // Not fed back: the demo keeps no ledger of these offices' rectification (rate —).
    expect(figure).toEqual({ engagements: 100, problems: 86_949, fedBack: 0, rectified: 0, sanctioned: 922, judicial: 110 });
    expect(leadsTransferred, "the sanctions come from leads transferred to the partners").toBeGreaterThan(0);
    // 杭州, 宁波 and 温州 carry it; the other cities did not patrol that year.
    const carrying = await Promise.all(["330100", "330200", "330300"].map(orgIdByRegion));
    expect(cities.filter((c) => c.engagements > 0).map((c) => c.orgId).sort()).toEqual([...carrying].sort());
    // The whole province that year: its own round 6 (not part of the figure) plus the cities.
    expect(counts(total(rows, province))).toEqual(sum([own(rows, province), ...cities]));
    expect(own(rows, province).engagements, "the province's own 2025 round").toBeGreaterThan(0);
    // Problems in the common taxonomy's top categories, adding up.
    const topCodes = new Map((await ownerSql()<{ id: string; code: string }[]>`
      select id::text as id, code from public.problem_categories where org_id is null and parent_id is null`).map((c) => [c.id, c.code]));
    for (const c of cities.filter((x) => x.engagements > 0)) {
      expect(Object.values(c.byCategory).reduce((a, b) => a + b, 0)).toBe(c.problems);
      expect(Object.keys(c.byCategory).every((id) => topCodes.has(id)), "top categories of the common taxonomy").toBe(true);
    }
  });

  it("is one year: the cities' figures of the years before and after hold none of it", async () => {
    const province = await orgIdByRegion("330000");
    for (const year of [YEAR - 1, YEAR + 1]) {
      const rows = await asUser(DEMO.otherProvince, (tx) => orgFigures(tx, province, { year }));
      expect(sum(children(rows, province)), String(year)).toEqual(sum([]));
    }
  });

  it("each city's figure is its own rounds' plus its counties', to the province as to itself", async () => {
    const province = await orgIdByRegion("330000");
    const fromProvince = await asUser(DEMO.otherProvince, (tx) => orgFigures(tx, province, { year: YEAR }));
    const counties = new Map<number, number>();
    for (const code of ["330100", "330200", "330300"]) {
      const city = await orgIdByRegion(code);
      const rows = await asUser(DEMO.otherProvince, (tx) => orgFigures(tx, city, { year: YEAR }));
      const cityTotal = counts(total(rows, city));
      expect(cityTotal, code).toEqual(sum([own(rows, city), ...children(rows, city)]));
      expect(cityTotal, `${code} in the province's table`).toEqual(counts(total(fromProvince, city)));
      // A city patrols twelve of its units (six groups, two each); each county four.
      expect(own(rows, city).engagements, code).toBe(12);
      const patrolling = children(rows, city).filter((c) => c.engagements > 0);
      for (const c of patrolling) {
        expect(c.engagements).toBe(4);
        // A county's row is its own rounds only: it has no children.
        const county = await asUser(DEMO.otherProvince, (tx) => orgFigures(tx, c.orgId, { year: YEAR }));
        expect(counts(own(county, c.orgId))).toEqual(counts(c));
      }
      counties.set(city, patrolling.length);
    }
    expect([...counties.values()].reduce((a, b) => a + b, 0), "sixteen counties").toBe(16);
    expect(ZJ_LOCAL_OFFICES.length).toBe(3 + 16);
  });

  it("the sanctioned and judicial persons are the partners' handlings of the leads transferred to them", async () => {
    const codes = ZJ_LOCAL_OFFICES.map((o) => o.code);
    const [row] = await ownerSql()<{ sanctioned: number; judicial: number; partners: number; elsewhere: number }[]>`
      select coalesce(sum(h.sanctioned_persons), 0)::int as sanctioned, coalesce(sum(h.judicial_persons), 0)::int as judicial,
             count(distinct l.receiving_org_id)::int as partners,
             count(*) filter (where p.attached_org_id <> l.supervising_org_id or p.kind <> 'supervision_partner')::int as elsewhere
        from private.lead_handlings h
        join private.leads l on l.id = h.lead_id
        join public.engagements e on e.id = l.engagement_id
        join public.rounds r on r.id = e.round_id
        join public.orgs o on o.id = l.supervising_org_id
        join public.orgs p on p.id = h.receiving_org_id
       where o.region_code = any(${codes}::text[]) and r.year = ${YEAR}`;
    const { partners, ...persons } = row;
    expect(persons).toEqual({ sanctioned: 922, judicial: 110, elsewhere: 0 });
    expect(partners, "the 纪委监委 and 组织部 beside the offices").toBeGreaterThan(19);
  });
});

describe("the province's own rounds keep seed 003's figures", () => {
  it("rounds 1–3: 2,101 problems; rounds 1–4: 1,903 of 2,266 fed-back problems rectified, 83.98%", async () => {
    const province = await orgIdByRegion("330000");
    const own = await asUser(DEMO.otherProvince, async (tx) => {
      const rounds = await tx<{ id: number; number: number }[]>`
        select id::int as id, number from public.rounds where org_id = ${province} and number <= 4 order by number`;
      expect(rounds.map((r) => r.number)).toEqual([1, 2, 3, 4]);
      const out: Counts[] = [];
      for (const r of rounds) {
        const rows = await orgFigures(tx, province, { round: r.id });
        // A round of the province's own: its 本级 row is all of it.
        expect(counts(rows.find((x) => x.orgId === province && x.ownOnly)!)).toEqual(counts(rows.find((x) => x.orgId === province && !x.ownOnly)!));
        out.push(counts(rows.find((x) => x.orgId === province && x.ownOnly)!));
      }
      return out;
    });
    expect(sum(own.slice(0, 3)).problems).toBe(2101);
    expect(sum(own.slice(0, 3)).engagements, "61 party organisations").toBe(61);
    const fed = sum(own);
    expect([fed.fedBack, fed.rectified]).toEqual([2266, 1903]);
    expect(rectificationRate(fed.rectified, fed.fedBack)).toBe("83.98%");
  });

  it("gives nothing of 浙江 to 黑龙江's director, nor of the province to a city's", async () => {
    const province = await orgIdByRegion("330000");
    const hangzhou = await orgIdByRegion("330100");
    expect(await asUser(DEMO.province, (tx) => orgFigures(tx, province, { year: YEAR }))).toEqual([]);
    expect(await asUser(DEMO.province, (tx) => orgFigures(tx, hangzhou, { year: YEAR }))).toEqual([]);
    expect(await asUser(DEMO.city, (tx) => orgFigures(tx, hangzhou, { year: YEAR }))).toEqual([]);
  });
});
