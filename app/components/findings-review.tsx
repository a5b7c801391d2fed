import { getFormProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { Button, Callout, Flex, Heading, Text, TextArea } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { groupRoleLabel } from "~/lib/messages";
import { findingsText, paperActionLabel, paperStepLabel } from "~/lib/messages/findings";
import { reviewSchema, type PaperStatus } from "~/lib/schemas/findings";
import type { ChainStep, ReviewRow } from "~/models/findings.server";
import { Field } from "./field";

const t = findingsText.review;

export const when = (d: Date | string) =>
  new Date(d).toLocaleString("zh-CN", {
    timeZone: "Asia/Shanghai", hour12: false, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  });

const actor = (r: Pick<ReviewRow, "actedAs" | "actedBy">) => t.actorRole(r.actedAs ? groupRoleLabel[r.actedAs] : "", r.actedBy).trim() || "—";

/** 承办人起草 → 副组长审核 → 组长审核 → 组务会审议 → 通过, with who acted and when in this round. */
export function ReviewChain({ steps }: { steps: ChainStep[] }) {
  return (
    <ol className="stage-track" aria-label={t.chain} data-testid="review-chain">
      {steps.map((s) => (
        <li key={s.step} className={`stage stage-${s.state === "done" ? "done" : s.state === "current" ? "planned" : "todo"}`} data-testid={`chain-${s.step}`} data-state={s.state}>
          <span className="stage-dot" aria-hidden />
          <Text as="div" size="2" weight="medium">{s.label}</Text>
          {s.review ? (
            <>
              <Text as="div" size="1">{actor(s.review)}</Text>
              <Text as="div" size="1" color="gray">{when(s.review.actedAt)}</Text>
            </>
          ) : (
            <Text as="div" size="1" color={s.state === "current" ? "crimson" : "gray"}>
              {s.state === "current" ? t.current : s.state === "done" ? t.done : t.pending}
            </Text>
          )}
        </li>
      ))}
    </ol>
  );
}

/** Every act on the paper, returns and their reasons included, oldest first. */
export function ReviewHistory({ reviews }: { reviews: ReviewRow[] }) {
  if (reviews.length === 0) return <Text as="p" size="2" color="gray">{t.historyEmpty}</Text>;
  return (
    <ol className="timeline" aria-label={t.history} data-testid="review-history">
      {reviews.map((r) => (
        <li key={r.id}>
          <Text as="div" size="2">
            <Text weight="medium" color={r.action === "return" ? "red" : undefined}>{paperActionLabel[r.action]}</Text>
            <Text color="gray">（{paperStepLabel[r.step]}）</Text> · {actor(r)}
          </Text>
          <Text as="div" size="1" color="gray">{when(r.actedAt)}</Text>
          {r.comment ? <Text as="div" size="2" className="pre-wrap">{r.action === "return" ? `${t.reason}：` : `${t.comment}：`}{r.comment}</Text> : null}
        </li>
      ))}
    </ol>
  );
}

/**
 * The step the caller may take now, and only that: submit for the draft, approve or
 * return (with a reason) for a review step. The database decides again.
 */
export function ReviewActions({
  status,
  can,
  lastResult,
}: {
  status: PaperStatus;
  can: { submit: boolean; approve: boolean; return: boolean };
  lastResult?: SubmissionResult<string[]> | null;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(reviewSchema, { id: "review", lastResult });
  const busy = (action: string) =>
    navigation.state === "submitting" && navigation.formData?.get("intent") === "review" && navigation.formData?.get("action") === action;
  if (!can.submit && !can.approve && !can.return) {
    return status === "approved" ? null : (
      <Text as="p" size="2" color="gray" data-testid="review-waiting">{status === "drafting" ? t.draftFirst : t.waiting(paperStepLabel[status])}</Text>
    );
  }
  const approveLabel = status === "meeting_review" ? t.approveFinal : t.approve;
  return (
    <Form method="post" {...getFormProps(form)} aria-label={t.chain}>
      <input type="hidden" name="intent" value="review" />
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      {can.submit ? (
        <Button type="submit" name="action" value="submit" loading={busy("submit")}>{t.submit}</Button>
      ) : (
        <Flex direction="column" gap="3">
          <Heading as="h3" size="2">{paperStepLabel[status]}</Heading>
          <Field id={fields.comment.id} label={t.comment_} errors={fields.comment.errors} errorId={fields.comment.errorId}>
            <TextArea {...getTextareaProps(fields.comment)} key={fields.comment.key} rows={3} placeholder={t.reasonHint} />
          </Field>
          <Flex gap="3">
            {can.approve ? <Button type="submit" name="action" value="approve" loading={busy("approve")}>{approveLabel}</Button> : null}
            {can.return ? <Button type="submit" name="action" value="return" color="red" variant="soft" loading={busy("return")}>{t.return}</Button> : null}
          </Flex>
        </Flex>
      )}
    </Form>
  );
}
