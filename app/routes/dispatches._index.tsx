import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Box, Card, Heading, Table, Text } from "@radix-ui/themes";
import { m } from "~/lib/messages";
import { dispatchesText as t } from "~/lib/messages/campaigns";
import { forbidden, requireUser } from "~/lib/request.server";
import { listReceivedDispatches, listSentDispatches, type DispatchRow } from "~/models/dispatches.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { when } from "~/components/rectification-reports";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${t.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    if (!ability.can("read", "ThematicDispatch")) forbidden();
    return {
      sent: await listSentDispatches(db, activeOrg.id),
      received: await listReceivedDispatches(db, activeOrg.id),
    };
  });
}

type Row = Omit<DispatchRow, "createdAt"> & { createdAt: string | Date };

function DispatchTable({ rows, label, testId, showSender }: { rows: Row[]; label: string; testId: string; showSender: boolean }) {
  return (
    <DataTable
      label={label}
      columns={[
        { label: t.colTitle },
        ...(showSender ? [{ label: t.colSender }] : []),
        { label: t.colRecipients },
        { label: t.colCampaign },
        { label: t.colProblems, align: "end" as const },
        { label: t.colDate },
      ]}
    >
      {rows.map((d) => (
        <Table.Row key={d.id} data-testid={testId}>
          <Table.RowHeaderCell><Link className="table-link" to={`/dispatches/${d.id}`}>{d.title}</Link></Table.RowHeaderCell>
          {showSender ? <Table.Cell style={{ whiteSpace: "nowrap" }}>{d.senderName}</Table.Cell> : null}
          <Table.Cell>
            {d.recipients.length > 3
              ? t.recipientsMore(d.recipients.slice(0, 3).map((r) => r.name).join("、"), d.recipients.length)
              : d.recipients.map((r) => r.name).join("、")}
          </Table.Cell>
          <Table.Cell>{d.campaignId && d.campaignTitle ? <Link className="table-link" to={`/campaigns/${d.campaignId}`}>{d.campaignTitle}</Link> : "—"}</Table.Cell>
          <Table.Cell justify="end">{d.problemCount}</Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{when(d.createdAt)}</Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}

export default function Dispatches() {
  const { sent, received } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={t.title} description={t.description} />
      <Heading as="h2" size="4" mb="2">{t.received}</Heading>
      {received.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="3">{t.emptyReceived}</Text></Card>
      ) : (
        <DispatchTable rows={received} label={t.received} testId="dispatch-received" showSender />
      )}
      <Box mt="5">
        <Heading as="h2" size="4" mb="2">{t.sent}</Heading>
        {sent.length === 0 ? (
          <Card size="1"><Text as="p" color="gray" m="3">{t.emptySent}</Text></Card>
        ) : (
          <DispatchTable rows={sent} label={t.sent} testId="dispatch-sent" showSender />
        )}
      </Box>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
