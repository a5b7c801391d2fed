import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button, Callout, Card, Flex, Heading, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { z } from "zod";
import { formatCount } from "~/lib/figures";
import { m } from "~/lib/messages";
import { figuresText as t } from "~/lib/messages/figures";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import {
  figureFilterOptions,
  FIGURES_PAGE_SIZE,
  orgFigures,
  orgTrail,
  ownEngagementFigures,
  topCategories,
} from "~/models/figures.server";
import { PageHeader } from "~/components/page-header";
import { FilterSelect } from "~/components/filter-field";
import { CategoryTable, EngagementFiguresTable, FigureCards, OrgFiguresTable } from "~/components/figures-tables";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${t.title} · ${m.appName}` }];

const id = z.coerce.number().int().positive().max(2 ** 31 - 1);
const querySchema = z.object({
  // A malformed org is a page that does not exist; a malformed filter is ignored.
  org: z.union([z.literal("").transform(() => undefined), id]).optional(),
  term: id.optional().catch(undefined),
  round: id.optional().catch(undefined),
  page: z.coerce.number().int().positive().max(10_000).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) notFound();
  const query = parsed.data;
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    if (!ability.can("read", subject("Round", { orgId: activeOrg.id }))) forbidden();
    const focusId = query.org ?? activeOrg.id;
    // Only the active org's subtree: anything else is a page that does not exist (the
    // database functions would return nothing for it anyway).
    const trail = await orgTrail(db, activeOrg.id, focusId);
    if (!trail || !ability.can("read", subject("Round", { orgId: focusId }))) notFound();

    const options = await figureFilterOptions(db, focusId);
    const round = query.round ? options.rounds.find((r) => r.id === query.round) : undefined;
    // A round implies its term; a term that does not hold the round would count nothing.
    const term = round ? options.terms.find((x) => x.id === round.termId) : query.term ? options.terms.find((x) => x.id === query.term) : undefined;
    const ignored = (query.round !== undefined && !round) || (query.term !== undefined && !term);
    const filter = { term: term?.id, round: round?.id };

    const figures = await orgFigures(db, focusId, filter);
    if (!figures) notFound();
    const page = query.page ?? 1;
    const engagements = await ownEngagementFigures(db, focusId, { ...filter, page });
    return {
      focus: { id: focusId, name: trail[trail.length - 1].name },
      trail,
      rootId: activeOrg.id,
      figures,
      categories: await topCategories(db),
      engagements,
      page,
      pages: Math.max(1, Math.ceil(engagements.total / FIGURES_PAGE_SIZE)),
      options,
      filter: { term: term?.id, round: round?.id, termLabel: term?.label, roundLabel: round?.label },
      ignored,
    };
  });
}

export default function Figures() {
  const { focus, trail, rootId, figures, categories, engagements, page, pages, options, filter, ignored } = useLoaderData<typeof loader>();
  // Links keep the filter; the active org itself needs no ?org=.
  const href = (params: { org?: number; page?: number }) => {
    const p = new URLSearchParams();
    const org = params.org ?? focus.id;
    if (org !== rootId) p.set("org", String(org));
    if (filter.term) p.set("term", String(filter.term));
    if (filter.round) p.set("round", String(filter.round));
    if (params.page && params.page > 1) p.set("page", String(params.page));
    const s = p.toString();
    return `/figures${s ? `?${s}` : ""}`;
  };
  const resetHref = focus.id === rootId ? "/figures" : `/figures?org=${focus.id}`;
  return (
    <>
      <PageHeader title={t.title} description={t.description} />
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
        <Form method="get" aria-label={t.filters}>
          {focus.id !== rootId ? <input type="hidden" name="org" value={focus.id} /> : null}
          <Flex gap="3" wrap="wrap" align="end">
            <FilterSelect id="f-term" name="term" label={t.term} defaultValue={filter.term} allLabel={t.allTerms}
              options={options.terms.map((x) => ({ value: x.id, label: x.label }))} />
            <FilterSelect id="f-round" name="round" label={t.round} defaultValue={filter.round} allLabel={t.allRounds}
              options={options.rounds.map((x) => ({ value: x.id, label: x.label }))} />
            <Button type="submit">{t.apply}</Button>
            <Button asChild variant="soft" color="gray"><Link to={resetHref}>{t.reset}</Link></Button>
          </Flex>
        </Form>
      </Card>
      {ignored ? (
        <Callout.Root color="amber" mb="3" role="alert"><Callout.Text>{t.filterIgnored}</Callout.Text></Callout.Root>
      ) : null}

      <Flex align="baseline" gap="3" mb="3" wrap="wrap">
        <Heading as="h2" size="5" data-testid="focus-org">{focus.name}</Heading>
        {filter.roundLabel || filter.termLabel ? (
          <Text color="gray" size="2">{t.filtered(filter.roundLabel ?? filter.termLabel ?? "")}</Text>
        ) : null}
      </Flex>
      <FigureCards f={figures.total} />
      <Text as="p" size="1" color="gray" mb="5" data-testid="rate-explain">{t.rateExplain}</Text>

      <Heading as="h2" size="4" mb="1">{t.childrenTitle}</Heading>
      <Text as="p" size="1" color="gray" mb="2">{figures.children.length ? t.childrenNote : t.countingNote}</Text>
      <OrgFiguresTable own={figures.own} children={figures.children} total={figures.total} href={(org) => href({ org })} />
      {figures.children.length ? <Text as="p" size="1" color="gray" mt="1">{t.countingNote}</Text> : null}

      <Heading as="h2" size="4" mt="5" mb="2">{t.categoryTitle}</Heading>
      <CategoryTable categories={categories} byCategory={figures.total.byCategory} />

      <Heading as="h2" size="4" mt="5" mb="1">{t.engagementsTitle(focus.name)}</Heading>
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

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
