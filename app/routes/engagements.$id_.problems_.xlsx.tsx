import type { LoaderFunctionArgs } from "@remix-run/node";
import { subject } from "@xunlian/permissions";
import { parseId } from "~/lib/params.server";
import { notFound, requireUser } from "~/lib/request.server";
import { xlsxResponse } from "~/lib/xlsx.server";
import { conductSubject, getEngagement } from "~/models/engagements.server";
import { problemsWorkbook } from "~/models/exports.server";

/**
 * An engagement's problem list as .xlsx: for exactly who may open
 * /engagements/:id/problems (the same engagement read under RLS and the same CASL rule;
 * anything else is a 404), read by the page's own query. Audited as export.problems.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const file = await requireUser(request, async ({ db, ability, activeOrg, audit }) => {
    const e = await getEngagement(db, id);
    const conduct = e ? conductSubject(e) : null;
    if (
      !e || !conduct ||
      !ability.can("read", subject("Problem", { ...conduct, supervisingOrgId: e.supervisingOrgId, fedBackUnitId: null, fedBackTargetOrgId: null }))
    ) notFound();
    const xlsx = await problemsWorkbook(db, { id: e.id, unitName: e.unitName, groupName: e.groupName }, activeOrg.name);
    await audit({ action: "export.problems", objectType: "engagement", objectId: id, detail: { unit: e.unitName } });
    return xlsx;
  });
  return xlsxResponse(file.bytes, file.filename);
}
