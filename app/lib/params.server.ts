import { z } from "zod";

const idSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A record id from the URL or a form; anything malformed is a page that does not exist. */
export function parseId(raw: unknown): number {
  const id = idSchema.safeParse(raw);
  if (!id.success) throw new Response("Not Found", { status: 404 });
  return id.data;
}
