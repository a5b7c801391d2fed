import { getFormProps, getInputProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { Box, Button, Callout, Card, Flex, Heading, Separator, Text, TextArea, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { reportKindLabel, rectificationText as t } from "~/lib/messages/rectification";
import type { ReportKind, ReviewStatus } from "~/lib/rectification";
import { reportReviewSchema, reportSchema } from "~/lib/schemas/rectification";
import type { EvidenceFile } from "~/models/rectification.server";
import { AttachmentLinks, FileField } from "./engagement-attachments";
import { Field } from "./field";
import { ReviewStatusBadge } from "./rectification-badges";

export const when = (d: Date | string | null) =>
  d ? new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }) : "—";

export interface ReportView {
  id: number;
  kind: ReportKind;
  seq: number;
  title: string;
  content: string;
  status: ReviewStatus;
  submittedAt: Date | string;
  submittedBy: string | null;
  reviewComment: string | null;
  reviewedAt: Date | string | null;
  reviewedBy: string | null;
  files: EvidenceFile[];
}

type Reply = SubmissionResult<string[]> | undefined;

/** One kind's versions, newest first, each with its review; the office reviews the one awaiting it. */
export function ReportHistory({
  kind,
  reports,
  canReview,
  reviewReply,
}: {
  kind: ReportKind;
  reports: ReportView[];
  canReview: boolean;
  reviewReply: (SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null }) | undefined;
}) {
  const label = reportKindLabel[kind];
  return (
    <Box data-testid={`reports-${kind}`}>
      <Heading as="h3" size="3" mb="2">{label}</Heading>
      {reports.length === 0 ? <Text as="p" color="gray" size="2">{t.noReports(label)}</Text> : null}
      <Flex direction="column" gap="3">
        {reports.map((r) => (
          <Card key={r.id} size="2" data-testid="report-version">
            <Flex justify="between" align="start" gap="3" wrap="wrap">
              <Flex direction="column" gap="1">
                <Text weight="bold">{t.version(r.seq)} · {r.title}</Text>
                <Text size="1" color="gray">{t.submittedAt} {when(r.submittedAt)} · {t.submittedBy} {r.submittedBy ?? "—"}</Text>
              </Flex>
              <ReviewStatusBadge status={r.status} />
            </Flex>
            <details style={{ marginTop: 8 }}>
              <summary><Text size="2" color="gray">{t.showContent}</Text></summary>
              <Text as="p" size="2" className="pre-wrap" mt="2">{r.content}</Text>
            </details>
            {r.files.length ? <Box mt="2"><AttachmentLinks items={r.files} /></Box> : null}
            {r.status !== "submitted" ? (
              <Box mt="2" p="2" style={{ background: r.status === "returned" ? "var(--red-2)" : "var(--green-2)", borderRadius: 4 }}>
                <Text as="p" size="2"><Text weight="medium">{t.reviewComment}：</Text>{r.reviewComment ?? "—"}</Text>
                <Text as="p" size="1" color="gray">{t.reviewedAt} {when(r.reviewedAt)} · {t.reviewedBy} {r.reviewedBy ?? "—"}</Text>
              </Box>
            ) : canReview ? (
              <ReportReviewForm reportId={r.id} label={label}
                lastResult={Number(reviewReply?.initialValue?.reportId) === r.id ? reviewReply : undefined} />
            ) : null}
          </Card>
        ))}
      </Flex>
    </Box>
  );
}

function ReportReviewForm({ reportId, label, lastResult }: { reportId: number; label: string; lastResult: Reply }) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(reportReviewSchema, { id: `review-${reportId}`, lastResult });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "review-report";
  return (
    <Form method="post" {...getFormProps(form)} aria-label={`${t.review}${label}`}>
      <Separator size="4" my="3" />
      <input type="hidden" name="intent" value="review-report" />
      <input type="hidden" name="reportId" value={reportId} />
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="2"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <Field id={fields.comment.id} label={t.reviewReason} errors={fields.comment.errors} errorId={fields.comment.errorId}>
        <TextArea {...getTextareaProps(fields.comment)} key={fields.comment.key} rows={3} />
      </Field>
      <Flex gap="2" mt="2">
        <Button type="submit" name="decision" value="accepted" color="green" loading={busy}>{t.accept}</Button>
        <Button type="submit" name="decision" value="returned" color="red" variant="soft" loading={busy}>{t.return}</Button>
      </Flex>
    </Form>
  );
}

/** The unit's submission of the next report (the plan until accepted, then progress reports). */
export function ReportSubmitForm({ kind, lastResult }: { kind: ReportKind; lastResult: Reply }) {
  const navigation = useNavigation();
  const label = reportKindLabel[kind];
  const [form, fields] = useZodForm(reportSchema, { id: `report-${kind}`, lastResult });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "report";
  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} aria-label={t.submitReport(label)}>
      <input type="hidden" name="intent" value="report" />
      <input type="hidden" name="kind" value={kind} />
      <Heading as="h3" size="3" mb="3">{t.submitReport(label)}</Heading>
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <Flex direction="column" gap="3">
        <Field id={fields.title.id} label={t.reportTitle} errors={fields.title.errors} errorId={fields.title.errorId}>
          <TextField.Root {...getInputProps(fields.title, { type: "text" })} key={fields.title.key} />
        </Field>
        <Field id={fields.content.id} label={t.reportContent} errors={fields.content.errors} errorId={fields.content.errorId}>
          <TextArea {...getTextareaProps(fields.content)} key={fields.content.key} rows={6} />
        </Field>
        <FileField id={fields.file.id} name={fields.file.name} errors={fields.file.errors} errorId={fields.file.errorId} optional />
        <Flex><Button type="submit" loading={busy}>{t.submitReport(label)}</Button></Flex>
      </Flex>
    </Form>
  );
}
