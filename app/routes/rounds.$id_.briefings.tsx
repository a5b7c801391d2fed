import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, Card, Flex, Heading, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { sharingText as t } from "~/lib/messages/sharing";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser, type UserContext } from "~/lib/request.server";
import { briefingIdSchema, briefingReplySchema, briefingSchema } from "~/lib/schemas/sharing";
import { redirectWithToast } from "~/lib/toast.server";
import { dbToday } from "~/models/leads.server";
import { getRound } from "~/models/rounds.server";
import {
  BRIEFING_REFUSALS,
  createBriefing,
  getBriefing,
  grantPartners,
  listBriefings,
  recordBriefingReply,
  REPLY_REFUSALS,
} from "~/models/sharing.server";
import { PageHeader } from "~/components/page-header";
import { BriefingCard, BriefingForm } from "~/components/sharing-briefings";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? t.roundBriefingsTitle(data.round.label) : t.briefings} · ${m.appName}` },
];

/**
 * 巡前通报 of one round: what the office asked which supervision partner before the round,
 * and what came back. The round's office records them; its ancestors read them; partners
 * and everyone else see nothing (RLS), and a round one may not read is a 404.
 */
async function visibleRound({ db, ability }: UserContext, id: number) {
  const round = await getRound(db, id);
  if (!round || !ability.can("read", subject("PreBriefing", { orgId: round.orgId }))) notFound();
  return round;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async (ctx) => {
    const { db, ability } = ctx;
    const round = await visibleRound(ctx, id);
    const canWrite = ability.can("create", subject("PreBriefing", { orgId: round.orgId }));
    return {
      round: { id: round.id, orgName: round.orgName, label: m.rounds.roundName(round.termName, round.number) },
      briefings: await listBriefings(db, id),
      canWrite,
      // grant_partners answers the partners of the active (writable) office, which is the round's.
      partners: canWrite ? await grantPartners(db) : [],
      today: await dbToday(db),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  return requireUser(request, async (ctx) => {
    const { db, ability, audit } = ctx;
    const round = await visibleRound(ctx, id);
    if (!ability.can("create", subject("PreBriefing", { orgId: round.orgId }))) forbidden();
    const today = await dbToday(db);
    const back = (message: string) => redirectWithToast(`/rounds/${id}/briefings`, message);
    switch (formData.get("intent")) {
      case "briefing":
        return saveSubmission(db, formData, briefingSchema(today), async (input, tx) => {
          const b = await createBriefing(tx, id, input);
          await audit({ action: "briefing.create", objectType: "pre_patrol_briefing", objectId: b.id, detail: { roundId: id, partnerOrgId: input.partnerOrgId, requestedOn: input.requestedOn } });
          return back(t.briefingCreated(b.partnerName));
        }, BRIEFING_REFUSALS);
      case "reply": {
        // The briefing (of this round) first: its request date bounds the reply's.
        const parsed = briefingIdSchema.safeParse(Object.fromEntries(formData));
        const briefing = parsed.success ? await getBriefing(db, parsed.data.briefingId) : undefined;
        if (!briefing || briefing.roundId !== id) {
          const submission = parseWithZod(formData, { schema: briefingIdSchema });
          return data(submission.reply({ formErrors: [t.briefingRequired] }), { status: 400 });
        }
        return saveSubmission(db, formData, briefingReplySchema(briefing.requestedOn, today), async (input, tx) => {
          const b = await recordBriefingReply(tx, input);
          if (!b) forbidden();
          await audit({ action: "briefing.update", objectType: "pre_patrol_briefing", objectId: b.id, detail: { roundId: id, repliedOn: input.repliedOn } });
          return back(t.replyRecorded(b.partnerName));
        }, REPLY_REFUSALS);
      }
      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

export default function RoundBriefings() {
  const { round, briefings, canWrite, partners, today } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const intent = reply?.initialValue?.intent;
  const replyTo = intent === "reply" ? Number(reply?.initialValue?.briefingId) : null;
  return (
    <>
      <PageHeader
        title={t.roundBriefingsTitle(round.label)}
        description={t.roundBriefingsDescription(round.orgName)}
        actions={
          <Flex gap="2">
            <Button asChild variant="soft" color="gray"><Link to={`/rounds/${round.id}`}>{t.backToRound}</Link></Button>
            <Button asChild variant="soft" color="gray"><Link to="/sharing?tab=briefings">{t.backToSharing}</Link></Button>
          </Flex>
        }
      />
      <Text as="p" size="2" color="gray" mb="4">{t.briefingsNote}</Text>
      {canWrite && partners.length > 0 ? (
        <Card size="3" mb="5">
          <BriefingForm key={briefings.length} partners={partners} today={today} lastResult={intent === "briefing" ? reply : undefined} />
        </Card>
      ) : null}
      <Heading as="h2" size="4" mb="3">{t.briefings}</Heading>
      {briefings.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="4">{t.briefingsEmpty}</Text></Card>
      ) : (
        <Flex direction="column" gap="3">
          {briefings.map((b) => (
            <BriefingCard key={`${b.id}-${b.repliedOn ?? ""}`} b={b} canWrite={canWrite} today={today}
              lastResult={replyTo === b.id ? reply : undefined} />
          ))}
        </Flex>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
