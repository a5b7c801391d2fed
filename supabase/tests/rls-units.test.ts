import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { asUser, closeTestSql, DEMO, sqlState, userId } from "./support/db";
import { fixtures, OFFICE_USERS, keysOf, ORG_KEYS, type Fixtures, type OrgKey, PROVINCE_STAFF } from "./support/fixtures";

afterAll(closeTestSql);

let f: Fixtures;
beforeAll(async () => {
  f = await fixtures();
});


/** Which fixture orgs' sample units the user can see, and how many units in total. */
async function visibleUnits(email: string, membership?: { regionCode: string; role: string }) {
  return asUser(
    email,
    async (tx) => {
      const samples = await tx<{ id: number }[]>`
        select id::int as id from public.units where id = any(${ORG_KEYS.map((k) => f.unit[k])}::bigint[])`;
      const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from public.units`;
      return { orgs: keysOf(f, "unit", samples.map((r) => r.id)), total: n };
    },
    membership,
  );
}

async function insertUnit(tx: Tx, org: OrgKey, extra: { parent?: number; provinceId?: number; createdBy?: string } = {}) {
  return tx<{ id: number; province_id: number; created_by: string; updated_by: string }[]>`
    insert into public.units (org_id, name, category, head_level, parent_unit_id, province_id, created_by)
    values (${f.org[org]}, ${"测试单位" + Math.random().toString(36).slice(2, 8)}, 'other', 'county_managed',
            ${extra.parent ?? null}, ${extra.provinceId ?? f.org[org]}, ${extra.createdBy ?? null})
    returning id::int as id, province_id, created_by, updated_by`;
}

const insertState = (tx: Tx, org: OrgKey) => sqlState(tx, (sp) => insertUnit(sp, org));

async function renameCount(tx: Tx, unitId: number): Promise<number> {
  const result = await tx`update public.units set name = name || '（改）' where id = ${unitId}`;
  return result.count;
}

describe("units: who sees what", () => {
  it("a province office sees every unit of its province, cities and counties included, and none of another province", async () => {
    const seen = await visibleUnits(DEMO.province);
    expect(seen.orgs).toEqual(["province", "city", "daoli", "nangang", "siblingCity"]);
    expect(seen.total).toBe(f.subtreeUnits.province);
  });

  it("a city office sees its own and its counties' units, not its province's, a sibling city's or another province's", async () => {
    const seen = await visibleUnits(DEMO.city);
    expect(seen.orgs).toEqual(["city", "daoli", "nangang"]);
    expect(seen.total).toBe(f.subtreeUnits.city);
  });

  it("a county office sees only its own units, not a sibling county's nor its city's", async () => {
    const seen = await visibleUnits(DEMO.countyDaoli);
    expect(seen.orgs).toEqual(["daoli"]);
    expect(seen.total).toBe(f.ownUnits.daoli);
  });

  it("the other county office sees only its own units as well", async () => {
    const seen = await visibleUnits(DEMO.countyNangang);
    expect(seen.orgs).toEqual(["nangang"]);
    expect(seen.total).toBe(f.ownUnits.nangang);
  });

  it("a sibling city office sees its own subtree and nothing of 哈尔滨", async () => {
    const seen = await visibleUnits(DEMO.otherCity);
    expect(seen.orgs).toEqual(["siblingCity"]);
    expect(seen.total).toBe(f.subtreeUnits.siblingCity);
  });

  it("another province's office sees its own province and nothing of 黑龙江", async () => {
    const seen = await visibleUnits(DEMO.otherProvince);
    expect(seen.orgs).toEqual(["otherProvince"]);
    expect(seen.total).toBe(f.subtreeUnits.otherProvince);
  });

  it("leadership reads the whole province subtree", async () => {
    const seen = await visibleUnits(DEMO.leadership);
    expect(seen.orgs).toEqual(["province", "city", "daoli", "nangang", "siblingCity"]);
    expect(seen.total).toBe(f.subtreeUnits.province);
  });

  it("a system administrator sees no units at all", async () => {
    expect(await visibleUnits(DEMO.systemAdmin)).toEqual({ orgs: [], total: 0 });
  });

  it("an audit administrator sees no units at all", async () => {
    expect(await visibleUnits(DEMO.auditAdmin)).toEqual({ orgs: [], total: 0 });
  });

  it("switching the active membership to the province office widens the scope to the whole province", async () => {
    const asCity = await visibleUnits(DEMO.city);
    const asProvinceStaff = await visibleUnits(DEMO.city, PROVINCE_STAFF);
    expect(asCity.orgs).toEqual(["city", "daoli", "nangang"]);
    expect(asProvinceStaff.orgs).toEqual(["province", "city", "daoli", "nangang", "siblingCity"]);
    expect(asProvinceStaff.total).toBe(f.subtreeUnits.province);
  });

  it("switching with private.switch_active_membership changes the scope within the same transaction", async () => {
    const uid = await userId(DEMO.city);
    const result = await asUser(DEMO.city, async (tx) => {
      const before = (await tx<{ n: number }[]>`select count(*)::int as n from public.units`)[0].n;
      const [m] = await tx<{ id: string }[]>`
        select id from public.memberships where user_id = ${uid} and org_id = ${f.org.province}`;
      await tx`select private.switch_active_membership(${m.id})`;
      const after = (await tx<{ n: number }[]>`select count(*)::int as n from public.units`)[0].n;
      return { before, after };
    });
    expect(result).toEqual({ before: f.subtreeUnits.city, after: f.subtreeUnits.province });
  });
});

describe("units: who adds what", () => {
  it("each office director or staff member adds units to their own org", async () => {
    const cases = OFFICE_USERS;
    for (const [email, org] of cases) {
      const rows = await asUser(email, (tx) => insertUnit(tx, org));
      expect(rows, `${email} into ${org}`).toHaveLength(1);
    }
  });

  it("a province office cannot add units to its cities or counties", async () => {
    const codes = await asUser(DEMO.province, async (tx) => [
      await insertState(tx, "city"),
      await insertState(tx, "daoli"),
      await insertState(tx, "siblingCity"),
    ]);
    expect(codes).toEqual(["42501", "42501", "42501"]);
  });

  it("a city office cannot add units to its counties, its province, a sibling city or another province", async () => {
    const codes = await asUser(DEMO.city, async (tx) => {
      const out: (string | null)[] = [];
      for (const o of ["daoli", "nangang", "province", "siblingCity", "otherProvince"] as OrgKey[]) out.push(await insertState(tx, o));
      return out;
    });
    expect(codes).toEqual(["42501", "42501", "42501", "42501", "42501"]);
  });

  it("a county office cannot add units to a sibling county or its city", async () => {
    const codes = await asUser(DEMO.countyDaoli, async (tx) => [
      await insertState(tx, "nangang"),
      await insertState(tx, "city"),
      await insertState(tx, "province"),
    ]);
    expect(codes).toEqual(["42501", "42501", "42501"]);
  });

  it("another province's office cannot add units to 黑龙江", async () => {
    expect(await asUser(DEMO.otherProvince, (tx) => insertState(tx, "province"))).toBe("42501");
  });

  it("leadership, system and audit administrators cannot add units anywhere, not even to their own org", async () => {
    for (const email of [DEMO.leadership, DEMO.systemAdmin, DEMO.auditAdmin]) {
      const codes = await asUser(email, async (tx) => [await insertState(tx, "province"), await insertState(tx, "city")]);
      expect(codes, email).toEqual(["42501", "42501"]);
    }
  });

  it("under the province membership the city director adds to the province office and no longer to 哈尔滨", async () => {
    const codes = await asUser(
      DEMO.city,
      async (tx) => [await insertState(tx, "province"), await insertState(tx, "city")],
      PROVINCE_STAFF,
    );
    expect(codes).toEqual([null, "42501"]);
  });
});

describe("units: who changes what", () => {
  it("an office edits a unit of its own org", async () => {
    expect(await asUser(DEMO.countyDaoli, (tx) => renameCount(tx, f.unit.daoli))).toBe(1);
    expect(await asUser(DEMO.city, (tx) => renameCount(tx, f.unit.city))).toBe(1);
    expect(await asUser(DEMO.province, (tx) => renameCount(tx, f.unit.province))).toBe(1);
  });

  it("an update of every unit changes exactly the office's own org's units", async () => {
    const changed = await asUser(DEMO.city, async (tx) => (await tx`update public.units set active = active`).count);
    expect(changed).toBe(f.ownUnits.city);
  });

  it("a province office reads but cannot edit a unit of a child or grandchild org (0 rows changed)", async () => {
    const result = await asUser(DEMO.province, async (tx) => ({
      city: await renameCount(tx, f.unit.city),
      county: await renameCount(tx, f.unit.daoli),
      stillVisible: (await tx`select 1 from public.units where id = ${f.unit.daoli}`).length,
    }));
    expect(result).toEqual({ city: 0, county: 0, stillVisible: 1 });
  });

  it("a city office cannot edit its counties', its province's, a sibling city's or another province's units", async () => {
    const changed = await asUser(DEMO.city, async (tx) => {
      const out: Record<string, number> = {};
      for (const o of ["daoli", "nangang", "province", "siblingCity", "otherProvince"] as OrgKey[]) out[o] = await renameCount(tx, f.unit[o]);
      return out;
    });
    expect(changed).toEqual({ daoli: 0, nangang: 0, province: 0, siblingCity: 0, otherProvince: 0 });
  });

  it("a county office cannot edit a sibling county's unit", async () => {
    expect(await asUser(DEMO.countyDaoli, (tx) => renameCount(tx, f.unit.nangang))).toBe(0);
  });

  it("leadership cannot edit the units it reads", async () => {
    expect(await asUser(DEMO.leadership, (tx) => renameCount(tx, f.unit.province))).toBe(0);
  });

  it("system and audit administrators cannot edit units", async () => {
    expect(await asUser(DEMO.systemAdmin, (tx) => renameCount(tx, f.unit.province))).toBe(0);
    expect(await asUser(DEMO.auditAdmin, (tx) => renameCount(tx, f.unit.province))).toBe(0);
  });

  it("an office cannot move its own unit to another org (child, sibling or parent)", async () => {
    const move = (tx: Tx, unit: number, to: OrgKey) =>
      sqlState(tx, (sp) => sp`update public.units set org_id = ${f.org[to]} where id = ${unit}`);
    const codes = await asUser(DEMO.city, async (tx) => [
      await move(tx, f.unit.city, "daoli"),
      await move(tx, f.unit.city, "siblingCity"),
      await move(tx, f.unit.city, "province"),
    ]);
    expect(codes).toEqual(["42501", "42501", "42501"]);
    expect(await asUser(DEMO.countyDaoli, (tx) => move(tx, f.unit.daoli, "nangang"))).toBe("42501");
  });

  it("a failed move leaves the unit where it was", async () => {
    const org = await asUser(DEMO.countyDaoli, async (tx) => {
      await sqlState(tx, (sp) => sp`update public.units set org_id = ${f.org.nangang} where id = ${f.unit.daoli}`);
      return (await tx<{ org_id: number }[]>`select org_id from public.units where id = ${f.unit.daoli}`)[0].org_id;
    });
    expect(org).toBe(f.org.daoli);
  });
});

describe("units: nobody deletes", () => {
  it("delete raises 42501 for every role, on own, child and foreign units alike", async () => {
    const emails = Object.values(DEMO);
    for (const email of emails) {
      const codes = await asUser(email, async (tx) => [
        await sqlState(tx, (sp) => sp`delete from public.units where id = ${f.unit.daoli}`),
        await sqlState(tx, (sp) => sp`delete from public.units where id = ${f.unit.province}`),
        await sqlState(tx, (sp) => sp`delete from public.units where false`),
      ]);
      expect(codes, email).toEqual(["42501", "42501", "42501"]);
    }
  });

  it("truncate raises 42501 as well", async () => {
    expect(await asUser(DEMO.province, (tx) => sqlState(tx, (sp) => sp`truncate public.units`))).toBe("42501");
  });
});

describe("units: derived columns and the parent-unit rule", () => {
  it("province_id is derived from the org: a client-supplied province_id is overwritten", async () => {
    const [row] = await asUser(DEMO.countyDaoli, (tx) => insertUnit(tx, "daoli", { provinceId: f.org.otherProvince }));
    expect(row.province_id).toBe(f.org.province);
  });

  it("an update cannot change province_id either", async () => {
    const provinceId = await asUser(DEMO.countyDaoli, async (tx) => {
      await tx`update public.units set province_id = ${f.org.otherProvince} where id = ${f.unit.daoli}`;
      return (await tx<{ province_id: number }[]>`select province_id from public.units where id = ${f.unit.daoli}`)[0]
        ?.province_id;
    });
    expect(provinceId).toBe(f.org.province);
  });

  it("created_by and updated_by are the acting user, whatever the client sends", async () => {
    const me = await userId(DEMO.countyDaoli);
    const someoneElse = await userId(DEMO.province);
    const [row] = await asUser(DEMO.countyDaoli, (tx) => insertUnit(tx, "daoli", { createdBy: someoneElse }));
    expect(row.created_by).toBe(me);
    expect(row.updated_by).toBe(me);
  });

  it("an update keeps created_by and sets updated_by to the editor", async () => {
    const director = await userId(DEMO.city);
    const row = await asUser(DEMO.city, async (tx) => {
      const [before] = await tx<{ created_by: string | null }[]>`select created_by from public.units where id = ${f.unit.city}`;
      const [after] = await tx<{ created_by: string | null; updated_by: string }[]>`
        update public.units set created_by = ${director}, name = name || '（改）' where id = ${f.unit.city}
        returning created_by, updated_by`;
      return { before: before.created_by, after };
    });
    expect(row.after.created_by).toBe(row.before);
    expect(row.after.updated_by).toBe(director);
  });

  it("a parent unit of the same org is accepted", async () => {
    const rows = await asUser(DEMO.countyDaoli, (tx) => insertUnit(tx, "daoli", { parent: f.unit.daoli }));
    expect(rows).toHaveLength(1);
  });

  it("a parent unit in another org is rejected, on insert and on update", async () => {
    const codes = await asUser(DEMO.countyDaoli, async (tx) => [
      await sqlState(tx, (sp) => insertUnit(sp, "daoli", { parent: f.unit.nangang })),
      await sqlState(tx, (sp) => insertUnit(sp, "daoli", { parent: f.unit.city })),
      await sqlState(tx, (sp) => sp`update public.units set parent_unit_id = ${f.unit.otherProvince} where id = ${f.unit.daoli}`),
    ]);
    expect(codes).toEqual(["23503", "23503", "23503"]);
  });

  it("the parent-unit check does not reveal whether a foreign unit exists", async () => {
    const messages = await asUser(DEMO.countyDaoli, async (tx) => {
      const message = async (parent: number) => {
        try {
          await tx.savepoint((sp) => insertUnit(sp as Tx, "daoli", { parent }));
          return "ok";
        } catch (error) {
          return `${(error as { code?: string }).code}: ${(error as Error).message}`;
        }
      };
      return [await message(f.unit.nangang), await message(2_000_000_000)];
    });
    expect(messages[0]).toMatch(/^23503/);
    expect(messages[0]).toBe(messages[1]);
  });

  it("a unit cannot be its own parent", async () => {
    const code = await asUser(DEMO.countyDaoli, (tx) =>
      sqlState(tx, (sp) => sp`update public.units set parent_unit_id = id where id = ${f.unit.daoli}`),
    );
    expect(code).toBe("23514");
  });

  it("the fixture tree is what these tests assume", () => {
    expect(f.subtreeUnits.province).toBeGreaterThan(f.subtreeUnits.city);
    expect(f.subtreeUnits.city).toBeGreaterThanOrEqual(f.ownUnits.city + f.ownUnits.daoli + f.ownUnits.nangang);
    expect(f.ownUnits.daoli).toBeGreaterThan(1);
  });
});
