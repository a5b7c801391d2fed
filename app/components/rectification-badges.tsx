import { Badge } from "@radix-ui/themes";
import {
  deadlineColourHint,
  deadlineColourLabel,
  itemStatusLabel,
  noticeLevelLabel,
  planStateLabel,
  rectificationKindLabel,
  reviewStatusLabel,
} from "~/lib/messages/rectification";
import type { DeadlineColour, ItemStatus, NoticeLevel, RectificationKind, ReviewStatus } from "~/lib/rectification";
import type { PlanState } from "~/models/rectification.server";

type Colour = "gray" | "green" | "amber" | "red" | "blue" | "cyan" | "orange";

const itemColours: Record<ItemStatus, Colour> = { open: "orange", unit_confirmed: "blue", closed: "green" };
const reviewColours: Record<ReviewStatus, Colour> = { submitted: "blue", accepted: "green", returned: "red" };
const planColours: Record<PlanState, Colour> = { none: "gray", ...reviewColours };
const warningColours: Record<DeadlineColour, Colour> = { green: "green", yellow: "amber", red: "red" };
const noticeColours: Record<NoticeLevel, Colour> = { info: "gray", ...warningColours };

export function ItemStatusBadge({ status }: { status: ItemStatus }) {
  return <Badge color={itemColours[status]} variant="soft" data-testid="item-status">{itemStatusLabel[status]}</Badge>;
}

export function ReviewStatusBadge({ status }: { status: ReviewStatus }) {
  return <Badge color={reviewColours[status]} variant="soft" data-testid="review-status">{reviewStatusLabel[status]}</Badge>;
}

export function PlanStateBadge({ state }: { state: PlanState }) {
  return <Badge color={planColours[state]} variant="soft">{planStateLabel[state]}</Badge>;
}

export function KindBadge({ kind }: { kind: RectificationKind }) {
  return <Badge color={kind === "immediate" ? "red" : kind === "deadline" ? "blue" : "gray"} variant="outline">{rectificationKindLabel[kind]}</Badge>;
}

/** The deadline warning: 绿 / 黄 / 红 with what it means, or a dash when none is due. */
export function DeadlineBadge({ colour }: { colour: DeadlineColour | null }) {
  if (!colour) return <span aria-label="无预警">—</span>;
  return (
    <Badge color={warningColours[colour]} variant="solid" data-testid="deadline-colour" data-colour={colour}
      title={deadlineColourHint[colour]}>
      {deadlineColourLabel[colour]}·{deadlineColourHint[colour]}
    </Badge>
  );
}

export function NoticeLevelBadge({ level }: { level: NoticeLevel }) {
  return (
    <Badge color={noticeColours[level]} variant={level === "info" ? "soft" : "solid"} data-testid="notice-level" data-level={level}>
      {noticeLevelLabel[level]}
    </Badge>
  );
}
