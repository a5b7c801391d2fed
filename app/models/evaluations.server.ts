import type { Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { evaluationText as t } from "~/lib/messages/evaluation";
import type { EffectGrade, EvaluationInput, IndicatorInput } from "~/lib/schemas/evaluation";

/**
 * Effectiveness evaluation of rectification (整改成效评估): templates of indicators and
 * the evaluations of engagements. Every query runs in the caller's RLS context; the
 * database keeps the rules (a template in use is not changed, six months after feedback
 * at the earliest, the template of the office's line, deductions at most the points) and
 * computes the score and the grade.
 */

export const TEMPLATE_REFUSALS: DbRefusal[] = [
  { code: "23505", match: /evaluation_templates_org_name_key/, field: "name", message: t.nameTaken },
];

export const INDICATOR_REFUSALS: DbRefusal[] = [
  { code: "23505", match: /evaluation_indicators_name_key/, field: "name", message: t.indicatorTaken },
  { code: "23514", match: /template in use/, field: null, message: t.templateInUse },
  // Removing an indicator that an evaluation has scored (behind the trigger's own check).
  { code: "23503", match: /evaluation_scores/, field: null, message: t.templateInUse },
];

export const EVALUATION_REFUSALS: DbRefusal[] = [
  {
    code: "23514",
    match: /six months after feedback/,
    field: "evaluatedOn",
    message: (e) => (e.detail ? t.tooEarly(e.detail) : t.noFeedback),
  },
  { code: "22007", match: /not in the future/, field: "evaluatedOn", message: t.dateFuture },
  { code: "23514", match: /not a template of this office's line/, field: "templateId", message: t.notLineTemplate },
  { code: "23514", match: /at most the indicator's points/, field: null, message: t.indicatorsChanged },
  { code: "23514", match: /indicator is not of this template/, field: null, message: t.indicatorsChanged },
];

// ---------------------------------------------------------------- templates

export interface TemplateRow {
  id: number;
  orgId: number;
  orgName: string;
  name: string;
  active: boolean;
  indicators: number;
  totalPoints: number;
  /** Evaluations that use it, as far as the caller sees them (all of them, for its own office). */
  uses: number;
  createdAt: Date;
}

const templateColumns = (db: Tx) => db`
  t.id::int as id, t.org_id as "orgId", coalesce(o.name, '') as "orgName", t.name, t.active,
  (select count(*)::int from public.evaluation_indicators i where i.template_id = t.id) as indicators,
  (select coalesce(sum(i.points), 0)::float8 from public.evaluation_indicators i where i.template_id = t.id) as "totalPoints",
  (select count(*)::int from public.rectification_evaluations v where v.template_id = t.id) as uses,
  t.created_at as "createdAt"`;

/** The templates of `orgId` and its ancestors (the line whose templates it may use), nearest first. */
export async function listTemplates(db: Tx, orgId: number): Promise<TemplateRow[]> {
  return db<TemplateRow[]>`
    select ${templateColumns(db)}
      from public.evaluation_templates t
      join public.org_closure c on c.ancestor_id = t.org_id and c.descendant_id = ${orgId}
      -- An ancestor office's row is not readable below it; its name is (org_names).
      left join lateral public.org_names(array[t.org_id]) o on true
     order by c.depth, t.active desc, t.created_at desc, t.id desc`;
}

export async function getTemplate(db: Tx, id: number): Promise<TemplateRow | undefined> {
  const [row] = await db<TemplateRow[]>`
    select ${templateColumns(db)}
      from public.evaluation_templates t
      left join lateral public.org_names(array[t.org_id]) o on true
     where t.id = ${id}`;
  return row;
}

export interface IndicatorRow {
  id: number;
  area: string;
  name: string;
  points: number;
  guidance: string | null;
  sort: number;
}

export async function templateIndicators(db: Tx, templateId: number): Promise<IndicatorRow[]> {
  return db<IndicatorRow[]>`
    select i.id::int as id, i.area, i.name, i.points::float8 as points, i.guidance, i.sort
      from public.evaluation_indicators i
     where i.template_id = ${templateId}
     order by i.sort, i.id`;
}

export async function createTemplate(db: Tx, orgId: number, name: string): Promise<number> {
  // province_id is set by the trigger from the org.
  const [row] = await db<{ id: number }[]>`
    insert into public.evaluation_templates (org_id, province_id, name)
    values (${orgId}, 0, ${name})
    returning id::int as id`;
  return row.id;
}

/** A new template of `orgId` with the indicators of `sourceId` (which may be an ancestor's). */
export async function copyTemplate(db: Tx, sourceId: number, orgId: number, name: string): Promise<number> {
  const id = await createTemplate(db, orgId, name);
  await db`
    insert into public.evaluation_indicators (template_id, org_id, province_id, area, name, points, guidance, sort)
    select ${id}, 0, 0, i.area, i.name, i.points, i.guidance, i.sort
      from public.evaluation_indicators i where i.template_id = ${sourceId}
     order by i.sort, i.id`;
  return id;
}

export async function setTemplateActive(db: Tx, id: number, active: boolean): Promise<boolean> {
  const rows = await db`update public.evaluation_templates set active = ${active} where id = ${id}`;
  return rows.count === 1;
}

export async function addIndicator(db: Tx, templateId: number, input: IndicatorInput): Promise<number> {
  // org_id and province_id come from the template (trigger); a new indicator goes last.
  const [row] = await db<{ id: number }[]>`
    insert into public.evaluation_indicators (template_id, org_id, province_id, area, name, points, guidance, sort)
    values (${templateId}, 0, 0, ${input.area}, ${input.name}, ${input.points}, ${input.guidance || null},
            coalesce((select max(i.sort) from public.evaluation_indicators i where i.template_id = ${templateId}), 0) + 10)
    returning id::int as id`;
  return row.id;
}

export async function updateIndicator(db: Tx, templateId: number, indicatorId: number, input: IndicatorInput): Promise<boolean> {
  const rows = await db`
    update public.evaluation_indicators
       set area = ${input.area}, name = ${input.name}, points = ${input.points}, guidance = ${input.guidance || null}
     where id = ${indicatorId} and template_id = ${templateId}`;
  return rows.count === 1;
}

/** Removes an indicator: its name, or null when there is none (a template in use: the database refuses, 23514). */
export async function removeIndicator(db: Tx, templateId: number, indicatorId: number): Promise<string | null> {
  const [row] = await db<{ name: string }[]>`
    delete from public.evaluation_indicators where id = ${indicatorId} and template_id = ${templateId}
    returning name`;
  return row?.name ?? null;
}

// ---------------------------------------------------------------- evaluations

export interface EvaluationContext {
  feedbackOn: string | null;
  /** feedback_on + 6 months, as the database computes it. */
  earliest: string | null;
}

export async function evaluationContext(db: Tx, engagementId: number): Promise<EvaluationContext | undefined> {
  const [row] = await db<EvaluationContext[]>`
    select e.feedback_on::text as "feedbackOn", (e.feedback_on + interval '6 months')::date::text as earliest
      from public.engagements e where e.id = ${engagementId}`;
  return row;
}

/** Templates the supervising office may evaluate with: active, with indicators, of its own line. */
export async function usableTemplates(db: Tx, supervisingOrgId: number): Promise<TemplateRow[]> {
  return (await listTemplates(db, supervisingOrgId)).filter((x) => x.active && x.indicators > 0);
}

/** Records an evaluation and its deductions; the database computes score and grade. */
export async function createEvaluation(
  db: Tx,
  engagementId: number,
  input: EvaluationInput,
): Promise<{ id: number; score: number; grade: EffectGrade }> {
  // Ids, orgs and the score are the trigger's; the values given here are placeholders.
  const [ev] = await db<{ id: number }[]>`
    insert into public.rectification_evaluations
      (engagement_id, template_id, supervising_org_id, executing_org_id, province_id, evaluated_on,
       false_reporting, conclusion)
    values (${engagementId}, ${input.templateId}, 0, 0, 0, ${input.evaluatedOn}, ${input.falseReporting},
            ${input.conclusion || null})
    returning id::int as id`;
  for (const s of input.scores) {
    await db`
      insert into public.evaluation_scores (evaluation_id, indicator_id, supervising_org_id, province_id, deduction, note)
      values (${ev.id}, ${s.indicatorId}, 0, 0, ${s.deduction}, ${s.note || null})`;
  }
  const [result] = await db<{ score: number; grade: EffectGrade }[]>`
    select score::float8 as score, grade from public.rectification_evaluations where id = ${ev.id}`;
  return { id: ev.id, ...result };
}

export interface EvaluationRow {
  id: number;
  templateId: number;
  templateName: string;
  evaluatedOn: string;
  falseReporting: boolean;
  conclusion: string | null;
  score: number;
  grade: EffectGrade;
  createdBy: string | null;
  createdAt: Date;
  deductions: { indicatorId: number; area: string; name: string; points: number; deduction: number; note: string | null }[];
}

/** An engagement's evaluations, latest first, with their deductions (indicators that lost points). */
export async function listEvaluations(db: Tx, engagementId: number): Promise<EvaluationRow[]> {
  return db<EvaluationRow[]>`
    select v.id::int as id, v.template_id::int as "templateId", t.name as "templateName",
           v.evaluated_on::text as "evaluatedOn", v.false_reporting as "falseReporting", v.conclusion,
           v.score::float8 as score, v.grade, p.display_name as "createdBy", v.created_at as "createdAt",
           coalesce((
             select jsonb_agg(jsonb_build_object('indicatorId', i.id, 'area', i.area, 'name', i.name,
                                                 'points', i.points, 'deduction', s.deduction, 'note', s.note)
                              order by i.sort, i.id)
               from public.evaluation_scores s join public.evaluation_indicators i on i.id = s.indicator_id
              where s.evaluation_id = v.id and (s.deduction > 0 or s.note is not null)
           ), '[]'::jsonb) as deductions
      from public.rectification_evaluations v
      left join public.evaluation_templates t on t.id = v.template_id
      left join private.people_directory() p on p.user_id = v.created_by
     where v.engagement_id = ${engagementId}
     order by v.evaluated_on desc, v.id desc`;
}

export interface RecentEvaluationRow {
  id: number;
  engagementId: number;
  unitName: string;
  officeName: string;
  evaluatedOn: string;
  templateName: string | null;
  score: number;
  grade: EffectGrade;
  falseReporting: boolean;
}

/** The latest evaluations the caller sees (its office's and its subtree's), newest first. */
export async function recentEvaluations(db: Tx, limit = 20): Promise<RecentEvaluationRow[]> {
  return db<RecentEvaluationRow[]>`
    select v.id::int as id, v.engagement_id::int as "engagementId", e.unit_name as "unitName",
           coalesce(o.name, '') as "officeName", v.evaluated_on::text as "evaluatedOn", t.name as "templateName",
           v.score::float8 as score, v.grade, v.false_reporting as "falseReporting"
      from public.rectification_evaluations v
      join public.engagements e on e.id = v.engagement_id
      left join public.evaluation_templates t on t.id = v.template_id
      left join public.orgs o on o.id = v.supervising_org_id
     order by v.evaluated_on desc, v.id desc
     limit ${limit}`;
}
