import { z } from "zod";
import { labelKeys } from "./keys";
import { grantScopeLabel, grantStatusLabel, sharingText as t } from "../messages/sharing";

/** Forms and query strings of 成果共享 and 巡前通报. One schema for the browser and the server. */

export const grantScopes = labelKeys(grantScopeLabel);
export type GrantScope = (typeof grantScopes)[number];
export const grantStatuses = labelKeys(grantStatusLabel);
export type GrantStatus = (typeof grantStatuses)[number];
export const engagementScopes: readonly GrantScope[] = ["engagement_problems", "engagement_rectification"];

const DAY = 86_400_000;

/** A calendar date (YYYY-MM-DD) `days` later. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/**
 * The latest expiry a grant may have: the same day a year later (28 February for a 29
 * February). The database accepts up to 366 days, so this is always accepted.
 */
export function maxExpiry(today: string): string {
  const [y, m, d] = today.split("-").map(Number);
  const next = new Date(Date.UTC(y + 1, m - 1, d));
  if (next.getUTCMonth() !== m - 1) next.setUTCDate(0);
  return next.toISOString().slice(0, 10);
}

/** The expiry a new grant gets unless changed: 30 days. */
export const defaultExpiry = (today: string) => addDays(today, 30);

const isoDate = (message = t.dateInvalid) =>
  z
    .string({ required_error: message, invalid_type_error: message })
    .regex(/^\d{4}-\d{2}-\d{2}$/, message)
    .refine((v) => !Number.isNaN(Date.parse(v)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), message);

const recordId = (message: string) =>
  z.number({ required_error: message, invalid_type_error: message }).int(message).positive(message).max(Number.MAX_SAFE_INTEGER, message);

/**
 * A grant: a partner of the office, one result (an engagement's problem list or its
 * rectification, or a round's figures), an expiry from today to a year ahead. The target
 * the scope does not use is dropped, so a value left in the hidden select never reaches
 * the database.
 */
export const grantSchema = (today: string) =>
  z
    .object({
      partnerOrgId: recordId(t.partnerRequired),
      scope: z.enum(grantScopes, { errorMap: () => ({ message: t.scopeRequired }) }),
      engagementId: recordId(t.engagementRequired).optional(),
      roundId: recordId(t.roundRequired).optional(),
      expiresOn: isoDate()
        .refine((v) => v >= today, t.expiryPast)
        .refine((v) => v <= maxExpiry(today), t.expiryTooFar(maxExpiry(today))),
      note: z.string().trim().max(1000, t.noteTooLong).optional(),
    })
    .superRefine((v, ctx) => {
      if (engagementScopes.includes(v.scope) && !v.engagementId) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["engagementId"], message: t.engagementRequired });
      }
      if (v.scope === "round_figures" && !v.roundId) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["roundId"], message: t.roundRequired });
      }
    })
    .transform((v) => ({
      ...v,
      engagementId: engagementScopes.includes(v.scope) ? v.engagementId! : null,
      roundId: v.scope === "round_figures" ? v.roundId! : null,
      note: v.note || null,
    }));
export type GrantInput = z.infer<ReturnType<typeof grantSchema>>;

/** 撤销: which grant (whether it is still revocable, the database decides). */
export const revokeSchema = z.object({ grantId: recordId(t.grantRequired) });

/** The office page's query: the tab, a status filter, and a result to preselect in the form. */
const queryId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const sharingQuerySchema = z.object({
  tab: z.enum(["grants", "briefings"]).default("grants").catch("grants"),
  status: z.enum(grantStatuses).optional().catch(undefined),
  engagement: queryId.optional().catch(undefined),
  round: queryId.optional().catch(undefined),
});
export type SharingQuery = z.infer<typeof sharingQuerySchema>;

/** 巡前通报: what was asked of which partner, on a day not after today. */
export const briefingSchema = (today: string) =>
  z.object({
    partnerOrgId: recordId(t.briefingPartnerRequired),
    requestedOn: isoDate().refine((v) => v <= today, t.requestedOnFuture),
    request: z
      .string({ required_error: t.requestRequired })
      .trim()
      .min(2, t.requestRequired)
      .max(5000, t.requestRequired),
  });
export type BriefingInput = z.infer<ReturnType<typeof briefingSchema>>;

/** What came back: between the request's date and today. */
export const briefingReplySchema = (requestedOn: string, today: string) =>
  z.object({
    briefingId: recordId(t.briefingRequired),
    repliedOn: isoDate()
      .refine((v) => v >= requestedOn, t.repliedBeforeRequest(requestedOn))
      .refine((v) => v <= today, t.repliedOnFuture),
    reply: z
      .string({ required_error: t.replyRequired })
      .trim()
      .min(1, t.replyRequired)
      .max(20000, t.replyRequired),
  });
export type BriefingReplyInput = z.infer<ReturnType<typeof briefingReplySchema>>;

/** The reply form's id alone (to find the briefing, whose date the full schema needs). */
export const briefingIdSchema = z.object({ briefingId: queryId });
