import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Card, Heading, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { evaluationText as t } from "~/lib/messages/evaluation";
import { forbidden, requireUser } from "~/lib/request.server";
import { templateSchema } from "~/lib/schemas/evaluation";
import { redirectWithToast } from "~/lib/toast.server";
import { createTemplate, listTemplates, recentEvaluations, TEMPLATE_REFUSALS } from "~/models/evaluations.server";
import { PageHeader } from "~/components/page-header";
import { NewTemplateForm, RecentEvaluationsTable, TemplatesTable, type Reply } from "~/components/evaluation-templates";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${t.templatesTitle} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    if (!ability.can("read", subject("EvaluationTemplate", { orgId: activeOrg.id }))) forbidden();
    const templates = await listTemplates(db, activeOrg.id);
    return {
      templates: templates.map(({ createdAt: _createdAt, ...x }) => x),
      ownOrgId: activeOrg.id,
      canCreate: ability.can("create", subject("EvaluationTemplate", { orgId: activeOrg.id })),
      recent: ability.can("read", subject("RectificationEvaluation", { supervisingOrgId: activeOrg.id })) ? await recentEvaluations(db) : [],
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, activeOrg, audit }) => {
    if (formData.get("intent") !== "create") throw new Response("Bad Request", { status: 400 });
    if (!ability.can("create", subject("EvaluationTemplate", { orgId: activeOrg.id }))) forbidden();
    return saveSubmission(db, formData, templateSchema, async (input, tx) => {
      const id = await createTemplate(tx, activeOrg.id, input.name);
      await audit({ action: "evaluation_template.create", objectType: "evaluation_template", objectId: id, detail: { name: input.name } });
      return redirectWithToast(`/evaluation-templates/${id}`, t.templateCreated(input.name));
    }, TEMPLATE_REFUSALS);
  });
}

export default function EvaluationTemplates() {
  const { templates, ownOrgId, canCreate, recent } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  return (
    <>
      <PageHeader title={t.templatesTitle} description={t.templatesDescription} />
      <TemplatesTable templates={templates} ownOrgId={ownOrgId} />
      <Text as="p" size="1" color="gray" mt="2">{t.gradeRule}</Text>
      {canCreate ? (
        <Card size="3" mt="5">
          <Heading as="h2" size="3" mb="1">{t.newTemplate}</Heading>
          <Text as="p" size="1" color="gray" mb="3">{t.newTemplateHint}</Text>
          <NewTemplateForm lastResult={reply} />
        </Card>
      ) : null}
      <Heading as="h2" size="4" mt="6" mb="1">{t.recentTitle}</Heading>
      <Text as="p" size="1" color="gray" mb="2">{t.recentNote}</Text>
      <RecentEvaluationsTable rows={recent} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
