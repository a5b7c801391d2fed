import { z } from "zod";
import { labelKeys } from "./keys";
import { disciplineFormLabel, findingsText, paperStatusLabel, severityLabel } from "../messages/findings";

const t = findingsText;

export const severities = labelKeys(severityLabel);
export const disciplineForms = labelKeys(disciplineFormLabel);
export const paperStatuses = labelKeys(paperStatusLabel);
export const paperActions = ["submit", "approve", "return"] as const;
export const documentKinds = ["report", "feedback"] as const;
export type Severity = (typeof severities)[number];
export type DisciplineForm = (typeof disciplineForms)[number];
export type PaperStatus = (typeof paperStatuses)[number];
export type PaperAction = (typeof paperActions)[number];
export type DocumentKind = (typeof documentKinds)[number];

/** The chain in order (public.paper_status). */
export const paperChain: PaperStatus[] = ["drafting", "deputy_review", "leader_review", "meeting_review", "approved"];

const id = (message: string) =>
  z.coerce
    .number({ invalid_type_error: message, required_error: message })
    .int(message)
    .positive(message)
    .max(Number.MAX_SAFE_INTEGER, message);

/** A working paper's content: what the group writes while drafting. */
export const paperSchema = z.object({
  title: z.string({ required_error: t.papers.titleRequired }).trim().min(2, t.papers.titleRequired).max(200, t.papers.titleRequired),
  facts: z.string({ required_error: t.papers.factsRequired }).trim().min(2, t.papers.factsRequired).max(20000, t.papers.factsRequired),
  evidence: z.string().trim().max(5000, t.papers.evidenceTooLong).optional(),
  categoryId: id(t.papers.categoryRequired),
  severity: z.enum(severities, { errorMap: () => ({ message: t.papers.severityRequired }) }),
  disciplineForm: z.enum(disciplineForms).optional(),
  onTheSpot: z.boolean().default(false),
  handlerMemberId: id(t.papers.handlerRequired),
});
export type PaperInput = z.infer<typeof paperSchema>;

/** One step of the review chain; a return gives its reason. */
export const reviewSchema = z
  .object({
    action: z.enum(paperActions),
    comment: z.string().trim().max(2000, t.review.commentTooLong).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.action === "return" && (v.comment ?? "").length < 2) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["comment"], message: t.review.reasonRequired });
    }
  });
export type ReviewInput = z.infer<typeof reviewSchema>;

/** An office's own category: a top-level one, or under a top-level one. */
export const categorySchema = z.object({
  name: z.string({ required_error: t.categories.nameRequired }).trim().min(2, t.categories.nameRequired).max(60, t.categories.nameRequired),
  parentId: id(t.categories.twoLevels).optional(),
});
export type CategoryInput = z.infer<typeof categorySchema>;

export const THEMATIC_LIMIT = 200;

/** The thematic search (GET): anything malformed is simply no filter. */
export const thematicFilterSchema = z.object({
  category: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined),
  round: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined),
  q: z.string().trim().max(50).optional().catch(undefined),
});
export type ThematicFilters = z.infer<typeof thematicFilterSchema>;

/** What a thematic report is made of: a title, its 主送, the problems chosen. */
export const thematicSchema = z.object({
  title: z.string({ required_error: t.thematic.titleRequired }).trim().min(2, t.thematic.titleRequired).max(100, t.thematic.titleRequired),
  mainRecipients: z
    .string({ required_error: t.thematic.recipientsRequired })
    .trim()
    .min(2, t.thematic.recipientsRequired)
    .max(200, t.thematic.recipientsRequired),
  problem: z
    .array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER), {
      required_error: t.thematic.problemsRequired,
      invalid_type_error: t.thematic.problemsRequired,
    })
    .min(1, t.thematic.problemsRequired)
    .max(THEMATIC_LIMIT, t.thematic.tooMany),
});
export type ThematicInput = z.infer<typeof thematicSchema>;
