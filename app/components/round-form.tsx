import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Button, Callout, Flex, Grid, Text, TextField } from "@radix-ui/themes";
import { m, roundKindLabel } from "~/lib/messages";
import { roundKinds, roundSchema, type RoundInput } from "~/lib/schemas/round";
import { NativeSelect } from "./native-select";

type Field = { id: string; name: string; errors?: string[]; errorId: string };

function Labelled({ field, label, children }: { field: Field; label: string; children: React.ReactNode }) {
  return (
    <Flex direction="column" gap="1">
      <label htmlFor={field.id}><Text size="2" weight="medium">{label}</Text></label>
      {children}
      {field.errors ? <Text className="field-error" id={field.errorId} role="alert">{field.errors.join(" ")}</Text> : null}
    </Flex>
  );
}

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
  const [form, fields] = useForm({
    lastResult,
    defaultValue,
    constraint: getZodConstraint(roundSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: roundSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <Flex direction="column" gap="3" style={{ maxWidth: 640 }}>
        {form.errors?.length ? (
          <Callout.Root color="red" role="alert"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
        ) : null}
        <Labelled field={fields.termId} label={m.rounds.term}>
          {lockTerm ? <input type="hidden" name={fields.termId.name} value={String(defaultValue?.termId ?? "")} /> : null}
          <NativeSelect {...getSelectProps(fields.termId)} key={fields.termId.key} disabled={lockTerm}>
            <option value="">请选择</option>
            {terms.map((t) => <option key={t.id} value={t.id}>{t.name}（{t.startYear}—{t.endYear}）</option>)}
          </NativeSelect>
        </Labelled>
        <Grid columns="2" gap="3">
          <Labelled field={fields.year} label={m.rounds.year}>
            <TextField.Root {...getInputProps(fields.year, { type: "number" })} key={fields.year.key} />
          </Labelled>
          <Labelled field={fields.number} label={m.rounds.number}>
            <TextField.Root {...getInputProps(fields.number, { type: "number" })} key={fields.number.key} />
          </Labelled>
        </Grid>
        <Labelled field={fields.kind} label={m.rounds.kind}>
          <NativeSelect {...getSelectProps(fields.kind)} key={fields.kind.key}>
            <option value="">请选择</option>
            {roundKinds.map((k) => <option key={k} value={k}>{roundKindLabel[k]}</option>)}
          </NativeSelect>
        </Labelled>
        <Labelled field={fields.theme} label={m.rounds.theme}>
          <TextField.Root {...getInputProps(fields.theme, { type: "text" })} key={fields.theme.key} placeholder="专项巡视巡察时填写，如：营商环境" />
        </Labelled>
        <Grid columns="2" gap="3">
          <Labelled field={fields.plannedStart} label={m.rounds.plannedStart}>
            <TextField.Root {...getInputProps(fields.plannedStart, { type: "date" })} key={fields.plannedStart.key} />
          </Labelled>
          <Labelled field={fields.plannedEnd} label={m.rounds.plannedEnd}>
            <TextField.Root {...getInputProps(fields.plannedEnd, { type: "date" })} key={fields.plannedEnd.key} />
          </Labelled>
        </Grid>
        <Flex gap="3" mt="2">
          <Button type="submit" loading={navigation.state === "submitting"}>{submitLabel}</Button>
          <Button asChild variant="soft" color="gray"><Link to={cancelTo}>{m.rounds.cancel}</Link></Button>
        </Flex>
      </Flex>
    </Form>
  );
}
