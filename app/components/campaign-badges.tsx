import { Badge } from "@radix-ui/themes";
import { campaignStatusLabel } from "~/lib/messages/campaigns";
import type { CampaignStatus } from "~/lib/schemas/campaigns";

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  return (
    <Badge color={status === "active" ? "green" : "gray"} variant="soft" data-testid="campaign-status" data-status={status}>
      {campaignStatusLabel[status]}
    </Badge>
  );
}
