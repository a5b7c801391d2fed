import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Badge, Button, Card, DataList, Flex, Heading, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { leadReceiverLabel, leadStageLabel, leadsText as t } from "~/lib/messages/leads";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser, type UserContext } from "~/lib/request.server";
import { handleLeadSchema } from "~/lib/schemas/leads";
import { redirectWithToast } from "~/lib/toast.server";
import { getEngagement } from "~/models/engagements.server";
import { dbToday, getLead, HANDLING_REFUSALS, leadSubject, recordLeadHandling } from "~/models/leads.server";
import { PageHeader } from "~/components/page-header";
import { isUnhandled, LeadHandlingTable, LeadStageBadge } from "~/components/leads-table";
import { LeadHandlingForm } from "~/components/leads-forms";
import { LeadPersonCard, type PersonRevealResult } from "~/components/leads-person";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? t.detailTitle(data.lead.unitName, data.lead.seq) : t.detail} · ${m.appName}` },
];

const when = (d: Date | string) => new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });

/**
 * The lead as get_lead shows it (the function applies the scope and audits the read,
 * allowed or refused), checked against CASL too; anything hidden is a 404. A supervision
 * partner cannot read the engagement: its CASL subject comes from the lead alone.
 */
async function visibleLead({ db, ability, requestId }: UserContext, id: number, withPerson = false) {
  const lead = await getLead(db, id, requestId, withPerson);
  if (!lead) notFound();
  const e = await getEngagement(db, lead.engagementId);
  const leadCasl = subject("Lead", leadSubject(lead, e ?? { groupId: 0, executingOrgId: lead.executingOrgId }));
  if (!ability.can("read", leadCasl)) notFound();
  return { lead, engagement: e, leadCasl };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async (ctx) => {
    const { lead, engagement, leadCasl } = await visibleLead(ctx, id);
    const { ability, db } = ctx;
    return {
      lead,
      // Links into the engagement only for those who read it (offices and the group).
      engagementLinks: engagement ? { engagementId: engagement.id } : null,
      canReveal: lead.personVisible && ability.can("view_lead_person", leadCasl),
      canHandle: lead.transferredOn !== null && ability.can("handle", leadCasl),
      canTransfer: lead.transferredOn === null && ability.can("transfer", leadCasl),
      today: await dbToday(db),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  return requireUser(request, async (ctx) => {
    const { db, ability, requestId } = ctx;
    switch (formData.get("intent")) {
      case "reveal": {
        // get_lead decides again and audits lead.person.read, allowed or refused, so even
        // a request the UI never offered leaves its trace.
        const { lead, leadCasl } = await visibleLead(ctx, id, true);
        if (!lead.personVisible || !ability.can("view_lead_person", leadCasl)) {
          return data({ reveal: { denied: true } as PersonRevealResult }, { status: 403 });
        }
        return { reveal: { denied: false, person: lead.person } as PersonRevealResult };
      }
      case "handle": {
        const { lead, leadCasl } = await visibleLead(ctx, id);
        if (!lead.transferredOn || !ability.can("handle", leadCasl)) forbidden();
        return saveSubmission(db, formData, handleLeadSchema(lead.transferredOn, await dbToday(db)), async (input, tx) => {
          await recordLeadHandling(tx, id, input, requestId);
          return redirectWithToast(`/leads/${id}`, t.handled(leadStageLabel[input.stage]));
        }, HANDLING_REFUSALS);
      }
      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

export default function LeadDetail() {
  const { lead: l, engagementLinks, canReveal, canHandle, canTransfer, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const revealed = actionData && "reveal" in actionData ? actionData.reveal : undefined;
  const reply = actionData && !("reveal" in actionData) ? (actionData as Reply) : undefined;
  const backTo = engagementLinks ? `/engagements/${engagementLinks.engagementId}/leads` : "/leads";
  const source = l.problemId ? t.sourceProblem : t.sourcePetition;
  const sourceHref = !engagementLinks
    ? null
    : l.petitionId
      ? `/petitions/${l.petitionId}`
      : `/engagements/${engagementLinks.engagementId}/problems`;
  return (
    <>
      <PageHeader
        title={t.detailTitle(l.unitName, l.seq)}
        description={`${l.executingOrgName} · ${leadStageLabel[l.stage]}`}
        actions={
          <Flex gap="2">
            {canTransfer && engagementLinks ? (
              <Button asChild color="amber">
                <Link to={`/engagements/${engagementLinks.engagementId}/leads?transfer=${l.id}`}>{t.transfer}</Link>
              </Button>
            ) : null}
            <Button asChild variant="soft" color="gray"><Link to={backTo}>{t.backToLeads}</Link></Button>
          </Flex>
        }
      />
      <Flex gap="4" direction={{ initial: "column", md: "row" }} align="start" mb="4">
        <Card size="3" style={{ flex: 2, width: "100%" }}>
          <DataList.Root>
            <DataList.Item><DataList.Label>{t.no}</DataList.Label><DataList.Value>{t.noValue(l.seq)}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.unit}</DataList.Label><DataList.Value>{l.unitName}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.executingOrg}</DataList.Label><DataList.Value>{l.executingOrgName}</DataList.Value></DataList.Item>
            <DataList.Item>
              <DataList.Label>{t.source}</DataList.Label>
              <DataList.Value>{sourceHref ? <Link className="table-link" to={sourceHref}>{source}</Link> : source}</DataList.Value>
            </DataList.Item>
            <DataList.Item>
              <DataList.Label>{t.summary}</DataList.Label>
              <DataList.Value><Text className="pre-wrap">{l.summary}</Text></DataList.Value>
            </DataList.Item>
            <DataList.Item>
              <DataList.Label>{t.stage}</DataList.Label>
              <DataList.Value>
                <Flex gap="1"><LeadStageBadge stage={l.stage} />{isUnhandled(l) ? <Badge color="red" variant="solid">{t.unhandled}</Badge> : null}</Flex>
              </DataList.Value>
            </DataList.Item>
            <DataList.Item>
              <DataList.Label>{t.receivingOrg}</DataList.Label>
              <DataList.Value>
                {l.receivingOrgName
                  ? `${l.receivingOrgName}${l.receiver && !l.receivingOrgName.includes(leadReceiverLabel[l.receiver]) ? `（${leadReceiverLabel[l.receiver]}）` : ""}`
                  : t.notTransferred}
              </DataList.Value>
            </DataList.Item>
            <DataList.Item><DataList.Label>{t.transferredOn}</DataList.Label><DataList.Value>{l.transferredOn ?? "—"}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.documentNo}</DataList.Label><DataList.Value>{l.documentNo ?? "—"}</DataList.Value></DataList.Item>
            <DataList.Item>
              <DataList.Label>{t.outcome}</DataList.Label>
              <DataList.Value data-testid="lead-outcome">{t.outcomeValue(l.sanctionedPersons, l.judicialPersons)}</DataList.Value>
            </DataList.Item>
            <DataList.Item><DataList.Label>{t.registeredAt}</DataList.Label><DataList.Value>{when(l.createdAt)}</DataList.Value></DataList.Item>
          </DataList.Root>
        </Card>
        <Card size="3" style={{ flex: 1, width: "100%" }}>
          <Heading as="h2" size="3" mb="3">{t.person}</Heading>
          <LeadPersonCard canReveal={canReveal} revealed={revealed} />
        </Card>
      </Flex>
      <Heading as="h2" size="4" mb="2">{t.history}</Heading>
      <LeadHandlingTable handlings={l.handlings} transferred={l.transferredOn !== null} />
      {canHandle && l.transferredOn ? (
        <Card size="3" mt="4">
          <LeadHandlingForm key={l.handlings.length} transferredOn={l.transferredOn} today={today} lastResult={reply} />
        </Card>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
