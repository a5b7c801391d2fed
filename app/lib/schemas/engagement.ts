import { z } from "zod";
import { labelKeys } from "./keys";
import { engagementModeLabel, fieldworkKindLabel } from "../messages";
import { engagementStatusLabel, engagementsText as t } from "../messages/engagements";

export const engagementModes = labelKeys(engagementModeLabel);
export const engagementStatuses = labelKeys(engagementStatusLabel);
export const fieldworkKinds = labelKeys(fieldworkKindLabel);
export type EngagementMode = (typeof engagementModes)[number];
export type EngagementStatus = (typeof engagementStatuses)[number];
export type FieldworkKind = (typeof fieldworkKinds)[number];

export const ENGAGEMENTS_PAGE_SIZE = 20;

/** The stages in order, as engagements_stage_order requires them. */
export const stageFields = ["stationedOn", "withdrawnOn", "reportedOn", "feedbackOn", "rectificationDue"] as const;
export type StageField = (typeof stageFields)[number];
export type StageDates = Record<StageField, string | null>;

const isoDate = z
  .string({ invalid_type_error: t.dateInvalid })
  .regex(/^\d{4}-\d{2}-\d{2}$/, t.dateInvalid)
  .refine((v) => !Number.isNaN(Date.parse(v)), t.dateInvalid);

/** Each stage needs the one before it, on the same day or later (the database checks it again). */
const stageRules: { field: StageField; after: StageField; missing: string; early: string }[] = [
  { field: "withdrawnOn", after: "stationedOn", missing: t.withdrawnNeedsStationed, early: t.withdrawnBeforeStationed },
  { field: "reportedOn", after: "withdrawnOn", missing: t.reportedNeedsWithdrawn, early: t.reportedBeforeWithdrawn },
  { field: "feedbackOn", after: "reportedOn", missing: t.feedbackNeedsReported, early: t.feedbackBeforeReported },
  { field: "rectificationDue", after: "feedbackOn", missing: t.dueNeedsFeedback, early: t.dueBeforeFeedback },
];

export const stagesSchema = z
  .object({
    stationedOn: isoDate.optional(),
    withdrawnOn: isoDate.optional(),
    reportedOn: isoDate.optional(),
    feedbackOn: isoDate.optional(),
    rectificationDue: isoDate.optional(),
  })
  .superRefine((v, ctx) => {
    for (const rule of stageRules) {
      const value = v[rule.field];
      if (!value) continue;
      const before = v[rule.after];
      if (!before) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [rule.field], message: rule.missing });
      else if (value < before) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [rule.field], message: rule.early });
    }
  });
export type StagesInput = z.infer<typeof stagesSchema>;

export const engagementFilterSchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  round: z.coerce.number().int().positive().optional().catch(undefined),
  mode: z.enum(engagementModes).optional().catch(undefined),
  status: z.enum(engagementStatuses).optional().catch(undefined),
  q: z.string().trim().max(50).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).default(1).catch(1),
});
export type EngagementFilters = z.infer<typeof engagementFilterSchema>;

export const engagementTabs = ["fieldwork", "petitions", "attachments"] as const;
export type EngagementTab = (typeof engagementTabs)[number];

export const fieldworkSchema = z.object({
  kind: z.enum(fieldworkKinds, { errorMap: () => ({ message: t.fieldwork.kindRequired }) }),
  occurredOn: isoDate,
  participants: z
    .string({ required_error: t.fieldwork.participantsRequired })
    .trim()
    .min(1, t.fieldwork.participantsRequired)
    .max(200, t.fieldwork.participantsRequired),
  subject: z.string().trim().max(200, t.fieldwork.subjectTooLong).optional(),
  summary: z
    .string({ required_error: t.fieldwork.summaryRequired })
    .trim()
    .min(2, t.fieldwork.summaryRequired)
    .max(5000, t.fieldwork.summaryRequired),
  /** The file travels in the same form; the server reads it from the multipart body. */
  file: z.unknown().optional(),
});
export type FieldworkInput = z.infer<typeof fieldworkSchema>;

/** A file for a petition (its page says which). */
export const attachmentSchema = z.object({ file: z.unknown().optional() });
/** A file for one of an engagement's records: "f12" (fieldwork record 12) or "p7" (petition 7). */
export const engagementAttachmentSchema = z.object({
  owner: z.string({ required_error: t.attachment.ownerRequired }).regex(/^[fp]\d{1,15}$/, t.attachment.ownerRequired),
  file: z.unknown().optional(),
});
