import type { LoaderFunctionArgs } from "@remix-run/node";
import { importKinds, type ImportKind } from "~/lib/imports/kinds";
import { canImport } from "~/lib/imports/permission";
import { buildTemplate } from "~/lib/imports/template.server";
import { importKindLabel, importsText } from "~/lib/messages/imports";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { xlsxResponse } from "~/lib/xlsx.server";

/**
 * The .xlsx template of an import kind (a resource route): Chinese headers, one example
 * row, drop-down lists and a guide sheet. Offered to whoever may import that kind.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const kind = params.kind as ImportKind;
  if (!(importKinds as readonly string[]).includes(kind)) notFound();
  await requireUser(request, async ({ ability, activeOrg }) => {
    if (!canImport(ability, activeOrg, kind)) forbidden();
  });
  return xlsxResponse(await buildTemplate(kind), importsText.template.title(importKindLabel[kind]));
}
