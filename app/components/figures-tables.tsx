import { Link } from "@remix-run/react";
import { Badge, Flex, Grid, Table, Text } from "@radix-ui/themes";
import { formatCount, rectificationRate, share, type FigureCounts } from "~/lib/figures";
import { engagementModeLabel, orgLevelLabel } from "~/lib/messages";
import { figuresText as t } from "~/lib/messages/figures";
import { DataTable } from "./data-table";
import { StatCard } from "./stat-card";

/** A grid of headline cards, [label, value, test id] each. */
export function StatCardGrid({ cards, md }: { cards: [string, string, string][]; md: "5" | "6" }) {
  return (
    <Grid columns={{ initial: "2", sm: "3", md }} gap="3" mb={md === "5" ? "2" : "3"}>
      {cards.map(([label, value, testId]) => (
        <StatCard key={testId} label={label} value={value} testId={testId} />
      ))}
    </Grid>
  );
}

/** A row's figure cells, [key, value] each; data-figure names each for the tests that add them up. */
export function FigureCellRow({ cells, strong }: { cells: [string, string][]; strong?: boolean }) {
  return (
    <>
      {cells.map(([key, value]) => (
        <Table.Cell key={key} justify="end" data-figure={key} style={{ whiteSpace: "nowrap" }}>
          {strong ? <Text weight="bold">{value}</Text> : value}
        </Table.Cell>
      ))}
    </>
  );
}

/** The headline cards: what a patrol office is judged by. */
export function FigureCards({ f }: { f: FigureCounts }) {
  const cards: [string, string, string][] = [
    [t.problems, formatCount(f.problems), "stat-problems"],
    [t.onTheSpot, formatCount(f.onTheSpot), "stat-on-the-spot"],
    [t.deadlineItems, formatCount(f.deadlineItems), "stat-deadline-items"],
    [t.leadsTransferred, formatCount(f.leadsTransferred), "stat-leads"],
    [t.personsSanctioned, formatCount(f.personsSanctioned), "stat-sanctioned"],
    [t.personsJudicial, formatCount(f.personsJudicial), "stat-judicial"],
    [t.fedBack, formatCount(f.fedBack), "stat-fed-back"],
    [t.rectified, formatCount(f.rectified), "stat-rectified"],
    [t.rate, rectificationRate(f.rectified, f.fedBack), "stat-rate"],
    [t.overdue, formatCount(f.overdueItems), "stat-overdue"],
  ];
  return <StatCardGrid cards={cards} md="5" />;
}

/** The figure columns every table shares, in the cards' order. */
const figureColumns = [
  { label: t.colEngagements, align: "end" as const },
  { label: t.colProblems, align: "end" as const },
  { label: t.colOnTheSpot, align: "end" as const },
  { label: t.colDeadline, align: "end" as const },
  { label: t.colLeads, align: "end" as const },
  { label: t.colSanctioned, align: "end" as const },
  { label: t.colJudicial, align: "end" as const },
  { label: t.colFedBack, align: "end" as const },
  { label: t.colRectified, align: "end" as const },
  { label: t.colRate, align: "end" as const },
  { label: t.colOverdue, align: "end" as const },
];

/** One row's figure cells; data-figure names each for the tests that add them up. */
function FigureCells({ f, strong, withEngagements = true }: { f: FigureCounts; strong?: boolean; withEngagements?: boolean }) {
  const cells: [string, string][] = [
    ...(withEngagements ? [["engagements", formatCount(f.engagements)] as [string, string]] : []),
    ["problems", formatCount(f.problems)],
    ["onTheSpot", formatCount(f.onTheSpot)],
    ["deadlineItems", formatCount(f.deadlineItems)],
    ["leadsTransferred", formatCount(f.leadsTransferred)],
    ["personsSanctioned", formatCount(f.personsSanctioned)],
    ["personsJudicial", formatCount(f.personsJudicial)],
    ["fedBack", formatCount(f.fedBack)],
    ["rectified", formatCount(f.rectified)],
    ["rate", rectificationRate(f.rectified, f.fedBack)],
    ["overdueItems", formatCount(f.overdueItems)],
  ];
  return <FigureCellRow cells={cells} strong={strong} />;
}

interface OrgRow extends FigureCounts {
  orgId: number;
  name: string;
  level: "province" | "city" | "county";
}

/** 本级 + each child (a link down) + 合计: the total is the database's, and equals the sum above it. */
export function OrgFiguresTable({
  own,
  children,
  total,
  href,
}: {
  own: FigureCounts;
  children: OrgRow[];
  total: FigureCounts;
  href: (orgId: number) => string;
}) {
  return (
    <DataTable label={t.childrenTitle} columns={[{ label: t.org }, ...figureColumns]}>
      <Table.Row data-testid="figures-own-row">
        <Table.RowHeaderCell><Text weight="medium">{t.ownRow}</Text></Table.RowHeaderCell>
        <FigureCells f={own} />
      </Table.Row>
      {children.map((c) => (
        <Table.Row key={c.orgId} data-testid="figures-child-row" data-org-id={c.orgId}>
          <Table.RowHeaderCell>
            <Flex gap="2" align="center">
              <Link className="table-link" to={href(c.orgId)}>{c.name}</Link>
              <Badge size="1" variant="soft" color={c.level === "city" ? "orange" : "gray"}>{orgLevelLabel[c.level]}</Badge>
            </Flex>
          </Table.RowHeaderCell>
          <FigureCells f={c} />
        </Table.Row>
      ))}
      <Table.Row data-testid="figures-total-row">
        <Table.RowHeaderCell><Text weight="bold">{t.totalRow}</Text></Table.RowHeaderCell>
        <FigureCells f={total} strong />
      </Table.Row>
    </DataTable>
  );
}

/** Problems by top-level category, each with a plain CSS bar of its share. */
export function CategoryTable({ categories, byCategory }: { categories: { id: number; name: string }[]; byCategory: Record<string, number> }) {
  const total = Object.values(byCategory).reduce((a, b) => a + b, 0);
  if (total === 0) return <Text as="p" color="gray" size="2">{t.noProblems}</Text>;
  const rows = categories
    .map((c) => ({ ...c, n: byCategory[String(c.id)] ?? 0 }))
    .filter((c) => c.n > 0)
    .sort((a, b) => b.n - a.n);
  return (
    <DataTable label={t.categoryTitle} columns={[{ label: t.category }, { label: t.count, align: "end" }, { label: t.shareCol }]}>
      {rows.map((c) => {
        const pct = share(c.n, total);
        return (
          <Table.Row key={c.id} data-testid="category-row">
            <Table.RowHeaderCell style={{ whiteSpace: "nowrap" }}>{c.name}</Table.RowHeaderCell>
            <Table.Cell justify="end" data-figure="count">{formatCount(c.n)}</Table.Cell>
            <Table.Cell style={{ width: "55%" }}>
              <Flex align="center" gap="2">
                <div aria-hidden="true" style={{ flex: 1, height: 12, background: "var(--gray-3)", borderRadius: 3, overflow: "hidden" }}>
                  <div style={{ width: `${pct}%`, height: "100%", background: "var(--crimson-9)" }} />
                </div>
                <Text size="1" color="gray" style={{ width: 44, textAlign: "right" }}>{pct.toFixed(1)}%</Text>
              </Flex>
            </Table.Cell>
          </Table.Row>
        );
      })}
    </DataTable>
  );
}

interface EngagementRow extends FigureCounts {
  id: number;
  unitName: string;
  groupName: string;
  mode: "regular" | "elevated" | "cross";
  round: string;
}

/** The org's own engagements with their figures, each a link to the engagement. */
export function EngagementFiguresTable({ rows, label }: { rows: EngagementRow[]; label: string }) {
  return (
    <DataTable label={label} columns={[{ label: t.unit }, { label: t.roundCol }, ...figureColumns.slice(1)]}>
      {rows.map((e) => (
        <Table.Row key={e.id} data-testid="figures-engagement-row">
          <Table.RowHeaderCell>
            <Link className="table-link" to={`/engagements/${e.id}`}>{e.unitName}</Link>
            <Text as="div" size="1" color="gray">
              {e.groupName}{e.mode !== "regular" ? ` · ${engagementModeLabel[e.mode]}` : ""}
            </Text>
          </Table.RowHeaderCell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}><Text size="1">{e.round}</Text></Table.Cell>
          {/* The engagements column would always be 1 here: left out. */}
          <FigureCells f={e} withEngagements={false} />
        </Table.Row>
      ))}
    </DataTable>
  );
}
