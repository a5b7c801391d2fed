/**
 * Figures (统计分析): pure formatting and arithmetic shared by the loaders, the page and
 * the lead's home page. The counts themselves come from the database
 * (public.engagement_figures / public.org_figures).
 */

/** The counts of one engagement, org or roll-up (the database's columns, camel-cased). */
export interface FigureCounts {
  engagements: number;
  problems: number;
  onTheSpot: number;
  deadlineItems: number;
  fedBack: number;
  rectified: number;
  overdueItems: number;
  leadsTransferred: number;
  personsSanctioned: number;
  personsJudicial: number;
  /** Problems by top-level category id. */
  byCategory: Record<string, number>;
}

export const COUNT_KEYS = [
  "engagements", "problems", "onTheSpot", "deadlineItems", "fedBack", "rectified", "overdueItems",
  "leadsTransferred", "personsSanctioned", "personsJudicial",
] as const satisfies readonly (keyof FigureCounts)[];

export type CountKey = (typeof COUNT_KEYS)[number];

export const emptyCounts = (): FigureCounts => ({
  engagements: 0, problems: 0, onTheSpot: 0, deadlineItems: 0, fedBack: 0, rectified: 0, overdueItems: 0,
  leadsTransferred: 0, personsSanctioned: 0, personsJudicial: 0, byCategory: {},
});

/** The sum of several rows (the page checks a total against its parts with it). */
export function sumCounts(rows: FigureCounts[]): FigureCounts {
  const total = emptyCounts();
  for (const row of rows) {
    for (const k of COUNT_KEYS) total[k] += row[k];
    for (const [c, n] of Object.entries(row.byCategory)) total.byCategory[c] = (total.byCategory[c] ?? 0) + n;
  }
  return total;
}

const isCount = (n: number) => Number.isSafeInteger(n) && n >= 0;

/**
 * 整改率 = rectified ÷ fed back, as a percentage with exactly two decimals, rounded half
 * up in integer arithmetic (no binary fractions): 1,903 ÷ 2,266 → "83.98%". "—" when
 * nothing was fed back (or the counts make no sense).
 */
export function rectificationRate(rectified: number, fedBack: number): string {
  if (!isCount(rectified) || !isCount(fedBack) || fedBack === 0 || rectified > fedBack) return "—";
  // Hundredths of a percent, rounded half up: floor((2·r·10000 + f) / (2·f)).
  const hundredths = Math.floor((2 * rectified * 10_000 + fedBack) / (2 * fedBack));
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}%`;
}

/** A count with thousands separators: 2266 → "2,266" (independent of the runtime's locale data). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return "—";
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.trunc(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A share of a total as a bar width (0–100), for the CSS bars of the category table. */
export function share(part: number, total: number): number {
  if (!(total > 0) || !(part > 0)) return 0;
  return Math.min(100, Math.round((part * 1000) / total) / 10);
}

/**
 * The calendar date in China (Asia/Shanghai) at `now`, as YYYY-MM-DD. China keeps UTC+8
 * all year (no daylight saving), so a fixed offset is exact.
 */
export function shanghaiDate(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
