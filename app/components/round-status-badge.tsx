import { Badge } from "@radix-ui/themes";
import { roundStatusLabel } from "~/lib/messages";
import type { RoundStatus } from "~/lib/schemas/round";

const colors: Record<RoundStatus, "gray" | "amber" | "blue" | "crimson" | "orange" | "violet" | "green" | "cyan"> = {
  draft: "gray",
  submitted: "amber",
  approved: "blue",
  stationed: "crimson",
  reporting: "orange",
  feedback: "violet",
  rectification: "cyan",
  closed: "green",
};

export function RoundStatusBadge({ status }: { status: RoundStatus }) {
  return <Badge color={colors[status]} variant="soft">{roundStatusLabel[status]}</Badge>;
}
