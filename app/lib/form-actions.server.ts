import { parseWithZod } from "@conform-to/zod";
import { data } from "@remix-run/node";
import type { z } from "zod";
import type { Tx } from "./db.server";

/** A database refusal the user can fix, shown on a field (or on the form when field is null). */
export interface DbRefusal {
  code: string;
  /** Match a constraint name or message fragment when one SQLSTATE has several causes. */
  match?: RegExp;
  field: string | null;
  /** The text shown; a function gets the database error (e.g. its detail: which unit, which group). */
  message: string | ((error: { detail?: string; message?: string }) => string);
}

/**
 * Parses a form with its zod schema and runs the write in a savepoint. Validation
 * errors and database refusals listed in `refusals` come back as a 400 with the
 * submission, so everything the user typed is kept; nothing is written.
 */
export async function saveSubmission<Schema extends z.ZodTypeAny>(
  db: Tx,
  formData: FormData,
  schema: Schema,
  write: (value: z.output<Schema>, tx: Tx) => Promise<Response>,
  refusals: DbRefusal[] = [],
) {
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  try {
    // Queries must go through the savepoint's handle: postgres.js poisons the scope a
    // failed query was issued on, so a refused write would otherwise abort the request.
    return await db.savepoint((sp) => write(submission.value, sp as unknown as Tx));
  } catch (error) {
    const e = error as { code?: string; constraint_name?: string; message?: string; detail?: string };
    const refusal = refusals.find(
      (r) => r.code === e.code && (!r.match || r.match.test(`${e.constraint_name ?? ""} ${e.message ?? ""}`)),
    );
    if (!refusal) throw error;
    const message = typeof refusal.message === "function" ? refusal.message(e) : refusal.message;
    const reply = refusal.field
      ? submission.reply({ fieldErrors: { [refusal.field]: [message] } })
      : submission.reply({ formErrors: [message] });
    return data(reply, { status: 400 });
  }
}
