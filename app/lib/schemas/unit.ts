import { z } from "zod";
import { labelKeys } from "./keys";
import { headLevelLabel, m, unitCategoryLabel } from "../messages";

export const unitCategories = labelKeys(unitCategoryLabel);
export const headLevels = labelKeys(headLevelLabel);
export type UnitCategory = (typeof unitCategories)[number];
export type HeadLevel = (typeof headLevels)[number];

/** One schema for the browser (conform) and the server action. */
export const unitSchema = z.object({
  name: z
    .string({ required_error: m.units.nameRequired })
    .trim()
    .min(2, m.units.nameLength)
    .max(100, m.units.nameLength),
  category: z.enum(unitCategories, { errorMap: () => ({ message: m.units.categoryRequired }) }),
  headLevel: z.enum(headLevels, { errorMap: () => ({ message: m.units.headLevelRequired }) }),
  parentUnitId: z.number({ invalid_type_error: m.units.parentInvalid }).int().positive().optional(),
});

export type UnitInput = z.infer<typeof unitSchema>;

export const orgLevels = ["province", "city", "county"] as const;

/** List filters from the URL; anything malformed is dropped rather than trusted. */
export const unitFilterSchema = z.object({
  org: z.coerce.number().int().positive().optional().catch(undefined),
  level: z.enum(orgLevels).optional().catch(undefined),
  category: z.enum(unitCategories).optional().catch(undefined),
  status: z.enum(["active", "inactive", "all"]).default("active").catch("active"),
  q: z.string().trim().max(50).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).default(1).catch(1),
});
export type UnitFilters = z.infer<typeof unitFilterSchema>;
