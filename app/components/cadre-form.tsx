import { useZodForm } from "~/lib/forms";
import { getCollectionProps, getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Button, Flex, Grid, Text, TextField } from "@radix-ui/themes";
import { cadrePoolLabel, cadreSpecialties, m } from "~/lib/messages";
import { cadrePools, cadreSchema, type CadreInput } from "~/lib/schemas/cadre";
import { Field } from "./field";

function Errors({ errors, id }: { errors?: string[]; id: string }) {
  return errors ? <Text className="field-error" id={id} role="alert">{errors.join(" ")}</Text> : null;
}

export function CadreForm({
  lastResult,
  defaultValue,
  submitLabel,
  cancelTo,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Partial<CadreInput>;
  submitLabel: string;
  cancelTo: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(cadreSchema, { lastResult, defaultValue: defaultValue ?? { available: true, pools: ["talent"] } });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <Flex direction="column" gap="3" style={{ maxWidth: 640 }}>
        <Grid columns="2" gap="3">
          <Field id={fields.name.id} label={m.cadres.name} errors={fields.name.errors} errorId={fields.name.errorId}>
            <TextField.Root {...getInputProps(fields.name, { type: "text" })} key={fields.name.key} />
          </Field>
          <Field id={fields.rank.id} label={m.cadres.rank} errors={fields.rank.errors} errorId={fields.rank.errorId}>
            <TextField.Root {...getInputProps(fields.rank, { type: "text" })} key={fields.rank.key} placeholder="如：正处级" />
          </Field>
        </Grid>
        <Field id={fields.homeUnit.id} label={m.cadres.homeUnit} errors={fields.homeUnit.errors} errorId={fields.homeUnit.errorId}>
          <TextField.Root {...getInputProps(fields.homeUnit, { type: "text" })} key={fields.homeUnit.key} />
        </Field>
        <fieldset className="plain-fieldset">
          <legend><Text size="2" weight="medium">{m.cadres.pools}</Text></legend>
          <Flex gap="4">
            {getCollectionProps(fields.pools, { type: "checkbox", options: [...cadrePools] }).map((p) => (
              <label key={p.key} className="check-label"><input {...p} key={p.key} /> {cadrePoolLabel[p.value as keyof typeof cadrePoolLabel]}</label>
            ))}
          </Flex>
          <Errors errors={fields.pools.errors} id={fields.pools.errorId} />
        </fieldset>
        <fieldset className="plain-fieldset">
          <legend><Text size="2" weight="medium">{m.cadres.specialties}</Text></legend>
          <Flex gap="4" wrap="wrap">
            {getCollectionProps(fields.specialties, { type: "checkbox", options: [...cadreSpecialties] }).map((p) => (
              <label key={p.key} className="check-label"><input {...p} key={p.key} /> {p.value}</label>
            ))}
          </Flex>
          <Errors errors={fields.specialties.errors} id={fields.specialties.errorId} />
        </fieldset>
        <Grid columns="2" gap="3" align="end">
          <Field id={fields.firstPostedOn.id} label={m.cadres.firstPostedOn} errors={fields.firstPostedOn.errors} errorId={fields.firstPostedOn.errorId}>
            <TextField.Root {...getInputProps(fields.firstPostedOn, { type: "date" })} key={fields.firstPostedOn.key} />
          </Field>
          <label className="check-label"><input {...getInputProps(fields.available, { type: "checkbox" })} key={fields.available.key} /> {m.cadres.availableYes}</label>
        </Grid>
        <Flex gap="3" mt="2">
          <Button type="submit" loading={navigation.state === "submitting"}>{submitLabel}</Button>
          <Button asChild variant="soft" color="gray"><Link to={cancelTo}>{m.cadres.cancel}</Link></Button>
        </Flex>
      </Flex>
    </Form>
  );
}
