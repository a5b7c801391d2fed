import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Box, Button, Card, DataList, Flex, Heading, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m } from "~/lib/messages";
import { rectificationText as t } from "~/lib/messages/rectification";
import { parseId } from "~/lib/params.server";
import { beijingToday, itemColour, type ItemStatus } from "~/lib/rectification";
import { forbidden, notFound, requireUser, type UserContext } from "~/lib/request.server";
import { itemReviewSchema, updateSchema, warningAccountsSchema } from "~/lib/schemas/rectification";
import { redirectWithToast } from "~/lib/toast.server";
import { prepareFile, readForm, refuseFile } from "~/lib/upload.server";
import { attachFile, evidenceAttachmentSubject } from "~/models/attachments.server";
import { rectificationSubject } from "~/models/engagements.server";
import {
  addUpdate,
  databaseToday,
  getItem,
  ITEM_REVIEW_REFUSALS,
  ITEM_REFUSALS,
  listItemEvents,
  listUnitAccounts,
  listUpdates,
  reviewItem,
  setWarningAccounts,
  UPDATE_REFUSALS,
  type ItemAction,
} from "~/models/rectification.server";
import { PageHeader } from "~/components/page-header";
import { DeadlineBadge, ItemStatusBadge, KindBadge } from "~/components/rectification-badges";
import { EventList, ReviewPanel, UpdateForm, UpdateList, WarningAccountsForm } from "~/components/rectification-item";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? t.itemTitle(data.item.problemSeq, data.item.id) : t.itemDetail} · ${m.appName}` },
];

/** The item as RLS shows it, checked against CASL too; anything hidden is a 404. */
async function visibleItem(db: UserContext["db"], ability: UserContext["ability"], id: number) {
  const item = await getItem(db, id);
  if (!item || !ability.can("read", subject("RectificationItem", { ...rectificationSubject(item), status: item.status }))) notFound();
  return item;
}

/**
 * Who may take a review step at all, asked of CASL with the state the step starts from
 * (the unit's head confirms an open item; the supervising office verifies or returns a
 * confirmed one and reopens a closed one). Whether the item is in that state now is the
 * database's to check: a stale page gets its Chinese refusal, not a 403.
 */
const fromStatus: Record<ItemAction, ItemStatus> = { confirm: "open", verify: "unit_confirmed", return: "unit_confirmed", reopen: "closed" };
function mayReview(ability: UserContext["ability"], scope: ReturnType<typeof rectificationSubject>, action: ItemAction) {
  return ability.can(action === "confirm" ? "confirm" : "verify", subject("RectificationItem", { ...scope, status: fromStatus[action] }));
}

/** Linking the accounts is editing the item (the unit, the supervising office), never once closed. */
function mayLinkAccounts(ability: UserContext["ability"], item: { status: ItemStatus } & Parameters<typeof rectificationSubject>[0]) {
  return item.status !== "closed" && ability.can("update", subject("RectificationItem", { ...rectificationSubject(item), status: item.status }));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async ({ db, ability, role }) => {
    const item = await visibleItem(db, ability, id);
    const scope = rectificationSubject(item);
    const today = beijingToday();
    return {
      item: {
        id: item.id,
        engagementId: item.engagementId,
        problemSeq: item.problemSeq,
        problemTitle: item.problemTitle,
        problemDescription: item.problemDescription,
        unitName: item.unitName,
        supervisingOrgName: item.supervisingOrgName,
        measures: item.measures,
        responsibleLeader: item.responsibleLeader,
        responsibleDepartment: item.responsibleDepartment,
        responsiblePerson: item.responsiblePerson,
        kind: item.kind,
        deadline: item.deadline,
        status: item.status,
        returnedCount: item.returnedCount,
        reopenedCount: item.reopenedCount,
        responsibleLeaderUserId: item.responsibleLeaderUserId,
        responsiblePersonUserId: item.responsiblePersonUserId,
        leaderAccountName: item.leaderAccountName,
        personAccountName: item.personAccountName,
      },
      colour: itemColour(item, today),
      updates: await listUpdates(db, id),
      events: await listItemEvents(db, id),
      reportDate: await databaseToday(db),
      // Who receives the warnings: the unit's accounts, to whoever may edit the item.
      accounts: mayLinkAccounts(ability, item) ? await listUnitAccounts(db, item.unitId) : null,
      can: {
        // The unit reports its progress (the office may record it too, but reviews instead in the UI).
        update: role === "unit_contact" && item.status !== "closed" && ability.can("create", subject("RectificationUpdate", { ...scope })),
        confirm: mayReview(ability, scope, "confirm"),
        verify: mayReview(ability, scope, "verify"),
        reopen: mayReview(ability, scope, "reopen"),
        isUnit: role === "unit_contact",
      },
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const upload = await readForm(request);
  const { formData } = upload;
  return requireUser(request, async ({ db, ability, audit }) => {
    const item = await visibleItem(db, ability, id);
    const scope = rectificationSubject(item);
    const back = (message: string) => redirectWithToast(`/rectification/items/${id}`, message);
    switch (formData.get("intent")) {
      case "progress": {
        if (!ability.can("create", subject("RectificationUpdate", { ...scope }))) forbidden();
        const file = await prepareFile(upload);
        if (!file.ok && file.reason !== "missing") return refuseFile(formData, updateSchema, file.reason);
        if (file.ok && !ability.can("create", subject("Attachment", evidenceAttachmentSubject({ ...scope })))) forbidden();
        return saveSubmission(db, formData, updateSchema, async (input, tx) => {
          const updateId = await addUpdate(tx, id, input);
          await audit({ action: "rectification.update.create", objectType: "rectification_update", objectId: updateId, detail: { engagementId: item.engagementId, itemId: id, reportedOn: input.reportedOn } });
          if (file.ok) await attachFile(tx, audit, item.engagementId, { rectificationUpdateId: updateId }, file);
          return back(t.updateSaved);
        }, UPDATE_REFUSALS);
      }

      case "accounts": {
        if (!mayLinkAccounts(ability, item)) forbidden();
        return saveSubmission(db, formData, warningAccountsSchema, async (input, tx) => {
          if (!(await setWarningAccounts(tx, id, input))) notFound();
          await audit({ action: "rectification.item.accounts", objectType: "rectification_item", objectId: id, detail: { engagementId: item.engagementId, leader: input.responsibleLeaderUserId ?? null, person: input.responsiblePersonUserId ?? null } });
          return back(t.accountsSaved);
        }, ITEM_REFUSALS);
      }

      case "review": {
        const action = String(formData.get("action")) as ItemAction;
        if (!["confirm", "verify", "return", "reopen"].includes(action)) throw new Response("Bad Request", { status: 400 });
        if (!mayReview(ability, scope, action)) forbidden();
        return saveSubmission(db, formData, itemReviewSchema, async (input, tx) => {
          const status = await reviewItem(tx, id, input.action, input.reason);
          await audit({ action: `rectification.item.${input.action}`, objectType: "rectification_item", objectId: id, detail: { engagementId: item.engagementId, status, reason: input.reason ?? null } });
          const done = { confirm: t.itemConfirmed, verify: t.itemVerified, return: t.itemReturned, reopen: t.itemReopened };
          return back(done[input.action]);
        }, ITEM_REVIEW_REFUSALS);
      }

      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

export default function RectificationItem() {
  const { item: i, colour, updates, events, reportDate, can, accounts } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const intent = reply?.initialValue?.intent;
  return (
    <>
      <PageHeader
        title={t.itemTitle(i.problemSeq, i.id)}
        description={`${i.unitName} · ${i.supervisingOrgName}`}
        actions={<Button asChild variant="soft" color="gray"><Link to={`/rectification/${i.engagementId}?tab=supervision`}>{t.backToLists}</Link></Button>}
      />
      <Flex gap="4" direction={{ initial: "column", md: "row" }} align="start" mb="4">
        <Card size="3" style={{ flex: 1.5, width: "100%" }}>
          <DataList.Root>
            <DataList.Item>
              <DataList.Label>{t.fedBackProblem}</DataList.Label>
              <DataList.Value>
                <Box>
                  <Text weight="medium">{t.seqValue(i.problemSeq)} {i.problemTitle}</Text>
                  <details>
                    <summary><Text size="1" color="gray">{t.showContent}</Text></summary>
                    <Text as="p" size="2" color="gray" className="pre-wrap">{i.problemDescription}</Text>
                  </details>
                </Box>
              </DataList.Value>
            </DataList.Item>
            <DataList.Item><DataList.Label>{t.measures}</DataList.Label><DataList.Value><Text className="pre-wrap">{i.measures}</Text></DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.kind}</DataList.Label><DataList.Value><KindBadge kind={i.kind} /></DataList.Value></DataList.Item>
            <DataList.Item>
              <DataList.Label>{t.deadline}</DataList.Label>
              <DataList.Value><Flex gap="2" align="center">{i.deadline ?? t.noDeadline}{colour ? <DeadlineBadge colour={colour} /> : null}</Flex></DataList.Value>
            </DataList.Item>
            <DataList.Item><DataList.Label>{t.responsibleLeader}</DataList.Label><DataList.Value>{i.responsibleLeader}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.responsibleDepartment}</DataList.Label><DataList.Value>{i.responsibleDepartment}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.responsiblePerson}</DataList.Label><DataList.Value>{i.responsiblePerson}</DataList.Value></DataList.Item>
            <DataList.Item>
              <DataList.Label>{t.warningAccounts}</DataList.Label>
              <DataList.Value data-testid="warning-accounts">
                {`${t.leaderAccount}：${i.leaderAccountName ?? t.noAccount}；${t.personAccount}：${i.personAccountName ?? t.noAccount}`}
              </DataList.Value>
            </DataList.Item>
            <DataList.Item><DataList.Label>{t.status}</DataList.Label><DataList.Value><ItemStatusBadge status={i.status} /></DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.returnedTimes}</DataList.Label><DataList.Value>{i.returnedCount}{i.reopenedCount > 0 ? `（${t.reopenedTimes(i.reopenedCount)}）` : ""}</DataList.Value></DataList.Item>
          </DataList.Root>
        </Card>
        <Box style={{ flex: 1, width: "100%" }}>
          <ReviewPanel status={i.status} can={can} lastResult={intent === "review" ? reply : undefined} />
          {accounts ? (
            <Card size="3" mt="3">
              <WarningAccountsForm accounts={accounts} lastResult={intent === "accounts" ? reply : undefined}
                current={{ responsibleLeaderUserId: i.responsibleLeaderUserId, responsiblePersonUserId: i.responsiblePersonUserId }} />
            </Card>
          ) : null}
        </Box>
      </Flex>

      <Heading as="h2" size="4" mb="2">{t.updates}</Heading>
      <UpdateList updates={updates} />
      {can.update ? (
        <Card size="3" mt="3" mb="4"><UpdateForm key={updates.length} lastResult={intent === "progress" ? reply : undefined} today={reportDate} /></Card>
      ) : null}

      <Heading as="h2" size="4" mt="4" mb="2">{t.events}</Heading>
      <EventList events={events} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
