import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, Callout, Card, DataList, Flex, Heading, Separator, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission, type DbRefusal } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { engagementsText } from "~/lib/messages/engagements";
import { findingsText, paperStepLabel } from "~/lib/messages/findings";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser, type UserContext } from "~/lib/request.server";
import { attachmentSchema } from "~/lib/schemas/engagement";
import { paperSchema, reviewSchema, type PaperAction } from "~/lib/schemas/findings";
import { redirectWithToast } from "~/lib/toast.server";
import { prepareFile, readForm, refuseFile } from "~/lib/upload.server";
import { attachFile, conductAttachmentSubject, deleteAttachment } from "~/models/attachments.server";
import { conductSubject, getEngagement } from "~/models/engagements.server";
import {
  advancePaper,
  categoryTree,
  getPaper,
  groupMemberOptions,
  listCategories,
  mayAct,
  myGroupRole,
  PAPER_ATTACH_REFUSALS,
  PAPER_REFUSALS,
  paperAttachments,
  paperReviews,
  REVIEW_REFUSALS,
  reviewChain,
  updatePaper,
} from "~/models/findings.server";
import { PageHeader } from "~/components/page-header";
import { PaperForm } from "~/components/findings-paper-form";
import { disciplineFormText, OnTheSpotBadge, PaperStatusBadge, SeverityBadge } from "~/components/findings-badges";
import { ReviewActions, ReviewChain, ReviewHistory, when } from "~/components/findings-review";
import { AttachmentTable, RecordAttachmentUploadForm } from "~/components/engagement-attachments";
import { GeneralErrorBoundary } from "~/components/error-boundary";

const t = findingsText.papers;
const r = findingsText.review;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? t.heading(data.paper.seq, data.paper.title) : t.title} · ${m.appName}` },
];

/** The paper as RLS shows it, checked against CASL too; anything hidden is a 404. */
async function visiblePaper(ctx: Pick<UserContext, "db" | "ability">, id: number) {
  const paper = await getPaper(ctx.db, id);
  if (!paper || !ctx.ability.can("read", subject("WorkingPaper", { ...conductSubject(paper), status: paper.status }))) notFound();
  return paper;
}

/** What the caller may do with the paper now (the database decides again on every write). */
async function permissions(ctx: Pick<UserContext, "db" | "ability" | "role">, paper: Awaited<ReturnType<typeof visiblePaper>>) {
  const conduct = conductSubject(paper);
  const drafting = paper.status === "drafting";
  const canUpdate = ctx.ability.can("update", subject("WorkingPaper", { ...conduct, status: paper.status }));
  const canReview = ctx.ability.can("review", subject("WorkingPaper", { ...conduct, status: paper.status }));
  const role = ctx.role === "group_member" && canReview ? await myGroupRole(ctx.db, paper.groupId) : null;
  const attachable = ctx.ability.can("create", subject("Attachment", conductAttachmentSubject(conduct)));
  return {
    edit: canUpdate && drafting,
    attach: canUpdate && drafting && attachable,
    deleteAttachment: canUpdate && drafting && ctx.ability.can("delete", subject("Attachment", conductAttachmentSubject(conduct))),
    review: {
      submit: canReview && mayAct(paper.status, role, "submit"),
      approve: canReview && mayAct(paper.status, role, "approve"),
      return: canReview && mayAct(paper.status, role, "return"),
    },
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async (ctx) => {
    const paper = await visiblePaper(ctx, id);
    const engagement = await getEngagement(ctx.db, paper.engagementId);
    if (!engagement) notFound();
    const can = await permissions(ctx, paper);
    const reviews = await paperReviews(ctx.db, id);
    return {
      paper,
      engagement: { id: engagement.id, unitName: engagement.unitName, groupName: engagement.groupName },
      can,
      chain: reviewChain(paper.status, reviews),
      reviews,
      attachments: await paperAttachments(ctx.db, id),
      form: can.edit
        ? {
            categories: categoryTree(await listCategories(ctx.db), { usable: true, keep: paper.categoryId }),
            members: await groupMemberOptions(ctx.db, paper.groupId),
          }
        : null,
    };
  });
}

const reviewToast = (action: PaperAction, status: string) =>
  action === "submit"
    ? r.submitted
    : action === "return"
      ? r.returned
      : status === "approved"
        ? r.approvedFinal
        : r.approved(paperStepLabel[status as keyof typeof paperStepLabel]);

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const upload = await readForm(request);
  const { formData } = upload;
  return requireUser(request, async (ctx) => {
    const paper = await visiblePaper(ctx, id);
    const can = await permissions(ctx, paper);
    const back = (message: string) => redirectWithToast(`/papers/${id}`, message);
    switch (formData.get("intent")) {
      case "update":
        if (!ctx.ability.can("update", subject("WorkingPaper", conductSubject(paper)))) forbidden();
        return saveSubmission(
          ctx.db,
          formData,
          paperSchema,
          async (input, tx) => {
            if (!(await updatePaper(tx, id, paper.categoryId, input))) forbidden();
            await ctx.audit({ action: "paper.update", objectType: "working_paper", objectId: id, detail: { engagementId: paper.engagementId } });
            return back(t.updated);
          },
          PAPER_REFUSALS,
        );
      case "review": {
        if (!ctx.ability.can("review", subject("WorkingPaper", conductSubject(paper)))) forbidden();
        const submission = parseWithZod(formData, { schema: reviewSchema });
        if (submission.status !== "success") return data(submission.reply(), { status: 400 });
        const { action: step, comment } = submission.value;
        try {
          const status = await ctx.db.savepoint((sp) => advancePaper(sp as unknown as UserContext["db"], id, step, comment || null));
          await ctx.audit({
            action: `paper.${step}`,
            objectType: "working_paper",
            objectId: id,
            detail: { engagementId: paper.engagementId, from: paper.status, to: status, ...(comment ? { comment } : {}) },
          });
          return back(reviewToast(step, status));
        } catch (error) {
          const refusal = refusalOf(REVIEW_REFUSALS, error);
          if (!refusal) throw error;
          // A refused step is recorded too: who tried which step of which paper.
          await ctx.audit({
            action: `paper.${step}`,
            objectType: "working_paper",
            objectId: id,
            success: false,
            detail: { engagementId: paper.engagementId, status: paper.status, reason: (error as Error).message.slice(0, 200) },
          });
          const reply = refusal.field
            ? submission.reply({ fieldErrors: { [refusal.field]: [refusal.text] } })
            : submission.reply({ formErrors: [refusal.text] });
          return data(reply, { status: 400 });
        }
      }
      case "attach": {
        if (!can.attach) forbidden();
        const file = await prepareFile(upload);
        if (!file.ok) return refuseFile(formData, attachmentSchema, file.reason);
        return saveSubmission(
          ctx.db,
          formData,
          attachmentSchema,
          async (_input, tx) => {
            await attachFile(tx, ctx.audit, paper.engagementId, { workingPaperId: id }, file);
            return back(engagementsText.attachment.uploaded);
          },
          PAPER_ATTACH_REFUSALS,
        );
      }
      case "delete-attachment": {
        if (!can.deleteAttachment) forbidden();
        const attachmentId = parseId(formData.get("attachmentId"));
        if (!(await deleteAttachment(ctx.db, paper.engagementId, attachmentId))) notFound();
        await ctx.audit({ action: "attachment.delete", objectType: "attachment", objectId: attachmentId, detail: { engagementId: paper.engagementId, workingPaperId: id } });
        return back(engagementsText.attachment.removed);
      }
      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

/** The first refusal that matches a database error, in words (the rule saveSubmission applies). */
function refusalOf(refusals: DbRefusal[], error: unknown): { field: string | null; text: string } | null {
  const e = error as { code?: string; constraint_name?: string; message?: string; detail?: string };
  const hit = refusals.find((x) => x.code === e.code && (!x.match || x.match.test(`${e.constraint_name ?? ""} ${e.message ?? ""}`)));
  if (!hit) return null;
  return { field: hit.field, text: typeof hit.message === "function" ? hit.message(e) : hit.message };
}

type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

export default function PaperDetail() {
  const { paper: p, engagement, can, chain, reviews, attachments, form } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const intent = reply?.initialValue?.intent;
  const [params] = useSearchParams();
  const editing = form !== null && (params.get("edit") === "1" || intent === "update");
  return (
    <>
      <PageHeader
        title={t.heading(p.seq, p.title)}
        description={`${engagement.unitName} · ${engagement.groupName}`}
        actions={
          <Flex gap="2" align="center" wrap="wrap">
            <PaperStatusBadge status={p.status} />
            {form && !editing ? <Button asChild><Link to="?edit=1">{t.edit}</Link></Button> : null}
            {p.problemId ? (
              <Button asChild variant="soft"><Link to={`/engagements/${p.engagementId}/problems`}>{findingsText.problems.title}</Link></Button>
            ) : null}
            <Button asChild variant="soft" color="gray"><Link to={`/engagements/${p.engagementId}/papers`}>{t.title}</Link></Button>
          </Flex>
        }
      />
      <Card size="3" mb="4">
        <Heading as="h2" size="3" mb="4">{r.chain}</Heading>
        <ReviewChain steps={chain} />
        <Separator size="4" my="4" />
        <Flex gap="5" direction={{ initial: "column", md: "row" }} align="start">
          <div style={{ flex: 1, width: "100%" }}>
            {p.status === "approved" ? (
              <Callout.Root color="green" size="1"><Callout.Text>{r.approvedNotice}</Callout.Text></Callout.Root>
            ) : (
              // Keyed on the step: the comment typed for one step is not carried into the next.
              <ReviewActions key={`${p.status}-${reviews.length}`} status={p.status} can={can.review} lastResult={intent === "review" ? reply : undefined} />
            )}
          </div>
          <div style={{ flex: 1, width: "100%" }}>
            <Heading as="h3" size="2" mb="2">{r.history}</Heading>
            <ReviewHistory reviews={reviews} />
          </div>
        </Flex>
      </Card>
      <Card size="3" mb="4">
        {editing && form ? (
          <PaperForm
            lastResult={intent === "update" ? reply : undefined}
            categories={form.categories}
            members={form.members}
            cancelTo={`/papers/${p.id}`}
            values={{
              title: p.title,
              facts: p.facts,
              evidence: p.evidence,
              categoryId: p.categoryId,
              severity: p.severity,
              disciplineForm: p.disciplineForm,
              onTheSpot: p.onTheSpot,
              handlerMemberId: p.handlerMemberId,
            }}
          />
        ) : (
          <>
            <DataList.Root>
              <DataList.Item><DataList.Label>{t.seq}</DataList.Label><DataList.Value>{t.seqValue(p.seq)}</DataList.Value></DataList.Item>
              <DataList.Item>
                <DataList.Label>{t.category}</DataList.Label>
                <DataList.Value>{[p.topCategoryName, p.categoryName !== p.topCategoryName ? p.categoryName : null].filter(Boolean).join(" · ") || "—"}</DataList.Value>
              </DataList.Item>
              <DataList.Item><DataList.Label>{t.severity}</DataList.Label><DataList.Value><SeverityBadge severity={p.severity} /></DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.disciplineForm}</DataList.Label><DataList.Value>{disciplineFormText(p.disciplineForm)}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.onTheSpot}</DataList.Label><DataList.Value><OnTheSpotBadge value={p.onTheSpot} /></DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.handler}</DataList.Label><DataList.Value>{p.handlerName ?? "—"}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.facts}</DataList.Label><DataList.Value><Text className="pre-wrap">{p.facts}</Text></DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.evidence}</DataList.Label><DataList.Value><Text className="pre-wrap">{p.evidence ?? "—"}</Text></DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.createdBy}</DataList.Label><DataList.Value>{p.createdBy ?? "—"} · {when(p.createdAt)}</DataList.Value></DataList.Item>
            </DataList.Root>
            {form === null && p.status !== "drafting" && p.status !== "approved" && (can.review.approve || can.review.return) ? (
              <Text as="p" size="1" color="gray" mt="3">{t.notDrafting}</Text>
            ) : null}
          </>
        )}
      </Card>
      <Heading as="h2" size="4" mb="2">{t.attachments}</Heading>
      <AttachmentTable items={attachments} canDelete={can.deleteAttachment} showOwner={false} />
      {can.attach ? (
        <Card size="2" mt="2"><RecordAttachmentUploadForm key={attachments.length} lastResult={intent === "attach" ? reply : undefined} /></Card>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
