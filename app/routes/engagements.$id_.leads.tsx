import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Badge, Button, Callout, Card, Flex, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { leadsText as t } from "~/lib/messages/leads";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { registerLeadSchema, transferLeadSchema } from "~/lib/schemas/leads";
import { redirectWithToast } from "~/lib/toast.server";
import { getEngagement } from "~/models/engagements.server";
import {
  dbToday,
  getLead,
  leadPartners,
  leadSources,
  leadSubject,
  listLeads,
  REGISTER_REFUSALS,
  registerLead,
  TRANSFER_REFUSALS,
  transferLead,
} from "~/models/leads.server";
import { PageHeader } from "~/components/page-header";
import { LeadTable } from "~/components/leads-table";
import { LeadRegisterForm, LeadTransferForm } from "~/components/leads-forms";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? t.engagementTitle(data.engagement.unitName) : t.title} · ${m.appName}` },
];

/** Not yet transferred: the subject of "may this user register / transfer here". */
const untransferred = { receivingOrgId: null, transferredOn: null };

const optionalId = (raw: string | null) => {
  const n = Number(raw);
  return raw && Number.isSafeInteger(n) && n > 0 ? n : null;
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const url = new URL(request.url);
  return requireUser(request, async ({ db, ability, requestId }) => {
    const e = await getEngagement(db, id);
    // The target of an elevated or cross patrol reads the engagement but none of its leads.
    const lead = subject("Lead", leadSubject(untransferred, e ?? { groupId: 0, executingOrgId: 0 }));
    if (!e || !ability.can("read", lead)) notFound();
    const leads = await listLeads(db, id, requestId);
    const canRegister = ability.can("register", lead);
    const canTransfer = ability.can("transfer", lead);
    const transferId = canTransfer ? optionalId(url.searchParams.get("transfer")) : null;
    const transferring = leads.find((l) => l.id === transferId && l.transferredOn === null) ?? null;
    return {
      engagement: { id: e.id, unitName: e.unitName, groupName: e.groupName, executingOrgName: e.executingOrgName },
      leads,
      canRegister,
      canTransfer,
      sources: canRegister ? await leadSources(db, id) : null,
      partners: canTransfer ? await leadPartners(db, id) : [],
      transferring: transferring ? { id: transferring.id, seq: transferring.seq, summary: transferring.summary } : null,
      defaultProblemId: optionalId(url.searchParams.get("problem")),
      today: await dbToday(db),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, requestId }) => {
    const e = await getEngagement(db, id);
    const lead = subject("Lead", leadSubject(untransferred, e ?? { groupId: 0, executingOrgId: 0 }));
    if (!e || !ability.can("read", lead)) notFound();
    const back = (message: string) => redirectWithToast(`/engagements/${id}/leads`, message);
    switch (formData.get("intent")) {
      case "register":
        if (!ability.can("register", lead)) forbidden();
        // register_lead, transfer_lead and get_lead write their own audit rows (lead.create,
        // lead.transfer, lead.read) in this transaction, tagged with the request id.
        return saveSubmission(db, formData, registerLeadSchema, async (input, tx) => {
          await registerLead(tx, id, input, requestId);
          return back(t.registered);
        }, REGISTER_REFUSALS);
      case "transfer":
        if (!ability.can("transfer", lead)) forbidden();
        return saveSubmission(db, formData, transferLeadSchema(await dbToday(db)), async (input, tx) => {
          const target = await getLead(tx, input.leadId, requestId);
          if (!target || target.engagementId !== id) notFound();
          await transferLead(tx, input, requestId);
          const partner = (await leadPartners(tx, id)).find((p) => p.id === input.receivingOrgId);
          return back(t.transferred(partner?.name ?? ""));
        }, TRANSFER_REFUSALS);
      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

export default function EngagementLeads() {
  const { engagement: e, leads, canRegister, canTransfer, sources, partners, transferring, defaultProblemId, today } =
    useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const intent = reply?.initialValue?.intent;
  const transferredCount = leads.filter((l) => l.transferredOn).length;
  return (
    <>
      <PageHeader
        title={t.engagementTitle(e.unitName)}
        description={`${e.groupName} · ${e.executingOrgName}`}
        actions={
          <Flex gap="2">
            <Button asChild variant="soft"><Link to="/leads">{t.toAllLeads}</Link></Button>
            <Button asChild variant="soft" color="gray"><Link to={`/engagements/${e.id}`}>{t.backToEngagement}</Link></Button>
          </Flex>
        }
      />
      <Flex gap="3" align="center" mb="3" wrap="wrap">
        <Badge color="gray" variant="soft" size="2">{t.total(leads.length)}</Badge>
        <Badge color="amber" variant="soft" size="2">{t.transferredCount(transferredCount)}</Badge>
        <Text size="1" color="gray">{t.listNote}</Text>
      </Flex>
      {transferring ? (
        <Card size="3" mb="4" data-testid="transfer-card">
          <LeadTransferForm
            key={transferring.id}
            leadId={transferring.id}
            seq={transferring.seq}
            summary={transferring.summary}
            partners={partners}
            today={today}
            lastResult={intent === "transfer" ? reply : undefined}
            cancelTo={`/engagements/${e.id}/leads`}
          />
        </Card>
      ) : null}
      <LeadTable
        leads={leads}
        showUnit={false}
        actions={
          canTransfer
            ? (l) =>
                l.transferredOn ? null : (
                  <Button asChild size="1" variant="soft" color="amber">
                    <Link to={`?transfer=${l.id}`} preventScrollReset aria-label={`${t.transfer}${t.noValue(l.seq)}`}>{t.transfer}</Link>
                  </Button>
                )
            : undefined
        }
      />
      {canRegister && sources ? (
        <Card size="3" mt="4">
          <LeadRegisterForm
            key={leads.length}
            sources={sources}
            lastResult={intent === "register" ? reply : undefined}
            defaultProblemId={defaultProblemId}
            problemsWithLeads={leads.flatMap((l) => (l.problemId ? [l.problemId] : []))}
          />
        </Card>
      ) : (
        <Callout.Root color="gray" mt="4" role="note"><Callout.Text>{t.cannotRegister}</Callout.Text></Callout.Root>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
