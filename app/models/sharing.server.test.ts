import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JwtClaims, Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { sharingText as t } from "~/lib/messages/sharing";
import { addDays, defaultExpiry, maxExpiry } from "~/lib/schemas/sharing";
import { claimsFor, closeTestSql, DEMO, sqlState } from "../../supabase/tests/support/db";
import { enterRequestContext, leaveRequestContext, ownerRolledBack } from "../../supabase/tests/support/fixtures";
import { dbToday } from "./leads.server";
import {
  BRIEFING_REFUSALS,
  briefingRounds,
  createBriefing,
  createGrant,
  getBriefing,
  getGrant,
  GRANT_REFUSALS,
  grantableEngagements,
  grantCounts,
  grantPartners,
  listBriefings,
  listGrants,
  officeRounds,
  readSharedResult,
  recordBriefingReply,
  REPLY_REFUSALS,
  REVOKE_REFUSALS,
  revokeGrant,
  sharedWithMe,
} from "./sharing.server";

/**
 * The sharing model against the real schema and the demo: 哈尔滨's office grants its
 * 纪委监委 access to results of its own engagements and rounds, revokes, records 巡前通报;
 * hrb.jiwei reads what is shared through the audited functions. In owner transactions
 * that are always rolled back. Refusals are raised by the database and put into words by
 * the same first-match rule as saveSubmission.
 */

type DbError = { code?: string; message?: string; constraint_name?: string };

function say(refusals: DbRefusal[], e: DbError) {
  const r = refusals.find((x) => x.code === e.code && (!x.match || x.match.test(`${e.constraint_name ?? ""} ${e.message ?? ""}`)));
  return r ? { field: r.field, text: typeof r.message === "function" ? r.message(e) : r.message } : undefined;
}

async function refusal(tx: Tx, run: (sp: Tx) => Promise<unknown>): Promise<DbError> {
  try {
    await tx.savepoint(async (sp) => {
      await run(sp as unknown as Tx);
    });
  } catch (error) {
    return error as DbError;
  }
  throw new Error("expected a refusal");
}

let claims: Record<"city" | "partner" | "province" | "daoli", JwtClaims>;
beforeAll(async () => {
  claims = {
    city: await claimsFor(DEMO.city),
    partner: await claimsFor(DEMO.cityPartner),
    province: await claimsFor(DEMO.province),
    daoli: await claimsFor(DEMO.countyDaoli),
  };
});
afterAll(closeTestSql);

async function as(tx: Tx, who: keyof typeof claims | "owner") {
  await leaveRequestContext(tx);
  if (who !== "owner") await enterRequestContext(tx, claims[who]);
}

/** The demo's ids: the city, its 纪委监委, an engagement of its own with problems and items, one of 道里's, rounds. */
async function demo(tx: Tx) {
  const [d] = await tx<{ city: number; jiwei: number; daoliJiwei: number; engagement: number; unit: string; daoliEngagement: number; round: number; daoliRound: number }[]>`
    with c as (select id from public.orgs where region_code = '230100' and kind = 'patrol_office'),
         d as (select id from public.orgs where region_code = '230102' and kind = 'patrol_office')
    select (select id from c) as city,
           (select id from public.orgs where name = '哈尔滨市纪委监委') as jiwei,
           (select id from public.orgs where name = '道里区纪委监委') as "daoliJiwei",
           (select e.id::int from public.engagements e where e.supervising_org_id = (select id from c) and e.executing_org_id = (select id from c)
               and exists (select 1 from public.problems p where p.engagement_id = e.id)
               and exists (select 1 from public.rectification_items i where i.engagement_id = e.id) order by e.id limit 1) as engagement,
           (select e.unit_name from public.engagements e where e.supervising_org_id = (select id from c) and e.executing_org_id = (select id from c)
               and exists (select 1 from public.problems p where p.engagement_id = e.id)
               and exists (select 1 from public.rectification_items i where i.engagement_id = e.id) order by e.id limit 1) as unit,
           (select e.id::int from public.engagements e where e.supervising_org_id = (select id from d) order by e.id limit 1) as "daoliEngagement",
           (select r.id::int from public.rounds r where r.org_id = (select id from c) and exists (select 1 from public.engagements e where e.round_id = r.id) order by r.id limit 1) as round,
           (select r.id::int from public.rounds r where r.org_id = (select id from d) order by r.id limit 1) as "daoliRound"`;
  for (const [k, v] of Object.entries(d)) if (v == null) throw new Error(`sharing model test: the demo has no ${k}`);
  return d;
}

describe("expiry dates", () => {
  it("default 30 days, at most the same day a year later", () => {
    expect(defaultExpiry("2026-11-21")).toBe("2026-12-21");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(maxExpiry("2026-11-21")).toBe("2027-11-21");
    expect(maxExpiry("2028-02-29")).toBe("2029-02-28");
    expect(maxExpiry("2027-03-01")).toBe("2028-03-01");
  });
});

describe("grants", () => {
  it("the office grants, lists with status and accesses, and revokes; the partner reads until then", async () => {
    await ownerRolledBack(async (tx) => {
      const d = await demo(tx);
      await as(tx, "city");
      const today = await dbToday(tx);
      expect((await grantPartners(tx)).map((p) => p.name), "its own partners, 纪委监委 first").toEqual(["哈尔滨市纪委监委", "哈尔滨市委组织部"]);
      const engagements = await grantableEngagements(tx, d.city);
      expect(engagements.map((e) => e.id)).toContain(d.engagement);
      expect(engagements.map((e) => e.id), "not a county's engagement").not.toContain(d.daoliEngagement);
      expect(engagements.find((e) => e.id === d.engagement)!.problems).toBeGreaterThan(0);
      const rounds = await officeRounds(tx, d.city);
      expect(rounds.map((r) => r.id)).toContain(d.round);
      expect(rounds.map((r) => r.id)).not.toContain(d.daoliRound);

      const before = await grantCounts(tx);
      const problems = await createGrant(tx, d.city, { partnerOrgId: d.jiwei, scope: "engagement_problems", engagementId: d.engagement, roundId: null, expiresOn: defaultExpiry(today), note: "配合专项监督" });
      const items = await createGrant(tx, d.city, { partnerOrgId: d.jiwei, scope: "engagement_rectification", engagementId: d.engagement, roundId: null, expiresOn: today, note: null });
      const figures = await createGrant(tx, d.city, { partnerOrgId: d.jiwei, scope: "round_figures", engagementId: null, roundId: d.round, expiresOn: maxExpiry(today), note: null });
      expect(problems.partnerName).toBe("哈尔滨市纪委监委");
      expect(await getGrant(tx, problems.id)).toMatchObject({
        orgId: d.city, orgName: "哈尔滨市委巡察办", partnerName: "哈尔滨市纪委监委", scope: "engagement_problems",
        engagementId: d.engagement, status: "active", note: "配合专项监督", createdBy: "李明", revokedAt: null,
      });
      expect((await getGrant(tx, problems.id))!.subject).toContain(d.unit);
      expect((await getGrant(tx, figures.id))!.subject).toMatch(/第\d+轮（\d{4}年）$/);

      // The partner reads each through its function; each read is audited.
      await as(tx, "partner");
      expect((await sharedWithMe(tx)).map((g) => g.id)).toEqual(expect.arrayContaining([problems.id, items.id, figures.id]));
      const p = await readSharedResult(tx, problems.id, "sharing-model-p");
      expect(p?.result.scope).toBe("engagement_problems");
      expect(p?.result.scope === "engagement_problems" && p.result.problems.every((x) => x.unitName === d.unit && x.title.length > 0)).toBe(true);
      const i = await readSharedResult(tx, items.id, "sharing-model-i");
      expect(i?.result.scope === "engagement_rectification" && i.result.items.length > 0).toBe(true);
      const f = await readSharedResult(tx, figures.id, "sharing-model-f");
      expect(f?.result.scope === "round_figures" && f.result.figures.length > 0).toBe(true);

      // The office sees who read, collapsed per grant, and revokes.
      await as(tx, "city");
      const listed = await listGrants(tx);
      const mine = listed.find((g) => g.id === problems.id)!;
      expect(mine.accesses.map((a) => [a.displayName, a.success])).toEqual([["冯国庆", true]]);
      expect(listed.find((g) => g.id === items.id)!.accesses).toHaveLength(1);
      expect(await grantCounts(tx)).toEqual({ ...before, all: before.all + 3, active: before.active + 3 });
      expect(await revokeGrant(tx, problems.id)).toEqual({ id: problems.id, partnerName: "哈尔滨市纪委监委" });
      expect((await getGrant(tx, problems.id))!).toMatchObject({ status: "revoked", revokedBy: "李明" });
      expect((await listGrants(tx, "revoked")).map((g) => g.id)).toContain(problems.id);
      expect((await listGrants(tx, "active")).map((g) => g.id)).not.toContain(problems.id);
      const again = await refusal(tx, (sp) => revokeGrant(sp, problems.id));
      expect(say(REVOKE_REFUSALS, again)).toEqual({ field: null, text: t.alreadyRevoked });

      // Revoked: gone for the partner, and the refused read is audited too.
      await as(tx, "partner");
      expect(await readSharedResult(tx, problems.id, "sharing-model-gone")).toBeNull();
      await as(tx, "owner");
      const audit = await tx<{ action: string; success: boolean; objectId: string }[]>`
        select action, success, object_id as "objectId" from public.audit_log where request_id = 'sharing-model-gone'`;
      expect(audit).toEqual([{ action: "grant.read", success: false, objectId: String(problems.id) }]);

      // The province reads the city's grants and their accesses, and revokes none of them.
      await as(tx, "province");
      expect((await listGrants(tx)).find((g) => g.id === items.id)?.accesses).toHaveLength(1);
      expect(await revokeGrant(tx, items.id)).toBeUndefined();
      // 道里 sees none of them.
      await as(tx, "daoli");
      expect((await listGrants(tx)).map((g) => g.id)).not.toContain(items.id);
      expect(await getGrant(tx, items.id)).toBeUndefined();
    });
  });

  it("puts the database's refusals into words on the right field", async () => {
    await ownerRolledBack(async (tx) => {
      const d = await demo(tx);
      await as(tx, "city");
      const today = await dbToday(tx);
      const base = { partnerOrgId: d.jiwei, scope: "engagement_problems" as const, engagementId: d.engagement, roundId: null, expiresOn: today, note: null };
      const cases: [string, Parameters<typeof createGrant>[2], { field: string | null; text: string }][] = [
        ["another office's partner", { ...base, partnerOrgId: d.daoliJiwei }, { field: "partnerOrgId", text: t.notPartner }],
        ["an expiry past", { ...base, expiresOn: addDays(today, -1) }, { field: "expiresOn", text: t.expiryRange }],
        ["an expiry too far", { ...base, expiresOn: addDays(today, 400) }, { field: "expiresOn", text: t.expiryRange }],
        ["a county's engagement", { ...base, engagementId: d.daoliEngagement }, { field: "engagementId", text: t.notOwnEngagement }],
        ["a county's round", { ...base, scope: "round_figures", engagementId: null, roundId: d.daoliRound }, { field: "roundId", text: t.notOwnRound }],
        ["a note too long", { ...base, note: "长".repeat(1001) }, { field: "note", text: t.noteTooLong }],
      ];
      for (const [label, input, expected] of cases) {
        expect(say(GRANT_REFUSALS, await refusal(tx, (sp) => createGrant(sp, d.city, input))), label).toEqual(expected);
      }
      // In another office's name: not a refusal to word, a 42501 (403).
      const [{ daoli }] = await tx<{ daoli: number }[]>`select id as daoli from public.orgs where region_code = '230102' and kind = 'patrol_office'`;
      expect(await sqlState(tx, (sp) => createGrant(sp, daoli, { ...base, partnerOrgId: d.daoliJiwei, engagementId: d.daoliEngagement }))).toBe("42501");
    });
  });
});

describe("巡前通报", () => {
  it("records a request and its reply, lists them per round, and words the refusals", async () => {
    await ownerRolledBack(async (tx) => {
      const d = await demo(tx);
      await as(tx, "city");
      const today = await dbToday(tx);
      const b = await createBriefing(tx, d.round, { partnerOrgId: d.jiwei, requestedOn: addDays(today, -7), request: "请提供被巡察单位领导班子成员信访举报情况。" });
      expect(b.partnerName).toBe("哈尔滨市纪委监委");
      expect(await listBriefings(tx, d.round)).toEqual([
        expect.objectContaining({ id: b.id, partnerName: "哈尔滨市纪委监委", requestedOn: addDays(today, -7), repliedOn: null, reply: null, createdBy: "李明" }),
      ]);
      const summary = (await briefingRounds(tx, d.city)).find((r) => r.id === d.round);
      expect(summary).toMatchObject({ requested: 1, replied: 0, orgName: "哈尔滨市委巡察办" });

      const early = await refusal(tx, (sp) => recordBriefingReply(sp, { briefingId: b.id, repliedOn: addDays(today, -8), reply: "早" }));
      expect(say(REPLY_REFUSALS, early)).toEqual({ field: "repliedOn", text: t.replyPair });
      const future = await refusal(tx, (sp) => recordBriefingReply(sp, { briefingId: b.id, repliedOn: addDays(today, 1), reply: "明天" }));
      expect(say(REPLY_REFUSALS, future)).toEqual({ field: "repliedOn", text: t.repliedOnFuture });
      const long = await refusal(tx, (sp) => recordBriefingReply(sp, { briefingId: b.id, repliedOn: today, reply: "长".repeat(20001) }));
      expect(say(REPLY_REFUSALS, long)).toEqual({ field: "reply", text: t.replyRequired });
      expect(await recordBriefingReply(tx, { briefingId: b.id, repliedOn: today, reply: "经查，暂无相关问题线索。" })).toEqual({ id: b.id, partnerName: "哈尔滨市纪委监委" });
      expect(await getBriefing(tx, b.id)).toMatchObject({ repliedOn: today, reply: "经查，暂无相关问题线索。" });
      expect((await briefingRounds(tx, d.city)).find((r) => r.id === d.round)).toMatchObject({ requested: 1, replied: 1 });

      const other = await refusal(tx, (sp) => createBriefing(sp, d.round, { partnerOrgId: d.daoliJiwei, requestedOn: today, request: "请提供情况。" }));
      expect(say(BRIEFING_REFUSALS, other)).toEqual({ field: "partnerOrgId", text: t.notPartner });
      const tomorrow = await refusal(tx, (sp) => createBriefing(sp, d.round, { partnerOrgId: d.jiwei, requestedOn: addDays(today, 1), request: "请提供情况。" }));
      expect(say(BRIEFING_REFUSALS, tomorrow)).toEqual({ field: "requestedOn", text: t.requestedOnFuture });
      expect(await sqlState(tx, (sp) => createBriefing(sp, d.daoliRound, { partnerOrgId: d.daoliJiwei, requestedOn: today, request: "请提供情况。" })), "a county's round").toBe("42501");

      // The province reads it, under the city's name; the partner and 道里 do not.
      await as(tx, "province");
      expect((await briefingRounds(tx, d.city)).find((r) => r.id === d.round)).toMatchObject({ requested: 1 });
      expect(await listBriefings(tx, d.round)).toHaveLength(1);
      expect(await recordBriefingReply(tx, { briefingId: b.id, repliedOn: today, reply: "改" })).toBeUndefined();
      for (const who of ["partner", "daoli"] as const) {
        await as(tx, who);
        expect(await listBriefings(tx, d.round), who).toEqual([]);
        expect(await getBriefing(tx, b.id), who).toBeUndefined();
      }
    });
  });
});
