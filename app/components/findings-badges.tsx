import { Badge } from "@radix-ui/themes";
import { disciplineFormLabel, paperStatusLabel, severityLabel, findingsText as t } from "~/lib/messages/findings";
import type { DisciplineForm, PaperStatus, Severity } from "~/lib/schemas/findings";

const statusColors: Record<PaperStatus, "gray" | "orange" | "amber" | "violet" | "green"> = {
  drafting: "gray",
  deputy_review: "orange",
  leader_review: "amber",
  meeting_review: "violet",
  approved: "green",
};

export function PaperStatusBadge({ status }: { status: PaperStatus }) {
  return <Badge color={statusColors[status]} variant="soft" data-testid="paper-status">{paperStatusLabel[status]}</Badge>;
}

const severityColors: Record<Severity, "gray" | "orange" | "red"> = { general: "gray", serious: "orange", grave: "red" };

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge color={severityColors[severity]} variant="outline">{severityLabel[severity]}</Badge>;
}

export const disciplineFormText = (f: DisciplineForm | null) => (f ? disciplineFormLabel[f] : "—");

export function OnTheSpotBadge({ value }: { value: boolean }) {
  return value ? <Badge color="green" variant="soft">{t.papers.onTheSpotYes}</Badge> : <>—</>;
}
