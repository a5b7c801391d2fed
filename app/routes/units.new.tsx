import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Card } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { m } from "~/lib/messages";
import { forbidden, requireUser } from "~/lib/request.server";
import { redirectWithToast } from "~/lib/toast.server";
import { saveSubmission } from "~/lib/form-actions.server";
import { unitSchema } from "~/lib/schemas/unit";
import { createUnit, unitOptions, UNIT_REFUSALS } from "~/models/units.server";
import { PageHeader } from "~/components/page-header";
import { UnitForm } from "~/components/unit-form";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${m.units.new} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    if (!ability.can("create", subject("Unit", { orgId: activeOrg.id, provinceId: activeOrg.provinceId }))) forbidden();
    return { orgName: activeOrg.name, parentOptions: await unitOptions(db, activeOrg.id) };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, activeOrg, audit }) => {
    if (!ability.can("create", subject("Unit", { orgId: activeOrg.id, provinceId: activeOrg.provinceId }))) forbidden();
    return saveSubmission(
      db,
      formData,
      unitSchema,
      async (input, tx) => {
        const id = await createUnit(tx, activeOrg.id, input);
        await audit({ action: "unit.create", objectType: "unit", objectId: id, detail: { name: input.name } });
        return redirectWithToast(`/units/${id}`, m.units.created);
      },
      UNIT_REFUSALS,
    );
  });
}

export default function NewUnit() {
  const { orgName, parentOptions } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <PageHeader title={m.units.new} description={`${m.units.org}：${orgName}`} />
      <Card size="3">
        <UnitForm lastResult={lastResult} parentOptions={parentOptions} submitLabel={m.units.save} cancelTo="/units" />
      </Card>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
