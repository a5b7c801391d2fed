import { useState } from "react";
import { subject } from "@xunlian/permissions";
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button, Callout, Card, Flex, Grid, Heading, Table, Text, TextField } from "@radix-ui/themes";
import { m } from "~/lib/messages";
import { campaignsText } from "~/lib/messages/campaigns";
import { thematicPresetSchema } from "~/lib/schemas/campaigns";
import { dispatchContext } from "~/models/dispatches.server";
import { DISPATCH_ACTION, DispatchPanel, useDispatch, type DispatchOptions } from "~/components/campaign-dispatch";
import { findingsText } from "~/lib/messages/findings";
import { notFound, requireUser } from "~/lib/request.server";
import { thematicFilterSchema, thematicSchema } from "~/lib/schemas/findings";
import { categoryTree, listCategories, problemsByIds, searchProblems, THEMATIC_ROLES, thematicRounds } from "~/models/findings.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { Field } from "~/components/field";
import { NativeSelect } from "~/components/native-select";
import { CategoryOptions } from "~/components/findings-paper-form";
import { DownloadStatus, useFileDownload } from "~/components/download-progress";
import { GeneralErrorBoundary } from "~/components/error-boundary";

const t = findingsText.thematic;

export const meta: MetaFunction = () => [{ title: `${t.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const filters = thematicFilterSchema.parse(Object.fromEntries(url.searchParams));
  // Opened with problems chosen (a campaign's recurring problems): those, as RLS shows them, all selected.
  const preset = thematicPresetSchema.parse({
    problem: url.searchParams.getAll("problem"),
    campaign: url.searchParams.get("campaign") ?? undefined,
    title: url.searchParams.get("title") ?? undefined,
  });
  return requireUser(request, async ({ db, ability, role, activeOrg }) => {
    if (!THEMATIC_ROLES.has(role) || !ability.can("read", "Problem")) notFound();
    const categories = categoryTree(await listCategories(db));
    const { rows, more } = preset.problem.length
      ? { rows: await problemsByIds(db, preset.problem), more: false }
      : await searchProblems(db, filters);
    const chosen = categories.flatMap((g) => [g.top, ...g.children]).find((c) => c.id === filters.category);
    const dispatch = ability.can("create", subject("ThematicDispatch", { orgId: activeOrg.id }))
      ? await dispatchContext(db, activeOrg.id, preset.campaign)
      : null;
    return {
      filters,
      categories,
      rounds: await thematicRounds(db),
      rows,
      more,
      defaultTitle: preset.problem.length && preset.title ? preset.title : t.defaultTitle(chosen?.name ?? null),
      preset: preset.problem.length ? { ids: rows.map((r) => r.id), asked: preset.problem.length } : null,
      dispatch: dispatch && dispatch.offices.length ? dispatch : null,
    };
  });
}

function ComposeForm({ rows, defaultTitle, initialSelected = [], dispatch }: {
  rows: ReturnType<typeof useLoaderData<typeof loader>>["rows"];
  defaultTitle: string;
  initialSelected?: number[];
  dispatch?: DispatchOptions | null;
}) {
  const download = useFileDownload(`${defaultTitle}.docx`);
  const send = useDispatch();
  const [selected, setSelected] = useState<Set<number>>(() => new Set(initialSelected));
  const [form, fields] = useForm({
    id: "thematic",
    defaultValue: { title: defaultTitle },
    constraint: getZodConstraint(thematicSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: thematicSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onSubmit(event, { formData, action }) {
      // Valid (conform stops an invalid form before this): fetch the file with its progress,
      // or send the report down (the 下发 button's formAction).
      event.preventDefault();
      if (dispatch && new URL(action, window.location.href).pathname === DISPATCH_ACTION) send.submit(formData);
      else void download.start("/reports/thematic/docx", { method: "POST", body: formData });
    },
  });
  const toggle = (id: number, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const all = rows.length > 0 && rows.every((r) => selected.has(r.id));
  return (
    <form method="post" action="/reports/thematic/docx" {...getFormProps(form)} aria-label={t.compose}>
      <Card size="3" mb="3">
        <Heading as="h2" size="3" mb="3">{t.compose}</Heading>
        <Grid columns={{ initial: "1", sm: "2" }} gap="3" align="start">
          <Field id={fields.title.id} label={t.reportTitle} errors={fields.title.errors} errorId={fields.title.errorId}>
            <TextField.Root {...getInputProps(fields.title, { type: "text" })} key={fields.title.key} />
          </Field>
          <Field id={fields.mainRecipients.id} label={t.mainRecipients} errors={fields.mainRecipients.errors} errorId={fields.mainRecipients.errorId}>
            <TextField.Root {...getInputProps(fields.mainRecipients, { type: "text" })} key={fields.mainRecipients.key} placeholder={t.mainRecipientsHint} />
          </Field>
        </Grid>
        <Flex gap="4" align="center" mt="3" wrap="wrap">
          <Button type="submit" loading={download.busy} data-testid="thematic-download">{t.compose}</Button>
          <Text size="2" color="gray" data-testid="thematic-selected">{t.selected(selected.size)}</Text>
          <DownloadStatus state={download.state} testId="thematic-status" />
        </Flex>
        {fields.problem.errors ? <Text as="p" className="field-error" role="alert" mt="2">{fields.problem.errors.join(" ")}</Text> : null}
      </Card>
      {dispatch ? <DispatchPanel options={dispatch} busy={send.busy} error={send.error} /> : null}
      <DataTable
        label={t.results(rows.length, false)}
        columns={[{ label: t.select }, { label: t.unit }, { label: t.round_ }, { label: t.category }, { label: t.problem }]}
      >
        <Table.Row>
          <Table.Cell colSpan={5}>
            <label className="check-label">
              <input type="checkbox" checked={all} onChange={(e) => setSelected(e.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set())} />
              {t.selectAll}
            </label>
          </Table.Cell>
        </Table.Row>
        {rows.map((r) => (
          <Table.Row key={r.id} data-testid="thematic-row">
            <Table.Cell>
              <input
                type="checkbox"
                name={fields.problem.name}
                value={r.id}
                checked={selected.has(r.id)}
                onChange={(e) => toggle(r.id, e.currentTarget.checked)}
                aria-label={`${t.select} ${r.unitName} ${r.title}`}
              />
            </Table.Cell>
            <Table.Cell>{r.unitName}</Table.Cell>
            <Table.Cell style={{ whiteSpace: "nowrap" }}>{r.roundLabel ?? "—"}</Table.Cell>
            <Table.Cell>
              {r.topCategoryName ?? "—"}
              {r.categoryName && r.categoryName !== r.topCategoryName ? <Text as="div" size="1" color="gray">{r.categoryName}</Text> : null}
            </Table.Cell>
            <Table.RowHeaderCell style={{ maxWidth: 460 }}>
              {r.title}
              <Text as="div" size="1" color="gray" style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>{r.description}</Text>
            </Table.RowHeaderCell>
          </Table.Row>
        ))}
      </DataTable>
    </form>
  );
}

export default function ThematicReports() {
  const { filters, categories, rounds, rows, more, defaultTitle, preset, dispatch } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={t.title} description={t.description} />
      <Card size="2" mb="4">
        <Form method="get" role="search" aria-label={t.filters}>
          <Grid columns={{ initial: "1", sm: "4" }} gap="3" align="end">
            <Field id="f-category" label={t.category} small>
              <NativeSelect id="f-category" name="category" defaultValue={filters.category ?? ""}>
                <option value="">{t.allCategories}</option>
                <CategoryOptions groups={categories} />
              </NativeSelect>
            </Field>
            <Field id="f-round" label={t.round} small>
              <NativeSelect id="f-round" name="round" defaultValue={filters.round ?? ""}>
                <option value="">{t.allRounds}</option>
                {rounds.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
              </NativeSelect>
            </Field>
            <Field id="f-q" label={t.keyword} small>
              <TextField.Root id="f-q" name="q" type="search" defaultValue={filters.q ?? ""} placeholder={t.keywordHint} />
            </Field>
            <Flex gap="2">
              <Button type="submit">{t.search}</Button>
              <Button asChild variant="soft" color="gray"><Link to="/reports/thematic">{t.reset}</Link></Button>
            </Flex>
          </Grid>
        </Form>
      </Card>
      {preset ? (
        <Callout.Root color="blue" mb="3" data-testid="thematic-preset">
          <Callout.Text>{campaignsText.thematicPreset(preset.ids.length, preset.asked)}</Callout.Text>
        </Callout.Root>
      ) : null}
      <Text as="p" size="2" color="gray" mb="2" data-testid="thematic-total">{t.results(rows.length, more)}</Text>
      {rows.length === 0 ? (
        <Callout.Root color="gray"><Callout.Text>{t.empty}</Callout.Text></Callout.Root>
      ) : (
        // Keyed on the search: a new search starts a new selection.
        <ComposeForm key={JSON.stringify([filters, preset])} rows={rows} defaultTitle={defaultTitle}
          initialSelected={preset?.ids} dispatch={dispatch} />
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
