import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Box, Button, Callout, Card, DataList, Flex, Heading, TabNav } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission, type DbRefusal } from "~/lib/form-actions.server";
import { engagementModeLabel, fieldworkKindLabel, m } from "~/lib/messages";
import { engagementsText as t } from "~/lib/messages/engagements";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import {
  engagementAttachmentSchema,
  engagementTabs,
  fieldworkSchema,
  stagesSchema,
  type EngagementTab,
} from "~/lib/schemas/engagement";
import { petitionSchema, toLocalDateTime } from "~/lib/schemas/petition";
import { redirectWithToast } from "~/lib/toast.server";
import { prepareFile, readForm, refuseFile } from "~/lib/upload.server";
import { attachFile, conductAttachmentSubject, deleteAttachment, listAttachments } from "~/models/attachments.server";
import {
  conductCounts,
  createFieldwork,
  createPetition,
  getFieldwork,
  listFieldwork,
  listPetitions,
  updateFieldwork,
} from "~/models/conduct.server";
import {
  conductSubject,
  rectificationSubject,
  engagementSubject,
  getEngagement,
  orgNames,
  STAGE_REFUSALS,
  updateStages,
} from "~/models/engagements.server";
import { PageHeader } from "~/components/page-header";
import { EngagementModeBadge, EngagementStatusBadge } from "~/components/engagement-badges";
import { StageTimeline, StagesForm } from "~/components/engagement-stages";
import { FieldworkForm, FieldworkTable } from "~/components/fieldwork-records";
import { PetitionRegisterForm, PetitionTable } from "~/components/petition-forms";
import { AttachmentTable, AttachmentUploadForm } from "~/components/engagement-attachments";
import { EngagementSections, type EngagementSectionFlags } from "~/components/engagement-sections";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.engagement.unitName} · ${t.title}` : t.detail} · ${m.appName}` },
];

const ATTACH_REFUSALS: DbRefusal[] = [{ code: "23503", field: "owner", message: t.attachment.ownerRequired }];

/** Today in Beijing, as the stage dates are written. */
const beijingToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

function tabOf(url: URL): EngagementTab {
  const raw = url.searchParams.get("tab");
  return (engagementTabs as readonly string[]).includes(raw ?? "") ? (raw as EngagementTab) : "fieldwork";
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const url = new URL(request.url);
  const tab = tabOf(url);
  const editParam = url.searchParams.get("edit");
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    const e = await getEngagement(db, id);
    if (!e || !ability.can("read", subject("Engagement", engagementSubject(e)))) notFound();
    const names = await orgNames(db, [e.supervisingOrgId]);
    const conduct = conductSubject(e);
    const seesConduct = ability.can("read", subject("FieldworkRecord", { ...conduct }));
    const engagement = {
      id: e.id,
      unitName: e.unitName,
      round: e.termName && e.roundNumber && e.roundYear ? t.roundName(e.termName, e.roundNumber, e.roundYear) : null,
      roundId: e.roundId,
      canOpenRound: ability.can("read", "Round") && e.termName !== null,
      groupName: e.groupName,
      executingOrgName: e.executingOrgName,
      supervisingOrgName: names[e.supervisingOrgId] ?? "—",
      mode: e.mode,
      status: e.status,
      dates: {
        stationedOn: e.stationedOn,
        withdrawnOn: e.withdrawnOn,
        reportedOn: e.reportedOn,
        feedbackOn: e.feedbackOn,
        rectificationDue: e.rectificationDue,
      },
    };
    const rect = subject("RectificationItem", rectificationSubject(e));
    const sections: EngagementSectionFlags = {
      papers: ability.can("read", subject("WorkingPaper", { ...conduct })),
      problems: ability.can("read", subject("Problem", { ...conduct, supervisingOrgId: e.supervisingOrgId, fedBackUnitId: null, fedBackTargetOrgId: null })),
      leads: ability.can("read", subject("Lead", { ...conduct, receivingOrgId: null, transferredOn: null })),
      feedback: ability.can("read", subject("Feedback", rectificationSubject(e))),
      rectification: e.feedbackOn !== null && ability.can("read", rect),
      evaluation: e.feedbackOn !== null && ability.can("read", subject("RectificationEvaluation", { supervisingOrgId: e.supervisingOrgId })),
    };
    const base = {
      sections,
      engagement,
      today: beijingToday(),
      canEditStages: ability.can("update", subject("Engagement", engagementSubject(e))),
      // Its results shared with a partner (贯通融合): the supervising or the executing office.
      canShare: [e.supervisingOrgId, e.executingOrgId].some((orgId) => orgId === activeOrg.id && ability.can("create", subject("ResultGrant", { orgId }))),
      seesConduct,
      tab,
    };
    // The target of an elevated or cross patrol: the engagement row and nothing of its conduct.
    // Not even asked for (RLS would return nothing anyway).
    if (!seesConduct) return { ...base, conduct: null };
    const can = {
      createFieldwork: ability.can("create", subject("FieldworkRecord", { ...conduct })),
      updateFieldwork: ability.can("update", subject("FieldworkRecord", { ...conduct })),
      createPetition: ability.can("create", subject("Petition", { ...conduct })),
      attach: ability.can("create", subject("Attachment", conductAttachmentSubject(conduct))),
      deleteAttachment: ability.can("delete", subject("Attachment", conductAttachmentSubject(conduct))),
    };
    const counts = await conductCounts(db, id);
    const fieldwork = tab === "petitions" ? [] : await listFieldwork(db, id);
    const petitions = tab === "fieldwork" ? [] : await listPetitions(db, id);
    const attachments = tab === "petitions" ? [] : await listAttachments(db, { engagementId: id });
    const editId = tab === "fieldwork" && can.updateFieldwork && editParam ? Number(editParam) : null;
    const editing = editId && Number.isSafeInteger(editId) ? (await getFieldwork(db, id, editId)) ?? null : null;
    return {
      ...base,
      conduct: {
        can,
        counts,
        fieldwork,
        petitions,
        attachments,
        editing,
        defaultReceivedAt: toLocalDateTime(new Date()),
      },
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const upload = await readForm(request);
  const { formData } = upload;
  return requireUser(request, async ({ db, ability, audit }) => {
    const e = await getEngagement(db, id);
    if (!e || !ability.can("read", subject("Engagement", engagementSubject(e)))) notFound();
    const conduct = conductSubject(e);
    const back = (tab: EngagementTab, message: string) => redirectWithToast(`/engagements/${id}?tab=${tab}`, message);
    switch (formData.get("intent")) {
      case "stages":
        if (!ability.can("update", subject("Engagement", engagementSubject(e)))) forbidden();
        return saveSubmission(db, formData, stagesSchema, async (input, tx) => {
          if (!(await updateStages(tx, id, input))) forbidden();
          await audit({ action: "engagement.stages", objectType: "engagement", objectId: id, detail: { ...input } });
          return redirectWithToast(`/engagements/${id}`, t.stagesSaved);
        }, STAGE_REFUSALS);

      case "fieldwork": {
        const recordId = formData.get("recordId") ? parseId(formData.get("recordId")) : null;
        if (!ability.can(recordId ? "update" : "create", subject("FieldworkRecord", { ...conduct }))) forbidden();
        const file = await prepareFile(upload);
        if (!file.ok && file.reason !== "missing") return refuseFile(formData, fieldworkSchema, file.reason);
        if (file.ok && !ability.can("create", subject("Attachment", conductAttachmentSubject(conduct)))) forbidden();
        return saveSubmission(db, formData, fieldworkSchema, async (input, tx) => {
          let rid = recordId;
          if (rid) {
            if (!(await updateFieldwork(tx, id, rid, input))) notFound();
            await audit({ action: "fieldwork.update", objectType: "fieldwork_record", objectId: rid, detail: { engagementId: id } });
          } else {
            rid = await createFieldwork(tx, id, input);
            await audit({ action: "fieldwork.create", objectType: "fieldwork_record", objectId: rid, detail: { engagementId: id, kind: input.kind } });
          }
          if (file.ok) await attachFile(tx, audit, id, { fieldworkRecordId: rid }, file);
          return back("fieldwork", recordId ? t.fieldwork.updated : t.fieldwork.created);
        });
      }

      case "petition": {
        if (!ability.can("create", subject("Petition", { ...conduct }))) forbidden();
        const file = await prepareFile(upload);
        if (!file.ok && file.reason !== "missing") return refuseFile(formData, petitionSchema, file.reason);
        if (file.ok && !ability.can("create", subject("Attachment", conductAttachmentSubject(conduct)))) forbidden();
        return saveSubmission(db, formData, petitionSchema, async (input, tx) => {
          const petition = await createPetition(tx, id, input);
          // The audit row says an identity was recorded, never what it is.
          await audit({
            action: "petition.create",
            objectType: "petition",
            objectId: petition.id,
            detail: { engagementId: id, seq: petition.seq, anonymous: input.anonymous, reporterRecorded: !input.anonymous },
          });
          if (file.ok) await attachFile(tx, audit, id, { petitionId: petition.id }, file);
          return redirectWithToast(`/petitions/${petition.id}`, t.petition.registered(petition.seq));
        });
      }

      case "attach": {
        if (!ability.can("create", subject("Attachment", conductAttachmentSubject(conduct)))) forbidden();
        const file = await prepareFile(upload);
        if (!file.ok) return refuseFile(formData, engagementAttachmentSchema, file.reason);
        return saveSubmission(db, formData, engagementAttachmentSchema, async (input, tx) => {
          const n = Number(input.owner.slice(1));
          await attachFile(tx, audit, id, input.owner.startsWith("f") ? { fieldworkRecordId: n } : { petitionId: n }, file);
          return back("attachments", t.attachment.uploaded);
        }, ATTACH_REFUSALS);
      }

      case "delete-attachment": {
        if (!ability.can("delete", subject("Attachment", conductAttachmentSubject(conduct)))) forbidden();
        const attachmentId = parseId(formData.get("attachmentId"));
        if (!(await deleteAttachment(db, id, attachmentId))) notFound();
        await audit({ action: "attachment.delete", objectType: "attachment", objectId: attachmentId, detail: { engagementId: id } });
        return back("attachments", t.attachment.removed);
      }

      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

export default function EngagementDetail() {
  const { engagement: e, today, canEditStages, canShare, seesConduct, tab, conduct, sections } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const intent = reply?.initialValue?.intent;
  const [params] = useSearchParams();
  const editingStages = canEditStages && (params.get("stages") === "1" || intent === "stages");
  const tabHref = (to: EngagementTab) => `?tab=${to}`;
  return (
    <>
      <PageHeader
        title={e.unitName}
        description={`${e.round ?? t.roundHidden} · ${e.groupName}`}
        actions={
          <Flex gap="2">
            {canShare ? <Button asChild variant="soft"><Link to={`/sharing?engagement=${e.id}`}>{t.shareWithPartners}</Link></Button> : null}
            <Button asChild variant="soft" color="gray"><Link to="/engagements">{t.back}</Link></Button>
          </Flex>
        }
      />
      <Flex gap="4" direction={{ initial: "column", md: "row" }} align="start" mb="4">
        <Card size="3" style={{ flex: 1, width: "100%" }}>
          <DataList.Root>
            <DataList.Item><DataList.Label>{t.unit}</DataList.Label><DataList.Value>{e.unitName}</DataList.Value></DataList.Item>
            <DataList.Item>
              <DataList.Label>{t.round}</DataList.Label>
              <DataList.Value>
                {e.round && e.canOpenRound ? <Link className="table-link" to={`/rounds/${e.roundId}`}>{e.round}</Link> : e.round ?? t.roundHidden}
              </DataList.Value>
            </DataList.Item>
            <DataList.Item><DataList.Label>{t.group}</DataList.Label><DataList.Value>{e.groupName}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.executingOrg}</DataList.Label><DataList.Value>{e.executingOrgName}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.supervisingOrg}</DataList.Label><DataList.Value>{e.supervisingOrgName}</DataList.Value></DataList.Item>
            <DataList.Item>
              <DataList.Label>{t.mode}</DataList.Label>
              <DataList.Value><EngagementModeBadge mode={e.mode} targetView={!seesConduct} executingOrgName={e.executingOrgName} /></DataList.Value>
            </DataList.Item>
            <DataList.Item><DataList.Label>{t.status}</DataList.Label><DataList.Value><EngagementStatusBadge status={e.status} /></DataList.Value></DataList.Item>
          </DataList.Root>
        </Card>
        <Card size="3" style={{ flex: 1.4, width: "100%" }}>
          <Flex justify="between" align="center" mb="4" gap="3">
            <Heading as="h2" size="3">{t.stages}</Heading>
            {canEditStages && !editingStages ? (
              <Button asChild size="1" variant="soft"><Link to={`?tab=${tab}&stages=1`}>{t.editStages}</Link></Button>
            ) : null}
          </Flex>
          {editingStages ? (
            <StagesForm lastResult={intent === "stages" ? reply : undefined} dates={e.dates} cancelTo={`?tab=${tab}`} />
          ) : (
            <StageTimeline dates={e.dates} today={today} />
          )}
        </Card>
      </Flex>

      <EngagementSections engagementId={e.id} flags={sections} />

      {!conduct ? (
        <Callout.Root color="amber" role="note" data-testid="target-notice"><Callout.Text>{t.targetNotice(engagementModeLabel[e.mode], e.executingOrgName)}</Callout.Text></Callout.Root>
      ) : (
        <Box>
          {!conduct.can.createFieldwork && !conduct.can.createPetition ? (
            <Callout.Root color="gray" mb="3" role="note"><Callout.Text>{t.conductReadOnly(e.executingOrgName)}</Callout.Text></Callout.Root>
          ) : null}
          <TabNav.Root aria-label={t.tabs} mb="4">
            {(
              [
                ["fieldwork", t.tabFieldwork, conduct.counts.fieldwork],
                ["petitions", t.tabPetitions, conduct.counts.petitions],
                ["attachments", t.tabAttachments, conduct.counts.attachments],
              ] as const
            ).map(([key, label, count]) => (
              <TabNav.Link key={key} asChild active={tab === key}>
                <Link to={tabHref(key)} preventScrollReset>
                  {label}
                  <Badge ml="2" color="gray" variant="soft" radius="full">{count}</Badge>
                </Link>
              </TabNav.Link>
            ))}
          </TabNav.Root>

          {tab === "fieldwork" ? (
            <Flex direction="column" gap="4">
              <FieldworkTable records={conduct.fieldwork} attachments={conduct.attachments} canEdit={conduct.can.updateFieldwork} />
              {conduct.editing || conduct.can.createFieldwork ? (
                <Card size="3">
                  <FieldworkForm
                    // A new key after each save: the next record starts from an empty form.
                    key={conduct.editing ? `edit-${conduct.editing.id}` : `new-${conduct.counts.fieldwork}`}
                    record={conduct.editing}
                    lastResult={intent === "fieldwork" ? reply : undefined}
                    canAttach={conduct.can.attach}
                  />
                </Card>
              ) : null}
            </Flex>
          ) : null}

          {tab === "petitions" ? (
            <Flex direction="column" gap="4">
              <PetitionTable petitions={conduct.petitions} />
              {conduct.can.createPetition ? (
                <Card size="3">
                  <PetitionRegisterForm
                    key={conduct.counts.petitions}
                    lastResult={intent === "petition" ? reply : undefined}
                    canAttach={conduct.can.attach}
                    defaultReceivedAt={conduct.defaultReceivedAt}
                  />
                </Card>
              ) : null}
            </Flex>
          ) : null}

          {tab === "attachments" ? (
            <Flex direction="column" gap="4">
              <AttachmentTable items={conduct.attachments} canDelete={conduct.can.deleteAttachment} showOwner />
              {conduct.can.attach && (conduct.fieldwork.length > 0 || conduct.petitions.length > 0) ? (
                <Card size="3">
                  <AttachmentUploadForm
                    key={conduct.counts.attachments}
                    lastResult={intent === "attach" ? reply : undefined}
                    owners={[
                      ...conduct.fieldwork.map((f) => ({ value: `f${f.id}`, label: t.attachment.ownerFieldwork(fieldworkKindLabel[f.kind], f.occurredOn) })),
                      ...conduct.petitions.map((p) => ({ value: `p${p.id}`, label: t.attachment.ownerPetition(p.seq) })),
                    ]}
                  />
                </Card>
              ) : null}
            </Flex>
          ) : null}
        </Box>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
