import { useEffect, useRef, useState } from "react";
import type { ECharts, EChartsCoreOption } from "./chart-echarts";

/** What a click on a chart element tells the page: the series and the category's index. */
export interface ChartClick {
  seriesIndex: number;
  dataIndex: number;
  name: string;
}

let loading: Promise<typeof import("./chart-echarts")> | undefined;
const loadECharts = () => (loading ??= import("./chart-echarts"));

/**
 * An ECharts chart, drawn in the browser only: the server renders a placeholder of the
 * same size (so nothing moves when the chart appears). The chart is created on mount
 * with the page's own font (so Chinese renders in the CJK font the page uses), follows
 * its container's size, takes each new option as a whole, and is disposed on unmount.
 *
 * The drawing is hidden from assistive technology: every chart of the app comes with a
 * table of the same numbers.
 */
export function Chart({
  option,
  height,
  label,
  onClick,
  testId,
}: {
  option: EChartsCoreOption;
  height: number;
  /** The chart's title, for the placeholder and the tests. */
  label: string;
  onClick?: (e: ChartClick) => void;
  testId?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    loadECharts().then(({ createChart }) => {
      if (disposed || !el.current) return;
      const instance = createChart(el.current);
      chart.current = instance;
      instance.on("click", (p) => {
        const e = p as { seriesIndex?: number; dataIndex?: number; name?: string };
        click.current?.({ seriesIndex: e.seriesIndex ?? 0, dataIndex: e.dataIndex ?? 0, name: e.name ?? "" });
      });
      observer = new ResizeObserver(() => instance.resize());
      observer.observe(el.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!ready || !instance || !el.current) return;
    // Canvas and SVG text do not inherit the page's CSS: give every text the page's font.
    const fontFamily = getComputedStyle(el.current).fontFamily;
    const o = option as { textStyle?: object; tooltip?: { textStyle?: object } };
    // No motion for those who asked for none (and for screenshots taken that way).
    const still = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
    instance.setOption(
      {
        ...option,
        ...(still ? { animation: false } : {}),
        textStyle: { fontFamily, ...o.textStyle },
        ...(o.tooltip ? { tooltip: { ...o.tooltip, textStyle: { fontFamily, ...o.tooltip.textStyle } } } : {}),
      },
      { notMerge: true },
    );
  }, [ready, option]);

  return (
    <div
      ref={el}
      aria-hidden="true"
      data-testid={testId}
      data-chart={label}
      data-ready={ready ? "true" : "false"}
      style={{ width: "100%", height, position: "relative" }}
    />
  );
}
