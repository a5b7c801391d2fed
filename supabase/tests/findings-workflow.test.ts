import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql } from "./support/db";
import { attempt, CODES, outcome, rolledBack, withScenario, world, type Scenario, type World } from "./support/engagements";
import { actAs, categoryId, groupAccount, kept, notices, type Account, type Who } from "./support/findings";

/**
 * Working papers (问题底稿) and their review chain (issue 4, step 5): a group member
 * drafts; public.advance_working_paper moves a paper one step at a time — submit
 * (承办人) → 副组长审核 (a deputy or the leader) → 组长审核 (the leader) → 组务会 (the
 * leader) → approved, which puts exactly one problem on the engagement's list. Nobody
 * skips a step, nobody acts on a step that is not his, the status column has no UPDATE
 * privilege, and a paper's content is frozen while under review. Everything is rolled back.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

interface Chain {
  s: Scenario;
  /** The city's stationed regular engagement, whose group hrb.member is in. */
  engagementId: number;
  deputy: Account;
  leader: Account;
  /** 形式主义 (a sub-category of 四风问题) and its top category. */
  formalism: number;
  fourStyles: number;
}

/** The scenario, plus accounts for the city group's deputy and leader (hrb.member stays a plain member). */
function withChain<T>(fn: (tx: Tx, c: Chain) => Promise<T>): Promise<T> {
  return withScenario(async (tx, s) => {
    const group = s.g(CODES.city);
    const deputy = await groupAccount(tx, group, "deputy", "测试副组长");
    const leader = await groupAccount(tx, group, "leader", "测试组长");
    const c: Chain = {
      s,
      engagementId: s.e(`${CODES.city}常规`).id,
      deputy,
      leader,
      formalism: await categoryId(tx, "four_styles.formalism"),
      fourStyles: await categoryId(tx, "four_styles"),
    };
    return fn(tx, c);
  });
}

interface PaperRow {
  id: number;
  seq: number;
  status: string;
  executingOrgId: number;
  groupId: number;
  createdBy: string;
}

/** Drafts a paper as the current actor. `status` is what the client claims; the database ignores it. */
async function draft(tx: Tx, c: Chain, title: string, o: { engagementId?: number; status?: string } = {}) {
  const [p] = await tx<PaperRow[]>`
    insert into public.working_papers (engagement_id, title, facts, evidence, category_id, severity, discipline_form,
                                       on_the_spot, status)
    values (${o.engagementId ?? c.engagementId}, ${title}, '2025年以来违规发放津补贴12.6万元', '财务凭证第12、15号',
            ${c.formalism}, 'serious', 2, true, ${o.status ?? "drafting"})
    returning id::int as id, seq, status::text as status, executing_org_id as "executingOrgId", group_id::int as "groupId",
              created_by::text as "createdBy"`;
  return p;
}

/** One call of the review function, kept when it succeeds: "ok → <new status>" or "SQLSTATE: message (detail)". */
async function act(tx: Tx, paperId: number, action: "submit" | "approve" | "return", comment: string | null = null) {
  let next = "";
  const r = await kept(tx, async (sp) => {
    const [row] = await sp<{ status: string }[]>`
      select public.advance_working_paper(${paperId}, ${action}::public.paper_action, ${comment}::text)::text as status`;
    next = row.status;
  });
  if (r === "ok") return `ok → ${next}`;
  return r;
}

/** The same, as `who`. */
async function actBy(tx: Tx, who: Who, paperId: number, action: "submit" | "approve" | "return", comment: string | null = null) {
  await actAs(tx, who);
  return act(tx, paperId, action, comment);
}

/** SQLSTATE only (the messages are the database's English; the app translates the state and the step). */
const state = (r: string) => r.split(":")[0];

async function statusOf(tx: Tx, paperId: number) {
  await actAs(tx, "owner");
  const [p] = await tx<{ status: string }[]>`select status::text as status from public.working_papers where id = ${paperId}`;
  return p.status;
}

async function problemsOf(tx: Tx, engagementId: number) {
  await actAs(tx, "owner");
  return tx<{ seq: number; workingPaperId: number; title: string; description: string; categoryId: number; topCategoryId: number;
               severity: string; disciplineForm: number; onTheSpot: boolean; unitId: number; supervisingOrgId: number;
               feedbackId: number | null }[]>`
    select seq, working_paper_id::int as "workingPaperId", title, description, category_id::int as "categoryId",
           top_category_id::int as "topCategoryId", severity::text as severity, discipline_form as "disciplineForm",
           on_the_spot as "onTheSpot", unit_id::int as "unitId", supervising_org_id as "supervisingOrgId",
           feedback_id::int as "feedbackId"
      from public.problems where engagement_id = ${engagementId} order by seq`;
}

describe("drafting a working paper", () => {
  it("is the group's: a member drafts (numbered per engagement, status drafting whatever the client sends); the office and other groups cannot", async () => {
    await withChain(async (tx, c) => {
      await actAs(tx, "cityMember");
      const first = await draft(tx, c, "违规发放津补贴", { status: "approved" });
      const second = await draft(tx, c, "公务接待超标准");
      expect(first).toMatchObject({ seq: 1, status: "drafting", executingOrgId: w.org.city, groupId: c.s.g(CODES.city).id, createdBy: w.user.cityMember });
      expect(second.seq).toBe(2);

      // The city office (not in the group), a member of another group, a unit contact: refused.
      for (const who of ["city", "daoliMember", "unit"] as const) {
        await actAs(tx, who);
        expect(state(await rolledBack(tx, (sp) => draft(sp, c, "不应写入"))), who).toBe("42501");
      }
      // The office reads the papers of its group (conduct records of the executing office); the unit never does.
      await actAs(tx, "city");
      expect((await tx`select id from public.working_papers where engagement_id = ${c.engagementId}`).length).toBe(2);
      await actAs(tx, "unit");
      expect((await tx`select id from public.working_papers where engagement_id = ${c.engagementId}`).length).toBe(0);
    });
  });

  it("waits for stationing: a paper on an engagement not yet stationed is refused", async () => {
    await withChain(async (tx, c) => {
      const pending = c.s.e(`${CODES.city}常规未进驻`);
      expect(pending.stationedOn).toBeNull();
      await actAs(tx, "cityMember");
      expect(await rolledBack(tx, (sp) => draft(sp, c, "进驻前的底稿", { engagementId: pending.id }))).toBe(
        "23514: papers are written once the group is stationed",
      );
      // Stationed (by the office), the same draft is accepted.
      await actAs(tx, "owner");
      await tx`update public.engagements set stationed_on = ${c.s.window.start} where id = ${pending.id}`;
      await actAs(tx, "cityMember");
      expect(await rolledBack(tx, (sp) => draft(sp, c, "进驻后的底稿", { engagementId: pending.id }))).toBe("ok");
    });
  });
});

describe("the review chain (承办人 → 副组长 → 组长 → 组务会)", () => {
  it("moves one step per call, each by its role, and the 组务会's approval puts exactly one problem on the list with the next number", async () => {
    await withChain(async (tx, c) => {
      await actAs(tx, "cityMember");
      const earlier = await draft(tx, c, "先前的问题");
      const paper = await draft(tx, c, "违规发放津补贴");
      // An earlier paper already on the list: the new problem takes the next 问题编号.
      for (const [who, action] of [["cityMember", "submit"], [c.deputy, "approve"], [c.leader, "approve"], [c.leader, "approve"]] as const) {
        expect(await actBy(tx, who, earlier.id, action)).toMatch(/^ok/);
      }
      expect((await problemsOf(tx, c.engagementId)).map((p) => p.seq)).toEqual([1]);

      expect(await actBy(tx, "cityMember", paper.id, "approve"), "a draft is submitted first").toBe(
        "23514: paper review: a draft is submitted first",
      );
      expect(await actBy(tx, "cityMember", paper.id, "submit")).toBe("ok → deputy_review");
      expect(await actBy(tx, "cityMember", paper.id, "submit"), "submitted twice").toBe("23514: paper review: only a draft is submitted");
      expect(await actBy(tx, "cityMember", paper.id, "approve"), "a plain member").toBe(
        "42501: paper review: this step is not yours (deputy_review)",
      );
      expect(await actBy(tx, c.deputy, paper.id, "approve")).toBe("ok → leader_review");
      // The deputy's part is done: calling approve again does not move the paper on.
      for (let i = 0; i < 3; i += 1) {
        expect(await actBy(tx, c.deputy, paper.id, "approve"), `deputy, attempt ${i + 1}`).toBe(
          "42501: paper review: this step is not yours (leader_review)",
        );
      }
      expect(await actBy(tx, "cityMember", paper.id, "approve")).toBe("42501: paper review: this step is not yours (leader_review)");
      expect(await statusOf(tx, paper.id)).toBe("leader_review");
      expect(await actBy(tx, c.leader, paper.id, "approve")).toBe("ok → meeting_review");
      expect(await actBy(tx, c.deputy, paper.id, "approve"), "the 组务会 is the leader's").toBe(
        "42501: paper review: this step is not yours (meeting_review)",
      );
      expect((await problemsOf(tx, c.engagementId)).length, "nothing on the list before the 组务会").toBe(1);
      expect(await actBy(tx, c.leader, paper.id, "approve")).toBe("ok → approved");

      const problems = await problemsOf(tx, c.engagementId);
      expect(problems).toHaveLength(2);
      expect(problems[1]).toEqual({
        seq: 2,
        workingPaperId: paper.id,
        title: "违规发放津补贴",
        description: "2025年以来违规发放津补贴12.6万元",
        categoryId: c.formalism,
        topCategoryId: c.fourStyles,
        severity: "serious",
        disciplineForm: 2,
        onTheSpot: true,
        unitId: c.s.e(`${CODES.city}常规`).unitId,
        supervisingOrgId: w.org.city,
        feedbackId: null,
      });

      // Approved is final: no action moves it again, and no second problem appears.
      for (const [who, action] of [[c.leader, "approve"], [c.leader, "return"], ["cityMember", "submit"], [c.deputy, "return"]] as const) {
        expect(await actBy(tx, who, paper.id, action, "再议一下"), `${action}`).toBe("23514: paper review: the paper is approved already");
      }
      expect((await problemsOf(tx, c.engagementId)).length).toBe(2);

      // The review history: one row per step, with the role each acted as.
      await actAs(tx, "city");
      const reviews = await tx<{ step: string; action: string; actedAs: string; actedBy: string }[]>`
        select step::text as step, action::text as action, acted_as::text as "actedAs", acted_by::text as "actedBy"
          from public.working_paper_reviews where paper_id = ${paper.id} order by acted_at, id`;
      expect(reviews).toEqual([
        { step: "drafting", action: "submit", actedAs: "member", actedBy: w.user.cityMember },
        { step: "deputy_review", action: "approve", actedAs: "deputy", actedBy: c.deputy.userId },
        { step: "leader_review", action: "approve", actedAs: "leader", actedBy: c.leader.userId },
        { step: "meeting_review", action: "approve", actedAs: "leader", actedBy: c.leader.userId },
      ]);
    });
  });

  it("lets the leader take the deputy's step, and reads the role at each call (a member made deputy by the office may approve)", async () => {
    await withChain(async (tx, c) => {
      await actAs(tx, "cityMember");
      const a = await draft(tx, c, "底稿甲");
      const b = await draft(tx, c, "底稿乙");
      expect(await act(tx, a.id, "submit")).toBe("ok → deputy_review");
      expect(await act(tx, b.id, "submit")).toBe("ok → deputy_review");
      expect(await actBy(tx, c.leader, a.id, "approve")).toBe("ok → leader_review");

      expect(await actBy(tx, "cityMember", b.id, "approve")).toBe("42501: paper review: this step is not yours (deputy_review)");
      await actAs(tx, "owner");
      await tx`update public.group_members set role = 'deputy' where id = ${c.s.memberRow("市巡察组成员账号")}`;
      expect(await actBy(tx, "cityMember", b.id, "approve"), "now a deputy").toBe("ok → leader_review");
      expect(await actBy(tx, "cityMember", b.id, "approve"), "but not the leader").toBe(
        "42501: paper review: this step is not yours (leader_review)",
      );
    });
  });

  it("is closed to everyone outside the group, the office and its ancestors included", async () => {
    await withChain(async (tx, c) => {
      await actAs(tx, "cityMember");
      const paper = await draft(tx, c, "违规发放津补贴");
      expect(await act(tx, paper.id, "submit")).toBe("ok → deputy_review");
      for (const who of ["city", "province", "provinceStaff", "daoliMember", "daoli", "qqhr", "unit", "unitHead", "partner"] as const) {
        for (const action of ["approve", "return", "submit"] as const) {
          expect(state(await actBy(tx, who, paper.id, action, "退回修改")), `${who} ${action}`).toBe("42501");
        }
      }
      expect(await statusOf(tx, paper.id)).toBe("deputy_review");
    });
  });

  it("has no way around the function: the status column cannot be written, and a review row cannot be forged", async () => {
    await withChain(async (tx, c) => {
      await actAs(tx, "cityMember");
      const paper = await draft(tx, c, "违规发放津补贴");
      for (const who of ["cityMember", c.deputy, c.leader, "city"] as const) {
        await actAs(tx, who);
        const label = typeof who === "string" ? who : who === c.deputy ? "deputy" : "leader";
        expect(await attempt(tx, (sp) => sp`update public.working_papers set status = 'approved' where id = ${paper.id}`), `${label} status`).toBe("42501");
        expect(
          await attempt(tx, (sp) => sp`update public.working_papers set status_changed_at = now(), seq = 9 where id = ${paper.id}`),
          `${label} bookkeeping`,
        ).toBe("42501");
        expect(
          await attempt(tx, (sp) => sp`
            insert into public.working_paper_reviews (paper_id, executing_org_id, group_id, province_id, step, action)
            values (${paper.id}, ${w.org.city}, ${c.s.g(CODES.city).id}, ${w.org.province}, 'meeting_review', 'approve')`),
          `${label} forged review`,
        ).toBe("42501");
        expect(
          await attempt(tx, (sp) => sp`
            insert into public.problems (engagement_id, working_paper_id, supervising_org_id, executing_org_id, group_id, unit_id,
                                         province_id, seq, title, description, category_id, top_category_id, severity, on_the_spot)
            values (${c.engagementId}, ${paper.id}, ${w.org.city}, ${w.org.city}, ${c.s.g(CODES.city).id}, 1, ${w.org.province}, 1,
                    'x', 'x', ${c.formalism}, ${c.fourStyles}, 'general', false)`),
          `${label} forged problem`,
        ).toBe("42501");
      }
      expect(await statusOf(tx, paper.id)).toBe("drafting");
      expect(await problemsOf(tx, c.engagementId)).toEqual([]);
    });
  });
});

describe("returning a paper", () => {
  it("needs a reason of two characters or more, goes back to drafting, and notifies the author", async () => {
    await withChain(async (tx, c) => {
      await actAs(tx, "cityMember");
      const paper = await draft(tx, c, "违规发放津补贴");
      expect(await act(tx, paper.id, "submit")).toBe("ok → deputy_review");
      expect(await actBy(tx, "cityMember", paper.id, "return", "事实不清"), "a plain member does not return").toBe(
        "42501: paper review: this step is not yours (deputy_review)",
      );
      for (const reason of [null, "", "   ", "改", " 改 "]) {
        expect(await actBy(tx, c.deputy, paper.id, "return", reason), JSON.stringify(reason)).toBe(
          "23514: paper review: a return gives its reason",
        );
      }
      expect(await notices(tx, { subjectType: "working_paper", subjectIds: [paper.id] })).toEqual([]);
      expect(await actBy(tx, c.deputy, paper.id, "return", "  事实不清，补充证据  ")).toBe("ok → drafting");

      expect(await notices(tx, { subjectType: "working_paper", subjectIds: [paper.id] })).toEqual([
        {
          userId: w.user.cityMember, kind: "paper_returned", level: "info", subjectType: "working_paper", subjectId: paper.id,
          title: "问题底稿被退回：违规发放津补贴", body: "事实不清，补充证据", link: `/papers/${paper.id}`,
        },
      ]);
      // The author reads it; the deputy who returned it does not (notifications are the user's own).
      await actAs(tx, "cityMember");
      expect(await tx`select id from public.notifications where subject_type = 'working_paper' and subject_id = ${paper.id}`).toHaveLength(1);
      await actAs(tx, c.deputy);
      expect(await tx`select id from public.notifications where subject_type = 'working_paper' and subject_id = ${paper.id}`).toHaveLength(0);

      // The reason is on the review row.
      await actAs(tx, "owner");
      const [last] = await tx<{ step: string; action: string; comment: string }[]>`
        select step::text as step, action::text as action, comment from public.working_paper_reviews
         where paper_id = ${paper.id} order by acted_at desc, id desc limit 1`;
      expect(last).toEqual({ step: "deputy_review", action: "return", comment: "事实不清，补充证据" });
    });
  });

  it("is by the step's role only: the deputy cannot return what is before the leader", async () => {
    await withChain(async (tx, c) => {
      await actAs(tx, "cityMember");
      const paper = await draft(tx, c, "违规发放津补贴");
      expect(await act(tx, paper.id, "submit")).toBe("ok → deputy_review");
      expect(await actBy(tx, c.deputy, paper.id, "approve")).toBe("ok → leader_review");
      expect(await actBy(tx, c.deputy, paper.id, "return", "再核实一下")).toBe("42501: paper review: this step is not yours (leader_review)");
      expect(await actBy(tx, c.leader, paper.id, "approve")).toBe("ok → meeting_review");
      expect(await actBy(tx, c.leader, paper.id, "return", "组务会意见：定性不准")).toBe("ok → drafting");
      expect(await statusOf(tx, paper.id)).toBe("drafting");
    });
  });
});

describe("a paper's content", () => {
  it("changes while drafting, is frozen under review (attachments too), changes again once returned, and never after approval", async () => {
    await withChain(async (tx, c) => {
      const edit = (sp: Tx, id: number, title: string) => sp`update public.working_papers set title = ${title} where id = ${id}`;
      const attach = (sp: Tx, id: number) => sp`
        insert into public.attachments (engagement_id, working_paper_id, file_name, content_type, size_bytes, sha256, content)
        select ${c.engagementId}, ${id}, '证据.txt', 'text/plain', octet_length(b), encode(sha256(b), 'hex'), b
          from (select convert_to('证据材料（测试）', 'UTF8') as b) x`;
      await actAs(tx, "cityMember");
      const paper = await draft(tx, c, "初稿标题");
      expect(await outcome(tx, (sp) => edit(sp, paper.id, "修改后的标题"))).toBe("ok");
      expect(await rolledBack(tx, (sp) => attach(sp, paper.id)), "evidence while drafting").toBe("ok");
      expect(await act(tx, paper.id, "submit")).toBe("ok → deputy_review");

      for (const who of ["cityMember", c.deputy, c.leader] as const) {
        await actAs(tx, who);
        expect(await rolledBack(tx, (sp) => edit(sp, paper.id, "审核中改标题"))).toBe("23514: a paper under review is not changed; return it first");
        expect(await rolledBack(tx, (sp) => sp`update public.working_papers set facts = '审核中改事实' where id = ${paper.id}`)).toBe(
          "23514: a paper under review is not changed; return it first",
        );
        expect(await rolledBack(tx, (sp) => attach(sp, paper.id))).toBe("23514: a paper under review is not changed; return it first");
      }
      expect(await actBy(tx, c.deputy, paper.id, "return", "补充证据")).toBe("ok → drafting");
      await actAs(tx, "cityMember");
      expect(await outcome(tx, (sp) => edit(sp, paper.id, "退回后修改的标题"))).toBe("ok");
      expect(await rolledBack(tx, (sp) => attach(sp, paper.id))).toBe("ok");

      for (const [who, action] of [["cityMember", "submit"], [c.deputy, "approve"], [c.leader, "approve"], [c.leader, "approve"]] as const) {
        expect(await actBy(tx, who, paper.id, action)).toMatch(/^ok/);
      }
      await actAs(tx, "cityMember");
      expect(await rolledBack(tx, (sp) => edit(sp, paper.id, "通过后改标题"))).toBe("23514: a paper under review is not changed; return it first");
      const problems = await problemsOf(tx, c.engagementId);
      expect(problems.map((p) => p.title), "the problem carries the returned-and-corrected title").toEqual(["退回后修改的标题"]);
    });
  });
});
