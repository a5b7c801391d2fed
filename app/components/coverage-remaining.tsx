import { Badge, Card, Flex, Heading, Text } from "@radix-ui/themes";
import type { RemainingGroup } from "~/lib/coverage";
import { coverageText as t } from "~/lib/messages/coverage";

const chip: React.CSSProperties = {
  display: "inline-flex",
  alignItems: "center",
  gap: 4,
  padding: "2px 8px",
  border: "1px solid var(--gray-5)",
  borderRadius: 4,
  background: "white",
  fontSize: "var(--font-size-2)",
};

/** The objects not yet covered, one card per planned year (overdue first, 未排期 last). */
export function CoverageRemaining({ groups, riskYears }: { groups: RemainingGroup[]; riskYears: number[] }) {
  if (!groups.length) return <Text as="p" color="green">{t.remainingNone}</Text>;
  return (
    <Flex direction="column" gap="3">
      {groups.map((g) => {
        const risky = g.year !== null && riskYears.includes(g.year);
        const title = g.year === null ? t.unscheduled : g.overdue ? t.overdueGroup(g.year) : t.yearLabel(g.year);
        return (
          <Card key={g.year ?? "none"} size="2" data-testid="remaining-group" data-year={g.year ?? "none"}>
            <Flex align="center" gap="2" mb="2">
              <Heading as="h3" size="3">{title}</Heading>
              <Badge color={g.overdue || risky ? "red" : g.year === null ? "gray" : "amber"} variant="soft" data-testid="remaining-count">
                {t.remainingCount(g.objects.length)}
              </Badge>
            </Flex>
            <ul style={{ listStyle: "none", margin: 0, padding: 0, display: "flex", flexWrap: "wrap", gap: 6 }}>
              {g.objects.map((o) => (
                <li key={o.id} style={chip}>
                  <span>{o.unitName}</span>
                  {o.kind === "elevated" ? <Badge size="1" color="purple" variant="soft">{t.elevatedBadge}</Badge> : null}
                  {o.scheduled ? <Badge size="1" color="blue" variant="soft">{t.scheduledBadge}</Badge> : null}
                </li>
              ))}
            </ul>
          </Card>
        );
      })}
    </Flex>
  );
}
