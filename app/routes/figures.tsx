import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button, Callout, Card, Flex, Grid, Heading, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { formatCount } from "~/lib/figures";
import { dashboardTables, type DashboardRow, type DashboardTable } from "~/lib/figures-dashboard";
import { m } from "~/lib/messages";
import { figuresText as t } from "~/lib/messages/figures";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { figuresQuerySchema, figuresSearch } from "~/lib/schemas/figures";
import { chinaYear } from "~/models/coverage.server";
import { dashboardData, FIGURES_PAGE_SIZE, pageOf, resolveFigureQuery } from "~/models/figures.server";
import { PageHeader } from "~/components/page-header";
import { NativeSelect } from "~/components/native-select";
import { EngagementFiguresTable, FigureCards, OrgFiguresTable } from "~/components/figures-tables";
import { ChartPanel, chartHeight } from "~/components/figures-charts";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${t.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = figuresQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) notFound();
  const query = parsed.data;
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    if (!ability.can("read", subject("Round", { orgId: activeOrg.id }))) forbidden();
    // Only the active org's subtree: anything else is a page that does not exist (the
    // database functions would return nothing for it anyway).
    const resolved = await resolveFigureQuery(db, activeOrg.id, query, chinaYear());
    if (!resolved || !ability.can("read", subject("Round", { orgId: resolved.focus.id }))) notFound();
    const { focus, trail, options, filter, scope, ignored, coverageYear } = resolved;

    const dashboard = await dashboardData(db, focus, filter, ability.can("read", "TermObject") ? coverageYear : null);
    if (!dashboard) notFound();
    const page = query.page ?? 1;
    const { figures, ownEngagements, ...data } = dashboard;
    const engagements = { rows: pageOf(ownEngagements, page), total: ownEngagements.length };
    return {
      focus,
      trail,
      rootId: activeOrg.id,
      figures,
      tables: dashboardTables(data),
      engagements,
      page,
      pages: Math.max(1, Math.ceil(engagements.total / FIGURES_PAGE_SIZE)),
      options,
      filter,
      scope,
      ignored,
    };
  });
}

export default function Figures() {
  const { focus, trail, rootId, figures, tables, engagements, page, pages, options, filter, scope, ignored } = useLoaderData<typeof loader>();
  // Links keep the filter; the active org itself needs no ?org=.
  const href = (params: { org?: number; page?: number }) => `/figures${figuresSearch({ ...filter, org: params.org ?? focus.id, page: params.page }, rootId)}`;
  // Every row leads down: a child office to its dashboard, an engagement to its page, 本级
  // to the org's own engagements below (in the coverage, to its term plan).
  const hrefOf = (row: DashboardRow, table: DashboardTable["id"]) =>
    row.kind === "child" && row.orgId ? href({ org: row.orgId })
    : row.kind === "engagement" && row.engagementId ? `/engagements/${row.engagementId}`
    : row.kind === "own" && table === "coverage" ? (focus.id === rootId ? "/coverage" : `/coverage?org=${focus.id}`)
    : row.kind === "own" ? "#engagements"
    : undefined;
  const resetHref = focus.id === rootId ? "/figures" : `/figures?org=${focus.id}`;
  const exportHref = `/figures/xlsx${figuresSearch({ ...filter, org: focus.id }, rootId)}`;
  // Panels side by side share a height, so the grid stays even. With child offices the
  // coverage (a donut and a bar per office) takes a whole row; a county's is a donut only.
  const byId = new Map(tables.map((x) => [x.id, x]));
  const layout: string[][] = !byId.has("coverage")
    ? [["categories", "ranking"], ["problems", "leads"], ["rectification", "overdue"]]
    : figures.children.length > 0
      ? [["coverage"], ["categories", "ranking"], ["problems", "leads"], ["rectification", "overdue"]]
      : [["coverage", "categories"], ["problems", "leads"], ["rectification", "overdue"], ["ranking"]];
  return (
    <>
      <PageHeader
        title={t.title}
        description={t.description}
        actions={
          <Button asChild variant="soft" title={t.exportHint}>
            <a href={exportHref} download data-testid="figures-export">{t.exportXlsx}</a>
          </Button>
        }
      />
      {trail.length > 1 ? (
        <nav aria-label={t.trail}>
          <Flex gap="2" mb="3" align="center" wrap="wrap">
            {trail.map((c, i) => (
              <Flex key={c.id} gap="2" align="center">
                {i > 0 ? <Text color="gray">/</Text> : null}
                {i < trail.length - 1 ? (
                  <Link className="table-link" to={href({ org: c.id })}>{c.name}</Link>
                ) : (
                  <Text weight="bold" aria-current="page">{c.name}</Text>
                )}
              </Flex>
            ))}
          </Flex>
        </nav>
      ) : null}

      <Card size="2" mb="4">
        {/* Keyed by the filter: after a navigation the selects show the filter in force. */}
        <Form method="get" aria-label={t.filters} key={`${focus.id}-${filter.term}-${filter.year}-${filter.round}-${filter.campaign}`}>
          {focus.id !== rootId ? <input type="hidden" name="org" value={focus.id} /> : null}
          <Grid columns={{ initial: "1", sm: "2", md: "minmax(0, 2fr) minmax(0, 1fr) minmax(0, 2.2fr) minmax(0, 1.6fr) auto" }} gap="3" align="end">
            <FilterField id="f-term" name="term" label={t.term} value={filter.term} allLabel={t.allTerms}
              options={options.terms.map((x) => ({ value: x.id, label: x.label }))} />
            <FilterField id="f-year" name="year" label={t.year} value={filter.year} allLabel={t.allYears}
              options={options.years.map((y) => ({ value: y, label: t.yearLabel(y) }))} />
            <FilterField id="f-round" name="round" label={t.round} value={filter.round} allLabel={t.allRounds}
              options={options.rounds.map((x) => ({ value: x.id, label: x.label }))} />
            <FilterField id="f-campaign" name="campaign" label={t.campaign} value={filter.campaign} allLabel={t.allCampaigns}
              options={options.campaigns.map((c) => ({ value: c.id, label: c.title }))} />
            <Flex gap="2">
              <Button type="submit">{t.apply}</Button>
              <Button asChild variant="soft" color="gray"><Link to={resetHref}>{t.reset}</Link></Button>
            </Flex>
          </Grid>
        </Form>
      </Card>
      {ignored ? (
        <Callout.Root color="amber" mb="3" role="alert"><Callout.Text>{t.filterIgnored}</Callout.Text></Callout.Root>
      ) : null}

      <Flex align="baseline" gap="3" mb="3" wrap="wrap">
        <Heading as="h2" size="5" data-testid="focus-org">{focus.name}</Heading>
        {scope ? <Text color="gray" size="2" data-testid="figures-scope">{t.filtered(scope)}</Text> : null}
      </Flex>
      <FigureCards f={figures.total} />
      <Text as="p" size="1" color="gray" mb="5" data-testid="rate-explain">{t.rateExplain}</Text>

      <Flex align="baseline" justify="between" gap="3" mb="2" wrap="wrap">
        <Heading as="h2" size="4">{t.chartsTitle}</Heading>
        <Text size="1" color="gray">{t.clickToDrill}</Text>
      </Flex>
      {layout.map((ids) => {
        const panels = ids.map((id) => byId.get(id as DashboardTable["id"])!);
        const height = Math.max(...panels.map(chartHeight));
        return (
          <Grid key={ids.join("-")} columns={{ initial: "1", md: String(panels.length) }} gap="4" mb="4" align="stretch">
            {panels.map((p) => <ChartPanel key={p.id} table={p} hrefOf={hrefOf} height={height} />)}
          </Grid>
        );
      })}

      <Heading as="h2" size="4" mt="5" mb="1">{t.childrenTitle}</Heading>
      <Text as="p" size="1" color="gray" mb="2">{figures.children.length ? t.childrenNote : t.countingNote}</Text>
      <OrgFiguresTable own={figures.own} children={figures.children} total={figures.total} href={(org) => href({ org })} />
      {figures.children.length ? <Text as="p" size="1" color="gray" mt="1">{t.countingNote}</Text> : null}

      <Heading as="h2" size="4" mt="5" mb="1" id="engagements">{t.engagementsTitle(focus.name)}</Heading>
      <Flex justify="between" align="center" mb="2" gap="3" wrap="wrap">
        <Text size="1" color="gray">{t.engagementsNote}</Text>
        <Text size="2" color="gray" data-testid="figures-engagements-total">
          {t.totalEngagements(formatCount(engagements.total))}{pages > 1 ? ` · ${t.page(page, pages)}` : ""}
        </Text>
      </Flex>
      {engagements.rows.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="3">{t.noEngagements}</Text></Card>
      ) : (
        <EngagementFiguresTable rows={engagements.rows} label={t.engagementsTitle(focus.name)} />
      )}
      {pages > 1 ? (
        <Flex justify="end" gap="2" mt="3">
          {page > 1 ? <Button asChild variant="soft"><Link to={href({ page: page - 1 })}>{t.prev}</Link></Button> : null}
          {page < pages ? <Button asChild variant="soft"><Link to={href({ page: page + 1 })}>{t.next}</Link></Button> : null}
        </Flex>
      ) : null}
    </>
  );
}

/** A labelled filter select that takes its grid cell's width (long term and round names). */
function FilterField({ id, name, label, value, allLabel, options }: {
  id: string;
  name: string;
  label: string;
  value: number | undefined;
  allLabel: string;
  options: { value: number; label: string }[];
}) {
  return (
    <Flex direction="column" gap="1" style={{ minWidth: 0 }}>
      <label htmlFor={id}><Text size="1" color="gray">{label}</Text></label>
      <NativeSelect id={id} name={name} defaultValue={value ?? ""} style={{ width: "100%", minWidth: 0 }}>
        <option value="">{allLabel}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </NativeSelect>
    </Flex>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
