import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Table, Text } from "@radix-ui/themes";
import { m, roleLabel } from "~/lib/messages";
import { forbidden, requireUser } from "~/lib/request.server";
import { listMemberships } from "~/models/people.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${m.memberships.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db, ability }) => {
    if (!ability.can("create", "Membership")) forbidden();
    return { rows: await listMemberships(db) };
  });
}

export default function Memberships() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={m.memberships.title} description={m.memberships.description} />
      <DataTable label={m.memberships.title} columns={[{ label: m.memberships.user }, { label: m.memberships.email }, { label: m.memberships.org }, { label: m.memberships.role }, { label: m.memberships.since }]}>
            {rows.map((r) => (
              <Table.Row key={r.id} data-testid="membership-row">
                <Table.RowHeaderCell>{r.displayName}</Table.RowHeaderCell>
                <Table.Cell><Text color="gray">{r.email}</Text></Table.Cell>
                <Table.Cell>{r.orgName}</Table.Cell>
                <Table.Cell>{roleLabel[r.role]}</Table.Cell>
                <Table.Cell>{new Date(r.createdAt).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" })}</Table.Cell>
              </Table.Row>
            ))}
          </DataTable>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
