import { getFormProps, getInputProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { Badge, Button, Callout, Card, Flex, Heading, Text, TextArea, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { rectificationText as t } from "~/lib/messages/rectification";
import { rectificationRate } from "~/lib/figures";
import { disclosureSchema } from "~/lib/schemas/rectification";
import type { DisclosureSnapshot } from "~/models/disclosures.server";
import { Field } from "./field";
import { when } from "./rectification-reports";

export interface DisclosureView {
  id: number;
  slug: string;
  title: string;
  snapshot: DisclosureSnapshot;
  publishedAt: Date | string;
  publishedBy: string | null;
  withdrawnAt: Date | string | null;
}

/** 公示: the office's publications of this unit's rectification, and the form to publish one. */
export function DisclosurePanel({
  disclosures,
  canPublish,
  unitName,
  lastResult,
}: {
  disclosures: DisclosureView[];
  canPublish: boolean;
  unitName: string;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(disclosureSchema, {
    id: "disclosure",
    lastResult,
    defaultValue: { title: t.defaultDisclosureTitle(unitName) },
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "publish";
  return (
    <Card size="3" data-testid="disclosure-panel">
      <Heading as="h2" size="4" mb="1">{t.disclosure}</Heading>
      <Text as="p" size="2" color="gray" mb="3">{t.disclosureHint}</Text>
      {disclosures.length === 0 ? <Text as="p" size="2" color="gray" mb="3">{t.noDisclosures}</Text> : (
        <Flex direction="column" gap="2" mb="3">
          {disclosures.map((d) => (
            <Card key={d.id} size="1" data-testid="disclosure-row">
              <Flex justify="between" align="center" gap="3" wrap="wrap">
                <Flex direction="column" gap="1">
                  <Flex gap="2" align="center">
                    <Text weight="bold">{d.title}</Text>
                    {d.withdrawnAt ? <Badge color="gray">{t.disclosureWithdrawn}</Badge> : <Badge color="green">{t.disclosureActive}</Badge>}
                  </Flex>
                  <Text size="1" color="gray">
                    {t.publishedAt} {when(d.publishedAt)} · {d.publishedBy ?? "—"} · {t.rate} {rectificationRate(d.snapshot.rectified, d.snapshot.fedBack)}
                  </Text>
                  {!d.withdrawnAt ? (
                    <Text size="1">{t.publicLink}：<a className="table-link" href={`/public/rectification/${d.slug}`} target="_blank" rel="noreferrer" data-testid="public-link">/public/rectification/{d.slug}</a></Text>
                  ) : null}
                </Flex>
                {canPublish && !d.withdrawnAt ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="withdraw" />
                    <input type="hidden" name="disclosureId" value={d.id} />
                    <Button type="submit" size="1" color="red" variant="soft">{t.withdraw}</Button>
                  </Form>
                ) : null}
              </Flex>
            </Card>
          ))}
        </Flex>
      )}
      {canPublish ? (
        <Form method="post" {...getFormProps(form)} aria-label={t.publish}>
          <input type="hidden" name="intent" value="publish" />
          {form.errors?.length ? (
            <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
          ) : null}
          <Flex direction="column" gap="3">
            <Field id={fields.title.id} label={t.disclosureTitle} errors={fields.title.errors} errorId={fields.title.errorId}>
              <TextField.Root {...getInputProps(fields.title, { type: "text" })} key={fields.title.key} />
            </Field>
            <Field id={fields.summary.id} label={t.disclosureSummary} errors={fields.summary.errors} errorId={fields.summary.errorId}>
              <TextArea {...getTextareaProps(fields.summary)} key={fields.summary.key} rows={4} />
            </Field>
            <Flex><Button type="submit" loading={busy}>{t.publish}</Button></Flex>
          </Flex>
        </Form>
      ) : null}
    </Card>
  );
}
