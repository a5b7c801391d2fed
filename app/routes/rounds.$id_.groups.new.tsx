import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Card } from "@radix-ui/themes";
import { subject, type AppAbility } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { defaultGroupName, nextGroupNumber } from "~/lib/group-rules";
import { m } from "~/lib/messages";
import { groupsText as t } from "~/lib/messages/groups";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { groupSchema } from "~/lib/schemas/group";
import { redirectWithToast } from "~/lib/toast.server";
import { createGroup, executingOrgOptions, GROUP_REFUSALS, groupNumbers, orgLevel } from "~/models/groups.server";
import { getRound, type RoundRow } from "~/models/rounds.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { NewGroupForm } from "~/components/group-form";
import { PageHeader } from "~/components/page-header";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${t.newFor(data?.level)}${data ? ` · ${data.roundName}` : ""} · ${m.appName}` },
];

/** The round's office sets up groups, in any round not yet closed; the executing org may be below it. */
function canCreateIn(ability: AppAbility, round: RoundRow, executingOrgId = round.orgId) {
  return round.status !== "closed" && ability.can("create", subject("PatrolGroup", { orgId: round.orgId, executingOrgId }));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const roundId = parseId(params.id);
  return requireUser(request, async ({ db, ability }) => {
    const round = await getRound(db, roundId);
    if (!round) notFound();
    if (!canCreateIn(ability, round)) forbidden();
    const [orgs, taken] = await Promise.all([executingOrgOptions(db, round.orgId), groupNumbers(db, roundId)]);
    const level = (await orgLevel(db, round.orgId)) ?? "city";
    const number = nextGroupNumber(taken);
    return {
      roundId,
      roundName: m.rounds.roundName(round.termName, round.number),
      roundOrgId: round.orgId,
      level,
      orgs,
      defaults: {
        number,
        name: defaultGroupName(number, level),
        executingOrgId: round.orgId,
        stationStart: round.plannedStart ?? undefined,
        stationEnd: round.plannedEnd ?? undefined,
      },
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const roundId = parseId(params.id);
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, audit }) => {
    const round = await getRound(db, roundId);
    if (!round) notFound();
    if (!canCreateIn(ability, round)) forbidden();
    return saveSubmission(
      db,
      formData,
      groupSchema,
      async (input, tx) => {
        if (!canCreateIn(ability, round, input.executingOrgId)) forbidden();
        const id = await createGroup(tx, roundId, input);
        await audit({
          action: "group.create",
          objectType: "patrol_group",
          objectId: id,
          detail: { roundId, number: input.number, executingOrgId: input.executingOrgId },
        });
        return redirectWithToast(`/groups/${id}`, t.created);
      },
      GROUP_REFUSALS,
    );
  });
}

export default function NewGroup() {
  const { roundId, roundName, roundOrgId, level, orgs, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <PageHeader title={t.newFor(level)} description={t.newDescription(roundName, level)} />
      <Card size="3">
        <NewGroupForm lastResult={lastResult} defaultValue={defaults} orgs={orgs} roundOrgId={roundOrgId} level={level} cancelTo={`/rounds/${roundId}`} />
      </Card>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
