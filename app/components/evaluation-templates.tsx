import { useState } from "react";
import { getFormProps, getInputProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Badge, Button, Callout, Flex, Grid, Table, Text, TextArea, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { copyTemplateSchema, formatPoints, indicatorSchema, templateSchema } from "~/lib/schemas/evaluation";
import type { IndicatorRow, RecentEvaluationRow, TemplateRow } from "~/models/evaluations.server";
import { effectGradeColor, effectGradeLabel, evaluationText as t } from "~/lib/messages/evaluation";
import { DataTable } from "./data-table";
import { Field } from "./field";

export type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

const sumPoints = (xs: { points: number }[]) => xs.reduce((a, x) => a + Math.round(x.points * 10), 0) / 10;

function FormErrors({ errors }: { errors?: string[] }) {
  return errors?.length ? (
    <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{errors.join(" ")}</Callout.Text></Callout.Root>
  ) : null;
}

/**
 * The templates of the office's line: its own first, then its ancestors'. How often a
 * template was used is shown for the office's own only (it does not see the evaluations
 * other offices made with theirs).
 */
export function TemplatesTable({ templates, ownOrgId }: { templates: Omit<TemplateRow, "createdAt">[]; ownOrgId: number }) {
  if (templates.length === 0) return <Text as="p" color="gray" size="2">{t.noTemplates}</Text>;
  return (
    <DataTable
      label={t.templatesTable}
      columns={[
        { label: t.templateName }, { label: t.templateOrg }, { label: t.indicatorCount, align: "end" },
        { label: t.totalPoints, align: "end" }, { label: t.status },
      ]}
    >
      {templates.map((x) => (
        <Table.Row key={x.id} data-testid="template-row">
          <Table.RowHeaderCell><Link className="table-link" to={`/evaluation-templates/${x.id}`}>{x.name}</Link></Table.RowHeaderCell>
          <Table.Cell>{x.orgName}</Table.Cell>
          <Table.Cell justify="end">{x.indicators}</Table.Cell>
          <Table.Cell justify="end">{formatPoints(x.totalPoints)}</Table.Cell>
          <Table.Cell>
            <Flex gap="2" wrap="wrap">
              {x.active ? <Badge color="green" variant="soft">{t.active}</Badge> : <Badge color="gray" variant="soft">{t.inactive}</Badge>}
              {x.orgId === ownOrgId && x.uses > 0 ? <Badge color="blue" variant="soft">{t.inUse(x.uses)}</Badge> : null}
            </Flex>
          </Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}

export function NewTemplateForm({ lastResult }: { lastResult?: Reply }) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(templateSchema, { id: "new-template", lastResult });
  return (
    <Form method="post" {...getFormProps(form)} aria-label={t.newTemplate}>
      <input type="hidden" name="intent" value="create" />
      <FormErrors errors={form.errors} />
      <Flex gap="3" align="end" wrap="wrap">
        <div style={{ flex: 1, minWidth: 260 }}>
          <Field id={fields.name.id} label={t.templateName} errors={fields.name.errors} errorId={fields.name.errorId}>
            <TextField.Root {...getInputProps(fields.name, { type: "text" })} key={fields.name.key} maxLength={100} />
          </Field>
        </div>
        <Button type="submit" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "create"}>
          {t.createTemplate}
        </Button>
      </Flex>
    </Form>
  );
}

export function CopyTemplateForm({ defaultName, lastResult }: { defaultName: string; lastResult?: Reply }) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(copyTemplateSchema, { id: "copy-template", lastResult, defaultValue: { name: defaultName } });
  return (
    <Form method="post" {...getFormProps(form)} aria-label={t.copy}>
      <input type="hidden" name="intent" value="copy" />
      <FormErrors errors={form.errors} />
      <Flex gap="3" align="end" wrap="wrap">
        <div style={{ flex: 1, minWidth: 260 }}>
          <Field id={fields.name.id} label={t.copyName} errors={fields.name.errors} errorId={fields.name.errorId}>
            <TextField.Root {...getInputProps(fields.name, { type: "text" })} key={fields.name.key} maxLength={100} />
          </Field>
        </div>
        <Button type="submit" variant="soft" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "copy"}>
          {t.copy}
        </Button>
      </Flex>
    </Form>
  );
}

/** The indicators with the template's total; rows offer edit and remove while the template may change. */
export function IndicatorsTable({
  indicators,
  editable,
  editHref,
  removeReply,
}: {
  indicators: IndicatorRow[];
  editable: boolean;
  editHref: (id: number) => string;
  removeReply?: Reply;
}) {
  const navigation = useNavigation();
  const removeErrors = removeReply?.error ? Object.values(removeReply.error).flatMap((e) => e ?? []) : [];
  return (
    <>
      <FormErrors errors={removeErrors} />
      {indicators.length === 0 ? (
        <Text as="p" color="gray" size="2" mb="2">{t.noIndicators}</Text>
      ) : (
        <DataTable
          label={t.indicators}
          columns={[
            { label: t.area }, { label: t.indicator }, { label: t.points, align: "end" }, { label: t.guidance },
            ...(editable ? [{ label: "" }] : []),
          ]}
        >
          {indicators.map((i) => (
            <Table.Row key={i.id} data-testid="indicator-row">
              <Table.Cell style={{ whiteSpace: "nowrap" }}>{i.area}</Table.Cell>
              <Table.RowHeaderCell>{i.name}</Table.RowHeaderCell>
              <Table.Cell justify="end" data-testid="indicator-points">{formatPoints(i.points)}</Table.Cell>
              <Table.Cell><Text size="1" color="gray" style={{ whiteSpace: "pre-wrap" }}>{i.guidance ?? "—"}</Text></Table.Cell>
              {editable ? (
                <Table.Cell>
                  <Flex gap="3" align="center">
                    <Link className="table-link" to={editHref(i.id)} preventScrollReset>{t.editIndicator}</Link>
                    <Form method="post" preventScrollReset>
                      <input type="hidden" name="intent" value="remove-indicator" />
                      <input type="hidden" name="indicatorId" value={i.id} />
                      <Button type="submit" size="1" variant="ghost" color="red" aria-label={t.removeIndicatorLabel(i.name)}
                        loading={navigation.state === "submitting" && navigation.formData?.get("indicatorId") === String(i.id)
                          && navigation.formData?.get("intent") === "remove-indicator"}>
                        {t.removeIndicator}
                      </Button>
                    </Form>
                  </Flex>
                </Table.Cell>
              ) : null}
            </Table.Row>
          ))}
          <Table.Row>
            <Table.Cell />
            <Table.RowHeaderCell><Text weight="bold">{t.totalRow}</Text></Table.RowHeaderCell>
            <Table.Cell justify="end"><Text weight="bold" data-testid="points-total">{formatPoints(sumPoints(indicators))}</Text></Table.Cell>
            <Table.Cell />
            {editable ? <Table.Cell /> : null}
          </Table.Row>
        </DataTable>
      )}
    </>
  );
}

/**
 * Add an indicator, or edit one (`editing`). The total the template will have is shown
 * as the points are typed.
 */
export function IndicatorForm({
  indicators,
  editing,
  lastResult,
  cancelTo,
}: {
  indicators: IndicatorRow[];
  editing: IndicatorRow | null;
  lastResult?: Reply;
  cancelTo: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(indicatorSchema, {
    id: editing ? `indicator-${editing.id}` : "indicator-new",
    lastResult,
    defaultValue: editing
      ? { indicatorId: editing.id, area: editing.area, name: editing.name, points: editing.points, guidance: editing.guidance ?? undefined }
      : { area: indicators[indicators.length - 1]?.area },
  });
  const initial = Number(fields.points.initialValue ?? "");
  const [typed, setTyped] = useState<number>(Number.isFinite(initial) ? initial : 0);
  const others = sumPoints(indicators.filter((i) => i.id !== editing?.id));
  const after = others + (Number.isFinite(typed) && typed > 0 ? Math.round(typed * 10) / 10 : 0);
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "indicator";
  return (
    <Form method="post" preventScrollReset {...getFormProps(form)} aria-label={editing ? t.editIndicatorTitle : t.addIndicator}>
      <input type="hidden" name="intent" value="indicator" />
      {editing ? <input type="hidden" name="indicatorId" value={editing.id} /> : null}
      <FormErrors errors={form.errors} />
      <Grid columns={{ initial: "1", sm: "4" }} gap="3" align="start">
        <Field id={fields.area.id} label={t.area} errors={fields.area.errors} errorId={fields.area.errorId}>
          <TextField.Root {...getInputProps(fields.area, { type: "text" })} key={fields.area.key} maxLength={60} />
        </Field>
        <div style={{ gridColumn: "span 2" }}>
          <Field id={fields.name.id} label={t.indicator} errors={fields.name.errors} errorId={fields.name.errorId}>
            <TextField.Root {...getInputProps(fields.name, { type: "text" })} key={fields.name.key} maxLength={200} />
          </Field>
        </div>
        <Field id={fields.points.id} label={t.points} errors={fields.points.errors} errorId={fields.points.errorId}>
          <TextField.Root
            {...getInputProps(fields.points, { type: "number" })}
            key={fields.points.key}
            step="0.1"
            min="0.1"
            max="100"
            onChange={(e) => setTyped(Number(e.currentTarget.value))}
          />
        </Field>
      </Grid>
      <Flex direction="column" gap="3" mt="3">
        <Field id={fields.guidance.id} label={t.guidance} errors={fields.guidance.errors} errorId={fields.guidance.errorId}>
          <TextArea {...getTextareaProps(fields.guidance)} key={fields.guidance.key} rows={2} maxLength={1000} />
        </Field>
        <Flex gap="3" align="center" wrap="wrap">
          <Button type="submit" loading={busy}>{editing ? t.saveIndicator : t.addIndicator}</Button>
          {editing ? <Button asChild variant="soft" color="gray"><Link to={cancelTo} preventScrollReset>{t.cancel}</Link></Button> : null}
          <Text size="2" color="gray" data-testid="points-after">{t.pointsTotalAfter(formatPoints(after))}</Text>
        </Flex>
      </Flex>
    </Form>
  );
}

/** The latest evaluations of the office and its subtree, each a link to its engagement's evaluation page. */
export function RecentEvaluationsTable({ rows }: { rows: RecentEvaluationRow[] }) {
  if (rows.length === 0) return <Text as="p" color="gray" size="2">{t.recentEmpty}</Text>;
  return (
    <DataTable
      label={t.recentTitle}
      columns={[
        { label: t.unit }, { label: t.office }, { label: t.evaluatedOn }, { label: t.template },
        { label: t.score, align: "end" }, { label: t.grade },
      ]}
    >
      {rows.map((v) => (
        <Table.Row key={v.id} data-testid="recent-evaluation-row">
          <Table.RowHeaderCell>
            <Link className="table-link" to={`/engagements/${v.engagementId}/evaluation`}>{v.unitName}</Link>
          </Table.RowHeaderCell>
          <Table.Cell>{v.officeName}</Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{v.evaluatedOn}</Table.Cell>
          <Table.Cell>{v.templateName ?? "—"}</Table.Cell>
          <Table.Cell justify="end">{v.score.toFixed(2)}</Table.Cell>
          <Table.Cell>
            <Flex gap="2">
              <Badge color={effectGradeColor[v.grade]} variant="soft">{effectGradeLabel[v.grade]}</Badge>
              {v.falseReporting ? <Badge color="red" variant="outline">{t.vetoed}</Badge> : null}
            </Flex>
          </Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}
