import { useState } from "react";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { AlertDialog, Badge, Box, Button, Callout, Flex, Grid, Heading, Table, Text, TextArea, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { grantScopeHint, grantScopeLabel, grantStatusLabel, sharingText as t } from "~/lib/messages/sharing";
import { engagementScopes, grantSchema, grantScopes, maxExpiry, type GrantScope, type GrantStatus } from "~/lib/schemas/sharing";
import { DataTable } from "./data-table";
import { Field } from "./field";
import { NativeSelect } from "./native-select";

type Reply = SubmissionResult<string[]> | null | undefined;

export const when = (d: Date | string | null) =>
  d
    ? new Date(d).toLocaleString("zh-CN", {
        timeZone: "Asia/Shanghai", hour12: false, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      })
    : "—";

const statusColour: Record<GrantStatus, "green" | "gray" | "red"> = { active: "green", expired: "gray", revoked: "red" };

export function GrantStatusBadge({ status }: { status: GrantStatus }) {
  return <Badge color={statusColour[status]} variant="soft" data-testid="grant-status">{grantStatusLabel[status]}</Badge>;
}

export function ScopeBadge({ scope }: { scope: GrantScope }) {
  return <Badge color={scope === "round_figures" ? "cyan" : scope === "engagement_problems" ? "crimson" : "violet"} variant="outline">{grantScopeLabel[scope]}</Badge>;
}

export function FormErrors({ errors }: { errors?: string[] }) {
  if (!errors?.length) return null;
  return <Callout.Root color="red" role="alert"><Callout.Text>{errors.join(" ")}</Callout.Text></Callout.Root>;
}

export interface GrantView {
  id: number;
  orgId: number;
  orgName: string;
  partnerName: string;
  scope: GrantScope;
  engagementId: number | null;
  roundId: number | null;
  subject: string;
  expiresOn: string;
  note: string | null;
  createdAt: Date | string;
  createdBy: string | null;
  revokedAt: Date | string | null;
  revokedBy: string | null;
  status: GrantStatus;
  accesses: { occurredAt: Date | string; displayName: string | null; success: boolean }[];
  revocable: boolean;
}

/** Who used a grant and when, collapsed to one line until opened. */
function Accesses({ grant }: { grant: GrantView }) {
  const a = grant.accesses;
  if (a.length === 0) return <Text color="gray" size="2">{t.noAccesses}</Text>;
  return (
    <details data-testid="grant-accesses">
      <summary><Text size="2">{t.accessSummary(a.length, when(a[0].occurredAt))}</Text></summary>
      <Box mt="2" asChild>
        <ul aria-label={t.accessList(grant.partnerName)} style={{ margin: 0, paddingLeft: "1.2em" }}>
          {a.map((x, i) => (
            <li key={i} data-testid="grant-access">
              <Text size="1">
                {x.displayName ?? "—"} · {when(x.occurredAt)} ·{" "}
                <Text color={x.success ? "green" : "red"}>{x.success ? t.accessOk : t.accessRefused}</Text>
              </Text>
            </li>
          ))}
        </ul>
      </Box>
    </details>
  );
}

/** 撤销, behind a confirmation: the partner loses access at once and for good. */
function RevokeButton({ grant }: { grant: GrantView }) {
  const [open, setOpen] = useState(false);
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "revoke"
    && navigation.formData?.get("grantId") === String(grant.id);
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <AlertDialog.Trigger>
        <Button size="1" color="red" variant="soft" loading={busy} aria-label={`${t.revoke}：${grant.partnerName} ${grant.subject}`}>{t.revoke}</Button>
      </AlertDialog.Trigger>
      <AlertDialog.Content maxWidth="460px">
        <AlertDialog.Title>{t.revokeTitle}</AlertDialog.Title>
        <AlertDialog.Description size="2">
          {t.revokeConfirm(grant.partnerName, `${grant.subject} · ${grantScopeLabel[grant.scope]}`)}
        </AlertDialog.Description>
        {/* The form lives inside the dialog (a portal), so the submit button is its own. */}
        <Form method="post" onSubmit={() => setOpen(false)}>
          <input type="hidden" name="intent" value="revoke" />
          <input type="hidden" name="grantId" value={grant.id} />
          <Flex gap="3" mt="4" justify="end">
            <AlertDialog.Cancel>
              <Button type="button" variant="soft" color="gray">{t.cancel}</Button>
            </AlertDialog.Cancel>
            <Button type="submit" color="red">{t.revokeSubmit}</Button>
          </Flex>
        </Form>
      </AlertDialog.Content>
    </AlertDialog.Root>
  );
}

/** The grants: partner, what, until when, status, who used it, and 撤销 where the session may. */
export function GrantTable({ grants, showOffice, linkSubjects }: { grants: GrantView[]; showOffice: boolean; linkSubjects: boolean }) {
  // Read-only viewers (leadership, an ancestor looking at its subtree's grants) get no empty 操作 column.
  const showActions = grants.some((g) => g.revocable);
  const columns = [
    { label: t.colPartner }, { label: t.colScope }, ...(showOffice ? [{ label: t.colOffice }] : []),
    { label: t.colExpires }, { label: t.colStatus }, { label: t.colGranted }, { label: t.colAccesses },
    ...(showActions ? [{ label: t.colActions }] : []),
  ];
  return (
    <DataTable label={t.grants} columns={columns}>
      {grants.map((g) => {
        const href = !linkSubjects ? null : g.engagementId ? `/engagements/${g.engagementId}` : g.roundId ? `/rounds/${g.roundId}` : null;
        return (
          <Table.Row key={g.id} data-testid="grant-row" data-grant-id={g.id} style={{ verticalAlign: "top" }}>
            <Table.RowHeaderCell style={{ whiteSpace: "nowrap" }}>{g.partnerName}</Table.RowHeaderCell>
            <Table.Cell style={{ maxWidth: 320 }}>
              <Flex direction="column" gap="1" align="start">
                <ScopeBadge scope={g.scope} />
                {href ? <Link className="table-link" to={href}>{g.subject}</Link> : <Text>{g.subject}</Text>}
                {g.note ? <Text size="1" color="gray" className="pre-wrap">{g.note}</Text> : null}
              </Flex>
            </Table.Cell>
            {showOffice ? <Table.Cell style={{ whiteSpace: "nowrap" }}>{g.orgName}</Table.Cell> : null}
            <Table.Cell style={{ whiteSpace: "nowrap" }}>{g.expiresOn}</Table.Cell>
            <Table.Cell>
              <Flex direction="column" gap="1" align="start">
                <GrantStatusBadge status={g.status} />
                {g.revokedAt ? <Text size="1" color="gray">{t.revokedAt(when(g.revokedAt), g.revokedBy)}</Text> : null}
              </Flex>
            </Table.Cell>
            <Table.Cell style={{ whiteSpace: "nowrap" }}>
              <Text as="div" size="2">{when(g.createdAt)}</Text>
              <Text as="div" size="1" color="gray">{t.grantedBy} {g.createdBy ?? "—"}</Text>
            </Table.Cell>
            <Table.Cell style={{ minWidth: 200 }}><Accesses grant={g} /></Table.Cell>
            {showActions ? <Table.Cell>{g.revocable ? <RevokeButton grant={g} /> : <Text color="gray">—</Text>}</Table.Cell> : null}
          </Table.Row>
        );
      })}
    </DataTable>
  );
}

export interface GrantFormOptions {
  partners: { id: number; name: string }[];
  engagements: { id: number; unitName: string; groupName: string; problems: number; roundId: number; roundLabel: string }[];
  rounds: { id: number; label: string }[];
}

/** Engagements grouped by round, for the select's optgroups (newest round first, as given). */
function byRound(engagements: GrantFormOptions["engagements"]) {
  const groups: { label: string; rows: GrantFormOptions["engagements"] }[] = [];
  for (const e of engagements) {
    const last = groups[groups.length - 1];
    if (last && last.label === e.roundLabel) last.rows.push(e);
    else groups.push({ label: e.roundLabel, rows: [e] });
  }
  return groups;
}

/** 新增共享: a partner of the office, one result, an expiry (30 days unless changed, a year at most). */
export function GrantForm({
  options,
  today,
  defaults,
  lastResult,
}: {
  options: GrantFormOptions;
  today: string;
  defaults: { scope?: GrantScope; engagementId?: number; roundId?: number; expiresOn: string };
  lastResult?: Reply;
}) {
  const navigation = useNavigation();
  const max = maxExpiry(today);
  const [form, fields] = useZodForm(grantSchema(today), {
    id: "grant",
    lastResult,
    defaultValue: {
      scope: defaults.scope ?? "engagement_problems",
      engagementId: defaults.engagementId ? String(defaults.engagementId) : undefined,
      roundId: defaults.roundId ? String(defaults.roundId) : undefined,
      expiresOn: defaults.expiresOn,
    },
  });
  const [scope, setScope] = useState<GrantScope>((fields.scope.initialValue as GrantScope | undefined) ?? defaults.scope ?? "engagement_problems");
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "grant";
  if (options.partners.length === 0) {
    return <Callout.Root color="gray" role="note"><Callout.Text>{t.noPartners}</Callout.Text></Callout.Root>;
  }
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="grant-title">
      <input type="hidden" name="intent" value="grant" />
      <Flex direction="column" gap="3">
        <Heading as="h2" size="4" id="grant-title">{t.newGrant}</Heading>
        <Text size="2" color="gray">{t.newGrantNote}</Text>
        <FormErrors errors={form.errors} />
        <Grid columns={{ initial: "1", md: "2" }} gap="3" align="start">
          <Field id={fields.partnerOrgId.id} label={t.partner} errors={fields.partnerOrgId.errors} errorId={fields.partnerOrgId.errorId}>
            <NativeSelect {...getSelectProps(fields.partnerOrgId)} key={fields.partnerOrgId.key}>
              <option value="">{t.partnerPick}</option>
              {options.partners.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </NativeSelect>
          </Field>
          <Field id={fields.expiresOn.id} label={t.expiresOn} errors={fields.expiresOn.errors} errorId={fields.expiresOn.errorId}>
            <TextField.Root {...getInputProps(fields.expiresOn, { type: "date" })} key={fields.expiresOn.key} min={today} max={max}
              aria-describedby={`${fields.expiresOn.id}-hint`} />
            <Text size="1" color="gray" id={`${fields.expiresOn.id}-hint`}>{t.expiresHint(max)}</Text>
          </Field>
        </Grid>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend><Text size="2" weight="medium">{t.scope}</Text></legend>
          <Flex direction="column" gap="1" mt="1">
            {grantScopes.map((s) => (
              <Flex key={s} gap="3" align="center" wrap="wrap">
                <label className="check-label">
                  <input type="radio" name={fields.scope.name} value={s} defaultChecked={scope === s} onChange={() => setScope(s)}
                    aria-describedby={[`scope-hint-${s}`, fields.scope.errors ? fields.scope.errorId : ""].join(" ").trim()} />
                  <Text weight="medium">{grantScopeLabel[s]}</Text>
                </label>
                <Text size="1" color="gray" id={`scope-hint-${s}`}>{grantScopeHint[s]}</Text>
              </Flex>
            ))}
          </Flex>
          {fields.scope.errors ? <Text className="field-error" id={fields.scope.errorId} role="alert">{fields.scope.errors.join(" ")}</Text> : null}
        </fieldset>
        {engagementScopes.includes(scope) ? (
          options.engagements.length === 0 ? (
            <Callout.Root color="gray" role="note"><Callout.Text>{t.noEngagements}</Callout.Text></Callout.Root>
          ) : (
            <Field id={fields.engagementId.id} label={t.engagement} errors={fields.engagementId.errors} errorId={fields.engagementId.errorId}>
              <NativeSelect {...getSelectProps(fields.engagementId)} key={fields.engagementId.key} style={{ maxWidth: "100%" }}>
                <option value="">{t.engagementPick}</option>
                {byRound(options.engagements).map((r) => (
                  <optgroup key={r.label} label={r.label}>
                    {r.rows.map((e) => <option key={e.id} value={e.id}>{t.engagementValue(e.unitName, e.groupName, e.problems)}</option>)}
                  </optgroup>
                ))}
              </NativeSelect>
            </Field>
          )
        ) : options.rounds.length === 0 ? (
          <Callout.Root color="gray" role="note"><Callout.Text>{t.noRounds}</Callout.Text></Callout.Root>
        ) : (
          <Field id={fields.roundId.id} label={t.round} errors={fields.roundId.errors} errorId={fields.roundId.errorId}>
            <NativeSelect {...getSelectProps(fields.roundId)} key={fields.roundId.key}>
              <option value="">{t.roundPick}</option>
              {options.rounds.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
            </NativeSelect>
          </Field>
        )}
        <Field id={fields.note.id} label={t.note} errors={fields.note.errors} errorId={fields.note.errorId}>
          <TextArea {...getTextareaProps(fields.note)} key={fields.note.key} rows={2} placeholder={t.noteHint} />
        </Field>
        <Flex><Button type="submit" loading={busy}>{t.grant}</Button></Flex>
      </Flex>
    </Form>
  );
}
