import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Table, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { m, orgLevelLabel } from "~/lib/messages";
import { requireUser } from "~/lib/request.server";
import { orgTree, type OrgNode } from "~/models/orgs.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${m.orgs.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db, activeOrg, ability }) => ({
    nodes: await orgTree(db),
    rootId: activeOrg.id,
    canReadUnits: ability.can("read", subject("Unit", { orgId: activeOrg.id, provinceId: activeOrg.provinceId })),
  }));
}

/** Depth-first order from the active org, so counties sit under their city. */
function ordered(nodes: OrgNode[], rootId: number): (OrgNode & { depth: number })[] {
  const children = new Map<number, OrgNode[]>();
  for (const n of nodes) {
    if (n.parentId !== null) children.set(n.parentId, [...(children.get(n.parentId) ?? []), n]);
  }
  const out: (OrgNode & { depth: number })[] = [];
  const visit = (n: OrgNode, depth: number) => {
    out.push({ ...n, depth });
    for (const c of children.get(n.id) ?? []) visit(c, depth + 1);
  };
  const root = nodes.find((n) => n.id === rootId);
  if (root) visit(root, 0);
  return out;
}

export default function Orgs() {
  const { nodes, rootId, canReadUnits } = useLoaderData<typeof loader>();
  const rows = ordered(nodes, rootId);
  return (
    <>
      <PageHeader title={m.orgs.title} description={m.orgs.description} />
      <DataTable label={m.orgs.title} columns={[{ label: m.orgs.name }, { label: m.orgs.level }, { label: m.orgs.regionCode }, { label: m.orgs.children }, { label: m.orgs.ownUnits, align: "end" }, { label: m.orgs.totalUnits, align: "end" }]}>
            {rows.map((n) => (
              <Table.Row key={n.id} data-testid="org-row">
                <Table.RowHeaderCell className={n.depth ? `tree-indent-${Math.min(n.depth, 2)}` : undefined}>
                  {canReadUnits ? (
                    <Link className="table-link" to={`/units?org=${n.id}`}>{n.name}</Link>
                  ) : (
                    <Text>{n.name}</Text>
                  )}
                </Table.RowHeaderCell>
                <Table.Cell><Badge variant="soft" color={n.level === "province" ? "crimson" : n.level === "city" ? "orange" : "gray"}>{orgLevelLabel[n.level]}</Badge></Table.Cell>
                <Table.Cell><Text color="gray">{n.regionCode}</Text></Table.Cell>
                <Table.Cell>{n.childCount || ""}</Table.Cell>
                <Table.Cell justify="end">{canReadUnits ? n.ownUnits : m.orgs.noBusinessData}</Table.Cell>
                <Table.Cell justify="end" data-testid="org-total">{canReadUnits ? n.totalUnits : m.orgs.noBusinessData}</Table.Cell>
              </Table.Row>
            ))}
          </DataTable>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
