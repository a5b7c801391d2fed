import { getFormProps, getInputProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Button, Callout, Flex, Grid, TextArea, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { campaignsText as t, systemSuggestions } from "~/lib/messages/campaigns";
import { campaignEditSchema, campaignSchema } from "~/lib/schemas/campaigns";
import { Field } from "./field";
import { OfficePicker, type OfficeOption } from "./campaign-offices";

type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

export const idsOf = (raw: unknown): number[] =>
  (Array.isArray(raw) ? raw : raw == null ? [] : [raw]).map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);

export interface CampaignDefaults {
  title?: string;
  systemName?: string;
  startsOn?: string;
  endsOn?: string;
  guidance?: string;
}

/**
 * The campaign's fields: title, 系统/主题 (with the usual systems offered), period and
 * 工作指引; with `offices`, the participants too (launching). What was typed comes back
 * after a refusal.
 */
export function CampaignForm({
  lastResult,
  defaultValue,
  offices,
  submitLabel,
  cancelTo,
  intent,
}: {
  lastResult?: Reply | null;
  defaultValue?: CampaignDefaults;
  /** Launching: the offices below to choose participants from. */
  offices?: OfficeOption[];
  submitLabel: string;
  cancelTo?: string;
  intent?: string;
}) {
  const navigation = useNavigation();
  const schema = offices ? campaignSchema : campaignEditSchema;
  const [form, fields] = useZodForm(schema, { id: intent ?? "campaign", lastResult, defaultValue: defaultValue as Record<string, unknown> });
  const participantField = (fields as Record<string, { errors?: string[]; errorId: string }>).participant;
  return (
    <Form method="post" {...getFormProps(form)} aria-label={submitLabel}>
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <Flex direction="column" gap="3">
        {form.errors?.length ? (
          <Callout.Root color="red" role="alert"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
        ) : null}
        <Grid columns={{ initial: "1", sm: "2" }} gap="3">
          <Field id={fields.title.id} label={t.fieldTitle} errors={fields.title.errors} errorId={fields.title.errorId}>
            <TextField.Root {...getInputProps(fields.title, { type: "text" })} key={fields.title.key} placeholder={t.fieldTitleHint} />
          </Field>
          <Field id={fields.systemName.id} label={t.fieldSystem} errors={fields.systemName.errors} errorId={fields.systemName.errorId}>
            <TextField.Root {...getInputProps(fields.systemName, { type: "text" })} key={fields.systemName.key}
              list={`${form.id}-systems`} placeholder={t.fieldSystemHint} />
            <datalist id={`${form.id}-systems`}>
              {systemSuggestions.map((s) => <option key={s} value={s} />)}
            </datalist>
          </Field>
          <Field id={fields.startsOn.id} label={t.fieldStartsOn} errors={fields.startsOn.errors} errorId={fields.startsOn.errorId}>
            <TextField.Root {...getInputProps(fields.startsOn, { type: "date" })} key={fields.startsOn.key} />
          </Field>
          <Field id={fields.endsOn.id} label={t.fieldEndsOn} errors={fields.endsOn.errors} errorId={fields.endsOn.errorId}>
            <TextField.Root {...getInputProps(fields.endsOn, { type: "date" })} key={fields.endsOn.key} />
          </Field>
        </Grid>
        <Field id={fields.guidance.id} label={t.fieldGuidance} errors={fields.guidance.errors} errorId={fields.guidance.errorId}>
          <TextArea {...getTextareaProps(fields.guidance)} key={fields.guidance.key} rows={6} placeholder={t.fieldGuidanceHint} />
        </Field>
        {offices ? (
          <OfficePicker
            // Remounted with the server's reply, so the offices chosen before a refusal stay chosen.
            key={JSON.stringify(lastResult?.initialValue?.participant ?? null)}
            name="participant"
            legend={t.fieldParticipants}
            hint={t.participantsHint}
            offices={offices}
            defaultSelected={idsOf(lastResult?.initialValue?.participant)}
            errors={participantField?.errors}
            errorId={participantField?.errorId}
          />
        ) : null}
        <Flex gap="3" mt="2">
          <Button type="submit" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === (intent ?? null)}>
            {submitLabel}
          </Button>
          {cancelTo ? <Button asChild variant="soft" color="gray"><Link to={cancelTo}>{t.cancel}</Link></Button> : null}
        </Flex>
      </Flex>
    </Form>
  );
}

