import { afterAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql, orgIdByRegion, ownerSql } from "./support/db";

afterAll(closeTestSql);

class Rollback extends Error {}

/** Runs `fn` as the owner (the seeding job) and rolls it back. */
async function rolledBack<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  let out: T | undefined;
  await ownerSql()
    .begin(async (tx) => {
      out = await fn(tx as unknown as Tx);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return out as T;
}

describe("the org tree", () => {
  it("fills the closure and the province id for a county directly under its province (省直管县)", async () => {
    const province = await orgIdByRegion("230000");
    const result = await rolledBack(async (tx) => {
      const [o] = await tx<{ id: number; province_id: number }[]>`
        insert into public.orgs (parent_id, level, region_code, region_name, name)
        values (${province}, 'county', '239001', '测试直管市', '测试直管市委巡察办') returning id, province_id`;
      const closure = await tx<{ ancestor_id: number; depth: number }[]>`
        select ancestor_id, depth from public.org_closure where descendant_id = ${o.id} order by depth`;
      return { provinceId: o.province_id, closure: closure.map((c) => [c.ancestor_id === o.id ? "self" : c.ancestor_id, c.depth]) };
    });
    expect(result).toEqual({ provinceId: province, closure: [["self", 0], [province, 1]] });
  });

  it("refuses a county under a county, a city under a city, and moving an org", async () => {
    const [county, city, otherCity] = [await orgIdByRegion("230102"), await orgIdByRegion("230100"), await orgIdByRegion("230200")];
    const codeOf = (fn: (tx: Tx) => Promise<unknown>) =>
      rolledBack(async (tx) => {
        try {
          await tx.savepoint((sp) => fn(sp as unknown as Tx));
          return null;
        } catch (e) {
          return (e as { code?: string }).code ?? "no code";
        }
      });
    expect(await codeOf((tx) => tx`insert into public.orgs (parent_id, level, region_code, region_name, name)
                                    values (${county}, 'county', '239002', '甲', '甲委巡察办')`)).toBe("22023");
    expect(await codeOf((tx) => tx`insert into public.orgs (parent_id, level, region_code, region_name, name)
                                    values (${city}, 'city', '239100', '乙', '乙委巡察办')`)).toBe("22023");
    expect(await codeOf((tx) => tx`update public.orgs set parent_id = ${otherCity} where id = ${county}`)).toBe("22023");
  });
});
