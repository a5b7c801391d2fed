import { z } from "zod";
import { coverageText as t } from "../messages/coverage";

/** Forms of the term plan page (terms/:id). One schema for the browser and the server. */

const id = (message: string) => z.number({ required_error: message, invalid_type_error: message }).int().positive();

/** A year of the term, or "none" for 未排期; the database checks it lies in the term. */
const plannedYear = z
  .string({ required_error: t.yearRequired })
  .regex(/^(none|\d{4})$/, t.yearRequired)
  .transform((v) => (v === "none" ? null : Number(v)));

export const includeAllSchema = z.object({});

export const addElevatedSchema = z.object({
  unitId: id(t.unitRequired),
  plannedYear: plannedYear.optional(),
});

export const setYearSchema = z.object({
  objectIds: z.array(id(t.selectRequired), { required_error: t.selectRequired }).min(1, t.selectRequired).max(2000),
  plannedYear,
});

export const removeObjectSchema = z.object({ objectId: id(t.selectRequired) });

export const planFilterSchema = z.object({
  year: z.union([z.literal("none"), z.coerce.number().int().min(2000).max(2100)]).optional().catch(undefined),
  kind: z.enum(["regular", "elevated"]).optional().catch(undefined),
  status: z.enum(["covered", "uncovered"]).optional().catch(undefined),
  q: z.string().trim().max(40).optional().catch(undefined),
  category: z.string().trim().max(40).optional().catch(undefined),
});
export type PlanQuery = z.infer<typeof planFilterSchema>;

export const grantSchema = z.object({ membershipId: id(t.selectRequired) });

/** Roles for which 查看举报人身份 means something: office roles and group members. */
export const GRANTABLE_ROLES = ["office_director", "office_staff", "leadership", "group_member"] as const;
