import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "~/lib/db.server";
import { shanghaiDate } from "~/lib/figures";
import { evaluationSchemaFor, previewScore, type EvaluationInput } from "~/lib/schemas/evaluation";
import { closeTestSql } from "../../supabase/tests/support/db";
import { CODES, withScenario, world, type World } from "../../supabase/tests/support/engagements";
import { kept, reported } from "../../supabase/tests/support/findings";
import { fx } from "../../supabase/tests/support/matrix-harness";
import {
  addIndicator,
  copyTemplate,
  createEvaluation,
  createTemplate,
  evaluationContext,
  getTemplate,
  listEvaluations,
  listTemplates,
  recentEvaluations,
  removeIndicator,
  setTemplateActive,
  templateIndicators,
  updateIndicator,
  usableTemplates,
} from "./evaluations.server";

/**
 * The evaluation model over a real PostgreSQL, inside owner transactions that are always
 * rolled back, acting as the demo offices: templates of the office's line, indicators
 * and their total, a template in use refused any change, the six-month rule with its
 * earliest date, the score and grade computed by the database (and the form's preview
 * agreeing with it), and the veto.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

type As = (who: "city" | "province" | "daoli" | "nangang" | "leader" | "owner") => Promise<void>;

/** As the city: a template of three indicators (40 + 30 + 30 = 100 points). */
async function cityTemplate(tx: Tx, as: As, name = "测试评估模板") {
  await as("city");
  const id = await createTemplate(tx, w.org.city, name);
  const a = await addIndicator(tx, id, { area: "整改责任", name: "主体责任落实", points: 40, guidance: "未成立整改领导小组扣 10 分" });
  const b = await addIndicator(tx, id, { area: "整改成效", name: "问题整改到位", points: 30 });
  const c = await addIndicator(tx, id, { area: "长效机制", name: "制度建设", points: 30 });
  return { id, indicators: [a, b, c] };
}

/** As the owner: a stationed engagement of the city fed back on `feedbackOn` (stage dates only). */
async function fedBackEngagement(tx: Tx, s: Parameters<Parameters<typeof withScenario>[0]>[1], feedbackOn: string) {
  const e = await fx.engagement(tx, s.round.get(CODES.city)!, s.g(CODES.city).id, w.units.city[5], "regular", "2025-03-03");
  await reported(tx, e.id, "2025-04-10", "2025-04-20");
  await tx`update public.engagements set feedback_on = ${feedbackOn}, rectification_due = ${feedbackOn}::date + 60 where id = ${e.id}`;
  return e.id;
}

const input = (templateId: number, indicators: number[], deductions: number[], o: Partial<EvaluationInput> = {}): EvaluationInput => ({
  templateId,
  evaluatedOn: "2026-01-15",
  scores: indicators.map((indicatorId, i) => ({ indicatorId, deduction: deductions[i] ?? 0, note: deductions[i] ? "扣分说明" : undefined })),
  falseReporting: false,
  conclusion: "整改总体到位",
  ...o,
});

describe("templates", () => {
  it("an office sees its own templates and its ancestors', never a sibling's or a child's in its list", async () => {
    await withScenario(async (tx, _s, as) => {
      await as("province");
      const provinceTemplate = await createTemplate(tx, w.org.province, "省级评估模板");
      await as("nangang");
      const nangangTemplate = await createTemplate(tx, w.org.nangang, "南岗评估模板");
      const { id: cityTemplateId } = await cityTemplate(tx, as);
      await as("daoli");
      const daoli = (await listTemplates(tx, w.org.daoli)).map((x) => x.id);
      expect(daoli).toEqual(expect.arrayContaining([provinceTemplate, cityTemplateId]));
      expect(daoli).not.toContain(nangangTemplate);
      // The ancestors' names read, though their org rows do not.
      const names = new Map((await listTemplates(tx, w.org.daoli)).map((x) => [x.id, x.orgName]));
      expect([names.get(provinceTemplate), names.get(cityTemplateId)]).toEqual(["黑龙江省委巡视办", "哈尔滨市委巡察办"]);
      // Nearest first: the city's before the province's.
      expect(daoli.indexOf(cityTemplateId)).toBeLessThan(daoli.indexOf(provinceTemplate));
      await as("city");
      const city = (await listTemplates(tx, w.org.city)).map((x) => x.id);
      expect(city).toContain(provinceTemplate);
      expect(city).not.toContain(nangangTemplate);
      // And a county cannot write to its city's template.
      await as("daoli");
      expect(await kept(tx, (sp) => addIndicator(sp, cityTemplateId, { area: "其他", name: "越权添加", points: 5 }))).toMatch(/^42501/);
    });
  });

  it("indicators add up to the template's total; names are unique in a template; edits and removals work while unused", async () => {
    await withScenario(async (tx, _s, as) => {
      const t = await cityTemplate(tx, as);
      expect((await getTemplate(tx, t.id))).toMatchObject({ indicators: 3, totalPoints: 100, uses: 0, orgId: w.org.city });
      expect(await kept(tx, (sp) => addIndicator(sp, t.id, { area: "整改成效", name: "问题整改到位", points: 5 }))).toMatch(/^23505.*evaluation_indicators_name_key/);
      expect(await updateIndicator(tx, t.id, t.indicators[2], { area: "长效机制", name: "制度建设", points: 20.5 })).toBe(true);
      expect((await getTemplate(tx, t.id))!.totalPoints).toBe(90.5);
      expect(await removeIndicator(tx, t.id, t.indicators[1])).toBe("问题整改到位");
      expect((await templateIndicators(tx, t.id)).map((i) => [i.name, i.points])).toEqual([["主体责任落实", 40], ["制度建设", 20.5]]);
      // An indicator of another template is not removed through this one.
      const other = await createTemplate(tx, w.org.city, "另一模板");
      expect(await removeIndicator(tx, other, t.indicators[0])).toBeNull();
    });
  });

  it("a template in use is read-only: the database refuses new, changed or removed indicators", async () => {
    await withScenario(async (tx, s, as) => {
      await as("owner");
      const engagementId = await fedBackEngagement(tx, s, "2025-06-10");
      const t = await cityTemplate(tx, as);
      await createEvaluation(tx, engagementId, input(t.id, t.indicators, [0, 0, 0]));
      expect((await getTemplate(tx, t.id))!.uses).toBe(1);
      expect(await kept(tx, (sp) => addIndicator(sp, t.id, { area: "其他", name: "新增指标", points: 5 }))).toMatch(/^23514: evaluation: a template in use/);
      expect(await kept(tx, (sp) => updateIndicator(sp, t.id, t.indicators[0], { area: "整改责任", name: "主体责任落实", points: 10 }))).toMatch(/^23514: evaluation: a template in use/);
      expect(await kept(tx, (sp) => removeIndicator(sp, t.id, t.indicators[0]))).toMatch(/^23514: evaluation: a template in use/);
      // It can still be retired, and copied into a new template that can be changed.
      expect(await setTemplateActive(tx, t.id, false)).toBe(true);
      expect((await usableTemplates(tx, w.org.city)).map((x) => x.id)).not.toContain(t.id);
      const copy = await copyTemplate(tx, t.id, w.org.city, "测试评估模板（修订）");
      expect((await templateIndicators(tx, copy)).map((i) => [i.area, i.name, i.points, i.guidance])).toEqual(
        (await templateIndicators(tx, t.id)).map((i) => [i.area, i.name, i.points, i.guidance]),
      );
      expect(await kept(tx, (sp) => addIndicator(sp, copy, { area: "其他", name: "新增指标", points: 5 }))).toBe("ok");
    });
  });
});

describe("evaluations", () => {
  it("the database computes score and grade; the form's preview agrees", async () => {
    await withScenario(async (tx, s, as) => {
      await as("owner");
      const engagementId = await fedBackEngagement(tx, s, "2025-06-10");
      const t = await cityTemplate(tx, as);
      const points = [40, 30, 30];
      const cases: [number[], number, string][] = [
        [[0, 0, 0], 100, "excellent"],
        [[5, 5, 0], 90, "excellent"],
        [[5, 5, 0.5], 89.5, "good"],
        [[10, 10, 0], 80, "good"],
        [[20, 10, 10.5], 59.5, "poor"],
        [[20, 10, 10], 60, "fair"],
        // A deduction never takes an indicator below zero… and never exceeds its points (checked below).
        [[40, 30, 30], 0, "poor"],
      ];
      for (const [deductions, score, grade] of cases) {
        const result = await createEvaluation(tx, engagementId, input(t.id, t.indicators, deductions));
        expect(result, `deductions ${deductions.join("/")}`).toMatchObject({ score, grade });
        const preview = previewScore(
          t.indicators.map((id, i) => ({ id, points: points[i] })),
          new Map(t.indicators.map((id, i) => [id, deductions[i]])),
          false,
        );
        expect(preview).toEqual({ score: score.toFixed(2), grade });
      }
      // Thirds: 70 of 90 points kept = 77.777… → 77.78.
      await as("city");
      const thirds = await createTemplate(tx, w.org.city, "九十分模板");
      const ids = [
        await addIndicator(tx, thirds, { area: "领域甲", name: "指标一", points: 30 }),
        await addIndicator(tx, thirds, { area: "领域甲", name: "指标二", points: 30 }),
        await addIndicator(tx, thirds, { area: "领域乙", name: "指标三", points: 30 }),
      ];
      const r = await createEvaluation(tx, engagementId, input(thirds, ids, [20, 0, 0]));
      expect(r).toMatchObject({ score: 77.78, grade: "fair" });
      expect(previewScore(ids.map((id) => ({ id, points: 30 })), new Map([[ids[0], 20]]), false)).toEqual({ score: "77.78", grade: "fair" });
    });
  });

  it("false reporting vetoes: 差 whatever the score", async () => {
    await withScenario(async (tx, s, as) => {
      await as("owner");
      const engagementId = await fedBackEngagement(tx, s, "2025-06-10");
      const t = await cityTemplate(tx, as);
      const r = await createEvaluation(tx, engagementId, input(t.id, t.indicators, [0, 0, 0], { falseReporting: true }));
      expect(r).toMatchObject({ score: 100, grade: "poor" });
      const [listed] = await listEvaluations(tx, engagementId);
      expect(listed).toMatchObject({ score: 100, grade: "poor", falseReporting: true, templateName: "测试评估模板", conclusion: "整改总体到位" });
      expect(previewScore([{ id: 1, points: 10 }], new Map(), true)).toEqual({ score: "100.00", grade: "poor" });
    });
  });

  it("six months after feedback at the earliest: refused before with the earliest date; never in the future", async () => {
    await withScenario(async (tx, s, as) => {
      await as("owner");
      const engagementId = await fedBackEngagement(tx, s, "2025-08-31");
      const t = await cityTemplate(tx, as);
      expect(await evaluationContext(tx, engagementId)).toEqual({ feedbackOn: "2025-08-31", earliest: "2026-02-28" });
      expect(await kept(tx, (sp) => createEvaluation(sp, engagementId, input(t.id, t.indicators, [0, 0, 0], { evaluatedOn: "2026-02-27" }))))
        .toBe("23514: evaluation: six months after feedback at the earliest (2026-02-28)");
      expect(await kept(tx, (sp) => createEvaluation(sp, engagementId, input(t.id, t.indicators, [0, 0, 0], { evaluatedOn: "2026-02-28" }))))
        .toBe("ok");
      expect(await kept(tx, (sp) => createEvaluation(sp, engagementId, input(t.id, t.indicators, [0, 0, 0], { evaluatedOn: "2099-01-01" }))))
        .toMatch(/^22007: evaluation: the date is not in the future/);
      // Today in China is never "the future", whatever the session's time zone (from 00:00 to
      // 08:00 Beijing time, UTC's current_date is still yesterday).
      await tx`set local timezone = 'UTC'`;
      expect(await kept(tx, (sp) => createEvaluation(sp, engagementId, input(t.id, t.indicators, [0, 0, 0], { evaluatedOn: shanghaiDate() }))))
        .toBe("ok");
      const tomorrowInChina = shanghaiDate(new Date(Date.now() + 86_400_000));
      expect(await kept(tx, (sp) => createEvaluation(sp, engagementId, input(t.id, t.indicators, [0, 0, 0], { evaluatedOn: tomorrowInChina }))))
        .toMatch(/^22007/);
    });
  });

  it("an engagement without feedback cannot be evaluated", async () => {
    await withScenario(async (tx, s, as) => {
      await as("owner");
      const e = await fx.engagement(tx, s.round.get(CODES.city)!, s.g(CODES.city).id, w.units.city[5], "regular", "2025-03-03");
      const t = await cityTemplate(tx, as);
      expect(await evaluationContext(tx, e.id)).toEqual({ feedbackOn: null, earliest: null });
      expect(await kept(tx, (sp) => createEvaluation(sp, e.id, input(t.id, t.indicators, [0, 0, 0])))).toBe(
        "23514: evaluation: six months after feedback at the earliest",
      );
    });
  });

  it("only the supervising office evaluates, with a template of its own line; a deduction is at most the points", async () => {
    await withScenario(async (tx, s, as) => {
      await as("owner");
      const engagementId = await fedBackEngagement(tx, s, "2025-06-10");
      const t = await cityTemplate(tx, as);
      // The province's template is of the city's line; 南岗's is not.
      await as("province");
      const provinceTemplate = await createTemplate(tx, w.org.province, "省级评估模板");
      const pi = await addIndicator(tx, provinceTemplate, { area: "整改", name: "整改完成情况", points: 100 });
      await as("nangang");
      const nangangTemplate = await createTemplate(tx, w.org.nangang, "南岗评估模板");
      const ni = await addIndicator(tx, nangangTemplate, { area: "整改", name: "整改完成情况", points: 100 });

      await as("city");
      expect(await kept(tx, (sp) => createEvaluation(sp, engagementId, input(provinceTemplate, [pi], [10])))).toBe("ok");
      expect(await kept(tx, (sp) => createEvaluation(sp, engagementId, input(nangangTemplate, [ni], [0]))))
        .toMatch(/^23514: evaluation: not a template of this office's line/);
      expect(await kept(tx, (sp) => createEvaluation(sp, engagementId, input(t.id, t.indicators, [41, 0, 0]))))
        .toMatch(/^23514: evaluation: a deduction is at most the indicator's points/);
      expect(await kept(tx, (sp) => createEvaluation(sp, engagementId, input(t.id, [t.indicators[0], pi], [0, 0]))))
        .toMatch(/^23514: evaluation: the indicator is not of this template/);
      expect((await usableTemplates(tx, w.org.city)).map((x) => x.id)).toEqual(expect.arrayContaining([t.id, provinceTemplate]));

      // The province reads the city's evaluation but does not write one; 道里 and the leadership neither write.
      for (const who of ["province", "daoli", "leader"] as const) {
        await as(who);
        expect(await kept(tx, (sp) => createEvaluation(sp, engagementId, input(t.id, t.indicators, [0, 0, 0]))), who).toMatch(/^42501/);
      }
      await as("province");
      expect((await listEvaluations(tx, engagementId)).map((v) => v.templateName)).toEqual(["省级评估模板"]);
      await as("nangang");
      expect(await listEvaluations(tx, engagementId)).toEqual([]);
    });
  });

  it("past evaluations list their deductions with notes, latest first", async () => {
    await withScenario(async (tx, s, as) => {
      await as("owner");
      const engagementId = await fedBackEngagement(tx, s, "2025-06-10");
      const t = await cityTemplate(tx, as);
      await createEvaluation(tx, engagementId, input(t.id, t.indicators, [0, 0, 0], { evaluatedOn: "2026-01-10" }));
      await createEvaluation(tx, engagementId, input(t.id, t.indicators, [0, 7.5, 0], { evaluatedOn: "2026-02-10" }));
      const list = await listEvaluations(tx, engagementId);
      expect(list.map((v) => [v.evaluatedOn, v.score, v.grade])).toEqual([["2026-02-10", 92.5, "excellent"], ["2026-01-10", 100, "excellent"]]);
      expect(list[0].deductions).toEqual([
        { indicatorId: t.indicators[1], area: "整改成效", name: "问题整改到位", points: 30, deduction: 7.5, note: "扣分说明" },
      ]);
      expect(list[1].deductions).toEqual([]);
      expect(list[0].createdBy).toBeTruthy();
      // The templates page's recent list: the city's office and its ancestors see them, a county not.
      const recent = (await recentEvaluations(tx, 500)).filter((v) => v.engagementId === engagementId);
      expect(recent.map((v) => [v.engagementId, v.evaluatedOn, v.officeName])).toEqual([
        [engagementId, "2026-02-10", "哈尔滨市委巡察办"], [engagementId, "2026-01-10", "哈尔滨市委巡察办"],
      ]);
      await as("province");
      expect((await recentEvaluations(tx, 500)).map((v) => v.id)).toEqual(expect.arrayContaining(list.map((v) => v.id)));
      await as("nangang");
      expect((await recentEvaluations(tx, 500)).filter((v) => v.engagementId === engagementId)).toEqual([]);
    });
  });
});

describe("the evaluation form's schema", () => {
  const schema = evaluationSchemaFor([{ id: 1, points: 40 }, { id: 2, points: 7.5 }]);
  const base = { templateId: 9, evaluatedOn: "2026-01-10", falseReporting: false };

  it("takes one deduction per indicator, each at most its points", () => {
    expect(schema.safeParse({ ...base, scores: [{ indicatorId: 1, deduction: 40 }, { indicatorId: 2, deduction: 7.5 }] }).success).toBe(true);
    const over = schema.safeParse({ ...base, scores: [{ indicatorId: 1, deduction: 0 }, { indicatorId: 2, deduction: 8 }] });
    expect(over.success).toBe(false);
    expect(over.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([["scores.1.deduction", "扣分不能超过该指标分值（7.5 分）"]]);
  });

  it("refuses negative or over-precise deductions, and a set of indicators that is not the template's", () => {
    expect(schema.safeParse({ ...base, scores: [{ indicatorId: 1, deduction: -1 }, { indicatorId: 2 }] }).success).toBe(false);
    expect(schema.safeParse({ ...base, scores: [{ indicatorId: 1, deduction: 0.25 }, { indicatorId: 2 }] }).success).toBe(false);
    expect(schema.safeParse({ ...base, scores: [{ indicatorId: 1 }] }).success).toBe(false);
    expect(schema.safeParse({ ...base, scores: [{ indicatorId: 1 }, { indicatorId: 1 }] }).success).toBe(false);
    expect(schema.safeParse({ ...base, scores: [{ indicatorId: 1 }, { indicatorId: 3 }] }).success).toBe(false);
    expect(schema.safeParse({ ...base, evaluatedOn: "2026-13-40", scores: [{ indicatorId: 1 }, { indicatorId: 2 }] }).success).toBe(false);
  });
});
