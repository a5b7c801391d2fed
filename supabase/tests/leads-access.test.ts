import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JwtClaims, Tx } from "../../app/lib/db.server";
import { closeTestSql } from "./support/db";
import { enterRequestContext, leaveRequestContext } from "./support/fixtures";
import {
  ACTORS,
  attempt,
  CODES,
  ownerRolledBack,
  rolledBack,
  withFindingsScenario,
  world,
  type ActorKey,
  type FindingsScenario,
  type World,
} from "./support/engagements";
import { actAs, newAccount } from "./support/findings";
import type { RowFx } from "./support/matrix-harness";

/**
 * Problem leads (问题线索, issue 4) have no table privilege at all: they are read and
 * written only through audited functions. list_leads / get_lead return the leads of the
 * executing office, its ancestors and the group; a supervision partner (纪委监委、组织部)
 * sees exactly the leads transferred to its own org, and records their handling, which the
 * transferring office then sees. Every read leaves an audit row (lead.read, success or
 * not); the person concerned is returned only to the receiving partner or to a holder of
 * view_lead_person, with a lead.person.read row either way. A lead is transferred only to a
 * partner attached to the executing or supervising office. Everything is rolled back.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

const EVERYONE = Object.keys(ACTORS) as ActorKey[];
const CITY_JIWEI = "哈尔滨市纪委监委";
const CITY_ORGANIZATION = "哈尔滨市委组织部";
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** The fixture leads of the engagements `keys`. */
const leadsOf = (s: FindingsScenario, ...keys: string[]) => sorted(s.f.leads.filter((l) => keys.includes(l.engagementKey!)).map((l) => l.id));
const lead = (s: FindingsScenario, key: string, what: string): RowFx => s.rowOf(s.f.leads, key, what);
const transferredTo = (s: FindingsScenario, partner: string) =>
  sorted(s.f.leads.filter((l) => l.record.receivingOrgId === w.partner[partner]).map((l) => l.id));

/** Of the fixture leads, those list_leads returns and those get_lead returns, for the current actor. */
async function leadsSeen(tx: Tx, s: FindingsScenario) {
  const fixture = new Set(s.f.leads.map((l) => l.id));
  const listed = await tx<{ id: number }[]>`select id::int as id from public.list_leads(null, 'leads-access')`;
  const got: number[] = [];
  for (const id of fixture) if ((await tx`select 1 from public.get_lead(${id}, 'leads-access')`).length) got.push(id);
  return { listed: sorted(listed.map((l) => l.id).filter((id) => fixture.has(id))), got: sorted(got) };
}

interface AuditRow { action: string; objectId: string; success: boolean; userId: string }
/** The audit rows of a request id (read as the owner, then back as `who`). */
async function auditOf(tx: Tx, as: (who: ActorKey | "owner") => Promise<void>, requestId: string, back: ActorKey) {
  await as("owner");
  const rows = await tx<AuditRow[]>`
    select action, object_id as "objectId", success, user_id as "userId" from public.audit_log
     where request_id = ${requestId} order by id`;
  await as(back);
  return rows;
}

describe("private.leads, private.lead_handlings and private.lead_persons", () => {
  it("grant no privilege to any request role: a direct select, insert, update or delete is refused", async () => {
    const updates = { "private.leads": "summary = summary", "private.lead_handlings": "note = note", "private.lead_persons": "person_name = person_name" };
    for (const role of ["authenticated", "anon"]) {
      for (const [table, set] of Object.entries(updates)) {
        const states = await ownerRolledBack(async (tx) => {
          if (role === "authenticated") await enterRequestContext(tx, w.claims.city);
          else await tx.unsafe(`set local role ${role}`);
          return {
            select: await attempt(tx, (sp) => sp.unsafe(`select * from ${table}`)),
            insert: await attempt(tx, (sp) => sp.unsafe(`insert into ${table} default values`)),
            update: await attempt(tx, (sp) => sp.unsafe(`update ${table} set ${set}`)),
            delete: await attempt(tx, (sp) => sp.unsafe(`delete from ${table}`)),
          };
        });
        expect(states, `${role} on ${table}`).toEqual({ select: "42501", insert: "42501", update: "42501", delete: "42501" });
      }
    }
  });

  it("are not reachable by anon through the functions either", async () => {
    await withFindingsScenario(async (tx, s) => {
      const id = lead(s, "提级", "lead registered").id;
      await tx`set local role anon`;
      expect(await attempt(tx, (sp) => sp`select * from public.list_leads(null, null)`)).toBe("42501");
      expect(await attempt(tx, (sp) => sp`select * from public.get_lead(${id}, null, true)`)).toBe("42501");
      expect(await attempt(tx, (sp) => sp`select public.record_lead_handling(${id}, 'initial_check', current_date, 'x')`)).toBe("42501");
    });
  });
});

describe("list_leads and get_lead: the executing office, its ancestors, the group, and the receiving partner", () => {
  it("return to every account exactly the leads it may see", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const city = leadsOf(s, `${CODES.city}常规`, "财政局", "提级", "已办结", "交叉", `${CODES.daoli}常规`, `${CODES.nangang}常规`);
      const expected: Record<ActorKey, number[]> = {
        province: sorted(s.f.leads.map((l) => l.id)),
        provinceStaff: sorted(s.f.leads.map((l) => l.id)),
        leader: sorted(s.f.leads.map((l) => l.id)),
        city,
        daoli: leadsOf(s, `${CODES.daoli}常规`, "交叉"),
        nangang: leadsOf(s, `${CODES.nangang}常规`),
        qqhr: leadsOf(s, `${CODES.qqhr}常规`),
        zj: [],
        // The city's group, while its round runs (not the closed round's); the cross group.
        cityMember: leadsOf(s, `${CODES.city}常规`, "财政局", "提级"),
        daoliMember: leadsOf(s, "交叉"),
        unitContact: [],
        unitHead: [],
        sysadmin: [],
        auditor: [],
        cityPartner: transferredTo(s, CITY_JIWEI),
      };
      expect(expected.cityPartner.length, "leads of five engagements were transferred to the city's 纪委监委").toBe(5);
      for (const who of EVERYONE) {
        await as(who);
        expect(await leadsSeen(tx, s), who).toEqual({ listed: expected[who], got: expected[who] });
      }
    });
  });

  it("give the partner only what was transferred to his own org, whatever the table holds", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      await as("cityPartner");
      const all = await tx<{ receivingOrgId: number | null; transferredOn: string | null }[]>`
        select receiving_org_id as "receivingOrgId", transferred_on::text as "transferredOn" from public.list_leads(null, 'leads-access')`;
      expect(all.length).toBeGreaterThanOrEqual(5);
      expect(all.every((l) => l.receivingOrgId === w.partner[CITY_JIWEI] && l.transferredOn !== null), "transferred, to his org").toBe(true);
      for (const [key, what] of [[`${CODES.city}常规`, "lead registered"], [`${CODES.city}常规`, `lead transferred to ${CITY_ORGANIZATION}`], ["交叉", "lead registered"], [`${CODES.province}常规`, "lead transferred to 黑龙江省纪委监委"]] as const) {
        expect(await tx`select * from public.get_lead(${lead(s, key, what).id}, 'leads-access', true)`, `${key}: ${what}`).toHaveLength(0);
      }
    });
  });
});

describe("every read of a lead is audited", () => {
  it("list_leads writes lead.read for each lead returned; get_lead for the lead asked, success or not", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      await as("city");
      const listId = `leads-list-${randomUUID()}`;
      const listed = await tx<{ id: number }[]>`select id::int as id from public.list_leads(null, ${listId})`;
      const rows = await auditOf(tx, as, listId, "city");
      expect(rows.every((r) => r.action === "lead.read" && r.success && r.userId === w.user.city), "lead.read, success, by him").toBe(true);
      expect(sorted(rows.map((r) => Number(r.objectId))), "one row per lead returned").toEqual(sorted(listed.map((l) => l.id)));

      const mine = lead(s, "提级", "lead registered").id;
      const foreign = lead(s, `${CODES.qqhr}常规`, "lead registered").id;
      const okId = `leads-get-${randomUUID()}`;
      const refusedId = `leads-get-${randomUUID()}`;
      expect(await tx`select * from public.get_lead(${mine}, ${okId})`).toHaveLength(1);
      expect(await tx`select * from public.get_lead(${foreign}, ${refusedId})`).toHaveLength(0);
      expect(await auditOf(tx, as, okId, "city"), "a read").toEqual([{ action: "lead.read", objectId: String(mine), success: true, userId: w.user.city }]);
      expect(await auditOf(tx, as, refusedId, "city"), "a refused read").toEqual([{ action: "lead.read", objectId: String(foreign), success: false, userId: w.user.city }]);

      // Another office's read is audited under its own account too.
      await as("nangang");
      const nangangId = `leads-get-${randomUUID()}`;
      expect(await tx`select * from public.get_lead(${mine}, ${nangangId})`).toHaveLength(0);
      expect(await auditOf(tx, as, nangangId, "nangang")).toEqual([{ action: "lead.read", objectId: String(mine), success: false, userId: w.user.nangang }]);
    });
  });
});

describe("the person concerned: to the receiving partner or a holder of view_lead_person, audited either way", () => {
  it("the receiving partner gets the person when he asks for it, and only then", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const id = lead(s, "提级", `lead transferred to ${CITY_JIWEI}`).id;
      await as("cityPartner");
      const asked = `leads-person-${randomUUID()}`;
      const [withPerson] = await tx<{ personVisible: boolean; personName: string | null; personPost: string | null }[]>`
        select person_visible as "personVisible", person_name as "personName", person_post as "personPost"
          from public.get_lead(${id}, ${asked}, true)`;
      expect(withPerson).toEqual({ personVisible: true, personName: "某某", personPost: "副局长" });
      expect((await auditOf(tx, as, asked, "cityPartner")).map((r) => [r.action, r.success])).toEqual([["lead.read", true], ["lead.person.read", true]]);
      const plain = `leads-person-${randomUUID()}`;
      const [without] = await tx<{ personName: string | null }[]>`select person_name as "personName" from public.get_lead(${id}, ${plain})`;
      expect(without.personName, "not unless asked").toBeNull();
      expect((await auditOf(tx, as, plain, "cityPartner")).map((r) => r.action)).toEqual(["lead.read"]);
    });
  });

  it("an office sees the person only with view_lead_person; the refusal is audited too", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const id = lead(s, "提级", "lead registered").id;
      await tx`delete from public.permission_grants where membership_id = ${w.membership.city} and permission = 'view_lead_person'`;
      await as("city");
      const refused = `leads-person-${randomUUID()}`;
      const [row] = await tx<{ personVisible: boolean; personName: string | null }[]>`
        select person_visible as "personVisible", person_name as "personName" from public.get_lead(${id}, ${refused}, true)`;
      expect(row, "the lead, without the person").toEqual({ personVisible: false, personName: null });
      expect((await auditOf(tx, as, refused, "city")).map((r) => [r.action, r.success])).toEqual([["lead.read", true], ["lead.person.read", false]]);

      await as("owner");
      await tx`insert into public.permission_grants (membership_id, permission) values (${w.membership.city}, 'view_lead_person')`;
      await as("city");
      const allowed = `leads-person-${randomUUID()}`;
      const [granted] = await tx<{ personVisible: boolean; personName: string | null }[]>`
        select person_visible as "personVisible", person_name as "personName" from public.get_lead(${id}, ${allowed}, true)`;
      expect(granted, "with the permission").toEqual({ personVisible: true, personName: "某某" });
      expect((await auditOf(tx, as, allowed, "city")).map((r) => [r.action, r.success])).toEqual([["lead.read", true], ["lead.person.read", true]]);

      // The permission does not widen the tenancy rule: 南岗 with it still gets nothing of the city's lead.
      await as("owner");
      await tx`insert into public.permission_grants (membership_id, permission) values (${w.membership.nangang}, 'view_lead_person')
               on conflict (membership_id, permission) do nothing`;
      await as("nangang");
      expect(await tx`select * from public.get_lead(${id}, 'leads-access', true)`).toHaveLength(0);
    });
  });
});

describe("record_lead_handling: the receiving partner, on the leads transferred to it", () => {
  it("the partner records the handling of his leads, and the transferring office sees it", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const id = lead(s, `${CODES.city}常规`, `lead transferred to ${CITY_JIWEI}`).id;
      await as("cityPartner");
      await tx`select public.record_lead_handling(${id}, 'case_opened', current_date, '已立案审查', 2, 1)`;
      await as("city");
      const [l] = await tx<{ stage: string; sanctioned: number; judicial: number; handlings: { stage: string; sanctioned: number; judicial: number }[] }[]>`
        select stage::text as stage, sanctioned_persons as sanctioned, judicial_persons as judicial, handlings from public.get_lead(${id}, 'leads-access')`;
      expect({ stage: l.stage, sanctioned: l.sanctioned, judicial: l.judicial }, "the stage and the totals follow").toEqual({ stage: "case_opened", sanctioned: 3, judicial: 1 });
      expect(l.handlings.map((h) => [h.stage, h.sanctioned, h.judicial]), "the handling, step by step").toEqual([["initial_check", 1, 0], ["case_opened", 2, 1]]);
    });
  });

  it("nobody else records one: not on another org's lead, not on one not transferred, not an office", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const handle = (id: number) => (sp: Tx) => sp`select public.record_lead_handling(${id}, 'initial_check', current_date, '初核')`;
      const mine = lead(s, "交叉", `lead transferred to ${CITY_JIWEI}`).id;
      const toOrganization = lead(s, `${CODES.city}常规`, `lead transferred to ${CITY_ORGANIZATION}`).id;
      const registered = lead(s, `${CODES.city}常规`, "lead registered").id;
      const province = lead(s, `${CODES.province}常规`, "lead transferred to 黑龙江省纪委监委").id;
      await as("cityPartner");
      expect(await attempt(tx, handle(mine)), "his own").toBe("rows:1");
      expect(await attempt(tx, handle(toOrganization)), "transferred to 组织部").toBe("42501");
      expect(await attempt(tx, handle(registered)), "not transferred").toBe("42501");
      expect(await attempt(tx, handle(province)), "the province's 纪委监委's").toBe("42501");
      for (const who of ["city", "daoli", "province", "daoliMember", "unitHead", "sysadmin"] as const) {
        await as(who);
        expect(await attempt(tx, handle(mine)), who).toBe("42501");
      }

      // The staff of 哈尔滨市委组织部: his org's lead only.
      const { claims } = await partnerStaff(tx, w.partner[CITY_ORGANIZATION]);
      await enterRequestContext(tx, claims);
      expect(await attempt(tx, handle(toOrganization)), "组织部 handles its lead").toBe("rows:1");
      expect(await attempt(tx, handle(mine)), "not 纪委监委's").toBe("42501");
      const listed = await tx<{ id: number }[]>`select id::int as id from public.list_leads(null, 'leads-access')`;
      expect(listed.map((l) => l.id).filter((x) => s.f.leads.some((f) => f.id === x)), "组织部 sees its lead only").toEqual([toOrganization]);
    });
  });
});

describe("transfer_lead: to a partner attached to the executing or supervising office, by the executing office", () => {
  it("refuses a partner of another office, an office, and a second transfer", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const transfer = (id: number, to: number) => (sp: Tx) => sp`select public.transfer_lead(${id}, ${to}, current_date, '移字〔2026〕9号')`;
      const cityLead = lead(s, `${CODES.city}常规`, "lead registered").id;
      await as("city");
      expect(await rolledBack(tx, transfer(cityLead, w.partner[CITY_ORGANIZATION]))).toBe("ok");
      expect(await rolledBack(tx, transfer(cityLead, w.partner[CITY_JIWEI]))).toBe("ok");
      expect(await rolledBack(tx, transfer(cityLead, w.partner["道里区纪委监委"])), "a county's partner").toMatch(/^23514: lead transfer: not a partner/);
      expect(await rolledBack(tx, transfer(cityLead, w.partner["齐齐哈尔市纪委监委"])), "the sibling city's partner").toMatch(/^23514: lead transfer: not a partner/);
      expect(await rolledBack(tx, transfer(cityLead, w.partner["黑龙江省纪委监委"])), "the province's partner").toMatch(/^23514: lead transfer: not a partner/);
      expect(await rolledBack(tx, transfer(cityLead, w.org.daoli)), "a patrol office").toMatch(/^23514: lead transfer: not a partner/);
      const done = lead(s, `${CODES.city}常规`, `lead transferred to ${CITY_JIWEI}`).id;
      expect(await rolledBack(tx, transfer(done, w.partner[CITY_JIWEI])), "transferred already").toMatch(/^23514: lead transfer: transferred already/);

      // The cross patrol: executed by 道里, supervised by the city.
      const crossLead = lead(s, "交叉", "lead registered").id;
      await as("daoli");
      expect(await rolledBack(tx, transfer(crossLead, w.partner["道里区纪委监委"])), "the executing office's partner").toBe("ok");
      expect(await rolledBack(tx, transfer(crossLead, w.partner[CITY_JIWEI])), "the supervising office's partner").toBe("ok");
      expect(await rolledBack(tx, transfer(crossLead, w.partner["南岗区纪委监委"])), "the target's partner").toMatch(/^23514: lead transfer: not a partner/);
      for (const who of ["city", "nangang", "province", "daoliMember", "cityPartner", "unitContact"] as const) {
        await as(who);
        expect(await rolledBack(tx, transfer(crossLead, w.partner[CITY_JIWEI])), `${who} does not transfer the cross engagement's lead`).toMatch(/^42501/);
      }
    });
  });
});

describe("audit administrators see the partners' lead reads", () => {
  it("the province's auditor reads the audit rows a city partner left; another province's auditor does not", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const id = lead(s, "提级", `lead transferred to ${CITY_JIWEI}`).id;
      await as("cityPartner");
      const requestId = `leads-audit-${randomUUID()}`;
      expect(await tx`select 1 from public.get_lead(${id}, ${requestId}, true)`).toHaveLength(1);
      const read = async () =>
        (await tx<{ action: string; orgId: number }[]>`
          select action, org_id as "orgId" from public.audit_log where request_id = ${requestId} order by id`);
      await as("auditor");
      expect(await read(), "under the partner's own org, in the province auditor's view").toEqual([
        { action: "lead.read", orgId: w.partner[CITY_JIWEI] },
        { action: "lead.person.read", orgId: w.partner[CITY_JIWEI] },
      ]);
      const named = async () => ({
        org: (await tx<{ name: string }[]>`select name from public.orgs where id = ${w.partner[CITY_JIWEI]}`).map((r) => r.name),
        person: (await tx`select 1 from private.people_directory() where user_id = ${w.user.cityPartner}`).length,
      });
      expect(await named(), "the auditor names the partner and its staff member").toEqual({ org: [CITY_JIWEI], person: 1 });
      await as("owner");
      const zjAuditor = await newAccount(tx, { orgId: w.org.zj, role: "audit_admin", tag: "zj-auditor" });
      const qqhrAuditor = await newAccount(tx, { orgId: w.org.qqhr, role: "audit_admin", tag: "qqhr-auditor" });
      const cityAuditor = await newAccount(tx, { orgId: w.org.city, role: "audit_admin", tag: "city-auditor" });
      await actAs(tx, cityAuditor);
      expect(await read(), "the city's own auditor").toHaveLength(2);
      for (const other of [zjAuditor, qqhrAuditor]) {
        await actAs(tx, other);
        expect(await read(), "an auditor whose subtree the partner is not attached to").toEqual([]);
        expect(await named(), "nor names them").toEqual({ org: [], person: 0 });
      }
      for (const who of ["city", "sysadmin", "cityPartner"] as const) {
        await as(who);
        expect(await read(), `${who} is no auditor`).toEqual([]);
      }
    });
  });
});

/**
 * A partner's staff account of the org given, with a live session (in the owner
 * transaction, rolled back with it). Leaves the transaction as the owner.
 */
async function partnerStaff(tx: Tx, partnerOrgId: number) {
  const id = randomUUID();
  await leaveRequestContext(tx);
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, created_at, updated_at)
    values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${`partner.${id}@fixture.invalid`}, now(), now())`;
  await tx`insert into public.memberships (user_id, org_id, role) values (${id}, ${partnerOrgId}, 'partner_staff')`;
  const [session] = await tx<{ id: string }[]>`
    insert into auth.sessions (id, user_id, created_at, updated_at, aal, not_after)
    values (gen_random_uuid(), ${id}, now(), now(), 'aal1', now() + interval '1 hour') returning id`;
  const claims: JwtClaims = { sub: id, role: "authenticated", aud: "authenticated", session_id: session.id };
  return { id, claims };
}
