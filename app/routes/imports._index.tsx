import { useEffect, useState } from "react";
import { getFormProps, getSelectProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Button, Callout, Card, Flex, Grid, Heading, Table, Text } from "@radix-ui/themes";
import { requestSql } from "~/lib/db.server";
import { useZodForm } from "~/lib/forms";
import { checkImportFile } from "~/lib/imports/file";
import { specs, type ImportKind } from "~/lib/imports/kinds";
import { canImport } from "~/lib/imports/permission";
import { m } from "~/lib/messages";
import { importKindLabel, importsText as t } from "~/lib/messages/imports";
import { forbidden, requireUser } from "~/lib/request.server";
import { importKinds, importUploadSchema } from "~/lib/schemas/imports";
import { redirectWithToast } from "~/lib/toast.server";
import { cleanFileName, readForm } from "~/lib/upload.server";
import { isStale, ledgerRounds, myImportJobs, runImport, startImportJob, userImportDb, type ImportRun } from "~/models/imports.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { Field } from "~/components/field";
import { NativeSelect } from "~/components/native-select";
import { ImportStatusBadge, isRunning, usePolling, when } from "~/components/import-job";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${t.title} · ${m.appName}` }];

/** 数据导入: the kinds the session may import, their templates, the upload, and the user's recent jobs. */
export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    const kinds = importKinds.filter((k) => canImport(ability, activeOrg, k));
    if (kinds.length === 0) forbidden();
    const rounds = kinds.includes("ledger") ? await ledgerRounds(db, activeOrg.id) : [];
    const jobs = await myImportJobs(db, 20);
    const now = new Date();
    return { kinds, rounds, orgName: activeOrg.name, jobs: jobs.map((j) => ({ ...j, stale: isStale(j, now) })) };
  });
}

type Started = { started: ImportRun; bytes: Uint8Array; claims: Parameters<typeof userImportDb>[1] };
type Refused = { reply: SubmissionResult<string[]> };

/**
 * Checks the form and the file, starts the job (committed with the request), and only
 * then hands the file to the runner, which goes on after the response.
 */
export async function action({ request }: ActionFunctionArgs) {
  const upload = await readForm(request);
  const { formData } = upload;
  // The file never goes back in the reply; everything else the user chose does.
  const file = formData.get("file");
  formData.delete("file");
  const result = await requireUser(request, async ({ db, ability, activeOrg, claims, requestId, user }): Promise<Started | Refused> => {
    const submission = parseWithZod(formData, { schema: importUploadSchema });
    if (submission.status !== "success") return { reply: submission.reply() };
    const { kind, roundId } = submission.value;
    if (!canImport(ability, activeOrg, kind)) forbidden();
    const refuse = (field: "file" | "roundId" | null, message: string): Refused => ({
      reply: field ? submission.reply({ fieldErrors: { [field]: [message] } }) : submission.reply({ formErrors: [message] }),
    });
    if (kind === "ledger" && !(await ledgerRounds(db, activeOrg.id)).some((r) => r.id === roundId)) return refuse("roundId", t.roundInvalid);
    if (upload.tooLarge.has("file")) return refuse("file", t.fileTooLarge);
    if (!file || typeof file === "string") return refuse("file", t.fileRequired);
    const filename = cleanFileName(file.name);
    if (!filename || filename.length > 200) return refuse("file", t.fileName);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const check = checkImportFile(bytes);
    if (!check.ok) {
      const message = { empty: t.fileEmpty, too_large: t.fileTooLarge, not_xlsx: t.fileNotXlsx, inflates: t.fileTooBig }[check.reason];
      return refuse("file", message);
    }
    const jobId = await startImportJob(db, kind, filename, kind === "ledger" ? roundId! : null);
    if (jobId === "running") return refuse(null, t.running);
    return {
      started: { jobId, kind, orgId: activeOrg.id, roundId: kind === "ledger" ? roundId! : null, userId: user.id, filename, requestId },
      bytes,
      claims,
    };
  });
  if ("reply" in result) return data(result.reply, { status: 400 });
  // Not awaited: the import goes on in this process after the response; the job page follows it.
  void runImport(userImportDb(requestSql(), result.claims), result.started, result.bytes);
  return redirectWithToast(`/imports/${result.started.jobId}`, t.started);
}

type Reply = SubmissionResult<string[]>;

function UploadForm({ kinds, rounds, lastResult }: { kinds: ImportKind[]; rounds: { id: number; label: string; fedBack: number }[]; lastResult?: Reply }) {
  const [form, fields] = useZodForm(importUploadSchema, { id: "import", lastResult, defaultValue: { kind: kinds[0] } });
  const [kind, setKind] = useState<ImportKind>((fields.kind.initialValue as ImportKind | undefined) ?? kinds[0]);
  const [chosen, setChosen] = useState<string | null>(null);
  // The round picker follows the chosen kind once the page is interactive (data-ready).
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const busy = useNavigation().state === "submitting";
  const spec = specs[kind];
  return (
    <Grid columns={{ initial: "1", md: "2" }} gap="4" align="start">
      <Card size="3">
        <Form method="post" encType="multipart/form-data" {...getFormProps(form)} aria-label={t.submit} data-ready={ready ? "true" : undefined}>
          <Flex direction="column" gap="4">
            {form.errors?.length ? (
              <Callout.Root color="red" role="alert"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
            ) : null}
            <Field id={fields.kind.id} label={t.choose} errors={fields.kind.errors} errorId={fields.kind.errorId}>
              <NativeSelect {...getSelectProps(fields.kind)} key={fields.kind.key} onChange={(e) => setKind(e.currentTarget.value as ImportKind)}>
                {kinds.map((k) => <option key={k} value={k}>{importKindLabel[k]}</option>)}
              </NativeSelect>
            </Field>
            {kind === "ledger" ? (
              <Field id={fields.roundId.id} label={t.round} errors={fields.roundId.errors} errorId={fields.roundId.errorId}>
                {rounds.length === 0 ? <Text size="2" color="gray">{t.noRounds}</Text> : (
                  <NativeSelect {...getSelectProps(fields.roundId)} key={fields.roundId.key}>
                    <option value="">{t.chooseRound}</option>
                    {rounds.map((r) => <option key={r.id} value={r.id}>{`${r.label}（已反馈 ${r.fedBack} 个单位）`}</option>)}
                  </NativeSelect>
                )}
                <Text size="1" color="gray">{t.roundHint}</Text>
              </Field>
            ) : null}
            <Field id={fields.file.id} label={t.file} errors={fields.file.errors} errorId={fields.file.errorId}>
              <Flex align="center" gap="3" className="file-picker">
                <input
                  id={fields.file.id}
                  name={fields.file.name}
                  type="file"
                  className="file-input"
                  accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  required
                  aria-invalid={fields.file.errors?.length ? true : undefined}
                  aria-describedby={fields.file.errors?.length ? fields.file.errorId : `${fields.file.id}-hint`}
                  onChange={(e) => setChosen(e.currentTarget.files?.[0]?.name ?? null)}
                />
                <label htmlFor={fields.file.id} className="file-button" aria-hidden>{t.choose_file}</label>
                <Text size="2" color={chosen ? undefined : "gray"} data-testid="file-chosen">{chosen ?? t.noneChosen}</Text>
              </Flex>
              <Text id={`${fields.file.id}-hint`} size="1" color="gray">{t.fileHint}</Text>
            </Field>
            <Flex gap="3">
              <Button type="submit" loading={busy}>{busy ? t.submitting : t.submit}</Button>
            </Flex>
          </Flex>
        </Form>
      </Card>
      <Card size="3">
        <Heading as="h2" size="3" mb="2">{t.templates}</Heading>
        <Text as="p" size="2" color="gray" mb="3">{t.templatesHint}</Text>
        <Flex gap="2" wrap="wrap" mb="4">
          {kinds.map((k) => (
            <Button key={k} asChild variant={k === kind ? "solid" : "soft"} size="2">
              <a href={`/imports/template/${k}`} download data-testid={`template-${k}`}>{t.downloadTemplate(importKindLabel[k])}</a>
            </Button>
          ))}
        </Flex>
        <Heading as="h3" size="2" mb="2">{`${importKindLabel[kind]} · ${t.rules}`}</Heading>
        <Table.Root size="1" variant="ghost">
          <caption className="visually-hidden">{t.rules}</caption>
          <Table.Body>
            {spec.columns.map((c) => (
              <Table.Row key={c.key}>
                <Table.RowHeaderCell style={{ whiteSpace: "nowrap" }}>
                  {c.header}{c.required ? <Text color="red"> *</Text> : null}
                </Table.RowHeaderCell>
                <Table.Cell><Text size="1">{c.rule}</Text></Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      </Card>
    </Grid>
  );
}

export default function Imports() {
  const { kinds, rounds, jobs, orgName } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as Reply | undefined;
  usePolling(jobs.some((j) => isRunning(j.status) && !j.stale), 2000);
  return (
    <>
      <PageHeader title={t.title} description={`${orgName} · ${t.description}`} />
      <UploadForm kinds={kinds} rounds={rounds} lastResult={lastResult} />
      <Heading as="h2" size="4" mt="5" mb="2">{t.recent}</Heading>
      {jobs.length === 0 ? (
        <Text as="p" color="gray">{t.recentEmpty}</Text>
      ) : (
        <DataTable
          label={t.recent}
          columns={[
            { label: t.colTime }, { label: t.colKind }, { label: t.colFile }, { label: t.colStatus },
            { label: t.colProgress, align: "end" }, { label: t.colResult }, { label: "" },
          ]}
        >
          {jobs.map((j) => (
            <Table.Row key={j.id} data-testid="job-row">
              <Table.RowHeaderCell style={{ whiteSpace: "nowrap" }}>{when(j.createdAt)}</Table.RowHeaderCell>
              <Table.Cell>{importKindLabel[j.kind]}</Table.Cell>
              <Table.Cell style={{ maxWidth: 260, overflowWrap: "anywhere" }}>{j.filename}</Table.Cell>
              <Table.Cell><ImportStatusBadge status={j.status} stale={j.stale} /></Table.Cell>
              <Table.Cell justify="end" style={{ whiteSpace: "nowrap" }}>{j.totalRows ? `${j.doneRows} / ${j.totalRows}` : "—"}</Table.Cell>
              <Table.Cell>
                {j.status === "done" ? <Badge color="green" variant="outline">{t.resultWritten(j.written)}</Badge>
                  : j.status === "failed" ? <Badge color="red" variant="outline">{t.resultErrors(j.errorCount)}</Badge>
                  : t.resultRunning}
              </Table.Cell>
              <Table.Cell><Link className="table-link" to={`/imports/${j.id}`}>{t.open}</Link></Table.Cell>
            </Table.Row>
          ))}
        </DataTable>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
