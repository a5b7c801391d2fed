import type { Tx } from "~/lib/db.server";
import { emptyCounts, rectificationRate, shanghaiDate, type FigureCounts } from "~/lib/figures";
import {
  dashboardTables,
  engagementsTable,
  summaryTable,
  type BreakdownRow,
  type CategoryCount,
  type CoverageRow,
  type DashboardData,
  type DashboardRow,
  type DashboardTable,
  type RankingRow,
} from "~/lib/figures-dashboard";
import { buildWorkbook, type SheetSpec } from "~/lib/xlsx.server";
import { engagementsText } from "~/lib/messages/engagements";
import { figuresText } from "~/lib/messages/figures";
import { coverageTree } from "~/models/coverage.server";

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
  /** The rounds' year (rounds.year). */
  year?: number;
  /** A linkage campaign (上下联动): its linked rounds and engagements. */
  campaign?: number;
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
                              ${f.today ?? shanghaiDate()}::date, ${f.year ?? null}::int, ${f.campaign ?? null}::bigint) f
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

export interface SubtreeEngagementRow extends EngagementFigureRow {
  supervisingOrgId: number;
}

/**
 * Every engagement the org counts under the filter (those supervised in its subtree),
 * with its figures, its own rounds' first, each in the page's order (latest round first).
 * One pass of public.engagement_figures gives the dashboard its 本级 list and the scope
 * of its category ranking.
 */
export async function subtreeEngagementFigures(db: Tx, orgId: number, f: FigureFilter = {}): Promise<SubtreeEngagementRow[]> {
  const rows = await db<(CountRow & {
    id: number; supervising_org_id: number; unit_name: string; group_name: string; mode: EngagementFigureRow["mode"];
    term_name: string; round_number: number; round_year: number; feedback_on: string | null;
  })[]>`
    select x.engagement_id::int as id, x.supervising_org_id, 1 as engagements, x.problems, x.on_the_spot, x.deadline_items,
           x.fed_back, x.rectified, x.overdue_items, x.leads_transferred, x.persons_sanctioned, x.persons_judicial, x.by_category,
           e.unit_name, e.group_name, e.mode, t.name as term_name, r.number as round_number, r.year as round_year,
           e.feedback_on::text as feedback_on
      from public.engagement_figures(${f.term ?? null}::bigint, ${f.round ?? null}::bigint, null,
                                     ${f.today ?? shanghaiDate()}::date, ${f.year ?? null}::int, ${f.campaign ?? null}::bigint) x
      join public.org_closure c on c.descendant_id = x.supervising_org_id and c.ancestor_id = ${orgId}
      join public.engagements e on e.id = x.engagement_id
      join public.rounds r on r.id = x.round_id
      join public.terms t on t.id = r.term_id
     order by c.depth, r.year desc, r.number desc, e.unit_name, e.id`;
  return rows.map((r) => ({
    id: r.id,
    supervisingOrgId: r.supervising_org_id,
    unitName: r.unit_name,
    groupName: r.group_name,
    mode: r.mode,
    round: engagementsText.roundName(r.term_name, r.round_number, r.round_year),
    feedbackOn: r.feedback_on,
    ...counts(r),
  }));
}

/**
 * The engagements of the org's own rounds (the 本级 row, engagement by engagement), a
 * page at a time (or all of them), with the number of all of them.
 */
export async function ownEngagementFigures(
  db: Tx,
  orgId: number,
  f: FigureFilter & { page?: number | "all" } = {},
): Promise<{ rows: EngagementFigureRow[]; total: number }> {
  const own = (await subtreeEngagementFigures(db, orgId, f)).filter((e) => e.supervisingOrgId === orgId);
  return { rows: pageOf(own, f.page), total: own.length };
}

/** A page of FIGURES_PAGE_SIZE rows (1-based), or all of them. */
export function pageOf<T>(rows: T[], page: number | "all" | undefined): T[] {
  if (page === "all") return rows;
  const n = Math.max(1, page ?? 1);
  return rows.slice((n - 1) * FIGURES_PAGE_SIZE, n * FIGURES_PAGE_SIZE);
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
  terms: { id: number; label: string; startYear: number; endYear: number }[];
  rounds: { id: number; termId: number; year: number; label: string }[];
  /** The years of those rounds, latest first. */
  years: number[];
  /** The linkage campaigns the caller sees (RLS on campaigns). */
  campaigns: { id: number; title: string }[];
}

/**
 * The terms, rounds and years of the org's subtree that the caller reads (RLS on terms
 * and rounds), and the linkage campaigns he sees.
 */
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
  const campaigns = await db<{ id: number; title: string }[]>`
    select c.id::int as id, c.title from public.campaigns c order by c.starts_on desc, c.id desc`;
  return {
    terms: terms.map((t) => ({
      id: t.id,
      label: `${t.orgName} · ${t.name}（${t.startYear}—${t.endYear}）`,
      startYear: t.startYear,
      endYear: t.endYear,
    })),
    rounds: rounds.map((r) => ({
      id: r.id,
      termId: r.termId,
      year: r.year,
      label: `${r.orgName} · ${engagementsText.roundName(r.termName, r.number, r.year)}`,
    })),
    years: [...new Set(rounds.map((r) => r.year))].sort((a, b) => b - a),
    campaigns,
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

/**
 * Problems by the category recorded (a second-level one, or a top-level one never
 * subdivided), over the engagements the org counts under the filter (the same scope and
 * filters as every other figure: public.engagement_figures), most first. The problems
 * are read under RLS (the supervising office and its ancestors see them).
 */
export async function categoryRanking(db: Tx, orgId: number, f: FigureFilter = {}): Promise<RankingRow[]> {
  return rankingOf(db, (await subtreeEngagementFigures(db, orgId, f)).map((e) => e.id));
}

/** The ranking over the given engagements. */
async function rankingOf(db: Tx, engagementIds: number[]): Promise<RankingRow[]> {
  if (engagementIds.length === 0) return [];
  const rows = await db<{ id: number; name: string; parentName: string | null; subdivided: boolean; problems: number; engagements: number }[]>`
    with counted as (
      select p.category_id, count(*)::int as problems, count(distinct p.engagement_id)::int as engagements
        from public.problems p
       where p.engagement_id = any (${engagementIds}::bigint[])
       group by p.category_id
    )
    select k.category_id::int as id, c.name, parent.name as "parentName",
           (c.parent_id is null and exists (select 1 from public.problem_categories s where s.parent_id = c.id)) as subdivided,
           k.problems, k.engagements
      from counted k
      left join public.problem_categories c on c.id = k.category_id
      left join public.problem_categories parent on parent.id = c.parent_id
     order by k.problems desc, k.engagements desc, coalesce(parent.sort, c.sort), c.sort, k.category_id`;
  return rows.map((r) => ({
    categoryId: r.id,
    name: r.name === null ? figuresText.unknownCategory : r.subdivided ? figuresText.notSubdivided(r.name) : r.name,
    topName: r.parentName ?? r.name ?? figuresText.unknownCategory,
    problems: r.problems,
    engagements: r.engagements,
  }));
}

/** The top-level categories with their counts (from a roll-up's by_category), most first; those without problems left out. */
export function categoryCounts(categories: CategoryOption[], byCategory: Record<string, number>): CategoryCount[] {
  const known = new Set(categories.map((c) => String(c.id)));
  const rows = categories
    .map((c) => ({ id: c.id, name: c.name, problems: byCategory[String(c.id)] ?? 0 }))
    .filter((c) => c.problems > 0);
  // A category the caller cannot name still counts (the sum stays the problems' total).
  for (const [id, n] of Object.entries(byCategory)) {
    if (!known.has(id) && n > 0) rows.push({ id: Number(id), name: figuresText.unknownCategory, problems: n });
  }
  return rows.sort((a, b) => b.problems - a.problems);
}

/**
 * Term coverage (届内覆盖) of the org, its own plan (本级) and each child office rolled
 * up, from the coverage model: the same numbers as the 全覆盖进度 page for that year.
 */
export async function coverageRows(db: Tx, orgId: number, year: number) {
  const nodes = await coverageTree(db, orgId, year);
  const focus = nodes.find((n) => n.id === orgId);
  if (!focus) return null;
  const rows: CoverageRow[] = [
    { kind: "own", label: figuresText.ownRow, due: focus.own.due, covered: focus.own.covered },
    ...nodes
      .filter((n) => n.parentId === orgId)
      .map((n) => ({ kind: "child" as const, label: n.name, orgId: n.id, due: n.rolled.due, covered: n.rolled.covered })),
  ];
  return { year, rows, total: { due: focus.rolled.due, covered: focus.rolled.covered } };
}

export interface Dashboard extends DashboardData {
  figures: OrgFigures;
  /** The engagements of the org's own rounds, all of them, in the page's order. */
  ownEngagements: EngagementFigureRow[];
}

/**
 * Everything the dashboard shows for one org under one filter: the roll-ups, the
 * breakdown (本级 + children, or a leaf office's engagements), categories, the ranking
 * and the term coverage (when `coverageYear` is given: the user reads term plans).
 */
export async function dashboardData(
  db: Tx,
  org: { id: number; name: string },
  f: FigureFilter,
  coverageYear: number | null,
): Promise<Dashboard | undefined> {
  const figures = await orgFigures(db, org.id, f);
  if (!figures) return undefined;
  const engagements = await subtreeEngagementFigures(db, org.id, f);
  const ownEngagements = engagements.filter((e) => e.supervisingOrgId === org.id).map(({ supervisingOrgId: _, ...e }) => e);
  let breakdown: DashboardData["breakdown"];
  if (figures.children.length > 0) {
    breakdown = {
      by: "orgs",
      rows: [
        { ...figures.own, kind: "own", label: figuresText.ownRow, orgId: undefined },
        ...figures.children.map((c): BreakdownRow => ({ ...c, kind: "child", label: c.name, orgId: c.orgId })),
      ],
    };
  } else {
    breakdown = {
      by: "engagements",
      rows: ownEngagements.map((e): BreakdownRow => ({ ...e, kind: "engagement", label: e.unitName, sub: e.round, engagementId: e.id })),
    };
  }
  let coverage: DashboardData["coverage"] = null;
  if (coverageYear !== null) {
    coverage = await coverageRows(db, org.id, coverageYear);
    // A county has no child offices: its own plan is the whole of it.
    if (coverage && breakdown.by === "engagements") coverage.rows = coverage.rows.filter((r) => r.kind === "own");
  }
  return {
    orgName: org.name,
    figures,
    total: figures.total,
    breakdown,
    categories: categoryCounts(await topCategories(db), figures.total.byCategory),
    ranking: await rankingOf(db, engagements.map((e) => e.id)),
    coverage,
    ownEngagements,
  };
}

export interface FigureQuery {
  org?: number;
  term?: number;
  round?: number;
  year?: number;
  campaign?: number;
}

export interface ResolvedQuery {
  focus: OrgCrumb;
  trail: OrgCrumb[];
  options: FilterOptions;
  filter: { term?: number; round?: number; year?: number; campaign?: number };
  /** The filter in words ("" when none). */
  scope: string;
  /** A filter value that does not exist or is not the caller's was dropped. */
  ignored: boolean;
  /** The year whose terms the coverage counts: the filter's, the round's or the term's, else this year. */
  coverageYear: number;
}

/**
 * The org in focus and the filter, checked against what the caller may see: undefined
 * when the org is not in the active org's subtree. A round implies its term and year; a
 * value that does not exist (or is not the caller's) is dropped and reported.
 */
export async function resolveFigureQuery(db: Tx, activeOrgId: number, q: FigureQuery, thisYear: number): Promise<ResolvedQuery | undefined> {
  const focusId = q.org ?? activeOrgId;
  const trail = await orgTrail(db, activeOrgId, focusId);
  if (!trail) return undefined;
  const options = await figureFilterOptions(db, focusId);
  const round = q.round ? options.rounds.find((r) => r.id === q.round) : undefined;
  const term = round ? options.terms.find((x) => x.id === round.termId) : q.term ? options.terms.find((x) => x.id === q.term) : undefined;
  const year = round ? round.year : q.year !== undefined && options.years.includes(q.year) ? q.year : undefined;
  const campaign = q.campaign ? options.campaigns.find((c) => c.id === q.campaign) : undefined;
  const ignored =
    (q.round !== undefined && !round) ||
    (q.term !== undefined && !term) ||
    (q.year !== undefined && !round && year === undefined) ||
    (q.campaign !== undefined && !campaign);
  const scope = [
    round ? round.label : term?.label,
    !round && year !== undefined ? figuresText.yearLabel(year) : undefined,
    campaign ? figuresText.campaignLabel(campaign.title) : undefined,
  ].filter(Boolean).join("；");
  const coverageYear = year ?? (term ? Math.min(Math.max(thisYear, term.startYear), term.endYear) : thisYear);
  return {
    focus: trail[trail.length - 1],
    trail,
    options,
    filter: { term: term?.id, round: round?.id, year, campaign: campaign?.id },
    scope,
    ignored,
    coverageYear,
  };
}

/** "2026-11-22 09:05" in Beijing time (UTC+8 all year). */
export function beijingDateTime(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
}

/** A dashboard table as a sheet: the rows' labels, every column, and the 合计 last. */
export function tableSheet(table: DashboardTable, name: string, title: string, subtitle: string): SheetSpec<DashboardRow> {
  return {
    name,
    title,
    subtitle,
    columns: [
      ...(table.leading ?? []).map((c) => ({
        header: c.label,
        width: 8,
        value: (r: DashboardRow) => r.values[c.key] ?? "",
        format: c.kind === "count" ? ("integer" as const) : undefined,
      })),
      { header: table.head, width: 30, value: (r: DashboardRow) => (r.sub ? `${r.label}（${r.sub}）` : r.label) },
      ...table.columns.map((c) => ({
        header: c.label,
        width: c.kind === "text" ? 24 : Math.max(10, c.label.length * 2 + 4),
        value: (r: DashboardRow) => r.values[c.key] ?? "",
        format: c.kind === "count" ? ("integer" as const) : undefined,
      })),
    ],
    rows: table.total ? [...table.rows, table.total] : table.rows,
  };
}

/**
 * The workbook of the dashboard for a resolved query: a summary sheet (本级, children,
 * 合计), one sheet per chart table, and the org's own engagements, each titled with the
 * org and 统计分析, with the filter and the time of export (Beijing) under it. The tables
 * are the page's own (dashboardTables), so the numbers are the page's.
 */
export async function dashboardWorkbook(
  db: Tx,
  q: ResolvedQuery,
  o: { coverage: boolean; now?: Date; today?: string },
): Promise<{ bytes: Buffer; fileName: string; sheets: number; tables: DashboardTable[] } | undefined> {
  const filter = { ...q.filter, today: o.today };
  const dashboard = await dashboardData(db, q.focus, filter, o.coverage ? q.coverageYear : null);
  if (!dashboard) return undefined;
  const { figures, ownEngagements, ...data } = dashboard;
  const tables = [
    summaryTable(figures.own, figures.children, figures.total),
    ...dashboardTables(data),
    engagementsTable(q.focus.name, ownEngagements, figures.own),
  ];
  const now = o.now ?? new Date();
  const subtitle = figuresText.exportSubtitle(q.scope || figuresText.allScope, beijingDateTime(now));
  const names = new Set<string>();
  const sheets = tables.map((table) => {
    let name = (table.id === "summary" ? figuresText.summarySheet : table.id === "engagements" ? figuresText.engagementsSheet : table.title)
      .replace(/[[\]:*?/\\]/g, "")
      .slice(0, 31);
    while (names.has(name)) name = `${name.slice(0, 29)}_${names.size}`;
    names.add(name);
    return tableSheet(table, name, figuresText.exportTitle(q.focus.name, table.title), subtitle);
  });
  return {
    bytes: await buildWorkbook(sheets),
    fileName: figuresText.exportFileName(q.focus.name, shanghaiDate(now)),
    sheets: sheets.length,
    tables,
  };
}
