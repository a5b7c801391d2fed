import { z } from "zod";

const id = z.coerce.number().int().positive().max(2 ** 31 - 1);

/**
 * The query of 统计分析 and of its Excel export (/figures/xlsx). A malformed org is a page
 * that does not exist; a malformed filter is ignored (an empty select sends "").
 */
export const figuresQuerySchema = z.object({
  org: z.union([z.literal("").transform(() => undefined), id]).optional(),
  term: id.optional().catch(undefined),
  round: id.optional().catch(undefined),
  year: z.coerce.number().int().min(1949).max(2200).optional().catch(undefined),
  campaign: id.optional().catch(undefined),
  page: z.coerce.number().int().positive().max(10_000).optional().catch(undefined),
});

export type FiguresQuery = z.infer<typeof figuresQuerySchema>;

/** The search string of a figures URL for an org and filter (the active org itself needs no org=). */
export function figuresSearch(
  q: { org?: number; term?: number; round?: number; year?: number; campaign?: number; page?: number },
  rootId: number,
): string {
  const p = new URLSearchParams();
  if (q.org !== undefined && q.org !== rootId) p.set("org", String(q.org));
  if (q.term) p.set("term", String(q.term));
  if (q.year) p.set("year", String(q.year));
  if (q.round) p.set("round", String(q.round));
  if (q.campaign) p.set("campaign", String(q.campaign));
  if (q.page && q.page > 1) p.set("page", String(q.page));
  const s = p.toString();
  return s ? `?${s}` : "";
}
