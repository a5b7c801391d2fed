import { afterAll, describe, expect, it } from "vitest";
import { asUser, closeTestSql, DEMO, sqlState } from "./support/db";

afterAll(closeTestSql);

describe("unit parent chains", () => {
  it("refuses a loop A -> B -> A, and accepts a plain chain", async () => {
    const result = await asUser(DEMO.countyDaoli, async (tx) => {
      const orgId = (await tx<{ id: number }[]>`select private.active_org_id() as id`)[0].id;
      const [a] = await tx<{ id: number }[]>`insert into public.units (org_id, name, category, head_level)
                                              values (${orgId}, '循环测试甲', 'county_dept', 'county_managed') returning id`;
      const [b] = await tx<{ id: number }[]>`insert into public.units (org_id, name, category, head_level, parent_unit_id)
                                              values (${orgId}, '循环测试乙', 'county_dept', 'county_managed', ${a.id}) returning id`;
      const loop = await sqlState(tx, (sp) => sp`update public.units set parent_unit_id = ${b.id} where id = ${a.id}`);
      const self = await sqlState(tx, (sp) => sp`update public.units set parent_unit_id = ${a.id} where id = ${a.id}`);
      const [c] = await tx<{ id: number }[]>`insert into public.units (org_id, name, category, head_level, parent_unit_id)
                                              values (${orgId}, '循环测试丙', 'county_dept', 'county_managed', ${b.id}) returning id`;
      return { loop, self, chained: !!c };
    });
    expect(result).toEqual({ loop: "23514", self: "23514", chained: true });
  });
});
