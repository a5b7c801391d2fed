import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { asUser, claimsFor, closeTestSql, DEMO, ownerSql, sqlState, userId } from "./support/db";
import { actAsUser, enterRequestContext, fixtures, ORG, ownerRolledBack, type Fixtures } from "./support/fixtures";

afterAll(closeTestSql);

let f: Fixtures;
/** Membership id of each demo user's first (default) membership, and 李明's province one. */
const mid: Record<string, number> = {};
let cityDirectorProvinceStaff: number;
beforeAll(async () => {
  f = await fixtures();
  const rows = await ownerSql()<{ email: string; id: number; region: string; role: string }[]>`
    select u.email, m.id::int as id, o.region_code as region, m.role
      from public.memberships m join auth.users u on u.id = m.user_id join public.orgs o on o.id = m.org_id
     where u.email = any(${Object.values(DEMO)}) order by m.id`;
  for (const r of rows) mid[r.email] ??= r.id;
  cityDirectorProvinceStaff = rows.find((r) => r.email === DEMO.city && r.region === ORG.province)!.id;
});

/** Membership ids the owner finds for `where`, to compare with what RLS shows. */
async function ownerMembershipIds(where: { userEmail?: string; subtreeOf?: number }): Promise<number[]> {
  const sql = ownerSql();
  const rows = await sql<{ id: number }[]>`
    select m.id::int as id from public.memberships m
     where ${where.userEmail ? sql`m.user_id = (select id from auth.users where email = ${where.userEmail})` : sql`true`}
       and ${where.subtreeOf ? sql`m.org_id in (select descendant_id from public.org_closure where ancestor_id = ${where.subtreeOf})` : sql`true`}
     order by m.id`;
  return rows.map((r) => r.id);
}

async function seenIds(tx: Tx): Promise<number[]> {
  return (await tx<{ id: number }[]>`select id::int as id from public.memberships order by id`).map((r) => r.id);
}

const NON_ADMINS = [
  DEMO.province,
  DEMO.city,
  DEMO.countyDaoli,
  DEMO.countyNangang,
  DEMO.otherCity,
  DEMO.otherProvince,
  DEMO.leadership,
  DEMO.auditAdmin,
];

/**
 * Acts as the system administrator under an extra system_admin membership at 哈尔滨, which
 * the owner creates (a system administrator may not grant himself one) in a transaction
 * that rolls back.
 */
async function asCitySystemAdmin<T>(fn: (tx: Tx, membershipId: number) => Promise<T>): Promise<T> {
  const claims = await claimsFor(DEMO.systemAdmin);
  return ownerRolledBack(async (tx) => {
    const [m] = await tx<{ id: number }[]>`
      insert into public.memberships (user_id, org_id, role)
      values (${claims.sub}, ${f.org.city}, 'system_admin') returning id::int as id`;
    await tx`insert into private.session_context (session_id, membership_id) values (${claims.session_id}, ${m.id})
             on conflict (session_id) do update set membership_id = excluded.membership_id`;
    await enterRequestContext(tx, claims);
    return fn(tx, m.id);
  });
}

async function addMembership(tx: Tx, email: string, org: number, role: string) {
  return tx<{ id: number; province_id: number }[]>`
    insert into public.memberships (user_id, org_id, role, province_id)
    values ((select ${await userId(email)}::uuid), ${org}, ${role}, ${f.org.otherProvince})
    returning id::int as id, province_id`;
}

describe("memberships: who sees which", () => {
  it("every user who is not a system administrator sees exactly their own memberships", async () => {
    for (const email of NON_ADMINS) {
      const seen = await asUser(email, seenIds);
      expect(seen, email).toEqual(await ownerMembershipIds({ userEmail: email }));
      expect(seen.length, email).toBeGreaterThan(0);
    }
  });

  it("a user with two memberships sees both, whichever is active", async () => {
    const asCity = await asUser(DEMO.city, seenIds);
    const asProvince = await asUser(DEMO.city, seenIds, { regionCode: ORG.province, role: "office_staff" });
    expect(asCity).toEqual([mid[DEMO.city], cityDirectorProvinceStaff]);
    expect(asProvince).toEqual(asCity);
  });

  it("a province system administrator sees every membership of the province, not another province's", async () => {
    const seen = await asUser(DEMO.systemAdmin, seenIds);
    expect(seen).toEqual(await ownerMembershipIds({ subtreeOf: f.org.province }));
    expect(seen).toContain(mid[DEMO.countyDaoli]);
    expect(seen).toContain(mid[DEMO.systemAdmin]);
    expect(seen).not.toContain(mid[DEMO.otherProvince]);
  });

  it("a system administrator of a city sees the city's subtree memberships and his own, not the province's or a sibling city's", async () => {
    const result = await asCitySystemAdmin(async (tx, cityAdmin) => ({ seen: await seenIds(tx), cityAdmin }));
    const expected = [...(await ownerMembershipIds({ subtreeOf: f.org.city })), mid[DEMO.systemAdmin], result.cityAdmin];
    expect(result.seen).toEqual([...new Set(expected)].sort((a, b) => a - b));
    expect(result.seen).toContain(mid[DEMO.countyNangang]);
    expect(result.seen).not.toContain(mid[DEMO.province]);
    expect(result.seen).not.toContain(mid[DEMO.otherCity]);
    expect(result.seen).not.toContain(cityDirectorProvinceStaff);
  });
});

describe("memberships: system administrators manage their subtree", () => {
  it("adds a membership in the subtree; province_id is derived, not taken from the client", async () => {
    const [row] = await asUser(DEMO.systemAdmin, (tx) => addMembership(tx, DEMO.countyDaoli, f.org.daoli, "leadership"));
    expect(row.province_id).toBe(f.org.province);
  });

  it("cannot add a membership in another province", async () => {
    const code = await asUser(DEMO.systemAdmin, (tx) =>
      sqlState(tx, (sp) => addMembership(sp, DEMO.countyDaoli, f.org.otherProvince, "leadership")),
    );
    expect(code).toBe("42501");
  });

  it("changes a membership in the subtree but not one in another province", async () => {
    const changed = await asUser(DEMO.systemAdmin, async (tx) => ({
      daoli: (await tx`update public.memberships set role = 'leadership' where id = ${mid[DEMO.countyDaoli]}`).count,
      zj: (await tx`update public.memberships set role = 'leadership' where id = ${mid[DEMO.otherProvince]}`).count,
    }));
    expect(changed).toEqual({ daoli: 1, zj: 0 });
  });

  it("cannot move a membership out of the subtree", async () => {
    const code = await asUser(DEMO.systemAdmin, (tx) =>
      sqlState(tx, (sp) => sp`update public.memberships set org_id = ${f.org.otherProvince} where id = ${mid[DEMO.countyDaoli]}`),
    );
    expect(code).toBe("42501");
  });

  it("removes a membership in the subtree but not one in another province", async () => {
    const removed = await asUser(DEMO.systemAdmin, async (tx) => ({
      daoli: (await tx`delete from public.memberships where id = ${mid[DEMO.countyDaoli]}`).count,
      zj: (await tx`delete from public.memberships where id = ${mid[DEMO.otherProvince]}`).count,
    }));
    expect(removed).toEqual({ daoli: 1, zj: 0 });
  });

  it("a city system administrator cannot manage the province office's memberships", async () => {
    const result = await asCitySystemAdmin(async (tx) => {
      return {
        insert: await sqlState(tx, (sp) => addMembership(sp, DEMO.leadership, f.org.province, "leadership")),
        update: (await tx`update public.memberships set role = 'leadership' where id = ${mid[DEMO.province]}`).count,
        delete: (await tx`delete from public.memberships where id = ${mid[DEMO.otherCity]}`).count,
        inSubtree: (await tx`update public.memberships set role = 'leadership' where id = ${mid[DEMO.countyDaoli]}`).count,
      };
    });
    expect(result).toEqual({ insert: "42501", update: 0, delete: 0, inSubtree: 1 });
  });

  it("a system administrator cannot give himself a business role (separation of duties)", async () => {
    // Otherwise he adds office_director at the province, switches to it and reads every unit.
    const result = await asUser(DEMO.systemAdmin, async (tx) => {
      const insert = await sqlState(tx, (sp) => addMembership(sp, DEMO.systemAdmin, f.org.province, "office_director"));
      const [m] = await tx<{ id: number }[]>`
        select id::int as id from public.memberships
         where user_id = (select auth.uid()) and role = 'office_director'`;
      if (m) await tx`select private.switch_active_membership(${m.id})`;
      return { insert, unitsReadable: (await tx<{ n: number }[]>`select count(*)::int as n from public.units`)[0].n };
    });
    expect(result).toEqual({ insert: "42501", unitsReadable: 0 });
  });

  it("a system administrator cannot turn his own membership into a business role (separation of duties)", async () => {
    const result = await asUser(DEMO.systemAdmin, async (tx) => {
      // Refused either way is fine: 42501 from a check, or no row changed.
      await sqlState(tx, (sp) => sp`update public.memberships set role = 'office_director' where id = ${mid[DEMO.systemAdmin]}`);
      return {
        role: (await tx<{ role: string }[]>`select private.active_role() as role`)[0].role,
        unitsReadable: (await tx<{ n: number }[]>`select count(*)::int as n from public.units`)[0].n,
      };
    });
    expect(result).toEqual({ role: "system_admin", unitsReadable: 0 });
  });
});

describe("memberships: nobody else manages memberships", () => {
  it("insert raises 42501 for every other role, for themselves and for others", async () => {
    for (const email of NON_ADMINS) {
      const codes = await asUser(email, async (tx) => [
        await sqlState(tx, (sp) => addMembership(sp, email, f.org.province, "office_director")),
        await sqlState(tx, (sp) => addMembership(sp, DEMO.countyNangang, f.org.daoli, "office_staff")),
      ]);
      expect(codes, email).toEqual(["42501", "42501"]);
    }
  });

  it("update and delete change no row for every other role, their own memberships included", async () => {
    for (const email of NON_ADMINS) {
      const counts = await asUser(email, async (tx) => [
        (await tx`update public.memberships set role = 'office_director' where id = ${mid[email]}`).count,
        (await tx`update public.memberships set role = 'office_director'`).count,
        (await tx`delete from public.memberships where id = ${mid[email]}`).count,
        (await tx`delete from public.memberships`).count,
      ]);
      expect(counts, email).toEqual([0, 0, 0, 0]);
    }
  });

  it("truncate raises 42501, for system administrators too", async () => {
    for (const email of [DEMO.systemAdmin, DEMO.province]) {
      expect(await asUser(email, (tx) => sqlState(tx, (sp) => sp`truncate public.memberships cascade`)), email).toBe("42501");
    }
  });
});

describe("private.switch_active_membership", () => {
  it("switches to one of the caller's own memberships and moves the active org", async () => {
    const orgs = await asUser(DEMO.city, async (tx) => {
      const before = (await tx<{ id: number }[]>`select private.active_org_id() as id`)[0].id;
      await tx`select private.switch_active_membership(${cityDirectorProvinceStaff})`;
      const after = (await tx<{ id: number; role: string }[]>`select private.active_org_id() as id, private.active_role() as role`)[0];
      return { before, after };
    });
    expect(orgs).toEqual({ before: f.org.city, after: { id: f.org.province, role: "office_staff" } });
  });

  it("raises 42501 for another user's membership, and the active membership stays", async () => {
    const result = await asUser(DEMO.countyDaoli, async (tx) => ({
      code: await sqlState(tx, (sp) => sp`select private.switch_active_membership(${mid[DEMO.province]})`),
      other: await sqlState(tx, (sp) => sp`select private.switch_active_membership(${cityDirectorProvinceStaff})`),
      active: (await tx<{ id: number }[]>`select private.active_org_id() as id`)[0].id,
      units: (await tx<{ n: number }[]>`select count(*)::int as n from public.units`)[0].n,
    }));
    expect(result).toEqual({ code: "42501", other: "42501", active: f.org.daoli, units: f.ownUnits.daoli });
  });

  it("raises 42501 for a membership id that does not exist", async () => {
    expect(
      await asUser(DEMO.countyDaoli, (tx) => sqlState(tx, (sp) => sp`select private.switch_active_membership(${2_000_000_000})`)),
    ).toBe("42501");
  });

  it("a system administrator cannot switch into a membership of his subtree that is not his", async () => {
    expect(
      await asUser(DEMO.systemAdmin, (tx) =>
        sqlState(tx, (sp) => sp`select private.switch_active_membership(${mid[DEMO.province]})`),
      ),
    ).toBe("42501");
  });

  it("raises 42501 without a live session, even for the user's own membership", async () => {
    const claims = { sub: await userId(DEMO.city), role: "authenticated", session_id: crypto.randomUUID() };
    const { asClaims } = await import("./support/db");
    const code = await asClaims(claims, (tx) =>
      sqlState(tx, (sp) => sp`select private.switch_active_membership(${cityDirectorProvinceStaff})`),
    );
    expect(code).toBe("42501");
  });

  it("the switch is per session: acting under another session of the same user is unaffected", async () => {
    const result = await asUser(DEMO.city, async (tx) => {
      await tx`select private.switch_active_membership(${cityDirectorProvinceStaff})`;
      const afterSwitch = (await tx<{ id: number }[]>`select private.active_org_id() as id`)[0].id;
      await actAsUser(tx, DEMO.city, { regionCode: ORG.city, role: "office_director" });
      const otherSession = (await tx<{ id: number }[]>`select private.active_org_id() as id`)[0].id;
      return { afterSwitch, otherSession };
    });
    expect(result).toEqual({ afterSwitch: f.org.province, otherSession: f.org.city });
  });
});
