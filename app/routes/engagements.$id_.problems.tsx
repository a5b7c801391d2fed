import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Button, Callout, Card, Flex, Grid, Heading, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { m } from "~/lib/messages";
import { documentKindLabel, findingsText } from "~/lib/messages/findings";
import { parseId } from "~/lib/params.server";
import { notFound, requireUser } from "~/lib/request.server";
import { conductSubject, getEngagement } from "~/models/engagements.server";
import { countByTopCategory, listProblems } from "~/models/findings.server";
import { PageHeader } from "~/components/page-header";
import { StatCard } from "~/components/stat-card";
import { CategoryCountTable, ProblemTable } from "~/components/findings-problems";
import { DownloadButton } from "~/components/download-progress";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { importsText } from "~/lib/messages/imports";

const t = findingsText.problems;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.engagement.unitName} · ${t.title}` : t.title} · ${m.appName}` },
];

/**
 * The problem list of an engagement: for the offices that run or supervise it and for
 * the group. The documents (they state the conduct: fieldwork, petitions, leads) only
 * for those who see the conduct. Anything else is a 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async ({ db, ability }) => {
    const e = await getEngagement(db, id);
    const conduct = e ? conductSubject(e) : null;
    if (
      !e || !conduct ||
      !ability.can("read", subject("Problem", { ...conduct, supervisingOrgId: e.supervisingOrgId, fedBackUnitId: null, fedBackTargetOrgId: null }))
    ) notFound();
    const problems = await listProblems(db, id);
    const [feedback] = await db<{ id: number }[]>`select f.id::int as id from public.feedbacks f where f.engagement_id = ${id}`;
    const seesConduct = ability.can("read", subject("WorkingPaper", conduct));
    return {
      engagement: { id: e.id, unitName: e.unitName, groupName: e.groupName },
      problems,
      counts: countByTopCategory(problems),
      onTheSpot: problems.filter((p) => p.onTheSpot).length,
      fedBack: problems.filter((p) => p.fedBack).length,
      hasFeedback: feedback !== undefined,
      seesConduct,
    };
  });
}

export default function EngagementProblems() {
  const { engagement: e, problems, counts, onTheSpot, fedBack, hasFeedback, seesConduct } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={t.title}
        description={t.description(e.unitName)}
        actions={
          <Flex gap="2" wrap="wrap" align="start">
            <DownloadButton href={`/engagements/${e.id}/problems/xlsx`} label={importsText.export.problems}
              fallbackName={`${e.unitName}问题清单.xlsx`} testId="export-problems" />
            {seesConduct ? <Button asChild variant="soft"><Link to={`/engagements/${e.id}/papers`}>{t.papers}</Link></Button> : null}
            <Button asChild variant="soft" color="gray"><Link to={`/engagements/${e.id}`}>{t.back}</Link></Button>
          </Flex>
        }
      />
      <Grid columns={{ initial: "1", sm: "3" }} gap="3" mb="4">
        <StatCard label={t.totalLabel} value={problems.length} testId="stat-problems" />
        <StatCard label={t.onTheSpotCount} value={onTheSpot} testId="stat-on-the-spot" />
        <StatCard label={t.fedBackYes} value={fedBack} testId="stat-fed-back" />
      </Grid>
      <Flex gap="4" direction={{ initial: "column", md: "row" }} align="start" mb="4">
        <div style={{ flex: 1, width: "100%" }}>
          <Heading as="h2" size="3" mb="2">{t.byCategory}</Heading>
          {counts.length === 0 ? <Text as="p" color="gray">—</Text> : <CategoryCountTable counts={counts} />}
        </div>
        {seesConduct ? (
          <Card size="3" style={{ flex: 1, width: "100%" }} data-testid="documents">
            <Heading as="h2" size="3" mb="2">{t.documents}</Heading>
            <Text as="p" size="2" color="gray" mb="3">{t.documentsHint}</Text>
            <Flex gap="4" wrap="wrap" align="start">
              {(["report", "feedback"] as const).map((kind) => (
                <DownloadButton
                  key={kind}
                  href={`/engagements/${e.id}/documents/${kind}`}
                  label={findingsText.documents.download(documentKindLabel[kind])}
                  fallbackName={`${e.unitName}${documentKindLabel[kind]}.docx`}
                  testId={`download-${kind}`}
                />
              ))}
            </Flex>
            {hasFeedback ? null : (
              <Callout.Root color="gray" size="1" mt="3"><Callout.Text>{t.feedbackDraftHint}</Callout.Text></Callout.Root>
            )}
          </Card>
        ) : null}
      </Flex>
      <Heading as="h2" size="3" mb="2">{t.total(problems.length)}</Heading>
      {problems.length === 0 ? (
        <Text as="p" color="gray" my="3">{t.empty}</Text>
      ) : (
        <ProblemTable problems={problems} linkPapers={seesConduct} />
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
