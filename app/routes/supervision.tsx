import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Card, Flex, Table, Text } from "@radix-ui/themes";
import { m } from "~/lib/messages";
import { rectificationText as t } from "~/lib/messages/rectification";
import { forbidden, requireUser } from "~/lib/request.server";
import { SUPERVISION_PAGE_SIZE, supervisionFilterSchema } from "~/lib/schemas/rectification";
import { orgNames } from "~/models/engagements.server";
import { listOverdueItems } from "~/models/rectification.server";
import { Pager } from "~/components/pager";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { FilterButtons, FilterSearch, FilterSelect } from "~/components/filter-field";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${t.supervision} · ${m.appName}` }];

/** The offices' roles: the ledger of an office's subtree (RLS on the items and engagements decides the rows). */
const OFFICE_ROLES = new Set(["office_director", "office_staff", "leadership"]);

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = supervisionFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return requireUser(request, async ({ db, ability, role }) => {
    if (!OFFICE_ROLES.has(role) || !ability.can("read", "RectificationItem")) forbidden();
    const { rows, total, orgIds } = await listOverdueItems(db, filters);
    const names = await orgNames(db, orgIds);
    return {
      filters,
      total,
      offices: orgIds.map((id) => ({ value: id, label: names[id] ?? String(id) })),
      rows: rows.map((r) => ({ ...r, officeName: names[r.supervisingOrgId] ?? "—" })),
    };
  });
}

const minOptions = [30, 90, 180, 365];

export default function Supervision() {
  const { rows, total, offices, filters } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pages = Math.max(1, Math.ceil(total / SUPERVISION_PAGE_SIZE));
  const pageHref = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    return `?${next.toString()}`;
  };
  return (
    <>
      <PageHeader title={t.supervision} description={t.supervisionDescription} />
      <Card size="2" mb="4">
        <Form method="get" aria-label={t.filters}>
          <Flex gap="3" wrap="wrap" align="end">
            {offices.length > 1 ? (
              <FilterSelect id="f-org" name="org" label={t.supervisingOffice} defaultValue={filters.org} allLabel={t.allOffices} options={offices} />
            ) : null}
            <FilterSelect id="f-min" name="min" label={t.minDays} defaultValue={filters.min} allLabel={t.anyDays}
              options={minOptions.map((d) => ({ value: d, label: t.minDaysValue(d) }))} />
            <FilterSearch label={t.search} defaultValue={filters.q} />
            <FilterButtons apply={t.apply} reset={t.reset} resetTo="/supervision" />
          </Flex>
        </Form>
      </Card>
      <Flex justify="between" align="center" mb="2">
        <Text size="2" color="gray" data-testid="supervision-total">{t.supervisionTotal(total)}</Text>
        {pages > 1 ? <Text size="2" color="gray">{t.page(filters.page, pages)}</Text> : null}
      </Flex>
      {rows.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="4">{t.supervisionEmpty}</Text></Card>
      ) : (
        <DataTable
          label={t.supervision}
          columns={[
            { label: t.unit }, { label: t.item }, { label: t.responsibleLeader }, { label: t.responsibleDepartment },
            { label: t.responsiblePerson }, { label: t.deadline }, { label: t.daysOverdue, align: "end" }, { label: t.returnedTimes, align: "end" },
          ]}
        >
          {rows.map((r) => (
            <Table.Row key={r.id} data-testid="overdue-row">
              <Table.RowHeaderCell>
                <Link className="table-link" to={`/rectification/${r.engagementId}?tab=supervision`}>{r.unitName}</Link>
                <Text as="div" size="1" color="gray">{r.officeName}</Text>
              </Table.RowHeaderCell>
              <Table.Cell>
                <Link className="table-link" to={`/rectification/items/${r.id}`}>
                  {r.problemSeq ? `${t.seqValue(r.problemSeq)} · ` : ""}{r.measures.length > 36 ? `${r.measures.slice(0, 36)}…` : r.measures}
                </Link>
              </Table.Cell>
              <Table.Cell>{r.responsibleLeader}</Table.Cell>
              <Table.Cell>{r.responsibleDepartment}</Table.Cell>
              <Table.Cell>{r.responsiblePerson}</Table.Cell>
              <Table.Cell style={{ whiteSpace: "nowrap" }}>{r.deadline}</Table.Cell>
              <Table.Cell justify="end"><Badge color="red" variant="solid" data-testid="days-overdue">{t.daysOverdueValue(r.daysOverdue)}</Badge></Table.Cell>
              <Table.Cell justify="end">
                {r.returnedCount}
                {r.reopenedCount > 0 ? <Text as="div" size="1" color="gray">{t.reopenedTimes(r.reopenedCount)}</Text> : null}
              </Table.Cell>
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
