import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Card, Flex, Table, Text } from "@radix-ui/themes";
import { m } from "~/lib/messages";
import { planStateLabel, rectificationText as t } from "~/lib/messages/rectification";
import { beijingToday } from "~/lib/rectification";
import { forbidden, requireUser } from "~/lib/request.server";
import { planStates, RECTIFICATION_PAGE_SIZE, rectificationFilterSchema } from "~/lib/schemas/rectification";
import { listRectifications } from "~/models/rectification.server";
import { Pager } from "~/components/pager";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { FilterButtons, FilterSearch, FilterSelect } from "~/components/filter-field";
import { PlanStateBadge } from "~/components/rectification-badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${t.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = rectificationFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return requireUser(request, async ({ db, ability, role, activeOrg }) => {
    if (!ability.can("read", "RectificationItem")) forbidden();
    const unit = role === "unit_contact";
    const today = beijingToday();
    // A unit contact has one unit: no filters to apply.
    const { rows, total } = await listRectifications(db, unit ? { page: filters.page } : filters, today);
    return { rows, total, filters, unit, unitName: activeOrg.unitName };
  });
}

export default function Rectification() {
  const { rows, total, filters, unit, unitName } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pages = Math.max(1, Math.ceil(total / RECTIFICATION_PAGE_SIZE));
  const pageHref = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    return `?${next.toString()}`;
  };
  return (
    <>
      <PageHeader title={t.title} description={unit ? t.descriptionUnit(unitName ?? "") : t.descriptionOffice} />
      {unit ? null : (
        <Card size="2" mb="4">
          <Form method="get" aria-label={t.filters}>
            <Flex gap="3" wrap="wrap" align="end">
              <FilterSearch label={t.search} defaultValue={filters.q} />
              <FilterSelect id="f-plan" name="plan" label={t.planState} defaultValue={filters.plan} allLabel={t.allPlanStates}
                options={planStates.map((s) => ({ value: s, label: planStateLabel[s] }))} />
              <label className="check-label" style={{ height: "var(--space-6)" }}>
                <input type="checkbox" name="overdue" value="1" defaultChecked={filters.overdue === "1"} />
                {t.overdueOnly}
              </label>
              <FilterButtons apply={t.apply} reset={t.reset} resetTo="/rectification" />
            </Flex>
          </Form>
        </Card>
      )}
      <Flex justify="between" align="center" mb="2">
        <Text size="2" color="gray" data-testid="rectification-total">{t.total(total)}</Text>
        {pages > 1 ? <Text size="2" color="gray">{t.page(filters.page, pages)}</Text> : null}
      </Flex>
      {rows.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="4">{unit ? t.emptyUnit : t.empty}</Text></Card>
      ) : (
        <DataTable
          label={t.title}
          columns={[
            { label: t.unit }, { label: t.office }, { label: t.feedbackOn }, { label: t.planState },
            { label: t.problems, align: "end" }, { label: t.itemsOpen, align: "end" }, { label: t.itemsConfirmed, align: "end" },
            { label: t.itemsClosed, align: "end" }, { label: t.overdue, align: "end" },
          ]}
        >
          {rows.map((r) => (
            <Table.Row key={r.engagementId} data-testid="rectification-row">
              <Table.RowHeaderCell>
                <Link className="table-link" to={`/rectification/${r.engagementId}`}>{r.unitName}</Link>
                <Text as="div" size="1" color="gray">{r.groupName}</Text>
              </Table.RowHeaderCell>
              <Table.Cell>{r.supervisingOrgName}</Table.Cell>
              <Table.Cell style={{ whiteSpace: "nowrap" }}>{r.feedbackOn}</Table.Cell>
              <Table.Cell style={{ whiteSpace: "nowrap" }}>
                <PlanStateBadge state={r.planState} />
                {r.planState === "none" || r.planState === "returned" ? (
                  <Text as="div" size="1" color="gray">{t.planDue} {r.planDue}</Text>
                ) : null}
              </Table.Cell>
              <Table.Cell justify="end">{r.problems}</Table.Cell>
              <Table.Cell justify="end">{r.open}</Table.Cell>
              <Table.Cell justify="end">{r.confirmed}</Table.Cell>
              <Table.Cell justify="end">{r.closed}</Table.Cell>
              <Table.Cell justify="end">
                {r.overdue > 0 ? <Badge color="red" variant="solid" data-testid="overdue-count">{r.overdue}</Badge> : <Text color="gray">0</Text>}
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
