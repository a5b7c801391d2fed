import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Button, Callout, Card, DataList, Flex, Heading, Text } from "@radix-ui/themes";
import { m } from "~/lib/messages";
import { importKindLabel, importsText as t } from "~/lib/messages/imports";
import { parseId } from "~/lib/params.server";
import { notFound, requireUser } from "~/lib/request.server";
import { getImportJob, isStale, roundLabel } from "~/models/imports.server";
import { PageHeader } from "~/components/page-header";
import { ImportErrorTable, ImportProgress, ImportStatusBadge, isRunning, usePolling, when } from "~/components/import-job";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? t.jobTitle(importKindLabel[data.job.kind]) : t.title} · ${m.appName}` },
];

/**
 * One import job of the signed-in user (public.get_import_job answers nobody else): its
 * progress, polled every second while it runs, then its result — the rows written, or
 * every error by row and column. The job goes on whether or not this page is open.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async ({ db }) => {
    const job = await getImportJob(db, id);
    if (!job) notFound();
    const [org] = await db<{ name: string }[]>`select o.name from public.orgs o where o.id = ${job.orgId}`;
    return {
      job,
      stale: isStale(job),
      orgName: org?.name ?? null,
      round: job.roundId ? await roundLabel(db, job.roundId) : null,
    };
  });
}

const viewLink = { unit: ["/units", t.viewUnits], cadre: ["/cadres", t.viewCadres], ledger: ["/rectification", t.viewRectification] } as const;

export default function ImportJobPage() {
  const { job, stale, orgName, round } = useLoaderData<typeof loader>();
  const running = isRunning(job.status) && !stale;
  usePolling(running, 1000);
  const [href, label] = viewLink[job.kind];
  return (
    <>
      <PageHeader
        title={t.jobTitle(importKindLabel[job.kind])}
        description={job.filename}
        actions={<Button asChild variant="soft" color="gray"><Link to="/imports">{t.back}</Link></Button>}
      />
      <Card size="3" mb="4">
        <Flex justify="between" align="start" gap="4" wrap="wrap">
          <DataList.Root size="2">
            <DataList.Item><DataList.Label>{t.colStatus}</DataList.Label><DataList.Value><ImportStatusBadge status={job.status} stale={stale} /></DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.jobFile}</DataList.Label><DataList.Value>{job.filename}</DataList.Value></DataList.Item>
            {orgName ? <DataList.Item><DataList.Label>{t.jobOrg}</DataList.Label><DataList.Value>{orgName}</DataList.Value></DataList.Item> : null}
            {round ? <DataList.Item><DataList.Label>{t.jobRound}</DataList.Label><DataList.Value>{round}</DataList.Value></DataList.Item> : null}
            <DataList.Item><DataList.Label>{t.jobCreated}</DataList.Label><DataList.Value>{when(job.createdAt)}</DataList.Value></DataList.Item>
            {job.finishedAt ? <DataList.Item><DataList.Label>{t.jobFinished}</DataList.Label><DataList.Value>{when(job.finishedAt)}</DataList.Value></DataList.Item> : null}
            {job.totalRows ? <DataList.Item><DataList.Label>{t.jobRows}</DataList.Label><DataList.Value data-testid="job-total">{job.totalRows}</DataList.Value></DataList.Item> : null}
          </DataList.Root>
        </Flex>
        {running ? (
          <Flex direction="column" gap="2" mt="4">
            <ImportProgress status={job.status} total={job.totalRows} done={job.doneRows} />
            <Text size="1" color="gray">{t.leaveHint}</Text>
          </Flex>
        ) : null}
        {stale ? <Callout.Root color="gray" mt="4" role="status"><Callout.Text>{t.stale}</Callout.Text></Callout.Root> : null}
      </Card>

      {job.status === "done" ? (
        <Callout.Root color="green" mb="4" role="status" data-testid="job-done">
          <Callout.Text>{t.done(job.written)}</Callout.Text>
        </Callout.Root>
      ) : null}
      {job.status === "failed" ? (
        <>
          <Callout.Root color="red" mb="4" role="alert" data-testid="job-failed">
            <Callout.Text>{job.errors.some((e) => e.row !== null) ? t.failed : t.failedOne}</Callout.Text>
          </Callout.Root>
          <Heading as="h2" size="4" mb="1">{t.errorsTitle}</Heading>
          <Text as="p" size="2" color="gray" mb="2" data-testid="error-count">{t.errorsShown(job.errors.length, job.errorCount)}</Text>
          <ImportErrorTable errors={job.errors} />
        </>
      ) : null}
      {job.status === "done" || job.status === "failed" ? (
        <Flex gap="3" mt="4">
          {job.status === "done" ? <Button asChild variant="soft"><Link to={href}>{label}</Link></Button> : null}
          <Button asChild variant={job.status === "failed" ? "solid" : "soft"}><Link to="/imports">{job.status === "failed" ? t.again : t.more}</Link></Button>
        </Flex>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
