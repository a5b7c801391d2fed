import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { asUser, closeTestSql, DEMO, ownerSql, sqlState } from "./support/db";
import { EVERY_ACTOR, fixtures, keysOf, ORG_KEYS, type Fixtures, type OrgKey, PROVINCE_STAFF } from "./support/fixtures";

afterAll(closeTestSql);

let f: Fixtures;
let provinceOrgCount: number;
beforeAll(async () => {
  f = await fixtures();
  [{ n: provinceOrgCount }] = await ownerSql()<{ n: number }[]>`
    select count(*)::int as n from public.orgs where province_id = ${f.org.province} and kind = 'patrol_office'`;
});


async function visibleOrgs(email: string, membership?: { regionCode: string; role: string }) {
  return asUser(
    email,
    async (tx) => {
      const rows = await tx<{ id: number }[]>`select id from public.orgs where id = any(${ORG_KEYS.map((k) => f.org[k])}::int[])`;
      const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from public.orgs`;
      return { orgs: keysOf(f, "org", rows.map((r) => r.id)), total: n };
    },
    membership,
  );
}

const WHOLE_PROVINCE: OrgKey[] = ["province", "city", "daoli", "nangang", "siblingCity"];

describe("orgs: who sees which offices", () => {
  it("a province office sees every office of its province and none of another province", async () => {
    expect(await visibleOrgs(DEMO.province)).toEqual({ orgs: WHOLE_PROVINCE, total: f.subtreeOrgs.province });
    expect(f.subtreeOrgs.province).toBe(provinceOrgCount);
  });

  it("a city office sees itself and its counties, plus the province office where it also holds a membership", async () => {
    expect(await visibleOrgs(DEMO.city)).toEqual({
      orgs: ["province", "city", "daoli", "nangang"],
      total: f.subtreeOrgs.city + 1,
    });
  });

  it("a county office sees only itself: not its sibling county, its city or its province", async () => {
    expect(await visibleOrgs(DEMO.countyDaoli)).toEqual({ orgs: ["daoli"], total: 1 });
    expect(await visibleOrgs(DEMO.countyNangang)).toEqual({ orgs: ["nangang"], total: 1 });
  });

  it("a sibling city office sees its own subtree only", async () => {
    expect(await visibleOrgs(DEMO.otherCity)).toEqual({ orgs: ["siblingCity"], total: f.subtreeOrgs.siblingCity });
  });

  it("another province's office sees its own province's tree only", async () => {
    expect(await visibleOrgs(DEMO.otherProvince)).toEqual({ orgs: ["otherProvince"], total: f.subtreeOrgs.otherProvince });
  });

  it("leadership and system administrators see the org tree of their subtree", async () => {
    for (const email of [DEMO.leadership, DEMO.systemAdmin]) {
      expect(await visibleOrgs(email), email).toEqual({ orgs: WHOLE_PROVINCE, total: f.subtreeOrgs.province });
    }
  });

  it("an audit administrator sees the org tree of his subtree and the partners attached to it", async () => {
    const [{ partners }] = await ownerSql()<{ partners: number }[]>`
      select count(*)::int as partners from public.orgs p join public.orgs o on o.id = p.attached_org_id
       where o.province_id = ${f.org.province}`;
    expect(partners).toBeGreaterThan(0);
    expect(await visibleOrgs(DEMO.auditAdmin)).toEqual({ orgs: WHOLE_PROVINCE, total: f.subtreeOrgs.province + partners });
  });

  it("an inspected unit's contact, head or not, sees his unit's office only: not its counties", async () => {
    expect(await visibleOrgs(DEMO.unitContact)).toEqual({ orgs: ["city"], total: 1 });
    expect(await visibleOrgs(DEMO.unitHead)).toEqual({ orgs: ["city"], total: 1 });
  });

  it("switching to the province membership shows the whole province tree", async () => {
    expect(await visibleOrgs(DEMO.city, PROVINCE_STAFF)).toEqual({ orgs: WHOLE_PROVINCE, total: f.subtreeOrgs.province });
  });
});

describe("orgs: supervision partners (纪委监委、组织部) stand beside the offices, outside every subtree", () => {
  /** The partners attached to the fixture offices, as the owner sees them. */
  async function partners() {
    return ownerSql()<{ id: number; name: string; attachedOrgId: number }[]>`
      select id, name, attached_org_id as "attachedOrgId" from public.orgs
       where kind = 'supervision_partner' and attached_org_id = any(${ORG_KEYS.map((k) => f.org[k])}::int[]) order by id`;
  }

  it("no office's subtree holds a partner: org_closure joins a partner to itself only", async () => {
    const all = await partners();
    expect(all.map((p) => p.name), "the demo has 纪委监委 and 组织部 beside the offices of 黑龙江").toEqual(
      expect.arrayContaining(["黑龙江省纪委监委", "黑龙江省委组织部", "哈尔滨市纪委监委", "哈尔滨市委组织部", "道里区纪委监委"]),
    );
    const [{ n }] = await ownerSql()<{ n: number }[]>`
      select count(*)::int as n from public.org_closure c join public.orgs o on o.id = c.descendant_id
       where o.kind = 'supervision_partner' and c.ancestor_id <> c.descendant_id`;
    expect(n, "no ancestor row leads to a partner").toBe(0);
    const [{ m }] = await ownerSql()<{ m: number }[]>`
      select count(*)::int as m from public.org_closure c join public.orgs o on o.id = c.ancestor_id
       where o.kind = 'supervision_partner' and c.ancestor_id <> c.descendant_id`;
    expect(m, "and no partner is an ancestor").toBe(0);
  });

  it("no office account sees a partner org, the province's included (only an auditor names them)", async () => {
    const ids = (await partners()).map((p) => p.id);
    for (const [label, email, membership] of EVERY_ACTOR.filter(([, email]) => email !== DEMO.cityPartner && email !== DEMO.auditAdmin)) {
      const seen = await asUser(
        email,
        async (tx) => {
          const [{ listed, partnersSeen }] = await tx<{ listed: number; partnersSeen: number }[]>`
            select count(*) filter (where id = any(${ids}::int[]))::int as listed,
                   count(*) filter (where kind = 'supervision_partner')::int as "partnersSeen"
              from public.orgs`;
          return { listed, partnersSeen };
        },
        membership,
      );
      expect(seen, label).toEqual({ listed: 0, partnersSeen: 0 });
    }
  });

  it("a partner's staff sees his own org only: no office, no other partner", async () => {
    const own = (await partners()).find((p) => p.name === "哈尔滨市纪委监委")!;
    const seen = await asUser(DEMO.cityPartner, async (tx) => ({
      orgs: (await tx<{ id: number }[]>`select id from public.orgs order by id`).map((r) => r.id),
      closure: await tx<{ ancestor: number; descendant: number }[]>`
        select ancestor_id as ancestor, descendant_id as descendant from public.org_closure`,
    }));
    expect(seen.orgs).toEqual([own.id]);
    expect(seen.closure).toEqual([{ ancestor: own.id, descendant: own.id }]);
  });
});

describe("orgs: nobody writes the org tree", () => {
  const attempts = (tx: Tx) => [
    () =>
      sqlState(tx, (sp) => sp`
        insert into public.orgs (parent_id, level, region_code, region_name, name)
        values (${f.org.daoli}, 'county', '239999', '测试区', '测试区委巡察办')`),
    () => sqlState(tx, (sp) => sp`update public.orgs set name = name where id = ${f.org.daoli}`),
    () => sqlState(tx, (sp) => sp`update public.orgs set name = name where id = ${f.org.otherProvince}`),
    () => sqlState(tx, (sp) => sp`delete from public.orgs where id = ${f.org.daoli}`),
    () => sqlState(tx, (sp) => sp`truncate public.orgs cascade`),
  ];

  it("insert, update, delete and truncate on orgs raise 42501 for every role, own org included", async () => {
    for (const email of Object.values(DEMO)) {
      const codes = await asUser(email, async (tx) => {
        const out: (string | null)[] = [];
        for (const attempt of attempts(tx)) out.push(await attempt());
        return out;
      });
      expect(codes, email).toEqual(["42501", "42501", "42501", "42501", "42501"]);
    }
  });
});

describe("org_closure: the closure rows of the subtree", () => {
  async function closure(email: string, membership?: { regionCode: string; role: string }) {
    return asUser(
      email,
      async (tx) => {
        const [{ n, outside }] = await tx<{ n: number; outside: number }[]>`
          select count(*)::int as n,
                 count(*) filter (where province_id <> ${f.org.province})::int as outside
            from public.org_closure`;
        const forDaoli = await tx<{ ancestor_id: number; depth: number }[]>`
          select ancestor_id, depth from public.org_closure where descendant_id = ${f.org.daoli} order by depth`;
        const forSibling = await tx`select 1 from public.org_closure where descendant_id = ${f.org.siblingCity}`;
        return { n, outside, forDaoli, forSibling: forSibling.length };
      },
      membership,
    );
  }

  async function expectedRows(ancestor: number): Promise<number> {
    const [{ n }] = await ownerSql()<{ n: number }[]>`
      select count(*)::int as n from public.org_closure
       where descendant_id in (select descendant_id from public.org_closure where ancestor_id = ${ancestor})`;
    return n;
  }

  it("a county office sees the closure rows that lead to itself (its ancestors' rows included) and no other", async () => {
    const seen = await closure(DEMO.countyDaoli);
    expect(seen.forDaoli).toEqual([
      { ancestor_id: f.org.daoli, depth: 0 },
      { ancestor_id: f.org.city, depth: 1 },
      { ancestor_id: f.org.province, depth: 2 },
    ]);
    expect(seen.n).toBe(3);
    expect(seen.forSibling).toBe(0);
  });

  it("a city office sees the rows whose descendant is in its subtree, not the sibling city's", async () => {
    const seen = await closure(DEMO.city);
    expect(seen.n).toBe(await expectedRows(f.org.city));
    expect(seen.forDaoli).toHaveLength(3);
    expect(seen.forSibling).toBe(0);
  });

  it("a province office sees the rows of its whole province and nothing of another province", async () => {
    const seen = await closure(DEMO.province);
    expect(seen.n).toBe(await expectedRows(f.org.province));
    expect(seen.outside).toBe(0);
    expect(seen.forSibling).toBe(2);
  });

  it("another province's office sees none of 黑龙江's closure rows", async () => {
    const seen = await closure(DEMO.otherProvince);
    expect(seen.n).toBe(await expectedRows(f.org.otherProvince));
    expect(seen.forDaoli).toEqual([]);
    expect(seen.forSibling).toBe(0);
  });

  it("switching to the province membership shows the whole province's closure", async () => {
    const seen = await closure(DEMO.city, PROVINCE_STAFF);
    expect(seen.n).toBe(await expectedRows(f.org.province));
  });

  it("insert, update and delete on org_closure raise 42501 for every role", async () => {
    for (const email of Object.values(DEMO)) {
      const codes = await asUser(email, async (tx) => [
        await sqlState(tx, (sp) => sp`
          insert into public.org_closure (ancestor_id, descendant_id, depth, province_id)
          values (${f.org.daoli}, ${f.org.siblingCity}, 1, ${f.org.province})`),
        await sqlState(tx, (sp) => sp`update public.org_closure set depth = depth where descendant_id = ${f.org.daoli}`),
        await sqlState(tx, (sp) => sp`delete from public.org_closure where descendant_id = ${f.org.daoli}`),
      ]);
      expect(codes, email).toEqual(["42501", "42501", "42501"]);
    }
  });
});
