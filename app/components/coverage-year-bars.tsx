import { Flex, Text } from "@radix-ui/themes";
import type { YearBar } from "~/lib/coverage";
import { coverageText as t } from "~/lib/messages/coverage";

const track: React.CSSProperties = {
  position: "relative",
  flex: 1,
  height: 18,
  background: "var(--gray-3)",
  borderRadius: 4,
  overflow: "hidden",
};

/**
 * One bar per year of the term: covered in that year (green) then still open and planned
 * for it (amber; red when overdue or above the past pace), with the pace as a dashed line.
 * Plain CSS: the numbers are written next to each bar, so nothing depends on the drawing.
 */
export function CoverageYearBars({ years, pace }: { years: YearBar[]; pace: number | null }) {
  const max = Math.max(1, pace ?? 0, ...years.map((y) => y.covered + y.remaining));
  const pct = (n: number) => `${(n / max) * 100}%`;
  return (
    <ul aria-label={t.yearsTitle} style={{ listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: 10 }}>
      {years.map((y) => {
        const openColor = y.past ? "var(--red-9)" : y.atRisk ? "var(--red-8)" : "var(--amber-8)";
        return (
          <li key={y.year} data-testid="year-bar" data-year={y.year}>
            <Flex align="center" gap="3">
              <Text size="2" weight="medium" style={{ width: 64, flexShrink: 0 }}>{t.yearLabel(y.year)}</Text>
              <div style={track} aria-hidden="true">
                <div style={{ position: "absolute", left: 0, top: 0, bottom: 0, width: pct(y.covered), background: "var(--green-9)" }} />
                <div
                  style={{
                    position: "absolute",
                    left: pct(y.covered),
                    top: 0,
                    bottom: 0,
                    width: pct(y.remaining),
                    background: openColor,
                  }}
                />
                {pace !== null ? (
                  <div style={{ position: "absolute", left: pct(pace), top: -2, bottom: -2, borderLeft: "2px dashed var(--gray-11)" }} />
                ) : null}
              </div>
              <Text size="2" style={{ width: 200, flexShrink: 0 }}>
                <Text color="green">{t.yearCovered(y.covered)}</Text>
                {y.remaining ? (
                  <>
                    {" · "}
                    <Text color={y.past || y.atRisk ? "red" : "amber"} weight={y.atRisk || y.past ? "bold" : undefined} data-testid="year-remaining">
                      {y.past ? t.yearOverdue(y.remaining) : t.yearRemaining(y.remaining)}
                    </Text>
                  </>
                ) : null}
              </Text>
            </Flex>
          </li>
        );
      })}
    </ul>
  );
}
