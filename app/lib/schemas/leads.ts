import { z } from "zod";
import { specialPermissions } from "@xunlian/permissions";
import { labelKeys } from "./keys";
import { headLevelLabel } from "../messages";
import { handlingStages, leadsText as t } from "../messages/leads";

/** Forms of the lead pages. One schema for the browser and the server. */

export const cadreLevels = labelKeys(headLevelLabel);
export type LeadHandlingStage = (typeof handlingStages)[number];

const isoDate = (message = t.dateInvalid) =>
  z
    .string({ required_error: message, invalid_type_error: message })
    .regex(/^\d{4}-\d{2}-\d{2}$/, message)
    .refine((v) => !Number.isNaN(Date.parse(v)), message);

const recordId = (message: string) =>
  z.number({ required_error: message, invalid_type_error: message }).int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * Registration: the summary, the person concerned, and exactly one source, a problem of
 * the engagement's list or a petition (by 登记号). The source not chosen is dropped, so a
 * value left in the hidden select never reaches the database.
 */
const leadContent = z.object({
  summary: z.string({ required_error: t.summaryRequired }).trim().min(2, t.summaryRequired).max(5000, t.summaryRequired),
  personName: z
    .string({ required_error: t.personNameRequired })
    .trim()
    .min(1, t.personNameRequired)
    .max(40, t.personNameRequired),
  personPost: z.string().trim().max(100, t.personPostTooLong).optional(),
  personLevel: z.enum(cadreLevels).optional(),
});

/** The source, checked on its own so its message shows together with any other field's. */
const leadSource = z
  .object({
    sourceKind: z.enum(["problem", "petition"], { errorMap: () => ({ message: t.sourceRequired }) }),
    problemId: recordId(t.problemRequired).optional(),
    petitionId: recordId(t.petitionRequired).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.sourceKind === "problem" && !v.problemId) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["problemId"], message: t.problemRequired });
    }
    if (v.sourceKind === "petition" && !v.petitionId) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["petitionId"], message: t.petitionRequired });
    }
  });

export const registerLeadSchema = z.intersection(leadContent, leadSource).transform((v) => ({
  ...v,
  problemId: v.sourceKind === "problem" ? v.problemId : undefined,
  petitionId: v.sourceKind === "petition" ? v.petitionId : undefined,
}));
export type RegisterLeadInput = z.infer<typeof registerLeadSchema>;

/** Transfer (移交): the date is checked against today in the browser and again by the database. */
export const transferLeadSchema = (today: string) =>
  z.object({
    leadId: recordId(t.leadRequired),
    receivingOrgId: recordId(t.receivingOrgRequired),
    transferredOn: isoDate().refine((v) => v <= today, t.transferDateFuture),
    documentNo: z.string().trim().max(60, t.documentNoTooLong).optional(),
  });
export type TransferLeadInput = z.infer<ReturnType<typeof transferLeadSchema>>;

const persons = z
  .number({ invalid_type_error: t.personsInvalid })
  .int(t.personsInvalid)
  .min(0, t.personsInvalid)
  .max(999, t.personsInvalid)
  .default(0);

/** A partner's handling: between the transfer date and today. */
export const handleLeadSchema = (transferredOn: string, today: string) =>
  z.object({
    stage: z.enum(handlingStages, { errorMap: () => ({ message: t.stageRequired }) }),
    occurredOn: isoDate()
      .refine((v) => v >= transferredOn, t.handlingDateBeforeTransfer(transferredOn))
      .refine((v) => v <= today, t.handlingDateFuture),
    note: z.string().trim().max(2000, t.noteTooLong).optional(),
    sanctioned: persons,
    judicial: persons,
  });
export type HandleLeadInput = z.infer<ReturnType<typeof handleLeadSchema>>;

/** 账号与角色: grant or revoke one special permission on one membership. */
export const permissionGrantSchema = z.object({
  membershipId: recordId(t.membershipRequired),
  permission: z.enum(specialPermissions),
});
