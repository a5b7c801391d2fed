import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Button, Callout, Card, Flex, Heading, Text } from "@radix-ui/themes";
import { subject, type AppAbility } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { evaluationText as t } from "~/lib/messages/evaluation";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { copyTemplateSchema, formatPoints, indicatorSchema, removeIndicatorSchema } from "~/lib/schemas/evaluation";
import { redirectWithToast } from "~/lib/toast.server";
import {
  addIndicator,
  copyTemplate,
  getTemplate,
  INDICATOR_REFUSALS,
  removeIndicator,
  setTemplateActive,
  TEMPLATE_REFUSALS,
  templateIndicators,
  updateIndicator,
  type TemplateRow,
} from "~/models/evaluations.server";
import { PageHeader } from "~/components/page-header";
import { CopyTemplateForm, IndicatorForm, IndicatorsTable, type Reply } from "~/components/evaluation-templates";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.template.name ?? t.templateDetail} · ${t.templatesTitle} · ${m.appName}` },
];

/** What the user may do with the template: CASL offers; the trigger and RLS decide. */
function permissions(ability: AppAbility, template: TemplateRow, activeOrgId: number) {
  const own = () => subject("EvaluationTemplate", { id: template.id, orgId: template.orgId });
  const update = ability.can("update", own());
  return {
    read: ability.can("read", own()),
    // A template in use is never changed (the database refuses it): copy it instead.
    editIndicators: update && template.uses === 0 && ability.can("update", subject("EvaluationIndicator", { orgId: template.orgId })),
    toggle: update,
    copy: ability.can("create", subject("EvaluationTemplate", { orgId: activeOrgId })),
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const editParam = new URL(request.url).searchParams.get("edit");
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    const template = await getTemplate(db, id);
    if (!template) notFound();
    const can = permissions(ability, template, activeOrg.id);
    if (!can.read) notFound();
    const indicators = await templateIndicators(db, id);
    const editing = can.editIndicators && editParam ? indicators.find((i) => String(i.id) === editParam) ?? null : null;
    const { createdAt: _createdAt, ...rest } = template;
    return { template: rest, own: template.orgId === activeOrg.id, indicators, editing, can };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, activeOrg, audit }) => {
    const template = await getTemplate(db, id);
    if (!template) notFound();
    const can = permissions(ability, template, activeOrg.id);
    const back = `/evaluation-templates/${id}`;
    const templateAudit = (action: string, detail: Record<string, unknown>) =>
      audit({ action, objectType: "evaluation_template", objectId: id, detail });
    switch (formData.get("intent")) {
      case "indicator":
        // Not offered for a template in use; if posted anyway, the database refuses it (23514).
        if (!can.toggle) forbidden();
        return saveSubmission(db, formData, indicatorSchema, async (input, tx) => {
          if (input.indicatorId) {
            if (!(await updateIndicator(tx, id, input.indicatorId, input))) notFound();
            await templateAudit("evaluation_indicator.update", { indicatorId: input.indicatorId, name: input.name, points: input.points });
            return redirectWithToast(back, t.indicatorUpdated(input.name));
          }
          const indicatorId = await addIndicator(tx, id, input);
          await templateAudit("evaluation_indicator.create", { indicatorId, name: input.name, points: input.points });
          return redirectWithToast(back, t.indicatorAdded(input.name));
        }, INDICATOR_REFUSALS);

      case "remove-indicator":
        // Not offered for a template in use; if posted anyway, the database refuses it (23514).
        if (!can.toggle) forbidden();
        return saveSubmission(db, formData, removeIndicatorSchema, async (input, tx) => {
          const removed = await removeIndicator(tx, id, input.indicatorId);
          if (removed === null) return redirectWithToast(back, t.indicatorMissing);
          await templateAudit("evaluation_indicator.delete", { indicatorId: input.indicatorId, name: removed });
          return redirectWithToast(back, t.indicatorRemoved(removed));
        }, INDICATOR_REFUSALS);

      case "toggle-active": {
        if (!can.toggle) forbidden();
        const active = !template.active;
        if (!(await setTemplateActive(db, id, active))) forbidden();
        await templateAudit(active ? "evaluation_template.activate" : "evaluation_template.deactivate", { name: template.name });
        return redirectWithToast(back, active ? t.reactivated : t.deactivated);
      }

      case "copy":
        if (!can.copy) forbidden();
        return saveSubmission(db, formData, copyTemplateSchema, async (input, tx) => {
          const copyId = await copyTemplate(tx, id, activeOrg.id, input.name);
          await audit({
            action: "evaluation_template.create",
            objectType: "evaluation_template",
            objectId: copyId,
            detail: { name: input.name, copiedFrom: id },
          });
          return redirectWithToast(`/evaluation-templates/${copyId}`, t.copied(input.name));
        }, TEMPLATE_REFUSALS);

      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

export default function EvaluationTemplate() {
  const { template, own, indicators, editing, can } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const intent = reply?.initialValue?.intent;
  const navigation = useNavigation();
  const total = indicators.reduce((a, i) => a + Math.round(i.points * 10), 0) / 10;
  return (
    <>
      <PageHeader
        title={template.name}
        description={`${template.orgName} · ${own ? t.ownTemplate : t.ancestorTemplate}`}
        actions={<Button asChild variant="soft" color="gray"><Link to="/evaluation-templates">{t.back}</Link></Button>}
      />
      <Flex gap="2" mb="3" align="center" wrap="wrap">
        {template.active ? <Badge color="green" variant="soft">{t.active}</Badge> : <Badge color="gray" variant="soft">{t.inactive}</Badge>}
        {own ? (
          <Badge color={template.uses ? "blue" : "gray"} variant="soft">{template.uses ? t.inUse(template.uses) : t.notInUse}</Badge>
        ) : null}
        <Text size="2" weight="bold" data-testid="template-total">{t.pointsTotal(formatPoints(total))}</Text>
        {can.toggle ? (
          <Form method="post" preventScrollReset>
            <input type="hidden" name="intent" value="toggle-active" />
            <Button type="submit" size="1" variant="soft" color={template.active ? "gray" : "green"}
              loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "toggle-active"}>
              {template.active ? t.deactivate : t.reactivate}
            </Button>
          </Form>
        ) : null}
      </Flex>
      {template.uses > 0 && own ? (
        <Callout.Root color="blue" mb="3" role="note" data-testid="template-read-only"><Callout.Text>{t.readOnlyInUse(template.uses)}</Callout.Text></Callout.Root>
      ) : !own ? (
        <Callout.Root color="gray" mb="3" role="note"><Callout.Text>{t.inheritedTemplate(template.orgName)}</Callout.Text></Callout.Root>
      ) : !can.toggle ? (
        <Callout.Root color="gray" mb="3" role="note"><Callout.Text>{t.readOnlyRole}</Callout.Text></Callout.Root>
      ) : null}

      <Heading as="h2" size="4" mb="2">{t.indicators}</Heading>
      <IndicatorsTable
        indicators={indicators}
        editable={can.editIndicators}
        editHref={(i) => `?edit=${i}`}
        removeReply={intent === "remove-indicator" ? reply : undefined}
      />
      <Text as="p" size="1" color="gray" mt="2">{t.pointsHint}</Text>

      {can.editIndicators || (intent === "indicator" && reply) ? (
        <Card size="3" mt="4">
          <Heading as="h3" size="3" mb="3">{editing ? `${t.editIndicatorTitle}：${editing.name}` : t.addIndicator}</Heading>
          <IndicatorForm
            key={editing ? `edit-${editing.id}` : `new-${indicators.length}`}
            indicators={indicators}
            editing={editing}
            lastResult={intent === "indicator" ? reply : undefined}
            cancelTo="?"
          />
        </Card>
      ) : null}

      {can.copy ? (
        <Card size="3" mt="4">
          <Heading as="h3" size="3" mb="3">{t.copy}</Heading>
          <CopyTemplateForm defaultName={t.copyDefault(template.name)} lastResult={intent === "copy" ? reply : undefined} />
        </Card>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
