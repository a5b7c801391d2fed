import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs } from "@remix-run/node";
import { findingsText } from "~/lib/messages/findings";
import { notFound, requireUser } from "~/lib/request.server";
import { thematicSchema } from "~/lib/schemas/findings";
import { documentResponse, generateThematicDocument } from "~/models/documents.server";
import { THEMATIC_ROLES } from "~/models/findings.server";

/**
 * The 专题报告 as a .docx (a resource route: a UI route cannot answer with a file under
 * single fetch). The thematic page posts the title, 主送 and chosen problems here; a
 * refusal is a 400 with its Chinese message as JSON, which the page shows. Every chosen
 * problem must be one the caller sees (RLS); the generation is audited.
 */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const result = await requireUser(request, async (ctx) => {
    if (!THEMATIC_ROLES.has(ctx.role) || !ctx.ability.can("read", "Problem")) notFound();
    const submission = parseWithZod(formData, { schema: thematicSchema });
    if (submission.status !== "success") {
      const first = Object.values(submission.error ?? {}).flat().find(Boolean);
      return { error: first ?? findingsText.documents.failed };
    }
    const doc = await generateThematicDocument(ctx, submission.value, ctx.activeOrg.name);
    return doc === "unknown" ? { error: findingsText.thematic.unknownProblems } : doc;
  });
  if ("error" in result) return Response.json({ error: result.error }, { status: 400 });
  return documentResponse(result);
}

export function loader() {
  notFound();
}
