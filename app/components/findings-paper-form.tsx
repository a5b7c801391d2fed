import { getFormProps, getInputProps, getSelectProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Button, Callout, Flex, Grid, Heading, TextArea, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { groupRoleLabel } from "~/lib/messages";
import { disciplineFormLabel, findingsText, severityLabel } from "~/lib/messages/findings";
import { disciplineForms, paperSchema, severities, type DisciplineForm, type Severity } from "~/lib/schemas/findings";
import type { CategoryGroup, MemberOption } from "~/models/findings.server";
import { Field } from "./field";
import { NativeSelect } from "./native-select";

const t = findingsText.papers;

/** The categories grouped by their top level; a top with sub-categories is also offered itself (未细分). */
export function CategoryOptions({ groups }: { groups: CategoryGroup[] }) {
  return (
    <>
      {groups.map((g) =>
        g.children.length === 0 ? (
          <option key={g.top.id} value={g.top.id}>{g.top.name}</option>
        ) : (
          <optgroup key={g.top.id} label={g.top.name}>
            {g.children.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            <option value={g.top.id}>{t.categoryGeneral(g.top.name)}</option>
          </optgroup>
        ),
      )}
    </>
  );
}

export interface PaperValues {
  title: string;
  facts: string;
  evidence: string | null;
  categoryId: number;
  severity: Severity;
  disciplineForm: DisciplineForm | null;
  onTheSpot: boolean;
  handlerMemberId: number | null;
}

/**
 * A working paper's content, to draft a new one (no `values`) or change a draft. What
 * was typed comes back with the server's reply when the database refuses it.
 */
export function PaperForm({
  lastResult,
  categories,
  members,
  values,
  cancelTo,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  categories: CategoryGroup[];
  members: MemberOption[];
  values?: PaperValues;
  cancelTo?: string;
}) {
  const editing = values !== undefined;
  const intent = editing ? "update" : "create";
  const navigation = useNavigation();
  const [form, fields] = useZodForm(paperSchema, {
    id: editing ? "paper-edit" : "paper-new",
    lastResult,
    defaultValue: values
      ? {
          title: values.title,
          facts: values.facts,
          evidence: values.evidence ?? undefined,
          categoryId: String(values.categoryId),
          severity: values.severity,
          disciplineForm: values.disciplineForm ?? undefined,
          onTheSpot: values.onTheSpot ? "on" : undefined,
          handlerMemberId: values.handlerMemberId ? String(values.handlerMemberId) : undefined,
        }
      : { severity: "general" },
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const label = t.edit;
  return (
    // Named by its heading where it has one: a text node, which hydration repairs, where an
    // attribute is not (React 18.3's SSR can corrupt either with a stray NUL byte).
    <Form
      method="post"
      {...getFormProps(form)}
      {...(editing ? { "aria-label": label } : { "aria-labelledby": `${form.id}-heading` })}
    >
      <input type="hidden" name="intent" value={intent} />
      {editing ? null : <Heading as="h2" size="3" mb="3" id={`${form.id}-heading`}>{t.new}</Heading>}
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <Flex direction="column" gap="3">
        <Field id={fields.title.id} label={t.name} errors={fields.title.errors} errorId={fields.title.errorId}>
          <TextField.Root {...getInputProps(fields.title, { type: "text" })} key={fields.title.key} />
        </Field>
        <Grid columns={{ initial: "1", sm: "3" }} gap="3" align="start">
          <Field id={fields.categoryId.id} label={t.category} errors={fields.categoryId.errors} errorId={fields.categoryId.errorId}>
            <NativeSelect {...getSelectProps(fields.categoryId)} key={fields.categoryId.key}>
              <option value="">{t.categoryPick}</option>
              <CategoryOptions groups={categories} />
            </NativeSelect>
          </Field>
          <Field id={fields.severity.id} label={t.severity} errors={fields.severity.errors} errorId={fields.severity.errorId}>
            <NativeSelect {...getSelectProps(fields.severity)} key={fields.severity.key}>
              {severities.map((s) => <option key={s} value={s}>{severityLabel[s]}</option>)}
            </NativeSelect>
          </Field>
          <Field id={fields.disciplineForm.id} label={t.disciplineForm} errors={fields.disciplineForm.errors} errorId={fields.disciplineForm.errorId}>
            <NativeSelect {...getSelectProps(fields.disciplineForm)} key={fields.disciplineForm.key}>
              <option value="">{t.disciplineFormNone}</option>
              {disciplineForms.map((f) => <option key={f} value={f}>{disciplineFormLabel[f]}</option>)}
            </NativeSelect>
          </Field>
        </Grid>
        <Grid columns={{ initial: "1", sm: "3" }} gap="3" align="end">
          <Field id={fields.handlerMemberId.id} label={t.handler} errors={fields.handlerMemberId.errors} errorId={fields.handlerMemberId.errorId}>
            <NativeSelect {...getSelectProps(fields.handlerMemberId)} key={fields.handlerMemberId.key}>
              <option value="">{t.handlerPick}</option>
              {members.map((m) => <option key={m.id} value={m.id}>{m.name}（{groupRoleLabel[m.role]}）</option>)}
            </NativeSelect>
          </Field>
          <label className="check-label" style={{ height: "var(--space-6)" }}>
            <input {...getInputProps(fields.onTheSpot, { type: "checkbox" })} key={fields.onTheSpot.key} />
            {t.onTheSpot}
          </label>
        </Grid>
        <Field id={fields.facts.id} label={t.facts} errors={fields.facts.errors} errorId={fields.facts.errorId}>
          <TextArea {...getTextareaProps(fields.facts)} key={fields.facts.key} rows={8} />
        </Field>
        <Field id={fields.evidence.id} label={t.evidence} errors={fields.evidence.errors} errorId={fields.evidence.errorId}>
          <TextArea {...getTextareaProps(fields.evidence)} key={fields.evidence.key} rows={3} placeholder={t.evidenceHint} />
        </Field>
        <Flex gap="3">
          <Button type="submit" loading={busy}>{editing ? t.save : t.create}</Button>
          {cancelTo ? <Button asChild variant="soft" color="gray"><Link to={cancelTo}>{t.cancel}</Link></Button> : null}
        </Flex>
      </Flex>
    </Form>
  );
}
