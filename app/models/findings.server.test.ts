import { afterAll, describe, expect, it } from "vitest";
import type { Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import type { PaperInput } from "~/lib/schemas/findings";
import { closeTestSql } from "../../supabase/tests/support/db";
import { outcome, rolledBack, withScenario, type Scenario } from "../../supabase/tests/support/engagements";
import {
  advancePaper,
  CATEGORY_REFUSALS,
  categoryTree,
  countByTopCategory,
  createCategory,
  createPaper,
  FindingsRefusal,
  getPaper,
  groupMemberOptions,
  listCategories,
  listPapers,
  listProblems,
  mayAct,
  myGroupRole,
  PAPER_REFUSALS,
  paperReviews,
  REVIEW_REFUSALS,
  reviewChain,
  searchProblems,
  setCategoryActive,
  updatePaper,
  type ReviewRow,
} from "./findings.server";

/**
 * Findings under RLS, on the engagement scenario of supabase/tests/support (rolled back):
 * the city's group (hrb.member in it) drafts and reviews working papers of the city's
 * stationed engagement; the city office and the province read them and write nothing;
 * a county office sees nothing. The review chain is the database's
 * (public.advance_working_paper); these tests drive it through the model.
 */

afterAll(closeTestSql);

type Refusal = { code?: string; message?: string; detail?: string; constraint_name?: string };

/** The first refusal matching an error, as saveSubmission picks it: [field, text]. */
function say(refusals: DbRefusal[], e: Refusal): [string | null, string] | undefined {
  const r = refusals.find((x) => x.code === e.code && (!x.match || x.match.test(`${e.constraint_name ?? ""} ${e.message ?? ""}`)));
  return r ? [r.field, typeof r.message === "function" ? r.message(e as { detail?: string }) : r.message] : undefined;
}

/** Runs `fn` in a savepoint that is always rolled back; the error it raised (or null). */
async function errorOf(tx: Tx, fn: (sp: Tx) => Promise<unknown>): Promise<Refusal | null> {
  const marker = new Error("ok");
  try {
    await tx.savepoint(async (sp) => {
      await fn(sp as unknown as Tx);
      throw marker;
    });
  } catch (error) {
    if (error === marker) return null;
    return error as Refusal;
  }
  return null;
}

async function categoryId(tx: Tx, code: string): Promise<number> {
  const [row] = await tx<{ id: number }[]>`select id::int as id from public.problem_categories where code = ${code} and org_id is null`;
  return row.id;
}

/** As the owner: hrb.member becomes the leader of the city's group (the fixture leader a member). */
async function makeMemberLeader(tx: Tx, s: Scenario) {
  await tx`update public.group_members set role = 'member' where id = ${s.memberRow("230100组长")}`;
  await tx`update public.group_members set role = 'leader' where id = ${s.memberRow("市巡察组成员账号")}`;
}

async function paperInput(tx: Tx, s: Scenario, title: string, code = "discipline.integrity"): Promise<PaperInput> {
  return {
    title,
    facts: `${title}：2025年以来违规发放津贴补贴12.6万元。`,
    evidence: "财务凭证第3册第12页",
    categoryId: await categoryId(tx, code),
    severity: "serious",
    disciplineForm: "1",
    onTheSpot: false,
    handlerMemberId: s.memberRow("市巡察组成员账号"),
  };
}

describe("working papers under RLS", () => {
  it("the group drafts; the office and the province read only; a county office sees nothing", async () => {
    await withScenario(async (tx, s, as) => {
      const e = s.e("230100常规");
      const input = await paperInput(tx, s, "违规发放津贴补贴");

      await as("cityMember");
      const paper = await createPaper(tx, e.id, input);
      expect(paper.seq).toBe(1);
      const mine = await getPaper(tx, paper.id);
      expect(mine).toMatchObject({
        title: "违规发放津贴补贴", status: "drafting", severity: "serious", disciplineForm: "1", groupId: e.groupId,
        executingOrgId: e.executingOrgId, categoryName: "廉洁纪律", topCategoryName: "违反六项纪律", handlerName: expect.any(String),
      });
      expect(await myGroupRole(tx, e.groupId)).toBe("member");
      const members = await groupMemberOptions(tx, e.groupId);
      expect(members.map((m) => m.role)).toEqual(["leader", "member"]);
      // Edited while drafting.
      expect(await updatePaper(tx, paper.id, input.categoryId, { ...input, title: "违规发放津贴补贴问题" })).toBe(true);

      for (const office of ["city", "province"] as const) {
        await as(office);
        expect((await listPapers(tx, e.id)).map((p) => p.title), office).toEqual(["违规发放津贴补贴问题"]);
        expect(await myGroupRole(tx, e.groupId), office).toBeNull();
        // The office writes nothing: the update matches no row, an insert and a review step are refused.
        expect(await updatePaper(tx, paper.id, input.categoryId, { ...input, title: "办公室改写" }), office).toBe(false);
        expect((await errorOf(tx, (sp) => createPaper(sp, e.id, input)))?.code, office).toBe("42501");
        expect((await errorOf(tx, (sp) => advancePaper(sp, paper.id, "submit", null)))?.code, office).toBe("42501");
      }

      await as("nangang");
      expect(await listPapers(tx, e.id)).toEqual([]);
      expect(await getPaper(tx, paper.id)).toBeUndefined();
      expect(await paperReviews(tx, paper.id)).toEqual([]);

      // The cross group's member (道里) is in another group: nothing of this one.
      await as("daoliMember");
      expect(await getPaper(tx, paper.id)).toBeUndefined();
      expect((await errorOf(tx, (sp) => createPaper(sp, e.id, input)))?.code).toBe("42501");
    });
  });

  it("moves one step at a time, each by its role; a return with its reason goes back to drafting", async () => {
    await withScenario(async (tx, s, as) => {
      const e = s.e("230100常规");
      const input = await paperInput(tx, s, "公务接待超标准");

      await as("cityMember");
      const { id } = await createPaper(tx, e.id, input);
      // A member submits, but may not approve the deputy's step.
      expect(await advancePaper(tx, id, "submit", null)).toBe("deputy_review");
      const notYours = await errorOf(tx, (sp) => advancePaper(sp, id, "approve", null));
      expect(notYours?.code).toBe("42501");
      expect(say(REVIEW_REFUSALS, notYours!)).toEqual([null, "本环节应由副组长（或组长）审核"]);
      // Content is frozen under review, and the refusal reads in Chinese.
      const frozen = await errorOf(tx, (sp) => updatePaper(sp, id, input.categoryId, { ...input, title: "改了" }));
      expect(say(PAPER_REFUSALS, frozen!)).toEqual([null, "底稿已提交审核，内容和附件不能修改；如需修改，请由审核人退回后再改。"]);
      expect(mayAct("deputy_review", "member", "approve")).toBe(false);

      await as("owner");
      await makeMemberLeader(tx, s);
      await as("cityMember");
      expect(await myGroupRole(tx, e.groupId)).toBe("leader");
      // A return needs its reason.
      const bare = await errorOf(tx, (sp) => advancePaper(sp, id, "return", " "));
      expect(say(REVIEW_REFUSALS, bare!)).toEqual(["comment", "退回须填写理由。"]);
      expect(await advancePaper(tx, id, "return", "请补充证据材料页码")).toBe("drafting");
      expect((await getPaper(tx, id))?.status).toBe("drafting");
      expect(await updatePaper(tx, id, input.categoryId, { ...input, evidence: "财务凭证第3册第12—15页" })).toBe(true);

      // Round two: submit, then the three approvals; the last puts it on the problem list.
      expect(await advancePaper(tx, id, "submit", null)).toBe("deputy_review");
      expect(await advancePaper(tx, id, "approve", "同意")).toBe("leader_review");
      expect(await advancePaper(tx, id, "approve", null)).toBe("meeting_review");
      expect(await listProblems(tx, e.id)).toEqual([]);
      expect(await advancePaper(tx, id, "approve", "组务会审议通过")).toBe("approved");
      const again = await errorOf(tx, (sp) => advancePaper(sp, id, "approve", null));
      expect(say(REVIEW_REFUSALS, again!)?.[1]).toBe("底稿已审议通过，不能再办理。");

      const reviews = await paperReviews(tx, id);
      expect(reviews.map((r) => `${r.step}:${r.action}`)).toEqual([
        "drafting:submit", "deputy_review:return", "drafting:submit", "deputy_review:approve", "leader_review:approve",
        "meeting_review:approve",
      ]);
      expect(reviews[1]).toMatchObject({ comment: "请补充证据材料页码", actedAs: "leader" });
      const chain = reviewChain("approved", reviews);
      expect(chain.map((c) => c.state)).toEqual(["done", "done", "done", "done", "done"]);
      // The chain shows this round's acts, not the returned round's.
      expect(chain[1].review?.action).toBe("approve");
      expect(chain[0].review?.id).toBe(reviews[2].id);

      const problems = await listProblems(tx, e.id);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        title: "公务接待超标准", topCategoryName: "违反六项纪律", categoryName: "廉洁纪律", severity: "serious",
        disciplineForm: "1", onTheSpot: false, fedBack: false, workingPaperId: id,
      });

      // The office sees the problem; a county office does not.
      await as("city");
      expect((await listProblems(tx, e.id)).map((p) => p.id)).toEqual([problems[0].id]);
      await as("nangang");
      expect(await listProblems(tx, e.id)).toEqual([]);
    });
  });

  it("refuses a category the caller cannot see and a handler from another group", async () => {
    await withScenario(async (tx, s, as) => {
      const e = s.e("230100常规");
      const input = await paperInput(tx, s, "选人用人不规范", "appointments");
      await as("city");
      const cityCategory = await createCategory(tx, s.g("230100").executingOrgId, { name: "营商环境问题" });
      await as("cityMember");
      // Group members see the common dictionary only; the office's addition is not theirs to use.
      const refused = await errorOf(tx, (sp) => createPaper(sp, e.id, { ...input, categoryId: cityCategory }));
      expect(refused).toBeInstanceOf(FindingsRefusal);
      expect(say(PAPER_REFUSALS, refused!)).toEqual(["categoryId", "所选问题类别不存在或已停用"]);
      const stranger = await errorOf(tx, (sp) => createPaper(sp, e.id, { ...input, handlerMemberId: s.memberRow("交叉组长") }));
      expect(say(PAPER_REFUSALS, stranger!)).toEqual(["handlerMemberId", "承办人须为本巡察组成员"]);
      expect(await rolledBack(tx, (sp) => createPaper(sp, e.id, input))).toBe("ok");
    });
  });
});

describe("the category dictionary", () => {
  it("an office adds to its own org; its line inherits; the common taxonomy is read-only", async () => {
    await withScenario(async (tx, s, as) => {
      const cityOrg = s.g("230100").executingOrgId;
      const discipline = await categoryId(tx, "discipline");
      await as("city");
      const top = await createCategory(tx, cityOrg, { name: "优化营商环境问题" });
      const child = await createCategory(tx, cityOrg, { name: "涉企检查过多过频", parentId: discipline });
      const dup = await errorOf(tx, (sp) => createCategory(sp, cityOrg, { name: "涉企检查过多过频", parentId: discipline }));
      expect(say(CATEGORY_REFUSALS, dup!)).toEqual(["name", "同一上级分类下已有同名分类"]);
      const deep = await errorOf(tx, (sp) => createCategory(sp, cityOrg, { name: "第三级", parentId: child }));
      expect(say(CATEGORY_REFUSALS, deep!)?.[0]).toBe("parentId");
      // Not the common taxonomy, not another org.
      expect(await outcome(tx, (sp) => sp`insert into public.problem_categories (code, name) values ('x_common', '通用新增')`)).toMatch(/^42501/);
      expect(await outcome(tx, (sp) => sp`update public.problem_categories set name = '改名' where org_id is null`)).toBe("ok");
      expect((await listCategories(tx)).find((c) => c.orgId === null && c.name === "改名")).toBeUndefined();

      const tree = categoryTree(await listCategories(tx));
      expect(tree[0].top.orgId).toBeNull();
      expect(tree.find((g) => g.top.id === top)?.top.name).toBe("优化营商环境问题");
      expect(tree.find((g) => g.top.id === discipline)?.children.map((c) => c.name)).toContain("涉企检查过多过频");

      for (const reader of ["daoli", "province"] as const) {
        await as(reader);
        expect((await listCategories(tx)).map((c) => c.id), reader).toEqual(expect.arrayContaining([top, child]));
        expect(await setCategoryActive(tx, top, false), `${reader} cannot deactivate the city's`).toBeUndefined();
      }
      await as("cityMember");
      expect((await listCategories(tx)).some((c) => c.id === top)).toBe(false);
      await as("qqhr");
      expect((await listCategories(tx)).some((c) => c.id === top)).toBe(false);

      await as("city");
      expect((await setCategoryActive(tx, top, false))?.active).toBe(false);
      expect(categoryTree(await listCategories(tx), { usable: true }).some((g) => g.top.id === top)).toBe(false);
      expect(categoryTree(await listCategories(tx), { usable: true, keep: top }).some((g) => g.top.id === top)).toBe(true);
      expect(await setCategoryActive(tx, discipline, false), "the common taxonomy stays").toBeUndefined();
    });
  });
});

describe("thematic search", () => {
  it("finds the problems of every engagement the office sees, and nothing of others'", async () => {
    await withScenario(async (tx, s, as) => {
      const e = s.e("230100常规");
      await makeMemberLeader(tx, s);
      await as("cityMember");
      const { id } = await createPaper(tx, e.id, await paperInput(tx, s, "专题检索测试问题甲"));
      for (const action of ["submit", "approve", "approve", "approve"] as const) await advancePaper(tx, id, action, null);

      await as("city");
      const hit = await searchProblems(tx, { q: "专题检索测试问题" });
      expect(hit.rows.map((r) => r.title)).toEqual(["专题检索测试问题甲"]);
      expect(hit.rows[0]).toMatchObject({ unitName: expect.any(String), topCategoryName: "违反六项纪律", engagementId: e.id });
      expect((await searchProblems(tx, { q: "专题检索测试问题", category: await categoryId(tx, "four_styles") })).rows).toEqual([]);
      expect((await searchProblems(tx, { q: "专题检索测试问题", category: await categoryId(tx, "discipline") })).rows).toHaveLength(1);
      await as("province");
      expect((await searchProblems(tx, { q: "专题检索测试问题" })).rows).toHaveLength(1);
      for (const other of ["nangang", "qqhr"] as const) {
        await as(other);
        expect((await searchProblems(tx, { q: "专题检索测试问题" })).rows, other).toEqual([]);
      }
    });
  });
});

describe("the chain, in the abstract", () => {
  const review = (id: number, step: ReviewRow["step"], action: ReviewRow["action"]): ReviewRow => ({
    id, step, action, comment: null, actedAs: "leader", actedBy: "郑海涛", actedAt: new Date(2026, 10, id),
  });

  it("offers each step only to its role", () => {
    expect(mayAct("drafting", "member", "submit")).toBe(true);
    expect(mayAct("drafting", null, "submit")).toBe(false);
    expect(mayAct("deputy_review", "deputy", "approve")).toBe(true);
    expect(mayAct("deputy_review", "leader", "return")).toBe(true);
    expect(mayAct("leader_review", "deputy", "approve")).toBe(false);
    expect(mayAct("meeting_review", "leader", "approve")).toBe(true);
    expect(mayAct("approved", "leader", "approve")).toBe(false);
  });

  it("marks the current step and who acted on the ones done", () => {
    const chain = reviewChain("leader_review", [review(1, "drafting", "submit"), review(2, "deputy_review", "approve")]);
    expect(chain.map((c) => c.state)).toEqual(["done", "done", "current", "todo", "todo"]);
    expect(chain.map((c) => c.label)).toEqual(["承办人起草", "副组长审核", "组长审核", "组务会审议", "通过"]);
    expect(chain[1].review?.actedBy).toBe("郑海涛");
    const back = reviewChain("drafting", [review(1, "drafting", "submit"), review(2, "deputy_review", "return")]);
    expect(back.map((c) => c.state)).toEqual(["current", "todo", "todo", "todo", "todo"]);
    expect(back.every((c) => c.review === null)).toBe(true);
  });

  it("counts by top category in the list's order", () => {
    const p = (topCategoryId: number, topCategoryName: string, onTheSpot = false) => ({ topCategoryId, topCategoryName, onTheSpot });
    expect(countByTopCategory([p(4, "违反六项纪律"), p(4, "违反六项纪律", true), p(5, "四风问题")])).toEqual([
      { topCategoryId: 4, name: "违反六项纪律", count: 2, onTheSpot: 1 },
      { topCategoryId: 5, name: "四风问题", count: 1, onTheSpot: 0 },
    ]);
  });
});
