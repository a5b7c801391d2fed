import { getFormProps, getInputProps, getSelectProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Button, Callout, Flex, Grid, Heading, Table, Text, TextArea, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { fieldworkKindLabel } from "~/lib/messages";
import { engagementsText as t } from "~/lib/messages/engagements";
import { fieldworkKinds, fieldworkSchema } from "~/lib/schemas/engagement";
import type { AttachmentRow } from "~/models/attachments.server";
import type { FieldworkRow } from "~/models/conduct.server";
import { DataTable } from "./data-table";
import { Field } from "./field";
import { NativeSelect } from "./native-select";
import { AttachmentLinks, FileField } from "./engagement-attachments";

export function FieldworkTable({
  records,
  attachments,
  canEdit,
}: {
  records: FieldworkRow[];
  attachments: AttachmentRow[];
  canEdit: boolean;
}) {
  if (records.length === 0) return <Text as="p" color="gray" my="3">{t.fieldwork.empty}</Text>;
  return (
    <DataTable
      label={t.tabFieldwork}
      columns={[
        { label: t.fieldwork.occurredOn },
        { label: t.fieldwork.kind },
        { label: t.fieldwork.participants },
        { label: t.fieldwork.summary },
        { label: t.fieldwork.attachments },
        { label: t.fieldwork.recordedBy },
        ...(canEdit ? [{ label: "" }] : []),
      ]}
    >
      {records.map((r) => (
        <Table.Row key={r.id} data-testid="fieldwork-row">
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{r.occurredOn}</Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{fieldworkKindLabel[r.kind]}</Table.Cell>
          <Table.Cell style={{ minWidth: "8em" }}>{r.participants}</Table.Cell>
          <Table.Cell>
            {r.subject ? <Text as="div" weight="medium">{r.subject}</Text> : null}
            <Text as="div" size="2" color="gray" className="pre-wrap">{r.summary.length > 120 ? `${r.summary.slice(0, 120)}…` : r.summary}</Text>
          </Table.Cell>
          <Table.Cell style={{ minWidth: "5em" }}><AttachmentLinks items={attachments.filter((a) => a.fieldworkRecordId === r.id)} /></Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap", minWidth: "4.5em" }}>{r.createdBy ?? "—"}</Table.Cell>
          {canEdit ? (
            <Table.Cell style={{ whiteSpace: "nowrap" }}>
              <Button asChild size="1" variant="ghost">
                <Link to={`?tab=fieldwork&edit=${r.id}`} aria-label={`${t.fieldwork.edit} ${r.occurredOn} ${fieldworkKindLabel[r.kind]}`}>
                  {t.fieldwork.edit}
                </Link>
              </Button>
            </Table.Cell>
          ) : null}
        </Table.Row>
      ))}
    </DataTable>
  );
}

/** New record, or the correction of one (`record`); a file may go with either. */
export function FieldworkForm({
  lastResult,
  record,
  canAttach,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  record?: FieldworkRow | null;
  canAttach: boolean;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(fieldworkSchema, {
    id: record ? `fieldwork-${record.id}` : "fieldwork",
    lastResult,
    defaultValue: record
      ? { kind: record.kind, occurredOn: record.occurredOn, participants: record.participants, subject: record.subject ?? undefined, summary: record.summary }
      : undefined,
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "fieldwork";
  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} aria-label={record ? t.fieldwork.formTitleEdit : t.fieldwork.formTitleNew}>
      <input type="hidden" name="intent" value="fieldwork" />
      {record ? <input type="hidden" name="recordId" value={record.id} /> : null}
      <Heading as="h3" size="3" mb="3">{record ? t.fieldwork.formTitleEdit : t.fieldwork.formTitleNew}</Heading>
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <Flex direction="column" gap="3">
        <Grid columns={{ initial: "1", sm: "3" }} gap="3" align="start">
          <Field id={fields.kind.id} label={t.fieldwork.kind} errors={fields.kind.errors} errorId={fields.kind.errorId}>
            <NativeSelect {...getSelectProps(fields.kind)} key={fields.kind.key}>
              <option value="">请选择</option>
              {fieldworkKinds.map((k) => <option key={k} value={k}>{fieldworkKindLabel[k]}</option>)}
            </NativeSelect>
          </Field>
          <Field id={fields.occurredOn.id} label={t.fieldwork.occurredOn} errors={fields.occurredOn.errors} errorId={fields.occurredOn.errorId}>
            <TextField.Root {...getInputProps(fields.occurredOn, { type: "date" })} key={fields.occurredOn.key} />
          </Field>
          <Field id={fields.subject.id} label={t.fieldwork.subject} errors={fields.subject.errors} errorId={fields.subject.errorId}>
            <TextField.Root {...getInputProps(fields.subject, { type: "text" })} key={fields.subject.key} />
          </Field>
        </Grid>
        <Field id={fields.participants.id} label={t.fieldwork.participants} errors={fields.participants.errors} errorId={fields.participants.errorId}>
          <TextField.Root {...getInputProps(fields.participants, { type: "text" })} key={fields.participants.key} placeholder={t.fieldwork.participantsHint} />
        </Field>
        <Field id={fields.summary.id} label={t.fieldwork.summary} errors={fields.summary.errors} errorId={fields.summary.errorId}>
          <TextArea {...getTextareaProps(fields.summary)} key={fields.summary.key} rows={5} />
        </Field>
        {canAttach ? <FileField id={fields.file.id} name={fields.file.name} errors={fields.file.errors} errorId={fields.file.errorId} optional /> : null}
        <Flex gap="3">
          <Button type="submit" loading={busy}>{record ? t.fieldwork.saveEdit : t.fieldwork.save}</Button>
          {record ? <Button asChild variant="soft" color="gray"><Link to="?tab=fieldwork">{t.fieldwork.cancelEdit}</Link></Button> : null}
        </Flex>
      </Flex>
    </Form>
  );
}
