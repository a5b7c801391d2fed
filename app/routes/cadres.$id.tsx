import { useZodForm } from "~/lib/forms";
import { getFormProps, getInputProps, getSelectProps, type SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Button, Callout, Card, DataList, Flex, Grid, Heading, Table, TextField } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { cadrePoolLabel, conflictReasonLabel, m } from "~/lib/messages";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { parseId } from "~/lib/params.server";
import { cadreSchema, conflictReasons, conflictSchema, dueForRotation, historySchema } from "~/lib/schemas/cadre";
import { redirectWithToast } from "~/lib/toast.server";
import {
  addConflict, addHistory, CADRE_REFUSALS, cadreConflicts, cadreHistory, cadrePatrolRecord, CONFLICT_REFUSALS, conflictUnitOptions,
  getCadre, HISTORY_REFUSALS, removeConflict, updateCadre,
} from "~/models/cadres.server";
import { PageHeader } from "~/components/page-header";
import { CadreForm } from "~/components/cadre-form";
import { CoveragePatrolRecord } from "~/components/coverage-patrol-record";
import { coverageText } from "~/lib/messages/coverage";
import { DataTable } from "~/components/data-table";
import { NativeSelect } from "~/components/native-select";
import { Field } from "~/components/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";


export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.cadre.name ?? m.cadres.detail} · ${m.appName}` }];


export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async ({ db, ability }) => {
    const cadre = await getCadre(db, id);
    if (!cadre) notFound();
    const canEdit = ability.can("update", subject("Cadre", { orgId: cadre.orgId }));
    return {
      cadre,
      canEdit,
      conflicts: await cadreConflicts(db, id),
      history: await cadreHistory(db, id),
      patrolRecord: await cadrePatrolRecord(db, id),
      units: canEdit ? await conflictUnitOptions(db) : [],
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, audit }) => {
    const cadre = await getCadre(db, id);
    if (!cadre) notFound();
    if (!ability.can("update", subject("Cadre", { orgId: cadre.orgId }))) forbidden();
    const back = (message: string) => redirectWithToast(`/cadres/${id}`, message);
    switch (formData.get("intent")) {
      case "save":
        return saveSubmission(db, formData, cadreSchema, async (input, tx) => {
          if (!(await updateCadre(tx, id, input))) forbidden();
          await audit({ action: "cadre.update", objectType: "cadre", objectId: id });
          return back(m.cadres.updated);
        }, CADRE_REFUSALS);
      case "conflict":
        return saveSubmission(db, formData, conflictSchema, async (input, tx) => {
          await addConflict(tx, id, input);
          await audit({ action: "cadre.conflict_add", objectType: "cadre", objectId: id, detail: { unitId: input.unitId, reason: input.reason } });
          return back(m.cadres.conflictAdded);
        }, CONFLICT_REFUSALS);
      case "history":
        return saveSubmission(db, formData, historySchema, async (input, tx) => {
          await addHistory(tx, id, input);
          await audit({ action: "cadre.history_add", objectType: "cadre", objectId: id });
          return back(m.cadres.historyAdded);
        }, HISTORY_REFUSALS);
      case "remove-conflict": {
        const conflictId = parseId(formData.get("conflictId"));
        if (!(await removeConflict(db, id, conflictId))) notFound();
        await audit({ action: "cadre.conflict_remove", objectType: "cadre", objectId: id, detail: { conflictId } });
        return back(m.cadres.conflictRemoved);
      }
      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

function ConflictForm({ lastResult, units }: { lastResult?: Reply; units: { id: number; name: string; orgName: string }[] }) {
  const [form, fields] = useZodForm(conflictSchema, { id: "conflict", lastResult });
  return (
    <Form method="post" {...getFormProps(form)} aria-label={m.cadres.addConflict}>
      <input type="hidden" name="intent" value="conflict" />
      <Grid columns={{ initial: "1", sm: "3" }} gap="3" align="start">
        <Field small id={fields.unitId.id} label={m.cadres.conflictUnit} errors={fields.unitId.errors} errorId={fields.unitId.errorId}>
          <NativeSelect {...getSelectProps(fields.unitId)} key={fields.unitId.key}>
            <option value="">请选择</option>
            {units.map((u) => <option key={u.id} value={u.id}>{u.name}（{u.orgName}）</option>)}
          </NativeSelect>
        </Field>
        <Field small id={fields.reason.id} label={m.cadres.conflictReason} errors={fields.reason.errors} errorId={fields.reason.errorId}>
          <NativeSelect {...getSelectProps(fields.reason)} key={fields.reason.key}>
            <option value="">请选择</option>
            {conflictReasons.map((r) => <option key={r} value={r}>{conflictReasonLabel[r]}</option>)}
          </NativeSelect>
        </Field>
        <Field small id={fields.note.id} label={m.cadres.conflictNote} errors={fields.note.errors} errorId={fields.note.errorId}>
          <TextField.Root {...getInputProps(fields.note, { type: "text" })} key={fields.note.key} />
        </Field>
      </Grid>
      <Button type="submit" mt="3" variant="soft">{m.cadres.addConflict}</Button>
    </Form>
  );
}

function HistoryForm({ lastResult }: { lastResult?: Reply }) {
  const [form, fields] = useZodForm(historySchema, { id: "history", lastResult });
  const input = (f: typeof fields.unitName, label: string, type: "text" | "date") => (
    <Field small id={f.id} label={label} errors={f.errors} errorId={f.errorId}>
      <TextField.Root {...getInputProps(f, { type })} key={f.key} />
    </Field>
  );
  return (
    <Form method="post" {...getFormProps(form)} aria-label={m.cadres.addHistory}>
      <input type="hidden" name="intent" value="history" />
      <Grid columns={{ initial: "1", sm: "4" }} gap="3" align="start">
        {input(fields.unitName, m.cadres.historyUnit, "text")}
        {input(fields.post, m.cadres.historyPost, "text")}
        {input(fields.fromDate, m.cadres.historyFrom, "date")}
        {input(fields.toDate, m.cadres.historyTo, "date")}
      </Grid>
      <Button type="submit" mt="3" variant="soft">{m.cadres.addHistory}</Button>
    </Form>
  );
}

export default function CadreDetail() {
  const { cadre, canEdit, conflicts, history, units, patrolRecord } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const intent = reply?.initialValue?.intent;
  const [params] = useSearchParams();
  const editing = canEdit && (params.get("edit") === "1" || intent === "save");
  return (
    <>
      <PageHeader
        title={cadre.name}
        description={`${cadre.homeUnit} · ${cadre.orgName}`}
        actions={
          <Flex gap="2">
            {canEdit && !editing ? <Button asChild><Link to="?edit=1">{m.cadres.edit}</Link></Button> : null}
            <Button asChild variant="soft" color="gray"><Link to="/cadres">{m.cadres.back}</Link></Button>
          </Flex>
        }
      />
      {dueForRotation(cadre.firstPostedOn) ? (
        <Callout.Root color="amber" mb="4" role="note"><Callout.Text>{m.cadres.rotation}</Callout.Text></Callout.Root>
      ) : null}
      {!canEdit ? <Callout.Root color="gray" mb="4"><Callout.Text>{m.cadres.readOnly}</Callout.Text></Callout.Root> : null}
      <Card size="3" mb="4">
        {editing ? (
          <CadreForm
            lastResult={intent === "save" ? reply : undefined}
            defaultValue={{
              name: cadre.name,
              homeUnit: cadre.homeUnit,
              rank: cadre.rank ?? undefined,
              specialties: cadre.specialties as never,
              pools: cadre.pools,
              firstPostedOn: cadre.firstPostedOn ?? undefined,
              available: cadre.available,
            }}
            submitLabel={m.cadres.save}
            cancelTo={`/cadres/${cadre.id}`}
          />
        ) : (
          <DataList.Root>
            <DataList.Item><DataList.Label>{m.cadres.rank}</DataList.Label><DataList.Value>{cadre.rank ?? "—"}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{m.cadres.pools}</DataList.Label><DataList.Value>{cadre.pools.map((p) => cadrePoolLabel[p]).join("、")}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{m.cadres.specialties}</DataList.Label><DataList.Value>{cadre.specialties.join("、") || "—"}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{m.cadres.firstPostedOn}</DataList.Label><DataList.Value>{cadre.firstPostedOn ?? "—"}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{m.cadres.available}</DataList.Label><DataList.Value>{cadre.available ? m.cadres.availableYes : m.cadres.availableNo}</DataList.Value></DataList.Item>
          </DataList.Root>
        )}
      </Card>
      <Heading as="h2" size="4" mb="2">{coverageText.patrolRecord}</Heading>
      <CoveragePatrolRecord rows={patrolRecord} />
      <Heading as="h2" size="4" mt="4" mb="2">{m.cadres.conflicts}</Heading>
      <DataTable label={m.cadres.conflicts} columns={[{ label: m.cadres.conflictUnit }, { label: m.cadres.conflictReason }, { label: m.cadres.conflictNote }, { label: "" }]}>
        {conflicts.map((c, i) => (
          <Table.Row key={`${c.unitId}-${c.reason}-${i}`} data-testid="conflict-row">
            <Table.RowHeaderCell>{c.unitName ?? "—"}</Table.RowHeaderCell>
            <Table.Cell>{conflictReasonLabel[c.reason]} <Badge variant="soft" color="gray">{m.cadres.conflictSource[c.source]}</Badge></Table.Cell>
            <Table.Cell>{c.note ?? ""}</Table.Cell>
            <Table.Cell>
              {canEdit && c.id ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="remove-conflict" />
                  <input type="hidden" name="conflictId" value={c.id} />
                  <Button type="submit" size="1" variant="ghost" color="red">{m.cadres.removeConflict}</Button>
                </Form>
              ) : null}
            </Table.Cell>
          </Table.Row>
        ))}
      </DataTable>
      {canEdit ? <Card size="2" mt="2" mb="4"><ConflictForm lastResult={intent === "conflict" ? reply : undefined} units={units} /></Card> : null}
      <Heading as="h2" size="4" mt="4" mb="2">{m.cadres.history}</Heading>
      <DataTable label={m.cadres.history} columns={[{ label: m.cadres.historyUnit }, { label: m.cadres.historyPost }, { label: m.cadres.historyFrom }, { label: m.cadres.historyTo }]}>
        {history.map((h) => (
          <Table.Row key={h.id}>
            <Table.RowHeaderCell>{h.unitName}</Table.RowHeaderCell>
            <Table.Cell>{h.post ?? ""}</Table.Cell>
            <Table.Cell>{h.fromDate}</Table.Cell>
            <Table.Cell>{h.toDate ?? m.cadres.historyNow}</Table.Cell>
          </Table.Row>
        ))}
      </DataTable>
      {canEdit ? <Card size="2" mt="2"><HistoryForm lastResult={intent === "history" ? reply : undefined} /></Card> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
