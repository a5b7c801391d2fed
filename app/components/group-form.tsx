import { getFormProps, getInputProps, getSelectProps, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Button, Callout, Flex, Grid, Text, TextField } from "@radix-ui/themes";
import { useState } from "react";
import { useZodForm } from "~/lib/forms";
import { defaultGroupName } from "~/lib/group-rules";
import { groupsText as t } from "~/lib/messages/groups";
import { groupEditSchema, groupSchema, type GroupInput } from "~/lib/schemas/group";
import { Field } from "./field";
import { NativeSelect } from "./native-select";

type Reply = SubmissionResult<string[]> | null | undefined;

function FormErrors({ errors }: { errors?: string[] }) {
  return errors?.length ? <Callout.Root color="red" role="alert"><Callout.Text>{errors.join(" ")}</Callout.Text></Callout.Root> : null;
}

/** A new group: number and name proposed, executing org (the round's own, or below it for a cross patrol), dates. */
export function NewGroupForm({
  lastResult,
  defaultValue,
  orgs,
  roundOrgId,
  level,
  cancelTo,
}: {
  lastResult?: Reply;
  defaultValue: Partial<GroupInput>;
  orgs: { id: number; name: string; depth: number }[];
  roundOrgId: number;
  level: "province" | "city" | "county";
  cancelTo: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(groupSchema, { lastResult, defaultValue });
  // The proposed name follows the number until the user writes a name of his own.
  const [nameFollows, setNameFollows] = useState(!lastResult);
  return (
    <Form method="post" {...getFormProps(form)}>
      <Flex direction="column" gap="3" style={{ maxWidth: 640 }}>
        <FormErrors errors={form.errors} />
        <Grid columns={{ initial: "1", sm: "3" }} gap="3">
          <Field id={fields.number.id} label={t.number} errors={fields.number.errors} errorId={fields.number.errorId}>
            <TextField.Root
              {...getInputProps(fields.number, { type: "number" })}
              key={fields.number.key}
              onChange={(e) => {
                const n = Number(e.currentTarget.value);
                if (nameFollows && Number.isInteger(n) && n >= 1 && n <= 99) {
                  form.update({ name: fields.name.name, value: defaultGroupName(n, level) });
                }
              }}
            />
          </Field>
          <div style={{ gridColumn: "span 2" }}>
            <Field id={fields.name.id} label={t.name} errors={fields.name.errors} errorId={fields.name.errorId}>
              <TextField.Root {...getInputProps(fields.name, { type: "text" })} key={fields.name.key} onInput={() => setNameFollows(false)} />
            </Field>
          </div>
        </Grid>
        <Field id={fields.executingOrgId.id} label={t.executingOrg} errors={fields.executingOrgId.errors} errorId={fields.executingOrgId.errorId}>
          <NativeSelect {...getSelectProps(fields.executingOrgId)} key={fields.executingOrgId.key}>
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>{o.id === roundOrgId ? t.executingOrgOwn(o.name) : `${"　".repeat(o.depth)}${o.name}`}</option>
            ))}
          </NativeSelect>
          <Text size="1" color="gray">{t.executingOrgHint}</Text>
        </Field>
        <DateFields fields={fields} />
        <Flex gap="3" mt="2">
          <Button type="submit" loading={navigation.state === "submitting"}>{t.save}</Button>
          <Button asChild variant="soft" color="gray"><Link to={cancelTo}>{t.cancel}</Link></Button>
        </Flex>
      </Flex>
    </Form>
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the two forms' schemas differ; only these fields are read
type DateField = FieldMetadata<string, any, string[]>;
type DateFieldsProps = { fields: { stationStart: DateField; stationEnd: DateField } };

function DateFields({ fields }: DateFieldsProps) {
  return (
    <Grid columns="2" gap="3">
      <Field id={fields.stationStart.id} label={t.stationStart} errors={fields.stationStart.errors} errorId={fields.stationStart.errorId}>
        <TextField.Root {...getInputProps(fields.stationStart, { type: "date" })} key={fields.stationStart.key} />
      </Field>
      <Field id={fields.stationEnd.id} label={t.stationEnd} errors={fields.stationEnd.errors} errorId={fields.stationEnd.errorId}>
        <TextField.Root {...getInputProps(fields.stationEnd, { type: "date" })} key={fields.stationEnd.key} />
      </Field>
    </Grid>
  );
}

/** A group's name and stationing dates (the database checks every member against new dates). */
export function EditGroupForm({
  lastResult,
  defaultValue,
  cancelTo,
}: {
  lastResult?: Reply;
  defaultValue: { name: string; stationStart: string; stationEnd: string };
  cancelTo: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(groupEditSchema, { id: "group-edit", lastResult, defaultValue });
  return (
    <Form method="post" {...getFormProps(form)} aria-label={t.edit}>
      <input type="hidden" name="intent" value="save" />
      <Flex direction="column" gap="3" style={{ maxWidth: 560 }}>
        <FormErrors errors={form.errors} />
        <Field id={fields.name.id} label={t.name} errors={fields.name.errors} errorId={fields.name.errorId}>
          <TextField.Root {...getInputProps(fields.name, { type: "text" })} key={fields.name.key} />
        </Field>
        <DateFields fields={fields} />
        <Flex gap="3" mt="1">
          <Button type="submit" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "save"}>{t.save}</Button>
          <Button asChild variant="soft" color="gray"><Link to={cancelTo}>{t.cancel}</Link></Button>
        </Flex>
      </Flex>
    </Form>
  );
}
