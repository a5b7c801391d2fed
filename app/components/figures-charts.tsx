import { useMemo, useState } from "react";
import { Link, useNavigate } from "@remix-run/react";
import { Box, Card, Flex, Heading, SegmentedControl, Table, Text } from "@radix-ui/themes";
import { formatCount } from "~/lib/figures";
import { cellText, rateValue, type DashboardRow, type DashboardTable, type TableId } from "~/lib/figures-dashboard";
import { figuresText as t } from "~/lib/messages/figures";
import { Chart, type ChartClick } from "./chart";
import type { EChartsCoreOption } from "./chart-echarts";

/**
 * The dashboard's panels: each a chart and its table view (图表/表格), both drawn from the
 * same DashboardTable. The table is always in the page: visible in table view, and in
 * chart view hidden visually but read by assistive technology (the drawing itself is
 * aria-hidden).
 */

const COLOR = {
  red: "#c0263c",
  orange: "#e8913a",
  blue: "#3e6fb0",
  green: "#2f9e6e",
  purple: "#7a4fb5",
  slate: "#5b5f6b",
  pale: "#dcd6ce",
  overdue: "#d64545",
};

const AXIS_LABEL = "#3a3a3a";
const GRID_LINE = "#ecebe8";

/** 哈尔滨市委巡察办 → 哈尔滨市委: short enough for an axis, still the office's name. */
export function shortOrgName(name: string): string {
  return name.replace(/(巡视|巡察)办$/, "");
}

const axisName = (table: DashboardTable, row: DashboardRow) => (row.kind === "child" ? shortOrgName(row.label) : row.label);

/** Rows drawn: the table's rows (the 合计 stays in the table and the title). */
const num = (row: DashboardRow, key: string) => (typeof row.values[key] === "number" ? (row.values[key] as number) : 0);

const countLabel = (v: unknown) => (typeof v === "number" && v > 0 ? formatCount(v) : "");

interface SeriesSpec {
  key: string;
  name: string;
  color: string;
}

/** Rows of horizontal bars, one group per row (本级, each child, or each engagement). */
function barsOption(table: DashboardTable, series: SeriesSpec[], o: { label?: (row: DashboardRow, key: string) => string } = {}): EChartsCoreOption {
  const rows = table.rows;
  return {
    animationDuration: 400,
    legend: series.length > 1 ? { top: 0, left: 0, itemWidth: 12, itemHeight: 12, textStyle: { fontSize: 13, color: AXIS_LABEL } } : undefined,
    grid: { left: 4, right: 56, top: series.length > 1 ? 34 : 6, bottom: 4, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v: unknown) => (typeof v === "number" ? formatCount(v) : "—") },
    xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: GRID_LINE } }, axisLabel: { color: "#777", fontSize: 12 } },
    yAxis: {
      type: "category",
      inverse: true,
      data: rows.map((r) => axisName(table, r)),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: "#c8c4bd" } },
      axisLabel: { color: AXIS_LABEL, fontSize: 13, width: 170, overflow: "truncate" },
    },
    series: series.map((s, si) => ({
      type: "bar",
      name: s.name,
      data: rows.map((r) => num(r, s.key)),
      itemStyle: { color: s.color, borderRadius: [0, 3, 3, 0] },
      barMaxWidth: 16,
      barGap: "20%",
      label: {
        show: true,
        position: "right",
        fontSize: 12,
        color: "#444",
        formatter: (p: { dataIndex: number; value: unknown }) => {
          const row = rows[p.dataIndex];
          if (o.label) return o.label(row, s.key);
          // A row with nothing at all says 0 once (on its middle bar), not three times.
          if (series.every((x) => num(row, x.key) === 0)) return si === Math.floor((series.length - 1) / 2) ? "0" : "";
          return countLabel(p.value);
        },
      },
    })),
  };
}

function coverageOption(table: DashboardTable): EChartsCoreOption {
  const total = table.total!;
  const covered = num(total, "covered");
  const uncovered = num(total, "uncovered");
  const withBars = table.rows.some((r) => r.kind === "child");
  const donutCenter = withBars ? ["16%", "48%"] : ["50%", "46%"];
  const option: EChartsCoreOption = {
    animationDuration: 400,
    color: [COLOR.green, COLOR.pale],
    legend: { bottom: 0, left: withBars ? "4%" : "center", itemWidth: 12, itemHeight: 12, data: [t.colCovered, t.colUncovered], textStyle: { fontSize: 13 } },
    tooltip: { trigger: "item", valueFormatter: (v: unknown) => (typeof v === "number" ? formatCount(v) : "—") },
    series: [
      {
        type: "pie",
        name: t.totalRow,
        // In pixels: a tall chart (many child offices) must not blow the donut up.
        radius: [76, 108],
        center: donutCenter,
        label: { show: false },
        emphasis: { scale: false },
        data: [
          {
            name: t.colCovered,
            value: covered,
            // The rate in the donut's hole (on the first slice only, and kept on hover).
            label: {
              show: true,
              position: "center",
              formatter: `{rate|${total.values.rate}}\n{caption|${t.colCoverageRate}}`,
              rich: {
                rate: { fontSize: 28, fontWeight: "bold", color: "#1f1f1f", lineHeight: 36 },
                caption: { fontSize: 13, color: "#777", lineHeight: 20 },
              },
            },
          },
          { name: t.colUncovered, value: uncovered, label: { show: false }, emphasis: { label: { show: false } } },
        ],
      },
    ],
  };
  if (!withBars) return option;
  const rows = table.rows;
  return {
    ...option,
    tooltip: { trigger: "item", valueFormatter: (v: unknown) => (typeof v === "number" ? formatCount(v) : "—") },
    grid: { left: "36%", right: 64, top: 6, bottom: 30, containLabel: true },
    xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: GRID_LINE } }, axisLabel: { color: "#777", fontSize: 12 } },
    yAxis: {
      type: "category",
      inverse: true,
      data: rows.map((r) => axisName(table, r)),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: "#c8c4bd" } },
      axisLabel: { color: AXIS_LABEL, fontSize: 13, width: 150, overflow: "truncate" },
    },
    series: [
      ...(option.series as object[]),
      ...(["covered", "uncovered"] as const).map((key, i) => ({
        type: "bar",
        name: key === "covered" ? t.colCovered : t.colUncovered,
        stack: "coverage",
        data: rows.map((r) => num(r, key)),
        itemStyle: { color: i === 0 ? COLOR.green : COLOR.pale },
        barMaxWidth: 16,
        label:
          key === "uncovered"
            ? {
                show: true,
                position: "right",
                fontSize: 12,
                color: "#444",
                // The rate at the end of each bar; nothing for an office without a plan.
                formatter: (p: { dataIndex: number }) => String(rows[p.dataIndex].values.rate),
              }
            : { show: false },
      })),
    ],
  };
}

function categoriesOption(table: DashboardTable): EChartsCoreOption {
  return barsOption(table, [{ key: "problems", name: t.count, color: COLOR.red }], {
    label: (row) => `${formatCount(num(row, "problems"))}（${row.values.share}）`,
  });
}

function rankingOption(table: DashboardTable): EChartsCoreOption {
  const option = barsOption(table, [{ key: "problems", name: t.count, color: COLOR.orange }], {
    label: (row) => `${formatCount(num(row, "problems"))}（${formatCount(num(row, "engagements"))}个次）`,
  });
  return {
    ...option,
    grid: { left: 4, right: 96, top: 6, bottom: 4, containLabel: true },
    tooltip: {
      trigger: "item",
      formatter: (p: { dataIndex: number }) => {
        const r = table.rows[p.dataIndex];
        return `${r.values.topName} · ${r.label}<br/>${t.count}：${formatCount(num(r, "problems"))}<br/>${t.colInvolved}：${formatCount(num(r, "engagements"))}`;
      },
    },
  };
}

function rectificationOption(table: DashboardTable): EChartsCoreOption {
  const totalRate = rateValue(table.total?.values.rate);
  const option = barsOption(table, [{ key: "rate", name: t.rate, color: COLOR.green }], {
    label: (row) => (rateValue(row.values.rate) === null ? "—" : String(row.values.rate)),
  });
  const series = (option.series as Record<string, unknown>[])[0];
  return {
    ...option,
    grid: { left: 4, right: 72, top: 22, bottom: 4, containLabel: true },
    xAxis: { type: "value", min: 0, max: 100, splitLine: { lineStyle: { color: GRID_LINE } }, axisLabel: { color: "#777", fontSize: 12, formatter: "{value}%" } },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (ps: { dataIndex: number }[]) => {
        const r = table.rows[ps[0]?.dataIndex ?? 0];
        return `${r.label}<br/>${t.rate}：${r.values.rate}<br/>${t.rectified} ${formatCount(num(r, "rectified"))} / ${t.fedBack} ${formatCount(num(r, "fedBack"))}`;
      },
    },
    series: [
      {
        ...series,
        // Nothing fed back: no bar, and the label says "—".
        data: table.rows.map((r) => rateValue(r.values.rate) ?? 0),
        markLine:
          totalRate === null
            ? undefined
            : {
                silent: true,
                symbol: "none",
                lineStyle: { type: "dashed", color: COLOR.red, width: 1.5 },
                label: { formatter: t.totalRate(String(table.total!.values.rate)), position: "start", color: COLOR.red, fontSize: 12 },
                data: [{ xAxis: totalRate }],
              },
      },
    ],
  };
}

const OPTIONS: Record<TableId, (table: DashboardTable) => EChartsCoreOption> = {
  coverage: coverageOption,
  categories: categoriesOption,
  ranking: rankingOption,
  problems: (table) =>
    barsOption(table, [
      { key: "problems", name: t.problems, color: COLOR.red },
      { key: "onTheSpot", name: t.onTheSpot, color: COLOR.orange },
      { key: "deadlineItems", name: t.deadlineItems, color: COLOR.blue },
    ]),
  leads: (table) =>
    barsOption(table, [
      { key: "leadsTransferred", name: t.leadsTransferred, color: COLOR.purple },
      { key: "personsSanctioned", name: t.personsSanctioned, color: COLOR.red },
      { key: "personsJudicial", name: t.personsJudicial, color: COLOR.slate },
    ]),
  rectification: rectificationOption,
  overdue: (table) => barsOption(table, [{ key: "overdueItems", name: t.overdue, color: COLOR.overdue }]),
};

const SERIES_PER_ROW: Partial<Record<TableId, number>> = { problems: 3, leads: 3 };

/** The drawing's height for a table: a band per row, so labels never crowd. */
export function chartHeight(table: DashboardTable): number {
  const n = Math.max(1, table.rows.length);
  if (table.id === "coverage") return table.rows.some((r) => r.kind === "child") ? Math.max(280, 40 + n * 30) : 280;
  const k = SERIES_PER_ROW[table.id as TableId] ?? 1;
  const band = k === 1 ? 30 : 42;
  const top = k > 1 ? 34 : table.id === "rectification" ? 22 : 6;
  return Math.max(200, top + n * band + 30);
}

/** Where a row leads: a child office's figures, an engagement, or the org's own engagements below. */
export type RowHref = (row: DashboardRow, table: DashboardTable["id"]) => string | undefined;

export function ChartPanel({ table, hrefOf, height }: { table: DashboardTable; hrefOf: RowHref; height?: number }) {
  const [view, setView] = useState<"chart" | "table">("chart");
  const navigate = useNavigate();
  const option = useMemo(() => OPTIONS[table.id as TableId](table), [table]);
  const drawn = table.rows.length > 0 || table.id === "coverage";
  const onClick = (e: ChartClick) => {
    // Bars are per row; the coverage donut (series 0) is the total.
    if (table.id === "coverage" && e.seriesIndex === 0) return;
    const row = table.rows[e.dataIndex];
    const href = row ? hrefOf(row, table.id) : undefined;
    if (href?.startsWith("#")) document.getElementById(href.slice(1))?.scrollIntoView({ behavior: "smooth" });
    else if (href) navigate(href);
  };
  return (
    <Card size="2" data-testid={`panel-${table.id}`} style={{ height: "100%" }}>
      <Flex justify="between" align="start" gap="3" mb="2">
        <Box>
          <Heading as="h3" size="4" id={`panel-${table.id}-title`}>{table.title}</Heading>
          <Text as="p" size="1" color="gray" mt="1">{table.note}</Text>
        </Box>
        <SegmentedControl.Root size="1" value={view} onValueChange={(v) => setView(v as "chart" | "table")} aria-label={t.viewLabel(table.title)} style={{ flexShrink: 0 }}>
          <SegmentedControl.Item value="chart">{t.viewChart}</SegmentedControl.Item>
          <SegmentedControl.Item value="table">{t.viewTable}</SegmentedControl.Item>
        </SegmentedControl.Root>
      </Flex>
      {view === "chart" ? (
        drawn ? (
          <Chart option={option} height={height ?? chartHeight(table)} label={table.title} onClick={onClick} testId={`chart-${table.id}`} />
        ) : (
          <Text as="p" color="gray" size="2" my="4">{t.noProblems}</Text>
        )
      ) : null}
      <div className={view === "chart" ? "visually-hidden" : undefined} data-testid={`table-view-${table.id}`}>
        <DashboardTableView table={table} hrefOf={view === "table" ? hrefOf : () => undefined} />
      </div>
    </Card>
  );
}

/** A dashboard table: the chart's numbers, row by row, with the 合计 when it has one. */
export function DashboardTableView({ table, hrefOf }: { table: DashboardTable; hrefOf: RowHref }) {
  return (
    <Table.Root size="1" variant="ghost" aria-labelledby={undefined}>
      <caption className="visually-hidden">{table.title}</caption>
      <Table.Header>
        <Table.Row>
          {(table.leading ?? []).map((c) => (
            <Table.ColumnHeaderCell key={c.key} style={{ whiteSpace: "nowrap", width: "1%" }}>{c.label}</Table.ColumnHeaderCell>
          ))}
          <Table.ColumnHeaderCell>{table.head}</Table.ColumnHeaderCell>
          {table.columns.map((c) => (
            <Table.ColumnHeaderCell key={c.key} justify={c.kind === "text" ? "start" : "end"} style={{ whiteSpace: "nowrap" }}>{c.label}</Table.ColumnHeaderCell>
          ))}
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {table.rows.length === 0 ? (
          <Table.Row>
            <Table.Cell colSpan={table.columns.length + (table.leading?.length ?? 0) + 1}><Text color="gray" size="2">{t.noProblems}</Text></Table.Cell>
          </Table.Row>
        ) : null}
        {table.rows.map((r) => (
          <DashboardRowView key={r.key} table={table} row={r} href={hrefOf(r, table.id)} />
        ))}
        {table.total ? <DashboardRowView table={table} row={table.total} strong /> : null}
      </Table.Body>
    </Table.Root>
  );
}

function DashboardRowView({ table, row, href, strong }: { table: DashboardTable; row: DashboardRow; href?: string; strong?: boolean }) {
  // The category table keeps the test ids the figures page always had.
  const testId = row.kind === "total" ? "dash-total" : table.id === "categories" ? "category-row" : "dash-row";
  return (
    <Table.Row data-testid={testId} data-row-kind={row.kind} data-org-id={row.orgId} data-engagement-id={row.engagementId}>
      {(table.leading ?? []).map((c) => (
        <Table.Cell key={c.key} data-figure={c.key}>{cellText(c, row.values[c.key])}</Table.Cell>
      ))}
      <Table.RowHeaderCell>
        {href ? (
          href.startsWith("#") ? <a className="table-link" href={href}>{row.label}</a> : <Link className="table-link" to={href}>{row.label}</Link>
        ) : (
          <Text weight={strong ? "bold" : undefined}>{row.label}</Text>
        )}
        {row.sub ? <Text as="div" size="1" color="gray">{row.sub}</Text> : null}
      </Table.RowHeaderCell>
      {table.columns.map((c) => (
        <Table.Cell
          key={c.key}
          justify={c.kind === "text" ? "start" : "end"}
          data-figure={table.id === "categories" && c.key === "problems" ? "count" : c.key}
          style={{ whiteSpace: "nowrap" }}
        >
          {strong ? <Text weight="bold">{cellText(c, row.values[c.key])}</Text> : cellText(c, row.values[c.key])}
        </Table.Cell>
      ))}
    </Table.Row>
  );
}
