import { useState } from "react";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Box, Button, Callout, Flex, Grid, Heading, Separator, Text, TextArea, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { headLevelLabel, petitionChannelLabel } from "~/lib/messages";
import { handlingStages, leadStageLabel, leadsText as t } from "~/lib/messages/leads";
import { cadreLevels, handleLeadSchema, registerLeadSchema, transferLeadSchema } from "~/lib/schemas/leads";
import type { LeadSources } from "~/models/leads.server";
import { Field } from "./field";
import { NativeSelect } from "./native-select";

type Reply = SubmissionResult<string[]> | null | undefined;

function FormErrors({ errors }: { errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <Callout.Root color="red" role="alert"><Callout.Text>{errors.join(" ")}</Callout.Text></Callout.Root>
  );
}

const busyWith = (navigation: ReturnType<typeof useNavigation>, intent: string) =>
  navigation.state === "submitting" && navigation.formData?.get("intent") === intent;

const day = (d: Date | string) => new Date(d).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" });

/**
 * 登记问题线索: one source (a problem of the list, or a petition by 登记号), a summary,
 * and the person concerned, who is stored apart and never listed.
 */
export function LeadRegisterForm({
  sources,
  lastResult,
  defaultProblemId,
  problemsWithLeads,
}: {
  sources: LeadSources;
  lastResult?: Reply;
  defaultProblemId?: number | null;
  problemsWithLeads: number[];
}) {
  const navigation = useNavigation();
  const initialKind = sources.problems.length > 0 || sources.petitions.length === 0 ? "problem" : "petition";
  const [form, fields] = useZodForm(registerLeadSchema, {
    id: "register-lead",
    lastResult,
    defaultValue: { sourceKind: initialKind, problemId: defaultProblemId ? String(defaultProblemId) : undefined },
  });
  const [kind, setKind] = useState(String(fields.sourceKind.initialValue ?? initialKind));
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="register-lead-title">
      <input type="hidden" name="intent" value="register" />
      <Flex direction="column" gap="3">
        <Heading as="h3" size="3" id="register-lead-title">{t.registerTitle}</Heading>
        <Text size="2" color="gray">{t.registerNote}</Text>
        <FormErrors errors={form.errors} />
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend><Text size="2" weight="medium">{t.sourceKind}</Text></legend>
          <Flex gap="4" mt="1">
            {(["problem", "petition"] as const).map((k) => (
              <label key={k} className="check-label">
                <input
                  type="radio"
                  name={fields.sourceKind.name}
                  value={k}
                  defaultChecked={kind === k}
                  onChange={() => setKind(k)}
                  aria-describedby={fields.sourceKind.errors ? fields.sourceKind.errorId : undefined}
                />
                {k === "problem" ? t.sourceProblem : t.sourcePetition}
              </label>
            ))}
          </Flex>
          {fields.sourceKind.errors ? (
            <Text className="field-error" id={fields.sourceKind.errorId} role="alert">{fields.sourceKind.errors.join(" ")}</Text>
          ) : null}
        </fieldset>
        {kind === "problem" ? (
          sources.problems.length === 0 ? (
            <Callout.Root color="gray" role="note"><Callout.Text>{t.noProblems}</Callout.Text></Callout.Root>
          ) : (
            <Field id={fields.problemId.id} label={t.problem} errors={fields.problemId.errors} errorId={fields.problemId.errorId}>
              <NativeSelect {...getSelectProps(fields.problemId)} key={fields.problemId.key}>
                <option value="">{t.problemPick}</option>
                {sources.problems.map((p) => (
                  <option key={p.id} value={p.id}>
                    {t.problemValue(p.seq, p.title)}{problemsWithLeads.includes(p.id) ? "（已登记线索）" : ""}
                  </option>
                ))}
              </NativeSelect>
            </Field>
          )
        ) : sources.petitions.length === 0 ? (
          <Callout.Root color="gray" role="note"><Callout.Text>{t.noPetitions}</Callout.Text></Callout.Root>
        ) : (
          <Field id={fields.petitionId.id} label={t.petition} errors={fields.petitionId.errors} errorId={fields.petitionId.errorId}>
            <NativeSelect {...getSelectProps(fields.petitionId)} key={fields.petitionId.key}>
              <option value="">{t.petitionPick}</option>
              {sources.petitions.map((p) => (
                <option key={p.id} value={p.id}>
                  {t.petitionValue(p.seq, [petitionChannelLabel[p.channel as keyof typeof petitionChannelLabel] ?? p.channel, day(p.receivedAt), p.classification].filter(Boolean).join(" · "))}
                </option>
              ))}
            </NativeSelect>
          </Field>
        )}
        <Field id={fields.summary.id} label={t.summary} errors={fields.summary.errors} errorId={fields.summary.errorId}>
          <TextArea {...getTextareaProps(fields.summary)} key={fields.summary.key} rows={4} aria-describedby={`${fields.summary.id}-hint`} />
          <Text size="1" color="gray" id={`${fields.summary.id}-hint`}>{t.summaryHint}</Text>
        </Field>
        <Box className="identity-box" p="3">
          <Flex direction="column" gap="2">
            <Text size="2" weight="medium">{t.person}</Text>
            <Text size="1" color="gray">{t.personHint}</Text>
            <Grid columns={{ initial: "1", sm: "3" }} gap="3" align="start">
              <Field id={fields.personName.id} label={t.personName} errors={fields.personName.errors} errorId={fields.personName.errorId}>
                <TextField.Root {...getInputProps(fields.personName, { type: "text" })} key={fields.personName.key} autoComplete="off" />
              </Field>
              <Field id={fields.personPost.id} label={t.personPost} errors={fields.personPost.errors} errorId={fields.personPost.errorId}>
                <TextField.Root {...getInputProps(fields.personPost, { type: "text" })} key={fields.personPost.key} autoComplete="off" />
              </Field>
              <Field id={fields.personLevel.id} label={t.personLevel} errors={fields.personLevel.errors} errorId={fields.personLevel.errorId}>
                <NativeSelect {...getSelectProps(fields.personLevel)} key={fields.personLevel.key}>
                  <option value="">{t.levelUnknown}</option>
                  {cadreLevels.map((l) => <option key={l} value={l}>{headLevelLabel[l]}</option>)}
                </NativeSelect>
              </Field>
            </Grid>
          </Flex>
        </Box>
        <Flex>
          <Button type="submit" loading={busyWith(navigation, "register")}>{t.register}</Button>
        </Flex>
      </Flex>
    </Form>
  );
}

/** 移交: to a partner attached to the executing or supervising office. */
export function LeadTransferForm({
  leadId,
  seq,
  summary,
  partners,
  today,
  lastResult,
  cancelTo,
}: {
  leadId: number;
  seq: number;
  summary: string;
  partners: { id: number; name: string }[];
  today: string;
  lastResult?: Reply;
  cancelTo: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(transferLeadSchema(today), {
    id: `transfer-lead-${leadId}`,
    lastResult,
    defaultValue: { leadId: String(leadId), transferredOn: today },
  });
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="transfer-lead-title">
      <input type="hidden" name="intent" value="transfer" />
      <input {...getInputProps(fields.leadId, { type: "hidden" })} key={fields.leadId.key} />
      <Flex direction="column" gap="3">
        <Heading as="h3" size="3" id="transfer-lead-title">{t.transferTitle(seq)}</Heading>
        <Text size="2" className="pre-wrap">{summary}</Text>
        <Text size="2" color="gray">{t.transferNote}</Text>
        <FormErrors errors={form.errors} />
        <Grid columns={{ initial: "1", sm: "3" }} gap="3" align="start">
          <Field id={fields.receivingOrgId.id} label={t.receivingOrg} errors={fields.receivingOrgId.errors} errorId={fields.receivingOrgId.errorId}>
            <NativeSelect {...getSelectProps(fields.receivingOrgId)} key={fields.receivingOrgId.key}>
              <option value="">{t.transferPick}</option>
              {partners.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </NativeSelect>
          </Field>
          <Field id={fields.transferredOn.id} label={t.transferredOn} errors={fields.transferredOn.errors} errorId={fields.transferredOn.errorId}>
            <TextField.Root {...getInputProps(fields.transferredOn, { type: "date" })} key={fields.transferredOn.key} max={today} />
          </Field>
          <Field id={fields.documentNo.id} label={t.documentNo} errors={fields.documentNo.errors} errorId={fields.documentNo.errorId}>
            <TextField.Root {...getInputProps(fields.documentNo, { type: "text" })} key={fields.documentNo.key} placeholder={t.documentNoHint} />
          </Field>
        </Grid>
        <Flex gap="2">
          <Button type="submit" color="amber" loading={busyWith(navigation, "transfer")}>{t.transferSubmit}</Button>
          <Button asChild variant="soft" color="gray"><Link to={cancelTo} preventScrollReset>{t.cancel}</Link></Button>
        </Flex>
      </Flex>
    </Form>
  );
}

/** The receiving partner's handling: one step at a time, with the persons dealt with. */
export function LeadHandlingForm({
  transferredOn,
  today,
  lastResult,
}: {
  transferredOn: string;
  today: string;
  lastResult?: Reply;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(handleLeadSchema(transferredOn, today), {
    id: "handle-lead",
    lastResult,
    defaultValue: { occurredOn: today, sanctioned: "0", judicial: "0" },
  });
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="handle-lead-title">
      <input type="hidden" name="intent" value="handle" />
      <Flex direction="column" gap="3">
        <Heading as="h3" size="3" id="handle-lead-title">{t.handleTitle}</Heading>
        <Text size="2" color="gray">{t.handleNote}</Text>
        <FormErrors errors={form.errors} />
        <Grid columns={{ initial: "1", sm: "2" }} gap="3" align="start">
          <Field id={fields.stage.id} label={t.handleStage} errors={fields.stage.errors} errorId={fields.stage.errorId}>
            <NativeSelect {...getSelectProps(fields.stage)} key={fields.stage.key}>
              <option value="">{t.handleStagePick}</option>
              {handlingStages.map((s) => <option key={s} value={s}>{leadStageLabel[s]}</option>)}
            </NativeSelect>
          </Field>
          <Field id={fields.occurredOn.id} label={t.occurredOn} errors={fields.occurredOn.errors} errorId={fields.occurredOn.errorId}>
            <TextField.Root {...getInputProps(fields.occurredOn, { type: "date" })} key={fields.occurredOn.key} min={transferredOn} max={today} />
          </Field>
        </Grid>
        <Field id={fields.note.id} label={t.note} errors={fields.note.errors} errorId={fields.note.errorId}>
          <TextArea {...getTextareaProps(fields.note)} key={fields.note.key} rows={3} />
        </Field>
        <Separator size="4" />
        <Grid columns={{ initial: "1", sm: "2" }} gap="3" align="start">
          <Field id={fields.sanctioned.id} label={t.sanctioned} errors={fields.sanctioned.errors} errorId={fields.sanctioned.errorId}>
            <TextField.Root {...getInputProps(fields.sanctioned, { type: "number" })} key={fields.sanctioned.key} min={0} max={999} />
          </Field>
          <Field id={fields.judicial.id} label={t.judicial} errors={fields.judicial.errors} errorId={fields.judicial.errorId}>
            <TextField.Root {...getInputProps(fields.judicial, { type: "number" })} key={fields.judicial.key} min={0} max={999} />
          </Field>
        </Grid>
        <Flex>
          <Button type="submit" loading={busyWith(navigation, "handle")}>{t.handleSubmit}</Button>
        </Flex>
      </Flex>
    </Form>
  );
}
