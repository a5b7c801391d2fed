import { getFormProps, getInputProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Button, Card, Flex, Heading, Table, Text, TextField } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { useZodForm } from "~/lib/forms";
import { m } from "~/lib/messages";
import { coverageText } from "~/lib/messages/coverage";
import { forbidden, requireUser } from "~/lib/request.server";
import { termSchema } from "~/lib/schemas/round";
import { redirectWithToast } from "~/lib/toast.server";
import { createTerm, listTerms, TERM_REFUSALS } from "~/models/rounds.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { Field } from "~/components/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${m.terms.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    if (!ability.can("read", "Term")) forbidden();
    return {
      terms: await listTerms(db),
      canCreate: ability.can("create", subject("Term", { orgId: activeOrg.id })),
      orgName: activeOrg.name,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, activeOrg, audit }) => {
    if (!ability.can("create", subject("Term", { orgId: activeOrg.id }))) forbidden();
    return saveSubmission(
      db,
      formData,
      termSchema,
      async (input, tx) => {
        const id = await createTerm(tx, activeOrg.id, input);
        await audit({ action: "term.create", objectType: "term", objectId: id, detail: { name: input.name } });
        return redirectWithToast("/terms", m.terms.created);
      },
      TERM_REFUSALS,
    );
  });
}

export default function Terms() {
  const { terms, canCreate, orgName } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useZodForm(termSchema, { lastResult });
  const field = (f: typeof fields.name | typeof fields.startYear, label: string, type: "text" | "number", placeholder?: string) => (
    <Field id={f.id} label={label} errors={f.errors} errorId={f.errorId}>
      <TextField.Root {...getInputProps(f as typeof fields.name, { type })} key={f.key} placeholder={placeholder} style={{ width: type === "number" ? 120 : 220 }} />
    </Field>
  );
  return (
    <>
      <PageHeader title={m.terms.title} description={m.terms.description} />
      {canCreate ? (
        <Card size="3" mb="4">
          <Heading as="h2" size="3" mb="3">{m.terms.add}（{orgName}）</Heading>
          <Form method="post" {...getFormProps(form)}>
            <Flex gap="3" align="start" wrap="wrap">
              {field(fields.name, m.terms.name, "text", m.terms.namePlaceholder)}
              {field(fields.startYear, m.terms.startYear, "number")}
              {field(fields.endYear, m.terms.endYear, "number")}
              <Button type="submit" mt="5" loading={navigation.state === "submitting"}>{m.terms.add}</Button>
            </Flex>
          </Form>
        </Card>
      ) : null}
      {terms.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="4">{m.terms.empty}</Text></Card>
      ) : (
        <DataTable
          label={m.terms.title}
          columns={[{ label: m.terms.name }, { label: m.terms.org }, { label: `${m.terms.startYear}—${m.terms.endYear}` }, { label: m.terms.rounds, align: "end" }, { label: coverageText.planObjects, align: "end" }]}
        >
          {terms.map((t) => (
            <Table.Row key={t.id} data-testid="term-row">
              <Table.RowHeaderCell><Link className="table-link" to={`/terms/${t.id}`}>{t.name}</Link></Table.RowHeaderCell>
              <Table.Cell>{t.orgName}</Table.Cell>
              <Table.Cell>{t.startYear}—{t.endYear}</Table.Cell>
              <Table.Cell justify="end">{t.rounds}</Table.Cell>
              <Table.Cell justify="end" data-testid="term-objects">{t.objects}</Table.Cell>
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
