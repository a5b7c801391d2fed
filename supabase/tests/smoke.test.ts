import { afterAll, describe, expect, it } from "vitest";
import { asUser, closeTestSql, DEMO, sqlState } from "./support/db";

afterAll(closeTestSql);

describe("request context", () => {
  it("scopes units to the active org's subtree", async () => {
    const counts = await Promise.all(
      [DEMO.province, DEMO.city, DEMO.countyDaoli, DEMO.systemAdmin].map((email) =>
        asUser(email, async (tx) => (await tx<{ n: number }[]>`select count(*)::int as n from public.units`)[0].n),
      ),
    );
    expect(counts[0]).toBeGreaterThan(counts[1]);
    expect(counts[1]).toBeGreaterThan(counts[2]);
    expect(counts[2]).toBeGreaterThan(0);
    expect(counts[3]).toBe(0);
  });

  it("denies delete on units to everyone", async () => {
    const code = await asUser(DEMO.countyDaoli, (tx) => sqlState(tx, (sp) => sp`delete from public.units`));
    expect(code).toBe("42501");
  });
});
