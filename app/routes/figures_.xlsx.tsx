import type { LoaderFunctionArgs } from "@remix-run/node";
import { subject } from "@xunlian/permissions";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { figuresQuerySchema } from "~/lib/schemas/figures";
import { xlsxResponse } from "~/lib/xlsx.server";
import { chinaYear } from "~/models/coverage.server";
import { dashboardWorkbook, resolveFigureQuery } from "~/models/figures.server";

/**
 * 统计分析 as an Excel workbook (/figures/xlsx, a resource route): the org and filter of
 * the page's URL, one sheet per table of the page (the summary, each chart's table, the
 * org's own engagements), the same numbers as the page. Same checks as the page; an org
 * outside the subtree is a 404. The export is audited.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = figuresQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) notFound();
  const file = await requireUser(request, async ({ db, ability, activeOrg, audit }) => {
    if (!ability.can("read", subject("Round", { orgId: activeOrg.id }))) forbidden();
    const resolved = await resolveFigureQuery(db, activeOrg.id, parsed.data, chinaYear());
    if (!resolved || !ability.can("read", subject("Round", { orgId: resolved.focus.id }))) notFound();
    const workbook = await dashboardWorkbook(db, resolved, { coverage: ability.can("read", "TermObject") });
    if (!workbook) notFound();
    await audit({
      action: "figures.export",
      objectType: "figures",
      objectId: resolved.focus.id,
      detail: { ...resolved.filter, sheets: workbook.sheets },
    });
    return workbook;
  });
  return xlsxResponse(file.bytes, file.fileName);
}
