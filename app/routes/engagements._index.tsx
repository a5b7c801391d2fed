import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Card, Flex, Table, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { engagementModeLabel, m } from "~/lib/messages";
import { engagementStatusLabel, engagementsText as t } from "~/lib/messages/engagements";
import { forbidden, requireUser } from "~/lib/request.server";
import {
  ENGAGEMENTS_PAGE_SIZE,
  engagementFilterSchema,
  engagementModes,
  engagementStatuses,
} from "~/lib/schemas/engagement";
import { conductSubject, engagementFilterOptions, listEngagements } from "~/models/engagements.server";
import { Pager } from "~/components/pager";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { FilterButtons, FilterSearch, FilterSelect } from "~/components/filter-field";
import { EngagementModeBadge, EngagementStatusBadge } from "~/components/engagement-badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.member ? t.titleMember : t.title} · ${m.appName}` },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = engagementFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return requireUser(request, async ({ db, ability, role }) => {
    if (!ability.can("read", "Engagement")) forbidden();
    const [{ rows, total }, options] = [await listEngagements(db, filters), await engagementFilterOptions(db)];
    return {
      filters,
      total,
      options,
      member: role === "group_member",
      rows: rows.map((e) => ({
        id: e.id,
        unitName: e.unitName,
        round: e.termName && e.roundNumber && e.roundYear ? t.roundName(e.termName, e.roundNumber, e.roundYear) : null,
        groupName: e.groupName,
        executingOrgName: e.executingOrgName,
        mode: e.mode,
        status: e.status,
        stationedOn: e.stationedOn,
        // Seen by the unit's own office, which does not run the patrol (and sees none of its conduct).
        targetView: !ability.can("read", subject("FieldworkRecord", conductSubject(e))),
      })),
    };
  });
}

export default function Engagements() {
  const { rows, total, options, filters, member } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pages = Math.max(1, Math.ceil(total / ENGAGEMENTS_PAGE_SIZE));
  const pageHref = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    return `?${next.toString()}`;
  };
  return (
    <>
      <PageHeader title={member ? t.titleMember : t.title} description={member ? t.descriptionMember : t.description} />
      <Card size="2" mb="4">
        <Form method="get" aria-label={t.filters}>
          <Flex gap="3" wrap="wrap" align="end">
            <FilterSelect id="f-year" name="year" label={t.year} defaultValue={filters.year} allLabel={t.allYears}
              options={options.years.map((y) => ({ value: y, label: `${y} 年` }))} />
            {options.rounds.length > 0 ? (
              <FilterSelect id="f-round" name="round" label={t.round} defaultValue={filters.round} allLabel={t.allRounds}
                options={options.rounds.map((r) => ({ value: r.id, label: r.label }))} />
            ) : null}
            <FilterSelect id="f-mode" name="mode" label={t.mode} defaultValue={filters.mode} allLabel={t.allModes}
              options={engagementModes.map((x) => ({ value: x, label: engagementModeLabel[x] }))} />
            <FilterSelect id="f-status" name="status" label={t.status} defaultValue={filters.status} allLabel={t.allStatuses}
              options={engagementStatuses.map((x) => ({ value: x, label: engagementStatusLabel[x] }))} />
            <FilterSearch label={t.search} defaultValue={filters.q} />
            <FilterButtons apply={t.apply} reset={t.reset} resetTo="/engagements" />
          </Flex>
        </Form>
      </Card>
      <Flex justify="between" align="center" mb="2">
        <Text size="2" color="gray" data-testid="engagements-total">{t.total(total)}</Text>
        <Text size="2" color="gray">{t.page(filters.page, pages)}</Text>
      </Flex>
      {rows.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="4">{t.empty}</Text></Card>
      ) : (
        <DataTable
          label={member ? t.titleMember : t.title}
          columns={[{ label: t.unit }, { label: t.round }, { label: t.group }, { label: t.executingOrg }, { label: t.mode }, { label: t.status }, { label: t.stationedOn }]}
        >
          {rows.map((e) => (
            <Table.Row key={e.id} data-testid="engagement-row">
              <Table.RowHeaderCell><Link className="table-link" to={`/engagements/${e.id}`}>{e.unitName}</Link></Table.RowHeaderCell>
              <Table.Cell>{e.round ?? <Text color="gray">{t.roundHidden}</Text>}</Table.Cell>
              <Table.Cell>{e.groupName}</Table.Cell>
              <Table.Cell>{e.executingOrgName}</Table.Cell>
              <Table.Cell><EngagementModeBadge mode={e.mode} targetView={e.targetView} executingOrgName={e.executingOrgName} /></Table.Cell>
              <Table.Cell><EngagementStatusBadge status={e.status} /></Table.Cell>
              <Table.Cell style={{ whiteSpace: "nowrap" }}>{e.stationedOn ?? "—"}</Table.Cell>
            </Table.Row>
          ))}
        </DataTable>
      )}
      <Pager page={filters.page} pages={pages} href={pageHref} prev={t.prev} next={t.next} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
