import { getFormProps, getSelectProps, type SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Badge, Box, Button, Callout, Card, Flex, Grid, Heading, Table, Text, TextField } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { useZodForm } from "~/lib/forms";
import { m, termObjectKindLabel, unitCategoryLabel } from "~/lib/messages";
import { coverageText as t } from "~/lib/messages/coverage";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { addElevatedSchema, includeAllSchema, planFilterSchema, removeObjectSchema, setYearSchema } from "~/lib/schemas/coverage";
import { redirectWithToast } from "~/lib/toast.server";
import {
  addObject, elevatedCandidates, getTerm, includeAllUnits, removeObject, setPlannedYear, TERM_OBJECT_REFUSALS, termPlan,
} from "~/models/coverage.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { Field } from "~/components/field";
import { FilterSelect } from "~/components/filter-field";
import { NativeSelect } from "~/components/native-select";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.term.name}${t.plan}` : t.plan} · ${m.appName}` },
];

/** Categories an office usually patrols one level down (提级): the heads are managed from above. */
const ELEVATED_CATEGORIES = [
  "discipline_commission", "organization_dept", "public_security", "court", "procuratorate", "dev_zone", "county", "township",
] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const query = planFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return requireUser(request, async ({ db, ability }) => {
    const term = await getTerm(db, id);
    if (!term) notFound();
    if (!ability.can("read", subject("TermObject", { orgId: term.orgId }))) forbidden();
    const canEdit = ability.can("update", subject("TermObject", { orgId: term.orgId }));
    const all = await termPlan(db, id);
    const objects = all.filter(
      (o) =>
        (query.year === undefined || (query.year === "none" ? o.plannedYear === null : o.plannedYear === query.year)) &&
        (!query.kind || o.kind === query.kind) &&
        (!query.status || (query.status === "covered") === o.covered),
    );
    const searching = canEdit && (query.q !== undefined || query.category !== undefined);
    return {
      term,
      canEdit,
      query,
      objects,
      summary: {
        total: all.length,
        regular: all.filter((o) => o.kind === "regular").length,
        elevated: all.filter((o) => o.kind === "elevated").length,
        covered: all.filter((o) => o.covered).length,
        unscheduled: all.filter((o) => o.plannedYear === null).length,
      },
      searching,
      candidates: searching ? await elevatedCandidates(db, term, { q: query.q, category: query.category }) : [],
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  const url = new URL(request.url);
  const back = (message: string) => redirectWithToast(`${url.pathname}${url.search}`, message);
  return requireUser(request, async ({ db, ability, audit }) => {
    const term = await getTerm(db, id);
    if (!term) notFound();
    if (!ability.can("update", subject("TermObject", { orgId: term.orgId }))) forbidden();
    switch (formData.get("intent")) {
      case "include-all":
        return saveSubmission(db, formData, includeAllSchema, async (_input, tx) => {
          const count = await includeAllUnits(tx, id);
          await audit({ action: "term_object.include_all", objectType: "term", objectId: id, detail: { count } });
          return back(t.includedAll(count));
        }, TERM_OBJECT_REFUSALS);
      case "add-elevated":
        return saveSubmission(db, formData, addElevatedSchema, async (input, tx) => {
          const objectId = await addObject(tx, id, input.unitId, "elevated", input.plannedYear ?? null);
          await audit({ action: "term_object.add", objectType: "term_object", objectId, detail: { termId: id, unitId: input.unitId, kind: "elevated" } });
          return back(t.added);
        }, TERM_OBJECT_REFUSALS);
      case "set-year":
        return saveSubmission(db, formData, setYearSchema, async (input, tx) => {
          const count = await setPlannedYear(tx, id, input.objectIds, input.plannedYear);
          await audit({ action: "term_object.plan_year", objectType: "term", objectId: id, detail: { objectIds: input.objectIds, plannedYear: input.plannedYear } });
          return back(t.yearsSet(count));
        }, TERM_OBJECT_REFUSALS);
      case "remove":
        return saveSubmission(db, formData, removeObjectSchema, async (input, tx) => {
          const unitName = await removeObject(tx, id, input.objectId);
          if (!unitName) notFound();
          await audit({ action: "term_object.remove", objectType: "term_object", objectId: input.objectId, detail: { termId: id, unit: unitName } });
          return back(t.removed);
        }, TERM_OBJECT_REFUSALS);
      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

function FormErrors({ reply }: { reply?: Reply }) {
  const errors = reply?.error?.[""];
  return errors?.length ? (
    <Callout.Root color="red" mb="3" role="alert"><Callout.Text>{errors.join(" ")}</Callout.Text></Callout.Root>
  ) : null;
}

function years(term: { startYear: number; endYear: number }) {
  return Array.from({ length: term.endYear - term.startYear + 1 }, (_, i) => term.startYear + i);
}

function BulkYearForm({ reply, term }: { reply?: Reply; term: { startYear: number; endYear: number } }) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(setYearSchema, { id: "plan-bulk", lastResult: reply });
  return (
    <Form method="post" {...getFormProps(form)} aria-label={t.bulkApply}>
      <input type="hidden" name="intent" value="set-year" />
      <Flex gap="3" align="end" wrap="wrap">
        <Field small id={fields.plannedYear.id} label={t.bulkYear} errors={fields.plannedYear.errors} errorId={fields.plannedYear.errorId}>
          <NativeSelect {...getSelectProps(fields.plannedYear)} key={fields.plannedYear.key}>
            <option value="">请选择</option>
            {years(term).map((y) => <option key={y} value={y}>{t.yearLabel(y)}</option>)}
            <option value="none">{t.unscheduled}</option>
          </NativeSelect>
        </Field>
        <Button type="submit" variant="soft" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "set-year"}>
          {t.bulkApply}
        </Button>
        {[...(fields.objectIds.errors ?? []), ...(form.errors ?? [])].length ? (
          <Text className="field-error" role="alert">{[...(fields.objectIds.errors ?? []), ...(form.errors ?? [])].join(" ")}</Text>
        ) : null}
      </Flex>
    </Form>
  );
}

function SelectAll() {
  return (
    <input
      type="checkbox"
      aria-label={t.selectAll}
      onChange={(e) => {
        document.querySelectorAll<HTMLInputElement>('input[form="plan-bulk"][name="objectIds"]').forEach((cb) => {
          cb.checked = e.currentTarget.checked;
        });
      }}
    />
  );
}

export default function TermPlan() {
  const { term, canEdit, query, objects, summary, searching, candidates } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const intent = reply?.initialValue?.intent;
  const location = useLocation();
  const termYears = years(term);
  const keep = (names: string[]) =>
    names.map((n) => {
      const v = query[n as keyof typeof query];
      return v === undefined ? null : <input key={n} type="hidden" name={n} value={String(v)} />;
    });
  return (
    <>
      <PageHeader
        title={`${term.name}${t.plan}`}
        description={`${term.orgName} · ${term.startYear}—${term.endYear} 年。${t.planDescription}`}
        actions={
          <Flex gap="2">
            <Button asChild variant="soft"><Link to={`/coverage?org=${term.orgId}`}>{t.viewCoverage}</Link></Button>
            <Button asChild variant="soft" color="gray"><Link to="/terms">{t.backToTerms}</Link></Button>
          </Flex>
        }
      />
      <Flex gap="2" mb="4" wrap="wrap" data-testid="plan-summary">
        <Badge size="2" variant="soft" color="gray">{t.planTotal(summary.total)}</Badge>
        <Badge size="2" variant="soft">{termObjectKindLabel.regular} {summary.regular}</Badge>
        <Badge size="2" variant="soft" color="purple">{termObjectKindLabel.elevated} {summary.elevated}</Badge>
        <Badge size="2" variant="soft" color="green">{t.covered} {summary.covered}</Badge>
        <Badge size="2" variant="soft" color="amber">{t.unscheduled} {summary.unscheduled}</Badge>
      </Flex>
      {!canEdit ? <Callout.Root color="gray" mb="4"><Callout.Text>{t.readOnly}</Callout.Text></Callout.Root> : null}

      {canEdit ? (
        <Grid columns={{ initial: "1", md: term.orgLevel === "county" ? "2" : "3" }} gap="4" mb="4" align="start">
          <Card size="2">
            <Heading as="h2" size="3" mb="2">{t.includeAll}</Heading>
            <Text as="p" size="2" color="gray" mb="3">{t.includeAllHint}</Text>
            {intent === "include-all" ? <FormErrors reply={reply} /> : null}
            <Form method="post">
              <input type="hidden" name="intent" value="include-all" />
              <Button type="submit">{t.includeAll}</Button>
            </Form>
          </Card>
          {/* A county office has no office below it: nothing to patrol one level down. */}
          {term.orgLevel !== "county" ? (
          <Box gridColumn={{ initial: "auto", md: "span 2" }}>
          <Card size="2">
            <Heading as="h2" size="3" mb="2">{t.addElevated}</Heading>
            <Text as="p" size="2" color="gray" mb="3">{t.addElevatedHint}</Text>
            {intent === "add-elevated" ? <FormErrors reply={reply} /> : null}
            <Form method="get" aria-label={t.addElevated}>
              {keep(["year", "kind", "status"])}
              <Flex gap="3" align="end" wrap="wrap">
                <Flex direction="column" gap="1">
                  <label htmlFor="cand-q"><Text size="1" color="gray">{t.search}</Text></label>
                  <TextField.Root id="cand-q" name="q" defaultValue={query.q ?? ""} placeholder="如：纪委监委机关" style={{ width: 200 }} />
                </Flex>
                <FilterSelect id="cand-category" name="category" label={t.category} defaultValue={query.category} allLabel={t.allCategories}
                  options={ELEVATED_CATEGORIES.map((c) => ({ value: c, label: unitCategoryLabel[c] }))} />
                <Button type="submit" variant="soft">{t.searchButton}</Button>
              </Flex>
            </Form>
            {searching ? (
              candidates.length === 0 ? (
                <Text as="p" color="gray" size="2" mt="3">{t.searchEmpty}</Text>
              ) : (
                <Table.Root size="1" mt="3" aria-label={t.addElevated}>
                  <Table.Body>
                    {candidates.map((c) => (
                      <Table.Row key={c.id} data-testid="candidate-row">
                        <Table.RowHeaderCell>{c.name}</Table.RowHeaderCell>
                        <Table.Cell><Text color="gray" size="1">{unitCategoryLabel[c.category as keyof typeof unitCategoryLabel] ?? c.category} · {c.orgName}</Text></Table.Cell>
                        <Table.Cell justify="end">
                          <Form method="post" action={`${location.pathname}${location.search}`}>
                            <input type="hidden" name="intent" value="add-elevated" />
                            <input type="hidden" name="unitId" value={c.id} />
                            <Flex gap="2" justify="end" align="center">
                              <NativeSelect name="plannedYear" aria-label={`${c.name}${t.plannedYear}`} defaultValue="none" style={{ minWidth: "7em" }}>
                                <option value="none">{t.unscheduled}</option>
                                {termYears.map((y) => <option key={y} value={y}>{t.yearLabel(y)}</option>)}
                              </NativeSelect>
                              <Button type="submit" size="1" aria-label={`${t.add}：${c.name}`}>{t.add}</Button>
                            </Flex>
                          </Form>
                        </Table.Cell>
                      </Table.Row>
                    ))}
                  </Table.Body>
                </Table.Root>
              )
            ) : null}
          </Card>
          </Box>
          ) : null}
        </Grid>
      ) : null}

      <Card size="2" mb="3">
        <Flex justify="between" align="end" gap="4" wrap="wrap">
          <Form method="get" aria-label="筛选">
            {keep(["q", "category"])}
            <Flex gap="3" wrap="wrap" align="end">
              <FilterSelect id="f-year" name="year" label={t.filterYear} defaultValue={query.year} allLabel={t.allYears}
                options={[...termYears.map((y) => ({ value: y, label: t.yearLabel(y) })), { value: "none", label: t.unscheduled }]} />
              <FilterSelect id="f-kind" name="kind" label={t.filterKind} defaultValue={query.kind} allLabel={t.allKinds}
                options={(["regular", "elevated"] as const).map((k) => ({ value: k, label: termObjectKindLabel[k] }))} />
              <FilterSelect id="f-status" name="status" label={t.filterStatus} defaultValue={query.status} allLabel={t.allStatuses}
                options={[{ value: "uncovered", label: t.uncovered }, { value: "covered", label: t.covered }]} />
              <Button type="submit" variant="soft" color="gray">{t.apply}</Button>
            </Flex>
          </Form>
          {canEdit ? <BulkYearForm reply={intent === "set-year" ? reply : undefined} term={term} /> : null}
        </Flex>
      </Card>
      {intent === "remove" ? <FormErrors reply={reply} /> : null}
      <Text as="p" size="2" color="gray" mb="2" data-testid="plan-count">{t.planTotal(objects.length)}</Text>
      <DataTable
        label={t.plan}
        columns={[
          ...(canEdit ? [{ label: t.select }] : []),
          { label: t.unit }, { label: t.unitOrg }, { label: t.kind }, { label: t.plannedYear }, { label: t.status },
          ...(canEdit ? [{ label: "" }] : []),
        ]}
      >
        {canEdit ? (
          <Table.Row>
            <Table.Cell><SelectAll /></Table.Cell>
            <Table.Cell colSpan={6}><Text size="1" color="gray">{t.selectAll}</Text></Table.Cell>
          </Table.Row>
        ) : null}
        {objects.map((o) => (
          <Table.Row key={o.id} data-testid="plan-row" data-object-id={o.id}>
            {canEdit ? (
              <Table.Cell>
                <input type="checkbox" form="plan-bulk" name="objectIds" value={o.id} aria-label={`${t.select}：${o.unitName}`} />
              </Table.Cell>
            ) : null}
            <Table.RowHeaderCell>{o.unitName}</Table.RowHeaderCell>
            <Table.Cell><Text color="gray">{o.unitOrgName}</Text></Table.Cell>
            <Table.Cell>
              <Badge variant="soft" color={o.kind === "elevated" ? "purple" : "gray"}>{termObjectKindLabel[o.kind]}</Badge>
            </Table.Cell>
            <Table.Cell data-testid="planned-year">{o.plannedYear ? t.yearLabel(o.plannedYear) : <Text color="amber">{t.unscheduled}</Text>}</Table.Cell>
            <Table.Cell>
              {o.covered ? (
                <Text color="green">{t.coveredOn(o.coveredOn ?? "")}</Text>
              ) : (
                <Flex gap="1" align="center">
                  <Text color="gray">{t.uncovered}</Text>
                  {o.scheduled ? <Badge size="1" color="blue" variant="soft">{t.scheduledBadge}</Badge> : null}
                </Flex>
              )}
            </Table.Cell>
            {canEdit ? (
              <Table.Cell justify="end">
                <Form method="post" action={`${location.pathname}${location.search}`}>
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="objectId" value={o.id} />
                  <Button type="submit" size="1" variant="ghost" color="red" aria-label={`${t.remove}：${o.unitName}`}>{t.remove}</Button>
                </Form>
              </Table.Cell>
            ) : null}
          </Table.Row>
        ))}
      </DataTable>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
