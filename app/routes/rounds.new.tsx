import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, Callout, Card } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { forbidden, requireUser } from "~/lib/request.server";
import { roundSchema } from "~/lib/schemas/round";
import { redirectWithToast } from "~/lib/toast.server";
import { createRound, listTerms, nextRoundNumber, ROUND_REFUSALS } from "~/models/rounds.server";
import { PageHeader } from "~/components/page-header";
import { RoundForm } from "~/components/round-form";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${m.rounds.new} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db, ability, activeOrg }) => {
    if (!ability.can("create", subject("Round", { orgId: activeOrg.id }))) forbidden();
    const terms = await listTerms(db, activeOrg.id);
    const current = terms.find((t) => t.startYear <= new Date().getFullYear() && new Date().getFullYear() <= t.endYear) ?? terms[0];
    return {
      orgName: activeOrg.name,
      terms,
      defaults: current ? { termId: current.id, year: new Date().getFullYear(), number: await nextRoundNumber(db, current.id), kind: "regular" as const } : undefined,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, activeOrg, audit }) => {
    if (!ability.can("create", subject("Round", { orgId: activeOrg.id }))) forbidden();
    return saveSubmission(
      db,
      formData,
      roundSchema,
      async (input, tx) => {
        const id = await createRound(tx, activeOrg.id, input);
        await audit({ action: "round.create", objectType: "round", objectId: id, detail: { termId: input.termId, number: input.number } });
        return redirectWithToast(`/rounds/${id}`, m.rounds.created);
      },
      ROUND_REFUSALS,
    );
  });
}

export default function NewRound() {
  const { orgName, terms, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <PageHeader title={m.rounds.new} description={`${m.rounds.org}：${orgName}`} />
      <Card size="3">
        {terms.length === 0 ? (
          <Callout.Root color="amber">
            <Callout.Text>{m.rounds.noTerm} <Button asChild variant="ghost" size="1"><Link to="/terms">{m.rounds.terms}</Link></Button></Callout.Text>
          </Callout.Root>
        ) : (
          <RoundForm lastResult={lastResult} defaultValue={defaults} terms={terms} submitLabel={m.rounds.save} cancelTo="/rounds" />
        )}
      </Card>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
