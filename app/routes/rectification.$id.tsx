import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Badge, Box, Button, Callout, Card, DataList, Flex, Grid, Heading, TabNav, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { feedbackFormLabel, reportKindLabel, rectificationText as t } from "~/lib/messages/rectification";
import { parseId } from "~/lib/params.server";
import { rectificationRate } from "~/lib/figures";
import { beijingToday, itemColour, nextReportKind } from "~/lib/rectification";
import { forbidden, notFound, requireUser, type UserContext } from "~/lib/request.server";
import {
  detailTabs,
  disclosureSchema,
  itemSchema,
  reportReviewSchema,
  reportSchema,
  type DetailTab,
} from "~/lib/schemas/rectification";
import { redirectWithToast } from "~/lib/toast.server";
import { prepareFile, readForm, refuseFile } from "~/lib/upload.server";
import { attachFile, evidenceAttachmentSubject } from "~/models/attachments.server";
import { DISCLOSURE_REFUSALS, listDisclosures, publishDisclosure, withdrawDisclosure } from "~/models/disclosures.server";
import { rectificationSubject } from "~/models/engagements.server";
import {
  createItem,
  getFeedback,
  getReport,
  ITEM_REFUSALS,
  listItems,
  listProblems,
  listUnitAccounts,
  listReports,
  REPORT_REFUSALS,
  REPORT_REVIEW_REFUSALS,
  reviewReport,
  submitReport,
} from "~/models/rectification.server";
import { PageHeader } from "~/components/page-header";
import { StatCard } from "~/components/stat-card";
import { ReportHistory, ReportSubmitForm } from "~/components/rectification-reports";
import { DutyTable, ItemForm, ProblemTable, SupervisionTable, TaskTable } from "~/components/rectification-lists";
import { DisclosurePanel } from "~/components/rectification-disclosure";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DownloadButton } from "~/components/download-progress";
import { importsText } from "~/lib/messages/imports";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? t.detailTitle(data.feedback.unitName) : t.detail} · ${m.appName}` },
];

function tabOf(url: URL): DetailTab {
  const raw = url.searchParams.get("tab");
  return (detailTabs as readonly string[]).includes(raw ?? "") ? (raw as DetailTab) : "problems";
}

/** The feedback as RLS shows it, checked against CASL too; anything hidden is a 404. */
async function visibleFeedback(db: UserContext["db"], ability: UserContext["ability"], engagementId: number) {
  const feedback = await getFeedback(db, engagementId);
  if (!feedback || !ability.can("read", subject("Feedback", rectificationSubject(feedback)))) notFound();
  return feedback;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const url = new URL(request.url);
  const tab = tabOf(url);
  return requireUser(request, async ({ db, ability, role }) => {
    const feedback = await visibleFeedback(db, ability, id);
    const scope = rectificationSubject(feedback);
    const office = { supervisingOrgId: feedback.supervisingOrgId };
    const [problems, reports, items] = [await listProblems(db, id), await listReports(db, id), await listItems(db, id)];
    const seesDisclosures = ability.can("read", subject("RectificationDisclosure", { ...office }));
    const today = beijingToday();
    const can = {
      // The unit submits its reports (the office reviews them; it does not write them in the UI).
      submit: role === "unit_contact" && ability.can("create", subject("RectificationReport", { ...scope })),
      // Reviewing is updating a submitted report (whether it still is, the database checks).
      review: ability.can("update", subject("RectificationReport", { ...scope, status: "submitted" })),
      addItem: ability.can("create", subject("RectificationItem", { ...scope })),
      publish: ability.can("create", subject("RectificationDisclosure", { ...office })),
    };
    const requested = Number(url.searchParams.get("problem"));
    return {
      feedback: {
        engagementId: feedback.engagementId,
        unitName: feedback.unitName,
        groupName: feedback.groupName,
        supervisingOrgName: feedback.supervisingOrgName,
        feedbackOn: feedback.feedbackOn,
        form: feedback.form,
        documentNo: feedback.documentNo,
        mainRecipients: feedback.mainRecipients,
        ccRecipients: feedback.ccRecipients,
        attendees: feedback.attendees,
        planDue: feedback.planDue,
      },
      problems,
      reports,
      items,
      next: nextReportKind(reports),
      counts: {
        open: items.filter((i) => i.status === "open").length,
        confirmed: items.filter((i) => i.status === "unit_confirmed").length,
        closed: items.filter((i) => i.status === "closed").length,
        overdue: items.filter((i) => itemColour(i, today) === "red").length,
        rectified: problems.filter((p) => p.items > 0 && p.closed === p.items).length,
      },
      disclosures: seesDisclosures ? await listDisclosures(db, id) : null,
      can,
      tab,
      today,
      problemId: problems.some((p) => p.id === requested) ? requested : null,
      accounts: can.addItem ? await listUnitAccounts(db, feedback.unitId) : [],
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const upload = await readForm(request);
  const { formData } = upload;
  return requireUser(request, async ({ db, ability, audit }) => {
    const feedback = await visibleFeedback(db, ability, id);
    const scope = rectificationSubject(feedback);
    const office = { supervisingOrgId: feedback.supervisingOrgId };
    const back = (message: string, tab?: DetailTab) => redirectWithToast(`/rectification/${id}${tab ? `?tab=${tab}` : ""}`, message);
    switch (formData.get("intent")) {
      case "report": {
        if (!ability.can("create", subject("RectificationReport", { ...scope }))) forbidden();
        const file = await prepareFile(upload);
        if (!file.ok && file.reason !== "missing") return refuseFile(formData, reportSchema, file.reason);
        if (file.ok && !ability.can("create", subject("Attachment", evidenceAttachmentSubject({ ...scope })))) forbidden();
        return saveSubmission(db, formData, reportSchema, async (input, tx) => {
          const report = await submitReport(tx, id, input);
          await audit({ action: "rectification.report.submit", objectType: "rectification_report", objectId: report.id, detail: { engagementId: id, kind: input.kind, seq: report.seq } });
          if (file.ok) await attachFile(tx, audit, id, { rectificationReportId: report.id }, file);
          return back(t.reportSubmitted(reportKindLabel[input.kind]));
        }, REPORT_REFUSALS);
      }

      case "review-report":
        if (!ability.can("update", subject("RectificationReport", { ...scope, status: "submitted" }))) forbidden();
        return saveSubmission(db, formData, reportReviewSchema, async (input, tx) => {
          const report = await getReport(tx, id, input.reportId);
          if (!report || !(await reviewReport(tx, id, input.reportId, input.decision, input.comment))) notFound();
          await audit({ action: "rectification.report.review", objectType: "rectification_report", objectId: input.reportId, detail: { engagementId: id, kind: report.kind, seq: report.seq, decision: input.decision } });
          return back(input.decision === "accepted" ? t.reportAccepted : t.reportReturned);
        }, REPORT_REVIEW_REFUSALS);

      case "item": {
        if (!ability.can("create", subject("RectificationItem", { ...scope }))) forbidden();
        // A problem not on this engagement's fed-back list is a field error, not a write.
        const problemId = Number(formData.get("problemId"));
        if (formData.get("problemId") && !(await listProblems(db, id)).some((p) => p.id === problemId)) {
          const submission = parseWithZod(formData, { schema: itemSchema });
          return data(submission.reply({ fieldErrors: { problemId: [t.problemRequired] } }), { status: 400 });
        }
        return saveSubmission(db, formData, itemSchema, async (input, tx) => {
          const itemId = await createItem(tx, id, input);
          if (!itemId) notFound();
          await audit({ action: "rectification.item.create", objectType: "rectification_item", objectId: itemId, detail: { engagementId: id, problemId: input.problemId, kind: input.kind, deadline: input.deadline ?? null } });
          return back(t.itemCreated, "tasks");
        }, ITEM_REFUSALS);
      }

      case "publish":
        if (!ability.can("create", subject("RectificationDisclosure", { ...office }))) forbidden();
        return saveSubmission(db, formData, disclosureSchema, async (input, tx) => {
          const d = await publishDisclosure(tx, id, input);
          await audit({ action: "disclosure.publish", objectType: "rectification_disclosure", objectId: d.id, detail: { engagementId: id, slug: d.slug } });
          return back(t.published);
        }, DISCLOSURE_REFUSALS);

      case "withdraw": {
        if (!ability.can("update", subject("RectificationDisclosure", { ...office }))) forbidden();
        const disclosureId = parseId(formData.get("disclosureId"));
        if (!(await withdrawDisclosure(db, id, disclosureId))) notFound();
        await audit({ action: "disclosure.withdraw", objectType: "rectification_disclosure", objectId: disclosureId, detail: { engagementId: id } });
        return back(t.withdrawn);
      }

      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

export default function RectificationDetail() {
  const { feedback: f, problems, reports, items, next, counts, disclosures, can, tab, today, problemId, accounts } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const intent = reply?.initialValue?.intent;
  const replyFor = (name: string) => (intent === name ? reply : undefined);
  const nextLabel = reportKindLabel[next.kind];
  return (
    <>
      <PageHeader
        title={t.detailTitle(f.unitName)}
        description={`${f.supervisingOrgName} · ${f.groupName} · ${t.feedbackOn} ${f.feedbackOn}`}
        actions={
          <Flex gap="2" align="start" wrap="wrap">
            <DownloadButton href={`/rectification/${f.engagementId}/xlsx`} label={importsText.export.rectification}
              fallbackName={`${f.unitName}整改四个清单.xlsx`} testId="export-rectification" />
            <Button asChild variant="soft" color="gray"><Link to="/rectification">{t.back}</Link></Button>
          </Flex>
        }
      />

      <Flex gap="4" direction={{ initial: "column", md: "row" }} align="start" mb="4">
        <Card size="3" style={{ flex: 1, width: "100%" }}>
          <Heading as="h2" size="3" mb="3">{t.feedback}</Heading>
          <DataList.Root size="2">
            <DataList.Item><DataList.Label>{t.unit}</DataList.Label><DataList.Value>{f.unitName}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.group}</DataList.Label><DataList.Value>{f.groupName}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.feedbackOn}</DataList.Label><DataList.Value>{f.feedbackOn}（{feedbackFormLabel[f.form]}）</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.documentNo}</DataList.Label><DataList.Value>{f.documentNo ?? "—"}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.mainRecipients}</DataList.Label><DataList.Value>{f.mainRecipients}</DataList.Value></DataList.Item>
            {f.ccRecipients ? <DataList.Item><DataList.Label>{t.ccRecipients}</DataList.Label><DataList.Value>{f.ccRecipients}</DataList.Value></DataList.Item> : null}
            <DataList.Item><DataList.Label>{t.planDue}</DataList.Label><DataList.Value>{f.planDue}</DataList.Value></DataList.Item>
          </DataList.Root>
        </Card>
        <Box style={{ flex: 1.2, width: "100%" }}>
          <Grid columns={{ initial: "2", sm: "3" }} gap="3">
            <StatCard label={t.problems} value={problems.length} testId="count-problems" />
            <StatCard label={t.itemsOpen} value={counts.open} testId="count-open" />
            <StatCard label={t.itemsConfirmed} value={counts.confirmed} testId="count-confirmed" />
            <StatCard label={t.itemsClosed} value={counts.closed} testId="count-closed" />
            <StatCard label={t.overdue} value={<Text color={counts.overdue ? "red" : undefined}>{counts.overdue}</Text>} testId="count-overdue" />
            <StatCard label={t.rate} value={rectificationRate(counts.rectified, problems.length)} testId="count-rate" />
          </Grid>
        </Box>
      </Flex>

      <Card size="3" mb="4">
        <Heading as="h2" size="4" mb="1">{t.reports}</Heading>
        <Text as="p" size="2" color="gray" mb="3">{t.reportsHint}</Text>
        {can.submit ? (
          <Callout.Root color={next.blocked ? "gray" : "blue"} mb="3" role="note">
            <Callout.Text>
              {next.blocked ? t.awaitingReview(nextLabel) : next.kind === "plan" ? t.submitPlanHint(f.planDue) : t.progressHint}
            </Callout.Text>
          </Callout.Root>
        ) : null}
        <Grid columns={{ initial: "1", md: "2" }} gap="4">
          <ReportHistory kind="plan" reports={reports.filter((r) => r.kind === "plan")} canReview={can.review} reviewReply={replyFor("review-report")} />
          <ReportHistory kind="progress" reports={reports.filter((r) => r.kind === "progress")} canReview={can.review} reviewReply={replyFor("review-report")} />
        </Grid>
        {can.submit && !next.blocked ? (
          <Card size="2" mt="4">
            <ReportSubmitForm key={`${next.kind}-${reports.length}`} kind={next.kind} lastResult={replyFor("report")} />
          </Card>
        ) : null}
      </Card>

      <Heading as="h2" size="4" mb="2">{t.tabs}</Heading>
      <TabNav.Root aria-label={t.tabs} mb="4">
        {(
          [
            ["problems", t.tabProblems, problems.length],
            ["tasks", t.tabTasks, items.length],
            ["duties", t.tabDuties, items.length],
            ["supervision", t.tabSupervision, items.length],
          ] as const
        ).map(([key, label, count]) => (
          <TabNav.Link key={key} asChild active={tab === key}>
            <Link to={`?tab=${key}`} preventScrollReset>
              {label}
              <Badge ml="2" color="gray" variant="soft" radius="full">{count}</Badge>
            </Link>
          </TabNav.Link>
        ))}
      </TabNav.Root>
      <Box mb="4">
        {tab === "problems" ? (
          <Flex direction="column" gap="4">
            <ProblemTable problems={problems} canAdd={can.addItem} />
            {can.addItem && problems.length > 0 ? (
              <Card size="3">
                <ItemForm key={`${items.length}-${problemId ?? ""}`} problems={problems} problemId={problemId}
                  lastResult={replyFor("item")} minDeadline={f.feedbackOn} accounts={accounts} />
              </Card>
            ) : null}
          </Flex>
        ) : null}
        {tab === "tasks" ? <TaskTable items={items} /> : null}
        {tab === "duties" ? <DutyTable items={items} /> : null}
        {tab === "supervision" ? <SupervisionTable items={items} today={today} /> : null}
      </Box>

      {disclosures ? (
        <DisclosurePanel key={disclosures.length} disclosures={disclosures} canPublish={can.publish} unitName={f.unitName} lastResult={replyFor("publish")} />
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
