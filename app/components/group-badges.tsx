import { Badge } from "@radix-ui/themes";
import { engagementModeLabel, evaluationGradeLabel, groupRoleLabel } from "~/lib/messages";
import { groupsText as t } from "~/lib/messages/groups";
import type { EngagementMode } from "~/lib/group-rules";
import type { EvaluationGrade, GroupRole } from "~/lib/schemas/group";

const modeColors: Record<EngagementMode, "gray" | "orange" | "violet"> = { regular: "gray", elevated: "orange", cross: "violet" };

export function EngagementModeBadge({ mode }: { mode: EngagementMode }) {
  return <Badge color={modeColors[mode]} variant="soft" data-mode={mode}>{engagementModeLabel[mode]}</Badge>;
}

export function GroupRoleBadge({ role }: { role: GroupRole }) {
  return <Badge color={role === "leader" ? "crimson" : role === "deputy" ? "blue" : "gray"} variant={role === "member" ? "outline" : "soft"}>{groupRoleLabel[role]}</Badge>;
}

export function RotationBadge() {
  return <Badge color="amber" variant="soft" data-testid="rotation-badge">{t.rotationBadge}</Badge>;
}

const gradeColors: Record<EvaluationGrade, "green" | "blue" | "amber" | "red"> = { excellent: "green", competent: "blue", basic: "amber", incompetent: "red" };

export function EvaluationBadge({ grade }: { grade: EvaluationGrade | null }) {
  return grade ? <Badge color={gradeColors[grade]} variant="soft">{evaluationGradeLabel[grade]}</Badge> : <>{t.notEvaluated}</>;
}
