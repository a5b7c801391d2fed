import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Box, Button, Callout, Card, Flex, Heading, Table, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m, orgLevelLabel, roundKindLabel } from "~/lib/messages";
import { campaignsText as t, dispatchesText } from "~/lib/messages/campaigns";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser, type UserContext } from "~/lib/request.server";
import {
  addParticipantsSchema,
  attachSchema,
  campaignEditSchema,
  detachSchema,
  removeParticipantSchema,
} from "~/lib/schemas/campaigns";
import { redirectWithToast } from "~/lib/toast.server";
import {
  addLink,
  addParticipants,
  assembleCandidates,
  CAMPAIGN_REFUSALS,
  campaignFigures,
  closeCampaign,
  descendantOffices,
  getCampaign,
  linkOptions,
  listLinks,
  listParticipants,
  officeIds,
  recurringProblems,
  removeLink,
  removeParticipant,
  thematicHref,
  updateCampaign,
  type CampaignRow,
} from "~/models/campaigns.server";
import { campaignDispatches } from "~/models/dispatches.server";
import { topCategories } from "~/models/figures.server";
import { THEMATIC_ROLES } from "~/models/findings.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { Field } from "~/components/field";
import { NativeSelect } from "~/components/native-select";
import { CategoryTable } from "~/components/figures-tables";
import { CampaignStatusBadge } from "~/components/campaign-badges";
import { when } from "~/components/rectification-reports";
import { CampaignForm } from "~/components/campaign-form";
import { OfficePicker } from "~/components/campaign-offices";
import {
  CampaignEngagementsTable,
  CampaignStatCards,
  LevelFiguresTable,
  OrgFiguresTable,
  RecurringTable,
} from "~/components/campaign-figures";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.campaign.title ?? t.title} · ${m.appName}` }];

/** Engagements listed on the page (the figures count all of them). */
const ENGAGEMENTS_SHOWN = 100;

/** The campaign as RLS shows it, checked against CASL too; anything hidden is a 404. */
async function visibleCampaign({ db, ability }: Pick<UserContext, "db" | "ability">, id: number): Promise<CampaignRow> {
  const campaign = await getCampaign(db, id);
  if (!campaign || !ability.can("read", subject("Campaign", { id: campaign.id, orgId: campaign.orgId }))) notFound();
  return campaign;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  return requireUser(request, async (ctx) => {
    const { db, ability, activeOrg, role } = ctx;
    const campaign = await visibleCampaign(ctx, id);
    const launcherLine = ctx.subtreeOrgIds.includes(campaign.orgId);
    const isLauncher = campaign.orgId === activeOrg.id;
    const active = campaign.status === "active";
    const participants = await listParticipants(db, id);
    const participating = participants.some((p) => p.orgId === activeOrg.id);
    const part = { launcherOrgId: campaign.orgId, orgId: activeOrg.id, campaignStatus: campaign.status };
    const can = {
      edit: ability.can("update", subject("Campaign", { orgId: campaign.orgId })),
      addParticipants: active && ability.can("create", subject("CampaignParticipant", { launcherOrgId: campaign.orgId, orgId: campaign.orgId })),
      removeParticipants: ability.can("delete", subject("CampaignParticipant", { launcherOrgId: campaign.orgId, orgId: campaign.orgId })),
      attach: active && (isLauncher || participating) && ability.can("create", subject("CampaignLink", part)),
      detach: ability.can("delete", subject("CampaignLink", part)),
      thematic: THEMATIC_ROLES.has(role) && ability.can("read", "Problem"),
    };
    // The offices the figures list even before they attach anything: the launcher (for its line) and the participants seen.
    const offices = [
      ...(launcherLine ? [{ orgId: campaign.orgId, name: campaign.launcherName, level: campaign.launcherLevel }] : []),
      ...participants.map((p) => ({ orgId: p.orgId, name: p.name, level: p.level })),
    ];
    const figures = await campaignFigures(db, id, activeOrg.id, offices);
    const recurring = can.thematic ? await recurringProblems(db, id) : [];
    const assembled = assembleCandidates(recurring);
    const links = await listLinks(db, id);
    return {
      campaign,
      launcherLine,
      isLauncher,
      participating,
      activeOrgId: activeOrg.id,
      participants,
      links,
      options: can.attach ? await linkOptions(db, id, activeOrg.id) : null,
      addable: can.addParticipants ? await descendantOffices(db, activeOrg.id) : [],
      figures: { ...figures, engagements: figures.engagements.slice(0, ENGAGEMENTS_SHOWN), engagementCount: figures.engagements.length },
      categories: await topCategories(db),
      recurring: recurring.map((r) => ({
        categoryId: r.categoryId,
        name: r.name,
        topName: r.topName,
        units: r.units,
        problems: r.problems,
        href: thematicHref(id, r.problemIds, t.thematicCategoryTitle(r.name)),
      })),
      assemble: assembled.problemIds.length
        ? {
            href: thematicHref(id, assembled.problemIds, t.thematicTitle(campaign.title)),
            capped: assembled.categories < recurring.length ? assembled.categories : null,
          }
        : null,
      dispatches: await campaignDispatches(db, id),
      can,
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  return requireUser(request, async (ctx) => {
    const { db, ability, activeOrg, audit } = ctx;
    const campaign = await visibleCampaign(ctx, id);
    const back = (message: string) => redirectWithToast(`/campaigns/${id}`, message);
    const part = { launcherOrgId: campaign.orgId, orgId: activeOrg.id, campaignStatus: campaign.status };
    switch (formData.get("intent")) {
      case "update":
        if (!ability.can("update", subject("Campaign", { orgId: campaign.orgId }))) forbidden();
        return saveSubmission(db, formData, campaignEditSchema, async (input, tx) => {
          if (!(await updateCampaign(tx, id, input))) notFound();
          await audit({ action: "campaign.update", objectType: "campaign", objectId: id, detail: { title: input.title, systemName: input.systemName, startsOn: input.startsOn, endsOn: input.endsOn, guidanceChanged: input.guidance !== campaign.guidance } });
          return back(t.updated);
        }, CAMPAIGN_REFUSALS);

      case "close":
        if (!ability.can("update", subject("Campaign", { orgId: campaign.orgId }))) forbidden();
        if (!(await closeCampaign(db, id))) return back(t.alreadyClosed);
        await audit({ action: "campaign.close", objectType: "campaign", objectId: id, detail: { title: campaign.title } });
        return back(t.closed);

      case "add-participants": {
        if (!ability.can("create", subject("CampaignParticipant", { launcherOrgId: campaign.orgId, orgId: campaign.orgId, campaignStatus: campaign.status }))) forbidden();
        const below = new Set(officeIds(await descendantOffices(db, activeOrg.id)));
        if (formData.getAll("participant").map(Number).some((o) => !below.has(o))) {
          const submission = parseWithZod(formData, { schema: addParticipantsSchema });
          return data(submission.reply({ fieldErrors: { participant: [t.participantInvalid] } }), { status: 400 });
        }
        return saveSubmission(db, formData, addParticipantsSchema, async (input, tx) => {
          const added = await addParticipants(tx, id, input.participant);
          for (const orgId of added) {
            await audit({ action: "campaign.participant.add", objectType: "campaign", objectId: id, detail: { orgId } });
          }
          return back(t.participantsAdded(added.length));
        }, CAMPAIGN_REFUSALS);
      }

      case "remove-participant": {
        if (!ability.can("delete", subject("CampaignParticipant", { launcherOrgId: campaign.orgId, orgId: campaign.orgId }))) forbidden();
        // One with attached work stays (the database refuses it too): a message, not a removal.
        const target = Number(formData.get("orgId"));
        const participant = (await listParticipants(db, id)).find((p) => p.orgId === target);
        if (participant && !ability.can("delete", subject("CampaignParticipant", { launcherOrgId: campaign.orgId, orgId: target, attachedWork: participant.links > 0 }))) {
          const submission = parseWithZod(formData, { schema: removeParticipantSchema });
          return data(submission.reply({ formErrors: [t.participantHasLinks] }), { status: 400 });
        }
        return saveSubmission(db, formData, removeParticipantSchema, async (input, tx) => {
          if (!(await removeParticipant(tx, id, input.orgId))) notFound();
          await audit({ action: "campaign.participant.remove", objectType: "campaign", objectId: id, detail: { orgId: input.orgId } });
          return back(t.participantRemoved);
        }, CAMPAIGN_REFUSALS);
      }

      case "attach": {
        if (!ability.can("create", subject("CampaignLink", part))) forbidden();
        // Only the office's own rounds and engagements, not attached yet: anything else is a field error.
        const options = await linkOptions(db, id, activeOrg.id);
        const parsed = parseWithZod(formData, { schema: attachSchema });
        if (parsed.status === "success") {
          const { kind, id: targetId } = parsed.value.target;
          const ok = (kind === "round" ? options.rounds : options.engagements).some((o) => o.id === targetId);
          if (!ok) return data(parsed.reply({ fieldErrors: { target: [t.attachNotOwn] } }), { status: 400 });
        }
        return saveSubmission(db, formData, attachSchema, async (input, tx) => {
          const linkId = await addLink(tx, id, input.target);
          await audit({
            action: "campaign.link.add",
            objectType: "campaign_link",
            objectId: linkId,
            detail: { campaignId: id, [input.target.kind === "round" ? "roundId" : "engagementId"]: input.target.id },
          });
          return back(t.attached);
        }, CAMPAIGN_REFUSALS);
      }

      case "detach": {
        if (!ability.can("delete", subject("CampaignLink", part))) forbidden();
        const parsed = parseWithZod(formData, { schema: detachSchema });
        if (parsed.status !== "success") throw new Response("Bad Request", { status: 400 });
        const removed = await removeLink(db, id, parsed.value.linkId);
        if (!removed) notFound();
        await audit({ action: "campaign.link.remove", objectType: "campaign_link", objectId: parsed.value.linkId, detail: { campaignId: id, ...removed } });
        return back(t.detached);
      }

      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

type Reply = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };
type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function Section({ title, note, children, testId }: { title: string; note?: string; children: React.ReactNode; testId?: string }) {
  return (
    <Box mt="5" data-testid={testId}>
      <Heading as="h2" size="4" mb="1">{title}</Heading>
      {note ? <Text as="p" size="1" color="gray" mb="2">{note}</Text> : <Box mb="2" />}
      {children}
    </Box>
  );
}

function Participants({ d, reply }: { d: LoaderData; reply?: Reply }) {
  const navigation = useNavigation();
  const { participants, can } = d;
  const fixed = participants.map((p) => p.orgId);
  const addError = (reply?.error?.participant ?? null) as string[] | null;
  return (
    <Section title={d.launcherLine ? t.participants : t.participantsOwnPart} testId="campaign-participants">
      {participants.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="3">{t.noParticipants}</Text></Card>
      ) : (
        <DataTable label={t.participants} columns={[{ label: t.colOrg }, { label: t.colLevel }, { label: t.colLinks, align: "end" }, ...(can.removeParticipants ? [{ label: t.colActions }] : [])]}>
          {participants.map((p) => (
            <Table.Row key={p.orgId} data-testid="participant-row" data-org-id={p.orgId}>
              <Table.RowHeaderCell>{p.name}{p.orgId === d.activeOrgId ? <Badge size="1" ml="2" variant="soft" color="blue">{t.ownParticipating}</Badge> : null}</Table.RowHeaderCell>
              <Table.Cell>{orgLevelLabel[p.level]}</Table.Cell>
              <Table.Cell justify="end" data-figure="links">{p.links}</Table.Cell>
              {can.removeParticipants ? (
                <Table.Cell>
                  {p.links === 0 ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove-participant" />
                      <input type="hidden" name="orgId" value={p.orgId} />
                      <Button type="submit" size="1" variant="ghost" color="red" aria-label={`${t.removeParticipant} ${p.name}`}
                        loading={navigation.state === "submitting" && navigation.formData?.get("orgId") === String(p.orgId)}>
                        {t.removeParticipant}
                      </Button>
                    </Form>
                  ) : <Text size="1" color="gray">—</Text>}
                </Table.Cell>
              ) : null}
            </Table.Row>
          ))}
        </DataTable>
      )}
      {can.addParticipants ? (
        <details style={{ marginTop: 12 }} open={addError ? true : undefined}>
          <summary style={{ cursor: "pointer" }}><Text size="2" weight="medium">{t.addParticipants}</Text></summary>
          <Card size="2" mt="2">
            {d.addable.length && officeCount(d.addable) > fixed.length ? (
              <Form method="post" aria-label={t.addParticipants}>
                <input type="hidden" name="intent" value="add-participants" />
                <OfficePicker name="participant" legend={t.fieldParticipants} offices={d.addable} fixed={fixed}
                  errors={addError ?? undefined} errorId="add-participants-error" />
                <Button type="submit" mt="3" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "add-participants"}>
                  {t.addParticipantsSubmit}
                </Button>
              </Form>
            ) : (
              <Text size="2" color="gray">{t.noMoreDescendants}</Text>
            )}
          </Card>
        </details>
      ) : null}
    </Section>
  );
}

const officeCount = (nodes: { children: unknown[] }[]): number =>
  nodes.reduce((n, o) => n + 1 + officeCount(o.children as { children: unknown[] }[]), 0);

function Links({ d, reply }: { d: LoaderData; reply?: Reply }) {
  const navigation = useNavigation();
  const { links, options, can } = d;
  const targetError = (reply?.error?.target ?? null) as string[] | null;
  const typed = reply?.initialValue?.target;
  return (
    <Section title={d.launcherLine ? t.links : t.linksOwnPart} testId="campaign-links">
      {links.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="3">{t.noLinks}</Text></Card>
      ) : (
        <DataTable label={t.links} columns={[{ label: t.colKind }, { label: t.colTarget }, { label: t.colOrg }, { label: t.colActions }]}>
          {links.map((l) => (
            <Table.Row key={l.id} data-testid="link-row" data-org-id={l.orgId}>
              <Table.Cell style={{ whiteSpace: "nowrap" }}>
                <Badge size="1" variant="soft" color={l.roundId ? "crimson" : "blue"}>{l.roundId ? t.linkKindRound : t.linkKindEngagement}</Badge>
              </Table.Cell>
              <Table.RowHeaderCell>
                {l.roundId ? (
                  <>
                    <Link className="table-link" to={`/rounds/${l.roundId}`}>{l.roundLabel ?? `#${l.roundId}`}</Link>
                    <Text as="div" size="1" color="gray">
                      {l.roundKind ? roundKindLabel[l.roundKind] : ""}{l.roundTheme ? `：${l.roundTheme}` : ""} · {t.roundEngagements(l.engagements)}
                    </Text>
                  </>
                ) : (
                  <>
                    <Link className="table-link" to={`/engagements/${l.engagementId}`}>{l.unitName ?? `#${l.engagementId}`}</Link>
                    <Text as="div" size="1" color="gray">{[l.roundLabel, l.groupName].filter(Boolean).join(" · ")}</Text>
                  </>
                )}
              </Table.RowHeaderCell>
              <Table.Cell style={{ whiteSpace: "nowrap" }}>{l.orgName}</Table.Cell>
              <Table.Cell>
                {can.detach && l.orgId === d.activeOrgId ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="detach" />
                    <input type="hidden" name="linkId" value={l.id} />
                    <Button type="submit" size="1" variant="ghost" color="red"
                      loading={navigation.state === "submitting" && navigation.formData?.get("linkId") === String(l.id)}>
                      {t.detach}
                    </Button>
                  </Form>
                ) : <Text size="1" color="gray">—</Text>}
              </Table.Cell>
            </Table.Row>
          ))}
        </DataTable>
      )}
      {can.attach && options ? (
        <Card size="2" mt="3">
          <Heading as="h3" size="3" mb="1">{t.attach}</Heading>
          <Text as="p" size="1" color="gray" mb="2">{t.attachHint}</Text>
          {options.rounds.length + options.engagements.length === 0 ? (
            <Text size="2" color="gray">{t.attachNone}</Text>
          ) : (
            <Form method="post" aria-label={t.attach}>
              <input type="hidden" name="intent" value="attach" />
              <Flex gap="3" align="end" wrap="wrap">
                <Box style={{ flex: 1, minWidth: 320 }}>
                  <Field id="attach-target" label={t.attachTarget} errors={targetError ?? undefined} errorId="attach-target-error">
                    <NativeSelect id="attach-target" name="target" defaultValue={typeof typed === "string" ? typed : ""}
                      aria-invalid={targetError ? true : undefined} aria-describedby={targetError ? "attach-target-error" : undefined}
                      style={{ width: "100%" }}>
                      <option value="">{t.attachChoose}</option>
                      {options.rounds.length ? (
                        <optgroup label={t.attachRounds}>
                          {options.rounds.map((r) => <option key={r.id} value={`round:${r.id}`}>{r.label}</option>)}
                        </optgroup>
                      ) : null}
                      {options.engagements.length ? (
                        <optgroup label={t.attachEngagements}>
                          {options.engagements.map((e) => <option key={e.id} value={`engagement:${e.id}`}>{e.label}</option>)}
                        </optgroup>
                      ) : null}
                    </NativeSelect>
                  </Field>
                </Box>
                <Button type="submit" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "attach"}>{t.attachSubmit}</Button>
              </Flex>
            </Form>
          )}
        </Card>
      ) : null}
    </Section>
  );
}

export default function CampaignDetail() {
  const d = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const intent = reply?.initialValue?.intent;
  const replyFor = (name: string) => (intent === name ? reply : undefined);
  const navigation = useNavigation();
  const { campaign: c, figures, can } = d;
  const generalErrors = intent === "remove-participant" || intent === "close" ? reply?.error?.[""] : null;
  return (
    <>
      <PageHeader
        title={c.title}
        description={`${t.launchedBy(c.launcherName)} · ${c.systemName} · ${t.period(c.startsOn, c.endsOn)}`}
        actions={
          <Flex gap="2" align="center">
            <CampaignStatusBadge status={c.status} />
            {can.edit && c.status === "active" ? (
              <Form method="post" onSubmit={(e) => { if (!window.confirm(t.closeConfirm)) e.preventDefault(); }}>
                <input type="hidden" name="intent" value="close" />
                <Button type="submit" variant="soft" color="gray" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "close"}>{t.close}</Button>
              </Form>
            ) : null}
            <Button asChild variant="soft"><Link to={`/figures?campaign=${c.id}`}>{t.openDashboard}</Link></Button>
            <Button asChild variant="soft"><Link to="/campaigns">{t.backToList}</Link></Button>
          </Flex>
        }
      />
      {generalErrors?.length ? (
        <Callout.Root color="red" role="alert" mb="3"><Callout.Text>{generalErrors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      {!d.launcherLine && !d.participating ? (
        <Callout.Root color="gray" mb="3"><Callout.Text>{t.notParticipant}</Callout.Text></Callout.Root>
      ) : null}

      <Card size="2" data-testid="campaign-guidance">
        <Heading as="h2" size="3" mb="2">{t.guidance}</Heading>
        {c.guidance ? <Text as="p" size="2" className="pre-wrap">{c.guidance}</Text> : <Text size="2" color="gray">{t.noGuidance}</Text>}
      </Card>

      <Section title={d.launcherLine ? t.figures : t.figuresOwnPart} note={t.figuresNote} testId="campaign-figures">
        <CampaignStatCards f={figures.total} />
        {figures.byOrg.length ? (
          <>
            <Heading as="h3" size="3" mt="3" mb="2">{t.byLevel}</Heading>
            <LevelFiguresTable rows={figures.byLevel} total={figures.total} />
            <Heading as="h3" size="3" mt="4" mb="2">{t.byOrg}</Heading>
            <OrgFiguresTable rows={figures.byOrg} total={figures.total} launcherId={c.orgId} />
          </>
        ) : null}
        <Heading as="h3" size="3" mt="4" mb="2">{t.byCategory}</Heading>
        <CategoryTable categories={d.categories} byCategory={figures.total.byCategory} />
      </Section>

      {can.thematic ? (
        <Section title={t.recurring} note={t.recurringNote} testId="campaign-recurring">
          {d.recurring.length === 0 ? (
            <Card size="1"><Text as="p" color="gray" m="3">{t.recurringEmpty}</Text></Card>
          ) : (
            <>
              {d.assemble ? (
                <Flex gap="3" align="center" mb="2" wrap="wrap">
                  <Button asChild><Link to={d.assemble.href} data-testid="assemble-thematic">{t.assemble}</Link></Button>
                  {d.assemble.capped ? <Text size="1" color="gray">{t.assembleCapped(d.assemble.capped)}</Text> : null}
                </Flex>
              ) : null}
              <RecurringTable rows={d.recurring} />
            </>
          )}
        </Section>
      ) : null}

      <Participants d={d} reply={replyFor("add-participants")} />
      <Links d={d} reply={replyFor("attach")} />

      <Section title={t.engagements(figures.engagementCount)} testId="campaign-engagements"
        note={figures.engagementCount > figures.engagements.length ? t.engagementsCapped(figures.engagements.length, figures.engagementCount) : undefined}>
        {figures.engagements.length === 0 ? (
          <Card size="1"><Text as="p" color="gray" m="3">{t.noFigures}</Text></Card>
        ) : (
          <CampaignEngagementsTable rows={figures.engagements} label={t.engagements(figures.engagementCount)} />
        )}
      </Section>

      <Section title={t.dispatches} testId="campaign-dispatches">
        {d.dispatches.length === 0 ? (
          <Card size="1"><Text as="p" color="gray" m="3">{t.noDispatches}</Text></Card>
        ) : (
          <DataTable label={t.dispatches} columns={[{ label: dispatchesText.colTitle }, { label: dispatchesText.colRecipients }, { label: dispatchesText.colProblems, align: "end" }, { label: dispatchesText.colDate }]}>
            {d.dispatches.map((x) => (
              <Table.Row key={x.id}>
                <Table.RowHeaderCell><Link className="table-link" to={`/dispatches/${x.id}`}>{x.title}</Link></Table.RowHeaderCell>
                <Table.Cell>{x.recipients.map((r) => r.name).join("、")}</Table.Cell>
                <Table.Cell justify="end">{x.problemCount}</Table.Cell>
                <Table.Cell style={{ whiteSpace: "nowrap" }}>{when(x.createdAt)}</Table.Cell>
              </Table.Row>
            ))}
          </DataTable>
        )}
      </Section>

      {can.edit ? (
        <Box mt="5">
          <details open={intent === "update" ? true : undefined}>
            <summary style={{ cursor: "pointer" }}><Text size="3" weight="bold">{t.edit}</Text></summary>
            <Card size="3" mt="2">
              <CampaignForm
                intent="update"
                lastResult={replyFor("update")}
                defaultValue={{ title: c.title, systemName: c.systemName, startsOn: c.startsOn, endsOn: c.endsOn, guidance: c.guidance }}
                submitLabel={t.editSave}
              />
            </Card>
          </details>
        </Box>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
