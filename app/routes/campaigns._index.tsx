import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Badge, Button, Card, Flex, Table, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { m } from "~/lib/messages";
import { campaignStatusLabel, campaignsText as t } from "~/lib/messages/campaigns";
import { forbidden, requireUser } from "~/lib/request.server";
import { campaignFilterSchema, campaignStatuses } from "~/lib/schemas/campaigns";
import { listCampaigns } from "~/models/campaigns.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { FilterSelect } from "~/components/filter-field";
import { CampaignStatusBadge } from "~/components/campaign-badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${t.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = campaignFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    if (!ability.can("read", "Campaign")) forbidden();
    return {
      rows: await listCampaigns(db, activeOrg.id, filters),
      filters,
      activeOrgId: activeOrg.id,
      canLaunch: ability.can("create", subject("Campaign", { orgId: activeOrg.id, orgLevel: activeOrg.level })),
    };
  });
}

export default function Campaigns() {
  const { rows, filters, activeOrgId, canLaunch } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={t.title}
        description={t.description}
        actions={canLaunch ? <Button asChild><Link to="/campaigns/new">{t.newCampaign}</Link></Button> : null}
      />
      <Card size="2" mb="4">
        <Form method="get" aria-label={t.filters}>
          <Flex gap="3" wrap="wrap" align="end">
            <FilterSelect id="f-status" name="status" label={t.status} defaultValue={filters.status} allLabel={t.allStatuses}
              options={campaignStatuses.map((s) => ({ value: s, label: campaignStatusLabel[s] }))} />
            <Button type="submit">{t.apply}</Button>
          </Flex>
        </Form>
      </Card>
      <Text as="p" size="2" color="gray" mb="2" data-testid="campaigns-total">{t.total(rows.length)}</Text>
      {rows.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="4">{t.empty}</Text></Card>
      ) : (
        <DataTable
          label={t.title}
          columns={[
            { label: t.colTitle }, { label: t.colLauncher }, { label: t.colSystem }, { label: t.colPeriod }, { label: t.colStatus },
            { label: t.colParticipants, align: "end" }, { label: t.colLinks, align: "end" }, { label: t.colOwnLinks, align: "end" },
          ]}
        >
          {rows.map((r) => (
            <Table.Row key={r.id} data-testid="campaign-row">
              <Table.RowHeaderCell>
                <Link className="table-link" to={`/campaigns/${r.id}`}>{r.title}</Link>
                {r.orgId === activeOrgId ? <Badge size="1" ml="2" variant="soft" color="crimson">{t.ownLaunched}</Badge>
                  : r.participating ? <Badge size="1" ml="2" variant="soft" color="blue">{t.ownParticipating}</Badge> : null}
              </Table.RowHeaderCell>
              <Table.Cell>{r.launcherName}</Table.Cell>
              <Table.Cell>{r.systemName}</Table.Cell>
              <Table.Cell style={{ whiteSpace: "nowrap" }}>{t.period(r.startsOn, r.endsOn)}</Table.Cell>
              <Table.Cell><CampaignStatusBadge status={r.status} /></Table.Cell>
              <Table.Cell justify="end" data-testid="campaign-participants">{r.participants}</Table.Cell>
              <Table.Cell justify="end">{r.links}</Table.Cell>
              <Table.Cell justify="end" data-testid="campaign-own-links">{r.ownLinks}</Table.Cell>
            </Table.Row>
          ))}
        </DataTable>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
