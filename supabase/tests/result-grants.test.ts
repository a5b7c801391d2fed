import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql } from "./support/db";
import { CODES, rolledBack, withFindingsScenario, world, type ActorKey, type FindingsScenario, type World } from "./support/engagements";
import { actAs, newAccount, notices, type Account, type Who } from "./support/findings";

/**
 * Shared results (成果共享, issue 5, migration 20261121001900). An office grants a
 * supervision partner attached to it scoped, expiring access to one result: an
 * engagement's problem list, its rectification, or a round's figures. The partner has no
 * table privilege on any of it: he reads through shared_problems / shared_rectification /
 * shared_round_figures, which check the grant on every call (revocation and expiry take
 * effect at once), return those fields and nothing else (no paper, petition, lead, person
 * or reporter), and write one grant.read audit row per call, allowed or refused. Only the
 * granting office's staff grant, to their own partners, their own engagements and rounds,
 * for at most a year; the office and its ancestors see the grants and who used them. 巡前通报
 * are the office's own record. Everything is rolled back.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

const CITY_JIWEI = "哈尔滨市纪委监委";
const CITY_ORGANIZATION = "哈尔滨市委组织部";
const DAOLI_JIWEI = "道里区纪委监委";
const QQHR_JIWEI = "齐齐哈尔市纪委监委";
const CITY_REGULAR = `${CODES.city}常规`;

type Scope = "engagement_problems" | "engagement_rectification" | "round_figures";
interface GrantSpec {
  org: number;
  partner: number;
  scope: Scope;
  engagementId?: number | null;
  roundId?: number | null;
  /** Days from today (default 30). */
  days?: number;
}

const insertGrant = (sp: Tx, g: GrantSpec) => sp<{ id: number }[]>`
  insert into public.result_grants (org_id, partner_org_id, scope, engagement_id, round_id, expires_on, note)
  values (${g.org}, ${g.partner}, ${g.scope}::public.grant_scope, ${g.engagementId ?? null}, ${g.roundId ?? null},
          current_date + ${g.days ?? 30}::int, '供纪委监委参考（测试）')
  returning id::int as id`;

/** A grant made by `who` through the table, as the app makes it. */
async function grantAs(tx: Tx, who: Who, g: GrantSpec): Promise<number> {
  await actAs(tx, who);
  const [row] = await insertGrant(tx, g);
  return row.id;
}

const call = {
  problems: (tx: Tx, id: number, requestId = "result-grants") =>
    tx`select * from public.shared_problems(${id}::bigint, ${requestId}::text)`,
  rectification: (tx: Tx, id: number, requestId = "result-grants") =>
    tx`select * from public.shared_rectification(${id}::bigint, ${requestId}::text)`,
  figures: (tx: Tx, id: number, requestId = "result-grants") =>
    tx`select * from public.shared_round_figures(${id}::bigint, ${requestId}::text)`,
};

interface AuditRow { action: string; objectType: string; objectId: string; success: boolean; userId: string; orgId: number; scope: string }
/** The audit rows of a request id, read as the owner (the transaction stays the owner's). */
async function auditOf(tx: Tx, requestId: string): Promise<AuditRow[]> {
  await actAs(tx, "owner");
  return tx<AuditRow[]>`
    select action, object_type as "objectType", object_id as "objectId", success, user_id::text as "userId", org_id as "orgId",
           detail ->> 'scope' as scope
      from public.audit_log where request_id = ${requestId} order by id`;
}

/** Owner: the city's regular engagement and the round it is in. */
const cityRegular = (s: FindingsScenario) => s.e(CITY_REGULAR);

/** Fields no shared result may carry (the conduct of a patrol, leads, people named in them). */
const FORBIDDEN_COLUMN = /paper|petition|reporter|lead_id|person_(name|post|level)|summary|contact|attachment|file/;

describe("a grant shares exactly one result, through the functions, with nothing of the conduct", () => {
  it("an engagement's problem list: exactly its problems, no paper, petition, lead, person or reporter field", async () => {
    await withFindingsScenario(async (tx, s) => {
      const e = cityRegular(s);
      const grant = await grantAs(tx, "city", { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "engagement_problems", engagementId: e.id });
      await actAs(tx, "owner");
      const expected = await tx<{ seq: number; title: string }[]>`
        select seq, title from public.problems where engagement_id = ${e.id} order by seq`;
      expect(expected.length, "the fixture engagement has a problem list").toBeGreaterThanOrEqual(2);

      await actAs(tx, "cityPartner");
      const rows = await call.problems(tx, grant);
      expect(rows.map((r) => ({ seq: r.seq, title: r.title })), "exactly the engagement's problems, in order").toEqual(expected);
      expect(rows.columns.map((c) => c.name)).toEqual([
        "seq", "title", "description", "category", "top_category", "severity", "discipline_form", "on_the_spot", "fed_back",
        "unit_name", "group_name",
      ]);
      expect(rows.columns.map((c) => c.name).filter((n) => FORBIDDEN_COLUMN.test(n))).toEqual([]);
      expect(new Set(rows.map((r) => r.unit_name)), "one engagement only").toEqual(new Set([(await unitName(tx, e.id))]));
      const text = JSON.stringify(rows);
      for (const secret of ["举报人甲", "13800000000", "某某", "反映该单位负责人", "起草中的底稿", "审核中的底稿", "会计凭证"]) {
        expect(text, `no trace of "${secret}" (reporter, lead, person, unapproved paper, evidence)`).not.toContain(secret);
      }
      // Nothing of the other engagements of the same round or office.
      expect(rows.some((r) => /财政局|提级|交叉/.test(String(r.unit_name))), "no other engagement").toBe(false);
      // The same grant does not open the other scopes.
      expect(await call.rectification(tx, grant), "its rectification").toHaveLength(0);
      expect(await call.figures(tx, grant), "its round's figures").toHaveLength(0);
    });
  });

  it("an engagement's rectification: exactly its items and their progress", async () => {
    await withFindingsScenario(async (tx, s) => {
      const e = cityRegular(s);
      const grant = await grantAs(tx, "city", { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "engagement_rectification", engagementId: e.id });
      await actAs(tx, "owner");
      const expected = await tx<{ measures: string; status: string; updates: number }[]>`
        select i.measures, i.status::text as status, (select count(*)::int from public.rectification_updates u where u.item_id = i.id) as updates
          from public.rectification_items i join public.problems p on p.id = i.problem_id
         where i.engagement_id = ${e.id} order by p.seq, i.id`;
      expect(expected.map((x) => x.status), "the fixture's three items").toEqual(["open", "unit_confirmed", "closed"]);

      await actAs(tx, "cityPartner");
      const rows = await call.rectification(tx, grant);
      expect(rows.map((r) => ({ measures: r.measures, status: r.status, updates: r.updates }))).toEqual(expected);
      expect(rows.columns.map((c) => c.name)).toEqual([
        "problem_seq", "problem_title", "measures", "responsible_leader", "responsible_department", "responsible_person", "kind",
        "deadline", "status", "updates", "last_reported_on", "unit_name",
      ]);
      expect(rows.columns.map((c) => c.name).filter((n) => FORBIDDEN_COLUMN.test(n))).toEqual([]);
      expect(JSON.stringify(rows)).not.toMatch(/举报人甲|某某|反映该单位负责人|整改佐证/);
      expect(await call.problems(tx, grant), "not the problem list").toHaveLength(0);
    });
  });

  it("a round's figures: one row per engagement of that round, counts only", async () => {
    await withFindingsScenario(async (tx, s) => {
      const round = s.round.get(CODES.city)!;
      const grant = await grantAs(tx, "city", { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "round_figures", roundId: round });
      await actAs(tx, "owner");
      const expected = await tx<{ unitName: string; problems: number }[]>`
        select e.unit_name as "unitName", (select count(*)::int from public.problems p where p.engagement_id = e.id) as problems
          from public.engagements e where e.round_id = ${round} order by e.unit_name`;
      expect(expected.length, "the city's running round has several engagements").toBeGreaterThanOrEqual(4);

      await actAs(tx, "cityPartner");
      const rows = await call.figures(tx, grant);
      expect(rows.map((r) => ({ unitName: r.unit_name, problems: r.problems }))).toEqual(expected);
      expect(rows.columns.map((c) => c.name)).toEqual([
        "unit_name", "group_name", "problems", "on_the_spot", "deadline_items", "fed_back", "rectified", "overdue_items",
        "leads_transferred", "persons_sanctioned", "persons_judicial",
      ]);
      expect(rows.columns.map((c) => c.name).filter((n) => FORBIDDEN_COLUMN.test(n))).toEqual([]);
      const regular = rows.find((r) => r.unit_name === expected.find((x) => x.problems > 0 && x.unitName)?.unitName);
      expect(regular, "a row with problems").toBeDefined();
      expect(JSON.stringify(rows)).not.toMatch(/举报人甲|某某|反映该单位负责人/);
      expect(await call.problems(tx, grant), "no problem list through a figures grant").toHaveLength(0);
    });
  });
});

describe("expiry and revocation take effect on the next call", () => {
  it("a grant whose expiry has passed returns nothing and is no longer listed", async () => {
    await withFindingsScenario(async (tx, s) => {
      const grant = await grantAs(tx, "city", { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "engagement_problems", engagementId: cityRegular(s).id });
      await actAs(tx, "cityPartner");
      expect((await call.problems(tx, grant)).length).toBeGreaterThan(0);
      expect((await listed(tx)).includes(grant)).toBe(true);

      // No office can date a grant in the past: the owner, with triggers off for one statement.
      await actAs(tx, "owner");
      await tx`set local session_replication_role = replica`;
      await tx`update public.result_grants set expires_on = current_date - 1 where id = ${grant}`;
      await tx`set local session_replication_role = origin`;
      await actAs(tx, "cityPartner");
      const requestId = `grants-expired-${randomUUID()}`;
      expect(await call.problems(tx, grant, requestId), "expired").toHaveLength(0);
      expect((await listed(tx)).includes(grant), "not listed").toBe(false);
      expect((await auditOf(tx, requestId)).map((a) => a.success), "the refused read is audited").toEqual([false]);

      // Its last day still counts.
      await tx`set local session_replication_role = replica`;
      await tx`update public.result_grants set expires_on = current_date where id = ${grant}`;
      await tx`set local session_replication_role = origin`;
      await actAs(tx, "cityPartner");
      expect((await call.problems(tx, grant)).length, "on its last day").toBeGreaterThan(0);
    });
  });

  it("a revoked grant returns nothing at once, and is never changed or revoked again", async () => {
    await withFindingsScenario(async (tx, s) => {
      const grant = await grantAs(tx, "city", { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "engagement_problems", engagementId: cityRegular(s).id });
      await actAs(tx, "cityPartner");
      expect((await call.problems(tx, grant)).length).toBeGreaterThan(0);

      await actAs(tx, "city");
      const revoked = await tx`update public.result_grants set revoked_at = now() - interval '3 days' where id = ${grant}`;
      expect(revoked.count).toBe(1);
      await actAs(tx, "cityPartner");
      expect(await call.problems(tx, grant), "the next call").toHaveLength(0);
      expect((await listed(tx)).includes(grant), "not listed").toBe(false);

      await actAs(tx, "owner");
      const [row] = await tx<{ revokedBy: string; stamped: boolean }[]>`
        select revoked_by::text as "revokedBy", revoked_at > now() - interval '1 minute' as stamped from public.result_grants where id = ${grant}`;
      expect(row, "stamped by the database: now, by the office user").toEqual({ revokedBy: w.user.city, stamped: true });

      await actAs(tx, "city");
      expect(await rolledBack(tx, (sp) => sp`update public.result_grants set revoked_at = null where id = ${grant}`), "un-revoke")
        .toMatch(/^23514: share: the grant is already revoked/);
      expect(await rolledBack(tx, (sp) => sp`update public.result_grants set revoked_at = now() where id = ${grant}`), "revoke again")
        .toMatch(/^23514: share: the grant is already revoked/);
      for (const set of ["note = 'x'", "expires_on = current_date + 60", "partner_org_id = partner_org_id", "engagement_id = engagement_id"]) {
        expect(await rolledBack(tx, (sp) => sp.unsafe(`update public.result_grants set ${set} where id = ${grant}`)), `${set}: no column privilege`).toMatch(/^42501/);
      }
      // Not even the owner changes a grant: only a revocation, once.
      await actAs(tx, "owner");
      expect(await rolledBack(tx, (sp) => sp`update public.result_grants set expires_on = current_date + 60 where id = ${grant}`))
        .toMatch(/^22023: a grant is revoked, not changed/);
      expect(await rolledBack(tx, (sp) => sp`update public.result_grants set revoked_at = null where id = ${grant}`))
        .toMatch(/^23514: share: the grant is already revoked/);
    });
  });

  it("only the granting office revokes: not its ancestors, not the partner, not another office", async () => {
    await withFindingsScenario(async (tx, s) => {
      const grant = await grantAs(tx, "city", { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "engagement_problems", engagementId: cityRegular(s).id });
      for (const who of ["province", "provinceStaff", "leader", "daoli", "qqhr", "cityPartner", "cityMember", "unitContact", "sysadmin", "auditor"] as const) {
        await actAs(tx, who);
        const out = await rolledBack(tx, (sp) => sp`update public.result_grants set revoked_at = now() where id = ${grant} returning id`.then((r) => {
          if (r.count) throw Object.assign(new Error("revoked"), { code: "REVOKED" });
        }));
        expect(["ok", "42501: permission denied for table result_grants"], `${who} does not revoke`).toContain(out.replace(/ \(.*$/, ""));
      }
      await actAs(tx, "owner");
      const [row] = await tx<{ revoked: boolean }[]>`select revoked_at is not null as revoked from public.result_grants where id = ${grant}`;
      expect(row.revoked).toBe(false);
    });
  });
});

describe("every call of the partner's functions is audited, allowed or refused", () => {
  it("one grant.read row per call, with success true or false; the office sees them in grant_accesses", async () => {
    await withFindingsScenario(async (tx, s) => {
      const e = cityRegular(s);
      const grant = await grantAs(tx, "city", { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "engagement_problems", engagementId: e.id });
      const daoliGrant = await grantAs(tx, "daoli", { org: w.org.daoli, partner: w.partner[DAOLI_JIWEI], scope: "engagement_problems", engagementId: s.e(`${CODES.daoli}常规`).id });
      await actAs(tx, "owner");
      const organization = await newAccount(tx, { orgId: w.partner[CITY_ORGANIZATION], role: "partner_staff", tag: "org-dept" });

      const cases: [label: string, who: Who, run: (tx: Tx, requestId: string) => Promise<unknown>, grantId: number, scope: Scope, success: boolean, userId: string, orgId: number][] = [
        ["his own grant", "cityPartner", (t, r) => call.problems(t, grant, r), grant, "engagement_problems", true, w.user.cityPartner, w.partner[CITY_JIWEI]],
        ["the wrong scope (rectification)", "cityPartner", (t, r) => call.rectification(t, grant, r), grant, "engagement_rectification", false, w.user.cityPartner, w.partner[CITY_JIWEI]],
        ["the wrong scope (figures)", "cityPartner", (t, r) => call.figures(t, grant, r), grant, "round_figures", false, w.user.cityPartner, w.partner[CITY_JIWEI]],
        ["another partner's grant (道里区纪委监委)", "cityPartner", (t, r) => call.problems(t, daoliGrant, r), daoliGrant, "engagement_problems", false, w.user.cityPartner, w.partner[CITY_JIWEI]],
        ["the 组织部's staff on the 纪委监委's grant", organization, (t, r) => call.problems(t, grant, r), grant, "engagement_problems", false, organization.userId, w.partner[CITY_ORGANIZATION]],
        ["the granting office itself", "city", (t, r) => call.problems(t, grant, r), grant, "engagement_problems", false, w.user.city, w.org.city],
        ["the province office", "province", (t, r) => call.problems(t, grant, r), grant, "engagement_problems", false, w.user.province, w.org.province],
        ["a grant that does not exist", "cityPartner", (t, r) => call.problems(t, 2_000_000_000, r), 2_000_000_000, "engagement_problems", false, w.user.cityPartner, w.partner[CITY_JIWEI]],
      ];
      for (const [label, who, run, grantId, scope, success, userId, orgId] of cases) {
        await actAs(tx, who);
        const requestId = `grants-audit-${randomUUID()}`;
        const rows = (await run(tx, requestId)) as unknown[];
        expect(rows.length > 0, `${label}: rows returned`).toBe(success);
        expect(await auditOf(tx, requestId), label).toEqual([
          { action: "grant.read", objectType: "result_grant", objectId: String(grantId), success, userId, orgId, scope },
        ]);
      }

      // The office sees every access to its grant (not the other grant's), newest first.
      const onGrant = cases.filter((c) => c[3] === grant);
      for (const who of ["city", "province", "provinceStaff", "leader"] as const) {
        await actAs(tx, who);
        const accesses = await tx<{ name: string | null; success: boolean }[]>`
          select display_name as name, success from public.grant_accesses(${grant})`;
        expect(accesses.map((a) => a.success), `${who} sees who used the grant`).toEqual(onGrant.map((c) => c[5]).reverse());
      }
      await actAs(tx, "city");
      const [first] = await tx<{ name: string | null }[]>`select display_name as name from public.grant_accesses(${grant}) order by occurred_at limit 1`;
      expect(first.name, "named").toBe("冯国庆");
      for (const who of ["daoli", "nangang", "qqhr", "zj", "cityPartner", "unitContact", "cityMember", "sysadmin", "auditor"] as const) {
        await actAs(tx, who);
        expect(await tx`select * from public.grant_accesses(${grant})`, `${who} does not`).toHaveLength(0);
      }
    });
  });
});

describe("who grants: the office's own staff, to its own partners, its own results, for at most a year", () => {
  it("the city grants its engagements (supervised or executed) and its rounds to its partners; everything else is refused", async () => {
    await withFindingsScenario(async (tx, s) => {
      const e = cityRegular(s).id;
      const round = s.round.get(CODES.city)!;
      const cross = s.e("交叉").id;
      const problems = (partner: number, engagementId: number, days = 30) => (sp: Tx) =>
        insertGrant(sp, { org: w.org.city, partner, scope: "engagement_problems", engagementId, days });
      await actAs(tx, "city");
      expect(await rolledBack(tx, problems(w.partner[CITY_JIWEI], e)), "its 纪委监委").toBe("ok");
      expect(await rolledBack(tx, problems(w.partner[CITY_ORGANIZATION], e)), "its 组织部").toBe("ok");
      expect(await rolledBack(tx, problems(w.partner[CITY_JIWEI], cross)), "the cross patrol it supervises").toBe("ok");
      expect(await rolledBack(tx, (sp) => insertGrant(sp, { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "round_figures", roundId: round })), "its round").toBe("ok");
      expect(await rolledBack(tx, problems(w.partner[CITY_JIWEI], e, 0)), "until today").toBe("ok");
      expect(await rolledBack(tx, problems(w.partner[CITY_JIWEI], e, 366)), "a year ahead").toBe("ok");

      expect(await rolledBack(tx, problems(w.partner[DAOLI_JIWEI], e)), "a county's partner").toMatch(/^23514: share: not a partner of this office/);
      expect(await rolledBack(tx, problems(w.partner[QQHR_JIWEI], e)), "the sibling city's partner").toMatch(/^23514: share: not a partner of this office/);
      expect(await rolledBack(tx, problems(w.partner["黑龙江省纪委监委"], e)), "the province's partner").toMatch(/^23514: share: not a partner of this office/);
      expect(await rolledBack(tx, problems(w.org.daoli, e)), "a patrol office").toMatch(/^23514: share: not a partner of this office/);
      expect(await rolledBack(tx, problems(w.partner[CITY_JIWEI], s.e(`${CODES.daoli}常规`).id)), "a county's engagement").toMatch(/^23514: share: an engagement of this office/);
      expect(await rolledBack(tx, problems(w.partner[CITY_JIWEI], s.e(`${CODES.qqhr}常规`).id)), "the sibling city's engagement").toMatch(/^23514: share: an engagement of this office/);
      expect(await rolledBack(tx, (sp) => insertGrant(sp, { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "round_figures", roundId: s.round.get(CODES.daoli)! })), "a county's round")
        .toMatch(/^23514: share: a round of this office/);
      expect(await rolledBack(tx, (sp) => insertGrant(sp, { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "round_figures", roundId: s.round.get(CODES.province)! })), "the province's round")
        .toMatch(/^23514: share: a round of this office/);
      expect(await rolledBack(tx, problems(w.partner[CITY_JIWEI], e, -1)), "expired already").toMatch(/^23514: share: the expiry is within a year from today/);
      expect(await rolledBack(tx, problems(w.partner[CITY_JIWEI], e, 367)), "more than a year").toMatch(/^23514: share: the expiry is within a year from today/);
      expect(await rolledBack(tx, (sp) => insertGrant(sp, { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "round_figures", engagementId: e })), "a scope without its target")
        .toMatch(/^23514/);
      expect(await rolledBack(tx, (sp) => insertGrant(sp, { org: w.org.daoli, partner: w.partner[DAOLI_JIWEI], scope: "engagement_problems", engagementId: s.e(`${CODES.daoli}常规`).id })), "in a county's name")
        .toMatch(/^42501/);

      // The cross patrol's executing office shares it with its own partner, not the city's.
      await actAs(tx, "daoli");
      expect(await rolledBack(tx, (sp) => insertGrant(sp, { org: w.org.daoli, partner: w.partner[DAOLI_JIWEI], scope: "engagement_problems", engagementId: cross })), "道里 executes the cross patrol").toBe("ok");
      expect(await rolledBack(tx, (sp) => insertGrant(sp, { org: w.org.daoli, partner: w.partner[CITY_JIWEI], scope: "engagement_problems", engagementId: cross })), "not to the city's partner")
        .toMatch(/^23514: share: not a partner of this office/);
    });
  });

  it("nobody but the office's director and staff grants in its name", async () => {
    await withFindingsScenario(async (tx, s) => {
      const spec: GrantSpec = { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "engagement_problems", engagementId: cityRegular(s).id };
      for (const who of ["province", "provinceStaff", "leader", "daoli", "nangang", "qqhr", "zj", "cityMember", "unitContact", "unitHead", "cityPartner", "sysadmin", "auditor"] as const) {
        await actAs(tx, who);
        expect(await rolledBack(tx, (sp) => insertGrant(sp, spec)), who).toMatch(/^42501/);
      }
      // The province grants its own partner access to its own results only.
      await actAs(tx, "province");
      expect(await rolledBack(tx, (sp) => insertGrant(sp, { ...spec, org: w.org.province, partner: w.partner["黑龙江省纪委监委"] })), "the city's engagement, by the province")
        .toMatch(/^23514: share: an engagement of this office/);
      expect(await rolledBack(tx, (sp) => insertGrant(sp, { ...spec, org: w.org.province, partner: w.partner["黑龙江省纪委监委"], engagementId: s.e(`${CODES.province}常规`).id })))
        .toBe("ok");
    });
  });
});

describe("who sees the grants", () => {
  it("the granting office and its ancestors; not siblings, descendants, partners (through the table), unit contacts or groups", async () => {
    await withFindingsScenario(async (tx, s) => {
      const city = await grantAs(tx, "city", { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "engagement_problems", engagementId: cityRegular(s).id });
      const daoli = await grantAs(tx, "daoli", { org: w.org.daoli, partner: w.partner[DAOLI_JIWEI], scope: "round_figures", roundId: s.round.get(CODES.daoli)! });
      const expected: Record<ActorKey, number[]> = {
        province: [city, daoli], provinceStaff: [city, daoli], leader: [city, daoli], city: [city, daoli], daoli: [daoli],
        nangang: [], qqhr: [], zj: [], sysadmin: [], auditor: [], cityMember: [], daoliMember: [], unitContact: [], unitHead: [], cityPartner: [],
      };
      for (const [who, ids] of Object.entries(expected) as [ActorKey, number[]][]) {
        await actAs(tx, who);
        const seen = await tx<{ id: number }[]>`select id::int as id from public.result_grants where id in (${city}, ${daoli}) order by id`;
        expect(seen.map((r) => r.id), who).toEqual(ids);
      }
    });
  });

  it("the partner gets no table privilege on the results: a direct select returns none of the granted engagement's rows", async () => {
    await withFindingsScenario(async (tx, s) => {
      const e = cityRegular(s).id;
      for (const scope of ["engagement_problems", "engagement_rectification"] as const) {
        await grantAs(tx, "city", { org: w.org.city, partner: w.partner[CITY_JIWEI], scope, engagementId: e });
      }
      await grantAs(tx, "city", { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "round_figures", roundId: s.round.get(CODES.city)! });
      await actAs(tx, "owner");
      const [owned] = await tx<{ problems: number; items: number }[]>`
        select (select count(*)::int from public.problems where engagement_id = ${e}) as problems,
               (select count(*)::int from public.rectification_items where engagement_id = ${e}) as items`;
      expect(owned.problems * owned.items, "the owner sees them").toBeGreaterThan(0);
      await actAs(tx, "cityPartner");
      for (const table of [
        "public.problems", "public.rectification_items",
        "public.feedbacks", "public.rectification_reports", "public.working_papers", "public.petitions", "public.fieldwork_records",
        "public.attachments", "public.engagements",
      ]) {
        const out = await rolledBack(tx, async (sp) => {
          const [r] = await sp.unsafe<{ n: number }[]>(
            `select count(*)::int as n from ${table} where ${table === "public.engagements" ? "id" : "engagement_id"} = $1`, [e]);
          if (r.n > 0) throw Object.assign(new Error(`${r.n} rows`), { code: "SEEN" });
        });
        expect(["ok", `42501: permission denied for table ${table.slice(7)}`], `${table}: nothing`).toContain(out);
      }
      expect(await tx`select * from public.result_grants`, "not the grants themselves").toHaveLength(0);
      for (const table of ["private.leads", "private.lead_persons"]) {
        expect(await rolledBack(tx, (sp) => sp.unsafe(`select 1 from ${table} limit 1`)), table).toMatch(/^42501/);
      }
    });
  });

  it("the grant notice reaches the partner's staff once, and nobody else", async () => {
    await withFindingsScenario(async (tx, s) => {
      await actAs(tx, "owner");
      const colleague: Account = await newAccount(tx, { orgId: w.partner[CITY_JIWEI], role: "partner_staff", tag: "jiwei" });
      const organization: Account = await newAccount(tx, { orgId: w.partner[CITY_ORGANIZATION], role: "partner_staff", tag: "org-dept" });
      const grant = await grantAs(tx, "city", { org: w.org.city, partner: w.partner[CITY_JIWEI], scope: "engagement_problems", engagementId: cityRegular(s).id, days: 30 });
      await actAs(tx, "city");
      await tx`update public.result_grants set revoked_at = now() where id = ${grant}`;
      const got = await notices(tx, { subjectType: "result_grant", subjectIds: [grant] });
      const [{ expires }] = await tx<{ expires: string }[]>`select (current_date + 30)::text as expires`;
      expect(got.map((n) => n.userId).sort(), "each staff member of the 纪委监委 once; not the 组织部, not the office").toEqual(
        [w.user.cityPartner, colleague.userId].sort(),
      );
      expect(got.map((n) => n.userId)).not.toContain(organization.userId);
      for (const n of got) {
        expect(n).toMatchObject({
          kind: "grant_received", level: "info", subjectType: "result_grant", subjectId: grant,
          title: "哈尔滨市委巡察办向本单位共享了巡察成果", body: `问题清单，有效期至 ${expires}。`, link: `/shared/${grant}`,
        });
      }
    });
  });
});

describe("巡前通报: the office's own record", () => {
  const request = (roundId: number, partner: number, requestedDays = -10, replyDays: number | null = null, reply: string | null = null) => (sp: Tx) =>
    sp`insert into public.pre_patrol_briefings (round_id, partner_org_id, requested_on, request, replied_on, reply)
       values (${roundId}, ${partner}, current_date + ${requestedDays}::int, '请提供被巡察单位领导班子成员问题线索情况（测试）',
               current_date + ${replyDays}::int, ${reply})
       returning id::int as id`;

  it("the office records them; it and its ancestors see them; partners and everyone else do not", async () => {
    await withFindingsScenario(async (tx, s) => {
      const round = s.round.get(CODES.city)!;
      await actAs(tx, "city");
      const [b] = (await request(round, w.partner[CITY_JIWEI], -10, -2, "经查，暂无相关问题线索（测试）")(tx)) as unknown as { id: number }[];
      await actAs(tx, "owner");
      const [row] = await tx<{ orgId: number; partnerName: string; createdBy: string }[]>`
        select org_id as "orgId", partner_name as "partnerName", created_by::text as "createdBy" from public.pre_patrol_briefings where id = ${b.id}`;
      expect(row, "org and partner name from the database").toEqual({ orgId: w.org.city, partnerName: CITY_JIWEI, createdBy: w.user.city });

      const sees: Record<ActorKey, boolean> = {
        city: true, province: true, provinceStaff: true, leader: true,
        daoli: false, nangang: false, qqhr: false, zj: false, sysadmin: false, auditor: false, cityMember: false, daoliMember: false,
        unitContact: false, unitHead: false, cityPartner: false,
      };
      for (const [who, yes] of Object.entries(sees) as [ActorKey, boolean][]) {
        await actAs(tx, who);
        expect(await tx`select 1 from public.pre_patrol_briefings where id = ${b.id}`, who).toHaveLength(yes ? 1 : 0);
      }
      for (const who of ["province", "provinceStaff", "leader", "daoli", "qqhr", "cityPartner", "cityMember", "unitContact", "sysadmin"] as const) {
        await actAs(tx, who);
        expect(await rolledBack(tx, request(round, w.partner[CITY_JIWEI])), `${who} records none for the city`).toMatch(/^42501/);
        const updated = await rolledBack(tx, (sp) => sp`update public.pre_patrol_briefings set reply = '改' , replied_on = current_date where id = ${b.id}`
          .then((r) => { if (r.count) throw Object.assign(new Error("changed"), { code: "CHANGED" }); }));
        expect(["ok", "42501: permission denied for table pre_patrol_briefings"], `${who} changes none`).toContain(updated);
      }
    });
  });

  it("dates are not in the future, the reply not before the request, and the partner is the office's own", async () => {
    await withFindingsScenario(async (tx, s) => {
      const round = s.round.get(CODES.city)!;
      await actAs(tx, "city");
      expect(await rolledBack(tx, request(round, w.partner[CITY_JIWEI], 0)), "today").toBe("ok");
      expect(await rolledBack(tx, request(round, w.partner[CITY_JIWEI], -5, 0, "已回复")), "answered today").toBe("ok");
      expect(await rolledBack(tx, request(round, w.partner[CITY_JIWEI], -5, -5, "已回复")), "answered the same day").toBe("ok");
      expect(await rolledBack(tx, request(round, w.partner[CITY_JIWEI], 1)), "asked tomorrow").toMatch(/^22007: briefing: the date is not in the future/);
      expect(await rolledBack(tx, request(round, w.partner[CITY_JIWEI], -5, 1, "已回复")), "answered tomorrow").toMatch(/^22007: briefing: the date is not in the future/);
      expect(await rolledBack(tx, request(round, w.partner[CITY_JIWEI], -5, -6, "已回复")), "answered before asked").toMatch(/^23514: .*pre_patrol_briefings_reply/);
      expect(await rolledBack(tx, request(round, w.partner[CITY_JIWEI], -5, -1, null)), "a reply date without a reply").toMatch(/^23514: .*pre_patrol_briefings_reply/);
      expect(await rolledBack(tx, request(round, w.partner[CITY_JIWEI], -5, null, "已回复")), "a reply without its date").toMatch(/^23514: .*pre_patrol_briefings_reply/);
      expect(await rolledBack(tx, request(round, w.partner[DAOLI_JIWEI])), "a county's partner").toMatch(/^23514: share: not a partner of this office/);
      expect(await rolledBack(tx, request(round, w.org.daoli)), "a patrol office").toMatch(/^23514: share: not a partner of this office/);
      expect(await rolledBack(tx, request(s.round.get(CODES.daoli)!, w.partner[DAOLI_JIWEI])), "a county's round").toMatch(/^42501/);

      // Recorded, then answered; it stays with its round and partner.
      const [b] = (await request(round, w.partner[CITY_JIWEI], -10)(tx)) as unknown as { id: number }[];
      expect(await rolledBack(tx, (sp) => sp`update public.pre_patrol_briefings set replied_on = current_date - 11, reply = '早于征询' where id = ${b.id}`))
        .toMatch(/^23514: .*pre_patrol_briefings_reply/);
      expect(await rolledBack(tx, (sp) => sp`update public.pre_patrol_briefings set replied_on = current_date + 1, reply = '明天' where id = ${b.id}`))
        .toMatch(/^22007/);
      expect(await rolledBack(tx, (sp) => sp`update public.pre_patrol_briefings set replied_on = current_date, reply = '经查，暂无（测试）' where id = ${b.id}`))
        .toBe("ok");
      expect(await rolledBack(tx, (sp) => sp`update public.pre_patrol_briefings set partner_org_id = ${w.partner[CITY_ORGANIZATION]} where id = ${b.id}`), "another partner")
        .toMatch(/^42501/);
      await actAs(tx, "owner");
      expect(await rolledBack(tx, (sp) => sp`update public.pre_patrol_briefings set round_id = ${s.closedRound} where id = ${b.id}`), "another round, even by the owner")
        .toMatch(/^22023: a briefing stays with its round and partner/);
    });
  });
});

/** The grant ids shared_with_me lists for the current actor. */
async function listed(tx: Tx): Promise<number[]> {
  return (await tx<{ id: number }[]>`select id::int as id from public.shared_with_me()`).map((r) => r.id);
}

/** The engagement's unit name, as the owner reads it (then back to the partner). */
async function unitName(tx: Tx, engagementId: number): Promise<string> {
  await actAs(tx, "owner");
  const [row] = await tx<{ name: string }[]>`select unit_name as name from public.engagements where id = ${engagementId}`;
  await actAs(tx, "cityPartner");
  return row.name;
}
