import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql } from "./support/db";
import { attempt, CODES, rolledBack, withScenario, world, type Scenario, type World } from "./support/engagements";
import {
  actAs,
  financeEngagement,
  kept,
  ownerItems,
  ownerLeads,
  ownerProblems,
  reported,
  type FinanceEngagement,
} from "./support/findings";

/**
 * Effectiveness evaluation (整改成效评估) and public disclosure (整改情况公示), step 9.
 * An evaluation comes six months after feedback at the earliest; its score is the points
 * kept over the template's points (× 100) and its grade follows (优秀 ≥ 90, 较好 ≥ 80,
 * 一般 ≥ 60, else 差), false reporting vetoing to 差, all kept by the database from the
 * scores; a template in use does not change. A publication is the database's snapshot
 * (counts by category, no names, no leads, no papers), readable by anyone (anon) through
 * a few granted columns until it is withdrawn. Everything is rolled back.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

interface Fx {
  s: Scenario;
  e: FinanceEngagement;
  /** Four problems: 形式主义 ×2, 财政资金 ×1 fed back on 2026-03-02; a 党的领导 one kept back. */
  problems: number[];
  items: { closed: number; open: number; splitClosed: number; splitOpen: number };
  /** An engagement of the city without feedback. */
  unfedId: number;
}

/**
 * The 财政局 engagement fed back (by the office, through give_feedback) on 2026-03-02.
 * Items: problem 1 closed; problem 2 open; problem 3 with two items, one closed, one open.
 * So 3 fed back, 1 rectified. A lead on problem 1 names a person.
 */
function withFx<T>(fn: (tx: Tx, f: Fx) => Promise<T>): Promise<T> {
  return withScenario(async (tx, s) => {
    const e = await financeEngagement(tx, s);
    const problems = await ownerProblems(tx, e.id, [
      { category: "four_styles.formalism", n: 2 },
      { category: "fiscal_funds", n: 1 },
      { category: "leadership.decisions", n: 1 },
    ]);
    await reported(tx, e.id, "2026-02-10", "2026-02-20");
    await actAs(tx, "city");
    await tx`select public.give_feedback(${e.id}, '2026-03-02', 'centralized', '巡察组全体成员', null, '市财政局党组', null,
                                         ${problems.slice(0, 3)}::bigint[])`;
    await actAs(tx, "owner");
    const [closed] = await ownerItems(tx, [problems[0]], { kind: "deadline", deadline: "2026-06-30", status: "closed" });
    const [open] = await ownerItems(tx, [problems[1]], { kind: "deadline", deadline: "2026-06-30" });
    const [splitClosed] = await ownerItems(tx, [problems[2]], { kind: "immediate", deadline: "2026-04-30", status: "closed" });
    const [splitOpen] = await ownerItems(tx, [problems[2]], { kind: "long_term" });
    const [lead] = await ownerLeads(tx, e.id, { problemIds: [problems[0]], receivingOrgId: null });
    await tx`insert into private.lead_persons (lead_id, person_name, person_post) values (${lead}, '张某某', '财政局副局长')`;
    return fn(tx, { s, e, problems, items: { closed, open, splitClosed, splitOpen }, unfedId: s.e(`${CODES.city}常规`).id });
  });
}

// ---------------------------------------------------------------- evaluation

/** The city's template: three indicators worth 40 + 25 + 15 = 80 points. */
async function template(tx: Tx, orgId: number, name = "巡察整改成效评估（测试）") {
  const [t] = await tx<{ id: number }[]>`
    insert into public.evaluation_templates (org_id, name) values (${orgId}, ${name}) returning id::int as id`;
  const indicators = await tx<{ id: number }[]>`
    insert into public.evaluation_indicators (template_id, area, name, points, guidance, sort)
    values (${t.id}, '整改责任', '主体责任落实', 40, '未成立整改领导小组扣5分', 1),
           (${t.id}, '问题整改', '问题整改完成情况', 25, '每有一项未完成扣2分', 2),
           (${t.id}, '长效机制', '制度建设', 15, null, 3)
    returning id::int as id`;
  return { id: t.id, indicators: indicators.map((i) => i.id) };
}

const evaluate = (sp: Tx, engagementId: number, templateId: number, on: string, o: { falseReporting?: boolean } = {}) =>
  sp<{ id: number; score: string; grade: string }[]>`
    insert into public.rectification_evaluations (engagement_id, template_id, evaluated_on, false_reporting, conclusion, score, grade)
    values (${engagementId}, ${templateId}, ${on}, ${o.falseReporting ?? false}, '整改总体到位', 12, 'poor')
    returning id::int as id, score::text as score, grade::text as grade`;

async function result(tx: Tx, evaluationId: number) {
  const [r] = await tx<{ score: string; grade: string }[]>`
    select score::text as score, grade::text as grade from public.rectification_evaluations where id = ${evaluationId}`;
  return `${r.score} ${r.grade}`;
}

describe("rectification evaluation (整改成效评估)", () => {
  it("comes six months after feedback at the earliest (the refusal names the earliest date), never in the future, never without feedback", async () => {
    await withFx(async (tx, f) => {
      await actAs(tx, "city");
      const t = await template(tx, w.org.city);
      expect(await rolledBack(tx, (sp) => evaluate(sp, f.e.id, t.id, "2026-09-01"))).toBe(
        "23514: evaluation: six months after feedback at the earliest (2026-09-02)",
      );
      expect(await rolledBack(tx, (sp) => evaluate(sp, f.e.id, t.id, "2026-03-02"))).toBe(
        "23514: evaluation: six months after feedback at the earliest (2026-09-02)",
      );
      expect(await rolledBack(tx, (sp) => evaluate(sp, f.unfedId, t.id, "2026-09-02")), "no feedback").toBe(
        "23514: evaluation: six months after feedback at the earliest",
      );
      expect(await rolledBack(tx, (sp) => evaluate(sp, f.e.id, t.id, "2999-01-01"))).toBe("22007: evaluation: the date is not in the future");
      const [ok] = await evaluate(tx, f.e.id, t.id, "2026-09-02");
      expect(ok, "the client's score and grade are ignored").toMatchObject({ score: "100.00", grade: "excellent" });
      // Moving it before the earliest date later is refused too.
      expect(await rolledBack(tx, (sp) => sp`update public.rectification_evaluations set evaluated_on = '2026-08-31' where id = ${ok.id}`)).toBe(
        "23514: evaluation: six months after feedback at the earliest (2026-09-02)",
      );
    });
  });

  it("scores kept points over total points × 100, grades at 90 / 80 / 60, and recomputes on every score", async () => {
    await withFx(async (tx, f) => {
      await actAs(tx, "city");
      const t = await template(tx, w.org.city);
      const [first, second] = t.indicators;
      const [ev] = await evaluate(tx, f.e.id, t.id, "2026-09-02");
      const score = async (indicatorId: number, deduction: number) =>
        kept(tx, (sp) => sp`
          insert into public.evaluation_scores (evaluation_id, indicator_id, deduction, note) values (${ev.id}, ${indicatorId}, ${deduction}, '测试扣分')
          on conflict (evaluation_id, indicator_id) do update set deduction = excluded.deduction`);
      const steps: [number, number, string][] = [
        [first, 8, "90.00 excellent"], // 72 / 80
        [first, 8.1, "89.88 good"], // 71.9 / 80
        [first, 16, "80.00 good"], // 64 / 80
        [first, 16.1, "79.88 fair"],
        [first, 32, "60.00 fair"], // 48 / 80
        [first, 33, "58.75 poor"],
        [first, 0, "100.00 excellent"],
        [second, 25, "68.75 fair"], // a whole indicator lost: 55 / 80
      ];
      for (const [indicator, deduction, expected] of steps) {
        expect(await score(indicator, deduction)).toBe("ok");
        expect(await result(tx, ev.id), `deduction ${deduction}`).toBe(expected);
      }
      expect(await score(second, 25.5), "more than the indicator's points").toBe("23514: evaluation: a deduction is at most the indicator's points");
      expect(await score(first, -1)).toMatch(/^23514: .*evaluation_scores_deduction_check/);
      const other = await template(tx, w.org.city, "另一个模板");
      expect(await score(other.indicators[0], 1), "an indicator of another template").toBe("23514: evaluation: the indicator is not of this template");
      expect(await result(tx, ev.id), "unchanged by the refusals").toBe("68.75 fair");

      // 一票否决: false reporting makes it 差 whatever the score.
      expect(await score(second, 0)).toBe("ok");
      expect(await result(tx, ev.id)).toBe("100.00 excellent");
      await tx`update public.rectification_evaluations set false_reporting = true where id = ${ev.id}`;
      expect(await result(tx, ev.id)).toBe("100.00 poor");
      await tx`update public.rectification_evaluations set false_reporting = false where id = ${ev.id}`;
      expect(await result(tx, ev.id)).toBe("100.00 excellent");
      // The stored figures cannot be set by hand.
      await tx`update public.rectification_evaluations set score = 5, grade = 'poor' where id = ${ev.id}`;
      expect(await result(tx, ev.id)).toBe("100.00 excellent");
    });
  });

  it("keeps a template in use unchanged: its indicators are neither added, changed nor removed", async () => {
    await withFx(async (tx, f) => {
      await actAs(tx, "city");
      const t = await template(tx, w.org.city);
      const [first, , third] = t.indicators;
      const change = {
        add: (sp: Tx) => sp`insert into public.evaluation_indicators (template_id, area, name, points) values (${t.id}, '新增领域', '新增指标', 10)`,
        points: (sp: Tx) => sp`update public.evaluation_indicators set points = 50 where id = ${first}`,
        remove: (sp: Tx) => sp`delete from public.evaluation_indicators where id = ${third}`,
      };
      // Not yet used: the office may still edit it.
      for (const [what, run] of Object.entries(change)) expect(await rolledBack(tx, run), `unused: ${what}`).toBe("ok");

      const [ev] = await evaluate(tx, f.e.id, t.id, "2026-09-02");
      await tx`insert into public.evaluation_scores (evaluation_id, indicator_id, deduction) values (${ev.id}, ${first}, 8)`;
      expect(await result(tx, ev.id)).toBe("90.00 excellent");
      for (const [what, run] of Object.entries(change)) {
        expect(await rolledBack(tx, run), `in use: ${what}`).toBe("23514: evaluation: a template in use is not changed; make a new one");
      }
      expect(await result(tx, ev.id), "the evaluation's basis is intact").toBe("90.00 excellent");
    });
  });

  it("is the supervising office's: written by it only, read by it and its ancestors, with a template of its own line", async () => {
    await withFx(async (tx, f) => {
      await actAs(tx, "province");
      const provinceTemplate = await template(tx, w.org.province, "省级模板");
      await actAs(tx, "qqhr");
      const siblingTemplate = await template(tx, w.org.qqhr, "齐齐哈尔模板");
      await actAs(tx, "city");
      const t = await template(tx, w.org.city);
      for (const who of ["province", "provinceStaff", "qqhr", "unit", "unitHead", "cityMember", "daoli"] as const) {
        await actAs(tx, who);
        expect((await rolledBack(tx, (sp) => evaluate(sp, f.e.id, t.id, "2026-09-02"))).split(":")[0], who).toBe("42501");
      }
      await actAs(tx, "city");
      expect(await rolledBack(tx, (sp) => evaluate(sp, f.e.id, siblingTemplate.id, "2026-09-02"))).toBe(
        "23514: evaluation: not a template of this office's line",
      );
      expect(await rolledBack(tx, (sp) => evaluate(sp, f.e.id, provinceTemplate.id, "2026-09-02")), "the province's template").toBe("ok");
      const [ev] = await evaluate(tx, f.e.id, t.id, "2026-09-02");
      const visible = async () => (await tx`select id from public.rectification_evaluations where id = ${ev.id}`).length;
      for (const [who, n] of [["city", 1], ["province", 1], ["qqhr", 0], ["daoli", 0], ["unit", 0], ["unitHead", 0], ["cityMember", 0]] as const) {
        await actAs(tx, who);
        expect(await visible(), who).toBe(n);
      }
    });
  });
});

// ---------------------------------------------------------------- disclosure

const SLUG = "hrbczj2026zgqkgs0001";

const publish = (sp: Tx, engagementId: number, slug = SLUG) =>
  sp<{ id: number; snapshot: unknown; publishedBy: string; unitName: string; officeName: string; supervisingOrgId: number }[]>`
    insert into public.rectification_disclosures (engagement_id, slug, title, summary, snapshot, published_by, supervising_org_id,
                                                   unit_name, office_name)
    values (${engagementId}, ${slug}, '关于市财政局巡察整改情况的通报', '市财政局党组认真落实巡察反馈意见，整改工作取得阶段性成效。',
            '{"fedBack": 999, "names": ["某某"]}'::jsonb, ${w.user.qqhr}, ${w.org.qqhr}, '伪造的单位', '伪造的巡察办')
    returning id::int as id, snapshot, published_by::text as "publishedBy", unit_name as "unitName", office_name as "officeName",
              supervising_org_id as "supervisingOrgId"`;

const ANON_COLUMNS = "slug, title, unit_name, office_name, summary, snapshot, published_at, withdrawn_at";

/** As anon (no claims), what the public page reads. */
async function asAnon<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  await actAs(tx, "owner");
  await tx`set local role anon`;
  try {
    return await fn();
  } finally {
    await tx`reset role`;
  }
}

describe("public disclosure (整改情况公示)", () => {
  it("comes after feedback", async () => {
    await withFx(async (tx, f) => {
      await actAs(tx, "city");
      expect(await rolledBack(tx, (sp) => publish(sp, f.unfedId))).toBe("23514: disclosure: the unit has had feedback first");
    });
  });

  it("publishes the database's snapshot: counts by category, no names, no leads, no papers", async () => {
    await withFx(async (tx, f) => {
      await actAs(tx, "city");
      const [d] = await publish(tx, f.e.id);
      expect(d).toMatchObject({ publishedBy: w.user.city, unitName: "哈尔滨市财政局", officeName: "哈尔滨市委巡察办", supervisingOrgId: w.org.city });
      expect(d.snapshot).toEqual({
        fedBack: 3,
        rectified: 1,
        byCategory: [
          { category: "四风问题", fedBack: 2, rectified: 1 },
          { category: "违规使用财政资金", fedBack: 1, rectified: 0 },
        ],
      });
      const snapshot = d.snapshot as { byCategory: Record<string, unknown>[] };
      expect(Object.keys(snapshot).sort()).toEqual(["byCategory", "fedBack", "rectified"]);
      for (const c of snapshot.byCategory) expect(Object.keys(c).sort()).toEqual(["category", "fedBack", "rectified"]);
      const text = JSON.stringify(d.snapshot);
      // Responsible persons and leaders of the items, the lead and its person, the papers and problems.
      for (const secret of ["责任人甲", "分管副局长", "办公室", "测试线索", "张某某", "副局长", "测试问题", "措施"]) {
        expect(text, secret).not.toContain(secret);
      }

      // A snapshot, not a live view: closing the open item later does not change it.
      await actAs(tx, "owner");
      await tx`update public.rectification_items set status = 'closed' where id = ${f.items.open}`;
      await actAs(tx, "city");
      const [again] = await tx<{ snapshot: { rectified: number } }[]>`select snapshot from public.rectification_disclosures where id = ${d.id}`;
      expect(again.snapshot.rectified).toBe(1);
      const [next] = await publish(tx, f.e.id, "hrbczj2026zgqkgs0002");
      expect((next.snapshot as { rectified: number }).rectified, "a new publication counts again").toBe(2);
    });
  });

  it("is published and withdrawn by the supervising office only, and never edited", async () => {
    await withFx(async (tx, f) => {
      for (const who of ["unit", "unitHead", "cityMember", "province", "qqhr", "daoli", "partner"] as const) {
        await actAs(tx, who);
        expect((await rolledBack(tx, (sp) => publish(sp, f.e.id))).split(":")[0], who).toBe("42501");
      }
      await actAs(tx, "city");
      const [d] = await publish(tx, f.e.id);
      for (const column of ["title = '改标题'", "summary = '改摘要改摘要改摘要'", `snapshot = '{}'::jsonb`, "published_at = now()"]) {
        expect(await attempt(tx, (sp) => sp.unsafe(`update public.rectification_disclosures set ${column} where id = $1`, [d.id])), column).toBe("42501");
      }
      for (const who of ["province", "qqhr", "unit"] as const) {
        await actAs(tx, who);
        expect(await attempt(tx, (sp) => sp`update public.rectification_disclosures set withdrawn_at = now() where id = ${d.id}`), who).toBe("rows:0");
      }
      await actAs(tx, "qqhr");
      expect(await tx`select id from public.rectification_disclosures where id = ${d.id}`, "a sibling office").toHaveLength(0);
      await actAs(tx, "province");
      expect(await tx`select id from public.rectification_disclosures where id = ${d.id}`, "an ancestor").toHaveLength(1);
    });
  });

  it("is readable by anyone (anon) through the granted columns only, until withdrawn", async () => {
    await withFx(async (tx, f) => {
      await actAs(tx, "city");
      const [d] = await publish(tx, f.e.id);

      await asAnon(tx, async () => {
        const rows = await tx.unsafe(`select ${ANON_COLUMNS} from public.rectification_disclosures where slug = $1`, [SLUG]);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ slug: SLUG, unit_name: "哈尔滨市财政局", office_name: "哈尔滨市委巡察办", withdrawn_at: null });
        for (const column of ["supervising_org_id", "published_by", "engagement_id", "id", "province_id", "*"]) {
          expect(await attempt(tx, (sp) => sp.unsafe(`select ${column} from public.rectification_disclosures`)), column).toBe("42501");
        }
        expect(
          await attempt(tx, (sp) => sp.unsafe(`select slug from public.rectification_disclosures where published_by is not null`)),
          "filtering on a hidden column",
        ).toBe("42501");
        expect(await attempt(tx, (sp) => sp`update public.rectification_disclosures set withdrawn_at = now()`), "anon withdraws").toBe("42501");
        expect(await attempt(tx, (sp) => publish(sp, f.e.id, "anon0000000000000001")), "anon publishes").toBe("42501");
        // Nor any rectification table behind it.
        for (const table of ["rectification_items", "problems", "feedbacks", "rectification_evaluations"]) {
          expect(await attempt(tx, (sp) => sp.unsafe(`select 1 from public.${table}`)), table).toBe("42501");
        }
      });

      await actAs(tx, "city");
      expect((await tx`update public.rectification_disclosures set withdrawn_at = now() where id = ${d.id}`).count).toBe(1);
      await asAnon(tx, async () => {
        expect(await tx.unsafe(`select ${ANON_COLUMNS} from public.rectification_disclosures where slug = $1`, [SLUG]), "withdrawn").toHaveLength(0);
      });
      await actAs(tx, "city");
      expect(await tx`select id from public.rectification_disclosures where id = ${d.id} and withdrawn_at is not null`, "the office keeps it").toHaveLength(1);
    });
  });
});
