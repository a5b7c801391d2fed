import { z } from "zod";
import { labelKeys } from "./keys";
import { campaignStatusLabel, campaignsText as t, dispatchesText as d } from "../messages/campaigns";
import { THEMATIC_LIMIT, thematicSchema } from "./findings";

export const campaignStatuses = labelKeys(campaignStatusLabel);
export type CampaignStatus = (typeof campaignStatuses)[number];

/** At most this many offices are chosen in one form (a province has about 140). */
export const MAX_ORGS_PER_FORM = 300;

const id = (message: string) =>
  z.coerce
    .number({ invalid_type_error: message, required_error: message })
    .int(message)
    .positive(message)
    .max(2 ** 31 - 1, message);

const isoDate = z
  .string({ required_error: t.dateInvalid, invalid_type_error: t.dateInvalid })
  .regex(/^\d{4}-\d{2}-\d{2}$/, t.dateInvalid)
  .refine((v) => {
    const date = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === v && v >= "2000-01-01" && v <= "2100-12-31";
  }, t.dateInvalid);

// No transform here: a transform would stop the form's other checks (the period's order)
// when none is chosen, so every message would not show at once. The models drop repeats.
const orgList = (required: string, invalid: string) =>
  z
    .array(id(invalid), { required_error: required, invalid_type_error: required })
    .min(1, required)
    .max(MAX_ORGS_PER_FORM, t.tooMany);

/** What a campaign says: its title, system or theme, period and guidance (工作指引). */
const campaignFields = {
  title: z.string({ required_error: t.titleRequired }).trim().min(2, t.titleRequired).max(100, t.titleRequired),
  systemName: z.string({ required_error: t.systemRequired }).trim().min(2, t.systemRequired).max(60, t.systemRequired),
  startsOn: isoDate,
  endsOn: isoDate,
  guidance: z.string().max(20000, t.guidanceTooLong).optional().transform((v) => (v ?? "").trim()),
};

const periodInOrder = (v: { startsOn: string; endsOn: string }, ctx: z.RefinementCtx) => {
  if (v.endsOn < v.startsOn) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["endsOn"], message: t.datesOrder });
};

/** Launching a campaign: its fields and the offices taking part, in one transaction. */
export const campaignSchema = z
  .object({ ...campaignFields, participant: orgList(t.participantsRequired, t.participantInvalid) })
  .superRefine(periodInOrder);
export type CampaignInput = z.infer<typeof campaignSchema>;

/** The launcher edits what the campaign says (intent "update"). */
export const campaignEditSchema = z.object(campaignFields).superRefine(periodInOrder);
export type CampaignEditInput = z.infer<typeof campaignEditSchema>;

/** The launcher adds offices (intent "add-participants"). */
export const addParticipantsSchema = z.object({ participant: orgList(t.participantsRequired, t.participantInvalid) });

/** The launcher removes one office (intent "remove-participant"). */
export const removeParticipantSchema = z.object({ orgId: id(t.participantInvalid) });

/** An office attaches one of its rounds ("round:12") or engagements ("engagement:34") (intent "attach"). */
export const attachSchema = z.object({
  target: z
    .string({ required_error: t.attachRequired })
    .regex(/^(round|engagement):[1-9]\d{0,15}$/, t.attachRequired)
    .transform((v) => {
      const [kind, raw] = v.split(":");
      return { kind: kind as "round" | "engagement", id: Number(raw) };
    })
    .refine((v) => Number.isSafeInteger(v.id), t.attachRequired),
});
export type AttachInput = z.infer<typeof attachSchema>;

/** An office detaches one of its links (intent "detach"). */
export const detachSchema = z.object({ linkId: id(t.attachRequired) });

/** The list's filter (GET): anything malformed is no filter. */
export const campaignFilterSchema = z.object({
  status: z.enum(campaignStatuses).optional().catch(undefined),
});

/**
 * Sending a thematic report down (专题报告下发): the report as the builder composes it
 * (title, 主送, problems), the recipient offices, a note, and the campaign it belongs to.
 */
export const dispatchSchema = thematicSchema.extend({
  recipient: orgList(d.recipientsRequired, d.recipientInvalid),
  note: z.string().max(2000, d.noteTooLong).optional().transform((v) => (v ?? "").trim() || null),
  campaign: id(d.failed).optional(),
});
export type DispatchInput = z.infer<typeof dispatchSchema>;

/**
 * The thematic builder opened with problems chosen (GET ?problem=…&campaign=…&title=…),
 * from a campaign's recurring problems: anything malformed is simply not chosen.
 */
export const thematicPresetSchema = z.object({
  problem: z
    .array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER))
    .max(THEMATIC_LIMIT)
    .catch([])
    .transform((ids) => [...new Set(ids)]),
  campaign: z.coerce.number().int().positive().max(2 ** 31 - 1).optional().catch(undefined),
  title: z.string().trim().min(2).max(100).optional().catch(undefined),
});
export type ThematicPreset = z.infer<typeof thematicPresetSchema>;
