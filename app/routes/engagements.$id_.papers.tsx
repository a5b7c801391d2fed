import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, Callout, Card, Flex, Table, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { findingsText } from "~/lib/messages/findings";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser, type UserContext } from "~/lib/request.server";
import { paperSchema } from "~/lib/schemas/findings";
import { redirectWithToast } from "~/lib/toast.server";
import { conductSubject, getEngagement } from "~/models/engagements.server";
import {
  categoryTree,
  createPaper,
  groupMemberOptions,
  listCategories,
  listPapers,
  PAPER_REFUSALS,
} from "~/models/findings.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { PaperForm } from "~/components/findings-paper-form";
import { PaperStatusBadge, SeverityBadge } from "~/components/findings-badges";
import { when } from "~/components/findings-review";
import { GeneralErrorBoundary } from "~/components/error-boundary";

const t = findingsText.papers;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.engagement.unitName} · ${t.title}` : t.title} · ${m.appName}` },
];

/** The engagement, if the caller sees its working papers (the executing office and its ancestors, the group); else a 404. */
async function papersEngagement(ctx: Pick<UserContext, "db" | "ability">, id: number) {
  const e = await getEngagement(ctx.db, id);
  if (!e || !ctx.ability.can("read", subject("WorkingPaper", conductSubject(e)))) notFound();
  return e;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async (ctx) => {
    const e = await papersEngagement(ctx, id);
    const canCreate = ctx.ability.can("create", subject("WorkingPaper", conductSubject(e)));
    const stationed = e.stationedOn !== null;
    return {
      engagement: { id: e.id, unitName: e.unitName, groupName: e.groupName, executingOrgName: e.executingOrgName },
      papers: await listPapers(ctx.db, id),
      canCreate,
      stationed,
      form: canCreate && stationed
        ? { categories: categoryTree(await listCategories(ctx.db), { usable: true }), members: await groupMemberOptions(ctx.db, e.groupId) }
        : null,
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  return requireUser(request, async (ctx) => {
    const e = await papersEngagement(ctx, id);
    if (formData.get("intent") !== "create") throw new Response("Bad Request", { status: 400 });
    if (!ctx.ability.can("create", subject("WorkingPaper", conductSubject(e)))) forbidden();
    return saveSubmission(
      ctx.db,
      formData,
      paperSchema,
      async (input, tx) => {
        const paper = await createPaper(tx, id, input);
        await ctx.audit({ action: "paper.create", objectType: "working_paper", objectId: paper.id, detail: { engagementId: id, seq: paper.seq } });
        return redirectWithToast(`/papers/${paper.id}`, t.created);
      },
      PAPER_REFUSALS,
    );
  });
}

export default function EngagementPapers() {
  const { engagement: e, papers, canCreate, stationed, form } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  return (
    <>
      <PageHeader
        title={t.title}
        description={t.description(e.unitName)}
        actions={
          <Flex gap="2" wrap="wrap">
            <Button asChild variant="soft"><Link to={`/engagements/${e.id}/problems`}>{t.problems}</Link></Button>
            <Button asChild variant="soft" color="gray"><Link to="/categories">{t.categories}</Link></Button>
            <Button asChild variant="soft" color="gray"><Link to={`/engagements/${e.id}`}>{t.back}</Link></Button>
          </Flex>
        }
      />
      {canCreate ? null : (
        <Callout.Root color="gray" mb="3"><Callout.Text>{t.readOnlyOffice}</Callout.Text></Callout.Root>
      )}
      <Text as="p" size="2" color="gray" mb="2">{t.total(papers.length)}</Text>
      {papers.length === 0 ? (
        <Text as="p" color="gray" my="3">{t.empty}</Text>
      ) : (
        <DataTable
          label={t.title}
          columns={[
            { label: t.seq }, { label: t.name }, { label: t.category }, { label: t.severity }, { label: t.handler },
            { label: t.status }, { label: t.updatedAt },
          ]}
        >
          {papers.map((p) => (
            <Table.Row key={p.id} data-testid="paper-row">
              <Table.Cell style={{ whiteSpace: "nowrap" }}>{t.seqValue(p.seq)}</Table.Cell>
              <Table.RowHeaderCell>
                <Link className="table-link" to={`/papers/${p.id}`}>{p.title}</Link>
              </Table.RowHeaderCell>
              <Table.Cell>
                {p.categoryName ?? "—"}
                {p.topCategoryName && p.topCategoryName !== p.categoryName ? <Text as="div" size="1" color="gray">{p.topCategoryName}</Text> : null}
              </Table.Cell>
              <Table.Cell><SeverityBadge severity={p.severity} /></Table.Cell>
              <Table.Cell>{p.handlerName ?? "—"}</Table.Cell>
              <Table.Cell><PaperStatusBadge status={p.status} /></Table.Cell>
              <Table.Cell style={{ whiteSpace: "nowrap" }}>{when(p.updatedAt)}</Table.Cell>
            </Table.Row>
          ))}
        </DataTable>
      )}
      {canCreate && !stationed ? (
        <Callout.Root color="amber" mt="4"><Callout.Text>{t.notStationed}</Callout.Text></Callout.Root>
      ) : null}
      {form ? (
        <Card size="3" mt="4">
          <PaperForm lastResult={reply} categories={form.categories} members={form.members} />
        </Card>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
