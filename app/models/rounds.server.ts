import type { Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import type { RoundFilters, RoundInput, RoundKind, RoundStatus, TermInput } from "~/lib/schemas/round";

/** Terms and rounds. Every query runs in the caller's RLS context. */

export const ROUND_REFUSALS: DbRefusal[] = [
  { code: "23505", field: "number", message: m.rounds.numberTaken },
  { code: "23514", match: /outside its term/, field: "year", message: m.rounds.yearOutsideTerm },
  { code: "23514", match: /cannot be changed/, field: null, message: m.rounds.frozen },
  { code: "23503", match: /another org/, field: "termId", message: m.rounds.termRequired },
];

export const TERM_REFUSALS: DbRefusal[] = [
  { code: "23505", field: "name", message: m.terms.nameTaken },
  { code: "23514", field: "endYear", message: m.terms.yearsInvalid },
];

export interface RoundRow {
  id: number;
  orgId: number;
  orgName: string;
  termId: number;
  termName: string;
  year: number;
  number: number;
  kind: RoundKind;
  theme: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  status: RoundStatus;
  statusChangedAt: Date;
}

const roundColumns = (db: Tx) => db`
  r.id::int as id, r.org_id as "orgId", o.name as "orgName", r.term_id::int as "termId", t.name as "termName",
  r.year, r.number, r.kind, r.theme, r.planned_start::text as "plannedStart", r.planned_end::text as "plannedEnd",
  r.status, r.status_changed_at as "statusChangedAt"`;

export async function listRounds(db: Tx, f: RoundFilters): Promise<RoundRow[]> {
  return db<RoundRow[]>`
    select ${roundColumns(db)}
      from public.rounds r
      join public.terms t on t.id = r.term_id
      join public.orgs o on o.id = r.org_id
     where true
       ${f.org ? db`and r.org_id = ${f.org}` : db``}
       ${f.year ? db`and r.year = ${f.year}` : db``}
       ${f.status ? db`and r.status = ${f.status}` : db``}
     order by o.level, o.region_code, r.year desc, r.number desc
     limit 500`;
}

export async function getRound(db: Tx, id: number): Promise<RoundRow | undefined> {
  const [row] = await db<RoundRow[]>`
    select ${roundColumns(db)}
      from public.rounds r
      join public.terms t on t.id = r.term_id
      join public.orgs o on o.id = r.org_id
     where r.id = ${id}`;
  return row;
}

export interface HistoryRow {
  id: number;
  fromStatus: RoundStatus | null;
  toStatus: RoundStatus;
  changedBy: string | null;
  changedAt: Date;
}

export async function roundHistory(db: Tx, roundId: number): Promise<HistoryRow[]> {
  return db<HistoryRow[]>`
    select h.id::int as id, h.from_status as "fromStatus", h.to_status as "toStatus",
           p.display_name as "changedBy", h.changed_at as "changedAt"
      from public.round_status_history h
      left join private.people_directory() p on p.user_id = h.changed_by
     where h.round_id = ${roundId}
     order by h.changed_at, h.id`;
}

export async function nextRoundNumber(db: Tx, termId: number): Promise<number> {
  const [{ n }] = await db<{ n: number }[]>`select coalesce(max(number), 0)::int + 1 as n from public.rounds where term_id = ${termId}`;
  return n;
}

export async function createRound(db: Tx, orgId: number, input: RoundInput): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into public.rounds (org_id, term_id, year, number, kind, theme, planned_start, planned_end)
    values (${orgId}, ${input.termId}, ${input.year}, ${input.number}, ${input.kind},
            ${input.kind === "special" ? input.theme ?? null : input.theme || null},
            ${input.plannedStart ?? null}, ${input.plannedEnd ?? null})
    returning id::int as id`;
  return row.id;
}

export async function updateRound(db: Tx, id: number, input: RoundInput): Promise<boolean> {
  const rows = await db`
    update public.rounds
       set year = ${input.year}, number = ${input.number}, kind = ${input.kind}, theme = ${input.theme || null},
           planned_start = ${input.plannedStart ?? null}, planned_end = ${input.plannedEnd ?? null}
     where id = ${id}`;
  return rows.count === 1;
}

/** Moves the round only if it is still in `from` (two people clicking at once: the second gets false). */
export async function moveRound(db: Tx, id: number, from: RoundStatus, to: RoundStatus): Promise<boolean> {
  const rows = await db`update public.rounds set status = ${to} where id = ${id} and status = ${from}`;
  return rows.count === 1;
}

export interface TermRow {
  id: number;
  orgId: number;
  orgName: string;
  name: string;
  startYear: number;
  endYear: number;
  rounds: number;
  /** Objects in the term's full-coverage plan. */
  objects: number;
}

export async function listTerms(db: Tx, orgId?: number): Promise<TermRow[]> {
  return db<TermRow[]>`
    select t.id::int as id, t.org_id as "orgId", o.name as "orgName", t.name, t.start_year as "startYear",
           t.end_year as "endYear", (select count(*)::int from public.rounds r where r.term_id = t.id) as rounds,
           (select count(*)::int from public.term_objects x where x.term_id = t.id) as objects
      from public.terms t
      join public.orgs o on o.id = t.org_id
     where true ${orgId ? db`and t.org_id = ${orgId}` : db``}
     order by o.level, o.region_code, t.start_year desc`;
}

export async function createTerm(db: Tx, orgId: number, input: TermInput): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into public.terms (org_id, name, start_year, end_year)
    values (${orgId}, ${input.name}, ${input.startYear}, ${input.endYear})
    returning id::int as id`;
  return row.id;
}
