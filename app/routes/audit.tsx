import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Badge, Button, Flex, Table, Text } from "@radix-ui/themes";
import { z } from "zod";
import { m } from "~/lib/messages";
import { auditActionLabel, auditObjectLabel } from "~/lib/audit-labels";
import { FilterSelect } from "~/components/filter-field";
import { forbidden, requireUser } from "~/lib/request.server";
import { listAudit } from "~/models/people.server";
import { AUDIT_PAGE_SIZE } from "~/lib/paging";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${m.audit.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const page = z.coerce.number().int().min(1).max(100000).catch(1).parse(params.get("page") ?? 1);
  // Only a known action filters; anything else shows everything.
  const action = params.get("action") ?? "";
  const known = action in auditActionLabel ? action : undefined;
  return requireUser(request, async ({ db, ability }) => {
    if (!ability.can("read", "AuditLog")) forbidden();
    return { ...(await listAudit(db, page, known)), page, action: known ?? "" };
  });
}

export default function Audit() {
  const { rows, total, page, action } = useLoaderData<typeof loader>();
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const pageLink = (p: number) => `?${new URLSearchParams({ ...(action ? { action } : {}), page: String(p) })}`;
  return (
    <>
      <PageHeader title={m.audit.title} description={m.audit.description} />
      <Form method="get" aria-label={m.audit.filters}>
        <Flex gap="3" align="end" mb="3">
          <FilterSelect id="f-action" name="action" label={m.audit.action} defaultValue={action} allLabel={m.audit.allActions}
            options={Object.entries(auditActionLabel).map(([value, label]) => ({ value, label }))} />
          <Button type="submit" variant="soft">{m.audit.filter}</Button>
        </Flex>
      </Form>
      <DataTable label={m.audit.title} columns={[{ label: m.audit.time }, { label: m.audit.user }, { label: m.audit.org }, { label: m.audit.action }, { label: m.audit.object }, { label: m.audit.result }, { label: m.audit.note }]}>
            {rows.map((r) => (
              <Table.Row key={r.id} data-testid="audit-row">
                <Table.Cell>{new Date(r.occurredAt).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false })}</Table.Cell>
                <Table.Cell>{r.displayName ?? "—"}</Table.Cell>
                <Table.Cell>{r.orgName ?? "—"}</Table.Cell>
                <Table.Cell>{auditActionLabel[r.action] ?? r.action}</Table.Cell>
                <Table.Cell><Text color="gray">{r.objectType ? `${auditObjectLabel[r.objectType] ?? r.objectType}${(r.objectType === "unit" || r.objectType === "petition" || r.objectType === "attachment") && r.objectId ? ` #${r.objectId}` : ""}` : "—"}</Text></Table.Cell>
                <Table.Cell>{r.success ? <Badge color="green">{m.audit.success}</Badge> : <Badge color="red">{m.audit.failure}</Badge>}</Table.Cell>
                <Table.Cell><Text color="gray">{r.reason ? m.auditReason[r.reason] ?? r.reason : ""}</Text></Table.Cell>
              </Table.Row>
            ))}
          </DataTable>
      <Flex justify="between" mt="3" align="center">
        <Text size="2" color="gray">{m.units.page(page, pages)}</Text>
        <Flex gap="2">
          {page > 1 ? <Button asChild variant="soft"><Link to={pageLink(page - 1)}>{m.units.prev}</Link></Button> : null}
          {page < pages ? <Button asChild variant="soft"><Link to={pageLink(page + 1)}>{m.units.next}</Link></Button> : null}
        </Flex>
      </Flex>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
