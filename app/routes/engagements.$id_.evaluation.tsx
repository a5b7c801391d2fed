import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, Callout, Card, DataList, Flex, Heading, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { shanghaiDate } from "~/lib/figures";
import { m } from "~/lib/messages";
import { effectGradeLabel, evaluationText as t } from "~/lib/messages/evaluation";
import { engagementsText } from "~/lib/messages/engagements";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { evaluationSchemaFor } from "~/lib/schemas/evaluation";
import { redirectWithToast } from "~/lib/toast.server";
import { getEngagement } from "~/models/engagements.server";
import {
  createEvaluation,
  evaluationContext,
  EVALUATION_REFUSALS,
  listEvaluations,
  templateIndicators,
  usableTemplates,
} from "~/models/evaluations.server";
import { PageHeader } from "~/components/page-header";
import { NativeSelect } from "~/components/native-select";
import { EvaluationForm, EvaluationHistory, type Reply } from "~/components/evaluation-form";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.engagement.unitName} · ` : ""}${t.title} · ${m.appName}` },
];

const evaluation = (supervisingOrgId: number) => subject("RectificationEvaluation", { supervisingOrgId });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const templateParam = new URL(request.url).searchParams.get("template");
  return requireUser(request, async ({ db, ability }) => {
    const e = await getEngagement(db, id);
    if (!e || !ability.can("read", evaluation(e.supervisingOrgId))) notFound();
    const ctx = (await evaluationContext(db, id))!;
    const canCreate = ctx.feedbackOn !== null && ability.can("create", evaluation(e.supervisingOrgId));
    const templates = canCreate ? await usableTemplates(db, e.supervisingOrgId) : [];
    const chosen = templates.find((x) => String(x.id) === templateParam) ?? templates[0] ?? null;
    const today = shanghaiDate();
    return {
      engagement: {
        id: e.id,
        unitName: e.unitName,
        groupName: e.groupName,
        round: e.termName && e.roundNumber && e.roundYear ? engagementsText.roundName(e.termName, e.roundNumber, e.roundYear) : null,
      },
      ...ctx,
      tooEarly: ctx.earliest !== null && today < ctx.earliest,
      today,
      canCreate,
      templates: templates.map((x) => ({ id: x.id, name: x.name, orgName: x.orgName, indicators: x.indicators })),
      chosen: chosen ? { id: chosen.id, name: chosen.name } : null,
      indicators: chosen ? await templateIndicators(db, chosen.id) : [],
      evaluations: (await listEvaluations(db, id)).map(({ createdAt: _createdAt, ...v }) => v),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, audit }) => {
    const e = await getEngagement(db, id);
    if (!e || !ability.can("read", evaluation(e.supervisingOrgId))) notFound();
    if (formData.get("intent") !== "evaluate") throw new Response("Bad Request", { status: 400 });
    if (!ability.can("create", evaluation(e.supervisingOrgId))) forbidden();
    // The form is the template's: its indicators decide the fields and their limits.
    const templateId = Number(formData.get("templateId"));
    const template = (await usableTemplates(db, e.supervisingOrgId)).find((x) => x.id === templateId);
    const indicators = template ? await templateIndicators(db, template.id) : [];
    return saveSubmission(db, formData, evaluationSchemaFor(indicators), async (input, tx) => {
      const result = await createEvaluation(tx, id, input);
      await audit({
        action: "rectification_evaluation.create",
        objectType: "rectification_evaluation",
        objectId: result.id,
        detail: {
          engagementId: id,
          templateId: input.templateId,
          evaluatedOn: input.evaluatedOn,
          falseReporting: input.falseReporting,
          score: result.score,
          grade: result.grade,
        },
      });
      return redirectWithToast(
        `/engagements/${id}/evaluation?template=${input.templateId}`,
        t.saved(result.score.toFixed(2), effectGradeLabel[result.grade]),
      );
    }, EVALUATION_REFUSALS);
  });
}

export default function EngagementEvaluation() {
  const d = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  return (
    <>
      <PageHeader
        title={`${t.title} · ${d.engagement.unitName}`}
        description={[d.engagement.round, d.engagement.groupName].filter(Boolean).join(" · ")}
        actions={<Button asChild variant="soft" color="gray"><Link to={`/engagements/${d.engagement.id}`}>{t.backToEngagement}</Link></Button>}
      />
      <Card size="2" mb="4">
        <DataList.Root>
          <DataList.Item>
            <DataList.Label>{t.feedbackOn}</DataList.Label>
            <DataList.Value data-testid="feedback-on">{d.feedbackOn ?? "—"}</DataList.Value>
          </DataList.Item>
          <DataList.Item>
            <DataList.Label>{t.earliest}</DataList.Label>
            <DataList.Value data-testid="earliest-on">{d.earliest ?? "—"}</DataList.Value>
          </DataList.Item>
        </DataList.Root>
        <Text as="p" size="1" color="gray" mt="3">
          {d.feedbackOn && d.earliest ? t.earliestNote(d.feedbackOn, d.earliest) : t.noFeedback}
        </Text>
        <Text as="p" size="1" color="gray">{t.gradeRule}</Text>
      </Card>

      {d.feedbackOn === null ? null : !d.canCreate ? (
        <Callout.Root color="gray" mb="4" role="note"><Callout.Text>{t.readOnly}</Callout.Text></Callout.Root>
      ) : (
        <Card size="3" mb="5">
          <Heading as="h2" size="4" mb="3">{t.form}</Heading>
          {d.tooEarly && d.earliest ? (
            <Callout.Root color="amber" mb="3" role="note"><Callout.Text>{t.tooEarlyNow(d.earliest)}</Callout.Text></Callout.Root>
          ) : null}
          {d.templates.length === 0 || !d.chosen ? (
            <Flex direction="column" gap="3" align="start">
              <Text as="p" color="gray" size="2">{t.noUsableTemplates}</Text>
              <Button asChild variant="soft"><Link to="/evaluation-templates">{t.manageTemplates}</Link></Button>
            </Flex>
          ) : (
            <>
              <Form method="get" aria-label={t.chooseTemplate}>
                <Flex gap="3" align="end" mb="4" wrap="wrap">
                  <Flex direction="column" gap="1">
                    <label htmlFor="template"><Text size="2" weight="medium">{t.template}</Text></label>
                    <NativeSelect id="template" name="template" defaultValue={d.chosen.id}>
                      {d.templates.map((x) => (
                        <option key={x.id} value={x.id}>{`${x.name}（${x.orgName}，${x.indicators} 项指标）`}</option>
                      ))}
                    </NativeSelect>
                  </Flex>
                  <Button type="submit" variant="soft">{t.useTemplate}</Button>
                </Flex>
              </Form>
              <EvaluationForm
                key={d.chosen.id}
                template={d.chosen}
                indicators={d.indicators}
                today={d.today}
                lastResult={reply}
              />
            </>
          )}
        </Card>
      )}

      <Heading as="h2" size="4" mb="3">{t.past}</Heading>
      <EvaluationHistory evaluations={d.evaluations} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
