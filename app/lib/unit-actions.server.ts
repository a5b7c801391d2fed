import { parseWithZod } from "@conform-to/zod";
import { data } from "@remix-run/node";
import { m } from "./messages";
import { unitSchema, type UnitInput } from "./schemas/unit";
import type { Tx } from "./db.server";

/**
 * Parses a unit form and runs the write; database refusals a user can fix
 * (duplicate name, bad parent) come back as field errors with everything they typed.
 */
export async function saveUnitSubmission(
  formData: FormData,
  write: (input: UnitInput, tx: Tx) => Promise<Response>,
  db: Tx,
) {
  const submission = parseWithZod(formData, { schema: unitSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  try {
    // Queries must go through the savepoint's handle: postgres.js poisons the scope a
    // failed query was issued on, so a duplicate name would otherwise abort the request.
    return await db.savepoint((sp) => write(submission.value, sp as unknown as Tx));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "23505") return data(submission.reply({ fieldErrors: { name: [m.units.nameTaken] } }), { status: 400 });
    if (code === "23503") return data(submission.reply({ fieldErrors: { parentUnitId: [m.units.parentInvalid] } }), { status: 400 });
    throw error;
  }
}
