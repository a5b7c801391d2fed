import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Grid, Heading } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { m, orgLevelLabel, roleLabel } from "~/lib/messages";
import { requireUser } from "~/lib/request.server";
import { countActiveUnits } from "~/models/units.server";
import { PageHeader } from "~/components/page-header";
import { StatCard } from "~/components/stat-card";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${m.home.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db, user, role, activeOrg, ability, subtreeOrgIds }) => {
    const [{ orgs }] = await db<{ orgs: number }[]>`select count(*)::int as orgs from public.orgs where id = any ((select private.visible_org_ids())::int[])`;
    const canReadUnits = ability.can("read", subject("Unit", { orgId: activeOrg.id, provinceId: activeOrg.provinceId }));
    // What RLS lets this user see: the subtree's patrols, those on its units, or his group's.
    const engagements = ability.can("read", "Engagement")
      ? (await db<{ n: number }[]>`select count(*)::int as n from public.engagements`)[0].n
      : null;
    return {
      name: user.displayName,
      role,
      activeOrg,
      orgs,
      units: canReadUnits ? await countActiveUnits(db, subtreeOrgIds) : null,
      engagements,
    };
  });
}

export default function Home() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={m.home.greeting(d.name)} description={`${d.activeOrg.name} · ${orgLevelLabel[d.activeOrg.level]} · ${roleLabel[d.role]}`} />
      <Heading as="h2" size="4" mb="3">{m.home.scope}</Heading>
      <Grid columns={{ initial: "1", sm: "3" }} gap="4">
        <StatCard label={m.home.orgsInScope} value={d.orgs} to="/orgs" testId="home-orgs" />
        {d.units !== null ? <StatCard label={m.home.unitsInScope} value={d.units} to="/units" testId="home-units" /> : null}
        {d.engagements !== null ? (
          <StatCard label={d.role === "group_member" ? m.home.myEngagements : m.home.engagementsInScope} value={d.engagements}
            to="/engagements" testId="home-engagements" />
        ) : null}
        <StatCard label={m.home.role} value={roleLabel[d.role]} />
      </Grid>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
