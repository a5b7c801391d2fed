import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Button, Callout, Card, DataList, Flex, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { headLevelLabel, m, unitCategoryLabel } from "~/lib/messages";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { parseId } from "~/lib/params.server";
import { redirectWithToast } from "~/lib/toast.server";
import { saveSubmission } from "~/lib/form-actions.server";
import { unitSchema } from "~/lib/schemas/unit";
import { getUnit, setUnitActive, unitOptions, updateUnit, UNIT_REFUSALS } from "~/models/units.server";
import { PageHeader } from "~/components/page-header";
import { UnitForm } from "~/components/unit-form";
import { GeneralErrorBoundary } from "~/components/error-boundary";


export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.unit.name ?? m.units.detail} · ${m.appName}` },
];


export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async ({ db, ability }) => {
    // RLS answers "does this unit exist for you": another county's unit is simply absent (404, not 403).
    const unit = await getUnit(db, id);
    if (!unit) notFound();
    const canEdit = ability.can("update", subject("Unit", unit));
    return { unit, canEdit, parentOptions: canEdit ? await unitOptions(db, unit.orgId, unit.id) : [] };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, audit }) => {
    const unit = await getUnit(db, id);
    if (!unit) notFound();
    if (!ability.can("update", subject("Unit", unit))) forbidden();
    const intent = formData.get("intent");
    if (intent === "deactivate" || intent === "reactivate") {
      const active = intent === "reactivate";
      if (!(await setUnitActive(db, id, active))) forbidden();
      await audit({ action: `unit.${intent}`, objectType: "unit", objectId: id });
      return redirectWithToast(`/units/${id}`, active ? m.units.reactivated : m.units.deactivated);
    }
    if (intent !== "save") throw new Response("Bad Request", { status: 400 });
    return saveSubmission(
      db,
      formData,
      unitSchema,
      async (input, tx) => {
        if (!(await updateUnit(tx, id, input))) forbidden();
        await audit({ action: "unit.update", objectType: "unit", objectId: id, detail: { name: input.name } });
        return redirectWithToast(`/units/${id}`, m.units.updated);
      },
      UNIT_REFUSALS,
    );
  });
}

export default function UnitDetail() {
  const { unit, canEdit, parentOptions } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const editing = canEdit && (params.get("edit") === "1" || !!lastResult);
  return (
    <>
      <PageHeader
        title={unit.name}
        description={`${m.units.org}：${unit.orgName}`}
        actions={
          <Flex gap="2">
            {canEdit && !editing ? <Button asChild><Link to="?edit=1">{m.units.edit}</Link></Button> : null}
            {canEdit ? (
              <Form method="post">
                <input type="hidden" name="intent" value={unit.active ? "deactivate" : "reactivate"} />
                <Button type="submit" variant="soft" color={unit.active ? "red" : "green"}>
                  {unit.active ? m.units.deactivate : m.units.reactivate}
                </Button>
              </Form>
            ) : null}
            <Button asChild variant="soft" color="gray"><Link to="/units">{m.units.back}</Link></Button>
          </Flex>
        }
      />
      {!canEdit ? (
        <Callout.Root color="gray" mb="4"><Callout.Text>{m.units.readOnly}</Callout.Text></Callout.Root>
      ) : null}
      <Card size="3">
        {editing ? (
          <UnitForm
            lastResult={lastResult}
            defaultValue={{ name: unit.name, category: unit.category, headLevel: unit.headLevel, parentUnitId: unit.parentUnitId ?? undefined }}
            parentOptions={parentOptions}
            submitLabel={m.units.save}
            cancelTo={`/units/${unit.id}`}
          />
        ) : (
          <DataList.Root>
            <DataList.Item><DataList.Label>{m.units.name}</DataList.Label><DataList.Value>{unit.name}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{m.units.category}</DataList.Label><DataList.Value>{unitCategoryLabel[unit.category]}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{m.units.headLevel}</DataList.Label><DataList.Value>{headLevelLabel[unit.headLevel]}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{m.units.org}</DataList.Label><DataList.Value>{unit.orgName}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{m.units.parentUnit}</DataList.Label><DataList.Value>{unit.parentUnitName ?? m.units.noParent}</DataList.Value></DataList.Item>
            <DataList.Item>
              <DataList.Label>{m.units.status}</DataList.Label>
              <DataList.Value>{unit.active ? <Badge color="green">{m.units.active}</Badge> : <Badge color="gray">{m.units.inactive}</Badge>}</DataList.Value>
            </DataList.Item>
            <DataList.Item><DataList.Label>{m.units.createdAt}</DataList.Label><DataList.Value><Text>{new Date(unit.createdAt).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false })}</Text></DataList.Value></DataList.Item>
          </DataList.Root>
        )}
      </Card>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
