import type { Tx } from "~/lib/db.server";
import { emptyCounts, rectificationRate, shanghaiDate, type FigureCounts } from "~/lib/figures";
import { engagementsText } from "~/lib/messages/engagements";

/**
 * Figures (统计分析): problems, 立行立改, 限期整改, feedback, rectification, overdue items,
 * leads and their outcomes, per engagement and per org rolled up over its subtree.
 *
 * The counting is the database's (public.engagement_figures / public.org_figures, ADR
 * 013): an engagement counts for the office whose round it is, so every engagement is
 * counted once and a parent's figure is its own rounds' plus its children's. Both
 * functions apply the caller's scope themselves (readable_org_ids): an org outside the
 * caller's subtree gives no rows at all.
 */

export const FIGURES_PAGE_SIZE = 20;

export interface FigureFilter {
  term?: number;
  round?: number;
  /** YYYY-MM-DD: overdue means open past its deadline on this day. Defaults to today in China. */
  today?: string;
}

interface CountRow {
  engagements: number;
  problems: number;
  on_the_spot: number;
  deadline_items: number;
  fed_back: number;
  rectified: number;
  overdue_items: number;
  leads_transferred: number;
  persons_sanctioned: number;
  persons_judicial: number;
  by_category: Record<string, number>;
}

const counts = (r: CountRow): FigureCounts => ({
  engagements: r.engagements,
  problems: r.problems,
  onTheSpot: r.on_the_spot,
  deadlineItems: r.deadline_items,
  fedBack: r.fed_back,
  rectified: r.rectified,
  overdueItems: r.overdue_items,
  leadsTransferred: r.leads_transferred,
  personsSanctioned: r.persons_sanctioned,
  personsJudicial: r.persons_judicial,
  byCategory: Object.fromEntries(Object.entries(r.by_category ?? {}).map(([k, v]) => [k, Number(v)])),
});

export interface OrgFigureRow extends FigureCounts {
  orgId: number;
  name: string;
  level: "province" | "city" | "county";
}

export interface OrgFigures {
  /** The org rolled up over its subtree. */
  total: OrgFigureRow;
  /** The engagements of the org's own rounds only (本级). */
  own: OrgFigureRow;
  /** Each direct child office, rolled up over its own subtree. */
  children: OrgFigureRow[];
}

/**
 * The org's figures, its own rounds' (本级) and each child's; undefined when the org is
 * not in the caller's subtree (the database returns nothing then).
 */
export async function orgFigures(db: Tx, orgId: number, f: FigureFilter = {}): Promise<OrgFigures | undefined> {
  const rows = await db<(CountRow & { org_id: number; own_only: boolean; name: string; level: OrgFigureRow["level"] })[]>`
    select f.*, o.name, o.level
      from public.org_figures(${orgId}::int, ${f.term ?? null}::bigint, ${f.round ?? null}::bigint,
                              ${f.today ?? shanghaiDate()}::date) f
      join public.orgs o on o.id = f.org_id
     order by (f.org_id <> ${orgId}), f.own_only, o.region_code`;
  const toRow = (r: (typeof rows)[number]): OrgFigureRow => ({ orgId: r.org_id, name: r.name, level: r.level, ...counts(r) });
  const total = rows.find((r) => r.org_id === orgId && !r.own_only);
  const own = rows.find((r) => r.org_id === orgId && r.own_only);
  if (!total || !own) return undefined;
  return { total: toRow(total), own: toRow(own), children: rows.filter((r) => r.org_id !== orgId).map(toRow) };
}

export interface EngagementFigureRow extends FigureCounts {
  id: number;
  unitName: string;
  groupName: string;
  mode: "regular" | "elevated" | "cross";
  round: string;
  feedbackOn: string | null;
}

/**
 * The engagements of the org's own rounds (the 本级 row, engagement by engagement), a
 * page at a time, with the number of all of them.
 */
export async function ownEngagementFigures(
  db: Tx,
  orgId: number,
  f: FigureFilter & { page?: number } = {},
): Promise<{ rows: EngagementFigureRow[]; total: number }> {
  const page = Math.max(1, f.page ?? 1);
  const rows = await db<(CountRow & {
    id: number; unit_name: string; group_name: string; mode: EngagementFigureRow["mode"]; term_name: string;
    round_number: number; round_year: number; feedback_on: string | null; total: number;
  })[]>`
    select x.engagement_id::int as id, 1 as engagements, x.problems, x.on_the_spot, x.deadline_items, x.fed_back,
           x.rectified, x.overdue_items, x.leads_transferred, x.persons_sanctioned, x.persons_judicial, x.by_category,
           e.unit_name, e.group_name, e.mode, t.name as term_name, r.number as round_number, r.year as round_year,
           e.feedback_on::text as feedback_on, count(*) over ()::int as total
      from public.engagement_figures(${f.term ?? null}::bigint, ${f.round ?? null}::bigint, null,
                                     ${f.today ?? shanghaiDate()}::date) x
      join public.engagements e on e.id = x.engagement_id
      join public.rounds r on r.id = x.round_id
      join public.terms t on t.id = r.term_id
     where x.supervising_org_id = ${orgId}
     order by r.year desc, r.number desc, e.unit_name, e.id
     limit ${FIGURES_PAGE_SIZE} offset ${(page - 1) * FIGURES_PAGE_SIZE}`;
  return {
    total: rows[0]?.total ?? (page > 1 ? (await ownEngagementFigures(db, orgId, { ...f, page: 1 })).total : 0),
    rows: rows.map((r) => ({
      id: r.id,
      unitName: r.unit_name,
      groupName: r.group_name,
      mode: r.mode,
      round: engagementsText.roundName(r.term_name, r.round_number, r.round_year),
      feedbackOn: r.feedback_on,
      ...counts(r),
    })),
  };
}

export interface CategoryOption {
  id: number;
  name: string;
}

/** The top-level problem categories the caller reads (the common taxonomy and its line's). */
export async function topCategories(db: Tx): Promise<CategoryOption[]> {
  return db<CategoryOption[]>`
    select c.id::int as id, c.name from public.problem_categories c
     where c.parent_id is null
     order by c.org_id nulls first, c.sort, c.id`;
}

export interface FilterOptions {
  terms: { id: number; label: string }[];
  rounds: { id: number; termId: number; label: string }[];
}

/** The terms and rounds of the org's subtree that the caller reads (RLS on terms and rounds). */
export async function figureFilterOptions(db: Tx, orgId: number): Promise<FilterOptions> {
  const terms = await db<{ id: number; name: string; orgName: string; startYear: number; endYear: number }[]>`
    select t.id::int as id, t.name, o.name as "orgName", t.start_year as "startYear", t.end_year as "endYear"
      from public.terms t
      join public.orgs o on o.id = t.org_id
      join public.org_closure c on c.descendant_id = t.org_id and c.ancestor_id = ${orgId}
     order by c.depth, o.region_code, t.start_year desc`;
  const rounds = await db<{ id: number; termId: number; termName: string; orgName: string; number: number; year: number }[]>`
    select r.id::int as id, r.term_id::int as "termId", t.name as "termName", o.name as "orgName", r.number, r.year
      from public.rounds r
      join public.terms t on t.id = r.term_id
      join public.orgs o on o.id = r.org_id
      join public.org_closure c on c.descendant_id = r.org_id and c.ancestor_id = ${orgId}
     order by c.depth, o.region_code, r.year desc, r.number desc`;
  return {
    terms: terms.map((t) => ({ id: t.id, label: `${t.orgName} · ${t.name}（${t.startYear}—${t.endYear}）` })),
    rounds: rounds.map((r) => ({
      id: r.id,
      termId: r.termId,
      label: `${r.orgName} · ${engagementsText.roundName(r.termName, r.number, r.year)}`,
    })),
  };
}

export interface OrgCrumb {
  id: number;
  name: string;
}

/** The path from `rootId` down to `orgId` (both included), or undefined when `orgId` is not below `rootId`. */
export async function orgTrail(db: Tx, rootId: number, orgId: number): Promise<OrgCrumb[] | undefined> {
  const rows = await db<OrgCrumb[]>`
    select o.id, o.name
      from public.org_closure down
      join public.org_closure up on up.descendant_id = ${orgId} and up.ancestor_id = down.descendant_id
      join public.orgs o on o.id = down.descendant_id
     where down.ancestor_id = ${rootId}
     order by up.depth desc`;
  return rows.length && rows[rows.length - 1].id === orgId && rows[0].id === rootId ? rows : undefined;
}

export interface HomeFigures {
  fedBack: number;
  rectified: number;
  /** 整改率 with two decimals, or "—". */
  rate: string;
  overdue: number;
  problems: number;
}

/** For the home page: the active org's figures rolled up over its subtree, today in China. */
export async function homeFigures(db: Tx, orgId: number, now: Date = new Date()): Promise<HomeFigures> {
  const f = await orgFigures(db, orgId, { today: shanghaiDate(now) });
  const t = f?.total ?? emptyCounts();
  return {
    fedBack: t.fedBack,
    rectified: t.rectified,
    rate: rectificationRate(t.rectified, t.fedBack),
    overdue: t.overdueItems,
    problems: t.problems,
  };
}
