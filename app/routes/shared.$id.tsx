import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Button, Callout, Card, Flex, Heading, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { m } from "~/lib/messages";
import { grantScopeLabel, sharingText as t } from "~/lib/messages/sharing";
import { parseId } from "~/lib/params.server";
import { forbidden, requireUser } from "~/lib/request.server";
import { readSharedResult } from "~/models/sharing.server";
import { PageHeader } from "~/components/page-header";
import { SharedFiguresTable, SharedItemTable, SharedProblemTable } from "~/components/sharing-results";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `${data && "grant" in data ? t.sharedDetailTitle(grantScopeLabel[data.grant.scope], data.grant.subject) : data ? t.goneTitle : t.sharedDetail} · ${m.appName}`,
  },
];

/**
 * One shared result, read-only, through the function of its scope with the request id:
 * the function checks the grant (its org, not revoked, not expired) and audits the read,
 * allowed or refused. A grant no longer usable answers 404 with a page saying so.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async ({ db, ability, activeOrg, requestId }) => {
    if (!ability.can("read", subject("SharedResult", { partnerOrgId: activeOrg.id }))) forbidden();
    const shared = await readSharedResult(db, id, requestId);
    if (!shared) return data({ gone: true as const }, { status: 404 });
    return data({ gone: false as const, ...shared });
  });
}

export default function SharedResultPage() {
  const d = useLoaderData<typeof loader>();
  if (d.gone) {
    return (
      <Flex direction="column" gap="4" align="start" data-testid="shared-gone">
        <Heading as="h1" size="6">{t.goneTitle}</Heading>
        <Callout.Root color="amber" role="alert"><Callout.Text>{t.gone}</Callout.Text></Callout.Root>
        <Text color="gray" size="2">HTTP 404</Text>
        <Button asChild variant="soft"><Link to="/shared">{t.backToShared}</Link></Button>
      </Flex>
    );
  }
  const { grant, result } = d;
  return (
    <>
      <PageHeader
        title={t.sharedDetailTitle(grantScopeLabel[grant.scope], grant.subject)}
        description={t.sharedFrom(grant.officeName, grant.expiresOn)}
        actions={<Button asChild variant="soft" color="gray"><Link to="/shared">{t.backToShared}</Link></Button>}
      />
      {grant.note ? (
        <Card size="2" mb="3"><Text size="2" className="pre-wrap">{grant.note}</Text></Card>
      ) : null}
      <Callout.Root color="blue" mb="3" role="note"><Callout.Text>{t.sharedAudit}</Callout.Text></Callout.Root>
      {result.scope === "engagement_problems" ? (
        <>
          <Flex gap="3" align="center" mb="3">
            <Badge color="gray" variant="soft" size="2" data-testid="shared-count">{t.problemsCount(result.problems.length)}</Badge>
          </Flex>
          {result.problems.length === 0 ? (
            <Card size="1"><Text as="p" color="gray" m="4">{t.problemsEmpty}</Text></Card>
          ) : (
            <SharedProblemTable problems={result.problems} />
          )}
        </>
      ) : result.scope === "engagement_rectification" ? (
        <>
          <Flex gap="3" align="center" mb="3">
            <Badge color="gray" variant="soft" size="2" data-testid="shared-count">
              {t.itemsCount(result.items.length, result.items.filter((i) => i.status === "closed").length)}
            </Badge>
          </Flex>
          {result.items.length === 0 ? (
            <Card size="1"><Text as="p" color="gray" m="4">{t.itemsEmpty}</Text></Card>
          ) : (
            <SharedItemTable items={result.items} />
          )}
        </>
      ) : result.figures.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="4">{t.figuresEmpty}</Text></Card>
      ) : (
        <SharedFiguresTable figures={result.figures} />
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
