import { z } from "zod";
import { labelKeys } from "./keys";
import { m, roundKindLabel, roundStatusLabel } from "../messages";

export const roundKinds = labelKeys(roundKindLabel);
export const roundStatuses = labelKeys(roundStatusLabel);
export type RoundKind = (typeof roundKinds)[number];
export type RoundStatus = (typeof roundStatuses)[number];

/** The workflow, as the database enforces it (private.round_transition_allowed). */
export const roundTransitions: Record<RoundStatus, RoundStatus[]> = {
  draft: ["submitted"],
  submitted: ["approved", "draft"],
  approved: ["stationed"],
  stationed: ["reporting"],
  reporting: ["feedback"],
  feedback: ["rectification"],
  rectification: ["closed"],
  closed: [],
};

const isoDate = z
  .string({ invalid_type_error: m.rounds.dateInvalid })
  .regex(/^\d{4}-\d{2}-\d{2}$/, m.rounds.dateInvalid)
  .refine((v) => !Number.isNaN(Date.parse(v)), m.rounds.dateInvalid);

export const roundSchema = z
  .object({
    termId: z.number({ required_error: m.rounds.termRequired, invalid_type_error: m.rounds.termRequired }).int().positive(),
    year: z.number({ required_error: m.rounds.yearInvalid, invalid_type_error: m.rounds.yearInvalid }).int().min(2000, m.rounds.yearInvalid).max(2100, m.rounds.yearInvalid),
    number: z.number({ required_error: m.rounds.numberInvalid, invalid_type_error: m.rounds.numberInvalid }).int(m.rounds.numberInvalid).min(1, m.rounds.numberInvalid).max(99, m.rounds.numberInvalid),
    kind: z.enum(roundKinds, { errorMap: () => ({ message: m.rounds.kindRequired }) }),
    theme: z.string().trim().max(200).optional(),
    plannedStart: isoDate.optional(),
    plannedEnd: isoDate.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "special" && (v.theme ?? "").length < 2) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["theme"], message: m.rounds.themeRequired });
    }
    if (v.plannedStart && v.plannedEnd && v.plannedEnd < v.plannedStart) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["plannedEnd"], message: m.rounds.datesOrder });
    }
  });
export type RoundInput = z.infer<typeof roundSchema>;

export const roundFilterSchema = z.object({
  org: z.coerce.number().int().positive().optional().catch(undefined),
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  status: z.enum(roundStatuses).optional().catch(undefined),
});
export type RoundFilters = z.infer<typeof roundFilterSchema>;

export const termSchema = z
  .object({
    name: z.string({ required_error: m.terms.nameRequired }).trim().min(2, m.terms.nameRequired).max(60, m.terms.nameRequired),
    startYear: z.number({ required_error: m.terms.yearsInvalid, invalid_type_error: m.terms.yearsInvalid }).int().min(2000, m.terms.yearsInvalid).max(2100, m.terms.yearsInvalid),
    endYear: z.number({ required_error: m.terms.yearsInvalid, invalid_type_error: m.terms.yearsInvalid }).int().min(2000, m.terms.yearsInvalid).max(2100, m.terms.yearsInvalid),
  })
  .refine((v) => v.endYear >= v.startYear && v.endYear - v.startYear <= 5, { path: ["endYear"], message: m.terms.yearsInvalid });
export type TermInput = z.infer<typeof termSchema>;
