import { z } from "zod";
import { labelKeys } from "./keys";
import { cadrePoolLabel, cadreSpecialties, conflictReasonLabel, m } from "../messages";

export const cadrePools = labelKeys(cadrePoolLabel);
export const conflictReasons = labelKeys(conflictReasonLabel);
export type CadrePool = (typeof cadrePools)[number];
export type ConflictReason = (typeof conflictReasons)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, m.cadres.dateInvalid).refine((v) => !Number.isNaN(Date.parse(v)), m.cadres.dateInvalid);

export const cadreSchema = z.object({
  name: z.string({ required_error: m.cadres.nameRequired }).trim().min(2, m.cadres.nameRequired).max(40, m.cadres.nameRequired),
  homeUnit: z.string({ required_error: m.cadres.homeUnitRequired }).trim().min(2, m.cadres.homeUnitRequired).max(100, m.cadres.homeUnitRequired),
  rank: z.string().trim().max(40).optional(),
  specialties: z.array(z.enum(cadreSpecialties)).default([]),
  pools: z.array(z.enum(cadrePools), { required_error: m.cadres.poolRequired }).min(1, m.cadres.poolRequired),
  firstPostedOn: isoDate.optional(),
  available: z.boolean().default(false),
});
export type CadreInput = z.infer<typeof cadreSchema>;

export const conflictSchema = z.object({
  unitId: z.number({ required_error: m.cadres.unitRequired, invalid_type_error: m.cadres.unitRequired }).int().positive(),
  reason: z.enum(conflictReasons, { errorMap: () => ({ message: m.cadres.reasonRequired }) }),
  note: z.string().trim().max(200).optional(),
});

export const historySchema = z
  .object({
    unitId: z.number().int().positive().optional(),
    unitName: z.string({ required_error: m.cadres.unitRequired }).trim().min(2, m.cadres.unitRequired).max(100, m.cadres.unitRequired),
    post: z.string().trim().max(60).optional(),
    fromDate: isoDate,
    toDate: isoDate.optional(),
  })
  .refine((v) => !v.toDate || v.toDate >= v.fromDate, { path: ["toDate"], message: m.cadres.dateInvalid });

export const cadreFilterSchema = z.object({
  org: z.coerce.number().int().positive().optional().catch(undefined),
  pool: z.enum(cadrePools).optional().catch(undefined),
  specialty: z.enum(cadreSpecialties).optional().catch(undefined),
  q: z.string().trim().max(40).optional().catch(undefined),
});
export type CadreFilters = z.infer<typeof cadreFilterSchema>;

/** 5 years in inspection posts: the seeds' rotation rule (warn, do not block). */
export function dueForRotation(firstPostedOn: string | null, today = new Date()): boolean {
  if (!firstPostedOn) return false;
  const limit = new Date(today);
  limit.setFullYear(limit.getFullYear() - 5);
  return new Date(firstPostedOn) <= limit;
}
