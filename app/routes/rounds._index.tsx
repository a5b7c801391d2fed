import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button, Card, Flex, Table, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { Can } from "~/lib/ability";
import { m, roundKindLabel, roundStatusLabel } from "~/lib/messages";
import { forbidden, requireUser } from "~/lib/request.server";
import { roundFilterSchema, roundStatuses } from "~/lib/schemas/round";
import { listRounds } from "~/models/rounds.server";
import { orgOptions } from "~/models/orgs.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { FilterSelect } from "~/components/filter-field";
import { RoundStatusBadge } from "~/components/round-status-badge";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${m.rounds.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = roundFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    if (!ability.can("read", "Round")) forbidden();
    const rows = await listRounds(db, filters);
    const orgs = await orgOptions(db);
    return { rows, orgs, filters, activeOrgId: activeOrg.id };
  });
}

const date = (d: string | null) => d ?? "—";

export default function Rounds() {
  const { rows, orgs, filters, activeOrgId } = useLoaderData<typeof loader>();
  const years = Array.from({ length: 8 }, (_, i) => 2027 - i);
  return (
    <>
      <PageHeader
        title={m.rounds.title}
        description={m.rounds.description}
        actions={
          <Flex gap="2">
            <Button asChild variant="soft"><Link to="/terms">{m.rounds.terms}</Link></Button>
            <Can I="create" this={subject("Round", { orgId: activeOrgId })}>
              <Button asChild><Link to="/rounds/new">{m.rounds.new}</Link></Button>
            </Can>
          </Flex>
        }
      />
      <Card size="2" mb="4">
        <Form method="get" aria-label="筛选">
          <Flex gap="3" wrap="wrap" align="end">
            <FilterSelect id="f-org" name="org" label={m.rounds.org} defaultValue={filters.org} allLabel={m.rounds.allOrgs}
              options={orgs.map((o) => ({ value: o.id, label: `${o.level === "county" ? "　" : ""}${o.name}` }))} />
            <FilterSelect id="f-year" name="year" label={m.rounds.year} defaultValue={filters.year} allLabel={m.rounds.allYears}
              options={years.map((y) => ({ value: y, label: `${y} 年` }))} />
            <FilterSelect id="f-status" name="status" label={m.rounds.status} defaultValue={filters.status} allLabel={m.rounds.allStatuses}
              options={roundStatuses.map((s) => ({ value: s, label: roundStatusLabel[s] }))} />
            <Button type="submit">{m.rounds.apply}</Button>
          </Flex>
        </Form>
      </Card>
      <Text as="p" size="2" color="gray" mb="2" data-testid="rounds-total">{m.rounds.total(rows.length)}</Text>
      {rows.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="4">{m.rounds.empty}</Text></Card>
      ) : (
        <DataTable
          label={m.rounds.title}
          columns={[{ label: m.rounds.name }, { label: m.rounds.org }, { label: m.rounds.year }, { label: m.rounds.kind }, { label: m.rounds.plannedDates }, { label: m.rounds.status }]}
        >
          {rows.map((r) => (
            <Table.Row key={r.id} data-testid="round-row">
              <Table.RowHeaderCell>
                <Link className="table-link" to={`/rounds/${r.id}`}>{m.rounds.roundName(r.termName, r.number)}</Link>
              </Table.RowHeaderCell>
              <Table.Cell>{r.orgName}</Table.Cell>
              <Table.Cell>{r.year}</Table.Cell>
              <Table.Cell>{roundKindLabel[r.kind]}{r.theme ? `：${r.theme}` : ""}</Table.Cell>
              <Table.Cell>{date(r.plannedStart)} 至 {date(r.plannedEnd)}</Table.Cell>
              <Table.Cell><RoundStatusBadge status={r.status} /></Table.Cell>
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
