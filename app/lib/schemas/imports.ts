import { z } from "zod";
import { importKinds } from "../imports/kinds";
import { importsText as t } from "../messages/imports";

export { importKinds, type ImportKind } from "../imports/kinds";

/**
 * The upload form (one schema for the browser and the action): what to import, the
 * round for a ledger, and the file (checked on the server from its bytes).
 */
export const importUploadSchema = z
  .object({
    kind: z.enum(importKinds, { errorMap: () => ({ message: t.kindRequired }) }),
    roundId: z.number({ invalid_type_error: t.roundRequired }).int().positive().optional(),
    file: z.unknown().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "ledger" && !v.roundId) ctx.addIssue({ code: "custom", path: ["roundId"], message: t.roundRequired });
  });
export type ImportUpload = z.infer<typeof importUploadSchema>;
