import { inUserContext, type JwtClaims, type Tx } from "~/lib/db.server";
import { specs, type CadreRecord, type ImportKind } from "~/lib/imports/kinds";
import { MAX_KEPT_ERRORS, parseSheet, sortErrors, type RowError, type SheetRow } from "~/lib/imports/parse";
import {
  cadreKey,
  resolveCadres,
  resolveLedger,
  resolveUnits,
  type LedgerEngagement,
  type LedgerItem,
  type LedgerProblem,
  type LedgerRow,
  type UnitPlan,
} from "~/lib/imports/resolve";
import { importsText } from "~/lib/messages/imports";
import type { Sql } from "~/lib/privileged.server";
import { beijingToday } from "~/lib/rectification";
import { readSheetRows } from "~/lib/xlsx.server";

/**
 * Excel imports as background jobs (migration 20261121002100_import_jobs.sql).
 *
 * The upload action starts a job and hands the file to runImport, which runs in the same
 * Node process after the response: it reads and validates every row (lookups in the
 * user's RLS context, one query per kind of lookup), then writes all rows in ONE
 * user-context transaction with set-based inserts in batches, and reports its progress
 * through separate short transactions, so the job page shows it while the write runs.
 * Any error in the file, or any refusal of the database, and nothing is written.
 */

export const IMPORT_BATCH = 1_000;

/**
 * Where the runner's transactions go: in the app, each is one inUserContext
 * transaction on the request pool with the uploading request's claims (so progress
 * commits on its own, visible to the job page); in the database tests, a savepoint of
 * the test's rolled-back transaction.
 */
export interface ImportDb {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export function userImportDb(sql: Sql, claims: JwtClaims): ImportDb {
  return { transaction: (fn) => inUserContext(sql, claims, fn) };
}

// ---------------------------------------------------------------- jobs

export type ImportStatus = "validating" | "writing" | "done" | "failed";

export interface ImportJobRow {
  id: number;
  kind: ImportKind;
  roundId: number | null;
  filename: string;
  status: ImportStatus;
  totalRows: number;
  doneRows: number;
  errorCount: number;
  written: number;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export interface ImportJob extends ImportJobRow {
  orgId: number;
  errors: RowError[];
}

/** A job silent this long while running was interrupted (a restart, a session that ended). */
export const STALE_AFTER_MS = 5 * 60_000;

export function isStale(job: Pick<ImportJobRow, "status" | "updatedAt">, now = new Date()): boolean {
  return (job.status === "validating" || job.status === "writing") && now.getTime() - new Date(job.updatedAt).getTime() > STALE_AFTER_MS;
}

const jobColumns = `
  id::int as id, kind::text as kind, round_id::int as "roundId", filename, status::text as status,
  total_rows as "totalRows", done_rows as "doneRows", error_count as "errorCount", written,
  created_at as "createdAt", updated_at as "updatedAt", finished_at as "finishedAt"`;

/** A new job of the session's user under the active org; "running" when one of his runs already. */
export async function startImportJob(db: Tx, kind: ImportKind, filename: string, roundId: number | null): Promise<number | "running"> {
  try {
    const [row] = await db.savepoint((sp) => sp<{ id: number }[]>`
      select public.start_import_job(${kind}::public.import_kind, ${filename}, ${roundId}::bigint)::int as id`);
    return row.id;
  } catch (error) {
    if ((error as { code?: string }).code === "55P03") return "running";
    throw error;
  }
}

export async function reportProgress(db: Tx, jobId: number, status: "validating" | "writing", total: number, done: number) {
  await db`select public.report_import_progress(${jobId}::bigint, ${status}::public.import_status, ${total}::int, ${done}::int)`;
}

export async function finishJob(db: Tx, jobId: number, outcome: { ok: true; written: number } | { ok: false; errors: RowError[]; errorCount: number }) {
  const errors = outcome.ok ? [] : outcome.errors.slice(0, MAX_KEPT_ERRORS);
  await db`select public.finish_import_job(${jobId}::bigint, ${outcome.ok}, ${outcome.ok ? outcome.written : 0}::int,
                                           ${db.json(errors as never)}::jsonb, ${outcome.ok ? 0 : outcome.errorCount}::int)`;
}

export async function myImportJobs(db: Tx, limit = 20): Promise<ImportJobRow[]> {
  return db<ImportJobRow[]>`select ${db.unsafe(jobColumns)} from public.my_import_jobs(${limit}::int)`;
}

export async function getImportJob(db: Tx, id: number): Promise<ImportJob | undefined> {
  const [row] = await db<ImportJob[]>`
    select ${db.unsafe(jobColumns)}, org_id as "orgId", errors from public.get_import_job(${id}::bigint)`;
  return row;
}

// ---------------------------------------------------------------- the ledger's rounds

export interface LedgerRound {
  id: number;
  label: string;
  status: string;
  /** Engagements of the round the office supervises and has fed back. */
  fedBack: number;
}

/** The office's own rounds with fed-back engagements it supervises: where a ledger may go. */
export async function ledgerRounds(db: Tx, orgId: number): Promise<LedgerRound[]> {
  return db<LedgerRound[]>`
    select r.id::int as id, t.name || '第' || r.number || '轮（' || r.year || '年）' as label, r.status::text as status,
           count(*)::int as "fedBack"
      from public.rounds r
      join public.terms t on t.id = r.term_id
      join public.engagements e on e.round_id = r.id and e.supervising_org_id = ${orgId}
      join public.feedbacks f on f.engagement_id = e.id
     where r.org_id = ${orgId}
     group by r.id, t.name, t.start_year
     order by t.start_year desc, r.year desc, r.number desc`;
}

export async function roundLabel(db: Tx, roundId: number): Promise<string | null> {
  const [row] = await db<{ label: string }[]>`
    select t.name || '第' || r.number || '轮（' || r.year || '年）' as label
      from public.rounds r join public.terms t on t.id = r.term_id where r.id = ${roundId}`;
  return row?.label ?? null;
}

// ---------------------------------------------------------------- validation

export interface ImportTarget {
  kind: ImportKind;
  /** The active org the rows go to (units, cadres) or whose round it is (the ledger). */
  orgId: number;
  roundId: number | null;
}

export type Validated =
  | { ok: false; total: number; errors: RowError[] }
  | { ok: true; total: number; kind: "unit"; plan: UnitPlan }
  | { ok: true; total: number; kind: "cadre"; rows: CadreRecord[] }
  | { ok: true; total: number; kind: "ledger"; rows: LedgerRow[] };

const v = importsText.v;

/**
 * Every row checked: cells (parseSheet), then references and duplicates against the
 * database, with one query per kind of lookup in the caller's RLS context. The round of
 * a ledger must be the office's own, whatever the caller sent.
 */
export async function validateImport(
  db: Tx,
  target: ImportTarget,
  rows: SheetRow[],
  today: string,
  onParsed: (total: number) => Promise<void> = async () => {},
): Promise<Validated> {
  const spec = specs[target.kind];
  const done = (total: number, errors: RowError[], ok: () => Validated): Validated =>
    errors.length ? { ok: false, total, errors: sortErrors(errors, spec.columns) } : ok();

  if (target.kind === "unit") {
    const parsed = parseSheet(specs.unit, rows, today);
    if (parsed.fatal) return { ok: false, total: 0, errors: parsed.errors };
    await onParsed(parsed.total);
    const names = [...new Set(parsed.records.flatMap((r) => (r.value.parent ? [r.value.name, r.value.parent] : [r.value.name])))];
    const found = await db<{ id: number; name: string; active: boolean }[]>`
      select u.id::int as id, u.name, u.active from public.units u
       where u.org_id = ${target.orgId} and u.name = any (${names}::text[])`;
    const { errors, plan } = resolveUnits(parsed.records, {
      taken: new Set(found.map((u) => u.name)),
      activeParents: new Map(found.filter((u) => u.active).map((u) => [u.name, u.id])),
    });
    return done(parsed.total, [...parsed.errors, ...errors], () => ({ ok: true, total: parsed.total, kind: "unit", plan }));
  }

  if (target.kind === "cadre") {
    const parsed = parseSheet(specs.cadre, rows, today);
    if (parsed.fatal) return { ok: false, total: 0, errors: parsed.errors };
    await onParsed(parsed.total);
    const names = [...new Set(parsed.records.map((r) => r.value.name))];
    const found = await db<{ name: string; homeUnit: string }[]>`
      select c.name, c.home_unit as "homeUnit" from public.cadres c
       where c.org_id = ${target.orgId} and c.name = any (${names}::text[])`;
    const errors = resolveCadres(parsed.records, new Set(found.map((c) => cadreKey(c.name, c.homeUnit))));
    return done(parsed.total, [...parsed.errors, ...errors], () => ({
      ok: true, total: parsed.total, kind: "cadre", rows: parsed.records.map((r) => r.value),
    }));
  }

  // The ledger: into one fed-back round of the office's own.
  const [round] = target.roundId
    ? await db<{ id: number }[]>`select r.id::int as id from public.rounds r where r.id = ${target.roundId} and r.org_id = ${target.orgId}`
    : [];
  if (!round) return { ok: false, total: 0, errors: [{ row: null, column: null, message: v.roundNotOwn }] };
  const parsed = parseSheet(specs.ledger, rows, today);
  if (parsed.fatal) return { ok: false, total: 0, errors: parsed.errors };
  await onParsed(parsed.total);
  const engagements = await db<LedgerEngagement[]>`
    select e.id::int as "engagementId", e.unit_name as "unitName", f.feedback_on::text as "feedbackOn"
      from public.engagements e join public.feedbacks f on f.engagement_id = e.id
     where e.round_id = ${round.id} and e.supervising_org_id = ${target.orgId}`;
  const seqs = [...new Set(parsed.records.map((r) => r.value.problemSeq))];
  const problems = engagements.length && seqs.length
    ? await db<LedgerProblem[]>`
        select p.engagement_id::int as "engagementId", p.seq, p.id::int as "problemId" from public.problems p
         where p.engagement_id = any (${engagements.map((e) => e.engagementId)}::bigint[])
           and p.seq = any (${seqs}::int[]) and p.feedback_id is not null`
    : [];
  const items = problems.length
    ? await db<LedgerItem[]>`
        select i.problem_id::int as "problemId", i.measures from public.rectification_items i
         where i.problem_id = any (${problems.map((p) => p.problemId)}::bigint[])`
    : [];
  const resolved = resolveLedger(parsed.records, engagements, problems, items);
  return done(parsed.total, [...parsed.errors, ...resolved.errors], () => ({
    ok: true, total: parsed.total, kind: "ledger", rows: resolved.rows,
  }));
}

// ---------------------------------------------------------------- the write

function* batches<T>(rows: T[], size = IMPORT_BATCH): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/**
 * All rows, set-based (insert … select from unnest, a batch at a time), in the caller's
 * transaction: the tables' RLS and triggers decide, exactly as for one row typed into a
 * form. `progress` is told the rows done after each batch. Returns the rows written.
 */
export async function writeImport(
  db: Tx,
  orgId: number,
  valid: Extract<Validated, { ok: true }>,
  progress: (done: number) => Promise<void> = async () => {},
): Promise<number> {
  let written = 0;
  const step = async (n: number) => {
    written += n;
    await progress(written);
  };
  if (valid.kind === "unit") {
    // Wave by wave: a parent named in the file was inserted by an earlier wave, and its id
    // comes back from that insert; one that exists already was found by the validation.
    const ids = new Map(valid.plan.parents);
    for (const wave of valid.plan.waves) {
      for (const b of batches(wave)) {
        const inserted = await db<{ id: number; name: string }[]>`
          insert into public.units (org_id, name, category, head_level, parent_unit_id)
          select ${orgId}, x.name, x.category::public.unit_category, x.head_level::public.cadre_level, x.parent_id
            from unnest(${b.map((u) => u.name)}::text[], ${b.map((u) => u.category)}::text[],
                        ${b.map((u) => u.headLevel)}::text[], ${b.map((u) => (u.parent === null ? null : (ids.get(u.parent) ?? null)))}::bigint[])
                 with ordinality as x (name, category, head_level, parent_id, n)
           order by x.n
          returning id::int as id, name`;
        for (const u of inserted) ids.set(u.name, u.id);
        await step(inserted.length);
      }
    }
  } else if (valid.kind === "cadre") {
    for (const b of batches(valid.rows)) {
      // Lists travel as '|'-joined text (unnest cannot take arrays of uneven arrays).
      const r = await db`
        insert into public.cadres (org_id, name, home_unit, rank, specialties, pools, first_posted_on, available)
        select ${orgId}, x.name, x.home_unit, x.rank, string_to_array(x.specialties, '|'),
               string_to_array(x.pools, '|')::public.cadre_pool[], x.first_posted_on::date, x.available::boolean
          from unnest(${b.map((c) => c.name)}::text[], ${b.map((c) => c.homeUnit)}::text[], ${b.map((c) => c.rank)}::text[],
                      ${b.map((c) => c.specialties.join("|"))}::text[], ${b.map((c) => c.pools.join("|"))}::text[],
                      ${b.map((c) => c.firstPostedOn)}::text[], ${b.map((c) => (c.available ? "t" : "f"))}::text[])
               with ordinality as x (name, home_unit, rank, specialties, pools, first_posted_on, available, n)
         order by x.n`;
      await step(r.count);
    }
  } else {
    for (const b of batches(valid.rows)) {
      // Scope columns (engagement, offices, unit) come from the problem (trigger), and RLS
      // lets only the supervising office (or the unit's contact) add them.
      const r = await db`
        insert into public.rectification_items (problem_id, measures, responsible_leader, responsible_department,
                                                responsible_person, kind, deadline)
        select x.problem_id, x.measures, x.leader, x.department, x.person, x.kind::public.rectification_kind, x.deadline::date
          from unnest(${b.map((i) => i.problemId)}::bigint[], ${b.map((i) => i.measures)}::text[],
                      ${b.map((i) => i.responsibleLeader)}::text[], ${b.map((i) => i.responsibleDepartment)}::text[],
                      ${b.map((i) => i.responsiblePerson)}::text[], ${b.map((i) => i.kind)}::text[],
                      ${b.map((i) => i.deadline)}::text[])
               with ordinality as x (problem_id, measures, leader, department, person, kind, deadline, n)
         order by x.n`;
      await step(r.count);
    }
  }
  return written;
}

/** What the database refused while writing, in words (the whole import rolled back). */
export function refusalMessage(error: { code?: string; constraint_name?: string; message?: string }): string {
  const r = importsText.refused;
  const text = `${error.constraint_name ?? ""} ${error.message ?? ""}`;
  if (error.code === "42501") return r.denied;
  if (error.code === "23505" && /units_org_name_key/.test(text)) return r.unitNameTaken;
  if (error.code === "23514" && /deadline is after the feedback/.test(text)) return r.deadline;
  if (error.code === "23514" || error.code === "23502" || error.code === "22001" || error.code === "23503") return r.check;
  return r.generic(error.code ?? "?");
}

// ---------------------------------------------------------------- the runner

export interface ImportRun extends ImportTarget {
  jobId: number;
  userId: string;
  filename: string;
  /** The upload's request id, on the audit row. */
  requestId: string;
}

export type ImportOutcome = { ok: true; written: number } | { ok: false; errors: RowError[]; errorCount: number };

/**
 * Runs one import job to its end and records the outcome on the job. Never throws: a
 * failure of its own is recorded as a failed job (and logged).
 */
export async function runImport(conn: ImportDb, run: ImportRun, bytes: Uint8Array, today = beijingToday()): Promise<ImportOutcome> {
  const progress = (status: "validating" | "writing", total: number, done: number) =>
    conn.transaction((tx) => reportProgress(tx, run.jobId, status, total, done));
  const finish = async (outcome: ImportOutcome) => {
    await conn.transaction((tx) => finishJob(tx, run.jobId, outcome));
    return outcome;
  };
  const fail = (errors: RowError[]) => finish({ ok: false, errors, errorCount: errors.length });
  try {
    let rows: SheetRow[];
    try {
      rows = await readSheetRows(Buffer.from(bytes));
    } catch {
      return await fail([{ row: null, column: null, message: v.unreadable }]);
    }
    const validated = await conn.transaction((tx) =>
      validateImport(tx, run, rows, today, (total) => progress("validating", total, 0)));
    if (!validated.ok) return await fail(validated.errors);
    const total = validated.total;
    await progress("writing", total, 0);
    let written: number;
    try {
      written = await conn.transaction(async (tx) => {
        const n = await writeImport(tx, run.orgId, validated, (done) => progress("writing", total, done));
        await tx`
          insert into public.audit_log (user_id, org_id, action, object_type, object_id, success, request_id, detail)
          values (${run.userId}, ${run.orgId}, ${`import.${run.kind}`}, 'import_job', ${String(run.jobId)}, true,
                  ${run.requestId}, ${tx.json({ filename: run.filename, rows: n, roundId: run.roundId } as never)})`;
        return n;
      });
    } catch (error) {
      if (!(error as { code?: string }).code) throw error;
      return await fail([{ row: null, column: null, message: refusalMessage(error as { code?: string }) }]);
    }
    return await finish({ ok: true, written });
  } catch (error) {
    console.error(`import job ${run.jobId} failed:`, error);
    const outcome: ImportOutcome = { ok: false, errors: [{ row: null, column: null, message: importsText.refused.internal }], errorCount: 1 };
    await conn.transaction((tx) => finishJob(tx, run.jobId, outcome)).catch(() => {});
    return outcome;
  }
}
