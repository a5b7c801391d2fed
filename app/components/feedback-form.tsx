import { useRef, useState } from "react";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { Badge, Button, Callout, Flex, Grid, Heading, Separator, Text, TextArea, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { feedbackFormHint, feedbackFormLabel, feedbackText as t, problemSeverityLabel } from "~/lib/messages/feedback";
import { defaultPlanDue, feedbackForms, feedbackSchema } from "~/lib/schemas/feedback";
import type { FeedbackProblem } from "~/models/feedback.server";
import { Field } from "./field";
import { NativeSelect } from "./native-select";

/**
 * 登记巡察反馈. The plan deadline follows the feedback date (two months later) until the
 * user sets it; every pending problem is checked to begin with. After a refused
 * submission, everything typed and every box ticked comes back as it was.
 */
export function FeedbackForm({
  reportedOn,
  defaultFeedbackOn,
  defaultMainRecipients,
  problems,
  lastResult,
}: {
  reportedOn: string;
  defaultFeedbackOn: string;
  defaultMainRecipients: string;
  problems: FeedbackProblem[];
  lastResult?: SubmissionResult<string[]> | null;
}) {
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const [form, fields] = useZodForm(feedbackSchema(reportedOn), {
    id: "feedback",
    lastResult,
    defaultValue: {
      feedbackOn: defaultFeedbackOn,
      mainRecipients: defaultMainRecipients,
      planDue: defaultPlanDue(defaultFeedbackOn),
      problemIds: problems.map((p) => String(p.id)),
    },
  });
  const initialPlanDue = typeof fields.planDue.initialValue === "string" ? fields.planDue.initialValue : defaultPlanDue(defaultFeedbackOn);
  const [planDue, setPlanDue] = useState(initialPlanDue);
  // Once the user sets the deadline himself, a new feedback date no longer moves it.
  const [planTouched, setPlanTouched] = useState(initialPlanDue !== defaultPlanDue(String(fields.feedbackOn.initialValue ?? defaultFeedbackOn)));
  const checked = new Set(
    ([] as unknown[]).concat(fields.problemIds.initialValue ?? []).map((v) => String(v)),
  );
  const setAll = (on: boolean) => {
    formRef.current?.querySelectorAll<HTMLInputElement>(`input[name="${fields.problemIds.name}"]`).forEach((box) => {
      box.checked = on;
    });
  };
  return (
    <Form method="post" {...getFormProps(form)} ref={formRef} aria-labelledby="feedback-form-title">
      <input type="hidden" name="intent" value="feedback" />
      <Flex direction="column" gap="3">
        <Heading as="h2" size="4" id="feedback-form-title">{t.formTitle}</Heading>
        <Text size="2" color="gray">{t.formNote}</Text>
        {form.errors?.length ? (
          <Callout.Root color="red" role="alert"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
        ) : null}
        <Grid columns={{ initial: "1", sm: "3" }} gap="3" align="start">
          <Field id={fields.feedbackOn.id} label={t.feedbackOn} errors={fields.feedbackOn.errors} errorId={fields.feedbackOn.errorId}>
            <TextField.Root
              {...getInputProps(fields.feedbackOn, { type: "date" })}
              key={fields.feedbackOn.key}
              min={reportedOn}
              onChange={(e) => {
                const v = e.currentTarget.value;
                if (!planTouched && /^\d{4}-\d{2}-\d{2}$/.test(v)) setPlanDue(defaultPlanDue(v));
              }}
            />
            <Text size="1" color="gray">{t.reportedOn(reportedOn)}</Text>
          </Field>
          <Field id={fields.form.id} label={t.form} errors={fields.form.errors} errorId={fields.form.errorId}>
            <NativeSelect {...getSelectProps(fields.form)} key={fields.form.key}>
              <option value="">{t.formPick}</option>
              {feedbackForms.map((f) => <option key={f} value={f}>{`${feedbackFormLabel[f]}（${feedbackFormHint[f]}）`}</option>)}
            </NativeSelect>
          </Field>
          <Field id={fields.documentNo.id} label={t.documentNo} errors={fields.documentNo.errors} errorId={fields.documentNo.errorId}>
            <TextField.Root {...getInputProps(fields.documentNo, { type: "text" })} key={fields.documentNo.key} placeholder={t.documentNoHint} />
          </Field>
        </Grid>
        <Field id={fields.attendees.id} label={t.attendees} errors={fields.attendees.errors} errorId={fields.attendees.errorId}>
          <TextArea {...getTextareaProps(fields.attendees)} key={fields.attendees.key} rows={2} placeholder={t.attendeesHint} />
        </Field>
        <Grid columns={{ initial: "1", sm: "2" }} gap="3" align="start">
          <Field id={fields.mainRecipients.id} label={t.mainRecipients} errors={fields.mainRecipients.errors} errorId={fields.mainRecipients.errorId}>
            <TextField.Root {...getInputProps(fields.mainRecipients, { type: "text" })} key={fields.mainRecipients.key} />
          </Field>
          <Field id={fields.ccRecipients.id} label={t.ccRecipients} errors={fields.ccRecipients.errors} errorId={fields.ccRecipients.errorId}>
            <TextField.Root {...getInputProps(fields.ccRecipients, { type: "text" })} key={fields.ccRecipients.key} />
          </Field>
        </Grid>
        <Field id={fields.planDue.id} label={t.planDue} errors={fields.planDue.errors} errorId={fields.planDue.errorId}>
          <Flex gap="3" align="center" wrap="wrap">
            <TextField.Root
              type="date"
              id={fields.planDue.id}
              name={fields.planDue.name}
              value={planDue}
              aria-invalid={fields.planDue.errors ? true : undefined}
              aria-describedby={fields.planDue.errors ? fields.planDue.errorId : `${fields.planDue.id}-hint`}
              onChange={(e) => {
                setPlanTouched(true);
                setPlanDue(e.currentTarget.value);
              }}
              style={{ minWidth: 180 }}
            />
            <Text size="1" color="gray" id={`${fields.planDue.id}-hint`}>{t.planDueHint}</Text>
          </Flex>
        </Field>
        <Separator size="4" />
        <fieldset style={{ border: 0, padding: 0, margin: 0 }} aria-describedby={fields.problemIds.errors ? fields.problemIds.errorId : undefined}>
          <legend><Text size="2" weight="medium">{t.pickProblems}</Text></legend>
          <Flex gap="3" my="2">
            <Button type="button" size="1" variant="soft" onClick={() => setAll(true)}>{t.selectAll}</Button>
            <Button type="button" size="1" variant="soft" color="gray" onClick={() => setAll(false)}>{t.selectNone}</Button>
          </Flex>
          <Flex direction="column" gap="2" data-testid="feedback-problems">
            {problems.map((p) => (
              <label key={`${p.id}-${fields.problemIds.key ?? ""}`} className="check-label" style={{ alignItems: "flex-start" }}>
                <input type="checkbox" name={fields.problemIds.name} value={p.id} defaultChecked={checked.has(String(p.id))} />
                <span>
                  {t.problemSeqValue(p.seq)}　{p.title}
                  <Text size="1" color="gray">{`　${p.categoryName ?? ""}`}</Text>
                  {p.severity !== "general" ? <Badge ml="2" color={p.severity === "grave" ? "red" : "orange"} variant="soft">{problemSeverityLabel[p.severity]}</Badge> : null}
                </span>
              </label>
            ))}
          </Flex>
          {fields.problemIds.errors ? (
            <Text className="field-error" id={fields.problemIds.errorId} role="alert">{fields.problemIds.errors.join(" ")}</Text>
          ) : null}
        </fieldset>
        <Flex>
          <Button type="submit" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "feedback"}>
            {t.submit}
          </Button>
        </Flex>
      </Flex>
    </Form>
  );
}
