import type { LoaderFunctionArgs } from "@remix-run/node";
import { subject } from "@xunlian/permissions";
import { parseId } from "~/lib/params.server";
import { notFound, requireUser } from "~/lib/request.server";
import { xlsxResponse } from "~/lib/xlsx.server";
import { rectificationSubject } from "~/models/engagements.server";
import { rectificationWorkbook } from "~/models/exports.server";
import { getFeedback } from "~/models/rectification.server";

/**
 * The four lists of an engagement's rectification (问题清单、任务清单、责任清单、督查清单)
 * as one workbook: for exactly who may open /rectification/:id (the same feedback read
 * under RLS and the same CASL rule; anything else is a 404), read by the page's own
 * queries. Audited as export.rectification.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const file = await requireUser(request, async ({ db, ability, activeOrg, role, audit }) => {
    const feedback = await getFeedback(db, id);
    if (!feedback || !ability.can("read", subject("Feedback", rectificationSubject(feedback)))) notFound();
    // A unit's contact exports under his unit's name; an office under its own.
    const orgName = role === "unit_contact" ? (activeOrg.unitName ?? feedback.unitName) : activeOrg.name;
    const xlsx = await rectificationWorkbook(db, feedback, orgName);
    await audit({ action: "export.rectification", objectType: "engagement", objectId: id, detail: { unit: feedback.unitName } });
    return xlsx;
  });
  return xlsxResponse(file.bytes, file.filename);
}
