import { importsText } from "../messages/imports";
import { cadreSpec, ledgerSpec, sameMeasures, unitSpec, type CadreRecord, type LedgerRecord, type UnitRecord } from "./kinds";
import type { RowError } from "./parse";

/**
 * The second half of validation: each row against what the database already holds,
 * given the lookups the model made (one query per kind of lookup, in the user's RLS
 * context). Pure.
 */

const v = importsText.v;
const header = <K extends string>(spec: { columns: readonly { key: K; header: string }[] }, key: K) =>
  spec.columns.find((c) => c.key === key)!.header;

type Rows<T> = { row: number; value: T }[];

// ---------------------------------------------------------------- units

export interface UnitLookups {
  /** Every unit name of the org, active or not (names are unique per org). */
  taken: Set<string>;
  /** The org's active units by name: the parents a row may name. */
  activeParents: Map<string, number>;
}

export interface UnitPlan {
  /** Rows to insert, in waves: a row's parent is an existing unit or a row of an earlier wave. */
  waves: UnitRecord[][];
  /** The existing units the rows name as parents, by name. */
  parents: [name: string, id: number][];
}

export function resolveUnits(records: Rows<UnitRecord>, lookups: UnitLookups): { errors: RowError[]; plan: UnitPlan } {
  const errors: RowError[] = [];
  const byName = new Map(records.map((r) => [r.value.name, r]));
  for (const r of records) {
    if (lookups.taken.has(r.value.name)) {
      errors.push({ row: r.row, column: header(unitSpec, "name"), message: v.unitExists });
    }
    const p = r.value.parent;
    if (p !== null && !lookups.activeParents.has(p) && !byName.has(p)) {
      errors.push({ row: r.row, column: header(unitSpec, "parent"), message: v.parentUnknown });
    }
  }
  // Depth within the file: 0 for a row whose parent exists already (or none).
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const r = byName.get(name)!;
    const p = r.value.parent;
    if (p === null || !byName.has(p)) {
      depth.set(name, 0);
      return 0;
    }
    if (visiting.has(name)) return Number.POSITIVE_INFINITY;
    visiting.add(name);
    const d = depthOf(p) + 1;
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  const waves: UnitRecord[][] = [];
  for (const r of records) {
    const d = depthOf(r.value.name);
    if (!Number.isFinite(d)) {
      errors.push({ row: r.row, column: header(unitSpec, "parent"), message: v.parentCycle });
      continue;
    }
    (waves[d] ??= []).push(r.value);
  }
  const parents = [...new Set(records.map((r) => r.value.parent).filter((p): p is string => p !== null && !byName.has(p)))]
    .filter((p) => lookups.activeParents.has(p))
    .map((p): [string, number] => [p, lookups.activeParents.get(p)!]);
  return { errors, plan: { waves: waves.filter(Boolean), parents } };
}

// ---------------------------------------------------------------- cadres

export const cadreKey = (name: string, homeUnit: string) => `${name}\u0000${homeUnit}`;

/** `existing`: cadreKey of every cadre of the office's own pool with one of the file's names. */
export function resolveCadres(records: Rows<CadreRecord>, existing: Set<string>): RowError[] {
  return records
    .filter((r) => existing.has(cadreKey(r.value.name, r.value.homeUnit)))
    .map((r) => ({ row: r.row, column: header(cadreSpec, "name"), message: v.cadreExists }));
}

// ---------------------------------------------------------------- the ledger

export interface LedgerEngagement {
  engagementId: number;
  unitName: string;
  feedbackOn: string;
}

export interface LedgerProblem {
  engagementId: number;
  seq: number;
  problemId: number;
}

export interface LedgerItem {
  problemId: number;
  measures: string;
}

export interface LedgerRow extends LedgerRecord {
  problemId: number;
}

/**
 * `engagements`: those of the chosen round that the office supervises and fed back;
 * `problems`: their fed-back problems with the file's numbers; `items`: the items those
 * problems have already.
 */
export function resolveLedger(
  records: Rows<LedgerRecord>,
  engagements: LedgerEngagement[],
  problems: LedgerProblem[],
  items: LedgerItem[],
): { errors: RowError[]; rows: LedgerRow[] } {
  const errors: RowError[] = [];
  const rows: LedgerRow[] = [];
  const byUnit = new Map<string, LedgerEngagement[]>();
  for (const e of engagements) byUnit.set(e.unitName, [...(byUnit.get(e.unitName) ?? []), e]);
  const problemOf = new Map(problems.map((p) => [`${p.engagementId}:${p.seq}`, p.problemId]));
  const existing = new Set(items.map((i) => `${i.problemId}\u0000${sameMeasures(i.measures)}`));
  for (const r of records) {
    const found = byUnit.get(r.value.unitName) ?? [];
    if (found.length !== 1) {
      errors.push({ row: r.row, column: header(ledgerSpec, "unitName"), message: found.length ? v.ambiguousUnit : v.unknownUnit });
      continue;
    }
    const e = found[0];
    const problemId = problemOf.get(`${e.engagementId}:${r.value.problemSeq}`);
    let fine = true;
    if (problemId === undefined) {
      errors.push({ row: r.row, column: header(ledgerSpec, "problemSeq"), message: v.unknownProblem });
      fine = false;
    } else if (existing.has(`${problemId}\u0000${sameMeasures(r.value.measures)}`)) {
      errors.push({ row: r.row, column: header(ledgerSpec, "measures"), message: v.itemExists });
      fine = false;
    }
    if (r.value.deadline !== null && r.value.deadline < e.feedbackOn) {
      errors.push({ row: r.row, column: header(ledgerSpec, "deadline"), message: v.deadlineBeforeFeedback(e.feedbackOn) });
      fine = false;
    }
    if (fine) rows.push({ ...r.value, problemId: problemId! });
  }
  return { errors, rows };
}
