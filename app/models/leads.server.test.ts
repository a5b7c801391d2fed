import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JwtClaims, Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { claimsFor, closeTestSql, DEMO, sqlState } from "../../supabase/tests/support/db";
import { enterRequestContext, leaveRequestContext, ownerRolledBack } from "../../supabase/tests/support/fixtures";
import {
  dbToday,
  getLead,
  HANDLING_REFUSALS,
  leadPartners,
  leadSources,
  listLeads,
  REGISTER_REFUSALS,
  recordLeadHandling,
  registerLead,
  TRANSFER_REFUSALS,
  transferLead,
} from "./leads.server";

/**
 * The lead model against the real schema: the audited functions of
 * 20261121001600_findings_and_leads.sql as the app calls them, in an owner transaction
 * that is always rolled back. The refusals are raised by the database and put into
 * words by the same first-match rule as saveSubmission.
 */

type DbError = { code?: string; message?: string; constraint_name?: string; detail?: string };

function say(refusals: DbRefusal[], e: DbError): { field: string | null; text: string } | undefined {
  const r = refusals.find((x) => x.code === e.code && (!x.match || x.match.test(`${e.constraint_name ?? ""} ${e.message ?? ""}`)));
  if (!r) return undefined;
  return { field: r.field, text: typeof r.message === "function" ? r.message(e) : r.message };
}

/** The error a statement raised (in a savepoint, so the transaction goes on). */
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

let claims: Record<"city" | "partner" | "qqhr" | "daoli" | "member", JwtClaims>;

beforeAll(async () => {
  claims = {
    city: await claimsFor(DEMO.city),
    partner: await claimsFor(DEMO.cityPartner),
    qqhr: await claimsFor(DEMO.otherCity),
    daoli: await claimsFor(DEMO.countyDaoli),
    member: await claimsFor(DEMO.memberCity),
  };
});
afterAll(closeTestSql);

/** The seeding job's way in: a paper approved by the 组务会 and its problem (owner, no session). */
async function addProblem(tx: Tx, engagementId: number): Promise<number> {
  const [paper] = await tx<{ id: number }[]>`
    insert into public.working_papers (engagement_id, title, facts, category_id, severity, status)
    select ${engagementId}, '违规发放津贴补贴', '2025年以会议费名义发放津贴补贴共计12万元。', c.id, 'serious', 'drafting'
      from public.problem_categories c where c.code = 'four_styles.hedonism' and c.org_id is null
    returning id::int as id`;
  const [problem] = await tx<{ id: number }[]>`
    insert into public.problems (engagement_id, working_paper_id, supervising_org_id, executing_org_id, group_id, unit_id,
                                 province_id, seq, title, description, category_id, top_category_id, severity, on_the_spot)
    select e.id, w.id, e.supervising_org_id, e.executing_org_id, e.group_id, e.unit_id, e.province_id,
           coalesce((select max(p.seq) from public.problems p where p.engagement_id = e.id), 0) + 1,
           w.title, w.facts, w.category_id, private.top_category(w.category_id), w.severity, false
      from public.working_papers w join public.engagements e on e.id = w.engagement_id where w.id = ${paper.id}
    returning id::int as id`;
  return problem.id;
}

/** A reported engagement of the city office, with a problem on its list and its petitions. */
async function scenario(tx: Tx) {
  const [e] = await tx<{ id: number; unitName: string; petitionId: number | null }[]>`
    select e.id::int as id, e.unit_name as "unitName",
           (select min(p.id)::int from public.petitions p where p.engagement_id = e.id) as "petitionId"
      from public.engagements e join public.orgs o on o.id = e.executing_org_id
     where o.region_code = '230100' and o.kind = 'patrol_office' and e.mode = 'regular' and e.reported_on is not null
       and exists (select 1 from public.petitions p where p.engagement_id = e.id)
     order by e.id limit 1`;
  const problemId = await addProblem(tx, e.id);
  const [partners] = await tx<{ own: number; other: number }[]>`
    select (select o.id from public.orgs o join public.orgs a on a.id = o.attached_org_id
             where a.region_code = '230100' and a.kind = 'patrol_office' and o.name = '哈尔滨市纪委监委') as own,
           (select o.id from public.orgs o join public.orgs a on a.id = o.attached_org_id
             where a.region_code = '230200' and a.kind = 'patrol_office' and o.name like '%纪委监委') as other`;
  return { engagement: e, problemId, partners };
}

/** The audit rows of one request, read as the owner (office roles do not read the log), then back in the session. */
async function auditRows(tx: Tx, requestId: string) {
  const [{ claims: current }] = await tx<{ claims: string }[]>`select current_setting('request.jwt.claims', true) as claims`;
  await leaveRequestContext(tx);
  const rows = await tx<{ action: string; objectId: string; success: boolean }[]>`
    select action, object_id as "objectId", success from public.audit_log where request_id = ${requestId} order by id`;
  await enterRequestContext(tx, JSON.parse(current) as JwtClaims);
  return [...rows];
}

const REGISTER = {
  sourceKind: "problem" as const,
  summary: "违规发放津贴补贴，涉及单位主要负责人审批。",
  personName: "王某某",
  personPost: "党组书记、局长",
  personLevel: "city_managed" as const,
};

describe("leads through the audited functions", () => {
  it("registers, lists without the person, transfers to the office's own 纪委监委, and the partner handles it", async () => {
    await ownerRolledBack(async (tx) => {
      const { engagement, problemId, partners } = await scenario(tx);
      await enterRequestContext(tx, claims.city);

      const sources = await leadSources(tx, engagement.id);
      expect(sources.problems.map((p) => p.id)).toContain(problemId);
      expect(sources.petitions.length).toBeGreaterThan(0);

      const id = await registerLead(tx, engagement.id, { ...REGISTER, problemId, petitionId: undefined }, "req-register");
      expect(await auditRows(tx, "req-register")).toEqual([{ action: "lead.create", objectId: String(id), success: true }]);

      const listed = await listLeads(tx, engagement.id, "req-list");
      const row = listed.find((l) => l.id === id);
      expect(row).toMatchObject({ problemId, petitionId: null, stage: "registered", transferredOn: null, unitName: engagement.unitName });
      // A list never carries the person concerned.
      expect(JSON.stringify(listed)).not.toContain("王某某");
      expect((await auditRows(tx, "req-list")).filter((a) => a.action === "lead.read").map((a) => a.objectId).sort()).toEqual(
        listed.map((l) => String(l.id)).sort(),
      );

      // The office without view_lead_person: the lead, but not the person; the refusal is audited.
      const office = await getLead(tx, id, "req-office", true);
      expect(office).toMatchObject({ id, personVisible: false, person: { personName: null, personPost: null, personLevel: null } });
      expect(await auditRows(tx, "req-office")).toEqual([
        { action: "lead.read", objectId: String(id), success: true },
        { action: "lead.person.read", objectId: String(id), success: false },
      ]);

      // Only the partners attached to the executing or supervising office.
      expect((await leadPartners(tx, engagement.id)).map((p) => p.name)).toEqual(["哈尔滨市纪委监委", "哈尔滨市委组织部"]);
      const today = await dbToday(tx);
      const wrong = await refusal(tx, (sp) =>
        transferLead(sp, { leadId: id, receivingOrgId: partners.other, transferredOn: today, documentNo: undefined }, "req-x"));
      expect(say(TRANSFER_REFUSALS, wrong)).toEqual({ field: "receivingOrgId", text: "只能移交给本机关同级的纪委监委、组织部等监督单位" });
      const future = await refusal(tx, (sp) =>
        transferLead(sp, { leadId: id, receivingOrgId: partners.own, transferredOn: "2999-01-01", documentNo: undefined }, "req-x"));
      expect(say(TRANSFER_REFUSALS, future)?.field).toBe("transferredOn");

      await transferLead(tx, { leadId: id, receivingOrgId: partners.own, transferredOn: today, documentNo: "哈巡移〔2026〕1号" }, "req-transfer");
      const again = await refusal(tx, (sp) =>
        transferLead(sp, { leadId: id, receivingOrgId: partners.own, transferredOn: today, documentNo: undefined }, "req-x"));
      expect(say(TRANSFER_REFUSALS, again)).toEqual({ field: null, text: "该线索已移交，不能重复移交" });

      // The partner: his inbox holds it; he sees the person and records the handling.
      await leaveRequestContext(tx);
      await enterRequestContext(tx, claims.partner);
      const inbox = await listLeads(tx, null, "req-inbox");
      expect(inbox.map((l) => l.id)).toContain(id);
      expect(inbox.every((l) => l.receivingOrgName === "哈尔滨市纪委监委" && l.transferredOn !== null)).toBe(true);
      expect(inbox.find((l) => l.id === id)).toMatchObject({ receivingOrgName: "哈尔滨市纪委监委", receiver: "discipline", stage: "transferred", documentNo: "哈巡移〔2026〕1号" });
      const seen = await getLead(tx, id, "req-person", true);
      expect(seen?.person).toEqual({ personName: "王某某", personPost: "党组书记、局长", personLevel: "city_managed" });
      expect((await auditRows(tx, "req-person")).map((a) => [a.action, a.success])).toEqual([["lead.read", true], ["lead.person.read", true]]);

      const early = await refusal(tx, (sp) =>
        recordLeadHandling(sp, id, { stage: "initial_check", occurredOn: "2000-01-01", note: undefined, sanctioned: 0, judicial: 0 }, "req-x"));
      expect(say(HANDLING_REFUSALS, early)?.field).toBe("occurredOn");
      await recordLeadHandling(tx, id, { stage: "initial_check", occurredOn: today, note: "已启动初步核实。", sanctioned: 0, judicial: 0 }, "req-h1");
      await recordLeadHandling(tx, id, { stage: "case_opened", occurredOn: today, note: "经初核，决定立案审查。", sanctioned: 1, judicial: 0 }, "req-h2");
      const handled = await getLead(tx, id, "req-after");
      expect(handled).toMatchObject({ stage: "case_opened", sanctionedPersons: 1, judicialPersons: 0 });
      expect(handled?.handlings.map((h) => [h.stage, h.sanctioned])).toEqual([["initial_check", 0], ["case_opened", 1]]);
      expect(handled?.person.personName).toBeNull();

      // The partner writes nothing else: no registration, no transfer.
      expect(await sqlState(tx, (sp) => registerLead(sp, engagement.id, { ...REGISTER, problemId, petitionId: undefined }, "req-x"))).toBe("42501");
      expect(await leadPartners(tx, engagement.id)).toEqual([]);

      // The office sees the handling.
      await leaveRequestContext(tx);
      await enterRequestContext(tx, claims.city);
      const back = await getLead(tx, id, "req-office2");
      expect(back?.handlings).toHaveLength(2);
      expect(back?.stage).toBe("case_opened");
      expect(await sqlState(tx, (sp) =>
        recordLeadHandling(sp, id, { stage: "concluded", occurredOn: today, note: undefined, sanctioned: 0, judicial: 0 }, "req-x"))).toBe("42501");
    });
  });

  it("hides a lead from a partner it was not transferred to, a sibling office and a county, and audits the refusal", async () => {
    await ownerRolledBack(async (tx) => {
      const { engagement, problemId } = await scenario(tx);
      await enterRequestContext(tx, claims.city);
      const id = await registerLead(tx, engagement.id, { ...REGISTER, problemId, petitionId: undefined }, "req-register");
      for (const who of ["partner", "qqhr", "daoli"] as const) {
        await leaveRequestContext(tx);
        await enterRequestContext(tx, claims[who]);
        expect(await getLead(tx, id, `req-${who}`, true)).toBeUndefined();
        expect((await listLeads(tx, null, `req-list-${who}`)).map((l) => l.id)).not.toContain(id);
        expect(await auditRows(tx, `req-${who}`)).toEqual([{ action: "lead.read", objectId: String(id), success: false }]);
        expect(await sqlState(tx, (sp) => transferLead(sp, { leadId: id, receivingOrgId: 1, transferredOn: "2026-01-01", documentNo: undefined }, "r"))).toBe("42501");
      }
    });
  });

  it("takes exactly one source of the engagement, and says so in Chinese", async () => {
    await ownerRolledBack(async (tx) => {
      const { engagement, problemId } = await scenario(tx);
      const [other] = await tx<{ id: number }[]>`
        select p.id::int as id from public.petitions p where p.engagement_id <> ${engagement.id}
           and p.executing_org_id = (select executing_org_id from public.engagements where id = ${engagement.id}) limit 1`;
      await enterRequestContext(tx, claims.city);
      const both = await refusal(tx, (sp) =>
        registerLead(sp, engagement.id, { ...REGISTER, problemId, petitionId: engagement.petitionId ?? undefined }, "r"));
      expect(say(REGISTER_REFUSALS, both)).toEqual({ field: "sourceKind", text: "请选择线索来源：一个问题或一件信访举报" });
      const elsewhere = await refusal(tx, (sp) =>
        registerLead(sp, engagement.id, { ...REGISTER, sourceKind: "petition", problemId: undefined, petitionId: other.id }, "r"));
      expect(say(REGISTER_REFUSALS, elsewhere)).toEqual({ field: "sourceKind", text: "所选问题或信访举报不属于本巡察任务" });
      const fromPetition = await registerLead(tx, engagement.id,
        { ...REGISTER, sourceKind: "petition", problemId: undefined, petitionId: engagement.petitionId ?? undefined }, "r2");
      expect((await listLeads(tx, engagement.id, "r3")).find((l) => l.id === fromPetition)).toMatchObject({
        petitionId: engagement.petitionId, problemId: null,
      });
    });
  });

  it("lets a group member register on his group's engagement but not transfer", async () => {
    await ownerRolledBack(async (tx) => {
      const [e] = await tx<{ id: number }[]>`
        select e.id::int as id
          from public.engagements e join public.group_members gm on gm.group_id = e.group_id
          join public.cadres c on c.id = gm.cadre_id join auth.users u on u.id = c.user_id
         where u.email = ${DEMO.memberCity} and e.stationed_on is not null and e.mode = 'regular'
         order by e.id limit 1`;
      const problemId = await addProblem(tx, e.id);
      await enterRequestContext(tx, claims.member);
      const id = await registerLead(tx, e.id, { ...REGISTER, problemId, petitionId: undefined }, "r");
      expect((await listLeads(tx, null, "r2")).map((l) => l.id)).toContain(id);
      expect(await leadPartners(tx, e.id)).toEqual([]);
      expect(await sqlState(tx, (sp) => transferLead(sp, { leadId: id, receivingOrgId: 1, transferredOn: "2026-01-01", documentNo: undefined }, "r"))).toBe("42501");
    });
  });
});
