import { getFormProps, getInputProps, getSelectProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Badge, Box, Button, Card, Flex, Grid, Heading, Separator, Table, Text, TextArea, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { roundStatusLabel } from "~/lib/messages";
import { sharingText as t } from "~/lib/messages/sharing";
import { briefingReplySchema, briefingSchema } from "~/lib/schemas/sharing";
import { DataTable } from "./data-table";
import { Field } from "./field";
import { NativeSelect } from "./native-select";
import { FormErrors } from "./sharing-grants";

type Reply = SubmissionResult<string[]> | null | undefined;

export interface BriefingRoundView {
  id: number;
  orgName: string;
  label: string;
  status: string;
  requested: number;
  replied: number;
}

/** The overview: each round with how many partners were asked and how many answered. */
export function BriefingRoundsTable({ rounds, showOffice }: { rounds: BriefingRoundView[]; showOffice: boolean }) {
  return (
    <DataTable
      label={t.briefingsRounds}
      columns={[
        { label: t.colRound }, ...(showOffice ? [{ label: t.colOffice }] : []), { label: t.colRoundStatus },
        { label: t.colRequested, align: "end" as const }, { label: t.colReplied, align: "end" as const }, { label: t.colActions },
      ]}
    >
      {rounds.map((r) => (
        <Table.Row key={r.id} data-testid="briefing-round">
          <Table.RowHeaderCell>{r.label}</Table.RowHeaderCell>
          {showOffice ? <Table.Cell>{r.orgName}</Table.Cell> : null}
          <Table.Cell>{roundStatusLabel[r.status as keyof typeof roundStatusLabel] ?? r.status}</Table.Cell>
          <Table.Cell justify="end">{t.requestedCount(r.requested)}</Table.Cell>
          <Table.Cell justify="end">
            <Text color={r.replied < r.requested ? "amber" : undefined}>{t.requestedCount(r.replied)}</Text>
          </Table.Cell>
          <Table.Cell><Link className="table-link" to={`/rounds/${r.id}/briefings`} aria-label={`${t.briefings}：${r.label}`}>{t.manage}</Link></Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}

export interface BriefingView {
  id: number;
  partnerName: string;
  requestedOn: string;
  request: string;
  repliedOn: string | null;
  reply: string | null;
  createdBy: string | null;
}

/** One request and what came back; the office records (or corrects) the reply. */
export function BriefingCard({ b, canWrite, today, lastResult }: { b: BriefingView; canWrite: boolean; today: string; lastResult?: Reply }) {
  return (
    <Card size="2" data-testid="briefing" aria-label={`${b.partnerName} ${b.requestedOn}`}>
      <Flex justify="between" align="start" gap="3" wrap="wrap">
        <Flex direction="column" gap="1">
          <Text weight="bold">{b.partnerName}</Text>
          <Text size="1" color="gray">{t.requestedOn} {b.requestedOn} · {b.createdBy ?? "—"}</Text>
        </Flex>
        {b.repliedOn ? <Badge color="green" variant="soft">{t.repliedOn} {b.repliedOn}</Badge> : <Badge color="amber" variant="soft">{t.replyPending}</Badge>}
      </Flex>
      <Box mt="2">
        <Text as="div" size="1" color="gray">{t.request}</Text>
        <Text as="p" size="2" className="pre-wrap" data-testid="briefing-request">{b.request}</Text>
      </Box>
      {b.reply ? (
        <Box mt="2" p="2" style={{ background: "var(--green-2)", borderRadius: 4 }}>
          <Text as="div" size="1" color="gray">{t.reply}</Text>
          <Text as="p" size="2" className="pre-wrap" data-testid="briefing-reply">{b.reply}</Text>
        </Box>
      ) : null}
      {canWrite ? (
        b.reply && !lastResult ? (
          <details style={{ marginTop: 8 }}>
            <summary><Text size="2" color="gray">{t.editReply}</Text></summary>
            <ReplyForm b={b} today={today} lastResult={lastResult} />
          </details>
        ) : (
          <ReplyForm b={b} today={today} lastResult={lastResult} />
        )
      ) : null}
    </Card>
  );
}

function ReplyForm({ b, today, lastResult }: { b: BriefingView; today: string; lastResult?: Reply }) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(briefingReplySchema(b.requestedOn, today), {
    id: `reply-${b.id}`,
    lastResult,
    defaultValue: { briefingId: String(b.id), repliedOn: b.repliedOn ?? today, reply: b.reply ?? "" },
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "reply"
    && navigation.formData?.get("briefingId") === String(b.id);
  return (
    <Form method="post" {...getFormProps(form)} aria-label={`${t.recordReply}：${b.partnerName}`}>
      <Separator size="4" my="3" />
      <input type="hidden" name="intent" value="reply" />
      <input {...getInputProps(fields.briefingId, { type: "hidden" })} key={fields.briefingId.key} />
      <Flex direction="column" gap="2">
        <FormErrors errors={form.errors} />
        <Grid columns={{ initial: "1", sm: "4" }} gap="3" align="start">
          <Field id={fields.repliedOn.id} label={t.repliedOn} errors={fields.repliedOn.errors} errorId={fields.repliedOn.errorId}>
            <TextField.Root {...getInputProps(fields.repliedOn, { type: "date" })} key={fields.repliedOn.key} min={b.requestedOn} max={today} />
          </Field>
          <Box style={{ gridColumn: "span 3" }}>
            <Field id={fields.reply.id} label={t.reply} errors={fields.reply.errors} errorId={fields.reply.errorId}>
              <TextArea {...getTextareaProps(fields.reply)} key={fields.reply.key} rows={3} />
            </Field>
          </Box>
        </Grid>
        <Flex><Button type="submit" size="2" variant="soft" loading={busy}>{b.reply ? t.replySubmit : t.recordReply}</Button></Flex>
      </Flex>
    </Form>
  );
}

/** 登记征询: which partner was asked what, and when. */
export function BriefingForm({ partners, today, lastResult }: { partners: { id: number; name: string }[]; today: string; lastResult?: Reply }) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(briefingSchema(today), { id: "briefing", lastResult, defaultValue: { requestedOn: today } });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "briefing";
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="briefing-title">
      <input type="hidden" name="intent" value="briefing" />
      <Flex direction="column" gap="3">
        <Heading as="h2" size="4" id="briefing-title">{t.newBriefing}</Heading>
        <FormErrors errors={form.errors} />
        <Grid columns={{ initial: "1", sm: "2" }} gap="3" align="start">
          <Field id={fields.partnerOrgId.id} label={t.briefingPartner} errors={fields.partnerOrgId.errors} errorId={fields.partnerOrgId.errorId}>
            <NativeSelect {...getSelectProps(fields.partnerOrgId)} key={fields.partnerOrgId.key}>
              <option value="">{t.partnerPick}</option>
              {partners.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </NativeSelect>
          </Field>
          <Field id={fields.requestedOn.id} label={t.requestedOn} errors={fields.requestedOn.errors} errorId={fields.requestedOn.errorId}>
            <TextField.Root {...getInputProps(fields.requestedOn, { type: "date" })} key={fields.requestedOn.key} max={today} />
          </Field>
        </Grid>
        <Field id={fields.request.id} label={t.request} errors={fields.request.errors} errorId={fields.request.errorId}>
          <TextArea {...getTextareaProps(fields.request)} key={fields.request.key} rows={3} placeholder={t.requestHint} />
        </Field>
        <Flex><Button type="submit" loading={busy}>{t.newBriefingSubmit}</Button></Flex>
      </Flex>
    </Form>
  );
}
