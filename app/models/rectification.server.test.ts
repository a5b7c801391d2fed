import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JwtClaims, Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { beijingToday } from "~/lib/rectification";
import { claimsFor, closeTestSql, DEMO, orgIdByRegion, ownerSql } from "../../supabase/tests/support/db";
import { enterRequestContext, leaveRequestContext, ownerRolledBack } from "../../supabase/tests/support/fixtures";
import { fx } from "../../supabase/tests/support/matrix-harness";
import { DISCLOSURE_REFUSALS, listDisclosures, publishDisclosure, withdrawDisclosure } from "./disclosures.server";
import { listNotifications, markAllRead, markRead } from "./notifications.server";
import {
  addUpdate,
  createItem,
  getFeedback,
  getItem,
  ITEM_REFUSALS,
  ITEM_REVIEW_REFUSALS,
  listItemEvents,
  listItems,
  listOverdueItems,
  listProblems,
  listRectifications,
  listUnitAccounts,
  listReports,
  REPORT_REFUSALS,
  REPORT_REVIEW_REFUSALS,
  reviewItem,
  reviewReport,
  setWarningAccounts,
  submitReport,
  UPDATE_REFUSALS,
} from "./rectification.server";

/**
 * Rectification through the app's queries, against the real schema and RLS: a unit's
 * contact writes for his own unit only, its head alone confirms, the supervising office
 * reviews and verifies, and every refusal of the database reads as Chinese. Each test
 * builds its own engagements (of 哈尔滨市财政局, hrb.unit's unit, and of another 哈尔滨
 * unit) in an owner transaction that is rolled back.
 */

afterAll(closeTestSql);

type Who = "owner" | "unitContact" | "unitHead" | "city" | "daoli" | "province";
const EMAIL: Record<Exclude<Who, "owner">, string> = {
  unitContact: DEMO.unitContact,
  unitHead: DEMO.unitHead,
  city: DEMO.city,
  daoli: DEMO.countyDaoli,
  province: DEMO.province,
};

let claims: Record<Exclude<Who, "owner">, JwtClaims>;
let cityId: number;
let unitId: number;
let otherUnitId: number;
let otherUnitName: string;
let categoryId: number;

beforeAll(async () => {
  cityId = await orgIdByRegion("230100");
  claims = Object.fromEntries(
    await Promise.all(Object.entries(EMAIL).map(async ([k, e]) => [k, await claimsFor(e)] as const)),
  ) as typeof claims;
  const sql = ownerSql();
  [{ unitId }] = await sql<{ unitId: number }[]>`
    select m.unit_id::int as "unitId" from public.memberships m join auth.users u on u.id = m.user_id
     where u.email = ${DEMO.unitContact} and m.role = 'unit_contact'`;
  [{ otherUnitId, otherUnitName }] = await sql<{ otherUnitId: number; otherUnitName: string }[]>`
    select id::int as "otherUnitId", name as "otherUnitName" from public.units
     where org_id = ${cityId} and active and id <> ${unitId} order by id limit 1`;
  [{ categoryId }] = await sql<{ categoryId: number }[]>`
    select id::int as "categoryId" from public.problem_categories where code = 'discipline.integrity' and org_id is null`;
});

interface Scene {
  /** 哈尔滨市财政局 (hrb.unit's unit), fed back on 2026-06-01 with two problems. */
  mine: { id: number; problems: number[] };
  /** Another unit of 哈尔滨, fed back too. */
  other: { id: number; problems: number[] };
  as: (who: Who) => Promise<void>;
}

/** The scene, built as the owner (feedback given by 哈尔滨's director, as the app does). */
async function withScene<T>(fn: (tx: Tx, s: Scene) => Promise<T>): Promise<T> {
  return ownerRolledBack(async (tx) => {
    let inRequest = false;
    const as = async (who: Who) => {
      if (who === "owner") {
        if (inRequest) await leaveRequestContext(tx);
        inRequest = false;
      } else {
        await enterRequestContext(tx, claims[who]);
        inRequest = true;
      }
    };
    const term = await fx.term(tx, cityId, "整改测试届", 2022, 2026);
    const round = await fx.round(tx, cityId, term, 1, "rectification");
    const group = await fx.group(tx, round, cityId, 1, { start: "2026-03-01", end: "2026-04-30" });
    const engagement = async (unit: number) => {
      const e = await fx.engagement(tx, round, group.id, unit, "regular", "2026-03-02");
      await tx`update public.engagements set withdrawn_on = '2026-04-20', reported_on = '2026-05-10' where id = ${e.id}`;
      const problems: number[] = [];
      for (const [seq, title] of [[1, "违规发放津贴补贴"], [2, "公务接待超标准"]] as const) {
        const [paper] = await tx<{ id: number; groupId: number; executingOrgId: number; provinceId: number }[]>`
          insert into public.working_papers (engagement_id, title, facts, category_id)
          values (${e.id}, ${title}, '经查，存在该问题（测试）。', ${categoryId})
          returning id::int as id, group_id::int as "groupId", executing_org_id as "executingOrgId", province_id as "provinceId"`;
        const [p] = await tx<{ id: number }[]>`
          insert into public.problems (engagement_id, working_paper_id, supervising_org_id, executing_org_id, group_id,
                                       unit_id, province_id, seq, title, description, category_id, top_category_id,
                                       severity, on_the_spot)
          values (${e.id}, ${paper.id}, ${e.supervisingOrgId}, ${paper.executingOrgId}, ${paper.groupId}, ${unit},
                  ${paper.provinceId}, ${seq}, ${title}, '经查，存在该问题（测试）。', ${categoryId},
                  (select parent_id from public.problem_categories where id = ${categoryId}), 'general', false)
          returning id::int as id`;
        problems.push(p.id);
      }
      await as("city");
      await tx`select public.give_feedback(${e.id}, '2026-06-01', 'centralized', '巡察组全体成员、单位领导班子',
                                           '哈巡反〔2026〕1号', '单位党组', null, ${problems}::bigint[])`;
      await as("owner");
      return { id: e.id, problems };
    };
    const s: Scene = { mine: await engagement(unitId), other: await engagement(otherUnitId), as };
    return fn(tx, s);
  });
}

/** Runs `run` in a savepoint (kept on success): "ok", or the Chinese message `refusals` give the error. */
async function outcome(tx: Tx, refusals: DbRefusal[], run: (sp: Tx) => Promise<unknown>): Promise<string> {
  try {
    await tx.savepoint(async (sp) => {
      await run(sp as Tx);
    });
    return "ok";
  } catch (error) {
    const e = error as { code?: string; message?: string; constraint_name?: string; detail?: string };
    if (!e.code) throw error;
    const r = refusals.find((x) => x.code === e.code && (!x.match || x.match.test(`${e.constraint_name ?? ""} ${e.message ?? ""}`)));
    if (!r) return `unmapped ${e.code}: ${e.message}`;
    return typeof r.message === "function" ? r.message(e) : r.message;
  }
}

const today = beijingToday();
const plan = { kind: "plan" as const, title: "整改工作方案", content: "一、总体要求……" };
const progress = { kind: "progress" as const, title: "整改进展情况报告（第一次）", content: "截至目前……" };
const item = (problemId: number, over: Partial<Parameters<typeof createItem>[2]> = {}) => ({
  problemId,
  measures: "清退违规发放的津贴补贴，修订内部管理制度",
  responsibleLeader: "高志远",
  responsibleDepartment: "计划财务处",
  responsiblePerson: "马晓红",
  kind: "deadline" as const,
  deadline: "2026-12-31",
  ...over,
});

describe("what a unit contact sees", () => {
  it("lists his unit's rectification and nothing of another unit's", async () => {
    await withScene(async (tx, s) => {
      await s.as("unitContact");
      const { rows } = await listRectifications(tx, { page: 1 }, today);
      const ids = rows.map((r) => r.engagementId);
      expect(ids).toContain(s.mine.id);
      expect(ids).not.toContain(s.other.id);
      const mine = rows.find((r) => r.engagementId === s.mine.id)!;
      expect(mine).toMatchObject({ unitName: "哈尔滨市财政局", supervisingOrgName: "哈尔滨市委巡察办", planState: "none", problems: 2, items: 0 });
      expect(await getFeedback(tx, s.other.id)).toBeUndefined();
      expect((await listProblems(tx, s.mine.id)).map((p) => p.id)).toEqual(s.mine.problems);
      expect(await listProblems(tx, s.other.id)).toEqual([]);
      // The engagement itself, its units and orgs stay closed to him: the feedback's snapshots stand in.
      expect(await tx`select 1 from public.engagements where id = ${s.mine.id}`).toHaveLength(0);
      expect(await tx`select 1 from public.working_papers where engagement_id = ${s.mine.id}`).toHaveLength(0);
      // The office sees both.
      const listed = async (q: string) => (await listRectifications(tx, { page: 1, q }, today)).rows.map((r) => r.engagementId);
      await s.as("city");
      expect(await listed("哈尔滨市财政局")).toContain(s.mine.id);
      expect(await listed(otherUnitName)).toContain(s.other.id);
      // A county office sees neither.
      await s.as("daoli");
      expect(await listed("哈尔滨市财政局")).not.toContain(s.mine.id);
      expect(await listed(otherUnitName)).not.toContain(s.other.id);
    });
  });
});

describe("plans and progress reports", () => {
  it("are submitted by the unit for its own unit only, and in order", async () => {
    await withScene(async (tx, s) => {
      await s.as("unitContact");
      expect(await outcome(tx, REPORT_REFUSALS, (sp) => submitReport(sp, s.mine.id, progress))).toBe("整改方案审核通过后方可报送进展情况");
      expect(await outcome(tx, REPORT_REFUSALS, (sp) => submitReport(sp, s.mine.id, plan))).toBe("ok");
      expect(await outcome(tx, REPORT_REFUSALS, (sp) => submitReport(sp, s.mine.id, plan))).toBe(
        "上一次报送的报告尚在审核中，审核后方可再次报送",
      );
      // Another unit's engagement: refused as RLS would (42501), whatever the UI offers.
      expect(await outcome(tx, [], (sp) => submitReport(sp, s.other.id, plan))).toMatch(/^unmapped 42501/);
      const [report] = await listReports(tx, s.mine.id);
      expect(report).toMatchObject({ kind: "plan", seq: 1, status: "submitted", submittedBy: "马晓红" });
      // The unit cannot review its own report: the update finds no row it may change.
      expect(await reviewReport(tx, s.mine.id, report.id, "accepted", undefined)).toBe(false);
    });
  });

  it("are accepted or returned with a reason by the supervising office; a returned plan comes back as a new version", async () => {
    await withScene(async (tx, s) => {
      await s.as("unitContact");
      const first = await submitReport(tx, s.mine.id, plan);
      await s.as("daoli");
      expect(await reviewReport(tx, s.mine.id, first.id, "accepted", undefined)).toBe(false);
      await s.as("city");
      expect(await outcome(tx, REPORT_REVIEW_REFUSALS, (sp) => reviewReport(sp, s.mine.id, first.id, "returned", " "))).toBe(
        "退回时请说明理由（至少2个字）",
      );
      expect(await reviewReport(tx, s.mine.id, first.id, "returned", "责任分工不明确，请细化")).toBe(true);
      expect(await outcome(tx, REPORT_REVIEW_REFUSALS, (sp) => reviewReport(sp, s.mine.id, first.id, "accepted", undefined))).toBe(
        "该报告已审核，不能重复审核",
      );
      await s.as("unitContact");
      const second = await submitReport(tx, s.mine.id, { ...plan, title: "整改工作方案（修改稿）" });
      expect(second.seq).toBe(2);
      await s.as("city");
      expect(await reviewReport(tx, s.mine.id, second.id, "accepted", "同意")).toBe(true);
      await s.as("unitContact");
      expect((await listReports(tx, s.mine.id)).map((r) => [r.seq, r.status, r.reviewComment])).toEqual([
        [2, "accepted", "同意"],
        [1, "returned", "责任分工不明确，请细化"],
      ]);
      expect(await outcome(tx, REPORT_REFUSALS, (sp) => submitReport(sp, s.mine.id, plan))).toBe("整改方案已审核通过，无需再次报送");
      expect(await outcome(tx, REPORT_REFUSALS, (sp) => submitReport(sp, s.mine.id, progress))).toBe("ok");
      // The unit was told of each verdict.
      const titles = (await listNotifications(tx)).rows.map((n) => n.title);
      expect(titles).toEqual(expect.arrayContaining(["整改方案被退回", "整改方案已通过审核"]));
    });
  });
});

describe("ledger items", () => {
  it("are added by the unit for its own fed-back problems only, with a deadline unless 长期坚持", async () => {
    await withScene(async (tx, s) => {
      await s.as("unitContact");
      const id = await createItem(tx, s.mine.id, item(s.mine.problems[0]));
      expect(id).toBeGreaterThan(0);
      expect(await createItem(tx, s.mine.id, item(s.mine.problems[1], { kind: "long_term", deadline: undefined }))).toBeGreaterThan(0);
      // Another unit's problem, named through his own engagement or through the other one.
      expect(await createItem(tx, s.mine.id, item(s.other.problems[0]))).toBeNull();
      expect(await createItem(tx, s.other.id, item(s.other.problems[0]))).toBeNull();
      expect(await outcome(tx, ITEM_REFUSALS, (sp) => createItem(sp, s.mine.id, item(s.mine.problems[0], { deadline: undefined })))).toBe(
        "立行立改和限期整改须填写整改时限",
      );
      expect(await outcome(tx, ITEM_REFUSALS, (sp) => createItem(sp, s.mine.id, item(s.mine.problems[0], { deadline: "2026-05-31" })))).toBe(
        "整改时限不能早于反馈日期",
      );
      const rows = await listItems(tx, s.mine.id);
      expect(rows.map((r) => [r.problemSeq, r.kind, r.status])).toEqual([[1, "deadline", "open"], [2, "long_term", "open"]]);
      // The status moves only through the review function.
      expect(await outcome(tx, [], (sp) => sp`update public.rectification_items set status = 'closed' where id = ${id}`)).toMatch(
        /^unmapped 42501/,
      );
      // The office adds items too.
      await s.as("city");
      expect(await createItem(tx, s.other.id, item(s.other.problems[0]))).toBeGreaterThan(0);
    });
  });

  it("link the unit's own accounts as responsible leader and person, and no one else's", async () => {
    await withScene(async (tx, s) => {
      await s.as("unitContact");
      const accounts = await listUnitAccounts(tx, unitId);
      const head = accounts.find((a) => a.isUnitHead)!;
      const contact = accounts.find((a) => !a.isUnitHead)!;
      expect([head.userId, contact.userId].sort()).toEqual([claims.unitHead.sub, claims.unitContact.sub].sort());
      expect(contact.displayName).toBe("马晓红");
      const id = (await createItem(tx, s.mine.id, item(s.mine.problems[0], { responsibleLeaderUserId: head.userId, responsiblePersonUserId: contact.userId })))!;
      expect(await getItem(tx, id)).toMatchObject({
        responsibleLeaderUserId: head.userId, responsiblePersonUserId: contact.userId, personAccountName: "马晓红",
      });
      // An office account is not the unit's: refused in Chinese, nothing written.
      const refused = await outcome(tx, ITEM_REFUSALS, (sp) =>
        createItem(sp, s.mine.id, item(s.mine.problems[1], { responsiblePersonUserId: claims.city.sub })));
      expect(refused).toBe("所选账号不是本单位的整改联络员");
      expect(await outcome(tx, ITEM_REFUSALS, (sp) => setWarningAccounts(sp, id, { responsibleLeaderUserId: claims.city.sub }))).toBe(refused);
      expect((await listItems(tx, s.mine.id)).map((r) => r.id)).toEqual([id]);
      // Unlinking and relinking; the office may change them too.
      expect(await setWarningAccounts(tx, id, {})).toBe(true);
      expect(await getItem(tx, id)).toMatchObject({ responsibleLeaderUserId: null, responsiblePersonUserId: null });
      await s.as("city");
      expect(await setWarningAccounts(tx, id, { responsiblePersonUserId: head.userId })).toBe(true);
      expect((await getItem(tx, id))!.responsiblePersonUserId).toBe(head.userId);
      // A county office lists none of the unit's accounts and changes nothing.
      await s.as("daoli");
      expect(await listUnitAccounts(tx, unitId)).toEqual([]);
      expect(await setWarningAccounts(tx, id, {})).toBe(false);
    });
  });

  it("close by double review: progress, the unit's head confirms, the office verifies; a return reopens", async () => {
    await withScene(async (tx, s) => {
      await s.as("unitContact");
      const id = (await createItem(tx, s.mine.id, item(s.mine.problems[0])))!;
      const confirm = (sp: Tx) => reviewItem(sp, id, "confirm");
      await s.as("unitHead");
      expect(await outcome(tx, ITEM_REVIEW_REFUSALS, confirm)).toBe("请先报送整改进展，再确认整改到位");
      await s.as("unitContact");
      expect(await outcome(tx, UPDATE_REFUSALS, (sp) => addUpdate(sp, id, { reportedOn: "2099-01-01", progress: "已清退" }))).toBe(
        "报送日期不能晚于今天",
      );
      await addUpdate(tx, id, { reportedOn: "2026-07-15", progress: "已清退违规发放的津贴补贴12.6万元" });
      expect(await outcome(tx, ITEM_REVIEW_REFUSALS, confirm)).toBe("须由单位主要负责人确认");
      await s.as("city");
      expect(await outcome(tx, ITEM_REVIEW_REFUSALS, (sp) => reviewItem(sp, id, "verify"))).toBe("须先由单位主要负责人确认");
      await s.as("unitHead");
      expect(await reviewItem(tx, id, "confirm")).toBe("unit_confirmed");
      expect(await outcome(tx, ITEM_REVIEW_REFUSALS, (sp) => reviewItem(sp, id, "verify"))).toBe("须由组织巡察的机构核验");
      await s.as("city");
      expect(await outcome(tx, ITEM_REVIEW_REFUSALS, (sp) => reviewItem(sp, id, "return", " "))).toBe("退回或重新打开须说明理由（至少2个字）");
      expect(await reviewItem(tx, id, "return", "佐证材料不足")).toBe("open");
      await s.as("unitHead");
      expect(await reviewItem(tx, id, "confirm")).toBe("unit_confirmed");
      await s.as("city");
      expect(await reviewItem(tx, id, "verify")).toBe("closed");
      expect(await outcome(tx, ITEM_REVIEW_REFUSALS, (sp) => reviewItem(sp, id, "return", "再看看"))).toBe("只有单位已确认的事项可以退回");
      await s.as("unitContact");
      const detail = (await getItem(tx, id))!;
      expect(detail).toMatchObject({ status: "closed", returnedCount: 1, unitName: "哈尔滨市财政局" });
      expect((await listItemEvents(tx, id)).map((e) => [e.action, e.reason])).toEqual([
        ["verify", null],
        ["confirm", null],
        ["return", "佐证材料不足"],
        ["confirm", null],
      ]);
      // A county office can neither read nor review it.
      await s.as("daoli");
      expect(await getItem(tx, id)).toBeUndefined();
      expect(await outcome(tx, ITEM_REVIEW_REFUSALS, (sp) => reviewItem(sp, id, "reopen", "回头看"))).toBe("须由组织巡察的机构核验");
      await s.as("city");
      expect(await reviewItem(tx, id, "reopen", "回头看发现问题反弹")).toBe("open");
      expect((await listItemEvents(tx, id))[0]).toMatchObject({ action: "reopen", lookBack: true });
    });
  });
});

describe("挂账督办", () => {
  it("lists open items past their deadline to the offices in scope, not to the unit or a county", async () => {
    await withScene(async (tx, s) => {
      await s.as("unitContact");
      const late = (await createItem(tx, s.mine.id, item(s.mine.problems[0], { deadline: "2026-07-01" })))!;
      const onTime = (await createItem(tx, s.mine.id, item(s.mine.problems[1], { deadline: "2099-12-31" })))!;
      for (const who of ["city", "province"] as const) {
        await s.as(who);
        const { rows } = await listOverdueItems(tx, { page: 1, q: "哈尔滨市财政局" });
        const ids = rows.map((r) => r.id);
        expect(ids, who).toContain(late);
        expect(ids, who).not.toContain(onTime);
        expect(rows.find((r) => r.id === late)).toMatchObject({ unitName: "哈尔滨市财政局", responsiblePerson: "马晓红", problemSeq: 1 });
        // Sorted by days overdue, longest first.
        expect(rows.map((r) => r.daysOverdue)).toEqual([...rows.map((r) => r.daysOverdue)].sort((a, b) => b - a));
      }
      for (const who of ["unitContact", "daoli"] as const) {
        await s.as(who);
        expect((await listOverdueItems(tx, { page: 1, q: "哈尔滨市财政局" })).rows.map((r) => r.id), who).not.toContain(late);
      }
    });
  });
});

describe("the inbox", () => {
  it("shows a user his own notices, unread first, and marks only his own read", async () => {
    await withScene(async (tx, s) => {
      await s.as("unitContact");
      const before = await listNotifications(tx);
      const feedback = before.rows.find((n) => n.title === "巡察反馈：哈尔滨市财政局");
      expect(feedback).toMatchObject({ level: "info", link: `/rectification/${s.mine.id}`, readAt: null });
      expect(before.unread).toBeGreaterThan(0);
      expect(await markRead(tx, feedback!.id)).toBe(true);
      const readAt = (await listNotifications(tx)).rows.find((n) => n.id === feedback!.id)!.readAt;
      expect(readAt).not.toBeNull();
      // Marking it again (a second click) keeps the first time.
      expect(await markRead(tx, feedback!.id)).toBe(true);
      const after = await listNotifications(tx);
      expect(after.rows.find((n) => n.id === feedback!.id)!.readAt).toEqual(readAt);
      expect(after.unread).toBe(before.unread - 1);
      // Unread first.
      const firstRead = after.rows.findIndex((n) => n.readAt !== null);
      expect(after.rows.slice(firstRead).every((n) => n.readAt !== null)).toBe(true);
      // The office's notice of the same feedback is not his to mark.
      await s.as("unitContact");
      await submitReport(tx, s.mine.id, plan);
      await s.as("city");
      const officeNotice = (await listNotifications(tx)).rows.find((n) => n.title === "哈尔滨市财政局报送整改方案")!;
      expect(officeNotice).toBeDefined();
      await s.as("unitContact");
      expect(await markRead(tx, officeNotice.id)).toBe(false);
      expect(await markAllRead(tx)).toBe(after.unread);
      expect((await listNotifications(tx)).unread).toBe(0);
      await s.as("city");
      expect((await listNotifications(tx)).rows.find((n) => n.id === officeNotice.id)?.readAt).toBeNull();
    });
  });
});

describe("public disclosure", () => {
  it("is published by the supervising office only, and anon reads only what is published", async () => {
    await withScene(async (tx, s) => {
      const input = { title: "关于哈尔滨市财政局巡察整改情况的公示", summary: "按照市委巡察工作统一部署，现将整改情况予以公示。" };
      await s.as("unitContact");
      expect(await outcome(tx, DISCLOSURE_REFUSALS, (sp) => publishDisclosure(sp, s.mine.id, input))).toBe("您无权进行此操作");
      await s.as("daoli");
      expect(await outcome(tx, DISCLOSURE_REFUSALS, (sp) => publishDisclosure(sp, s.mine.id, input))).toBe("您无权进行此操作");
      await s.as("unitContact");
      const itemId = (await createItem(tx, s.mine.id, item(s.mine.problems[0])))!;
      await addUpdate(tx, itemId, { reportedOn: "2026-07-15", progress: "已整改" });
      await s.as("unitHead");
      await reviewItem(tx, itemId, "confirm");
      await s.as("city");
      await reviewItem(tx, itemId, "verify");
      const { id, slug } = await publishDisclosure(tx, s.mine.id, input);
      expect(slug).toMatch(/^[a-f0-9]{24}$/);
      const [row] = await listDisclosures(tx, s.mine.id);
      expect(row.snapshot).toEqual({
        fedBack: 2,
        rectified: 1,
        byCategory: [{ category: "违反六项纪律", fedBack: 2, rectified: 1 }],
      });
      // As anon (the public page's context): the published row, only the granted columns.
      await tx`reset role`;
      await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '', true)`;
      const seen = await tx`select title, unit_name, office_name from public.rectification_disclosures where slug = ${slug}`;
      expect(seen).toEqual([{ title: input.title, unit_name: "哈尔滨市财政局", office_name: "哈尔滨市委巡察办" }]);
      expect(await outcome(tx, [], (sp) => sp`select published_by from public.rectification_disclosures`)).toMatch(/^unmapped 42501/);
      expect(await outcome(tx, [], (sp) => sp`select responsible_person from public.rectification_items`)).toMatch(/^unmapped 42501/);
      await s.as("city");
      expect(await withdrawDisclosure(tx, s.mine.id, id)).toBe(true);
      expect(await withdrawDisclosure(tx, s.mine.id, id)).toBe(false);
      await tx`reset role`;
      await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '', true)`;
      expect(await tx`select 1 from public.rectification_disclosures where slug = ${slug}`).toHaveLength(0);
    });
  });
});
