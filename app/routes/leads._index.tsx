import { useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Flex, SegmentedControl, Text } from "@radix-ui/themes";
import { m } from "~/lib/messages";
import { leadsText as t } from "~/lib/messages/leads";
import { forbidden, requireUser } from "~/lib/request.server";
import { listLeads } from "~/models/leads.server";
import { PageHeader } from "~/components/page-header";
import { isUnhandled, leadPhases, LeadTable, type LeadPhase } from "~/components/leads-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DownloadButton } from "~/components/download-progress";
import { importsText } from "~/lib/messages/imports";

export const meta: MetaFunction = () => [{ title: `${t.title} · ${m.appName}` }];

/**
 * Every lead the session may see, across engagements: for an office its subtree's, for a
 * group member his group's, and for a supervision partner's staff those transferred to
 * his body (his inbox, newest transfer first). list_leads applies the scope and audits
 * every lead it returns; all of them reach the page, so the filter below works in the
 * browser and hides nothing that was not read.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db, ability, role, activeOrg, requestId }) => {
    if (!ability.can("read", "Lead")) forbidden();
    const leads = await listLeads(db, null, requestId);
    return { leads, role, orgName: activeOrg.name };
  });
}

const phaseLabel: Record<LeadPhase, string> = {
  unsent: t.filterUnsent,
  pending: t.filterPending,
  handling: t.filterHandling,
  closed: t.filterClosed,
};

export default function Leads() {
  const { leads, role, orgName } = useLoaderData<typeof loader>();
  const partner = role === "partner_staff";
  const pending = leads.filter(isUnhandled).length;
  const [phase, setPhase] = useState<"all" | LeadPhase>("all");
  // A partner only ever receives transferred leads: no 未移交 for him.
  const phases = (Object.keys(leadPhases) as LeadPhase[]).filter((p) => !(partner && p === "unsent"));
  const count = (p: LeadPhase) => leads.filter((l) => (leadPhases[p] as readonly string[]).includes(l.stage)).length;
  const shown = phase === "all" ? leads : leads.filter((l) => (leadPhases[phase] as readonly string[]).includes(l.stage));
  return (
    <>
      <PageHeader
        title={t.title}
        description={partner ? t.descriptionPartner(orgName) : role === "group_member" ? t.descriptionMember : t.description}
        actions={leads.length > 0 ? (
          <DownloadButton href="/leads/xlsx" label={importsText.export.leads} fallbackName={`${orgName}问题线索台账.xlsx`} testId="export-leads" />
        ) : null}
      />
      <Flex gap="3" align="center" mb="3" wrap="wrap">
        <Badge color="gray" variant="soft" size="2" data-testid="leads-total">{t.total(leads.length)}</Badge>
        {pending > 0 ? <Badge color={partner ? "red" : "amber"} variant="soft" size="2" data-testid="leads-pending">{t.pending(pending)}</Badge> : null}
        <Text size="1" color="gray">{t.listNote}</Text>
      </Flex>
      {leads.length > 0 ? (
        <SegmentedControl.Root value={phase} onValueChange={(v) => setPhase(v as typeof phase)} mb="3" aria-label={t.filter}>
          <SegmentedControl.Item value="all">{`${t.filterAll}（${leads.length}）`}</SegmentedControl.Item>
          {phases.map((p) => (
            <SegmentedControl.Item key={p} value={p}>{`${phaseLabel[p]}（${count(p)}）`}</SegmentedControl.Item>
          ))}
        </SegmentedControl.Root>
      ) : null}
      {leads.length > 0 && shown.length === 0 ? (
        <Text as="p" color="gray" my="3">{t.filterEmpty}</Text>
      ) : (
        <LeadTable leads={shown} showUnit partner={partner} />
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
