import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Button, Card, Flex, Table, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { Can } from "~/lib/ability";
import { headLevelLabel, m, orgLevelLabel, unitCategoryLabel } from "~/lib/messages";
import { requireUser } from "~/lib/request.server";
import { orgLevels, unitCategories, unitFilterSchema } from "~/lib/schemas/unit";
import { listUnits } from "~/models/units.server";
import { UNITS_PAGE_SIZE } from "~/lib/paging";
import { orgOptions } from "~/models/orgs.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { FilterButtons, FilterSearch, FilterSelect } from "~/components/filter-field";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${m.units.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = unitFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return requireUser(request, async ({ db, ability, activeOrg, subtreeOrgIds }) => {
    if (!ability.can("read", "Unit")) throw new Response("Forbidden", { status: 403 });
    const [{ rows, total }, orgs] = [await listUnits(db, filters, subtreeOrgIds), await orgOptions(db)];
    return { rows, total, orgs, filters, activeOrgId: activeOrg.id, activeProvinceId: activeOrg.provinceId };
  });
}

export default function Units() {
  const { rows, total, orgs, filters, activeOrgId, activeProvinceId } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pages = Math.max(1, Math.ceil(total / UNITS_PAGE_SIZE));
  const pageHref = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    return `?${next.toString()}`;
  };
  return (
    <>
      <PageHeader
        title={m.units.title}
        description={m.units.description}
        actions={
          <Can I="create" this={subject("Unit", { orgId: activeOrgId, provinceId: activeProvinceId })}>
            <Button asChild><Link to="/units/new">{m.units.new}</Link></Button>
          </Can>
        }
      />
      <Card size="2" mb="4">
        <Form method="get" aria-label={m.units.filters}>
          <Flex gap="3" wrap="wrap" align="end">
            <FilterSelect id="f-org" name="org" label={m.units.org} defaultValue={filters.org} allLabel={m.units.allOrgs}
              options={orgs.map((o) => ({ value: o.id, label: `${o.level === "county" ? "　" : ""}${o.name}` }))} />
            <FilterSelect id="f-level" name="level" label={m.orgs.level} defaultValue={filters.level} allLabel={m.units.allLevels}
              options={orgLevels.map((l) => ({ value: l, label: orgLevelLabel[l] }))} />
            <FilterSelect id="f-category" name="category" label={m.units.category} defaultValue={filters.category} allLabel={m.units.allCategories}
              options={unitCategories.map((c) => ({ value: c, label: unitCategoryLabel[c] }))} />
            <FilterSelect id="f-status" name="status" label={m.units.status} defaultValue={filters.status}
              options={[{ value: "active", label: m.units.active }, { value: "inactive", label: m.units.inactive }, { value: "all", label: m.units.allStatuses }]} />
            <FilterSearch label={m.units.search} defaultValue={filters.q} />
            <FilterButtons apply={m.units.apply} reset={m.units.reset} resetTo="/units" />
          </Flex>
        </Form>
      </Card>
      <Flex justify="between" align="center" mb="2">
        <Text size="2" color="gray" data-testid="units-total">{m.units.total(total)}</Text>
        <Text size="2" color="gray">{m.units.page(filters.page, pages)}</Text>
      </Flex>
      {rows.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="4">{m.units.empty}</Text></Card>
      ) : (
        <DataTable
          label={m.units.title}
          columns={[{ label: m.units.name }, { label: m.units.category }, { label: m.units.headLevel }, { label: m.units.org }, { label: m.units.status }]}
        >
              {rows.map((u) => (
                <Table.Row key={u.id} data-testid="unit-row">
                  <Table.RowHeaderCell><Link className="table-link" to={`/units/${u.id}`}>{u.name}</Link></Table.RowHeaderCell>
                  <Table.Cell>{unitCategoryLabel[u.category]}</Table.Cell>
                  <Table.Cell>{headLevelLabel[u.headLevel]}</Table.Cell>
                  <Table.Cell>{u.orgName}</Table.Cell>
                  <Table.Cell>{u.active ? <Badge color="green" variant="soft">{m.units.active}</Badge> : <Badge color="gray" variant="soft">{m.units.inactive}</Badge>}</Table.Cell>
                </Table.Row>
              ))}
            </DataTable>
      )}
      <Flex justify="end" gap="2" mt="3">
        {filters.page > 1 ? <Button asChild variant="soft"><Link to={pageHref(filters.page - 1)}>{m.units.prev}</Link></Button> : null}
        {filters.page < pages ? <Button asChild variant="soft"><Link to={pageHref(filters.page + 1)}>{m.units.next}</Link></Button> : null}
      </Flex>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
