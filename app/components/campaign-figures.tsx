import { Link } from "@remix-run/react";
import { Badge, Button, Table, Text } from "@radix-ui/themes";
import { formatCount, rectificationRate, type FigureCounts } from "~/lib/figures";
import { engagementModeLabel, orgLevelLabel } from "~/lib/messages";
import { campaignsText as t } from "~/lib/messages/campaigns";
import { DataTable } from "./data-table";
import { FigureCellRow, StatCardGrid } from "./figures-tables";

type Level = "province" | "city" | "county";
type Stages = FigureCounts & { stationed: number; fedBackEngagements: number };

/** The headline: engagements planned / stationed / fed back, problems, leads, 整改率. */
export function CampaignStatCards({ f }: { f: Stages }) {
  const cards: [string, string, string][] = [
    [t.statPlanned, formatCount(f.engagements), "campaign-stat-planned"],
    [t.statStationed, formatCount(f.stationed), "campaign-stat-stationed"],
    [t.statFedBack, formatCount(f.fedBackEngagements), "campaign-stat-fed-back"],
    [t.statProblems, formatCount(f.problems), "campaign-stat-problems"],
    [t.statLeads, formatCount(f.leadsTransferred), "campaign-stat-leads"],
    [t.statRate, rectificationRate(f.rectified, f.fedBack), "campaign-stat-rate"],
  ];
  return <StatCardGrid cards={cards} md="6" />;
}

const columns = [
  { label: t.colPlanned, align: "end" as const },
  { label: t.colStationed, align: "end" as const },
  { label: t.colFedBack, align: "end" as const },
  { label: t.colProblems, align: "end" as const },
  { label: t.colLeads, align: "end" as const },
  { label: t.colFedBackProblems, align: "end" as const },
  { label: t.colRectified, align: "end" as const },
  { label: t.colRate, align: "end" as const },
];

function Cells({ f, strong }: { f: Stages; strong?: boolean }) {
  const cells: [string, string][] = [
    ["engagements", formatCount(f.engagements)],
    ["stationed", formatCount(f.stationed)],
    ["fedBackEngagements", formatCount(f.fedBackEngagements)],
    ["problems", formatCount(f.problems)],
    ["leadsTransferred", formatCount(f.leadsTransferred)],
    ["fedBack", formatCount(f.fedBack)],
    ["rectified", formatCount(f.rectified)],
    ["rate", rectificationRate(f.rectified, f.fedBack)],
  ];
  return <FigureCellRow cells={cells} strong={strong} />;
}

const levelColour = (level: Level) => (level === "province" ? "crimson" : level === "city" ? "orange" : "gray");

export function LevelFiguresTable({ rows, total }: { rows: (Stages & { level: Level })[]; total: Stages }) {
  return (
    <DataTable label={t.byLevel} columns={[{ label: t.colLevel }, ...columns]}>
      {rows.map((r) => (
        <Table.Row key={r.level} data-testid="campaign-level-row" data-level={r.level}>
          <Table.RowHeaderCell>{orgLevelLabel[r.level]}</Table.RowHeaderCell>
          <Cells f={r} />
        </Table.Row>
      ))}
      <Table.Row data-testid="campaign-level-total">
        <Table.RowHeaderCell><Text weight="bold">{t.totalRow}</Text></Table.RowHeaderCell>
        <Cells f={total} strong />
      </Table.Row>
    </DataTable>
  );
}

export function OrgFiguresTable({ rows, total, launcherId }: {
  rows: (Stages & { orgId: number; name: string; level: Level })[];
  total: Stages;
  launcherId: number;
}) {
  return (
    <DataTable label={t.byOrg} columns={[{ label: t.colOrg }, ...columns]}>
      {rows.map((r) => (
        <Table.Row key={r.orgId} data-testid="campaign-org-row" data-org-id={r.orgId}>
          <Table.RowHeaderCell style={{ whiteSpace: "nowrap" }}>
            {r.name}
            <Badge size="1" ml="2" variant="soft" color={levelColour(r.level)}>
              {r.orgId === launcherId ? t.launcherRow : orgLevelLabel[r.level]}
            </Badge>
          </Table.RowHeaderCell>
          <Cells f={r} />
        </Table.Row>
      ))}
      <Table.Row data-testid="campaign-org-total">
        <Table.RowHeaderCell><Text weight="bold">{t.totalRow}</Text></Table.RowHeaderCell>
        <Cells f={total} strong />
      </Table.Row>
    </DataTable>
  );
}

export interface CampaignEngagement extends FigureCounts {
  id: number;
  orgName: string;
  unitName: string;
  groupName: string;
  mode: "regular" | "elevated" | "cross";
  stationedOn: string | null;
  feedbackOn: string | null;
}

/** The campaign's engagements the reader counts, each a link to the engagement. */
export function CampaignEngagementsTable({ rows, label }: { rows: CampaignEngagement[]; label: string }) {
  return (
    <DataTable
      label={label}
      columns={[
        { label: t.colUnit }, { label: t.colOrg }, { label: t.colStationedOn }, { label: t.colFeedbackOn },
        { label: t.colProblems, align: "end" }, { label: t.colLeads, align: "end" }, { label: t.colRate, align: "end" },
      ]}
    >
      {rows.map((e) => (
        <Table.Row key={e.id} data-testid="campaign-engagement-row">
          <Table.RowHeaderCell>
            <Link className="table-link" to={`/engagements/${e.id}`}>{e.unitName}</Link>
            <Text as="div" size="1" color="gray">{e.groupName}{e.mode !== "regular" ? ` · ${engagementModeLabel[e.mode]}` : ""}</Text>
          </Table.RowHeaderCell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{e.orgName}</Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{e.stationedOn ?? "—"}</Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{e.feedbackOn ?? "—"}</Table.Cell>
          <Table.Cell justify="end">{formatCount(e.problems)}</Table.Cell>
          <Table.Cell justify="end">{formatCount(e.leadsTransferred)}</Table.Cell>
          <Table.Cell justify="end">{rectificationRate(e.rectified, e.fedBack)}</Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}

export interface Recurring {
  categoryId: number;
  name: string;
  topName: string | null;
  units: number;
  problems: number;
  href: string | null;
}

/** Second-level categories found in several units: the candidates of a thematic report. */
export function RecurringTable({ rows }: { rows: Recurring[] }) {
  const withLinks = rows.some((r) => r.href);
  return (
    <DataTable
      label={t.recurring}
      columns={[
        { label: t.colSubcategory }, { label: t.colUnits, align: "end" }, { label: t.colRecurringProblems, align: "end" },
        ...(withLinks ? [{ label: t.colActions }] : []),
      ]}
    >
      {rows.map((r) => (
        <Table.Row key={r.categoryId} data-testid="recurring-row" data-category-id={r.categoryId}>
          <Table.RowHeaderCell>
            {r.name}
            {r.topName ? <Text as="div" size="1" color="gray">{r.topName}</Text> : null}
          </Table.RowHeaderCell>
          <Table.Cell justify="end" data-figure="units">{formatCount(r.units)}</Table.Cell>
          <Table.Cell justify="end" data-figure="problems">{formatCount(r.problems)}</Table.Cell>
          {withLinks ? (
            <Table.Cell>
              {r.href ? (
                <Button asChild size="1" variant="soft"><Link to={r.href}>{t.assembleCategory}</Link></Button>
              ) : null}
            </Table.Cell>
          ) : null}
        </Table.Row>
      ))}
    </DataTable>
  );
}
