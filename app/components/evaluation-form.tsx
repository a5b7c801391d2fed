import { useMemo, useState } from "react";
import { getFormProps, getInputProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { Badge, Box, Button, Callout, Card, DataList, Flex, Table, Text, TextArea, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { effectGradeColor, effectGradeLabel, evaluationText as t } from "~/lib/messages/evaluation";
import { evaluationSchemaFor, formatPoints, previewScore, type EffectGrade } from "~/lib/schemas/evaluation";
import type { EvaluationRow, IndicatorRow } from "~/models/evaluations.server";
import { DataTable } from "./data-table";
import { Field } from "./field";

export type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

export function GradeBadge({ grade }: { grade: EffectGrade }) {
  return <Badge size="2" color={effectGradeColor[grade]} variant="solid" data-testid="evaluation-grade">{effectGradeLabel[grade]}</Badge>;
}

const scoreText = (n: number) => n.toFixed(2);

/**
 * Deductions per indicator (each at most its points), the date, the veto and the
 * conclusion. The preview is the database's formula; the saved score is the database's.
 */
export function EvaluationForm({
  template,
  indicators,
  today,
  lastResult,
}: {
  template: { id: number; name: string };
  indicators: IndicatorRow[];
  today: string;
  lastResult?: Reply;
}) {
  const navigation = useNavigation();
  const schema = useMemo(() => evaluationSchemaFor(indicators), [indicators]);
  const [form, fields] = useZodForm(schema, {
    id: `evaluation-${template.id}`,
    lastResult,
    defaultValue: {
      templateId: template.id,
      evaluatedOn: today,
      scores: indicators.map((i) => ({ indicatorId: i.id, deduction: 0 })),
    },
  });
  const rows = fields.scores.getFieldList();
  const initial = () =>
    new Map(rows.map((r, i) => [indicators[i]?.id ?? 0, Number(r.getFieldset().deduction.initialValue ?? 0) || 0]));
  const [deductions, setDeductions] = useState<Map<number, number>>(initial);
  const [veto, setVeto] = useState(fields.falseReporting.initialValue === "on");
  const preview = previewScore(indicators, deductions, veto);
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "evaluate";
  const setDeduction = (indicatorId: number, raw: string) => {
    const n = Number(raw);
    setDeductions((prev) => new Map(prev).set(indicatorId, Number.isFinite(n) && n > 0 ? n : 0));
  };
  return (
    <Form method="post" {...getFormProps(form)} aria-label={t.form}>
      <input type="hidden" name="intent" value="evaluate" />
      <input type="hidden" name={fields.templateId.name} value={template.id} />
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      {fields.templateId.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{fields.templateId.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <DataTable
        label={t.form}
        columns={[{ label: t.area }, { label: t.indicator }, { label: t.points, align: "end" }, { label: t.deduction }, { label: t.note }]}
      >
        {rows.map((row, i) => {
          const indicator = indicators[i];
          if (!indicator) return null;
          const s = row.getFieldset();
          return (
            <Table.Row key={row.key} data-testid="score-row">
              <Table.Cell style={{ whiteSpace: "nowrap" }}>{indicator.area}</Table.Cell>
              <Table.RowHeaderCell>
                <Text as="div" weight="medium">{indicator.name}</Text>
                {indicator.guidance ? <Text as="div" size="1" color="gray" style={{ whiteSpace: "pre-wrap" }}>{indicator.guidance}</Text> : null}
              </Table.RowHeaderCell>
              <Table.Cell justify="end">{formatPoints(indicator.points)}</Table.Cell>
              <Table.Cell style={{ width: 120 }}>
                <input type="hidden" name={s.indicatorId.name} value={indicator.id} />
                <Flex direction="column" gap="1">
                  <label htmlFor={s.deduction.id} className="visually-hidden">{`${indicator.name} ${t.deduction}`}</label>
                  <TextField.Root
                    {...getInputProps(s.deduction, { type: "number" })}
                    key={s.deduction.key}
                    step="0.1"
                    min="0"
                    max={indicator.points}
                    onChange={(e) => setDeduction(indicator.id, e.currentTarget.value)}
                  />
                  {s.deduction.errors ? <Text className="field-error" id={s.deduction.errorId} role="alert">{s.deduction.errors.join(" ")}</Text> : null}
                </Flex>
              </Table.Cell>
              <Table.Cell>
                <label htmlFor={s.note.id} className="visually-hidden">{`${indicator.name} ${t.note}`}</label>
                <TextField.Root {...getInputProps(s.note, { type: "text" })} key={s.note.key} maxLength={1000} placeholder={t.notePlaceholder} />
                {s.note.errors ? <Text className="field-error" role="alert">{s.note.errors.join(" ")}</Text> : null}
              </Table.Cell>
            </Table.Row>
          );
        })}
      </DataTable>
      <Flex direction="column" gap="3" mt="4">
        <Box style={{ maxWidth: 220 }}>
          <Field id={fields.evaluatedOn.id} label={t.evaluatedOn} errors={fields.evaluatedOn.errors} errorId={fields.evaluatedOn.errorId}>
            <TextField.Root {...getInputProps(fields.evaluatedOn, { type: "date" })} key={fields.evaluatedOn.key} max={today} />
          </Field>
        </Box>
        <Box>
          <label className="check-label">
            <input
              {...getInputProps(fields.falseReporting, { type: "checkbox" })}
              key={fields.falseReporting.key}
              onChange={(e) => setVeto(e.currentTarget.checked)}
            />
            <Text weight="medium">{t.falseReporting}</Text>
          </label>
          <Text as="p" size="1" color="gray">{t.falseReportingHint}</Text>
        </Box>
        <Field id={fields.conclusion.id} label={t.conclusion} errors={fields.conclusion.errors} errorId={fields.conclusion.errorId}>
          <TextArea {...getTextareaProps(fields.conclusion)} key={fields.conclusion.key} rows={3} maxLength={5000} placeholder={t.conclusionPlaceholder} />
        </Field>
        <Callout.Root color={effectGradeColor[preview.grade]} variant="surface" role="status">
          <Callout.Text data-testid="evaluation-preview">{t.preview(preview.score, effectGradeLabel[preview.grade])}</Callout.Text>
        </Callout.Root>
        <Flex><Button type="submit" loading={busy}>{t.save}</Button></Flex>
      </Flex>
    </Form>
  );
}

/** The engagement's evaluations, latest first, each with the indicators that lost points. */
export function EvaluationHistory({ evaluations }: { evaluations: Omit<EvaluationRow, "createdAt">[] }) {
  if (evaluations.length === 0) return <Text as="p" color="gray" size="2">{t.noPast}</Text>;
  return (
    <Flex direction="column" gap="3">
      {evaluations.map((v) => (
        <Card key={v.id} size="2" data-testid="evaluation-record">
          <Flex justify="between" align="start" gap="3" wrap="wrap" mb="2">
            <DataList.Root size="2">
              <DataList.Item><DataList.Label>{t.evaluatedOn}</DataList.Label><DataList.Value>{v.evaluatedOn}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.template}</DataList.Label><DataList.Value>{v.templateName}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{t.evaluatedBy}</DataList.Label><DataList.Value>{v.createdBy ?? "—"}</DataList.Value></DataList.Item>
            </DataList.Root>
            <Flex direction="column" align="end" gap="1">
              <Text size="1" color="gray">{t.score}</Text>
              <Text size="7" weight="bold" data-testid="evaluation-score">{scoreText(v.score)}</Text>
              <Flex gap="2">
                <GradeBadge grade={v.grade} />
                {v.falseReporting ? <Badge color="red" variant="outline" data-testid="evaluation-veto">{t.vetoed}</Badge> : null}
              </Flex>
            </Flex>
          </Flex>
          {v.conclusion ? (
            <Box mb="2">
              <Text as="div" size="1" color="gray">{t.conclusion}</Text>
              <Text as="p" size="2" style={{ whiteSpace: "pre-wrap" }}>{v.conclusion}</Text>
            </Box>
          ) : null}
          <Text as="div" size="1" color="gray" mb="1">{t.deductionsOf}</Text>
          {v.deductions.length === 0 ? (
            <Text as="p" size="2" color="gray">{t.noDeductions}</Text>
          ) : (
            <DataTable label={t.deductionsOf} columns={[{ label: t.indicator }, { label: t.points, align: "end" }, { label: t.deduction, align: "end" }, { label: t.note }]}>
              {v.deductions.map((d) => (
                <Table.Row key={d.indicatorId}>
                  <Table.RowHeaderCell>
                    <Text size="1" color="gray">{d.area} · </Text>{d.name}
                  </Table.RowHeaderCell>
                  <Table.Cell justify="end">{formatPoints(Number(d.points))}</Table.Cell>
                  <Table.Cell justify="end">{formatPoints(Number(d.deduction))}</Table.Cell>
                  <Table.Cell><Text size="2" style={{ whiteSpace: "pre-wrap" }}>{d.note ?? "—"}</Text></Table.Cell>
                </Table.Row>
              ))}
            </DataTable>
          )}
        </Card>
      ))}
    </Flex>
  );
}
