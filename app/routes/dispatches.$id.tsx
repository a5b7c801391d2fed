import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Button, Card, DataList, Flex, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { m } from "~/lib/messages";
import { dispatchesText as t } from "~/lib/messages/campaigns";
import { parseId } from "~/lib/params.server";
import { notFound, requireUser } from "~/lib/request.server";
import { getDispatch } from "~/models/dispatches.server";
import { PageHeader } from "~/components/page-header";
import { DownloadStatus, useFileDownload } from "~/components/download-progress";
import { when } from "~/components/rectification-reports";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.dispatch.title ?? t.detail} · ${m.appName}` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async ({ db, ability }) => {
    const dispatch = await getDispatch(db, id);
    if (!dispatch || !ability.can("read", subject("ThematicDispatch", { id: dispatch.id, orgId: dispatch.orgId }))) notFound();
    return { dispatch };
  });
}

export default function DispatchDetail() {
  const { dispatch: d } = useLoaderData<typeof loader>();
  const download = useFileDownload(`${d.title}.docx`);
  return (
    <>
      <PageHeader
        title={d.title}
        description={t.sentBy(d.senderName, when(d.createdAt))}
        actions={<Button asChild variant="soft"><Link to="/dispatches">{t.title}</Link></Button>}
      />
      <Card size="3">
        <DataList.Root>
          <DataList.Item>
            <DataList.Label>{t.sender}</DataList.Label>
            <DataList.Value>{d.senderName}</DataList.Value>
          </DataList.Item>
          <DataList.Item>
            <DataList.Label>{t.recipients}</DataList.Label>
            <DataList.Value>
              <Flex gap="1" wrap="wrap" data-testid="dispatch-recipients">
                {d.recipients.map((r) => <Badge key={r.orgId} variant="soft">{r.name}</Badge>)}
              </Flex>
            </DataList.Value>
          </DataList.Item>
          {d.campaignId && d.campaignTitle ? (
            <DataList.Item>
              <DataList.Label>{t.campaign}</DataList.Label>
              <DataList.Value><Link className="table-link" to={`/campaigns/${d.campaignId}`}>{d.campaignTitle}</Link></DataList.Value>
            </DataList.Item>
          ) : null}
          <DataList.Item>
            <DataList.Label>{t.problemCount}</DataList.Label>
            <DataList.Value>{d.problemCount}</DataList.Value>
          </DataList.Item>
          <DataList.Item>
            <DataList.Label>{t.note}</DataList.Label>
            <DataList.Value><Text className="pre-wrap">{d.note ?? t.noNote}</Text></DataList.Value>
          </DataList.Item>
        </DataList.Root>
        <Flex gap="3" align="center" mt="4" wrap="wrap">
          <Button loading={download.busy} onClick={() => void download.start(`/dispatches/${d.id}/docx`)} data-testid="dispatch-download">
            {t.download}
          </Button>
          <DownloadStatus state={download.state} testId="dispatch-download-status" />
        </Flex>
      </Card>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
