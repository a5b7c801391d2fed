import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Button, Callout, Card, DataList, Flex, Heading, Text } from "@radix-ui/themes";
import { subject, type AppAbility } from "@xunlian/permissions";
import { z } from "zod";
import { saveSubmission } from "~/lib/form-actions.server";
import { m, roundKindLabel, roundStatusLabel, roundTransitionLabel } from "~/lib/messages";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { parseId } from "~/lib/params.server";
import { roundSchema, roundStatuses, roundTransitions, type RoundStatus } from "~/lib/schemas/round";
import { redirectWithToast } from "~/lib/toast.server";
import { getRound, listTerms, moveRound, ROUND_REFUSALS, roundHistory, updateRound, type RoundRow } from "~/models/rounds.server";
import { PageHeader } from "~/components/page-header";
import { RoundForm } from "~/components/round-form";
import { RoundStatusBadge } from "~/components/round-status-badge";
import { GroupList } from "~/components/group-list";
import { listRoundGroups, orgLevel } from "~/models/groups.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";

const transitionSchema = z.object({ from: z.enum(roundStatuses), to: z.enum(roundStatuses) });

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? m.rounds.roundName(data.round.termName, data.round.number) : m.rounds.detail} · ${m.appName}` },
];


/** The moves this user may make now: the workflow's next steps, filtered by CASL (RLS re-checks). */
function allowedMoves(ability: AppAbility, round: RoundRow): RoundStatus[] {
  return roundTransitions[round.status].filter((to) =>
    to === "approved"
      ? ability.can("approve", subject("Round", { orgId: round.orgId, status: round.status }))
      : ability.can("update", subject("Round", { orgId: round.orgId })),
  );
}

const editable = (status: RoundStatus) => status === "draft" || status === "submitted";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async ({ db, ability }) => {
    const round = await getRound(db, id);
    if (!round) notFound();
    const canEdit = editable(round.status) && ability.can("update", subject("Round", { orgId: round.orgId }));
    return {
      round,
      history: await roundHistory(db, id),
      moves: allowedMoves(ability, round),
      canEdit,
      terms: canEdit ? await listTerms(db, round.orgId) : [],
      groups: await listRoundGroups(db, id),
      orgLevel: (await orgLevel(db, round.orgId)) ?? "city",
      canCreateGroup:
        round.status !== "closed" && ability.can("create", subject("PatrolGroup", { orgId: round.orgId, executingOrgId: round.orgId })),
      // 巡前通报 and sharing the round's figures with a partner (贯通融合).
      canBriefings: ability.can("read", subject("PreBriefing", { orgId: round.orgId })),
      canShare: ability.can("create", subject("ResultGrant", { orgId: round.orgId })),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, audit }) => {
    const round = await getRound(db, id);
    if (!round) notFound();
    const intent = formData.get("intent");
    if (intent === "move") {
      const move = transitionSchema.safeParse({ from: formData.get("from"), to: formData.get("to") });
      if (!move.success) throw new Response("Bad Request", { status: 400 });
      if (move.data.from !== round.status) return { moveError: m.rounds.transitionInvalid };
      if (!allowedMoves(ability, round).includes(move.data.to)) forbidden();
      if (!(await moveRound(db, id, move.data.from, move.data.to))) return { moveError: m.rounds.transitionInvalid };
      await audit({ action: "round.status", objectType: "round", objectId: id, detail: { from: move.data.from, to: move.data.to } });
      return redirectWithToast(`/rounds/${id}`, m.rounds.moved(roundStatusLabel[move.data.to]));
    }
    if (intent !== "save") throw new Response("Bad Request", { status: 400 });
    if (!editable(round.status) || !ability.can("update", subject("Round", { orgId: round.orgId }))) forbidden();
    return saveSubmission(
      db,
      formData,
      roundSchema,
      async (input, tx) => {
        if (!(await updateRound(tx, id, { ...input, termId: round.termId }))) forbidden();
        await audit({ action: "round.update", objectType: "round", objectId: id });
        return redirectWithToast(`/rounds/${id}`, m.rounds.updated);
      },
      ROUND_REFUSALS,
    );
  });
}

const when = (d: Date | string) => new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });

export default function RoundDetail() {
  const { round, history, moves, canEdit, terms, groups, canCreateGroup, orgLevel, canBriefings, canShare } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const lastResult = actionData && "status" in actionData ? actionData : undefined;
  const moveError = actionData && "moveError" in actionData ? actionData.moveError : null;
  const editing = canEdit && (params.get("edit") === "1" || !!lastResult);
  const title = m.rounds.roundName(round.termName, round.number);
  return (
    <>
      <PageHeader
        title={title}
        description={`${round.orgName} · ${round.year} 年 · ${roundKindLabel[round.kind]}${round.theme ? `：${round.theme}` : ""}`}
        actions={
          <Flex gap="2" wrap="wrap">
            {moves.map((to) => (
              <Form method="post" key={to}>
                <input type="hidden" name="intent" value="move" />
                <input type="hidden" name="from" value={round.status} />
                <input type="hidden" name="to" value={to} />
                <Button type="submit" color={to === "draft" ? "gray" : undefined} variant={to === "draft" ? "soft" : "solid"} loading={navigation.state === "submitting" && navigation.formData?.get("to") === to}>
                  {roundTransitionLabel[`${round.status}>${to}`]}
                </Button>
              </Form>
            ))}
            {canEdit && !editing ? <Button asChild variant="soft"><Link to="?edit=1">{m.rounds.edit}</Link></Button> : null}
            {canBriefings ? <Button asChild variant="soft"><Link to={`/rounds/${round.id}/briefings`}>{m.rounds.briefings}</Link></Button> : null}
            {canShare ? <Button asChild variant="soft"><Link to={`/sharing?round=${round.id}`}>{m.rounds.shareFigures}</Link></Button> : null}
            <Button asChild variant="soft" color="gray"><Link to="/rounds">{m.rounds.back}</Link></Button>
          </Flex>
        }
      />
      {moveError ? <Callout.Root color="red" mb="4" role="alert"><Callout.Text>{moveError}</Callout.Text></Callout.Root> : null}
      <Flex gap="4" direction={{ initial: "column", md: "row" }} align="start">
        <Card size="3" style={{ flex: 2, width: "100%" }}>
          {editing ? (
            <RoundForm
              lastResult={lastResult}
              defaultValue={{
                termId: round.termId,
                year: round.year,
                number: round.number,
                kind: round.kind,
                theme: round.theme ?? undefined,
                plannedStart: round.plannedStart ?? undefined,
                plannedEnd: round.plannedEnd ?? undefined,
              }}
              terms={terms}
              lockTerm
              submitLabel={m.rounds.save}
              cancelTo={`/rounds/${round.id}`}
            />
          ) : (
            <DataList.Root>
              <DataList.Item><DataList.Label>{m.rounds.status}</DataList.Label><DataList.Value><RoundStatusBadge status={round.status} /></DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{m.rounds.org}</DataList.Label><DataList.Value>{round.orgName}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{m.rounds.term}</DataList.Label><DataList.Value>{round.termName}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{m.rounds.year}</DataList.Label><DataList.Value>{round.year}</DataList.Value></DataList.Item>
              <DataList.Item><DataList.Label>{m.rounds.kind}</DataList.Label><DataList.Value>{roundKindLabel[round.kind]}</DataList.Value></DataList.Item>
              {round.theme ? <DataList.Item><DataList.Label>{m.rounds.theme}</DataList.Label><DataList.Value>{round.theme}</DataList.Value></DataList.Item> : null}
              <DataList.Item><DataList.Label>{m.rounds.plannedDates}</DataList.Label><DataList.Value>{round.plannedStart ?? "—"} 至 {round.plannedEnd ?? "—"}</DataList.Value></DataList.Item>
            </DataList.Root>
          )}
        </Card>
        <Card size="3" style={{ flex: 1, width: "100%" }}>
          <Heading as="h2" size="3" mb="3">{m.rounds.history}</Heading>
          <ol className="timeline" aria-label={m.rounds.history}>
            {history.map((h) => (
              <li key={h.id} data-testid="round-history">
                <Text weight="medium">{roundStatusLabel[h.toStatus]}</Text>
                <Text as="div" size="1" color="gray">{m.rounds.historyEntry(h.changedBy ?? "系统", when(h.changedAt))}</Text>
              </li>
            ))}
          </ol>
        </Card>
      </Flex>
      <GroupList roundId={round.id} roundOrgId={round.orgId} level={orgLevel} groups={groups} canCreate={canCreateGroup} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
