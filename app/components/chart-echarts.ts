/**
 * ECharts, only the parts the dashboard uses (bar and pie charts, grid, tooltip, legend,
 * mark lines, the SVG renderer), registered once. Loaded by app/components/chart.tsx
 * in the browser only (a dynamic import), so neither the server bundle nor the first
 * paint carries it.
 */
import { init, use, type ECharts, type EChartsCoreOption } from "echarts/core";
import { BarChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

use([BarChart, PieChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

export type { ECharts, EChartsCoreOption };

export function createChart(el: HTMLElement): ECharts {
  // SVG: crisp at any size (an office shows this on a big screen), text in the page's fonts.
  return init(el, undefined, { renderer: "svg", locale: "ZH" });
}
