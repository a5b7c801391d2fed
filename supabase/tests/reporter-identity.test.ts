import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql, ownerSql } from "./support/db";
import { attempt, outcome, ownerRolledBack, rolledBack, withScenario, world, type ActorKey, type World } from "./support/engagements";
import { fx } from "./support/matrix-harness";

/**
 * A reporter's identity (举报人姓名、联系方式) on petitions (信访举报): kept in
 * private.petition_reporters, which no request role can read; read only through
 * public.reporter_identity, which needs the explicit permission view_reporter_identity
 * on the active membership on top of seeing the petition, and writes an audit row for
 * every call, allowed or refused. Recorded through public.set_reporter_identity.
 * Everything is rolled back.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

interface AuditRow {
  userId: string;
  orgId: number;
  action: string;
  objectType: string;
  objectId: string;
  success: boolean;
  requestId: string | null;
}

/** The audit rows of reporter-identity reads of `petitionId` (read as the owner, then back as `who`). */
async function audits(tx: Tx, as: (who: ActorKey | "owner") => Promise<void>, petitionId: number, back: ActorKey) {
  await as("owner");
  const rows = await tx<AuditRow[]>`
    select user_id as "userId", org_id as "orgId", action, object_type as "objectType", object_id as "objectId", success,
           request_id as "requestId"
      from public.audit_log where object_type = 'petition' and object_id = ${String(petitionId)} order by id`;
  await as(back);
  return rows;
}

const grant = (tx: Tx, membershipId: number) =>
  tx`insert into public.permission_grants (membership_id, permission) values (${membershipId}, 'view_reporter_identity')`;

describe("private.petition_reporters", () => {
  it("is not readable or writable by any request role", async () => {
    for (const role of ["authenticated", "anon"]) {
      const states = await ownerRolledBack(async (tx) => {
        await tx.unsafe(`set local role ${role}`);
        return {
          select: await attempt(tx, (sp) => sp`select * from private.petition_reporters`),
          insert: await attempt(tx, (sp) => sp`insert into private.petition_reporters (petition_id, reporter_name) values (1, 'x')`),
          update: await attempt(tx, (sp) => sp`update private.petition_reporters set reporter_name = 'x'`),
          delete: await attempt(tx, (sp) => sp`delete from private.petition_reporters`),
        };
      });
      expect(states, role).toEqual({ select: "42501", insert: "42501", update: "42501", delete: "42501" });
    }
    // Nor does any column of a public table or view carry it.
    const [{ n }] = await ownerSql()<{ n: number }[]>`
      select count(*)::int as n from information_schema.columns
       where table_schema = 'public' and column_name in ('reporter_name', 'reporter_contact')`;
    expect(n, "no public column holds a reporter's identity").toBe(0);
    const views = await ownerSql()<{ view: string }[]>`
      select distinct v.relname as view from pg_depend d
        join pg_rewrite r on r.oid = d.objid join pg_class v on v.oid = r.ev_class
       where d.refobjid = 'private.petition_reporters'::regclass`;
    expect(views, "no view reads it").toEqual([]);
  });

  it("is not reachable by anon through the functions either", async () => {
    const states = await withScenario(async (tx, s) => {
      const c = s.conductOf("交叉");
      await tx`set local role anon`;
      return {
        read: await attempt(tx, (sp) => sp`select * from public.reporter_identity(${c.petitionId})`),
        write: await attempt(tx, (sp) => sp`select public.set_reporter_identity(${c.petitionId}, 'x', null)`),
        has: await attempt(tx, (sp) => sp`select public.petition_has_reporter(${c.petitionId})`),
      };
    });
    expect(states).toEqual({ read: "42501", write: "42501", has: "42501" });
  });
});

describe("public.reporter_identity", () => {
  it("returns nothing without the grant and audits the refusal; returns the identity with it and audits that", async () => {
    await withScenario(async (tx, s, as) => {
      const petition = s.conductOf("交叉").petitionId;
      // The demo grants it to hrb.director: start without.
      await tx`delete from public.permission_grants where membership_id = ${w.membership.city}`;
      await as("city");
      expect(await tx`select * from public.reporter_identity(${petition}, 'req-1')`, "the city sees the petition, holds no grant").toHaveLength(0);
      expect(await audits(tx, as, petition, "city")).toEqual([
        {
          userId: w.user.city, orgId: w.org.city, action: "petition.reporter_identity.read", objectType: "petition",
          objectId: String(petition), success: false, requestId: "req-1",
        },
      ]);
      // A system administrator grants it (here: the owner, as the test's fixture).
      await as("owner");
      await grant(tx, w.membership.city);
      await as("city");
      expect(await tx`select reporter_name, reporter_contact from public.reporter_identity(${petition}, 'req-2')`).toEqual([
        { reporter_name: "举报人甲", reporter_contact: "13800000000" },
      ]);
      expect((await audits(tx, as, petition, "city")).map((a) => [a.userId, a.success, a.requestId])).toEqual([
        [w.user.city, false, "req-1"],
        [w.user.city, true, "req-2"],
      ]);
      // Revoked: refused again from the next statement on.
      await as("owner");
      await tx`delete from public.permission_grants where membership_id = ${w.membership.city}`;
      await as("city");
      expect(await tx`select * from public.reporter_identity(${petition})`).toHaveLength(0);
      expect((await audits(tx, as, petition, "city")).map((a) => a.success)).toEqual([false, true, false]);
    });
  });

  it("needs both: a grant does not open a petition the tenancy rule hides", async () => {
    await withScenario(async (tx, s, as) => {
      const cross = s.conductOf("交叉").petitionId;
      const elevated = s.conductOf("提级").petitionId;
      await as("owner");
      for (const who of ["nangang", "daoli", "qqhr", "zj", "sysadmin", "auditor", "cityMember", "daoliMember", "leader"] as const) {
        await grant(tx, w.membership[who]);
      }
      const sees = async (who: ActorKey, petition: number) => {
        await as(who);
        return (await tx`select * from public.reporter_identity(${petition})`).length === 1;
      };
      const result: Record<string, [boolean, boolean]> = {};
      for (const who of ["nangang", "daoli", "qqhr", "zj", "sysadmin", "auditor", "cityMember", "daoliMember", "leader"] as const) {
        result[who] = [await sees(who, cross), await sees(who, elevated)];
      }
      expect(result, "[cross petition, elevated petition]").toEqual({
        nangang: [false, false], // the cross engagement's target: never its conduct
        daoli: [true, false], // executes the cross one; is the elevated one's target
        qqhr: [false, false],
        zj: [false, false],
        sysadmin: [false, false],
        auditor: [false, false],
        cityMember: [false, true], // his group runs the elevated one
        daoliMember: [true, false], // his group runs the cross one
        leader: [true, true], // the province's read-only leadership, with a grant
      });
      await as("owner");
      const [{ refused, allowed }] = await tx<{ refused: number; allowed: number }[]>`
        select count(*) filter (where not success)::int as refused, count(*) filter (where success)::int as allowed
          from public.audit_log where action = 'petition.reporter_identity.read' and object_id in (${String(cross)}, ${String(elevated)})`;
      expect({ refused, allowed }, "every call audited").toEqual({ refused: 13, allowed: 5 });
    });
  });

  it("holds for the active membership only", async () => {
    await withScenario(async (tx, s, as) => {
      const petition = s.conductOf("提级").petitionId;
      // hrb.director's city membership holds the grant (the demo's); acting as the province's staff (his second membership) he does not.
      await as("city");
      expect(await tx`select * from public.reporter_identity(${petition})`).toHaveLength(1);
      await as("provinceStaff");
      expect(await tx`select * from public.reporter_identity(${petition})`, "the province sees the petition, the grant is the city membership's").toHaveLength(0);
      const [audit] = await audits(tx, as, petition, "provinceStaff").then((rows) => rows.slice(-1));
      expect([audit.orgId, audit.success], "audited under the active org").toEqual([w.org.province, false]);
    });
  });

  it("audits a call about a petition that does not exist", async () => {
    await withScenario(async (tx, _s, as) => {
      await as("daoli");
      expect(await tx`select * from public.reporter_identity(-1)`).toHaveLength(0);
      const rows = await audits(tx, as, -1, "daoli");
      expect(rows.map((r) => [r.userId, r.success])).toEqual([[w.user.daoli, false]]);
    });
  });
});

describe("public.set_reporter_identity", () => {
  it("records at intake for whoever may write the petition; only a grant holder changes it afterwards", async () => {
    await withScenario(async (tx, s, as) => {
      const e = s.e("交叉");
      await as("daoliMember");
      const fresh = await fx.petition(tx, e.id);
      const anonymous = await fx.petition(tx, e.id, { anonymous: true });
      const [before] = await tx<{ b: boolean }[]>`select public.petition_has_reporter(${fresh.id}) as b`;
      expect(before.b).toBe(false);
      expect(await outcome(tx, (sp) => sp`select public.set_reporter_identity(${fresh.id}, '  赵六 ', '')`), "the group member, at intake").toBe("ok");
      const [after] = await tx<{ b: boolean }[]>`select public.petition_has_reporter(${fresh.id}) as b`;
      expect(after.b, "已登记, never what").toBe(true);
      expect(await rolledBack(tx, (sp) => sp`select public.set_reporter_identity(${fresh.id}, '钱七', null)`), "once recorded, not without the grant").toMatch(
        /^42501: only a holder of view_reporter_identity/,
      );
      expect(await rolledBack(tx, (sp) => sp`select public.set_reporter_identity(${anonymous.id}, '孙八', null)`), "anonymous").toMatch(
        /^23514: an anonymous petition has no reporter/,
      );
      expect(await rolledBack(tx, (sp) => sp`select public.set_reporter_identity(${s.conductOf("提级").petitionId}, '孙八', null)`), "not his group's").toMatch(/^42501/);
      expect(await rolledBack(tx, (sp) => sp`select public.set_reporter_identity(-1, '孙八', null)`), "no such petition: the same answer").toMatch(/^42501/);

      // Blank name and contact: nothing to record.
      await as("daoli");
      const blank = await fx.petition(tx, e.id);
      expect(await rolledBack(tx, (sp) => sp`select public.set_reporter_identity(${blank.id}, ' ', null)`)).toMatch(/^23514/);

      // Readers who cannot write the petition record nothing: the city (supervising), the province, 南岗.
      for (const who of ["city", "province", "leader", "nangang"] as const) {
        await as(who);
        expect(await rolledBack(tx, (sp) => sp`select public.set_reporter_identity(${blank.id}, '周九', null)`), who).toMatch(/^42501/);
      }

      // 道里's office (executing) with the grant corrects it, and reads the trimmed value.
      await as("owner");
      const [stored] = await tx<{ name: string | null; contact: string | null }[]>`
        select reporter_name as name, reporter_contact as contact from private.petition_reporters where petition_id = ${fresh.id}`;
      expect(stored, "trimmed; a blank contact is none").toEqual({ name: "赵六", contact: null });
      await grant(tx, w.membership.daoli);
      await as("daoli");
      expect(await outcome(tx, (sp) => sp`select public.set_reporter_identity(${fresh.id}, '赵六', '0451-12345678')`)).toBe("ok");
      expect(await tx`select reporter_name, reporter_contact from public.reporter_identity(${fresh.id})`).toEqual([
        { reporter_name: "赵六", reporter_contact: "0451-12345678" },
      ]);
    });
  });
});

describe("public.permission_grants", () => {
  it("are given by a system administrator of the subtree to others, never to himself; users see their own", async () => {
    await withScenario(async (tx, _s, as) => {
      await as("sysadmin");
      expect(await attempt(tx, (sp) => grant(sp, w.membership.daoli)), "to 道里's staff").toBe("rows:1");
      await grant(tx, w.membership.daoli);
      expect(await attempt(tx, (sp) => grant(sp, w.membership.sysadmin)), "to himself").toBe("42501");
      expect(await attempt(tx, (sp) => grant(sp, w.membership.zj)), "another province").toBe("42501");
      const [row] = await tx<{ userId: string; orgId: number; createdBy: string }[]>`
        select user_id as "userId", org_id as "orgId", created_by as "createdBy" from public.permission_grants where membership_id = ${w.membership.daoli}`;
      expect(row, "user and org derived from the membership").toEqual({ userId: w.user.daoli, orgId: w.org.daoli, createdBy: w.user.sysadmin });
      for (const who of ["province", "city", "auditor", "leader"] as const) {
        await as(who);
        expect(await attempt(tx, (sp) => grant(sp, w.membership.nangang)), who).toBe("42501");
        expect(await attempt(tx, (sp) => sp`delete from public.permission_grants where membership_id = ${w.membership.daoli}`), who).toBe("rows:0");
      }
      await as("daoli");
      expect((await tx`select 1 from public.permission_grants where membership_id = ${w.membership.daoli}`).length, "his own").toBe(1);
      expect(await attempt(tx, (sp) => sp`delete from public.permission_grants where membership_id = ${w.membership.daoli}`), "not revoked by himself").toBe("rows:0");
      await as("nangang");
      expect((await tx`select 1 from public.permission_grants where membership_id = ${w.membership.daoli}`).length, "not another's").toBe(0);
      await as("sysadmin");
      expect(await attempt(tx, (sp) => sp`delete from public.permission_grants where membership_id = ${w.membership.daoli}`), "revoked by the admin").toBe("rows:1");
    });
  });
});
