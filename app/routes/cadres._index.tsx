import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Badge, Button, Card, Flex, Table, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { Can } from "~/lib/ability";
import { cadrePoolLabel, cadreSpecialties, m } from "~/lib/messages";
import { forbidden, requireUser } from "~/lib/request.server";
import { cadreFilterSchema, cadrePools, dueForRotation } from "~/lib/schemas/cadre";
import { listCadres } from "~/models/cadres.server";
import { orgOptions } from "~/models/orgs.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { FilterSearch, FilterSelect } from "~/components/filter-field";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${m.cadres.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = cadreFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    if (!ability.can("read", "Cadre")) forbidden();
    return { ...(await listCadres(db, filters)), orgs: await orgOptions(db), filters, activeOrgId: activeOrg.id };
  });
}

export default function Cadres() {
  const { rows, total, orgs, filters, activeOrgId } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={m.cadres.title}
        description={m.cadres.description}
        actions={
          <Can I="create" this={subject("Cadre", { orgId: activeOrgId })}>
            <Button asChild><Link to="/cadres/new">{m.cadres.new}</Link></Button>
          </Can>
        }
      />
      <Card size="2" mb="4">
        <Form method="get" aria-label="筛选">
          <Flex gap="3" wrap="wrap" align="end">
            <FilterSelect id="f-org" name="org" label={m.cadres.org} defaultValue={filters.org} allLabel={m.cadres.allOrgs}
              options={orgs.map((o) => ({ value: o.id, label: `${o.level === "county" ? "　" : ""}${o.name}` }))} />
            <FilterSelect id="f-pool" name="pool" label={m.cadres.pools} defaultValue={filters.pool} allLabel={m.cadres.allPools}
              options={cadrePools.map((p) => ({ value: p, label: cadrePoolLabel[p] }))} />
            <FilterSelect id="f-specialty" name="specialty" label={m.cadres.specialties} defaultValue={filters.specialty} allLabel={m.cadres.allSpecialties}
              options={cadreSpecialties.map((s) => ({ value: s, label: s }))} />
            <FilterSearch label={m.cadres.search} defaultValue={filters.q} maxLength={40} />
            <Button type="submit">{m.cadres.apply}</Button>
          </Flex>
        </Form>
      </Card>
      <Text as="p" size="2" color="gray" mb="2" data-testid="cadres-total">{m.cadres.total(total)}</Text>
      {rows.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="4">{m.cadres.empty}</Text></Card>
      ) : (
        <DataTable
          label={m.cadres.title}
          columns={[{ label: m.cadres.name }, { label: m.cadres.homeUnit }, { label: m.cadres.pools }, { label: m.cadres.specialties }, { label: m.cadres.org }, { label: m.cadres.available }]}
        >
          {rows.map((c) => (
            <Table.Row key={c.id} data-testid="cadre-row">
              <Table.RowHeaderCell>
                <Link className="table-link" to={`/cadres/${c.id}`}>{c.name}</Link>
                {dueForRotation(c.firstPostedOn) ? <Badge color="amber" variant="soft" ml="2" title={m.cadres.rotation}>{m.cadres.rotationShort}</Badge> : null}
              </Table.RowHeaderCell>
              <Table.Cell>{c.homeUnit}</Table.Cell>
              <Table.Cell>{c.pools.map((p) => cadrePoolLabel[p]).join("、")}</Table.Cell>
              <Table.Cell>{c.specialties.join("、")}</Table.Cell>
              <Table.Cell>{c.orgName}</Table.Cell>
              <Table.Cell>{c.available ? <Badge color="green" variant="soft">{m.cadres.availableYes}</Badge> : <Badge color="gray" variant="soft">{m.cadres.availableNo}</Badge>}</Table.Cell>
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
