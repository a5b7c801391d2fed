/**
 * The dashboard of 统计分析 as tables: one table per chart, built from the loader's data by
 * pure functions. The page renders each chart and its table view from the same table,
 * and the Excel export writes the same tables, so a chart, its table and the export can
 * only show the same numbers.
 */
import { percent } from "./coverage";
import { formatCount, rectificationRate, share, type FigureCounts } from "./figures";
import { engagementModeLabel } from "./messages";
import { figuresText as t } from "./messages/figures";

/** The top recurring categories shown (chart, table and export alike). */
export const RANKING_TOP = 10;

export type RowKind = "own" | "child" | "engagement" | "item" | "total";

/** One row of the per-org breakdown: 本级, a child office, or (at a leaf office) one of its engagements. */
export interface BreakdownRow extends FigureCounts {
  kind: "own" | "child" | "engagement";
  label: string;
  /** An engagement's round, shown under its unit. */
  sub?: string;
  orgId?: number;
  engagementId?: number;
}

export interface CoverageRow {
  kind: "own" | "child";
  label: string;
  orgId?: number;
  due: number;
  covered: number;
}

export interface CategoryCount {
  id: number;
  name: string;
  problems: number;
}

export interface RankingRow {
  categoryId: number;
  /** The category as recorded (a second-level one, or a top-level one never subdivided). */
  name: string;
  topName: string;
  problems: number;
  /** Engagements in which the category occurs (涉及单位，个次). */
  engagements: number;
}

export interface DashboardData {
  orgName: string;
  total: FigureCounts;
  /** 本级 + each child office; at an office without children, its own engagements. */
  breakdown: { by: "orgs" | "engagements"; rows: BreakdownRow[] };
  /** Top-level categories with at least one problem, most first. */
  categories: CategoryCount[];
  /** Every recorded category, most problems first (the page shows the first RANKING_TOP). */
  ranking: RankingRow[];
  /** null: the user does not read term plans. */
  coverage: { year: number; rows: CoverageRow[]; total: { due: number; covered: number } } | null;
}

export type TableId = "coverage" | "categories" | "ranking" | "problems" | "leads" | "rectification" | "overdue";

export interface DashboardColumn {
  key: string;
  label: string;
  kind: "count" | "rate" | "text";
}

export interface DashboardRow {
  key: string;
  kind: RowKind;
  label: string;
  sub?: string;
  orgId?: number;
  engagementId?: number;
  /** Counts as numbers, rates as the text shown ("83.98%", "—"). */
  values: Record<string, number | string>;
}

export interface DashboardTable {
  id: TableId | "summary" | "engagements";
  title: string;
  note: string;
  /** The header of the rows' labels' column. */
  head: string;
  /** Columns before the labels (the ranking's 排名). */
  leading?: DashboardColumn[];
  columns: DashboardColumn[];
  rows: DashboardRow[];
  total?: DashboardRow;
}

const count = (key: string, label: string): DashboardColumn => ({ key, label, kind: "count" });
const rate = (key: string, label: string): DashboardColumn => ({ key, label, kind: "rate" });

function rowOf(r: BreakdownRow, values: Record<string, number | string>): DashboardRow {
  return {
    key: r.kind === "own" ? "own" : r.kind === "child" ? `org-${r.orgId}` : `engagement-${r.engagementId}`,
    kind: r.kind,
    label: r.label,
    sub: r.sub,
    orgId: r.orgId,
    engagementId: r.engagementId,
    values,
  };
}

const totalRow = (values: Record<string, number | string>): DashboardRow => ({ key: "total", kind: "total", label: t.totalRow, values });

/** A breakdown table: one row per breakdown row and the 合计 (the database's roll-up). */
function breakdownTable(
  d: DashboardData,
  spec: {
    id: TableId;
    title: string;
    leafTitle?: string;
    note: string;
    leafNote?: string;
    columns: DashboardColumn[];
    values: (f: FigureCounts) => Record<string, number | string>;
  },
): DashboardTable {
  const leaf = d.breakdown.by === "engagements";
  return {
    id: spec.id,
    title: leaf && spec.leafTitle ? spec.leafTitle : spec.title,
    note: leaf && spec.leafNote ? spec.leafNote : spec.note,
    head: leaf ? t.unit : t.org,
    columns: spec.columns,
    rows: d.breakdown.rows.map((r) => rowOf(r, spec.values(r))),
    total: totalRow(spec.values(d.total)),
  };
}

/** The chart tables of the dashboard, in the page's order. */
export function dashboardTables(d: DashboardData): DashboardTable[] {
  const tables: DashboardTable[] = [];
  if (d.coverage) {
    const cov = (x: { due: number; covered: number }) => ({
      due: x.due,
      covered: x.covered,
      uncovered: x.due - x.covered,
      rate: percent(x),
    });
    tables.push({
      id: "coverage",
      title: t.coverageTitle,
      note: d.breakdown.by === "orgs" ? t.coverageNote(d.coverage.year) : t.coverageLeafNote(d.coverage.year),
      head: t.org,
      columns: [count("due", t.colDue), count("covered", t.colCovered), count("uncovered", t.colUncovered), rate("rate", t.colCoverageRate)],
      rows: d.coverage.rows.map((r) => ({
        key: r.kind === "own" ? "own" : `org-${r.orgId}`,
        kind: r.kind,
        label: r.kind === "own" ? t.ownRow : r.label,
        orgId: r.orgId,
        values: cov(r),
      })),
      total: totalRow(cov(d.coverage.total)),
    });
  }
  const categoryTotal = d.categories.reduce((a, c) => a + c.problems, 0);
  tables.push({
    id: "categories",
    title: t.categoriesTitle,
    note: t.categoriesNote,
    head: t.category,
    columns: [count("problems", t.count), rate("share", t.shareCol)],
    rows: d.categories.map((c) => ({
      key: `category-${c.id}`,
      kind: "item",
      label: c.name,
      values: { problems: c.problems, share: `${share(c.problems, categoryTotal).toFixed(1)}%` },
    })),
    total: totalRow({ problems: categoryTotal, share: categoryTotal ? "100.0%" : "—" }),
  });
  tables.push({
    id: "ranking",
    title: t.rankingTitle,
    note: t.rankingNote,
    head: t.category,
    leading: [{ key: "rank", label: t.colRank, kind: "count" }],
    columns: [
      { key: "topName", label: t.colTopCategory, kind: "text" },
      count("problems", t.count),
      count("engagements", t.colInvolved),
    ],
    rows: d.ranking.slice(0, RANKING_TOP).map((r, i) => ({
      key: `category-${r.categoryId}`,
      kind: "item",
      label: r.name,
      values: { rank: i + 1, topName: r.topName, problems: r.problems, engagements: r.engagements },
    })),
  });
  tables.push(
    breakdownTable(d, {
      id: "problems",
      title: t.problemsTitle,
      leafTitle: t.problemsLeafTitle,
      note: t.problemsNote,
      leafNote: t.problemsLeafNote,
      columns: [count("problems", t.problems), count("onTheSpot", t.onTheSpot), count("deadlineItems", t.deadlineItems)],
      values: (f) => ({ problems: f.problems, onTheSpot: f.onTheSpot, deadlineItems: f.deadlineItems }),
    }),
    breakdownTable(d, {
      id: "leads",
      title: t.leadsTitle,
      note: t.leadsNote,
      columns: [count("leadsTransferred", t.leadsTransferred), count("personsSanctioned", t.personsSanctioned), count("personsJudicial", t.personsJudicial)],
      values: (f) => ({ leadsTransferred: f.leadsTransferred, personsSanctioned: f.personsSanctioned, personsJudicial: f.personsJudicial }),
    }),
    breakdownTable(d, {
      id: "rectification",
      title: t.rectificationTitle,
      note: t.rectificationNote,
      columns: [count("fedBack", t.fedBack), count("rectified", t.rectified), rate("rate", t.rate)],
      values: (f) => ({ fedBack: f.fedBack, rectified: f.rectified, rate: rectificationRate(f.rectified, f.fedBack) }),
    }),
    breakdownTable(d, {
      id: "overdue",
      title: t.overdueTitle,
      note: t.overdueNote,
      columns: [count("overdueItems", t.overdue)],
      values: (f) => ({ overdueItems: f.overdueItems }),
    }),
  );
  return tables;
}

/** All the figure columns, in the cards' order (the summary and engagements sheets). */
const allColumns: DashboardColumn[] = [
  count("problems", t.problems),
  count("onTheSpot", t.onTheSpot),
  count("deadlineItems", t.deadlineItems),
  count("leadsTransferred", t.leadsTransferred),
  count("personsSanctioned", t.personsSanctioned),
  count("personsJudicial", t.personsJudicial),
  count("fedBack", t.fedBack),
  count("rectified", t.rectified),
  rate("rate", t.rate),
  count("overdueItems", t.overdue),
];

const allValues = (f: FigureCounts): Record<string, number | string> => ({
  problems: f.problems,
  onTheSpot: f.onTheSpot,
  deadlineItems: f.deadlineItems,
  leadsTransferred: f.leadsTransferred,
  personsSanctioned: f.personsSanctioned,
  personsJudicial: f.personsJudicial,
  fedBack: f.fedBack,
  rectified: f.rectified,
  rate: rectificationRate(f.rectified, f.fedBack),
  overdueItems: f.overdueItems,
});

/** 本级 + each child + 合计 with every figure (the page's 各下级机构 table). */
export function summaryTable(own: FigureCounts, children: (FigureCounts & { orgId: number; name: string })[], total: FigureCounts): DashboardTable {
  return {
    id: "summary",
    title: t.childrenTitle,
    note: t.countingNote,
    head: t.org,
    columns: [count("engagements", t.engagements), ...allColumns],
    rows: [
      { key: "own", kind: "own", label: t.ownRow, values: { engagements: own.engagements, ...allValues(own) } },
      ...children.map((c) => ({
        key: `org-${c.orgId}`,
        kind: "child" as const,
        label: c.name,
        orgId: c.orgId,
        values: { engagements: c.engagements, ...allValues(c) },
      })),
    ],
    total: totalRow({ engagements: total.engagements, ...allValues(total) }),
  };
}

export interface EngagementLine extends FigureCounts {
  id: number;
  unitName: string;
  groupName: string;
  mode: "regular" | "elevated" | "cross";
  round: string;
}

/** The org's own engagements with every figure (the export's last sheet). */
export function engagementsTable(orgName: string, rows: EngagementLine[], own: FigureCounts): DashboardTable {
  return {
    id: "engagements",
    title: t.engagementsTitle(orgName),
    note: t.engagementsNote,
    head: t.unit,
    columns: [
      { key: "round", label: t.colUnitRound, kind: "text" },
      { key: "group", label: t.colGroup, kind: "text" },
      { key: "mode", label: t.colMode, kind: "text" },
      ...allColumns,
    ],
    rows: rows.map((e) => ({
      key: `engagement-${e.id}`,
      kind: "engagement",
      label: e.unitName,
      engagementId: e.id,
      values: { round: e.round, group: e.groupName, mode: engagementModeLabel[e.mode], ...allValues(e) },
    })),
    total: totalRow({ round: "", group: "", mode: "", ...allValues(own) }),
  };
}

/** A cell as the page shows it. */
export function cellText(column: DashboardColumn, value: number | string | undefined): string {
  if (value === undefined) return "";
  if (column.kind === "count" && typeof value === "number") return formatCount(value);
  return String(value);
}

/** A rate's text ("83.98%", "54.7%") as a number of percent, or null for "—". */
export function rateValue(text: number | string | undefined): number | null {
  if (typeof text !== "string" || !text.endsWith("%")) return null;
  const n = Number(text.slice(0, -1));
  return Number.isFinite(n) ? n : null;
}
