import { Badge } from "@radix-ui/themes";
import { engagementModeLabel } from "~/lib/messages";
import { engagementStatusLabel, engagementsText as t } from "~/lib/messages/engagements";
import type { EngagementMode, EngagementStatus } from "~/lib/schemas/engagement";

const statusColors: Record<EngagementStatus, "gray" | "crimson" | "orange" | "blue" | "violet" | "cyan"> = {
  planned: "gray",
  stationed: "crimson",
  withdrawn: "orange",
  reported: "blue",
  feedback: "violet",
  rectifying: "cyan",
};

export function EngagementStatusBadge({ status }: { status: EngagementStatus }) {
  return <Badge color={statusColors[status]} variant="soft">{engagementStatusLabel[status]}</Badge>;
}

/**
 * The mode of a patrol. Seen from the inspected unit's own office (the target of an
 * elevated or cross patrol, which does not run it), it says who does: "上级提级巡察",
 * "交叉巡察（由道里区委巡察组）".
 */
export function EngagementModeBadge({
  mode,
  targetView,
  executingOrgName,
}: {
  mode: EngagementMode;
  targetView: boolean;
  executingOrgName: string;
}) {
  if (targetView && mode === "elevated") {
    return <Badge color="amber" variant="solid" data-testid="mode-badge">{t.badgeElevated}</Badge>;
  }
  if (targetView && mode === "cross") {
    return <Badge color="iris" variant="solid" data-testid="mode-badge">{t.badgeCross(t.officeGroups(executingOrgName))}</Badge>;
  }
  const color = mode === "regular" ? "gray" : mode === "elevated" ? "amber" : "iris";
  return <Badge color={color} variant="soft" data-testid="mode-badge">{engagementModeLabel[mode]}</Badge>;
}
