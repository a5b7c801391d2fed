import { z } from "zod";
import { labelKeys } from "./keys";
import { cadreSpecialties, evaluationGradeLabel, groupRoleLabel } from "../messages";
import { groupsText as t } from "../messages/groups";
import { cadrePools } from "./cadre";
import { engagementModes } from "./engagement";

export const groupRoles = labelKeys(groupRoleLabel);
export const evaluationGrades = labelKeys(evaluationGradeLabel);
export type GroupRole = (typeof groupRoles)[number];
export type EvaluationGrade = (typeof evaluationGrades)[number];

const isoDate = z
  .string({ required_error: t.dateInvalid, invalid_type_error: t.dateInvalid })
  .regex(/^\d{4}-\d{2}-\d{2}$/, t.dateInvalid)
  .refine((v) => !Number.isNaN(Date.parse(v)), t.dateInvalid);

const id = (message: string) => z.number({ required_error: message, invalid_type_error: message }).int().positive();

const datesInOrder = <T extends { stationStart: string; stationEnd: string }>(v: T, ctx: z.RefinementCtx) => {
  if (v.stationEnd < v.stationStart) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["stationEnd"], message: t.datesOrder });
};

const groupFields = {
  name: z.string({ required_error: t.nameInvalid }).trim().min(2, t.nameInvalid).max(40, t.nameInvalid),
  stationStart: isoDate,
  stationEnd: isoDate,
};

/** A new group: number, name, executing org (the round's org or below it), stationing dates. */
export const groupSchema = z
  .object({
    number: z.number({ required_error: t.numberInvalid, invalid_type_error: t.numberInvalid }).int(t.numberInvalid).min(1, t.numberInvalid).max(99, t.numberInvalid),
    executingOrgId: id(t.executingOrgRequired),
    ...groupFields,
  })
  .superRefine(datesInOrder);
export type GroupInput = z.infer<typeof groupSchema>;

/** A group's name and dates; the round and the executing org never change. */
export const groupEditSchema = z.object(groupFields).superRefine(datesInOrder);
export type GroupEditInput = z.infer<typeof groupEditSchema>;

export const memberSchema = z.object({
  cadreId: id(t.cadreRequired),
  role: z.enum(groupRoles, { errorMap: () => ({ message: t.roleRequired }) }),
  /** The draw the cadre was picked from, to come back to its result. */
  drawId: z.number().int().positive().optional(),
});

export const removeMemberSchema = z.object({ memberId: id(t.memberMissing) });

export const evaluationSchema = z.object({
  memberId: id(t.memberMissing),
  evaluation: z.enum(evaluationGrades, { errorMap: () => ({ message: t.evaluationRequired }) }),
  note: z.string().trim().max(500, t.evaluationNoteTooLong).optional(),
});

export const drawSchema = z.object({
  count: z.number({ required_error: t.drawCountInvalid, invalid_type_error: t.drawCountInvalid }).int(t.drawCountInvalid).min(1, t.drawCountInvalid).max(30, t.drawCountInvalid),
  specialties: z.array(z.enum(cadreSpecialties)).default([]),
  pool: z.enum(cadrePools, { errorMap: () => ({ message: t.drawPoolRequired }) }),
});
export type DrawInput = z.infer<typeof drawSchema>;

export const addDrawnSchema = z.object({ drawId: id(t.drawMissing) });

export const engagementSchema = z.object({
  unitId: id(t.unitRequired),
  mode: z.enum(engagementModes, { errorMap: () => ({ message: t.modeRequired }) }),
});
export type EngagementInput = z.infer<typeof engagementSchema>;

export const removeEngagementSchema = z.object({ engagementId: id(t.engagementMissing) });

/** The page's search boxes (GET): units to engage, cadres to assign, a draw to show. */
export const groupPageParamsSchema = z.object({
  unitq: z.string().trim().max(40).optional().catch(undefined),
  cadreq: z.string().trim().max(40).optional().catch(undefined),
  draw: z.coerce.number().int().positive().optional().catch(undefined),
  /** Members just added who are due for rotation (ids, comma-separated): the page warns. */
  rotation: z.string().regex(/^\d{1,12}(,\d{1,12}){0,29}$/).optional().catch(undefined),
  edit: z.literal("1").optional().catch(undefined),
});
