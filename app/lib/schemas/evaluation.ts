import { z } from "zod";
import { effectGradeLabel, evaluationText as t } from "../messages/evaluation";
import { labelKeys } from "./keys";

export const effectGrades = labelKeys(effectGradeLabel);
export type EffectGrade = (typeof effectGrades)[number];

const id = (message: string) =>
  z.number({ required_error: message, invalid_type_error: message }).int(message).positive(message).max(Number.MAX_SAFE_INTEGER, message);

/** numeric(5,1) in the database: at most one decimal. */
const oneDecimal = (n: number) => Math.abs(Math.round(n * 10) - n * 10) < 1e-9;

const isoDate = z
  .string({ required_error: t.dateInvalid, invalid_type_error: t.dateInvalid })
  .regex(/^\d{4}-\d{2}-\d{2}$/, t.dateInvalid)
  .refine((v) => !Number.isNaN(Date.parse(v)), t.dateInvalid);

// ---------------------------------------------------------------- templates

const templateName = z.string({ required_error: t.nameInvalid }).trim().min(2, t.nameInvalid).max(100, t.nameInvalid);

export const templateSchema = z.object({ name: templateName });
export type TemplateInput = z.infer<typeof templateSchema>;

/** A copy of a template (an in-use template is never changed: it is copied, then edited). */
export const copyTemplateSchema = z.object({ name: templateName });

export const indicatorSchema = z.object({
  /** Set when an existing indicator is edited. */
  indicatorId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  area: z.string({ required_error: t.areaInvalid }).trim().min(2, t.areaInvalid).max(60, t.areaInvalid),
  name: z.string({ required_error: t.indicatorInvalid }).trim().min(2, t.indicatorInvalid).max(200, t.indicatorInvalid),
  points: z
    .number({ required_error: t.pointsInvalid, invalid_type_error: t.pointsInvalid })
    .gt(0, t.pointsInvalid)
    .max(100, t.pointsInvalid)
    .refine(oneDecimal, t.pointsInvalid),
  guidance: z.string().trim().max(1000, t.guidanceTooLong).optional(),
});
export type IndicatorInput = z.infer<typeof indicatorSchema>;

export const removeIndicatorSchema = z.object({ indicatorId: id(t.indicatorMissing) });

// ---------------------------------------------------------------- evaluation

export interface IndicatorPoints {
  id: number;
  points: number;
}

/**
 * The evaluation form of one template: a deduction (and a note) per indicator, each at
 * most the indicator's points. Built from the template's indicators, the same way in the
 * browser and on the server; the database checks every rule again and computes the score.
 */
export function evaluationSchemaFor(indicators: IndicatorPoints[]) {
  const points = new Map(indicators.map((i) => [i.id, i.points]));
  return z
    .object({
      templateId: id(t.templateRequired),
      evaluatedOn: isoDate,
      scores: z
        .array(
          z.object({
            indicatorId: id(t.indicatorsChanged),
            deduction: z
              .number({ invalid_type_error: t.deductionInvalid })
              .min(0, t.deductionInvalid)
              .refine(oneDecimal, t.deductionInvalid)
              .default(0),
            note: z.string().trim().max(1000, t.noteTooLong).optional(),
          }),
        )
        .default([]),
      falseReporting: z.boolean().default(false),
      conclusion: z.string().trim().max(5000, t.conclusionTooLong).optional(),
    })
    .superRefine((v, ctx) => {
      const given = v.scores.map((s) => s.indicatorId);
      if (given.length !== points.size || new Set(given).size !== given.length || given.some((g) => !points.has(g))) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [], message: t.indicatorsChanged });
        return;
      }
      v.scores.forEach((s, i) => {
        const max = points.get(s.indicatorId)!;
        if (s.deduction > max) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["scores", i, "deduction"], message: t.deductionTooHigh(formatPoints(max)) });
        }
      });
    });
}
export type EvaluationInput = z.infer<ReturnType<typeof evaluationSchemaFor>>;

/** Points as offices write them: 10, 7.5 (never "10.0"). */
export function formatPoints(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/**
 * The score the database will compute (private.evaluation_result), for the form's preview:
 * points kept (each indicator's points less its deduction, not below zero) as a
 * percentage of the template's points, rounded to two decimals; 优秀 ≥ 90, 较好 ≥ 80,
 * 一般 ≥ 60, else 差; a false report vetoes (差). Computed in tenths of a point, exactly.
 */
export function previewScore(
  indicators: IndicatorPoints[],
  deductions: Map<number, number>,
  falseReporting: boolean,
): { score: string; grade: EffectGrade } {
  const tenths = (n: number) => Math.round(n * 10);
  const total = indicators.reduce((a, i) => a + tenths(i.points), 0);
  const kept = indicators.reduce((a, i) => a + Math.max(tenths(i.points) - tenths(deductions.get(i.id) ?? 0), 0), 0);
  if (total === 0) return { score: "0.00", grade: "poor" };
  // Hundredths of the score, rounded half up: kept·10000/total.
  const hundredths = Math.floor((2 * kept * 10_000 + total) / (2 * total));
  const score = `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`;
  // Grades compare the exact ratio, as the database does (not the rounded score).
  const grade: EffectGrade = falseReporting
    ? "poor"
    : kept * 100 >= 90 * total
      ? "excellent"
      : kept * 100 >= 80 * total
        ? "good"
        : kept * 100 >= 60 * total
          ? "fair"
          : "poor";
  return { score, grade };
}
