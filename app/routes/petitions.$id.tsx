import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Button, Card, DataList, Flex, Heading, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { headLevelLabel, m, petitionChannelLabel, petitionDispositionLabel } from "~/lib/messages";
import { engagementsText } from "~/lib/messages/engagements";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser, type UserContext } from "~/lib/request.server";
import { attachmentSchema } from "~/lib/schemas/engagement";
import { petitionUpdateSchema, toLocalDateTime } from "~/lib/schemas/petition";
import { redirectWithToast } from "~/lib/toast.server";
import { prepareFile, readForm, refuseFile } from "~/lib/upload.server";
import { attachFile, conductAttachmentSubject, deleteAttachment, listAttachments } from "~/models/attachments.server";
import { getPetition, petitionHasReporter, readReporterIdentity, updatePetition } from "~/models/conduct.server";
import { conductSubject, getEngagement } from "~/models/engagements.server";
import { PageHeader } from "~/components/page-header";
import { PetitionHandlingForm, reportedPerson } from "~/components/petition-forms";
import { ReporterIdentity, type RevealResult } from "~/components/petition-identity";
import { AttachmentTable, RecordAttachmentUploadForm } from "~/components/engagement-attachments";
import { GeneralErrorBoundary } from "~/components/error-boundary";

const t = engagementsText.petition;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? t.title(data.petition.seq, data.unitName) : t.detail} · ${m.appName}` },
];

const when = (d: Date | string) => new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });

/** The petition as RLS shows it, checked against CASL too; anything hidden is a 404. */
async function visiblePetition(db: UserContext["db"], ability: UserContext["ability"], id: number) {
  const petition = await getPetition(db, id);
  if (!petition || !ability.can("read", subject("Petition", conductSubject(petition)))) notFound();
  return petition;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async ({ db, ability }) => {
    const petition = await visiblePetition(db, ability, id);
    const engagement = await getEngagement(db, petition.engagementId);
    if (!engagement) notFound();
    const conduct = conductSubject(petition);
    return {
      petition,
      unitName: engagement.unitName,
      groupName: engagement.groupName,
      hasReporter: petition.anonymous ? false : await petitionHasReporter(db, id),
      canReveal: !petition.anonymous && ability.can("view_reporter_identity", subject("Petition", { ...conduct })),
      canUpdate: ability.can("update", subject("Petition", { ...conduct })),
      canAttach: ability.can("create", subject("Attachment", conductAttachmentSubject(conduct))),
      canDeleteAttachment: ability.can("delete", subject("Attachment", conductAttachmentSubject(conduct))),
      attachments: await listAttachments(db, { petitionId: id }),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const upload = await readForm(request);
  const { formData } = upload;
  return requireUser(request, async ({ db, ability, audit, requestId }) => {
    const petition = await visiblePetition(db, ability, id);
    const conduct = conductSubject(petition);
    const back = (message: string) => redirectWithToast(`/petitions/${id}`, message);
    switch (formData.get("intent")) {
      case "reveal": {
        // The database function decides again and audits every call, allowed or refused,
        // so even a request the UI never offered leaves its trace.
        const allowed = !petition.anonymous && ability.can("view_reporter_identity", subject("Petition", { ...conduct }));
        const identity = await readReporterIdentity(db, id, requestId);
        if (!allowed) return data({ reveal: { denied: true } as RevealResult }, { status: 403 });
        return { reveal: { denied: false, identity } as RevealResult };
      }
      case "update":
        if (!ability.can("update", subject("Petition", { ...conduct }))) forbidden();
        return saveSubmission(db, formData, petitionUpdateSchema, async (input, tx) => {
          if (!(await updatePetition(tx, id, input))) forbidden();
          await audit({ action: "petition.update", objectType: "petition", objectId: id, detail: { engagementId: petition.engagementId, disposition: input.disposition ?? null } });
          return back(t.updated);
        });
      case "attach": {
        if (!ability.can("create", subject("Attachment", conductAttachmentSubject(conduct)))) forbidden();
        const file = await prepareFile(upload);
        if (!file.ok) return refuseFile(formData, attachmentSchema, file.reason);
        return saveSubmission(db, formData, attachmentSchema, async (_input, tx) => {
          await attachFile(tx, audit, petition.engagementId, { petitionId: id }, file);
          return back(engagementsText.attachment.uploaded);
        });
      }
      case "delete-attachment": {
        if (!ability.can("delete", subject("Attachment", conductAttachmentSubject(conduct)))) forbidden();
        const attachmentId = parseId(formData.get("attachmentId"));
        if (!(await deleteAttachment(db, petition.engagementId, attachmentId))) notFound();
        await audit({ action: "attachment.delete", objectType: "attachment", objectId: attachmentId, detail: { engagementId: petition.engagementId, petitionId: id } });
        return back(engagementsText.attachment.removed);
      }
      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

export default function PetitionDetail() {
  const { petition: p, unitName, groupName, hasReporter, canReveal, canUpdate, canAttach, canDeleteAttachment, attachments } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const revealed = actionData && "reveal" in actionData ? actionData.reveal : undefined;
  const reply = actionData && !("reveal" in actionData) ? (actionData as Reply) : undefined;
  const intent = reply?.initialValue?.intent;
  const [params] = useSearchParams();
  const editing = canUpdate && (params.get("edit") === "1" || intent === "update");
  return (
    <>
      <PageHeader
        title={t.title(p.seq, unitName)}
        description={`${groupName} · ${petitionChannelLabel[p.channel]} · ${when(p.receivedAt)}`}
        actions={
          <Flex gap="2">
            {canUpdate && !editing ? <Button asChild><Link to="?edit=1">{t.edit}</Link></Button> : null}
            <Button asChild variant="soft" color="gray"><Link to={`/engagements/${p.engagementId}?tab=petitions`}>{t.back}</Link></Button>
          </Flex>
        }
      />
      <Flex gap="4" direction={{ initial: "column", md: "row" }} align="start" mb="4">
        <Card size="3" style={{ flex: 2, width: "100%" }}>
          {editing ? (
            <PetitionHandlingForm
              lastResult={intent === "update" ? reply : undefined}
              cancelTo={`/petitions/${p.id}`}
              values={{
                channel: p.channel,
                receivedAt: toLocalDateTime(p.receivedAt),
                reportedName: p.reportedName,
                reportedPost: p.reportedPost,
                reportedLevel: p.reportedLevel,
                content: p.content,
                classification: p.classification,
                disposition: p.disposition,
                result: p.result,
              }}
            />
          ) : (
            <DataList.Root>
              <DataList.Item><DataList.Label>{t.seq}</DataList.Label><DataList.Value>{t.seqValue(p.seq)}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.channel}</DataList.Label><DataList.Value>{petitionChannelLabel[p.channel]}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.receivedAt}</DataList.Label><DataList.Value>{when(p.receivedAt)}</DataList.Value></DataList.Item>
              <DataList.Item>
                <DataList.Label>{t.signedState}</DataList.Label>
                <DataList.Value>{p.anonymous ? <Badge color="gray">{t.anonymousYes}</Badge> : <Badge color="blue" variant="soft">{t.anonymousNo}</Badge>}</DataList.Value>
              </DataList.Item>
              <DataList.Item><DataList.Label>{t.reportedPerson}</DataList.Label><DataList.Value>{reportedPerson(p)}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.reportedLevel}</DataList.Label><DataList.Value>{p.reportedLevel ? headLevelLabel[p.reportedLevel] : "—"}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.content}</DataList.Label><DataList.Value><Text className="pre-wrap">{p.content}</Text></DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.classification}</DataList.Label><DataList.Value>{p.classification ?? "—"}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.disposition}</DataList.Label><DataList.Value>{p.disposition ? petitionDispositionLabel[p.disposition] : t.none}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.result}</DataList.Label><DataList.Value><Text className="pre-wrap">{p.result ?? "—"}</Text></DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.createdBy}</DataList.Label><DataList.Value>{p.createdBy ?? "—"} · {when(p.createdAt)}</DataList.Value></DataList.Item>
            </DataList.Root>
          )}
        </Card>
        <Card size="3" style={{ flex: 1, width: "100%" }}>
          <Heading as="h2" size="3" mb="3">{t.identity}</Heading>
          <ReporterIdentity anonymous={p.anonymous} hasReporter={hasReporter} canReveal={canReveal} revealed={revealed} />
        </Card>
      </Flex>
      <Heading as="h2" size="4" mb="2">{t.attachments}</Heading>
      <AttachmentTable items={attachments} canDelete={canDeleteAttachment} showOwner={false} />
      {canAttach ? (
        <Card size="2" mt="2"><RecordAttachmentUploadForm key={attachments.length} lastResult={intent === "attach" ? reply : undefined} /></Card>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
