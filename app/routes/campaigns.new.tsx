import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Card } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { shanghaiDate } from "~/lib/figures";
import { saveSubmission } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { campaignsText as t } from "~/lib/messages/campaigns";
import { forbidden, requireUser, type UserContext } from "~/lib/request.server";
import { campaignSchema } from "~/lib/schemas/campaigns";
import { redirectWithToast } from "~/lib/toast.server";
import { CAMPAIGN_REFUSALS, createCampaign, descendantOffices, officeIds } from "~/models/campaigns.server";
import { PageHeader } from "~/components/page-header";
import { CampaignForm } from "~/components/campaign-form";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${t.newTitle} · ${m.appName}` }];

/** Province and city offices launch campaigns (the database refuses a county: 23514). */
function mayLaunch({ ability, activeOrg }: Pick<UserContext, "ability" | "activeOrg">) {
  return ability.can("create", subject("Campaign", { orgId: activeOrg.id, orgLevel: activeOrg.level }));
}

export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async (ctx) => {
    if (!mayLaunch(ctx)) forbidden();
    return {
      orgName: ctx.activeOrg.name,
      offices: await descendantOffices(ctx.db, ctx.activeOrg.id),
      today: shanghaiDate(),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  return requireUser(request, async (ctx) => {
    if (!mayLaunch(ctx)) forbidden();
    const { db, activeOrg, audit } = ctx;
    // An office outside the launcher's subtree is a field error, before anything is written.
    const below = new Set(officeIds(await descendantOffices(db, activeOrg.id)));
    const chosen = formData.getAll("participant").map(Number);
    if (chosen.some((id) => !below.has(id))) {
      const submission = parseWithZod(formData, { schema: campaignSchema });
      return data(submission.reply({ fieldErrors: { participant: [t.participantInvalid] } }), { status: 400 });
    }
    return saveSubmission(db, formData, campaignSchema, async (input, tx) => {
      const id = await createCampaign(tx, activeOrg.id, input);
      await audit({
        action: "campaign.create",
        objectType: "campaign",
        objectId: id,
        detail: { title: input.title, systemName: input.systemName, startsOn: input.startsOn, endsOn: input.endsOn, participants: input.participant },
      });
      return redirectWithToast(`/campaigns/${id}`, t.created);
    }, CAMPAIGN_REFUSALS);
  });
}

export default function NewCampaign() {
  const { orgName, offices, today } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <PageHeader title={t.newTitle} description={t.newDescription(orgName)} />
      <Card size="3">
        <CampaignForm lastResult={lastResult} defaultValue={{ startsOn: today }} offices={offices} submitLabel={t.save} cancelTo="/campaigns" />
      </Card>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
