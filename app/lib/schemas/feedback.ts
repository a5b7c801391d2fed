import { z } from "zod";
import { labelKeys } from "./keys";
import { feedbackFormLabel, feedbackText as t } from "../messages/feedback";

/** The feedback form. One schema for the browser and the server. */

export const feedbackForms = labelKeys(feedbackFormLabel);
export type FeedbackForm = (typeof feedbackForms)[number];

const isoDate = z
  .string({ required_error: t.dateInvalid, invalid_type_error: t.dateInvalid })
  .regex(/^\d{4}-\d{2}-\d{2}$/, t.dateInvalid)
  .refine((v) => !Number.isNaN(Date.parse(v)), t.dateInvalid);

/**
 * A date plus whole months, as PostgreSQL's `date + interval 'N months'` does it: the day
 * is clamped to the month's last (2026-12-31 + 2 months = 2027-02-28).
 */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const month0 = m - 1 + months;
  const year = y + Math.floor(month0 / 12);
  const month = ((month0 % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${year}-${String(month + 1).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** 整改方案报送期限 unless the office sets another: two months after the feedback. */
export const defaultPlanDue = (feedbackOn: string) => addMonths(feedbackOn, 2);

/**
 * Feedback comes on or after the report (reportedOn, from the engagement), the plan
 * deadline after the feedback, and at least one problem of the list goes to the unit.
 * The database checks all of it again.
 */
export const feedbackSchema = (reportedOn: string) =>
  z
    .object({
      feedbackOn: isoDate.refine((v) => v >= reportedOn, t.feedbackBeforeReport(reportedOn)),
      form: z.enum(feedbackForms, { errorMap: () => ({ message: t.formRequired }) }),
      attendees: z.string({ required_error: t.attendeesRequired }).trim().min(2, t.attendeesRequired).max(1000, t.attendeesRequired),
      documentNo: z.string().trim().max(60, t.documentNoTooLong).optional(),
      mainRecipients: z.string({ required_error: t.mainRequired }).trim().min(2, t.mainRequired).max(200, t.mainRequired),
      ccRecipients: z.string().trim().max(500, t.ccTooLong).optional(),
      planDue: isoDate.optional(),
      problemIds: z
        .array(z.number({ invalid_type_error: t.problemsRequired }).int().positive().max(Number.MAX_SAFE_INTEGER), {
          required_error: t.problemsRequired,
          invalid_type_error: t.problemsRequired,
        })
        .min(1, t.problemsRequired)
        .max(1000),
    })
    .superRefine((v, ctx) => {
      if (v.planDue && v.planDue <= v.feedbackOn) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["planDue"], message: t.planDueAfter });
      }
    });
export type FeedbackInput = z.infer<ReturnType<typeof feedbackSchema>>;
