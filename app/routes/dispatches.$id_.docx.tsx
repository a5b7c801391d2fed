import type { LoaderFunctionArgs } from "@remix-run/node";
import { subject } from "@xunlian/permissions";
import { parseId } from "~/lib/params.server";
import { notFound, requireUser } from "~/lib/request.server";
import { documentResponse } from "~/models/documents.server";
import { dispatchDocument } from "~/models/dispatches.server";

/**
 * A thematic report as it was sent down (a resource route: the stored .docx). The
 * sender's line and the recipients (and their ancestors) read it; anything else is a
 * 404. Every read is audited (dispatch.read) in the same transaction.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const doc = await requireUser(request, async ({ db, ability, audit }) => {
    const row = await dispatchDocument(db, id);
    if (!row || !ability.can("read", subject("ThematicDispatch", { id, orgId: row.orgId }))) notFound();
    await audit({ action: "dispatch.read", objectType: "thematic_dispatch", objectId: id, detail: { title: row.title, sizeBytes: row.bytes.byteLength } });
    const safe = row.title.replace(/[\\/:*?"<>|\u0000-\u001f]/g, "").slice(0, 80) || "专题报告";
    return { fileName: `${safe}.docx`, bytes: Buffer.from(row.bytes) };
  });
  return documentResponse(doc);
}
