import { getFormProps, getInputProps, getSelectProps, getTextareaProps, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Badge, Button, Callout, Flex, Grid, Heading, Table, Text, TextArea, TextField } from "@radix-ui/themes";
import { useState } from "react";
import { useZodForm } from "~/lib/forms";
import { rectificationKindLabel, severityLabel, rectificationText as t } from "~/lib/messages/rectification";
import { itemColour } from "~/lib/rectification";
import { itemSchema, rectificationKinds } from "~/lib/schemas/rectification";
import type { ItemRow, ProblemRow, UnitAccount } from "~/models/rectification.server";
import { DataTable } from "./data-table";
import { Field } from "./field";
import { NativeSelect } from "./native-select";
import { DeadlineBadge, ItemStatusBadge, KindBadge } from "./rectification-badges";

const itemLink = (id: number) => `/rectification/items/${id}`;

/** 问题清单: the fed-back problems and how far their items are. */
export function ProblemTable({ problems, canAdd }: { problems: ProblemRow[]; canAdd: boolean }) {
  if (problems.length === 0) return <Text as="p" color="gray" my="3">{t.emptyProblems}</Text>;
  return (
    <DataTable
      label={t.tabProblems}
      columns={[
        { label: t.problemSeq }, { label: t.problemTitle }, { label: t.problemCategory }, { label: t.severity },
        { label: t.problemState }, ...(canAdd ? [{ label: "" }] : []),
      ]}
    >
      {problems.map((p) => (
        <Table.Row key={p.id} data-testid="problem-row">
          <Table.RowHeaderCell style={{ whiteSpace: "nowrap" }}>{t.seqValue(p.seq)}</Table.RowHeaderCell>
          <Table.Cell>
            <details>
              <summary><Text weight="medium">{p.title}</Text></summary>
              <Text as="p" size="2" color="gray" className="pre-wrap" mt="1">{p.description}</Text>
            </details>
            {p.onTheSpot ? <Badge color="red" variant="outline" mt="1">{t.onTheSpot}</Badge> : null}
          </Table.Cell>
          <Table.Cell>{p.category ?? "—"}</Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{severityLabel[p.severity]}</Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>
            {p.items === 0 ? <Text color="gray">{t.problemNoItems}</Text>
              : p.closed === p.items ? <Badge color="green" variant="soft">{t.problemRectified}</Badge>
              : <Text>{t.problemInProgress(p.closed, p.items)}</Text>}
          </Table.Cell>
          {canAdd ? (
            <Table.Cell style={{ whiteSpace: "nowrap" }}>
              <Link className="table-link" to={`?tab=problems&problem=${p.id}#new-item`}>{t.addItemFor}</Link>
            </Table.Cell>
          ) : null}
        </Table.Row>
      ))}
    </DataTable>
  );
}

function Empty() {
  return <Text as="p" color="gray" my="3">{t.emptyItems}</Text>;
}

/** 任务清单: the measures of every item. */
export function TaskTable({ items }: { items: ItemRow[] }) {
  if (items.length === 0) return <Empty />;
  return (
    <DataTable label={t.tabTasks} columns={[{ label: t.problemTitle }, { label: t.measures }, { label: t.kind }, { label: t.deadline }, { label: t.status }]}>
      {items.map((i) => (
        <Table.Row key={i.id} data-testid="task-row">
          <Table.RowHeaderCell>{t.seqValue(i.problemSeq)} {i.problemTitle}</Table.RowHeaderCell>
          <Table.Cell><Link className="table-link" to={itemLink(i.id)}><Text className="pre-wrap">{i.measures}</Text></Link></Table.Cell>
          <Table.Cell><KindBadge kind={i.kind} /></Table.Cell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{i.deadline ?? t.noDeadline}</Table.Cell>
          <Table.Cell><ItemStatusBadge status={i.status} /></Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}

/** 责任清单: 三个一 (responsible leader, department and person) of every item. */
export function DutyTable({ items }: { items: ItemRow[] }) {
  if (items.length === 0) return <Empty />;
  return (
    <DataTable
      label={t.tabDuties}
      columns={[{ label: t.problemTitle }, { label: t.measures }, { label: t.responsibleLeader }, { label: t.responsibleDepartment }, { label: t.responsiblePerson }]}
    >
      {items.map((i) => (
        <Table.Row key={i.id} data-testid="duty-row">
          <Table.RowHeaderCell>{t.seqValue(i.problemSeq)} {i.problemTitle}</Table.RowHeaderCell>
          <Table.Cell><Link className="table-link" to={itemLink(i.id)}>{i.measures.length > 40 ? `${i.measures.slice(0, 40)}…` : i.measures}</Link></Table.Cell>
          <Table.Cell>{i.responsibleLeader}</Table.Cell>
          <Table.Cell>{i.responsibleDepartment}</Table.Cell>
          <Table.Cell>{i.responsiblePerson}</Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}

/** 督查清单: deadline, status, the deadline warning's colour and the latest progress. */
export function SupervisionTable({ items, today }: { items: ItemRow[]; today: string }) {
  if (items.length === 0) return <Empty />;
  return (
    <DataTable
      label={t.tabSupervision}
      columns={[{ label: t.item }, { label: t.deadline }, { label: t.status }, { label: t.warning }, { label: t.progress }, { label: t.returnedTimes, align: "end" }]}
    >
      {items.map((i) => (
        <Table.Row key={i.id} data-testid="supervision-row">
          <Table.RowHeaderCell>
            <Link className="table-link" to={itemLink(i.id)}>{t.seqValue(i.problemSeq)} · {i.measures.length > 30 ? `${i.measures.slice(0, 30)}…` : i.measures}</Link>
          </Table.RowHeaderCell>
          <Table.Cell style={{ whiteSpace: "nowrap" }}>{i.deadline ?? t.noDeadline}</Table.Cell>
          <Table.Cell><ItemStatusBadge status={i.status} /></Table.Cell>
          <Table.Cell><DeadlineBadge colour={itemColour(i, today)} /></Table.Cell>
          <Table.Cell>
            {i.updates === 0 ? <Text color="gray">{t.noProgress}</Text> : (
              <Flex direction="column" gap="1">
                <Text size="2">{i.lastReportedOn}：{(i.lastProgress ?? "").length > 40 ? `${i.lastProgress!.slice(0, 40)}…` : i.lastProgress}</Text>
                <Text size="1" color="gray">{t.progressCount(i.updates)}</Text>
              </Flex>
            )}
          </Table.Cell>
          <Table.Cell justify="end">
            {i.returnedCount}
            {i.reopenedCount > 0 ? <Text as="div" size="1" color="gray">{t.reopenedTimes(i.reopenedCount)}</Text> : null}
          </Table.Cell>
        </Table.Row>
      ))}
    </DataTable>
  );
}

/**
 * 预警接收账号: the unit's accounts linked as the responsible leader and person, who then
 * receive the item's green and yellow warnings (shared by the new-item form and the item page).
 */
export function WarningAccountFields({
  leader,
  person,
  accounts,
}: {
  leader: FieldMetadata<string | undefined>;
  person: FieldMetadata<string | undefined>;
  accounts: UnitAccount[];
}) {
  const options = accounts.map((a) => (
    <option key={a.userId} value={a.userId}>{a.displayName}{a.isUnitHead ? t.unitHeadMark : ""}</option>
  ));
  return (
    <>
      <Text as="p" size="1" color="gray">{accounts.length ? t.warningAccountsHint : t.noUnitAccounts}</Text>
      <Grid columns={{ initial: "1", sm: "2" }} gap="3" align="start">
        <Field id={leader.id} label={t.leaderAccount} errors={leader.errors} errorId={leader.errorId}>
          <NativeSelect {...getSelectProps(leader)} key={leader.key}>
            <option value="">{t.noAccount}</option>
            {options}
          </NativeSelect>
        </Field>
        <Field id={person.id} label={t.personAccount} errors={person.errors} errorId={person.errorId}>
          <NativeSelect {...getSelectProps(person)} key={person.key}>
            <option value="">{t.noAccount}</option>
            {options}
          </NativeSelect>
        </Field>
      </Grid>
    </>
  );
}

/** 添加整改事项: measures, 三个一, type and deadline for one fed-back problem. */
export function ItemForm({
  problems,
  problemId,
  lastResult,
  minDeadline,
  accounts,
}: {
  problems: { id: number; seq: number; title: string }[];
  accounts: UnitAccount[];
  problemId: number | null;
  lastResult: SubmissionResult<string[]> | undefined;
  minDeadline: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(itemSchema, {
    id: "item",
    lastResult,
    defaultValue: { problemId: problemId ?? undefined, kind: "deadline" },
  });
  const [kind, setKind] = useState(String(fields.kind.initialValue ?? "deadline"));
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "item";
  return (
    <Form method="post" {...getFormProps(form)} aria-label={t.newItem}>
      <input type="hidden" name="intent" value="item" />
      <Heading as="h3" size="3" mb="1" id="new-item">{t.newItem}</Heading>
      <Text as="p" size="2" color="gray" mb="3">{t.newItemHint}</Text>
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <Flex direction="column" gap="3">
        <Field id={fields.problemId.id} label={t.problem} errors={fields.problemId.errors} errorId={fields.problemId.errorId}>
          <NativeSelect {...getSelectProps(fields.problemId)} key={fields.problemId.key}>
            <option value="">{t.chooseProblem}</option>
            {problems.map((p) => <option key={p.id} value={p.id}>{t.seqValue(p.seq)} {p.title}</option>)}
          </NativeSelect>
        </Field>
        <Field id={fields.measures.id} label={t.measures} errors={fields.measures.errors} errorId={fields.measures.errorId}>
          <TextArea {...getTextareaProps(fields.measures)} key={fields.measures.key} rows={3} />
        </Field>
        <Grid columns={{ initial: "1", sm: "3" }} gap="3" align="start">
          <Field id={fields.responsibleLeader.id} label={t.responsibleLeader} errors={fields.responsibleLeader.errors} errorId={fields.responsibleLeader.errorId}>
            <TextField.Root {...getInputProps(fields.responsibleLeader, { type: "text" })} key={fields.responsibleLeader.key} />
          </Field>
          <Field id={fields.responsibleDepartment.id} label={t.responsibleDepartment} errors={fields.responsibleDepartment.errors} errorId={fields.responsibleDepartment.errorId}>
            <TextField.Root {...getInputProps(fields.responsibleDepartment, { type: "text" })} key={fields.responsibleDepartment.key} />
          </Field>
          <Field id={fields.responsiblePerson.id} label={t.responsiblePerson} errors={fields.responsiblePerson.errors} errorId={fields.responsiblePerson.errorId}>
            <TextField.Root {...getInputProps(fields.responsiblePerson, { type: "text" })} key={fields.responsiblePerson.key} />
          </Field>
        </Grid>
        <WarningAccountFields leader={fields.responsibleLeaderUserId} person={fields.responsiblePersonUserId} accounts={accounts} />
        <Grid columns={{ initial: "1", sm: "2" }} gap="3" align="start">
          <Field id={fields.kind.id} label={t.kind} errors={fields.kind.errors} errorId={fields.kind.errorId}>
            <NativeSelect {...getSelectProps(fields.kind)} key={fields.kind.key} onChange={(e) => setKind(e.currentTarget.value)}>
              {rectificationKinds.map((k) => <option key={k} value={k}>{rectificationKindLabel[k]}</option>)}
            </NativeSelect>
          </Field>
          <Field id={fields.deadline.id} label={kind === "long_term" ? `${t.deadline}（可选）` : t.deadline} errors={fields.deadline.errors} errorId={fields.deadline.errorId}>
            <TextField.Root {...getInputProps(fields.deadline, { type: "date" })} key={fields.deadline.key} min={minDeadline} />
            {kind === "long_term" ? <Text size="1" color="gray">{t.deadlineHint}</Text> : null}
          </Field>
        </Grid>
        <Flex><Button type="submit" loading={busy}>{t.saveItem}</Button></Flex>
      </Flex>
    </Form>
  );
}
