import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Button, Callout, Card, DataList, Flex, Heading, Text } from "@radix-ui/themes";
import { subject, type AppAbility } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { coverageLabel, evaluable, suggestMode } from "~/lib/group-rules";
import { engagementModeLabel, groupRoleLabel, m } from "~/lib/messages";
import { groupsText as t } from "~/lib/messages/groups";
import { parseId } from "~/lib/params.server";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import {
  addDrawnSchema, drawSchema, engagementSchema, evaluationSchema, groupEditSchema, groupPageParamsSchema, memberSchema,
  removeEngagementSchema, removeMemberSchema,
} from "~/lib/schemas/group";
import { redirectWithToast } from "~/lib/toast.server";
import {
  addEngagement, addMember, assignmentRefusals, cadreOptions, drawMembers, drawnCadres, ENGAGEMENT_REFUSALS, evaluateMember,
  EVALUATION_REFUSALS, getGroup, GROUP_EDIT_REFUSALS, groupDraws, groupEngagements, groupMembers, MEMBER_REFUSALS, poolOrgs,
  REMOVE_ENGAGEMENT_REFUSALS, REMOVE_MEMBER_REFUSALS, removeEngagement, removeMember, unitOptions, updateGroup, type GroupRow,
} from "~/models/groups.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DrawForm, DrawHistory, DrawResult } from "~/components/group-draw";
import { AddEngagementForm, EngagementsTable } from "~/components/group-engagements";
import { EditGroupForm } from "~/components/group-form";
import { AddMemberForm, EvaluationTable, MembersTable, type Reply } from "~/components/group-members";
import { SearchBox } from "~/components/group-search";
import { PageHeader } from "~/components/page-header";
import { RoundStatusBadge } from "~/components/round-status-badge";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.group.name ?? t.detail} · ${m.appName}` }];

/** What this user may do with the group now: CASL offers, the triggers and RLS decide. */
function permissions(ability: AppAbility, g: GroupRow) {
  const open = g.roundStatus !== null && g.roundStatus !== "closed";
  // subject() tags the object it is given: a fresh one for every check.
  const ref = () => ({ groupId: g.id, orgId: g.orgId, executingOrgId: g.executingOrgId });
  const engagement = () => ({ groupId: g.id, supervisingOrgId: g.orgId, executingOrgId: g.executingOrgId, targetVisibleOrgId: null });
  return {
    read: ability.can("read", subject("PatrolGroup", { id: g.id, orgId: g.orgId, executingOrgId: g.executingOrgId })),
    edit: open && ability.can("update", subject("PatrolGroup", { id: g.id, orgId: g.orgId, executingOrgId: g.executingOrgId })),
    assign: open && ability.can("create", subject("GroupMember", ref())),
    removeMember: open && ability.can("delete", subject("GroupMember", ref())),
    evaluate: evaluable(g.roundStatus) && ability.can("update", subject("GroupMember", ref())),
    draw: open && ability.can("create", subject("MemberDraw", ref())) && ability.can("create", subject("GroupMember", ref())),
    // Offices (the executing org and its ancestors): draws, and members' evaluations.
    readDraws: ability.can("read", subject("MemberDraw", ref())),
    plan: open && ability.can("create", subject("Engagement", engagement())),
    removeEngagement: (e: { stationedOn: string | null }) =>
      open && !e.stationedOn && ability.can("delete", subject("Engagement", { ...engagement(), stationedOn: e.stationedOn })),
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const q = groupPageParamsSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return requireUser(request, async ({ db, ability }) => {
    const group = await getGroup(db, id);
    if (!group) notFound();
    const { removeEngagement: canRemoveEngagement, ...can } = permissions(ability, group);
    if (!can.read) forbidden();
    const [members, planned] = await Promise.all([groupMembers(db, id), groupEngagements(db, id)]);
    const engagements = planned.map((e) => ({ ...e, canRemove: canRemoveEngagement(e) }));
    const draws = can.readDraws ? await groupDraws(db, id) : [];
    const shownDraw = q.draw ? draws.find((d) => d.id === q.draw) ?? null : null;
    const units = can.plan ? await unitOptions(db, { id: group.roundId, orgId: group.orgId }, q.unitq) : { rows: [], more: false };
    const rotationIds = new Set((q.rotation ?? "").split(",").filter(Boolean).map(Number));
    return {
      group,
      can,
      members,
      engagements,
      draws,
      shownDraw,
      drawn: shownDraw ? await drawnCadres(db, id, shownDraw.id) : [],
      cadres: can.assign ? await cadreOptions(db, group, q.cadreq) : { rows: [], more: false },
      pools: can.assign ? await poolOrgs(db, group) : [],
      units: {
        more: units.more,
        rows: units.rows.map((u) => ({
          ...u,
          suggested: suggestMode({ roundOrgId: group.orgId, executingOrgId: group.executingOrgId, unitOrgId: u.orgId }),
        })),
      },
      rotated: members.filter((mb) => rotationIds.has(mb.id) && mb.rotationWarning).map((mb) => mb.name),
      query: { unitq: q.unitq, cadreq: q.cadreq, draw: q.draw },
      editing: can.edit && q.edit === "1",
    };
  });
}

/** Back to the page with the searches the user had (the form posts to the current URL). */
function backTo(request: Request, id: number, extra: Record<string, string | number | undefined> = {}) {
  const current = groupPageParamsSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ unitq: current.unitq, cadreq: current.cadreq, draw: current.draw })) {
    if (v !== undefined && v !== "") params.set(k, String(v));
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== "") params.set(k, String(v));
  const search = params.toString();
  return `/groups/${id}${search ? `?${search}` : ""}`;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, audit }) => {
    const group = await getGroup(db, id);
    if (!group) notFound();
    const can = permissions(ability, group);
    const groupAudit = (action: string, detail: Record<string, unknown>) =>
      audit({ action, objectType: "patrol_group", objectId: id, detail: { roundId: group.roundId, ...detail } });
    switch (formData.get("intent")) {
      case "save":
        if (!can.edit) forbidden();
        return saveSubmission(db, formData, groupEditSchema, async (input, tx) => {
          if (!(await updateGroup(tx, id, input))) forbidden();
          await groupAudit("group.update", { name: input.name, stationStart: input.stationStart, stationEnd: input.stationEnd });
          return redirectWithToast(backTo(request, id), t.updated);
        }, GROUP_EDIT_REFUSALS);

      case "add-member":
        if (!can.assign) forbidden();
        return saveSubmission(db, formData, memberSchema, async (input, tx) => {
          const added = await addMember(tx, id, input.cadreId, input.role);
          await groupAudit("group.member_add", { memberId: added.id, cadreId: input.cadreId, role: input.role, drawId: input.drawId ?? null });
          const role = groupRoleLabel[input.role];
          return redirectWithToast(
            backTo(request, id, { draw: input.drawId, rotation: added.rotationWarning ? added.id : undefined }),
            added.rotationWarning ? t.memberAddedRotation(added.name, role) : t.memberAdded(added.name, role),
          );
        }, MEMBER_REFUSALS);

      case "add-drawn": {
        if (!can.assign) forbidden();
        // All of a draw's proposals at once, or none: a refusal names the cadre it is about.
        let current = "";
        return saveSubmission(db, formData, addDrawnSchema, async (input, tx) => {
          const pending = (await drawnCadres(tx, id, input.drawId)).filter((c) => !c.isMember);
          const added: { id: number; name: string; rotationWarning: boolean }[] = [];
          for (const c of pending) {
            current = c.name;
            added.push(await addMember(tx, id, c.id, "member"));
          }
          await groupAudit("group.member_add_drawn", { drawId: input.drawId, memberIds: added.map((a) => a.id) });
          const rotated = added.filter((a) => a.rotationWarning);
          return redirectWithToast(
            backTo(request, id, { draw: input.drawId, rotation: rotated.length ? rotated.map((a) => a.id).join(",") : undefined }),
            rotated.length ? t.membersAddedRotation(added.length, rotated.map((a) => a.name).join("、")) : t.membersAdded(added.length),
          );
        }, assignmentRefusals(null, () => current));
      }

      case "remove-member":
        if (!can.removeMember) forbidden();
        return saveSubmission(db, formData, removeMemberSchema, async (input, tx) => {
          const name = await removeMember(tx, id, input.memberId);
          if (!name) return redirectWithToast(backTo(request, id), t.memberMissing);
          await groupAudit("group.member_remove", { memberId: input.memberId });
          return redirectWithToast(backTo(request, id), t.memberRemoved(name));
        }, REMOVE_MEMBER_REFUSALS);

      case "evaluate":
        if (!can.evaluate) forbidden();
        return saveSubmission(db, formData, evaluationSchema, async (input, tx) => {
          const name = await evaluateMember(tx, id, input.memberId, input);
          if (!name) return redirectWithToast(backTo(request, id), t.memberMissing);
          await groupAudit("group.member_evaluate", { memberId: input.memberId, evaluation: input.evaluation });
          return redirectWithToast(backTo(request, id), t.evaluationSaved(name));
        }, EVALUATION_REFUSALS);

      case "draw":
        if (!can.draw) forbidden();
        return saveSubmission(db, formData, drawSchema, async (input, tx) => {
          const draw = await drawMembers(tx, id, input);
          await groupAudit("group.draw", { drawId: draw.drawId, ...input, eligible: draw.eligible, picked: draw.picked });
          return redirectWithToast(backTo(request, id, { draw: draw.drawId }), t.drawRecorded(draw.eligible, draw.picked));
        });

      case "add-engagement":
        if (!can.plan) forbidden();
        return saveSubmission(db, formData, engagementSchema, async (input, tx) => {
          const e = await addEngagement(tx, group, input);
          await audit({
            action: "engagement.create",
            objectType: "engagement",
            objectId: e.id,
            detail: { roundId: group.roundId, groupId: id, unitId: input.unitId, mode: input.mode },
          });
          return redirectWithToast(backTo(request, id), t.engagementAdded(e.unitName, engagementModeLabel[input.mode]));
        }, ENGAGEMENT_REFUSALS);

      case "remove-engagement":
        return saveSubmission(db, formData, removeEngagementSchema, async (input, tx) => {
          const planned = (await groupEngagements(tx, id)).find((e) => e.id === input.engagementId);
          if (!planned) return redirectWithToast(backTo(request, id), t.engagementMissing);
          if (!can.removeEngagement(planned)) forbidden();
          const unitName = await removeEngagement(tx, id, input.engagementId);
          if (!unitName) return redirectWithToast(backTo(request, id), t.engagementMissing);
          await audit({
            action: "engagement.delete",
            objectType: "engagement",
            objectId: input.engagementId,
            detail: { roundId: group.roundId, groupId: id, unitName },
          });
          return redirectWithToast(backTo(request, id), t.engagementRemoved(unitName));
        }, REMOVE_ENGAGEMENT_REFUSALS);

      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

function Section({ title, id, description, children }: { title: string; id: string; description?: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} style={{ marginTop: "var(--space-5)" }}>
      <Heading as="h2" size="4" id={id} mb={description ? "1" : "2"}>{title}</Heading>
      {description ? <Text as="p" size="2" color="gray" mb="2">{description}</Text> : null}
      {children}
    </section>
  );
}

export default function GroupDetail() {
  const { group, can, members, engagements, draws, shownDraw, drawn, cadres, pools, units, rotated, query, editing } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const intent = reply?.initialValue?.intent;
  const replyFor = (name: string) => (intent === name ? reply : undefined);
  const [params] = useSearchParams();
  const leader = members.find((mb) => mb.role === "leader");
  const roundName = group.termName && group.roundNumber ? m.rounds.roundName(group.termName, group.roundNumber) : null;
  const cross = group.executingOrgId !== group.orgId;
  const withParams = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    next.delete("rotation");
    next.delete("edit");
    for (const [k, v] of Object.entries(changes)) (v === undefined ? next.delete(k) : next.set(k, String(v)));
    const s = next.toString();
    return s ? `?${s}` : ".";
  };
  const memberReplyFromDraw = intent === "add-member" && reply?.initialValue?.drawId ? reply : undefined;

  return (
    <>
      <PageHeader
        title={group.name}
        description={[roundName, group.executingOrgName, t.dates(group.stationStart, group.stationEnd)].filter(Boolean).join(" · ")}
        actions={
          <Flex gap="2">
            {can.edit && !editing && intent !== "save" ? <Button asChild variant="soft"><Link to="?edit=1">{t.edit}</Link></Button> : null}
            {roundName ? <Button asChild variant="soft" color="gray"><Link to={`/rounds/${group.roundId}`}>{t.backToRound}</Link></Button> : null}
          </Flex>
        }
      />
      {rotated.length ? (
        <Callout.Root color="amber" mb="4" role="note" data-testid="rotation-callout">
          <Callout.Text>{rotated.map((name) => t.rotationCallout(name)).join(" ")}</Callout.Text>
        </Callout.Root>
      ) : null}
      {!can.edit && !can.assign && !can.plan && !can.evaluate ? (
        <Callout.Root color="gray" mb="4"><Callout.Text>{group.roundStatus === "closed" ? t.closedRound : t.readOnly}</Callout.Text></Callout.Root>
      ) : null}

      <Card size="3">
        {editing || intent === "save" ? (
          <EditGroupForm
            lastResult={replyFor("save")}
            defaultValue={{ name: group.name, stationStart: group.stationStart, stationEnd: group.stationEnd }}
            cancelTo={withParams({})}
          />
        ) : (
          <DataList.Root>
            <DataList.Item>
              <DataList.Label>{t.round}</DataList.Label>
              <DataList.Value>
                <Flex gap="2" align="center">
                  {roundName ? <Link className="table-link" to={`/rounds/${group.roundId}`}>{roundName}</Link> : "—"}
                  {group.roundStatus ? <RoundStatusBadge status={group.roundStatus} /> : null}
                </Flex>
              </DataList.Value>
            </DataList.Item>
            <DataList.Item>
              <DataList.Label>{t.executingOrg}</DataList.Label>
              <DataList.Value>
                {group.executingOrgName ?? "—"}
                {cross ? <Badge color="violet" variant="soft" ml="2">{t.crossBadge}</Badge> : null}
              </DataList.Value>
            </DataList.Item>
            {cross ? (
              <DataList.Item><DataList.Label>{t.supervisingOrg}</DataList.Label><DataList.Value>{group.orgName ?? "—"}</DataList.Value></DataList.Item>
            ) : null}
            <DataList.Item><DataList.Label>{t.stationDates}</DataList.Label><DataList.Value>{t.dates(group.stationStart, group.stationEnd)}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.leader}</DataList.Label><DataList.Value>{leader?.name ?? t.noLeader}</DataList.Value></DataList.Item>
            <DataList.Item><DataList.Label>{t.memberCount}</DataList.Label><DataList.Value>{t.memberCountValue(members.length)}</DataList.Value></DataList.Item>
            <DataList.Item>
              <DataList.Label>{t.objects}</DataList.Label>
              <DataList.Value>{engagements.length ? coverageLabel(engagements.length) : t.noObjects}</DataList.Value>
            </DataList.Item>
          </DataList.Root>
        )}
      </Card>

      <Section title={engagements.length ? t.engagementsTitle(coverageLabel(engagements.length)) : t.engagements} id="engagements-heading">
        <EngagementsTable engagements={engagements} removeReply={replyFor("remove-engagement")} />
        {can.plan ? (
          <Card size="2" mt="2">
            <Heading as="h3" size="3" mb="2">{t.addEngagement}</Heading>
            <SearchBox id="unit-search" name="unitq" label={t.unitSearch} buttonLabel={t.unitSearchButton} defaultValue={query.unitq}
              keep={{ cadreq: query.cadreq, draw: query.draw }} />
            <div style={{ marginTop: "var(--space-3)" }}>
              <AddEngagementForm key={`${engagements.length}-${query.unitq ?? ""}`} units={units.rows} more={units.more} lastResult={replyFor("add-engagement")} />
            </div>
          </Card>
        ) : null}
      </Section>

      <Section title={t.members} id="members-heading">
        <MembersTable members={members} canRemove={can.removeMember} showEvaluations={can.readDraws} removeReply={replyFor("remove-member")} />
        {can.assign ? (
          <Card size="2" mt="2">
            <Heading as="h3" size="3" mb="1">{t.addMember}</Heading>
            <Text as="p" size="1" color="gray" mb="2">{t.cadrePoolsHint(pools.map((p) => p.name).join("、"))}</Text>
            <SearchBox id="cadre-search" name="cadreq" label={t.cadreSearch} buttonLabel={t.cadreSearchButton} defaultValue={query.cadreq}
              keep={{ unitq: query.unitq, draw: query.draw }} />
            <div style={{ marginTop: "var(--space-3)" }}>
              <AddMemberForm key={`${members.length}-${query.cadreq ?? ""}`} cadres={cadres.rows} more={cadres.more} hasLeader={!!leader}
                lastResult={intent === "add-member" && !memberReplyFromDraw ? reply : undefined} />
            </div>
          </Card>
        ) : null}
      </Section>

      {can.evaluate && members.length ? (
        <Section title={t.evaluations} id="evaluations-heading" description={t.evaluationsHint}>
          <EvaluationTable members={members} reply={replyFor("evaluate")} />
        </Section>
      ) : null}

      {can.readDraws ? (
        <Section title={t.draw} id="draw-heading" description={t.drawDescription}>
          {shownDraw ? (
            <DrawResult draw={shownDraw} cadres={drawn} canAssign={can.assign} reply={memberReplyFromDraw ?? replyFor("add-drawn")}
              closeTo={withParams({ draw: undefined })} />
          ) : null}
          {can.draw ? <Card size="2" mb="3"><DrawForm lastResult={replyFor("draw")} /></Card> : null}
          <Heading as="h3" size="3" mb="2">{t.drawHistory}</Heading>
          <DrawHistory draws={draws} linkTo={(drawId) => withParams({ draw: drawId })} />
        </Section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
