import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Card, Flex, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { m } from "~/lib/messages";
import { sharingText as t } from "~/lib/messages/sharing";
import { forbidden, requireUser } from "~/lib/request.server";
import { sharedWithMe } from "~/models/sharing.server";
import { PageHeader } from "~/components/page-header";
import { SharedGrantTable } from "~/components/sharing-results";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${t.sharedTitle} · ${m.appName}` }];

/**
 * 共享成果, the supervision partner's side: what offices shared with his org and is still
 * usable (public.shared_with_me: not revoked, not expired). The list names the results;
 * reading one goes through the audited functions on its own page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    if (!ability.can("read", subject("SharedResult", { partnerOrgId: activeOrg.id }))) forbidden();
    return { grants: await sharedWithMe(db), orgName: activeOrg.name };
  });
}

export default function Shared() {
  const { grants, orgName } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={t.sharedTitle} description={t.sharedDescription(orgName)} />
      <Flex gap="3" align="center" mb="3">
        <Badge color="gray" variant="soft" size="2" data-testid="shared-total">{t.sharedTotal(grants.length)}</Badge>
      </Flex>
      {grants.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="4">{t.sharedEmpty}</Text></Card>
      ) : (
        <SharedGrantTable grants={grants} />
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
