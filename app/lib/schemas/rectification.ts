import { z } from "zod";
import { labelKeys } from "./keys";
import {
  itemStatusLabel,
  planStateLabel,
  rectificationKindLabel,
  rectificationText as t,
  reportKindLabel,
} from "../messages/rectification";

export const itemStatuses = labelKeys(itemStatusLabel);
export const rectificationKinds = labelKeys(rectificationKindLabel);
export const reportKinds = labelKeys(reportKindLabel);
export const planStates = labelKeys(planStateLabel);

export const RECTIFICATION_PAGE_SIZE = 20;
export const SUPERVISION_PAGE_SIZE = 50;

const isoDate = z
  .string({ required_error: t.dateInvalid, invalid_type_error: t.dateInvalid })
  .regex(/^\d{4}-\d{2}-\d{2}$/, t.dateInvalid)
  .refine((v) => !Number.isNaN(Date.parse(v)), t.dateInvalid);

const id = (message: string) =>
  z.coerce.number({ required_error: message, invalid_type_error: message }).int(message).positive(message).max(Number.MAX_SAFE_INTEGER, message);

/** The list page's filters (offices; a unit contact has only his unit). */
export const rectificationFilterSchema = z.object({
  q: z.string().trim().max(50).optional().catch(undefined),
  plan: z.enum(planStates).optional().catch(undefined),
  overdue: z.literal("1").optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).default(1).catch(1),
});
export type RectificationFilters = z.infer<typeof rectificationFilterSchema>;

export const supervisionFilterSchema = z.object({
  q: z.string().trim().max(50).optional().catch(undefined),
  org: z.coerce.number().int().positive().max(2147483647).optional().catch(undefined),
  min: z.coerce.number().int().min(0).max(3650).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).default(1).catch(1),
});
export type SupervisionFilters = z.infer<typeof supervisionFilterSchema>;

export const detailTabs = ["problems", "tasks", "duties", "supervision"] as const;
export type DetailTab = (typeof detailTabs)[number];

/** A plan or a progress report, with an optional file (read from the multipart body). */
export const reportSchema = z.object({
  kind: z.enum(reportKinds),
  title: z
    .string({ required_error: t.titleRequired })
    .trim()
    .min(2, t.titleRequired)
    .max(200, t.titleRequired),
  content: z
    .string({ required_error: t.contentRequired })
    .trim()
    .min(2, t.contentRequired)
    .max(50000, t.contentTooLong),
  file: z.unknown().optional(),
});
export type ReportInput = z.infer<typeof reportSchema>;

/** The office's verdict on a submitted report: a return gives its reason. */
export const reportReviewSchema = z
  .object({
    reportId: id(t.decisionRequired),
    decision: z.enum(["accepted", "returned"], { errorMap: () => ({ message: t.decisionRequired }) }),
    comment: z.string().trim().max(2000, t.commentTooLong).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.decision === "returned" && (v.comment ?? "").length < 2) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["comment"], message: t.reasonRequired });
    }
  });
export type ReportReviewInput = z.infer<typeof reportReviewSchema>;

/**
 * The unit's accounts linked as an item's responsible leader and person (责任领导、责任人):
 * they receive its deadline warnings. Optional: unlinked, the warnings go to the unit's contacts.
 */
const warningAccountFields = {
  responsibleLeaderUserId: z.string().uuid(t.accountInvalid).optional(),
  responsiblePersonUserId: z.string().uuid(t.accountInvalid).optional(),
};
export const warningAccountsSchema = z.object(warningAccountFields);
export type WarningAccountsInput = z.infer<typeof warningAccountsSchema>;

/** A ledger item for one fed-back problem (任务清单 + 责任清单 + 督查清单). */
export const itemSchema = z
  .object({
    ...warningAccountFields,
    problemId: id(t.problemRequired),
    measures: z
      .string({ required_error: t.measuresRequired })
      .trim()
      .min(2, t.measuresRequired)
      .max(5000, t.measuresRequired),
    responsibleLeader: z
      .string({ required_error: t.leaderRequired })
      .trim()
      .min(1, t.leaderRequired)
      .max(40, t.leaderRequired),
    responsibleDepartment: z
      .string({ required_error: t.departmentRequired })
      .trim()
      .min(1, t.departmentRequired)
      .max(60, t.departmentRequired),
    responsiblePerson: z
      .string({ required_error: t.personRequired })
      .trim()
      .min(1, t.personRequired)
      .max(40, t.personRequired),
    kind: z.enum(rectificationKinds, { errorMap: () => ({ message: t.kindRequired }) }),
    deadline: isoDate.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind !== "long_term" && !v.deadline) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["deadline"], message: t.deadlineRequired });
    }
  });
export type ItemInput = z.infer<typeof itemSchema>;

/** A progress update on an item, with an optional evidence file. */
export const updateSchema = z.object({
  reportedOn: isoDate,
  progress: z
    .string({ required_error: t.progressRequired })
    .trim()
    .min(2, t.progressRequired)
    .max(5000, t.progressRequired),
  file: z.unknown().optional(),
});
export type UpdateInput = z.infer<typeof updateSchema>;

/** 确认 (no reason); 退回 and 回头看重新打开 give a reason; 核验销号 none. */
export const itemReviewSchema = z
  .object({
    action: z.enum(["confirm", "verify", "return", "reopen"]),
    reason: z.string().trim().max(2000, t.commentTooLong).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.action === "return" || v.action === "reopen") && (v.reason ?? "").length < 2) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["reason"], message: t.refused.returnReason });
    }
  });
export type ItemReviewInput = z.infer<typeof itemReviewSchema>;

export const disclosureSchema = z.object({
  title: z
    .string({ required_error: t.disclosureTitleRequired })
    .trim()
    .min(2, t.disclosureTitleRequired)
    .max(200, t.disclosureTitleRequired),
  summary: z
    .string({ required_error: t.summaryRequired })
    .trim()
    .min(10, t.summaryRequired)
    .max(20000, t.summaryRequired),
});
export type DisclosureInput = z.infer<typeof disclosureSchema>;

/** A public page's slug, as rectification_disclosures_slug_check requires it. */
export const slugSchema = z.string().regex(/^[a-z0-9]{16,40}$/);
