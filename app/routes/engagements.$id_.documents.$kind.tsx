import type { LoaderFunctionArgs } from "@remix-run/node";
import { subject } from "@xunlian/permissions";
import { parseId } from "~/lib/params.server";
import { notFound, requireUser } from "~/lib/request.server";
import { documentKinds, type DocumentKind } from "~/lib/schemas/findings";
import { documentResponse, generateEngagementDocument } from "~/models/documents.server";
import { conductSubject, getEngagement } from "~/models/engagements.server";

/**
 * The 巡察情况报告 (kind "report") or 反馈意见 (kind "feedback") of an engagement, as a
 * .docx (a resource route: no component). Only those who see the engagement's conduct
 * (the executing office and its ancestors, the group) may generate them: the report
 * states fieldwork, petitions and leads. Anything else is a 404. Each generation is
 * audited (document.generate) in the same transaction as the reads it made.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const kind = params.kind as DocumentKind;
  if (!(documentKinds as readonly string[]).includes(kind)) notFound();
  const doc = await requireUser(request, async (ctx) => {
    const e = await getEngagement(ctx.db, id);
    if (!e || !ctx.ability.can("read", subject("WorkingPaper", conductSubject(e)))) notFound();
    return generateEngagementDocument(ctx, id, kind);
  });
  if (!doc) notFound();
  return documentResponse(doc);
}
