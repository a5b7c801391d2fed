import type { Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { feedbackText as t } from "~/lib/messages/feedback";
import type { FeedbackForm, FeedbackInput } from "~/lib/schemas/feedback";

/**
 * Feedback (巡察反馈). The row is read under RLS (the offices, the group, the inspected
 * unit's org and the unit's contacts); it carries snapshots of the unit, group and
 * supervising office names because the unit's contacts cannot read engagements or orgs.
 * It is written only through public.give_feedback, which also marks the chosen problems
 * fed back and sets the engagement's feedback date and plan deadline.
 */

export interface FeedbackRow {
  id: number;
  engagementId: number;
  groupId: number;
  supervisingOrgId: number;
  executingOrgId: number;
  targetVisibleOrgId: number | null;
  unitId: number;
  unitName: string;
  groupName: string;
  supervisingOrgName: string;
  feedbackOn: string;
  form: FeedbackForm;
  attendees: string;
  documentNo: string | null;
  mainRecipients: string;
  ccRecipients: string | null;
  planDue: string;
  createdAt: Date;
  createdBy: string | null;
}

export async function getFeedback(db: Tx, engagementId: number): Promise<FeedbackRow | undefined> {
  const [row] = await db<FeedbackRow[]>`
    select f.id::int as id, f.engagement_id::int as "engagementId", f.group_id::int as "groupId",
           f.supervising_org_id as "supervisingOrgId", f.executing_org_id as "executingOrgId",
           f.target_visible_org_id as "targetVisibleOrgId", f.unit_id::int as "unitId", f.unit_name as "unitName",
           f.group_name as "groupName", f.supervising_org_name as "supervisingOrgName", f.feedback_on::text as "feedbackOn",
           f.form, f.attendees, f.document_no as "documentNo", f.main_recipients as "mainRecipients",
           f.cc_recipients as "ccRecipients", f.plan_due::text as "planDue", f.created_at as "createdAt",
           p.display_name as "createdBy"
      from public.feedbacks f
      left join private.people_directory() p on p.user_id = f.created_by
     where f.engagement_id = ${engagementId}`;
  return row;
}

export interface FeedbackProblem {
  id: number;
  seq: number;
  title: string;
  categoryName: string | null;
  severity: "general" | "serious" | "grave";
  onTheSpot: boolean;
}

const problemColumns = (db: Tx) => db`
  p.id::int as id, p.seq, p.title, coalesce(c.name, tc.name) as "categoryName", p.severity, p.on_the_spot as "onTheSpot"`;

/** The problems a feedback handed to the unit (its contacts see them once fed back). */
export async function feedbackProblems(db: Tx, feedbackId: number): Promise<FeedbackProblem[]> {
  return db<FeedbackProblem[]>`
    select ${problemColumns(db)}
      from public.problems p
      left join public.problem_categories c on c.id = p.category_id
      left join public.problem_categories tc on tc.id = p.top_category_id
     where p.feedback_id = ${feedbackId}
     order by p.seq
     limit 2000`;
}

/** The engagement's problems not fed back yet: the form's checkboxes. */
export async function pendingProblems(db: Tx, engagementId: number): Promise<FeedbackProblem[]> {
  return db<FeedbackProblem[]>`
    select ${problemColumns(db)}
      from public.problems p
      left join public.problem_categories c on c.id = p.category_id
      left join public.problem_categories tc on tc.id = p.top_category_id
     where p.engagement_id = ${engagementId} and p.feedback_id is null
     order by p.seq
     limit 2000`;
}

export async function giveFeedback(db: Tx, engagementId: number, input: FeedbackInput): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    select public.give_feedback(${engagementId}, ${input.feedbackOn}::date, ${input.form}::public.feedback_form,
                                ${input.attendees}, ${input.documentNo || null}, ${input.mainRecipients},
                                ${input.ccRecipients || null}, ${input.problemIds}::bigint[],
                                ${input.planDue ?? null}::date)::int as id`;
  return row.id;
}

/** For CASL (Feedback and the rectification subjects): from the feedback row alone. */
export function feedbackSubject(f: FeedbackRow) {
  return {
    id: f.id,
    groupId: f.groupId,
    executingOrgId: f.executingOrgId,
    supervisingOrgId: f.supervisingOrgId,
    targetVisibleOrgId: f.targetVisibleOrgId,
    unitId: f.unitId,
  };
}

export const FEEDBACK_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /the report comes first/, field: null, message: t.reportMissing },
  { code: "23514", match: /on or after the report/, field: "feedbackOn", message: t.feedbackBeforeReportShort },
  { code: "23514", match: /at least one problem/, field: "problemIds", message: t.problemsRequired },
  { code: "23514", match: /not on this engagement/, field: "problemIds", message: t.problemNotOnList },
  { code: "23514", match: /feedbacks_plan_due/, field: "planDue", message: t.planDueAfter },
  { code: "23514", match: /attendees/, field: "attendees", message: t.attendeesRequired },
  { code: "23514", match: /main_recipients/, field: "mainRecipients", message: t.mainRequired },
  { code: "23514", match: /engagements_stage_order/, field: "planDue", message: t.planDueAfter },
  { code: "23505", match: /feedbacks_engagement_id_key/, field: null, message: t.already },
];
