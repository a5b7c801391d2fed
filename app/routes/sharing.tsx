import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Badge, Box, Button, Card, Flex, Heading, TabNav, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { grantStatusLabel, sharingText as t } from "~/lib/messages/sharing";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { defaultExpiry, grantSchema, grantStatuses, revokeSchema, sharingQuerySchema, type GrantScope } from "~/lib/schemas/sharing";
import { redirectWithToast } from "~/lib/toast.server";
import { dbToday } from "~/models/leads.server";
import {
  briefingRounds,
  createGrant,
  getGrant,
  GRANT_REFUSALS,
  grantableEngagements,
  grantCounts,
  grantPartners,
  listGrants,
  officeRounds,
  REVOKE_REFUSALS,
  revokeGrant,
} from "~/models/sharing.server";
import { PageHeader } from "~/components/page-header";
import { FormErrors, GrantForm, GrantTable } from "~/components/sharing-grants";
import { BriefingRoundsTable } from "~/components/sharing-briefings";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${t.title} · ${m.appName}` }];

/**
 * 成果共享, the office's side: its grants to the supervision partners attached to it (who
 * used them, and when), a new grant, 撤销; and the 巡前通报 of its rounds. The office's
 * ancestors read the same (RLS: the granting office and its ancestors), without the forms.
 * `?engagement=` or `?round=` preselect the result in the form (links from the
 * engagement and round pages).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const query = sharingQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    if (!ability.can("read", subject("ResultGrant", { orgId: activeOrg.id }))) forbidden();
    // subject() tags the object it is given: one object per subject type.
    const canGrant = ability.can("create", subject("ResultGrant", { orgId: activeOrg.id }));
    const canBrief = ability.can("create", subject("PreBriefing", { orgId: activeOrg.id }));
    const today = await dbToday(db);
    if (query.tab === "briefings") {
      const rounds = await briefingRounds(db, activeOrg.id);
      return { tab: "briefings" as const, today, canGrant, canBrief, orgName: activeOrg.name, rounds, showOffice: rounds.some((r) => r.orgId !== activeOrg.id) };
    }
    const grants = (await listGrants(db, query.status)).map((g) => ({
      ...g,
      revocable: g.status === "active" && ability.can("update", subject("ResultGrant", { orgId: g.orgId, revokedAt: g.revokedAt })),
    }));
    const counts = await grantCounts(db);
    let form = null;
    if (canGrant) {
      const [partners, engagements, rounds] = [await grantPartners(db), await grantableEngagements(db, activeOrg.id), await officeRounds(db, activeOrg.id)];
      // A result given in the URL is preselected only when it is one the office may share.
      const engagementId = query.engagement && engagements.some((e) => e.id === query.engagement) ? query.engagement : undefined;
      const roundId = query.round && rounds.some((r) => r.id === query.round) ? query.round : undefined;
      const scope: GrantScope | undefined = engagementId ? "engagement_problems" : roundId ? "round_figures" : undefined;
      form = {
        options: { partners, engagements, rounds: rounds.map((r) => ({ id: r.id, label: r.label })) },
        defaults: { scope, engagementId, roundId, expiresOn: defaultExpiry(today) },
        preselected: Boolean(engagementId || roundId),
      };
    }
    return {
      tab: "grants" as const,
      today,
      canGrant,
      canBrief,
      orgName: activeOrg.name,
      grants,
      counts,
      status: query.status ?? null,
      showOffice: grants.some((g) => g.orgId !== activeOrg.id),
      form,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, activeOrg, audit }) => {
    switch (formData.get("intent")) {
      case "grant": {
        if (!ability.can("create", subject("ResultGrant", { orgId: activeOrg.id }))) forbidden();
        const today = await dbToday(db);
        return saveSubmission(db, formData, grantSchema(today), async (input, tx) => {
          const grant = await createGrant(tx, activeOrg.id, input);
          await audit({
            action: "grant.create",
            objectType: "result_grant",
            objectId: grant.id,
            detail: { partnerOrgId: input.partnerOrgId, scope: input.scope, engagementId: input.engagementId, roundId: input.roundId, expiresOn: input.expiresOn },
          });
          return redirectWithToast("/sharing", t.granted(grant.partnerName));
        }, GRANT_REFUSALS);
      }
      case "revoke": {
        const id = Number(formData.get("grantId"));
        const grant = Number.isSafeInteger(id) && id > 0 ? await getGrant(db, id) : undefined;
        if (!grant) notFound();
        // The office's own grant; whether it is still revocable, the database decides (and says so).
        if (!ability.can("update", subject("ResultGrant", { orgId: grant.orgId, revokedAt: null }))) forbidden();
        return saveSubmission(db, formData, revokeSchema, async (input, tx) => {
          const revoked = await revokeGrant(tx, input.grantId);
          if (!revoked) forbidden();
          await audit({
            action: "grant.revoke",
            objectType: "result_grant",
            objectId: revoked.id,
            detail: { partnerOrgId: grant.partnerOrgId, scope: grant.scope, engagementId: grant.engagementId, roundId: grant.roundId },
          });
          return redirectWithToast("/sharing", t.revoked(revoked.partnerName));
        }, REVOKE_REFUSALS);
      }
      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

function Tabs({ tab }: { tab: "grants" | "briefings" }) {
  return (
    <TabNav.Root aria-label={t.tabs} mb="4">
      <TabNav.Link asChild active={tab === "grants"}><Link to="/sharing">{t.tabGrants}</Link></TabNav.Link>
      <TabNav.Link asChild active={tab === "briefings"}><Link to="/sharing?tab=briefings">{t.tabBriefings}</Link></TabNav.Link>
    </TabNav.Root>
  );
}

export default function Sharing() {
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const intent = reply?.initialValue?.intent;
  const header = (
    <PageHeader title={t.title} description={data.canGrant ? t.description : t.descriptionReadOnly}
      actions={data.canGrant ? null : <Badge color="gray" size="2">{t.readOnly}</Badge>} />
  );
  if (data.tab === "briefings") {
    return (
      <>
        {header}
        <Tabs tab="briefings" />
        <Text as="p" size="2" color="gray" mb="3">{t.briefingsNote}</Text>
        {data.rounds.length === 0 ? (
          <Card size="1"><Text as="p" color="gray" m="4">{t.briefingsRoundsEmpty}</Text></Card>
        ) : (
          <BriefingRoundsTable rounds={data.rounds} showOffice={data.showOffice} />
        )}
      </>
    );
  }
  const { grants, counts, status, form } = data;
  const filterHref = (s: string | null) => (s ? `/sharing?status=${s}` : "/sharing");
  return (
    <>
      {header}
      <Tabs tab="grants" />
      {form ? (
        <Card size="3" mb="5" id="new-grant">
          <GrantForm
            key={`${grants.length}-${form.defaults.engagementId ?? ""}-${form.defaults.roundId ?? ""}`}
            options={form.options}
            today={data.today}
            defaults={form.defaults}
            lastResult={intent === "grant" ? reply : undefined}
          />
        </Card>
      ) : null}
      <Flex justify="between" align="end" gap="3" wrap="wrap" mb="2">
        <Heading as="h2" size="4">{t.grants}</Heading>
        <Flex gap="2" wrap="wrap" role="group" aria-label={t.filterStatus}>
          {([null, ...grantStatuses] as const).map((s) => (
            <Button key={s ?? "all"} asChild size="1" variant={status === s ? "solid" : "soft"} color={status === s ? undefined : "gray"}>
              <Link to={filterHref(s)} aria-current={status === s ? "page" : undefined}>
                {`${s ? grantStatusLabel[s] : t.filterAll}（${s ? counts[s] : counts.all}）`}
              </Link>
            </Button>
          ))}
        </Flex>
      </Flex>
      <Text as="p" size="1" color="gray" mb="3">{t.grantsNote}</Text>
      {intent === "revoke" ? <Box mb="3"><FormErrors errors={reply?.error?.[""] ?? undefined} /></Box> : null}
      {grants.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="4">{counts.all === 0 ? t.empty : t.filterEmpty}</Text></Card>
      ) : (
        <GrantTable grants={grants} showOffice={data.showOffice} linkSubjects />
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
