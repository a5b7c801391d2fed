import { getFormProps, getInputProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { Badge, Button, Callout, Card, Flex, Grid, Heading, Table, Text, TextArea, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { itemActionLabel, rectificationText as t } from "~/lib/messages/rectification";
import type { ItemStatus } from "~/lib/rectification";
import { itemReviewSchema, updateSchema, warningAccountsSchema } from "~/lib/schemas/rectification";
import type { EvidenceFile, ItemAction, UnitAccount } from "~/models/rectification.server";
import { DataTable } from "./data-table";
import { AttachmentLinks, FileField } from "./engagement-attachments";
import { Field } from "./field";
import { WarningAccountFields } from "./rectification-lists";
import { when } from "./rectification-reports";

type Reply = (SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null }) | undefined;

export interface UpdateView {
  id: number;
  reportedOn: string;
  progress: string;
  createdAt: Date | string;
  createdBy: string | null;
  files: EvidenceFile[];
}

export function UpdateList({ updates }: { updates: UpdateView[] }) {
  if (updates.length === 0) return <Text as="p" color="gray" my="2">{t.updatesEmpty}</Text>;
  return (
    <DataTable label={t.updates} columns={[{ label: t.reportedOn }, { label: t.progressText }, { label: t.evidence }, { label: t.reportedBy }]}>
      {updates.map((u) => (
        <Table.Row key={u.id} data-testid="update-row">
          <Table.RowHeaderCell style={{ whiteSpace: "nowrap" }}>{u.reportedOn}</Table.RowHeaderCell>
          <Table.Cell><Text className="pre-wrap">{u.progress}</Text></Table.Cell>
          <Table.Cell><AttachmentLinks items={u.files} /></Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>
            <Text as="div">{u.createdBy ?? "—"}</Text>
            <Text as="div" size="1" color="gray">{when(u.createdAt)}</Text>
          </Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}

/** 报送整改进展: the date, what was done, and an evidence file. */
export function UpdateForm({ lastResult, today }: { lastResult: Reply; today: string }) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(updateSchema, { id: "update", lastResult, defaultValue: { reportedOn: today } });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "progress";
  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} aria-label={t.newUpdate}>
      <input type="hidden" name="intent" value="progress" />
      <Heading as="h3" size="3" mb="3">{t.newUpdate}</Heading>
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <Flex direction="column" gap="3">
        <Grid columns={{ initial: "1", sm: "3" }} gap="3" align="start">
          <Field id={fields.reportedOn.id} label={t.reportedOn} errors={fields.reportedOn.errors} errorId={fields.reportedOn.errorId}>
            <TextField.Root {...getInputProps(fields.reportedOn, { type: "date" })} key={fields.reportedOn.key} max={today} />
          </Field>
        </Grid>
        <Field id={fields.progress.id} label={t.progressText} errors={fields.progress.errors} errorId={fields.progress.errorId}>
          <TextArea {...getTextareaProps(fields.progress)} key={fields.progress.key} rows={4} />
        </Field>
        <FileField id={fields.file.id} name={fields.file.name} errors={fields.file.errors} errorId={fields.file.errorId} optional />
        <Flex><Button type="submit" loading={busy}>{t.saveUpdate}</Button></Flex>
      </Flex>
    </Form>
  );
}

/** One review step: a button, and a reason where the step needs one. */
function ReviewForm({
  action,
  label,
  hint,
  withReason,
  color,
  lastResult,
}: {
  action: ItemAction;
  label: string;
  hint?: string;
  withReason: boolean;
  color: "green" | "red" | "amber" | "crimson";
  lastResult: Reply;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(itemReviewSchema, { id: `review-${action}`, lastResult });
  const busy = navigation.state === "submitting" && navigation.formData?.get("action") === action;
  return (
    <Form method="post" {...getFormProps(form)} aria-label={label}>
      <input type="hidden" name="intent" value="review" />
      <input type="hidden" name="action" value={action} />
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="2"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <Flex direction="column" gap="2">
        {hint ? <Text size="2" color="gray">{hint}</Text> : null}
        {withReason ? (
          <Field id={fields.reason.id} label={`${label}${t.reason}`} errors={fields.reason.errors} errorId={fields.reason.errorId}>
            <TextArea {...getTextareaProps(fields.reason)} key={fields.reason.key} rows={2} />
          </Field>
        ) : null}
        <Flex><Button type="submit" color={color} variant={withReason ? "soft" : "solid"} loading={busy}>{label}</Button></Flex>
      </Flex>
    </Form>
  );
}

/**
 * 双重审核: what the caller may do next with the item. The unit's head confirms an open
 * item; the office verifies or returns a confirmed one and reopens a closed one (回头看).
 */
export function ReviewPanel({
  status,
  can,
  lastResult,
}: {
  status: ItemStatus;
  can: { confirm: boolean; verify: boolean; reopen: boolean; isUnit: boolean };
  lastResult: Reply;
}) {
  const replyFor = (action: ItemAction) => (lastResult?.initialValue?.action === action ? lastResult : undefined);
  let body: React.ReactNode;
  if (status === "open") {
    body = can.confirm ? (
      <ReviewForm action="confirm" label={t.confirm} hint={t.confirmHint} withReason={false} color="green" lastResult={replyFor("confirm")} />
    ) : (
      <Text size="2" color="gray">{can.isUnit ? t.confirmOnlyHead : t.waitingForHead}</Text>
    );
  } else if (status === "unit_confirmed") {
    body = can.verify ? (
      <Flex direction="column" gap="4">
        <ReviewForm action="verify" label={t.verify} withReason={false} color="green" lastResult={replyFor("verify")} />
        <ReviewForm action="return" label={t.returnItem} withReason color="red" lastResult={replyFor("return")} />
      </Flex>
    ) : (
      <Text size="2" color="gray">{t.waitingForOffice}</Text>
    );
  } else {
    body = (
      <Flex direction="column" gap="3">
        <Callout.Root color="green" role="note"><Callout.Text>{t.closedNote}</Callout.Text></Callout.Root>
        {can.reopen ? (
          <ReviewForm action="reopen" label={t.reopen} hint={t.reopenHint} withReason color="amber" lastResult={replyFor("reopen")} />
        ) : null}
      </Flex>
    );
  }
  return (
    <Card size="3" data-testid="review-panel">
      <Heading as="h2" size="3" mb="1">{t.doubleReview}</Heading>
      <Text as="p" size="1" color="gray" mb="3">{t.doubleReviewHint}</Text>
      {body}
    </Card>
  );
}

export interface EventView {
  id: number;
  action: ItemAction;
  lookBack: boolean;
  reason: string | null;
  actedAt: Date | string;
  actedBy: string | null;
}

const actionColours: Record<ItemAction, "green" | "blue" | "red" | "amber"> = { confirm: "blue", verify: "green", return: "red", reopen: "amber" };

export function EventList({ events }: { events: EventView[] }) {
  if (events.length === 0) return <Text as="p" color="gray" my="2">{t.eventsEmpty}</Text>;
  return (
    <DataTable label={t.events} columns={[{ label: t.actedAt }, { label: t.action }, { label: t.reason }, { label: t.actedBy }]}>
      {events.map((e) => (
        <Table.Row key={e.id} data-testid="event-row">
          <Table.RowHeaderCell style={{ whiteSpace: "nowrap" }}>{when(e.actedAt)}</Table.RowHeaderCell>
          <Table.Cell>
            <Badge color={actionColours[e.action]} variant="soft">{itemActionLabel[e.action]}</Badge>
            {e.lookBack && e.action !== "reopen" ? <Badge ml="1" variant="outline">{t.lookBack}</Badge> : null}
          </Table.Cell>
          <Table.Cell><Text className="pre-wrap">{e.reason ?? "—"}</Text></Table.Cell>
          <Table.Cell>{e.actedBy ?? "—"}</Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}

/** 预警接收账号 of an item: which of the unit's accounts are its responsible leader and person. */
export function WarningAccountsForm({
  accounts,
  current,
  lastResult,
}: {
  accounts: UnitAccount[];
  current: { responsibleLeaderUserId: string | null; responsiblePersonUserId: string | null };
  lastResult: Reply;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(warningAccountsSchema, {
    id: "accounts",
    lastResult,
    defaultValue: {
      responsibleLeaderUserId: current.responsibleLeaderUserId ?? undefined,
      responsiblePersonUserId: current.responsiblePersonUserId ?? undefined,
    },
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "accounts";
  return (
    <Form method="post" {...getFormProps(form)} aria-label={t.warningAccounts}>
      <input type="hidden" name="intent" value="accounts" />
      <Heading as="h3" size="3" mb="2">{t.warningAccounts}</Heading>
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <Flex direction="column" gap="3">
        <WarningAccountFields leader={fields.responsibleLeaderUserId} person={fields.responsiblePersonUserId} accounts={accounts} />
        <Flex><Button type="submit" variant="soft" loading={busy}>{t.saveAccounts}</Button></Flex>
      </Flex>
    </Form>
  );
}
