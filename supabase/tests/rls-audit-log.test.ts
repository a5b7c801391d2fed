import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { asUser, closeTestSql, DEMO, sqlState, userId } from "./support/db";
import { actAsUser, fixtures, OFFICE_USERS, keysOf, ORG, ownerRolledBack, type Fixtures, type OrgKey } from "./support/fixtures";

afterAll(closeTestSql);

let f: Fixtures;
beforeAll(async () => {
  f = await fixtures();
});

/** Each office writes one audit row under its own active org (the only rows it may write). */
const WRITERS = OFFICE_USERS;

/**
 * Inside the caller's transaction (rolled back by asUser): every writer records one row
 * tagged with `tag`, then the context returns to `reader`. Audit rows can never be
 * deleted, so they are only ever written in transactions that roll back.
 */
async function writeRowsThenActAs(tx: Tx, tag: string, reader: string, membership?: { regionCode: string; role: string }) {
  for (const [email, org] of WRITERS) {
    await actAsUser(tx, email);
    await tx`insert into public.audit_log (user_id, org_id, action, success, request_id)
             values (${await userId(email)}, ${f.org[org]}, 'test.write', true, ${tag})`;
  }
  await actAsUser(tx, reader, membership);
}

async function taggedOrgs(tx: Tx, tag: string): Promise<OrgKey[]> {
  const rows = await tx<{ org_id: number }[]>`select org_id from public.audit_log where request_id = ${tag}`;
  return keysOf(f, "org", rows.map((r) => r.org_id));
}

async function insertAudit(tx: Tx, row: { userId: string | null; orgId: number | null }) {
  return tx`insert into public.audit_log (user_id, org_id, action, success)
            values (${row.userId}, ${row.orgId}, 'test.insert', true)`;
}

describe("audit_log: who reads it", () => {
  it("the province audit administrator reads the rows of the whole province, not another province's", async () => {
    const tag = randomUUID();
    const seen = await asUser(DEMO.auditAdmin, async (tx) => {
      await writeRowsThenActAs(tx, tag, DEMO.auditAdmin);
      return taggedOrgs(tx, tag);
    });
    expect(seen).toEqual(["province", "city", "daoli", "nangang", "siblingCity"]);
  });

  it("an audit administrator of a city reads only the city's subtree: not the province's, nor a sibling city's", async () => {
    const tag = randomUUID();
    const seen = await asUser(DEMO.auditAdmin, async (tx) => {
      await writeRowsThenActAs(tx, tag, DEMO.systemAdmin);
      const [m] = await tx<{ id: number }[]>`
        insert into public.memberships (user_id, org_id, role)
        values (${await userId(DEMO.auditAdmin)}, ${f.org.city}, 'audit_admin') returning id::int as id`;
      await actAsUser(tx, DEMO.auditAdmin);
      await tx`select private.switch_active_membership(${m.id})`;
      return taggedOrgs(tx, tag);
    });
    expect(seen).toEqual(["city", "daoli", "nangang"]);
  });

  it("no other role reads any audit row, not even its own or its subtree's", async () => {
    for (const email of [...Object.values(DEMO).filter((e) => e !== DEMO.auditAdmin)]) {
      const tag = randomUUID();
      const seen = await asUser(DEMO.auditAdmin, async (tx) => {
        await writeRowsThenActAs(tx, tag, email);
        return {
          tagged: await taggedOrgs(tx, tag),
          total: (await tx<{ n: number }[]>`select count(*)::int as n from public.audit_log`)[0].n,
        };
      });
      expect(seen, email).toEqual({ tagged: [], total: 0 });
    }
  });

  it("the city director does not read the audit log under his province membership either", async () => {
    const tag = randomUUID();
    const seen = await asUser(DEMO.auditAdmin, async (tx) => {
      await writeRowsThenActAs(tx, tag, DEMO.city, { regionCode: ORG.province, role: "office_staff" });
      return taggedOrgs(tx, tag);
    });
    expect(seen).toEqual([]);
  });
});

describe("audit_log: who writes it", () => {
  it("every role records a row with its own user id under its active org", async () => {
    const cases: [string, OrgKey][] = [
      ...WRITERS,
      [DEMO.leadership, "province"],
      [DEMO.systemAdmin, "province"],
      [DEMO.auditAdmin, "province"],
    ];
    for (const [email, org] of cases) {
      const uid = await userId(email);
      const inserted = await asUser(email, async (tx) => (await insertAudit(tx, { userId: uid, orgId: f.org[org] })).count);
      expect(inserted, email).toBe(1);
    }
  });

  it("a row with another user's id is refused with 42501", async () => {
    const other = await userId(DEMO.province);
    const code = await asUser(DEMO.countyDaoli, (tx) => sqlState(tx, (sp) => insertAudit(sp, { userId: other, orgId: f.org.daoli })));
    expect(code).toBe("42501");
  });

  it("a row without a user id is refused with 42501", async () => {
    const code = await asUser(DEMO.countyDaoli, (tx) => sqlState(tx, (sp) => insertAudit(sp, { userId: null, orgId: f.org.daoli })));
    expect(code).toBe("42501");
  });

  it("a row under any org other than the active one is refused with 42501 (child, parent, sibling, other province, none)", async () => {
    const uid = await userId(DEMO.city);
    const codes = await asUser(DEMO.city, async (tx) => {
      const out: Record<string, string | null> = {};
      for (const org of ["daoli", "province", "siblingCity", "otherProvince"] as OrgKey[]) {
        out[org] = await sqlState(tx, (sp) => insertAudit(sp, { userId: uid, orgId: f.org[org] }));
      }
      out.none = await sqlState(tx, (sp) => insertAudit(sp, { userId: uid, orgId: null }));
      return out;
    });
    expect(codes).toEqual({ daoli: "42501", province: "42501", siblingCity: "42501", otherProvince: "42501", none: "42501" });
  });

  it("switching the active membership moves the org a user may record under", async () => {
    const uid = await userId(DEMO.city);
    const codes = await asUser(
      DEMO.city,
      async (tx) => ({
        province: await sqlState(tx, (sp) => insertAudit(sp, { userId: uid, orgId: f.org.province })),
        city: await sqlState(tx, (sp) => insertAudit(sp, { userId: uid, orgId: f.org.city })),
      }),
      { regionCode: ORG.province, role: "office_staff" },
    );
    expect(codes).toEqual({ province: null, city: "42501" });
  });

  it("a writer cannot read back what it recorded (insert … returning is refused)", async () => {
    const uid = await userId(DEMO.countyDaoli);
    const code = await asUser(DEMO.countyDaoli, (tx) =>
      sqlState(tx, (sp) => sp`insert into public.audit_log (user_id, org_id, action, success)
                              values (${uid}, ${f.org.daoli}, 'test.returning', true) returning id`),
    );
    expect(code).toBe("42501");
  });

  it("occurred_at and province_id come from the database, not from the writer", async () => {
    const tag = randomUUID();
    const uid = await userId(DEMO.countyDaoli);
    const row = await asUser(DEMO.countyDaoli, async (tx) => {
      await tx`insert into public.audit_log (user_id, org_id, province_id, occurred_at, action, success, request_id)
               values (${uid}, ${f.org.daoli}, ${f.org.otherProvince}, '2000-01-01', 'test.forged', true, ${tag})`;
      await actAsUser(tx, DEMO.auditAdmin);
      const [r] = await tx<{ province_id: number; recent: boolean }[]>`
        select province_id, occurred_at > now() - interval '1 hour' as recent from public.audit_log where request_id = ${tag}`;
      return r;
    });
    expect(row).toEqual({ province_id: f.org.province, recent: true });
  });

  it("the id cannot be chosen by the writer", async () => {
    const uid = await userId(DEMO.countyDaoli);
    const code = await asUser(DEMO.countyDaoli, (tx) =>
      sqlState(tx, (sp) => sp`insert into public.audit_log (id, user_id, org_id, action, success)
                              values (1, ${uid}, ${f.org.daoli}, 'test.id', true)`),
    );
    expect(code).toBe("428C9");
  });
});

describe("audit_log: append-only", () => {
  it("update, delete and truncate raise 42501 for every role, the audit administrator included", async () => {
    for (const email of Object.values(DEMO)) {
      const tag = randomUUID();
      const codes = await asUser(DEMO.auditAdmin, async (tx) => {
        await writeRowsThenActAs(tx, tag, email);
        return [
          await sqlState(tx, (sp) => sp`update public.audit_log set success = not success where request_id = ${tag}`),
          await sqlState(tx, (sp) => sp`delete from public.audit_log where request_id = ${tag}`),
          await sqlState(tx, (sp) => sp`truncate public.audit_log`),
        ];
      });
      expect(codes, email).toEqual(["42501", "42501", "42501"]);
    }
  });

  it("even the table owner cannot update, delete or truncate audit rows", async () => {
    const result = await ownerRolledBack(async (tx) => {
      const [row] = await tx<{ id: number }[]>`
        insert into public.audit_log (user_id, org_id, action, success, request_id)
        values (null, ${f.org.daoli}, 'test.owner', true, ${randomUUID()}) returning id::int as id`;
      return {
        update: await sqlState(tx, (sp) => sp`update public.audit_log set success = false where id = ${row.id}`),
        delete: await sqlState(tx, (sp) => sp`delete from public.audit_log where id = ${row.id}`),
        deleteAll: await sqlState(tx, (sp) => sp`delete from public.audit_log`),
        truncate: await sqlState(tx, (sp) => sp`truncate public.audit_log`),
        stillThere: (await tx`select 1 from public.audit_log where id = ${row.id}`).length,
      };
    });
    expect(result).toEqual({ update: "42501", delete: "42501", deleteAll: "42501", truncate: "42501", stillThere: 1 });
  });

  it("the owner's append-only error names the operation", async () => {
    const message = await ownerRolledBack(async (tx) => {
      await tx`insert into public.audit_log (action, success) values ('test.owner', true)`;
      try {
        await tx.savepoint((sp) => sp`update public.audit_log set success = false`);
        return "no error";
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(message).toMatch(/append-only.*UPDATE/);
  });
});
