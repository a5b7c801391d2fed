import { z } from "zod";
import { labelKeys } from "./keys";
import { headLevelLabel, petitionChannelLabel, petitionClassifications, petitionDispositionLabel } from "../messages";
import { engagementsText } from "../messages/engagements";

const t = engagementsText.petition;

export const petitionChannels = labelKeys(petitionChannelLabel);
export const petitionDispositions = labelKeys(petitionDispositionLabel);
export const cadreLevels = labelKeys(headLevelLabel);
export type PetitionChannel = (typeof petitionChannels)[number];
export type PetitionDisposition = (typeof petitionDispositions)[number];
export type CadreLevel = (typeof cadreLevels)[number];

/** A datetime-local value ("2026-11-21T09:30"), read as Beijing time. */
const localDateTime = z
  .string({ required_error: t.receivedAtRequired, invalid_type_error: t.receivedAtRequired })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, t.receivedAtRequired)
  .refine((v) => !Number.isNaN(Date.parse(`${v}+08:00`)), t.receivedAtRequired);

/** The handling fields: what intake records and what is corrected later. */
const handling = {
  channel: z.enum(petitionChannels, { errorMap: () => ({ message: t.channelRequired }) }),
  receivedAt: localDateTime,
  reportedName: z.string().trim().max(40, t.reportedNameTooLong).optional(),
  reportedPost: z.string().trim().max(100, t.reportedPostTooLong).optional(),
  reportedLevel: z.enum(cadreLevels).optional(),
  content: z.string({ required_error: t.contentRequired }).trim().min(2, t.contentRequired).max(10000, t.contentRequired),
  classification: z.enum(petitionClassifications).optional(),
  disposition: z.enum(petitionDispositions).optional(),
  result: z.string().trim().max(2000, t.resultTooLong).optional(),
};

/**
 * Unified registration (统一登记). A signed petition names its reporter (a name or a
 * contact); an anonymous one names no one, and whatever was typed is dropped.
 */
/** Who reported; checked on its own so the message shows with any other field's. */
const identity = z
  .object({
    anonymous: z.boolean().default(false),
    reporterName: z.string().trim().max(40, t.reporterNameTooLong).optional(),
    reporterContact: z.string().trim().max(100, t.reporterContactTooLong).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.anonymous && !v.reporterName && !v.reporterContact) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["reporterName"], message: t.reporterRequired });
    }
  });

export const petitionSchema = z
  .intersection(z.object({ ...handling, file: z.unknown().optional() }), identity)
  .transform((v) => (v.anonymous ? { ...v, reporterName: undefined, reporterContact: undefined } : v));
export type PetitionInput = z.infer<typeof petitionSchema>;

/** Handling later: the identity is not part of it (it is changed only through its own function). */
export const petitionUpdateSchema = z.object(handling);
export type PetitionUpdateInput = z.infer<typeof petitionUpdateSchema>;

/** Beijing wall-clock time of a timestamp, for a datetime-local input. */
export function toLocalDateTime(value: Date | string): string {
  const d = new Date(new Date(value).getTime() + 8 * 3600_000);
  return d.toISOString().slice(0, 16);
}
