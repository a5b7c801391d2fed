import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Card } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { forbidden, requireUser } from "~/lib/request.server";
import { cadreSchema } from "~/lib/schemas/cadre";
import { redirectWithToast } from "~/lib/toast.server";
import { CADRE_REFUSALS, createCadre } from "~/models/cadres.server";
import { PageHeader } from "~/components/page-header";
import { CadreForm } from "~/components/cadre-form";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${m.cadres.new} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ ability, activeOrg }) => {
    if (!ability.can("create", subject("Cadre", { orgId: activeOrg.id }))) forbidden();
    return { orgName: activeOrg.name };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, activeOrg, audit }) => {
    if (!ability.can("create", subject("Cadre", { orgId: activeOrg.id }))) forbidden();
    return saveSubmission(
      db,
      formData,
      cadreSchema,
      async (input, tx) => {
        const id = await createCadre(tx, activeOrg.id, input);
        await audit({ action: "cadre.create", objectType: "cadre", objectId: id });
        return redirectWithToast(`/cadres/${id}`, m.cadres.created);
      },
      CADRE_REFUSALS,
    );
  });
}

export default function NewCadre() {
  const { orgName } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <PageHeader title={m.cadres.new} description={`${m.cadres.org}：${orgName}`} />
      <Card size="3">
        <CadreForm lastResult={lastResult} submitLabel={m.cadres.save} cancelTo="/cadres" />
      </Card>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
