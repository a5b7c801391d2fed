import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Button, Callout, Flex, Grid, Text, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { engagementStageDateLabel, engagementStageLabel, engagementsText as t } from "~/lib/messages/engagements";
import { stageFields, stagesSchema, type StageDates } from "~/lib/schemas/engagement";
import { Field } from "./field";

/** The five stages in order, with their dates; the ones not reached yet are grey. */
export function StageTimeline({ dates, today }: { dates: StageDates; today: string }) {
  return (
    <ol className="stage-track" aria-label={t.stages}>
      {stageFields.map((f) => {
        const date = dates[f];
        const state = !date ? "todo" : f !== "rectificationDue" && date > today ? "planned" : "done";
        return (
          <li key={f} className={`stage stage-${state}`} data-testid={`stage-${f}`}>
            <span className="stage-dot" aria-hidden />
            <Text as="div" size="2" weight="medium">{engagementStageLabel[f]}</Text>
            <Text as="div" size="1" color="gray">{date ?? t.stageNotYet}</Text>
          </li>
        );
      })}
    </ol>
  );
}

export function StagesForm({
  lastResult,
  dates,
  cancelTo,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  dates: StageDates;
  cancelTo: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(stagesSchema, {
    id: "stages",
    lastResult,
    defaultValue: Object.fromEntries(stageFields.map((f) => [f, dates[f] ?? undefined])),
  });
  return (
    <Form method="post" {...getFormProps(form)} aria-label={t.editStages}>
      <input type="hidden" name="intent" value="stages" />
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <Grid columns={{ initial: "1", sm: "5" }} gap="3" align="start">
        {stageFields.map((f) => (
          <Field key={f} small id={fields[f].id} label={engagementStageDateLabel[f]} errors={fields[f].errors} errorId={fields[f].errorId}>
            <TextField.Root {...getInputProps(fields[f], { type: "date" })} key={fields[f].key} />
          </Field>
        ))}
      </Grid>
      <Flex gap="3" mt="3">
        <Button type="submit" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "stages"}>
          {t.saveStages}
        </Button>
        <Button asChild variant="soft" color="gray"><Link to={cancelTo}>{t.cancel}</Link></Button>
      </Flex>
    </Form>
  );
}
