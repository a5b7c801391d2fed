import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { Box, Callout, Card, Container, DataList, Flex, Grid, Heading, Table, Text } from "@radix-ui/themes";
import { m } from "~/lib/messages";
import { rectificationText as t } from "~/lib/messages/rectification";
import { rectificationRate } from "~/lib/figures";
import { slugSchema } from "~/lib/schemas/rectification";
import { getPublicDisclosure } from "~/models/disclosures.server";

/**
 * The public disclosure (公示) of a unit's rectification: no login. It reads as the
 * database role `anon`, which sees only publications not withdrawn and only their
 * public columns (title, unit, office, summary, the snapshot of counts). Nothing of
 * the ledger (responsible persons, measures, evidence) is in what it can read.
 */

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? data.title : t.publicTitle} · ${m.appName}` },
];

function publicNotFound(): never {
  throw new Response("Not Found", { status: 404 });
}

export async function loader({ params }: LoaderFunctionArgs) {
  const slug = slugSchema.safeParse(params.slug);
  if (!slug.success) publicNotFound();
  const d = await getPublicDisclosure(slug.data);
  if (!d) publicNotFound();
  return {
    title: d.title,
    unitName: d.unitName,
    officeName: d.officeName,
    summary: d.summary,
    publishedOn: new Date(d.publishedAt).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "long", day: "numeric" }),
    fedBack: d.snapshot.fedBack,
    rectified: d.snapshot.rectified,
    byCategory: d.snapshot.byCategory,
  };
}

function PublicFrame({ children }: { children: React.ReactNode }) {
  return (
    <Box style={{ minHeight: "100vh", background: "var(--gray-2)" }}>
      <Box style={{ background: "var(--crimson-9)", color: "white" }} py="3" px="5">
        <Container size="3">
          <Text size="4" weight="bold" style={{ letterSpacing: 2 }}>{t.publicTitle}</Text>
        </Container>
      </Box>
      <Container size="3" px="5" py="5">
        {children}
        <Text as="p" size="1" color="gray" align="center" mt="6">{t.publicFooter}</Text>
      </Container>
    </Box>
  );
}

export default function PublicRectification() {
  const d = useLoaderData<typeof loader>();
  return (
    <PublicFrame>
      <Card size="4">
        <Heading as="h1" size="6" mb="4" align="center">{d.title}</Heading>
        <DataList.Root mb="4">
          <DataList.Item><DataList.Label>{t.publicUnit}</DataList.Label><DataList.Value>{d.unitName}</DataList.Value></DataList.Item>
          <DataList.Item><DataList.Label>{t.publicOffice}</DataList.Label><DataList.Value>{d.officeName}</DataList.Value></DataList.Item>
          <DataList.Item><DataList.Label>{t.publicPublishedOn}</DataList.Label><DataList.Value>{d.publishedOn}</DataList.Value></DataList.Item>
        </DataList.Root>
        <Text as="p" size="3" className="pre-wrap" mb="5" data-testid="public-summary">{d.summary}</Text>
        <Grid columns={{ initial: "1", sm: "3" }} gap="3" mb="5">
          {(
            [
              [t.publicFedBack, d.fedBack, "public-fed-back"],
              [t.publicRectified, d.rectified, "public-rectified"],
              [t.publicRate, rectificationRate(d.rectified, d.fedBack), "public-rate"],
            ] as const
          ).map(([label, value, id]) => (
            <Card key={id} size="2">
              <Flex direction="column" gap="1" align="center">
                <Text size="2" color="gray">{label}</Text>
                <Text size="7" weight="bold" data-testid={id}>{value}</Text>
              </Flex>
            </Card>
          ))}
        </Grid>
        {d.byCategory.length > 0 ? (
          <>
            <Heading as="h2" size="4" mb="2">{t.publicByCategory}</Heading>
            <Table.Root variant="surface" size="2">
              <caption className="visually-hidden">{t.publicByCategory}</caption>
              <Table.Header>
                <Table.Row>
                  <Table.ColumnHeaderCell>{t.publicCategory}</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell justify="end">{t.publicFedBack}</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell justify="end">{t.publicRectified}</Table.ColumnHeaderCell>
                  <Table.ColumnHeaderCell justify="end">{t.publicRate}</Table.ColumnHeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {d.byCategory.map((c) => (
                  <Table.Row key={c.category} data-testid="public-category">
                    <Table.RowHeaderCell>{c.category}</Table.RowHeaderCell>
                    <Table.Cell justify="end">{c.fedBack}</Table.Cell>
                    <Table.Cell justify="end">{c.rectified}</Table.Cell>
                    <Table.Cell justify="end">{rectificationRate(c.rectified, c.fedBack)}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table.Root>
          </>
        ) : null}
      </Card>
    </PublicFrame>
  );
}

/** Unknown or withdrawn: a Chinese 404 for the public, without the app's links. */
export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <PublicFrame>
      <Flex direction="column" gap="3" data-testid={notFound ? "public-not-found" : "public-error"}>
        <Heading as="h1" size="6">{notFound ? t.publicNotFoundTitle : m.errors.serverTitle}</Heading>
        <Callout.Root color={notFound ? "amber" : "red"}>
          <Callout.Text>{notFound ? t.publicNotFound : m.errors.server}</Callout.Text>
        </Callout.Root>
      </Flex>
    </PublicFrame>
  );
}
