import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Box, Button, Callout, Card, Flex, Grid, Heading, Table, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { z } from "zod";
import { m, orgLevelLabel } from "~/lib/messages";
import { coverageText as t } from "~/lib/messages/coverage";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { outlook, percent, treeOrder } from "~/lib/coverage";
import { chinaYear, coverageTree, termPlan, type CoverageNode } from "~/models/coverage.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { StatCard } from "~/components/stat-card";
import { CoverageYearBars } from "~/components/coverage-year-bars";
import { CoverageRemaining } from "~/components/coverage-remaining";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DownloadButton } from "~/components/download-progress";
import { importsText } from "~/lib/messages/imports";

export const meta: MetaFunction = () => [{ title: `${t.title} · ${m.appName}` }];

const querySchema = z.object({ org: z.coerce.number().int().positive().optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    if (!ability.can("read", "TermObject")) forbidden();
    const year = chinaYear();
    const nodes = await coverageTree(db, activeOrg.id, year);
    const focusId = query.org ?? activeOrg.id;
    const focus = nodes.find((n) => n.id === focusId);
    // Outside the active org's subtree (or not visible): a page that does not exist.
    if (!focus) notFound();

    const byId = new Map(nodes.map((n) => [n.id, n]));
    const trail: { id: number; name: string }[] = [];
    for (let n: CoverageNode | undefined = focus; n; n = n.id === activeOrg.id ? undefined : byId.get(n.parentId ?? -1)) {
      trail.unshift({ id: n.id, name: n.name });
    }
    // The focus, its children always, and deeper offices only when they plan something.
    const subtree = treeOrder(nodes, focus.id);
    const rows = subtree.filter((n) => n.depth - focus.depth <= 1 || n.termId !== null || n.rolled.due > 0);

    let plan = null;
    if (focus.termId !== null && focus.startYear !== null && focus.endYear !== null) {
      const objects = await termPlan(db, focus.termId);
      plan = outlook(objects, { startYear: focus.startYear, endYear: focus.endYear }, year);
    }
    return {
      focus,
      trail,
      rows: rows.map((r) => ({ ...r, depth: r.depth - focus.depth })),
      hidden: subtree.length - rows.length,
      hasChildren: subtree.length > 1,
      plan,
      canManage: focus.termId !== null && ability.can("update", subject("TermObject", { orgId: focus.id })),
    };
  });
}

const paceText = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export default function Coverage() {
  const { focus, trail, rows, hidden, hasChildren, plan, canManage } = useLoaderData<typeof loader>();
  const own = focus.own;
  const rolled = focus.rolled;
  const risky = plan && (plan.riskYears.length > 0 || plan.totalRisk);
  return (
    <>
      <PageHeader
        title={t.title}
        description={t.description}
        actions={
          <Flex gap="2" align="start" wrap="wrap">
            <DownloadButton href={focus.id === trail[0]?.id ? "/coverage/xlsx" : `/coverage/xlsx?org=${focus.id}`}
              label={importsText.export.coverage} fallbackName={`${focus.name}全覆盖进度.xlsx`} testId="export-coverage" />
            {canManage ? <Button asChild variant="soft"><Link to={`/terms/${focus.termId}`}>{t.managePlan}</Link></Button> : null}
          </Flex>
        }
      />
      {trail.length > 1 ? (
        <nav aria-label="层级">
          <Flex gap="2" mb="3" align="center" wrap="wrap">
            {trail.map((c, i) => (
              <Flex key={c.id} gap="2" align="center">
                {i > 0 ? <Text color="gray">/</Text> : null}
                {i < trail.length - 1 ? (
                  <Link className="table-link" to={i === 0 ? "/coverage" : `/coverage?org=${c.id}`}>{c.name}</Link>
                ) : (
                  <Text weight="bold" aria-current="page">{c.name}</Text>
                )}
              </Flex>
            ))}
          </Flex>
        </nav>
      ) : null}
      <Flex align="baseline" gap="3" mb="3" wrap="wrap">
        <Heading as="h2" size="5" data-testid="focus-org">{focus.name}</Heading>
        <Text color="gray">
          {focus.termName ? `${focus.termName}（${focus.startYear}—${focus.endYear}）` : t.noTermShort}
        </Text>
      </Flex>

      <Grid columns={{ initial: "2", md: "5" }} gap="3" mb="3">
        <StatCard label={t.statDue} value={own.due} testId="stat-own-due" />
        <StatCard label={t.statCovered} value={own.covered} testId="stat-own-covered" />
        <StatCard label={t.statRate} value={percent(own)} testId="stat-own-rate" />
        <StatCard label={t.statElevated} value={`${own.elevatedCovered} / ${own.elevatedDue}`} testId="stat-own-elevated" />
        <StatCard label={t.statScheduled} value={own.scheduled} testId="stat-own-scheduled" />
      </Grid>
      {hasChildren ? (
        <Grid columns={{ initial: "2", md: "5" }} gap="3" mb="4">
          <StatCard label={t.statRolledDue} value={rolled.due} testId="stat-rolled-due" />
          <StatCard label={t.statRolledCovered} value={rolled.covered} testId="stat-rolled-covered" />
          <StatCard label={t.statRolledRate} value={percent(rolled)} testId="stat-rolled-rate" />
        </Grid>
      ) : null}

      {plan && risky ? (
        <Callout.Root color="red" mb="4" role="alert" data-testid="coverage-risk">
          <Flex direction="column" gap="1">
            <Text as="p" size="2" weight="bold">{t.riskTitle}</Text>
            {plan.riskYears.map((r) => (
              <Text as="p" size="2" key={r.year}>{t.riskYear(r.year, r.remaining, paceText(plan.pace!.perYear))}</Text>
            ))}
            {plan.totalRisk ? (
              <Text as="p" size="2">{t.riskTotal(plan.totalRisk.remaining, plan.totalRisk.years, plan.totalRisk.capacity)}</Text>
            ) : null}
            {plan.pace ? (
              <Text as="p" size="1">{t.riskExplain(plan.pace.from, plan.pace.to, plan.pace.covered, paceText(plan.pace.perYear))}</Text>
            ) : null}
          </Flex>
        </Callout.Root>
      ) : null}

      {hasChildren ? (
        <>
          <Heading as="h2" size="4" mb="1">{t.tableTitle}</Heading>
          <Text as="p" size="1" color="gray" mb="2">{t.tableNote}</Text>
          <DataTable
            label={t.tableTitle}
            columns={[
              { label: t.org }, { label: t.term }, { label: t.ownDue, align: "end" }, { label: t.ownCovered, align: "end" },
              { label: t.ownRate, align: "end" }, { label: t.elevated, align: "end" }, { label: t.scheduled, align: "end" },
              { label: t.rolledDue, align: "end" }, { label: t.rolledCovered, align: "end" }, { label: t.rolledRate, align: "end" },
            ]}
          >
            {rows.map((n) => (
              <Table.Row key={n.id} data-testid="coverage-row" data-org-id={n.id} data-parent-id={n.parentId ?? ""} data-depth={n.depth}>
                <Table.RowHeaderCell className={n.depth ? `tree-indent-${Math.min(n.depth, 2)}` : undefined}>
                  <Flex gap="2" align="center">
                    {n.id === focus.id ? <Text weight="bold">{n.name}</Text> : <Link className="table-link" to={`/coverage?org=${n.id}`}>{n.name}</Link>}
                    <Badge size="1" variant="soft" color={n.level === "province" ? "crimson" : n.level === "city" ? "orange" : "gray"}>{orgLevelLabel[n.level]}</Badge>
                  </Flex>
                </Table.RowHeaderCell>
                <Table.Cell>{n.termName ?? <Text color="gray">{t.noTermShort}</Text>}</Table.Cell>
                <Table.Cell justify="end" data-testid="own-due">{n.own.due}</Table.Cell>
                <Table.Cell justify="end" data-testid="own-covered">{n.own.covered}</Table.Cell>
                <Table.Cell justify="end">{percent(n.own)}</Table.Cell>
                <Table.Cell justify="end">{n.own.elevatedDue ? `${n.own.elevatedCovered} / ${n.own.elevatedDue}` : "—"}</Table.Cell>
                <Table.Cell justify="end">{n.own.scheduled || "—"}</Table.Cell>
                <Table.Cell justify="end" data-testid="rolled-due">{n.rolled.due}</Table.Cell>
                <Table.Cell justify="end" data-testid="rolled-covered">{n.rolled.covered}</Table.Cell>
                <Table.Cell justify="end"><Text weight="medium">{percent(n.rolled)}</Text></Table.Cell>
              </Table.Row>
            ))}
          </DataTable>
          {hidden ? <Text as="p" size="1" color="gray" mt="1">{t.hiddenOrgs(hidden)}</Text> : null}
        </>
      ) : null}

      <Heading as="h2" size="4" mt="5" mb="2">
        {focus.termName ? t.planTitle(focus.name, focus.termName) : focus.name}
      </Heading>
      {!plan ? (
        <Card size="1"><Text as="p" color="gray" m="3">{t.planNoTerm}</Text></Card>
      ) : own.due === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="3">{t.planEmpty}</Text></Card>
      ) : (
        <Grid columns={{ initial: "1", md: "5" }} gap="4" align="start">
          <Box gridColumn={{ initial: "auto", md: "span 2" }}>
          <Card size="3">
            <Heading as="h3" size="3" mb="1">{t.yearsTitle}</Heading>
            <Text as="p" size="1" color="gray" mb="3">{t.yearsNote}</Text>
            <CoverageYearBars years={plan.years} pace={plan.pace?.perYear ?? null} />
            <Text as="p" size="2" color="gray" mt="3" data-testid="coverage-pace">
              {!plan.pace ? t.paceUnknown : risky ? t.pace(paceText(plan.pace.perYear)) : t.onTrack(paceText(plan.pace.perYear))}
            </Text>
          </Card>
          </Box>
          <Box gridColumn={{ initial: "auto", md: "span 3" }}>
            <Heading as="h3" size="3" mb="2">{t.remainingTitle}</Heading>
            <CoverageRemaining groups={plan.groups} riskYears={plan.riskYears.map((r) => r.year)} />
          </Box>
        </Grid>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
