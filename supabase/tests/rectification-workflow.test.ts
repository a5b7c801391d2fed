import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql } from "./support/db";
import { attempt, CODES, rolledBack, withScenario, world, type Scenario, type World } from "./support/engagements";
import {
  actAs,
  demoUserId,
  financeEngagement,
  kept,
  notices,
  ownerFeedback,
  ownerProblems,
  reported,
  type FinanceEngagement,
  type Who,
} from "./support/findings";

/**
 * Feedback (反馈) and rectification (整改), steps 8–9: public.give_feedback hands chosen
 * problems to the inspected unit; the unit's contact (hrb.unit, 哈尔滨市财政局) submits the
 * plan and progress reports, which the supervising office (哈尔滨市委巡察办) accepts or
 * returns with a reason; ledger items are closed only by double review — the unit's head
 * (hrb.unithead) confirms after progress is reported, then the office verifies (销号).
 * Every shortcut is refused. Everything is rolled back.
 */

afterAll(closeTestSql);

let w: World;
let unitUser: string;
let headUser: string;
beforeAll(async () => {
  w = await world();
  unitUser = await demoUserId("unit");
  headUser = await demoUserId("unitHead");
});

interface Rect {
  s: Scenario;
  e: FinanceEngagement;
  /** Three problems on the list of the 财政局 engagement: two will be fed back, the third not. */
  problems: [number, number, number];
  /** A fed-back problem of another unit (the city's regular engagement of the scenario). */
  otherUnitProblem: number;
}

/** The 财政局 engagement with three problems, stationed, withdrawn and reported (feedback is each test's). */
function withRect<T>(fn: (tx: Tx, r: Rect) => Promise<T>, o: { reported?: boolean } = {}): Promise<T> {
  return withScenario(async (tx, s) => {
    const e = await financeEngagement(tx, s);
    const problems = await ownerProblems(tx, e.id, [{ category: "four_styles.formalism", n: 2 }, { category: "fiscal_funds", n: 1 }]);
    if (o.reported ?? true) await reported(tx, e.id, "2026-02-10", "2026-02-20");
    const other = s.e(`${CODES.city}常规`);
    await tx`update public.engagements set stationed_on = '2026-01-05' where id = ${other.id}`;
    const [otherUnitProblem] = await ownerProblems(tx, other.id, [{ n: 1 }]);
    await reported(tx, other.id, "2026-02-10", "2026-02-20");
    await ownerFeedback(tx, other.id, [otherUnitProblem], "2026-03-01");
    return fn(tx, { s, e, problems: problems as [number, number, number], otherUnitProblem });
  });
}

const give = (sp: Tx, engagementId: number, on: string | null, problems: number[] | null, planDue: string | null = null) =>
  sp<{ id: number }[]>`
    select public.give_feedback(${engagementId}, ${on}::date, 'centralized', '巡察组全体成员、市财政局领导班子', '哈巡反〔2026〕3号',
                                '中共哈尔滨市财政局党组', '市纪委监委', ${problems}::bigint[], ${planDue}::date)::int as id`;

/** The office gives feedback on the first two problems (2026-03-02); back to the owner. */
async function fedBack(tx: Tx, r: Rect) {
  await actAs(tx, "city");
  const [f] = await give(tx, r.e.id, "2026-03-02", [r.problems[0], r.problems[1]]);
  await actAs(tx, "owner");
  return f.id;
}

/** The unit's accounts (its contacts, heads included), read as the owner. */
async function unitAccounts(tx: Tx, unitId: number) {
  await actAs(tx, "owner");
  const rows = await tx<{ userId: string }[]>`
    select user_id::text as "userId" from public.memberships where unit_id = ${unitId} and role = 'unit_contact' order by 1`;
  return rows.map((x) => x.userId);
}

/** The city office's directors and staff, read as the owner. */
async function officeAccounts(tx: Tx) {
  await actAs(tx, "owner");
  const rows = await tx<{ userId: string }[]>`
    select distinct user_id::text as "userId" from public.memberships
     where org_id = ${w.org.city} and role in ('office_director', 'office_staff') order by 1`;
  return rows.map((x) => x.userId);
}

describe("public.give_feedback", () => {
  it("needs the report first, a date on or after it, and at least one problem of this engagement's list", async () => {
    await withRect(
      async (tx, r) => {
        await actAs(tx, "city");
        expect(await rolledBack(tx, (sp) => give(sp, r.e.id, "2026-03-02", [r.problems[0]])), "no report yet").toBe(
          "23514: feedback: the report comes first",
        );
        await actAs(tx, "owner");
        await reported(tx, r.e.id, "2026-02-10", "2026-02-20");
        await actAs(tx, "city");
        expect(await rolledBack(tx, (sp) => give(sp, r.e.id, "2026-02-19", [r.problems[0]])), "before the report").toBe(
          "23514: feedback: the date is on or after the report",
        );
        expect(await rolledBack(tx, (sp) => give(sp, r.e.id, null, [r.problems[0]])), "no date").toBe(
          "23514: feedback: the date is on or after the report",
        );
        for (const problems of [[], null]) {
          expect(await rolledBack(tx, (sp) => give(sp, r.e.id, "2026-03-02", problems)), JSON.stringify(problems)).toBe(
            "23514: feedback: at least one problem is fed back",
          );
        }
        expect(
          await rolledBack(tx, (sp) => give(sp, r.e.id, "2026-03-02", [r.problems[0], r.otherUnitProblem])),
          "a problem of another engagement",
        ).toBe("23514: feedback: a problem is not on this engagement's list");
        expect(await rolledBack(tx, (sp) => give(sp, r.e.id, "2026-03-02", [r.problems[0], 2_000_000_000])), "no such problem").toBe(
          "23514: feedback: a problem is not on this engagement's list",
        );
        // The report day itself is allowed; a plan deadline on the feedback day is not.
        expect(await rolledBack(tx, (sp) => give(sp, r.e.id, "2026-02-20", [r.problems[0]]))).toBe("ok");
        expect(await rolledBack(tx, (sp) => give(sp, r.e.id, "2026-02-20", [r.problems[0]], "2026-02-20"))).toMatch(
          /^23514: .*feedbacks_plan_due/,
        );
        await actAs(tx, "owner");
        expect(await tx`select id from public.feedbacks where engagement_id = ${r.e.id}`, "nothing was recorded").toHaveLength(0);
      },
      { reported: false },
    );
  });

  it("is given by the supervising office only", async () => {
    await withRect(async (tx, r) => {
      for (const who of ["unit", "unitHead", "cityMember", "province", "provinceStaff", "daoli", "qqhr", "partner", "leader"] as const) {
        await actAs(tx, who);
        expect((await rolledBack(tx, (sp) => give(sp, r.e.id, "2026-03-02", [r.problems[0]]))).split(":")[0], who).toBe("42501");
      }
    });
  });

  it("marks the chosen problems fed back, sets the feedback date and the plan deadline (two months by default), and tells the unit", async () => {
    await withRect(async (tx, r) => {
      await actAs(tx, "unit");
      expect(await tx`select id from public.problems where engagement_id = ${r.e.id}`, "the unit sees no problem before feedback").toHaveLength(0);

      const feedbackId = await fedBack(tx, r);
      const problems = await tx<{ id: number; feedbackId: number | null }[]>`
        select id::int as id, feedback_id::int as "feedbackId" from public.problems where engagement_id = ${r.e.id} order by seq`;
      expect(problems).toEqual([
        { id: r.problems[0], feedbackId },
        { id: r.problems[1], feedbackId },
        { id: r.problems[2], feedbackId: null },
      ]);
      const [e] = await tx<{ feedbackOn: string; due: string }[]>`
        select feedback_on::text as "feedbackOn", rectification_due::text as due from public.engagements where id = ${r.e.id}`;
      expect(e).toEqual({ feedbackOn: "2026-03-02", due: "2026-05-02" });
      const [f] = await tx`
        select feedback_on::text as "feedbackOn", plan_due::text as "planDue", unit_name as "unitName",
               supervising_org_name as "office", unit_id::int as "unitId", supervising_org_id as "supervisingOrgId",
               created_by::text as "createdBy"
          from public.feedbacks where id = ${feedbackId}`;
      expect(f).toEqual({
        feedbackOn: "2026-03-02", planDue: "2026-05-02", unitName: "哈尔滨市财政局", office: "哈尔滨市委巡察办", unitId: r.e.unitId,
        supervisingOrgId: w.org.city, createdBy: w.user.city,
      });

      const told = await notices(tx, { kind: "feedback_given", subjectIds: [feedbackId] });
      expect(told.map((n) => n.userId).sort()).toEqual(await unitAccounts(tx, r.e.unitId));
      expect(told.map((n) => n.userId)).toEqual(expect.arrayContaining([unitUser, headUser]));
      expect(told[0]).toMatchObject({ title: "巡察反馈：哈尔滨市财政局", link: `/rectification/${r.e.id}` });

      // The unit now sees the feedback and the fed-back problems, not the one kept back.
      await actAs(tx, "unit");
      expect((await tx<{ id: number }[]>`select id::int as id from public.problems where engagement_id = ${r.e.id} order by seq`).map((p) => p.id)).toEqual([
        r.problems[0],
        r.problems[1],
      ]);
      expect(await tx`select id from public.feedbacks where engagement_id = ${r.e.id}`).toHaveLength(1);

      // One feedback per engagement: a second call is refused and the third problem stays where it was.
      await actAs(tx, "city");
      expect(await rolledBack(tx, (sp) => give(sp, r.e.id, "2026-03-10", [r.problems[2]]))).toBe("23514: feedback: given already");
    });
  });

  it("takes a plan deadline when the office sets one", async () => {
    await withRect(async (tx, r) => {
      await actAs(tx, "city");
      await give(tx, r.e.id, "2026-03-02", [r.problems[0]], "2026-04-15");
      const [e] = await tx`select rectification_due::text as due from public.engagements where id = ${r.e.id}`;
      expect(e.due).toBe("2026-04-15");
    });
  });
});

interface ReportRow {
  id: number;
  seq: number;
  status: string;
  unitId: number;
  supervisingOrgId: number;
  submittedBy: string;
}

/** A report as the current actor (the client's status and number are ignored by the database). */
const submit = (sp: Tx, engagementId: number, kind: "plan" | "progress", title: string) =>
  sp<ReportRow[]>`
    insert into public.rectification_reports (engagement_id, kind, title, content, status, seq, review_comment)
    values (${engagementId}, ${kind}, ${title}, '一、总体要求；二、整改任务；三、保障措施。', 'accepted', 7, '自己写的审核意见')
    returning id::int as id, seq, status::text as status, unit_id::int as "unitId", supervising_org_id as "supervisingOrgId",
              submitted_by::text as "submittedBy"`;

const review = (sp: Tx, id: number, status: "accepted" | "returned", comment: string | null = null) =>
  sp`update public.rectification_reports set status = ${status}, review_comment = ${comment} where id = ${id}`;

describe("the rectification plan and progress reports", () => {
  it("waits for feedback", async () => {
    await withRect(async (tx, r) => {
      await actAs(tx, "unit");
      expect((await rolledBack(tx, (sp) => submit(sp, r.e.id, "plan", "整改方案"))).split(":")[0]).toBe("42501");
    });
  });

  it("is submitted by the unit, reviewed by the supervising office, resubmitted as a new row when returned, and progress follows acceptance", async () => {
    await withRect(async (tx, r) => {
      await fedBack(tx, r);
      await actAs(tx, "unit");
      const [plan1] = await submit(tx, r.e.id, "plan", "市财政局关于巡察反馈意见的整改方案");
      expect(plan1).toEqual({ id: plan1.id, seq: 1, status: "submitted", unitId: r.e.unitId, supervisingOrgId: w.org.city, submittedBy: unitUser });
      expect(await notices(tx, { kind: "report_submitted", subjectIds: [plan1.id] }).then((n) => n.map((x) => x.userId).sort())).toEqual(
        await officeAccounts(tx),
      );

      await actAs(tx, "unit");
      expect(await rolledBack(tx, (sp) => submit(sp, r.e.id, "plan", "第二份方案")), "one plan awaits review").toBe(
        "23514: rectification: a report of this kind awaits review",
      );
      expect(await rolledBack(tx, (sp) => submit(sp, r.e.id, "progress", "进展报告")), "progress before the plan is accepted").toBe(
        "23514: rectification: progress is reported once the plan is accepted",
      );

      // Nobody but the supervising office reviews: the rows are simply not theirs to update.
      for (const who of ["unit", "unitHead", "cityMember", "province", "qqhr", "daoli"] as const) {
        await actAs(tx, who);
        expect(await attempt(tx, (sp) => review(sp, plan1.id, "accepted")), who).toBe("rows:0");
      }
      await actAs(tx, "city");
      expect(await rolledBack(tx, (sp) => review(sp, plan1.id, "returned")), "a return without reason").toMatch(
        /^23514: .*rectification_reports_return_reason/,
      );
      expect(await rolledBack(tx, (sp) => review(sp, plan1.id, "returned", "改"))).toMatch(/^23514: .*rectification_reports_return_reason/);
      expect(await attempt(tx, (sp) => sp`update public.rectification_reports set title = '改标题' where id = ${plan1.id}`), "content").toBe("42501");
      expect(await kept(tx, (sp) => review(sp, plan1.id, "returned", "整改措施不具体，责任未落实到人"))).toBe("ok");
      expect(await kept(tx, (sp) => review(sp, plan1.id, "accepted")), "reviewed once").toBe(
        "23514: rectification: only a submitted report is reviewed, once",
      );
      const reviewedNotice = await notices(tx, { kind: "report_reviewed", subjectIds: [plan1.id] });
      expect(reviewedNotice.map((n) => n.userId).sort()).toEqual(await unitAccounts(tx, r.e.unitId));
      expect(reviewedNotice[0]).toMatchObject({ title: "整改方案被退回", body: "整改措施不具体，责任未落实到人" });

      await actAs(tx, "unit");
      const [plan2] = await submit(tx, r.e.id, "plan", "市财政局整改方案（修改稿）");
      expect(plan2).toMatchObject({ seq: 2, status: "submitted" });
      const history = await tx`
        select seq, status::text as status, review_comment as comment, reviewed_by::text as "reviewedBy"
          from public.rectification_reports where engagement_id = ${r.e.id} and kind = 'plan' order by seq`;
      expect(history, "the returned plan stays on the record").toEqual([
        { seq: 1, status: "returned", comment: "整改措施不具体，责任未落实到人", reviewedBy: w.user.city },
        { seq: 2, status: "submitted", comment: null, reviewedBy: null },
      ]);

      await actAs(tx, "city");
      expect(await kept(tx, (sp) => review(sp, plan2.id, "accepted"))).toBe("ok");
      expect((await notices(tx, { kind: "report_reviewed", subjectIds: [plan2.id] }))[0].title).toBe("整改方案已通过审核");
      await actAs(tx, "unit");
      expect(await rolledBack(tx, (sp) => submit(sp, r.e.id, "plan", "第三份方案"))).toBe("23514: rectification: the plan is accepted already");

      const [progress1] = await submit(tx, r.e.id, "progress", "整改进展情况报告（第一次）");
      expect(progress1).toMatchObject({ seq: 1, status: "submitted" });
      expect(await rolledBack(tx, (sp) => submit(sp, r.e.id, "progress", "整改进展情况报告（第二次）"))).toBe(
        "23514: rectification: a report of this kind awaits review",
      );
      await actAs(tx, "city");
      expect(await kept(tx, (sp) => review(sp, progress1.id, "accepted"))).toBe("ok");
      await actAs(tx, "unit");
      expect((await submit(tx, r.e.id, "progress", "整改进展情况报告（第二次）"))[0]).toMatchObject({ seq: 2, status: "submitted" });
    });
  });

  it("is written by the unit or the supervising office only", async () => {
    await withRect(async (tx, r) => {
      await fedBack(tx, r);
      for (const who of ["cityMember", "qqhr", "daoli", "province", "partner"] as const) {
        await actAs(tx, who);
        expect((await rolledBack(tx, (sp) => submit(sp, r.e.id, "plan", "整改方案"))).split(":")[0], who).toBe("42501");
      }
    });
  });
});

/** A ledger item as the current actor (the client's status and counters are ignored). */
const addItem = (
  sp: Tx,
  problemId: number,
  o: { kind?: string; deadline?: string | null; personUserId?: string | null } = {},
) =>
  sp<{ id: number; status: string; returnedCount: number; unitId: number; supervisingOrgId: number; engagementId: number }[]>`
    insert into public.rectification_items (problem_id, measures, responsible_leader, responsible_department, responsible_person,
                                            responsible_person_user_id, kind, deadline, status, returned_count)
    values (${problemId}, '修订津补贴发放办法，清退违规发放款项', '王副局长', '人事科', '李科长', ${o.personUserId ?? null}::uuid,
            ${o.kind ?? "deadline"}, ${o.deadline === undefined ? "2026-06-30" : o.deadline}::date, 'closed', 5)
    returning id::int as id, status::text as status, returned_count as "returnedCount", unit_id::int as "unitId",
              supervising_org_id as "supervisingOrgId", engagement_id::int as "engagementId"`;

describe("ledger items (整改台账)", () => {
  it("are added by the unit's contact for its fed-back problems only", async () => {
    await withRect(async (tx, r) => {
      await fedBack(tx, r);
      await actAs(tx, "unit");
      const [item] = await addItem(tx, r.problems[0]);
      expect(item).toEqual({ id: item.id, status: "open", returnedCount: 0, unitId: r.e.unitId, supervisingOrgId: w.org.city, engagementId: r.e.id });
      expect((await rolledBack(tx, (sp) => addItem(sp, r.problems[2]))).split(":")[0], "a problem not fed back").toBe("42501");
      expect((await rolledBack(tx, (sp) => addItem(sp, r.otherUnitProblem))).split(":")[0], "another unit's problem").toBe("42501");
      expect(await rolledBack(tx, (sp) => addItem(sp, r.problems[1], { deadline: "2026-03-01" })), "deadline before feedback").toBe(
        "23514: rectification: the deadline is after the feedback",
      );
      expect(await rolledBack(tx, (sp) => addItem(sp, r.problems[1], { deadline: null })), "限期整改 without a deadline").toMatch(
        /^23514: .*rectification_items_deadline/,
      );
      expect(await rolledBack(tx, (sp) => addItem(sp, r.problems[1], { kind: "long_term", deadline: null })), "长期坚持").toBe("ok");
      expect(await rolledBack(tx, (sp) => addItem(sp, r.problems[1], { personUserId: w.user.city })), "an account outside the unit").toBe(
        "23514: rectification: the responsible account is not the unit's",
      );
      expect(await rolledBack(tx, (sp) => addItem(sp, r.problems[1], { personUserId: headUser }))).toBe("ok");
      for (const who of ["cityMember", "qqhr", "daoli", "province", "partner"] as const) {
        await actAs(tx, who);
        expect((await rolledBack(tx, (sp) => addItem(sp, r.problems[1]))).split(":")[0], who).toBe("42501");
      }
    });
  });
});

describe("closing an item by double review (单位负责人确认 + 巡察办核验)", () => {
  const reviewItem = (sp: Tx, id: number, action: string, reason: string | null = null, lookBack: boolean | null = null) =>
    sp<{ status: string }[]>`
      select public.review_rectification_item(${id}, ${action}::public.item_action, ${reason}::text, coalesce(${lookBack}::boolean, true))::text as status`;

  async function by(tx: Tx, who: Who, id: number, action: string, reason: string | null = null) {
    await actAs(tx, who);
    let next = "";
    const r = await kept(tx, async (sp) => {
      next = (await reviewItem(sp, id, action, reason))[0].status;
    });
    return r === "ok" ? `ok → ${next}` : r;
  }

  async function itemRow(tx: Tx, id: number) {
    await actAs(tx, "owner");
    const [row] = await tx<{ status: string; returnedCount: number; reopenedCount: number }[]>`
      select status::text as status, returned_count as "returnedCount", reopened_count as "reopenedCount"
        from public.rectification_items where id = ${id}`;
    return row;
  }

  const progress = (sp: Tx, id: number, on: string) =>
    sp`insert into public.rectification_updates (item_id, reported_on, progress) values (${id}, ${on}, '已清退违规发放款项8.2万元')`;

  it("refuses every shortcut to closure, and closes only after the head's confirmation and the office's verification", async () => {
    await withRect(async (tx, r) => {
      await fedBack(tx, r);
      await actAs(tx, "unit");
      const [{ id }] = await addItem(tx, r.problems[0]);

      expect(await by(tx, "unitHead", id, "confirm"), "no progress yet").toBe("23514: rectification review: report progress before confirming");
      expect(await by(tx, "city", id, "verify"), "verify while open").toBe("23514: rectification review: the unit's head confirms first");
      expect(await by(tx, "city", id, "return", "整改不到位"), "return while open").toBe(
        "23514: rectification review: only a confirmed item is returned",
      );
      expect(await by(tx, "city", id, "reopen", "回头看"), "reopen while open").toBe("23514: rectification review: only a closed item is reopened");

      await actAs(tx, "unit");
      expect(await rolledBack(tx, (sp) => progress(sp, id, "2999-01-01")), "a progress date in the future").toBe(
        "22007: rectification: the date is not in the future",
      );
      expect(await kept(tx, (sp) => progress(sp, id, "2026-04-10"))).toBe("ok");
      expect(await attempt(tx, (sp) => sp`update public.rectification_updates set progress = '改写进展' where item_id = ${id}`), "progress is not rewritten").toBe("42501");

      expect(await by(tx, "unit", id, "confirm"), "the contact is not the head").toBe("42501: rectification review: the unit's head confirms");
      expect(await by(tx, "city", id, "confirm"), "the office does not confirm for the unit").toBe("42501: rectification review: the unit's head confirms");
      expect(await by(tx, "cityMember", id, "confirm")).toBe("42501: rectification review: the unit's head confirms");
      expect(await by(tx, "city", id, "verify")).toBe("23514: rectification review: the unit's head confirms first");

      // No path around the function: status and counters have no UPDATE privilege, events no INSERT.
      for (const who of ["unit", "unitHead", "city"] as const) {
        await actAs(tx, who);
        expect(await attempt(tx, (sp) => sp`update public.rectification_items set status = 'closed' where id = ${id}`), `${who} status`).toBe("42501");
        expect(
          await attempt(tx, (sp) => sp`update public.rectification_items set status_changed_at = now(), returned_count = 0 where id = ${id}`),
          `${who} counters`,
        ).toBe("42501");
        expect(
          await attempt(tx, (sp) => sp`
            insert into public.rectification_item_events (item_id, supervising_org_id, executing_org_id, group_id, unit_id, province_id, action)
            values (${id}, ${w.org.city}, ${w.org.city}, ${r.e.groupId}, ${r.e.unitId}, ${w.org.province}, 'verify')`),
          `${who} forged event`,
        ).toBe("42501");
      }
      expect(await itemRow(tx, id)).toEqual({ status: "open", returnedCount: 0, reopenedCount: 0 });

      expect(await by(tx, "unitHead", id, "confirm")).toBe("ok → unit_confirmed");
      const confirmed = await notices(tx, { kind: "item_confirmed", subjectIds: [id] });
      expect(confirmed.map((n) => n.userId).sort()).toEqual(await officeAccounts(tx));
      expect(confirmed[0]).toMatchObject({ title: "整改事项待核验销号", link: `/rectification/items/${id}` });
      expect(await by(tx, "unitHead", id, "confirm"), "confirmed twice").toBe("23514: rectification review: only an open item is confirmed");

      for (const who of ["unitHead", "unit", "province", "qqhr", "cityMember", "daoli"] as const) {
        expect((await by(tx, who, id, "verify")).split(":")[0], `${who} verifies`).toBe("42501");
      }
      expect(await itemRow(tx, id)).toEqual({ status: "unit_confirmed", returnedCount: 0, reopenedCount: 0 });

      // The office returns it (reason required): open again, counted.
      for (const reason of [null, "", " 差 "]) {
        expect(await by(tx, "city", id, "return", reason), JSON.stringify(reason)).toBe("23514: rectification review: a return gives its reason");
      }
      expect(await by(tx, "city", id, "return", "清退款项凭证不全")).toBe("ok → open");
      expect(await itemRow(tx, id)).toEqual({ status: "open", returnedCount: 1, reopenedCount: 0 });
      const returned = await notices(tx, { kind: "item_returned", subjectIds: [id] });
      expect(returned.map((n) => n.userId).sort()).toEqual(await unitAccounts(tx, r.e.unitId));
      expect(returned[0]).toMatchObject({ title: "整改事项被退回", body: "清退款项凭证不全" });
      expect(await by(tx, "city", id, "verify"), "verify after a return").toBe("23514: rectification review: the unit's head confirms first");

      // Confirmed again (the earlier progress stands), then verified: closed (销号).
      expect(await by(tx, "unitHead", id, "confirm")).toBe("ok → unit_confirmed");
      expect(await by(tx, "city", id, "verify")).toBe("ok → closed");
      expect(await itemRow(tx, id)).toEqual({ status: "closed", returnedCount: 1, reopenedCount: 0 });
      expect(await by(tx, "city", id, "verify")).toBe("23514: rectification review: the unit's head confirms first");
      expect(await by(tx, "city", id, "return", "再退回")).toBe("23514: rectification review: only a confirmed item is returned");
      expect(await by(tx, "unitHead", id, "confirm")).toBe("23514: rectification review: only an open item is confirmed");
      await actAs(tx, "unit");
      expect(await rolledBack(tx, (sp) => sp`update public.rectification_items set measures = '悄悄改措施' where id = ${id}`)).toBe(
        "23514: rectification: a closed item is reopened by the office first",
      );
    });
  });

  it("reopens a closed item on a look-back (回头看), by the office with a reason, and keeps every step as an event", async () => {
    await withRect(async (tx, r) => {
      await fedBack(tx, r);
      await actAs(tx, "unit");
      const [{ id }] = await addItem(tx, r.problems[0]);
      await progress(tx, id, "2026-04-10");
      expect(await by(tx, "unitHead", id, "confirm")).toBe("ok → unit_confirmed");
      expect(await by(tx, "city", id, "return", "清退款项凭证不全")).toBe("ok → open");
      expect(await by(tx, "unitHead", id, "confirm")).toBe("ok → unit_confirmed");
      expect(await by(tx, "city", id, "verify")).toBe("ok → closed");

      expect(await by(tx, "city", id, "reopen")).toBe("23514: rectification review: a return gives its reason");
      expect((await by(tx, "unitHead", id, "reopen", "自行重开")).split(":")[0]).toBe("42501");
      expect(await by(tx, "city", id, "reopen", "回头看发现问题反弹")).toBe("ok → open");
      expect(await itemRow(tx, id)).toEqual({ status: "open", returnedCount: 1, reopenedCount: 1 });
      expect((await notices(tx, { kind: "item_returned", subjectIds: [id] })).map((n) => n.title)).toEqual(
        expect.arrayContaining(["整改事项被退回", "整改事项回头看重新打开"]),
      );

      // The events, as the office and as the unit see them.
      for (const who of ["city", "unit"] as const) {
        await actAs(tx, who);
        const events = await tx`
          select action::text as action, look_back as "lookBack", reason, acted_by::text as "actedBy"
            from public.rectification_item_events where item_id = ${id} order by acted_at, id`;
        expect(events, who).toEqual([
          { action: "confirm", lookBack: false, reason: null, actedBy: headUser },
          { action: "return", lookBack: false, reason: "清退款项凭证不全", actedBy: w.user.city },
          { action: "confirm", lookBack: false, reason: null, actedBy: headUser },
          { action: "verify", lookBack: false, reason: null, actedBy: w.user.city },
          { action: "reopen", lookBack: true, reason: "回头看发现问题反弹", actedBy: w.user.city },
        ]);
      }
      // A sibling office sees none of it.
      await actAs(tx, "qqhr");
      expect(await tx`select id from public.rectification_item_events where item_id = ${id}`).toHaveLength(0);
      expect(await tx`select id from public.rectification_items where id = ${id}`).toHaveLength(0);
    });
  });
});
