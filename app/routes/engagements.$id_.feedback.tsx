import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, Callout, Card, Flex, Heading, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { feedbackText as t } from "~/lib/messages/feedback";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser, type UserContext } from "~/lib/request.server";
import { feedbackSchema } from "~/lib/schemas/feedback";
import { redirectWithToast } from "~/lib/toast.server";
import { dbToday } from "~/models/leads.server";
import { engagementSubject, getEngagement, rectificationSubject } from "~/models/engagements.server";
import {
  FEEDBACK_REFUSALS,
  feedbackProblems,
  feedbackSubject,
  getFeedback,
  giveFeedback,
  pendingProblems,
} from "~/models/feedback.server";
import { PageHeader } from "~/components/page-header";
import { FeedbackForm } from "~/components/feedback-form";
import { FeedbackProblemTable, FeedbackRecord } from "~/components/feedback-record";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? t.pageTitle(data.unitName) : t.title} · ${m.appName}` },
];

/**
 * The engagement as its offices and group read it, or, for the unit's contacts (who
 * cannot read engagements), only its feedback row. Either way CASL must agree that the
 * user reads feedback here; anything else is a 404.
 */
async function scope(db: UserContext["db"], ability: UserContext["ability"], id: number) {
  const engagement = await getEngagement(db, id);
  const feedback = await getFeedback(db, id);
  const rect = engagement ? rectificationSubject(engagement) : feedback ? feedbackSubject(feedback) : null;
  if (!rect || !ability.can("read", subject("Feedback", { ...rect }))) notFound();
  return { engagement, feedback, rect };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async ({ db, ability }) => {
    const { engagement: e, feedback, rect } = await scope(db, ability, id);
    const canGive = !!e && !feedback && ability.can("give_feedback", subject("Engagement", engagementSubject(e)));
    const reportedOn = e?.reportedOn ?? null;
    const today = await dbToday(db);
    return {
      engagementId: id,
      unitName: feedback?.unitName ?? e?.unitName ?? "",
      groupName: feedback?.groupName ?? e?.groupName ?? "",
      // Contacts of the unit have no engagement page to go back to.
      seesEngagement: !!e,
      feedback,
      problems: feedback ? await feedbackProblems(db, feedback.id) : [],
      canRectification: !!feedback && ability.can("read", subject("RectificationItem", { ...rect })),
      canGive,
      canEditStages: !!e && ability.can("update", subject("Engagement", engagementSubject(e))),
      executingOrgName: e?.executingOrgName ?? "",
      reportedOn,
      pending: canGive && reportedOn ? await pendingProblems(db, id) : [],
      defaultFeedbackOn: reportedOn && reportedOn > today ? reportedOn : today,
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, audit }) => {
    if (formData.get("intent") !== "feedback") throw new Response("Bad Request", { status: 400 });
    const { engagement: e, feedback } = await scope(db, ability, id);
    if (!e || !ability.can("give_feedback", subject("Engagement", engagementSubject(e)))) forbidden();
    if (feedback) return redirectWithToast(`/engagements/${id}/feedback`, t.already);
    // Without a report date there is nothing to compare with: the database answers
    // "the report comes first", shown on the form.
    return saveSubmission(db, formData, feedbackSchema(e.reportedOn ?? "0000-01-01"), async (input, tx) => {
      const feedbackId = await giveFeedback(tx, id, input);
      await audit({
        action: "feedback.give",
        objectType: "feedback",
        objectId: feedbackId,
        detail: { engagementId: id, feedbackOn: input.feedbackOn, form: input.form, problems: input.problemIds.length },
      });
      return redirectWithToast(`/engagements/${id}/feedback`, t.given(input.problemIds.length));
    }, FEEDBACK_REFUSALS);
  });
}

export default function EngagementFeedback() {
  const d = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  return (
    <>
      <PageHeader
        title={t.pageTitle(d.unitName)}
        description={d.groupName}
        actions={
          <Flex gap="2">
            {d.canRectification ? (
              <Button asChild><Link to={`/rectification/${d.engagementId}`}>{t.toRectification}</Link></Button>
            ) : null}
            {d.seesEngagement ? (
              <Button asChild variant="soft" color="gray"><Link to={`/engagements/${d.engagementId}`}>{t.backToEngagement}</Link></Button>
            ) : null}
          </Flex>
        }
      />
      {d.feedback ? (
        <Flex direction="column" gap="4">
          <Heading as="h2" size="4">{t.record}</Heading>
          <FeedbackRecord feedback={d.feedback} />
          <Flex justify="between" align="center">
            <Heading as="h2" size="4">{t.problems}</Heading>
            <Text size="2" color="gray">{t.problemsCount(d.problems.length)}</Text>
          </Flex>
          <FeedbackProblemTable problems={d.problems} />
        </Flex>
      ) : !d.canGive ? (
        <Callout.Root color="gray" role="note">
          <Callout.Text>{t.notYet} {d.seesEngagement ? t.notYetReadOnly(d.executingOrgName) : null}</Callout.Text>
        </Callout.Root>
      ) : !d.reportedOn ? (
        <Callout.Root color="amber" role="alert" data-testid="feedback-report-missing">
          <Flex direction="column" gap="2" align="start">
            <Callout.Text weight="bold">{t.reportMissing}</Callout.Text>
            <Callout.Text>{d.canEditStages ? t.reportMissingHint : t.reportMissingNoEdit}</Callout.Text>
            {d.canEditStages ? (
              <Button asChild size="1" variant="soft" color="amber">
                <Link to={`/engagements/${d.engagementId}?stages=1`}>{t.editStages}</Link>
              </Button>
            ) : null}
          </Flex>
        </Callout.Root>
      ) : d.pending.length === 0 ? (
        <Callout.Root color="gray" role="note"><Callout.Text>{t.noProblems}</Callout.Text></Callout.Root>
      ) : (
        <Card size="3">
          <FeedbackForm
            reportedOn={d.reportedOn}
            defaultFeedbackOn={d.defaultFeedbackOn}
            defaultMainRecipients={d.unitName}
            problems={d.pending}
            lastResult={reply}
          />
        </Card>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
