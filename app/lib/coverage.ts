/**
 * Full coverage figures and the "前松后紧" check: pure functions shared by the loader
 * (app/models/coverage.server.ts) and the page.
 */

export type TermObjectKind = "regular" | "elevated";

export interface Figures {
  /** Objects in the plan (应覆盖). */
  due: number;
  covered: number;
  elevatedDue: number;
  elevatedCovered: number;
  /** Not yet covered, but on a round of the term (已排期未进驻). */
  scheduled: number;
}

export const rate = (f: Pick<Figures, "due" | "covered">) => (f.due ? f.covered / f.due : null);
export const percent = (f: Pick<Figures, "due" | "covered">) => {
  const r = rate(f);
  return r === null ? "—" : `${(r * 100).toFixed(1)}%`;
};

/** Depth-first order from `rootId`: counties under their city. */
export function treeOrder<T extends { id: number; parentId: number | null }>(nodes: T[], rootId: number): T[] {
  const children = new Map<number, T[]>();
  for (const n of nodes) {
    if (n.parentId !== null) children.set(n.parentId, [...(children.get(n.parentId) ?? []), n]);
  }
  const out: T[] = [];
  const visit = (n: T) => {
    out.push(n);
    for (const c of children.get(n.id) ?? []) visit(c);
  };
  const root = nodes.find((n) => n.id === rootId);
  if (root) visit(root);
  return out;
}

export interface PlanObject {
  id: number;
  unitId: number;
  unitName: string;
  unitCategory: string;
  unitOrgName: string;
  kind: TermObjectKind;
  plannedYear: number | null;
  covered: boolean;
  coveredOn: string | null;
  coveredMode: string | null;
  scheduled: boolean;
}

export interface YearBar {
  year: number;
  /** Objects covered in that year (by the first stationing). */
  covered: number;
  /** Not covered, planned for that year. */
  remaining: number;
  past: boolean;
  /** A remaining year whose planned load exceeds the pace of past years. */
  atRisk: boolean;
}

export interface RemainingGroup {
  /** null: not scheduled (未排期). */
  year: number | null;
  overdue: boolean;
  objects: Pick<PlanObject, "id" | "unitName" | "unitOrgName" | "kind" | "scheduled">[];
}

export interface Outlook {
  currentYear: number;
  years: YearBar[];
  unscheduled: number;
  remaining: number;
  /** Covered per elapsed full year of the term (null before the first year is over). */
  pace: { from: number; to: number; covered: number; perYear: number } | null;
  remainingYears: number;
  /** Years from now on with more planned than the pace. */
  riskYears: { year: number; remaining: number }[];
  /** Everything still open is more than the pace can do in the years left. */
  totalRisk: { remaining: number; years: number; capacity: number } | null;
  groups: RemainingGroup[];
}

/**
 * The "前松后紧" check. Past achievement = objects covered in the term's elapsed full
 * years / number of those years. A year from now on is at risk when more objects are
 * still planned for it than that; the term is at risk when all that is open (planned,
 * overdue, unscheduled) exceeds pace x years left.
 */
export function outlook(objects: PlanObject[], term: { startYear: number; endYear: number }, currentYear: number): Outlook {
  const years: YearBar[] = [];
  for (let y = term.startYear; y <= term.endYear; y++) {
    years.push({ year: y, covered: 0, remaining: 0, past: y < currentYear, atRisk: false });
  }
  const byYear = new Map(years.map((y) => [y.year, y]));
  const open = objects.filter((o) => !o.covered);
  for (const o of objects) {
    if (o.covered && o.coveredOn) {
      const bar = byYear.get(Number(o.coveredOn.slice(0, 4)));
      if (bar) bar.covered++;
    } else if (!o.covered && o.plannedYear !== null) {
      const bar = byYear.get(o.plannedYear);
      if (bar) bar.remaining++;
    }
  }
  const lastElapsed = Math.min(currentYear - 1, term.endYear);
  const elapsed = lastElapsed - term.startYear + 1;
  const pastCovered = years.filter((y) => y.year <= lastElapsed).reduce((s, y) => s + y.covered, 0);
  const pace = elapsed >= 1 ? { from: term.startYear, to: lastElapsed, covered: pastCovered, perYear: pastCovered / elapsed } : null;
  const remainingYears = Math.max(0, term.endYear - Math.max(currentYear, term.startYear) + 1);
  const riskYears: Outlook["riskYears"] = [];
  if (pace) {
    for (const y of years) {
      if (!y.past && y.remaining > pace.perYear) {
        y.atRisk = true;
        riskYears.push({ year: y.year, remaining: y.remaining });
      }
    }
  }
  const capacity = pace ? Math.floor(pace.perYear * remainingYears) : 0;
  const totalRisk = pace && open.length > capacity ? { remaining: open.length, years: remainingYears, capacity } : null;

  const groups: RemainingGroup[] = [];
  const pick = (o: PlanObject) => ({ id: o.id, unitName: o.unitName, unitOrgName: o.unitOrgName, kind: o.kind, scheduled: o.scheduled });
  const plannedYears = [...new Set(open.map((o) => o.plannedYear).filter((y): y is number => y !== null))].sort((a, b) => a - b);
  for (const y of plannedYears) {
    groups.push({ year: y, overdue: y < currentYear, objects: open.filter((o) => o.plannedYear === y).map(pick) });
  }
  const unscheduled = open.filter((o) => o.plannedYear === null);
  if (unscheduled.length) groups.push({ year: null, overdue: false, objects: unscheduled.map(pick) });

  return {
    currentYear,
    years,
    unscheduled: unscheduled.length,
    remaining: open.length,
    pace,
    remainingYears,
    riskYears,
    totalRisk,
    groups,
  };
}
