import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Grid, Heading } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { m, orgLevelLabel, roleLabel } from "~/lib/messages";
import { requireUser } from "~/lib/request.server";
import { countActiveUnits } from "~/models/units.server";
import { homeFigures } from "~/models/figures.server";
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
    const [inbox] = await db<{ unread: number; leads: number }[]>`
      select count(*)::int as unread, count(*) filter (where kind = 'lead_transferred')::int as leads
        from public.notifications where read_at is null`;
    // An office's figures, rolled up (the same function as 统计分析).
    const figures = ["office_director", "office_staff", "leadership"].includes(role) ? await homeFigures(db, activeOrg.id) : null;
    // A unit contact's ledger: RLS shows only his unit's items.
    const [items] = role === "unit_contact"
      ? await db<{ open: number; overdue: number }[]>`
          select count(*) filter (where status <> 'closed')::int as open,
                 count(*) filter (where status = 'open' and deadline < current_date)::int as overdue
            from public.rectification_items`
      : [null];
    return {
      unread: inbox.unread,
      partnerLeads: role === "partner_staff" ? inbox.leads : null,
      figures,
      items,
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
      <PageHeader title={m.home.greeting(d.name)}
        description={`${d.activeOrg.unitName ? `${d.activeOrg.unitName} · ` : ""}${d.activeOrg.name} · ${orgLevelLabel[d.activeOrg.level]} · ${roleLabel[d.role]}`} />
      <Heading as="h2" size="4" mb="3">{m.home.scope}</Heading>
      <Grid columns={{ initial: "1", sm: "3" }} gap="4">
        <StatCard label={m.home.orgsInScope} value={d.orgs} to="/orgs" testId="home-orgs" />
        {d.units !== null ? <StatCard label={m.home.unitsInScope} value={d.units} to="/units" testId="home-units" /> : null}
        <StatCard label={m.home.unread} value={d.unread} to="/inbox" testId="home-unread" />
        {d.figures ? (
          <>
            <StatCard label={m.home.rate} value={d.figures.rate} to="/figures" testId="home-rate" />
            <StatCard label={m.home.overdue} value={d.figures.overdue} to="/supervision" testId="home-overdue" />
          </>
        ) : null}
        {d.items ? (
          <>
            <StatCard label={m.home.myItems} value={d.items.open} to="/rectification" testId="home-items" />
            <StatCard label={m.home.myOverdue} value={d.items.overdue} to="/rectification" testId="home-items-overdue" />
          </>
        ) : null}
        {d.partnerLeads !== null ? <StatCard label={m.home.partnerLeads} value={d.partnerLeads} to="/leads" testId="home-partner-leads" /> : null}
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
