import { getFormProps, getSelectProps, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { Button, Callout, Flex, Grid, Table, Text, TextField } from "@radix-ui/themes";
import { useZodForm } from "~/lib/forms";
import { cadrePoolLabel, evaluationGradeLabel, groupRoleLabel } from "~/lib/messages";
import { groupsText as t } from "~/lib/messages/groups";
import { evaluationGrades, groupRoles, memberSchema } from "~/lib/schemas/group";
import type { CadreOption, MemberRow } from "~/models/groups.server";
import { DataTable } from "./data-table";
import { Field } from "./field";
import { EvaluationBadge, GroupRoleBadge, RotationBadge } from "./group-badges";
import { NativeSelect } from "./native-select";

export type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

/** Every error of a reply (form- and field-level), for forms that are one button in a row. */
export function replyErrors(reply: Reply | undefined): string[] {
  return reply?.error ? Object.values(reply.error).flatMap((e) => e ?? []) : [];
}

export function ErrorCallout({ errors }: { errors: string[] }) {
  return errors.length ? (
    <Callout.Root color="red" role="alert" mb="2"><Callout.Text>{errors.join(" ")}</Callout.Text></Callout.Root>
  ) : null;
}

/** A row's remove button: posts `intent` with the row's id as `idName`, busy while that row is being removed. */
export function RemoveRowForm({ intent, idName, id, label, children }: { intent: string; idName: string; id: number; label: string; children: React.ReactNode }) {
  const navigation = useNavigation();
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={idName} value={id} />
      <Button type="submit" size="1" variant="ghost" color="red" aria-label={label}
        loading={navigation.state === "submitting" && navigation.formData?.get(idName) === String(id)}>
        {children}
      </Button>
    </Form>
  );
}

/** A member as the tables show it (they never need the cadre's id). */
type MemberView = Omit<MemberRow, "cadreId">;

export function MembersTable({
  members,
  canRemove,
  showEvaluations,
  removeReply,
}: {
  members: MemberView[];
  canRemove: boolean;
  /** Offices see evaluations; teammates do not see each other's. */
  showEvaluations: boolean;
  removeReply?: Reply;
}) {
  return (
    <>
      <ErrorCallout errors={replyErrors(removeReply)} />
      {members.length === 0 ? (
        <Text as="p" color="gray" size="2" mb="2">{t.noMembers}</Text>
      ) : (
        <DataTable
          label={t.members}
          columns={[
            { label: t.memberName }, { label: t.role }, { label: t.rank }, { label: t.specialties }, { label: t.poolOrg },
            ...(showEvaluations ? [{ label: t.evaluation }] : []), ...(canRemove ? [{ label: "" }] : []),
          ]}
        >
          {members.map((mb) => (
            <Table.Row key={mb.id} data-testid="member-row">
              <Table.RowHeaderCell>
                <Flex gap="2" align="center" wrap="wrap">
                  <Text weight="medium">{mb.name}</Text>
                  {mb.rotationWarning ? <RotationBadge /> : null}
                </Flex>
              </Table.RowHeaderCell>
              <Table.Cell><GroupRoleBadge role={mb.role} /></Table.Cell>
              <Table.Cell>{mb.rank ?? "—"}</Table.Cell>
              <Table.Cell>{mb.specialties?.join("、") || "—"}</Table.Cell>
              <Table.Cell>
                {mb.orgName ?? "—"}
                {mb.pools ? <Text as="div" size="1" color="gray">{mb.pools.map((p) => cadrePoolLabel[p]).join("、")}</Text> : null}
              </Table.Cell>
              {showEvaluations ? (
                <Table.Cell>
                  <EvaluationBadge grade={mb.evaluation} />
                  {mb.evaluationNote ? <Text as="div" size="1" color="gray">{mb.evaluationNote}</Text> : null}
                </Table.Cell>
              ) : null}
              {canRemove ? (
                <Table.Cell>
                  {mb.evaluation ? null : (
                    <RemoveRowForm intent="remove-member" idName="memberId" id={mb.id} label={t.removeMemberLabel(mb.name)}>
                      {t.removeMember}
                    </RemoveRowForm>
                  )}
                </Table.Cell>
              ) : null}
            </Table.Row>
          ))}
        </DataTable>
      )}
    </>
  );
}

/** Pick a cadre of the group's pools and a role; the database judges the assignment. */
export function AddMemberForm({
  cadres,
  more,
  hasLeader,
  lastResult,
}: {
  cadres: CadreOption[];
  more: boolean;
  hasLeader: boolean;
  lastResult?: Reply;
}) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(memberSchema, {
    id: "add-member",
    lastResult,
    defaultValue: { role: hasLeader ? "member" : "leader" },
  });
  return (
    <Form method="post" preventScrollReset {...getFormProps(form)} aria-label={t.addMember}>
      <input type="hidden" name="intent" value="add-member" />
      {form.errors?.length ? <ErrorCallout errors={form.errors} /> : null}
      <Grid columns={{ initial: "1", sm: "3" }} gap="3" align="start">
        <div style={{ gridColumn: "span 2" }}>
          <Field small id={fields.cadreId.id} label={t.cadre} errors={fields.cadreId.errors} errorId={fields.cadreId.errorId}>
            <NativeSelect {...getSelectProps(fields.cadreId)} key={fields.cadreId.key} style={{ width: "100%" }}>
              <option value="">{cadres.length ? "请选择" : t.noCadres}</option>
              {cadres.map((c) => (
                <option key={c.id} value={c.id}>
                  {t.cadreOption({
                    name: c.name,
                    rank: c.rank,
                    pools: c.pools.map((p) => cadrePoolLabel[p]).join("、"),
                    specialties: c.specialties.join("、"),
                    orgName: c.orgName,
                  })}
                  {c.rotationWarning ? `（${t.rotationBadge}）` : ""}
                </option>
              ))}
            </NativeSelect>
          </Field>
          {more ? <Text size="1" color="gray">{t.cadresLimited(cadres.length)}</Text> : null}
        </div>
        <Field small id={fields.role.id} label={t.role} errors={fields.role.errors} errorId={fields.role.errorId}>
          <NativeSelect {...getSelectProps(fields.role)} key={fields.role.key}>
            {groupRoles.map((r) => <option key={r} value={r}>{groupRoleLabel[r]}</option>)}
          </NativeSelect>
        </Field>
      </Grid>
      <Button type="submit" mt="3" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "add-member"}>{t.addMember}</Button>
    </Form>
  );
}

/** Once stationing is over: one grade and a note per member. */
export function EvaluationTable({ members, reply }: { members: MemberView[]; reply?: Reply }) {
  const navigation = useNavigation();
  const replyFor = reply?.initialValue?.memberId;
  return (
    <DataTable label={t.evaluations} columns={[{ label: t.memberName }, { label: t.role }, { label: t.evaluation }]}>
      {members.map((mb) => {
        const errors = String(replyFor) === String(mb.id) ? replyErrors(reply) : [];
        const typed = String(replyFor) === String(mb.id) ? reply?.initialValue : undefined;
        return (
          <Table.Row key={mb.id} data-testid="evaluation-row">
            <Table.RowHeaderCell>{mb.name}</Table.RowHeaderCell>
            <Table.Cell><GroupRoleBadge role={mb.role} /></Table.Cell>
            <Table.Cell>
              <Form method="post" preventScrollReset aria-label={t.evaluationFor(mb.name)}>
                <input type="hidden" name="intent" value="evaluate" />
                <input type="hidden" name="memberId" value={mb.id} />
                <Flex gap="2" align="center" wrap="wrap">
                  <NativeSelect name="evaluation" aria-label={t.evaluationFor(mb.name)} defaultValue={String(typed?.evaluation ?? mb.evaluation ?? "")}
                    aria-invalid={errors.length ? true : undefined}>
                    <option value="">请选择</option>
                    {evaluationGrades.map((g) => <option key={g} value={g}>{evaluationGradeLabel[g]}</option>)}
                  </NativeSelect>
                  <TextField.Root name="note" aria-label={t.evaluationNoteFor(mb.name)} placeholder={t.evaluationNote} maxLength={500}
                    defaultValue={String(typed?.note ?? mb.evaluationNote ?? "")} style={{ minWidth: 260 }} />
                  <Button type="submit" size="2" variant="soft"
                    loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "evaluate" && navigation.formData?.get("memberId") === String(mb.id)}>
                    {t.saveEvaluation}
                  </Button>
                </Flex>
                {errors.length ? <Text className="field-error" role="alert">{errors.join(" ")}</Text> : null}
              </Form>
            </Table.Cell>
          </Table.Row>
        );
      })}
    </DataTable>
  );
}
