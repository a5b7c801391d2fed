import { getFormProps, getInputProps, getSelectProps, type SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Button, Callout, Card, Flex, Grid, Heading, Table, Text, TextField } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { useZodForm } from "~/lib/forms";
import { m } from "~/lib/messages";
import { findingsText } from "~/lib/messages/findings";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { categorySchema } from "~/lib/schemas/findings";
import { redirectWithToast } from "~/lib/toast.server";
import { orgNames } from "~/models/engagements.server";
import {
  CATEGORY_REFUSALS,
  categoryTree,
  createCategory,
  getCategory,
  listCategories,
  setCategoryActive,
  type CategoryRow,
} from "~/models/findings.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { Field } from "~/components/field";
import { NativeSelect } from "~/components/native-select";
import { GeneralErrorBoundary } from "~/components/error-boundary";

const t = findingsText.categories;

export const meta: MetaFunction = () => [{ title: `${t.title} · ${m.appName}` }];

/**
 * 问题分类字典: the common taxonomy (read-only for everyone), the additions of the
 * office's line (inherited) and of its subtree, and the office's own additions, which
 * its staff add and deactivate (never delete: papers and problems keep their category).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db, ability, activeOrg, subtreeOrgIds }) => {
    if (!ability.can("read", "ProblemCategory")) notFound();
    const rows = await listCategories(db);
    const names = await orgNames(db, rows.map((c) => c.orgId).filter((x): x is number => x !== null));
    const mayEdit = (c: CategoryRow) => c.orgId !== null && ability.can("update", subject("ProblemCategory", { orgId: c.orgId }));
    // A new category goes under a common top category or one of the office's line, never under a lower office's.
    const below = new Set(subtreeOrgIds.filter((o) => o !== activeOrg.id));
    return {
      orgId: activeOrg.id,
      parents: categoryTree(rows, { usable: true })
        .map((g) => g.top)
        .filter((c) => c.active && (c.orgId === null || !below.has(c.orgId)))
        .map((c) => ({ id: c.id, name: c.name })),
      tree: categoryTree(rows).map((g) => ({
        top: { ...g.top, editable: mayEdit(g.top) },
        children: g.children.map((c) => ({ ...c, editable: mayEdit(c) })),
      })),
      names,
      canCreate: ability.can("create", subject("ProblemCategory", { orgId: activeOrg.id })),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, activeOrg, audit }) => {
    const intent = formData.get("intent");
    if (intent === "create") {
      if (!ability.can("create", subject("ProblemCategory", { orgId: activeOrg.id }))) forbidden();
      return saveSubmission(
        db,
        formData,
        categorySchema,
        async (input, tx) => {
          const id = await createCategory(tx, activeOrg.id, input);
          await audit({ action: "category.create", objectType: "problem_category", objectId: id, detail: { name: input.name, parentId: input.parentId ?? null } });
          return redirectWithToast("/categories", t.created(input.name));
        },
        CATEGORY_REFUSALS,
      );
    }
    if (intent === "deactivate" || intent === "activate") {
      const id = parseId(formData.get("categoryId"));
      const category = await getCategory(db, id);
      if (!category) notFound();
      if (category.orgId === null || !ability.can("update", subject("ProblemCategory", { orgId: category.orgId }))) forbidden();
      const active = intent === "activate";
      const row = await setCategoryActive(db, id, active);
      if (!row) forbidden();
      await audit({ action: `category.${intent}`, objectType: "problem_category", objectId: id, detail: { name: row.name } });
      return redirectWithToast("/categories", active ? t.activated(row.name) : t.deactivated(row.name));
    }
    throw new Response("Bad Request", { status: 400 });
  });
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;
type Row = Loaded["tree"][number]["top"];

function Source({ row, orgId, names }: { row: Row; orgId: number; names: Record<number, string> }) {
  if (row.orgId === null) return <Badge color="gray" variant="soft">{t.common}</Badge>;
  if (row.orgId === orgId) return <Badge color="crimson" variant="soft">{t.own}</Badge>;
  return <Badge color="blue" variant="soft">{t.inherited(names[row.orgId] ?? "")}</Badge>;
}

function Toggle({ row }: { row: Row }) {
  if (!row.editable) return null;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={row.active ? "deactivate" : "activate"} />
      <input type="hidden" name="categoryId" value={row.id} />
      <Button type="submit" size="1" variant="ghost" color={row.active ? "red" : "green"} aria-label={`${row.active ? t.deactivate : t.activate} ${row.name}`}>
        {row.active ? t.deactivate : t.activate}
      </Button>
    </Form>
  );
}

function CategoryForm({ parents, lastResult }: { parents: { id: number; name: string }[]; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useZodForm(categorySchema, { id: "category", lastResult });
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="category-form-title">
      <input type="hidden" name="intent" value="create" />
      <Heading as="h2" size="3" mb="3" id="category-form-title">{t.add}</Heading>
      {form.errors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <Grid columns={{ initial: "1", sm: "3" }} gap="3" align="start">
        <Field id={fields.name.id} label={t.name} errors={fields.name.errors} errorId={fields.name.errorId}>
          <TextField.Root {...getInputProps(fields.name, { type: "text" })} key={fields.name.key} />
        </Field>
        <Field id={fields.parentId.id} label={t.parent} errors={fields.parentId.errors} errorId={fields.parentId.errorId}>
          <NativeSelect {...getSelectProps(fields.parentId)} key={fields.parentId.key}>
            <option value="">{t.parentNone}</option>
            {parents.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </NativeSelect>
        </Field>
        {/* Level with the controls, below their labels, whatever error shows under them. */}
        <Flex pt={{ initial: "0", sm: "5" }}>
          <Button type="submit" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "create"}>{t.create}</Button>
        </Flex>
      </Grid>
    </Form>
  );
}

export default function Categories() {
  const { orgId, parents, tree, names, canCreate } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const row = (c: Row, child: boolean) => (
    <Table.Row key={c.id} data-testid="category-row" style={child ? undefined : { background: "var(--gray-2)" }}>
      <Table.RowHeaderCell>
        <Text weight={child ? "regular" : "bold"} color={c.active ? undefined : "gray"} style={child ? { paddingLeft: "1.5em" } : undefined}>
          {child ? "└ " : ""}{c.name}
        </Text>
      </Table.RowHeaderCell>
      <Table.Cell><Source row={c} orgId={orgId} names={names} /></Table.Cell>
      <Table.Cell>{c.active ? <Text color="green">{t.active}</Text> : <Badge color="gray">{t.inactive}</Badge>}</Table.Cell>
      <Table.Cell><Toggle row={c} /></Table.Cell>
    </Table.Row>
  );
  return (
    <>
      <PageHeader title={t.title} description={t.description} />
      {canCreate ? (
        <Card size="3" mb="4"><CategoryForm parents={parents} lastResult={reply} /></Card>
      ) : (
        <Callout.Root color="gray" mb="3"><Callout.Text>{t.readOnly}</Callout.Text></Callout.Root>
      )}
      {tree.length === 0 ? (
        <Text as="p" color="gray">{t.empty}</Text>
      ) : (
        <DataTable label={t.title} columns={[{ label: t.name }, { label: t.source }, { label: t.status }, { label: "" }]}>
          {tree.flatMap((g) => [row(g.top, false), ...g.children.map((c) => row(c, true))])}
        </DataTable>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
