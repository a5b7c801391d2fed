import { useState } from "react";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Box, Button, Callout, Flex, Grid, Heading, Separator, Table, Text, TextArea, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { headLevelLabel, petitionChannelLabel, petitionClassifications, petitionDispositionLabel } from "~/lib/messages";
import { engagementsText } from "~/lib/messages/engagements";
import {
  cadreLevels,
  petitionChannels,
  petitionDispositions,
  petitionSchema,
  petitionUpdateSchema,
  type CadreLevel,
  type PetitionChannel,
  type PetitionDisposition,
} from "~/lib/schemas/petition";
import type { PetitionRow } from "~/models/conduct.server";
import { DataTable } from "./data-table";
import { Field } from "./field";
import { NativeSelect } from "./native-select";
import { FileField } from "./engagement-attachments";

const t = engagementsText.petition;
const when = (d: Date | string) =>
  new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });

export const reportedPerson = (p: { reportedName: string | null; reportedPost: string | null }) =>
  [p.reportedName, p.reportedPost].filter(Boolean).join(" · ") || "—";

/** The register: what was reported and how it is handled; never who reported. */
export function PetitionTable({ petitions }: { petitions: PetitionRow[] }) {
  if (petitions.length === 0) return <Text as="p" color="gray" my="3">{t.empty}</Text>;
  return (
    <DataTable
      label={engagementsText.tabPetitions}
      columns={[{ label: t.seq }, { label: t.channel }, { label: t.receivedAt }, { label: t.reportedPerson }, { label: t.classification }, { label: t.disposition }]}
    >
      {petitions.map((p) => (
        <Table.Row key={p.id} data-testid="petition-row">
          <Table.RowHeaderCell style={{ whiteSpace: "nowrap" }}>
            <Link className="table-link" to={`/petitions/${p.id}`}>{t.seqValue(p.seq)}</Link>
          </Table.RowHeaderCell>
          <Table.Cell>{petitionChannelLabel[p.channel]}</Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{when(p.receivedAt)}</Table.Cell>
          <Table.Cell>{reportedPerson(p)}</Table.Cell>
          <Table.Cell>{p.classification ?? "—"}</Table.Cell>
          <Table.Cell>{p.disposition ? petitionDispositionLabel[p.disposition] : t.none}</Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}

type Fields = ReturnType<typeof useZodForm<typeof petitionUpdateSchema>>[1];

/** The fields registration and handling share: channel and time, whom it concerns, what, and what was done. */
function HandlingFields({ fields, before }: { fields: Fields; before?: React.ReactNode }) {
  return (
    <>
      <Grid columns={{ initial: "1", sm: "2" }} gap="3" align="start">
        <Field id={fields.channel.id} label={t.channel} errors={fields.channel.errors} errorId={fields.channel.errorId}>
          <NativeSelect {...getSelectProps(fields.channel)} key={fields.channel.key}>
            <option value="">请选择</option>
            {petitionChannels.map((c) => <option key={c} value={c}>{petitionChannelLabel[c]}</option>)}
          </NativeSelect>
        </Field>
        <Field id={fields.receivedAt.id} label={t.receivedAt} errors={fields.receivedAt.errors} errorId={fields.receivedAt.errorId}>
          <TextField.Root {...getInputProps(fields.receivedAt, { type: "datetime-local" })} key={fields.receivedAt.key} />
        </Field>
      </Grid>
      {before}
      <Separator size="4" />
      <Heading as="h4" size="2" color="gray">{t.reportedPerson}</Heading>
      <Grid columns={{ initial: "1", sm: "3" }} gap="3" align="start">
        <Field id={fields.reportedName.id} label={t.reportedName} errors={fields.reportedName.errors} errorId={fields.reportedName.errorId}>
          <TextField.Root {...getInputProps(fields.reportedName, { type: "text" })} key={fields.reportedName.key} />
        </Field>
        <Field id={fields.reportedPost.id} label={t.reportedPost} errors={fields.reportedPost.errors} errorId={fields.reportedPost.errorId}>
          <TextField.Root {...getInputProps(fields.reportedPost, { type: "text" })} key={fields.reportedPost.key} />
        </Field>
        <Field id={fields.reportedLevel.id} label={t.reportedLevel} errors={fields.reportedLevel.errors} errorId={fields.reportedLevel.errorId}>
          <NativeSelect {...getSelectProps(fields.reportedLevel)} key={fields.reportedLevel.key}>
            <option value="">（不详）</option>
            {cadreLevels.map((l) => <option key={l} value={l}>{headLevelLabel[l]}</option>)}
          </NativeSelect>
        </Field>
      </Grid>
      <Field id={fields.content.id} label={t.content} errors={fields.content.errors} errorId={fields.content.errorId}>
        <TextArea {...getTextareaProps(fields.content)} key={fields.content.key} rows={5} />
      </Field>
      <Separator size="4" />
      <Grid columns={{ initial: "1", sm: "2" }} gap="3" align="start">
        <Field id={fields.classification.id} label={t.classification} errors={fields.classification.errors} errorId={fields.classification.errorId}>
          <NativeSelect {...getSelectProps(fields.classification)} key={fields.classification.key}>
            <option value="">（未分类）</option>
            {petitionClassifications.map((c) => <option key={c} value={c}>{c}</option>)}
          </NativeSelect>
        </Field>
        <Field id={fields.disposition.id} label={t.disposition} errors={fields.disposition.errors} errorId={fields.disposition.errorId}>
          <NativeSelect {...getSelectProps(fields.disposition)} key={fields.disposition.key}>
            <option value="">{t.none}</option>
            {petitionDispositions.map((d) => <option key={d} value={d}>{petitionDispositionLabel[d]}</option>)}
          </NativeSelect>
        </Field>
      </Grid>
      <Field id={fields.result.id} label={t.result} errors={fields.result.errors} errorId={fields.result.errorId}>
        <TextArea {...getTextareaProps(fields.result)} key={fields.result.key} rows={3} />
      </Field>
    </>
  );
}

/**
 * 统一登记: one form for every channel. The reporter's name and contact are asked for
 * only when the petition is signed, and are stored apart from the petition (ADR 009).
 */
export function PetitionRegisterForm({
  lastResult,
  canAttach,
  defaultReceivedAt,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  canAttach: boolean;
  defaultReceivedAt: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(petitionSchema, { id: "petition", lastResult, defaultValue: { receivedAt: defaultReceivedAt } });
  const [anonymous, setAnonymous] = useState(fields.anonymous.initialValue === "on");
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "petition";
  const identity = (
    <Box className="identity-box" p="3">
      <Flex direction="column" gap="3">
        <label className="check-label">
          <input
            {...getInputProps(fields.anonymous, { type: "checkbox" })}
            key={fields.anonymous.key}
            onChange={(e) => setAnonymous(e.currentTarget.checked)}
          />
          {t.anonymous}
        </label>
        {anonymous ? null : (
          <>
            <Grid columns={{ initial: "1", sm: "2" }} gap="3" align="start">
              <Field id={fields.reporterName.id} label={t.reporterName} errors={fields.reporterName.errors} errorId={fields.reporterName.errorId}>
                <TextField.Root {...getInputProps(fields.reporterName, { type: "text" })} key={fields.reporterName.key} autoComplete="off" />
              </Field>
              <Field id={fields.reporterContact.id} label={t.reporterContact} errors={fields.reporterContact.errors} errorId={fields.reporterContact.errorId}>
                <TextField.Root {...getInputProps(fields.reporterContact, { type: "text" })} key={fields.reporterContact.key} autoComplete="off" />
              </Field>
            </Grid>
            <Text size="1" color="gray">{t.reporterHint}</Text>
          </>
        )}
      </Flex>
    </Box>
  );
  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} aria-label={t.formTitle} autoComplete="off">
      <input type="hidden" name="intent" value="petition" />
      <Heading as="h3" size="3" mb="3">{t.formTitle}</Heading>
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <Flex direction="column" gap="3">
        <HandlingFields fields={fields as unknown as Fields} before={identity} />
        {canAttach ? <FileField id={fields.file.id} name={fields.file.name} errors={fields.file.errors} errorId={fields.file.errorId} optional /> : null}
        <Flex><Button type="submit" loading={busy}>{t.register}</Button></Flex>
      </Flex>
    </Form>
  );
}

export interface PetitionHandlingValues {
  channel: PetitionChannel;
  receivedAt: string;
  reportedName: string | null;
  reportedPost: string | null;
  reportedLevel: CadreLevel | null;
  content: string;
  classification: string | null;
  disposition: PetitionDisposition | null;
  result: string | null;
}

/** Handling after intake: disposition, result, corrections. The identity is not here. */
export function PetitionHandlingForm({
  lastResult,
  values,
  cancelTo,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  values: PetitionHandlingValues;
  cancelTo: string;
}) {
  const navigation = useNavigation();
  const clean = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v ?? undefined]));
  const [form, fields] = useZodForm(petitionUpdateSchema, { id: "petition-update", lastResult, defaultValue: clean });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "update";
  return (
    <Form method="post" {...getFormProps(form)} aria-label={t.edit}>
      <input type="hidden" name="intent" value="update" />
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <Flex direction="column" gap="3">
        <HandlingFields fields={fields} />
        <Flex gap="3">
          <Button type="submit" loading={busy}>{t.save}</Button>
          <Button asChild variant="soft" color="gray"><Link to={cancelTo}>{engagementsText.cancel}</Link></Button>
        </Flex>
      </Flex>
    </Form>
  );
}
