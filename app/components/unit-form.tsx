import { useZodForm } from "~/lib/forms";
import { getFormProps, getInputProps, getSelectProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Button, Callout, Flex, TextField } from "@radix-ui/themes";
import { headLevelLabel, m, unitCategoryLabel } from "~/lib/messages";
import { headLevels, unitCategories, unitSchema, type UnitInput } from "~/lib/schemas/unit";
import { Field } from "./field";
import { NativeSelect } from "./native-select";

export function UnitForm({
  lastResult,
  defaultValue,
  parentOptions,
  submitLabel,
  cancelTo,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Partial<UnitInput>;
  parentOptions: { id: number; name: string }[];
  submitLabel: string;
  cancelTo: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(unitSchema, { lastResult, defaultValue });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <Flex direction="column" gap="3" style={{ maxWidth: 560 }}>
        {form.errors?.length ? (
          <Callout.Root color="red" role="alert"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
        ) : null}
        <Field id={fields.name.id} label={m.units.name} errors={fields.name.errors} errorId={fields.name.errorId}>
          <TextField.Root {...getInputProps(fields.name, { type: "text" })} key={fields.name.key} />
        </Field>
        <Field id={fields.category.id} label={m.units.category} errors={fields.category.errors} errorId={fields.category.errorId}>
          <NativeSelect {...getSelectProps(fields.category)} key={fields.category.key}>
            <option value="">请选择</option>
            {unitCategories.map((c) => <option key={c} value={c}>{unitCategoryLabel[c]}</option>)}
          </NativeSelect>
        </Field>
        <Field id={fields.headLevel.id} label={m.units.headLevel} errors={fields.headLevel.errors} errorId={fields.headLevel.errorId}>
          <NativeSelect {...getSelectProps(fields.headLevel)} key={fields.headLevel.key}>
            <option value="">请选择</option>
            {headLevels.map((c) => <option key={c} value={c}>{headLevelLabel[c]}</option>)}
          </NativeSelect>
        </Field>
        <Field id={fields.parentUnitId.id} label={m.units.parentUnit} errors={fields.parentUnitId.errors} errorId={fields.parentUnitId.errorId}>
          <NativeSelect {...getSelectProps(fields.parentUnitId)} key={fields.parentUnitId.key}>
            <option value="">{m.units.noParent}</option>
            {parentOptions.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </NativeSelect>
        </Field>
        <Flex gap="3" mt="2">
          <Button type="submit" loading={navigation.state === "submitting"}>{submitLabel}</Button>
          <Button asChild variant="soft" color="gray"><Link to={cancelTo}>{m.units.cancel}</Link></Button>
        </Flex>
      </Flex>
    </Form>
  );
}
