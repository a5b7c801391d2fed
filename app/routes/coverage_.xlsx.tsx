import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { xlsxResponse } from "~/lib/xlsx.server";
import { chinaYear } from "~/models/coverage.server";
import { coverageWorkbook } from "~/models/exports.server";

const querySchema = z.object({ org: z.coerce.number().int().positive().optional().catch(undefined) });

/**
 * 全覆盖进度 as .xlsx, for the org the coverage page shows (?org=, within the active
 * org's subtree; anything else is a 404): every org below it with its own and rolled-up
 * figures, and its term plan's objects. The same check and query as /coverage. Audited
 * as export.coverage.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const file = await requireUser(request, async ({ db, ability, activeOrg, audit }) => {
    if (!ability.can("read", "TermObject")) forbidden();
    const focusId = query.org ?? activeOrg.id;
    const xlsx = await coverageWorkbook(db, { activeOrgId: activeOrg.id, focusId, year: chinaYear(), orgName: activeOrg.name });
    if (!xlsx) notFound();
    await audit({ action: "export.coverage", objectType: "org", objectId: focusId });
    return xlsx;
  });
  return xlsxResponse(file.bytes, file.filename);
}
