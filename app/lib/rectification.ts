/**
 * Rectification (整改): pure helpers shared by the loaders and the pages.
 *
 * The deadline colours are the ones public.run_deadline_warnings sends (the scheduled
 * job), so the 督查清单 shows the same colour the responsible person was notified with:
 *   green  from 20 days before the deadline,
 *   yellow from 10 days before,
 *   red    once the deadline has passed (the deadline day itself is still yellow).
 */

export type DeadlineColour = "green" | "yellow" | "red";
export type ItemStatus = "open" | "unit_confirmed" | "closed";
export type RectificationKind = "immediate" | "deadline" | "long_term";
export type ReviewStatus = "submitted" | "accepted" | "returned";
export type ReportKind = "plan" | "progress";
export type NoticeLevel = "info" | "green" | "yellow" | "red";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whole days from `from` to `to` (ISO dates, YYYY-MM-DD): positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  const a = ISO_DATE.exec(from);
  const b = ISO_DATE.exec(to);
  if (!a || !b) throw new RangeError(`not an ISO date: ${a ? to : from}`);
  const utc = (m: RegExpExecArray) => Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round((utc(b) - utc(a)) / 86_400_000);
}

/**
 * The warning colour of a deadline on `today`, or null when none is due yet (more than
 * 20 days ahead) or the item has no deadline (长期坚持).
 */
export function deadlineColour(deadline: string | null, today: string): DeadlineColour | null {
  if (!deadline) return null;
  const left = daysBetween(today, deadline);
  if (left < 0) return "red";
  if (left <= 10) return "yellow";
  if (left <= 20) return "green";
  return null;
}

/**
 * The colour an item shows in the 督查清单: only an open item is warned about (the job
 * skips items the unit has confirmed or the office has closed).
 */
export function itemColour(item: { status: ItemStatus; deadline: string | null }, today: string): DeadlineColour | null {
  return item.status === "open" ? deadlineColour(item.deadline, today) : null;
}

/** Days past the deadline (0 when not overdue). */
export function daysOverdue(deadline: string | null, today: string): number {
  return deadline ? Math.max(0, daysBetween(deadline, today)) : 0;
}

/** Today's date in Beijing, as deadlines are written. */
export function beijingToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * A link inside the app, safe to navigate to: a path on this origin, never a
 * protocol-relative or absolute URL (the database allows only path characters, but a
 * leading "//" would still leave the site).
 */
export function safeAppLink(link: string | null | undefined): string | null {
  if (!link || !link.startsWith("/") || link.startsWith("//") || link.includes("\\")) return null;
  return link;
}

/** The report the unit may submit next: the plan until it is accepted, then progress reports. */
export function nextReportKind(
  reports: { kind: ReportKind; status: ReviewStatus }[],
): { kind: ReportKind; blocked: "awaiting_review" | null } {
  const planAccepted = reports.some((r) => r.kind === "plan" && r.status === "accepted");
  const kind: ReportKind = planAccepted ? "progress" : "plan";
  const waiting = reports.some((r) => r.kind === kind && r.status === "submitted");
  return { kind, blocked: waiting ? "awaiting_review" : null };
}
