import { getFormProps, getInputProps, getSelectProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Button, Callout, Flex, Grid, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { m, roundKindLabel } from "~/lib/messages";
import { roundKinds, roundSchema, type RoundInput } from "~/lib/schemas/round";
import { Field } from "./field";
import { NativeSelect } from "./native-select";

export function RoundForm({
  lastResult,
  defaultValue,
  terms,
  lockTerm,
  submitLabel,
  cancelTo,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Partial<RoundInput>;
  terms: { id: number; name: string; startYear: number; endYear: number }[];
  lockTerm?: boolean;
  submitLabel: string;
  cancelTo: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(roundSchema, { lastResult, defaultValue });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <Flex direction="column" gap="3" style={{ maxWidth: 640 }}>
        {form.errors?.length ? (
          <Callout.Root color="red" role="alert"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
        ) : null}
        <Field id={fields.termId.id} label={m.rounds.term} errors={fields.termId.errors} errorId={fields.termId.errorId}>
          {lockTerm ? <input type="hidden" name={fields.termId.name} value={String(defaultValue?.termId ?? "")} /> : null}
          <NativeSelect {...getSelectProps(fields.termId)} key={fields.termId.key} disabled={lockTerm}>
            <option value="">请选择</option>
            {terms.map((t) => <option key={t.id} value={t.id}>{t.name}（{t.startYear}—{t.endYear}）</option>)}
          </NativeSelect>
        </Field>
        <Grid columns="2" gap="3">
          <Field id={fields.year.id} label={m.rounds.year} errors={fields.year.errors} errorId={fields.year.errorId}>
            <TextField.Root {...getInputProps(fields.year, { type: "number" })} key={fields.year.key} />
          </Field>
          <Field id={fields.number.id} label={m.rounds.number} errors={fields.number.errors} errorId={fields.number.errorId}>
            <TextField.Root {...getInputProps(fields.number, { type: "number" })} key={fields.number.key} />
          </Field>
        </Grid>
        <Field id={fields.kind.id} label={m.rounds.kind} errors={fields.kind.errors} errorId={fields.kind.errorId}>
          <NativeSelect {...getSelectProps(fields.kind)} key={fields.kind.key}>
            <option value="">请选择</option>
            {roundKinds.map((k) => <option key={k} value={k}>{roundKindLabel[k]}</option>)}
          </NativeSelect>
        </Field>
        <Field id={fields.theme.id} label={m.rounds.theme} errors={fields.theme.errors} errorId={fields.theme.errorId}>
          <TextField.Root {...getInputProps(fields.theme, { type: "text" })} key={fields.theme.key} placeholder="专项巡视巡察时填写，如：营商环境" />
        </Field>
        <Grid columns="2" gap="3">
          <Field id={fields.plannedStart.id} label={m.rounds.plannedStart} errors={fields.plannedStart.errors} errorId={fields.plannedStart.errorId}>
            <TextField.Root {...getInputProps(fields.plannedStart, { type: "date" })} key={fields.plannedStart.key} />
          </Field>
          <Field id={fields.plannedEnd.id} label={m.rounds.plannedEnd} errors={fields.plannedEnd.errors} errorId={fields.plannedEnd.errorId}>
            <TextField.Root {...getInputProps(fields.plannedEnd, { type: "date" })} key={fields.plannedEnd.key} />
          </Field>
        </Grid>
        <Flex gap="3" mt="2">
          <Button type="submit" loading={navigation.state === "submitting"}>{submitLabel}</Button>
          <Button asChild variant="soft" color="gray"><Link to={cancelTo}>{m.rounds.cancel}</Link></Button>
        </Flex>
      </Flex>
    </Form>
  );
}
