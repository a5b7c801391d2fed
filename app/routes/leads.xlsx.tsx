import type { LoaderFunctionArgs } from "@remix-run/node";
import { forbidden, requireUser } from "~/lib/request.server";
import { xlsxResponse } from "~/lib/xlsx.server";
import { leadsWorkbook } from "~/models/exports.server";
import { listLeads } from "~/models/leads.server";

/**
 * The leads register (问题线索台账) as .xlsx, exactly as /leads lists it: the same CASL
 * check and the same audited public.list_leads call (one lead.read audit row per lead
 * exported), plus export.leads. The function never returns the person concerned or a
 * reporter, so neither can reach the file.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const file = await requireUser(request, async ({ db, ability, role, activeOrg, requestId, audit }) => {
    if (!ability.can("read", "Lead")) forbidden();
    const leads = await listLeads(db, null, requestId);
    const xlsx = await leadsWorkbook(leads, { orgName: activeOrg.name, partner: role === "partner_staff" });
    await audit({ action: "export.leads", objectType: "lead", objectId: null, detail: { rows: leads.length } });
    return xlsx;
  });
  return xlsxResponse(file.bytes, file.filename);
}
