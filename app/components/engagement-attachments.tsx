import { useState } from "react";
import { getFormProps, getSelectProps, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { Button, Callout, Flex, Grid, Table, Text } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { fieldworkKindLabel } from "~/lib/messages";
import { engagementsText as t, formatBytes } from "~/lib/messages/engagements";
import { attachmentSchema, engagementAttachmentSchema } from "~/lib/schemas/engagement";
import type { AttachmentRow } from "~/models/attachments.server";
import { DataTable } from "./data-table";
import { Field } from "./field";
import { NativeSelect } from "./native-select";

/** What a download link needs of an attachment. */
export type AttachmentItem = Pick<AttachmentRow, "id" | "fileName" | "contentType" | "sizeBytes">;

const href = (id: number) => `/attachments/${id}`;
const when = (d: Date | string) => new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });

/** Download links, for a record's row. A plain link: the browser downloads, no client routing. */
export function AttachmentLinks({ items }: { items: AttachmentItem[] }) {
  if (items.length === 0) return <Text color="gray">—</Text>;
  return (
    <Flex direction="column" gap="1">
      {items.map((a) => (
        <a key={a.id} className="table-link" href={href(a.id)} download={a.fileName}>
          {a.fileName} <Text size="1" color="gray">（{formatBytes(a.sizeBytes)}）</Text>
        </a>
      ))}
    </Flex>
  );
}

/**
 * A file input with the limits spelled out; the server sniffs and checks it again. The
 * native control is drawn by the browser in its own language, so a Chinese button and
 * the chosen name stand in for it (the input itself stays focusable and labelled).
 */
export function FileField({
  id,
  name,
  errors,
  errorId,
  optional,
}: {
  id: string;
  name: string;
  errors?: string[];
  errorId?: string;
  optional?: boolean;
}) {
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <Field id={id} label={optional ? t.attachment.fileOptional : t.attachment.file} errors={errors} errorId={errorId}>
      <Flex align="center" gap="3" className="file-picker">
        <input
          id={id}
          name={name}
          type="file"
          className="file-input"
          accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.txt"
          required={!optional}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={errors?.length ? errorId : `${id}-hint`}
          onChange={(e) => setChosen(e.currentTarget.files?.[0]?.name ?? null)}
        />
        <label htmlFor={id} className="file-button" aria-hidden>{t.attachment.choose}</label>
        <Text size="2" color={chosen ? undefined : "gray"} data-testid="file-chosen">{chosen ?? t.attachment.noneChosen}</Text>
      </Flex>
      <Text id={`${id}-hint`} size="1" color="gray">{t.attachment.fileHint}</Text>
    </Field>
  );
}

export function AttachmentTable({
  items,
  canDelete,
  showOwner,
}: {
  items: AttachmentRow[];
  canDelete: boolean;
  showOwner: boolean;
}) {
  if (items.length === 0) return <Text as="p" color="gray" my="3">{t.attachment.empty}</Text>;
  return (
    <DataTable
      label={t.tabAttachments}
      columns={[
        { label: t.attachment.fileName },
        ...(showOwner ? [{ label: t.attachment.owner }] : []),
        { label: t.attachment.type },
        { label: t.attachment.size, align: "end" as const },
        { label: t.attachment.uploadedBy },
        { label: t.attachment.uploadedAt },
        { label: t.attachment.sha256 },
        ...(canDelete ? [{ label: "" }] : []),
      ]}
    >
      {items.map((a) => (
        <Table.Row key={a.id} data-testid="attachment-row">
          <Table.RowHeaderCell>
            <a className="table-link" href={href(a.id)} download={a.fileName}>{a.fileName}</a>
          </Table.RowHeaderCell>
          {showOwner ? (
            <Table.Cell>
              {a.petitionSeq != null
                ? t.attachment.ownerPetition(a.petitionSeq)
                : a.fieldworkKind
                  ? t.attachment.ownerFieldwork(fieldworkKindLabel[a.fieldworkKind], a.fieldworkDate ?? "")
                  : "—"}
            </Table.Cell>
          ) : null}
          <Table.Cell>{t.contentTypeLabel[a.contentType] ?? a.contentType}</Table.Cell>
          <Table.Cell justify="end" style={{ whiteSpace: "nowrap" }}>{formatBytes(a.sizeBytes)}</Table.Cell>
          <Table.Cell>{a.createdBy ?? "—"}</Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{when(a.createdAt)}</Table.Cell>
          <Table.Cell><Text className="mono" title={a.sha256}>{a.sha256.slice(0, 12)}…</Text></Table.Cell>
          {canDelete ? (
            <Table.Cell>
              <Form method="post">
                <input type="hidden" name="intent" value="delete-attachment" />
                <input type="hidden" name="attachmentId" value={a.id} />
                <Button type="submit" size="1" variant="ghost" color="red" aria-label={`${t.attachment.remove} ${a.fileName}`}>
                  {t.attachment.remove}
                </Button>
              </Form>
            </Table.Cell>
          ) : null}
        </Table.Row>
      ))}
    </DataTable>
  );
}

function UploadBody({
  form,
  file,
  owner,
}: {
  form: ReturnType<typeof useZodForm<typeof attachmentSchema>>[0];
  file: ReturnType<typeof useZodForm<typeof attachmentSchema>>[1]["file"];
  owner?: React.ReactNode;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "attach";
  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} aria-label={t.attachment.upload}>
      <input type="hidden" name="intent" value="attach" />
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <Grid columns={{ initial: "1", sm: owner ? "2" : "1" }} gap="3" align="start">
        {owner}
        <FileField id={file.id} name={file.name} errors={file.errors} errorId={file.errorId} />
      </Grid>
      <Button type="submit" mt="3" variant="soft" loading={busy}>{t.attachment.upload}</Button>
    </Form>
  );
}

/** Upload one file to one of an engagement's records, picked from `owners`. */
export function AttachmentUploadForm({
  lastResult,
  owners,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  owners: { value: string; label: string }[];
}) {
  const [form, fields] = useZodForm(engagementAttachmentSchema, { id: "attach", lastResult });
  return (
    <UploadBody
      form={form as never}
      file={fields.file}
      owner={
        <Field id={fields.owner.id} label={t.attachment.owner} errors={fields.owner.errors} errorId={fields.owner.errorId}>
          <NativeSelect {...getSelectProps(fields.owner)} key={fields.owner.key}>
            <option value="">请选择</option>
            {owners.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </NativeSelect>
        </Field>
      }
    />
  );
}

/** Upload one file to the record whose page this is (a petition). */
export function RecordAttachmentUploadForm({ lastResult }: { lastResult?: SubmissionResult<string[]> | null }) {
  const [form, fields] = useZodForm(attachmentSchema, { id: "attach", lastResult });
  return <UploadBody form={form} file={fields.file} />;
}
