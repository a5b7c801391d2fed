import type { Tx } from "~/lib/db.server";
import { emptyCounts, shanghaiDate, sumCounts, type FigureCounts } from "~/lib/figures";
import type { DbRefusal } from "~/lib/form-actions.server";
import { campaignsText as t } from "~/lib/messages/campaigns";
import { THEMATIC_LIMIT } from "~/lib/schemas/findings";
import type { AttachInput, CampaignEditInput, CampaignInput, CampaignStatus } from "~/lib/schemas/campaigns";
import type { RoundKind } from "~/lib/schemas/round";

/**
 * Upper–lower linkage campaigns (上下联动, ADR 014). Every query runs in the caller's RLS
 * context: the launcher and its ancestors see a campaign whole, a participant (and the
 * offices between it and the launcher) its own subtree's part, anyone else nothing. The
 * pooled figures are public.org_figures / public.engagement_figures filtered by the
 * campaign, which count only inside the reader's scope.
 */

export const CAMPAIGN_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /province or city office/, field: null, message: t.launcherLevel },
  { code: "23514", match: /office below the launcher/, field: "participant", message: t.participantInvalid },
  { code: "23514", match: /campaigns_period/, field: "endsOn", message: t.datesOrder },
  { code: "23514", match: /has attached work/, field: null, message: t.participantHasLinks },
  { code: "23514", match: /campaign is closed/, field: "target", message: t.attachClosed },
  { code: "23514", match: /only the launcher and the participants/, field: "target", message: t.attachNotParticipant },
  { code: "23505", match: /campaign_links_(round|engagement)_key/, field: "target", message: t.attachDuplicate },
];

export type OrgLevel = "province" | "city" | "county";

export interface CampaignRow {
  id: number;
  orgId: number;
  launcherName: string;
  launcherLevel: OrgLevel;
  title: string;
  systemName: string;
  startsOn: string;
  endsOn: string;
  guidance: string;
  status: CampaignStatus;
  createdAt: Date;
  updatedAt: Date;
}

export interface CampaignListRow extends Omit<CampaignRow, "guidance" | "updatedAt" | "launcherLevel"> {
  /** Participants the reader sees (all of them for the launcher's line). */
  participants: number;
  /** Attached rounds and engagements the reader sees. */
  links: number;
  /** Those attached by the reader's own office. */
  ownLinks: number;
  /** Whether the reader's own office takes part. */
  participating: boolean;
}

const campaignColumns = (db: Tx) => db`
  c.id::int as id, c.org_id as "orgId", c.title, c.system_name as "systemName", c.starts_on::text as "startsOn",
  c.ends_on::text as "endsOn", c.status, c.created_at as "createdAt"`;

async function withLauncherNames<T extends { orgId: number }>(
  db: Tx,
  rows: T[],
): Promise<(T & { launcherName: string; launcherLevel: OrgLevel })[]> {
  // A participant does not see its ancestors in public.orgs; names come from public.org_names.
  const ids = [...new Set(rows.map((r) => r.orgId))];
  const found = ids.length
    ? await db<{ id: number; name: string; level: OrgLevel }[]>`select id, name, level::text as level from public.org_names(${ids}::int[])`
    : [];
  const byId = new Map(found.map((o) => [o.id, o]));
  return rows.map((r) => ({ ...r, launcherName: byId.get(r.orgId)?.name ?? t.launcherUnknown, launcherLevel: byId.get(r.orgId)?.level ?? "city" }));
}

/** The campaigns the caller sees, active first, newest first. */
export async function listCampaigns(db: Tx, readerOrgId: number, f: { status?: CampaignStatus } = {}): Promise<CampaignListRow[]> {
  const rows = await db<Omit<CampaignListRow, "launcherName">[]>`
    select ${campaignColumns(db)},
           (select count(*)::int from public.campaign_participants p where p.campaign_id = c.id) as participants,
           (select count(*)::int from public.campaign_links l where l.campaign_id = c.id) as links,
           (select count(*)::int from public.campaign_links l where l.campaign_id = c.id and l.org_id = ${readerOrgId}) as "ownLinks",
           exists (select 1 from public.campaign_participants p where p.campaign_id = c.id and p.org_id = ${readerOrgId}) as participating
      from public.campaigns c
     where true ${f.status ? db`and c.status = ${f.status}` : db``}
     order by c.status, c.starts_on desc, c.id desc
     limit 500`;
  return withLauncherNames(db, rows);
}

/** One campaign as RLS shows it; undefined when the caller may not see it. */
export async function getCampaign(db: Tx, id: number): Promise<CampaignRow | undefined> {
  const [row] = await db<Omit<CampaignRow, "launcherName" | "launcherLevel">[]>`
    select ${campaignColumns(db)}, c.guidance, c.updated_at as "updatedAt"
      from public.campaigns c where c.id = ${id}`;
  if (!row) return undefined;
  return (await withLauncherNames(db, [row]))[0];
}

// ---------------------------------------------------------------- offices below

export interface OfficeNode {
  id: number;
  name: string;
  level: OrgLevel;
  /** The offices directly below (a city's counties), for a province's picker. */
  children: OfficeNode[];
}

/**
 * The patrol offices strictly below `orgId`, as a two-level tree: its direct children,
 * each with theirs (a province: cities and their counties; a city: its counties).
 */
export async function descendantOffices(db: Tx, orgId: number): Promise<OfficeNode[]> {
  const rows = await db<{ id: number; name: string; level: OrgLevel; parentId: number; depth: number }[]>`
    select o.id, o.name, o.level, o.parent_id as "parentId", k.depth
      from public.org_closure k
      join public.orgs o on o.id = k.descendant_id
     where k.ancestor_id = ${orgId} and k.depth between 1 and 2 and o.kind = 'patrol_office'
     order by k.depth, o.region_code`;
  const top = rows.filter((r) => r.depth === 1).map((r) => ({ id: r.id, name: r.name, level: r.level, children: [] as OfficeNode[] }));
  const byId = new Map(top.map((n) => [n.id, n]));
  for (const r of rows.filter((x) => x.depth === 2)) {
    byId.get(r.parentId)?.children.push({ id: r.id, name: r.name, level: r.level, children: [] });
  }
  return top;
}

export const officeIds = (nodes: OfficeNode[]): number[] => nodes.flatMap((n) => [n.id, ...officeIds(n.children)]);

// ---------------------------------------------------------------- writes

/** Launches a campaign with its participants (one transaction: the caller's). */
export async function createCampaign(tx: Tx, orgId: number, input: CampaignInput): Promise<number> {
  const [c] = await tx<{ id: number }[]>`
    insert into public.campaigns (org_id, title, system_name, starts_on, ends_on, guidance)
    values (${orgId}, ${input.title}, ${input.systemName}, ${input.startsOn}, ${input.endsOn}, ${input.guidance})
    returning id::int as id`;
  await addParticipants(tx, c.id, input.participant);
  return c.id;
}

/** The launcher edits what the campaign says; false when RLS hides the row from updates. */
export async function updateCampaign(tx: Tx, id: number, input: CampaignEditInput): Promise<boolean> {
  const rows = await tx`
    update public.campaigns
       set title = ${input.title}, system_name = ${input.systemName}, starts_on = ${input.startsOn},
           ends_on = ${input.endsOn}, guidance = ${input.guidance}
     where id = ${id}`;
  return rows.count === 1;
}

/** Closes an active campaign; false when it is not (or not the caller's to close). */
export async function closeCampaign(tx: Tx, id: number): Promise<boolean> {
  const rows = await tx`update public.campaigns set status = 'closed' where id = ${id} and status = 'active'`;
  return rows.count === 1;
}

/** Adds offices (those already taking part are skipped); the ids added. */
export async function addParticipants(tx: Tx, campaignId: number, orgIds: number[]): Promise<number[]> {
  if (orgIds.length === 0) return [];
  const rows = await tx<{ orgId: number }[]>`
    insert into public.campaign_participants (campaign_id, org_id)
    select ${campaignId}, o from unnest(${[...new Set(orgIds)]}::int[]) o
    on conflict (campaign_id, org_id) do nothing
    returning org_id as "orgId"`;
  return rows.map((r) => r.orgId);
}

/** Removes an office; false when it was not a participant the caller may remove. */
export async function removeParticipant(tx: Tx, campaignId: number, orgId: number): Promise<boolean> {
  const rows = await tx`delete from public.campaign_participants where campaign_id = ${campaignId} and org_id = ${orgId}`;
  return rows.count === 1;
}

/** Attaches a round or an engagement; the link's id. */
export async function addLink(tx: Tx, campaignId: number, target: AttachInput["target"]): Promise<number> {
  const [l] = await tx<{ id: number }[]>`
    insert into public.campaign_links (campaign_id, round_id, engagement_id)
    values (${campaignId}, ${target.kind === "round" ? target.id : null}, ${target.kind === "engagement" ? target.id : null})
    returning id::int as id`;
  return l.id;
}

/** Detaches one of the caller's own links; what it was, or undefined when RLS hides it. */
export async function removeLink(tx: Tx, campaignId: number, linkId: number) {
  const [row] = await tx<{ roundId: number | null; engagementId: number | null; orgId: number }[]>`
    delete from public.campaign_links where id = ${linkId} and campaign_id = ${campaignId}
    returning round_id::int as "roundId", engagement_id::int as "engagementId", org_id as "orgId"`;
  return row;
}

// ---------------------------------------------------------------- participants and links

export interface ParticipantRow {
  orgId: number;
  name: string;
  level: OrgLevel;
  parentId: number | null;
  /** Rounds and engagements it attached (as far as the reader sees them). */
  links: number;
}

export async function listParticipants(db: Tx, campaignId: number): Promise<ParticipantRow[]> {
  return db<ParticipantRow[]>`
    select p.org_id as "orgId", o.name, o.level, o.parent_id as "parentId",
           (select count(*)::int from public.campaign_links l where l.campaign_id = p.campaign_id and l.org_id = p.org_id) as links
      from public.campaign_participants p
      join public.orgs o on o.id = p.org_id
     where p.campaign_id = ${campaignId}
     order by o.level, o.region_code`;
}

export interface LinkRow {
  id: number;
  orgId: number;
  orgName: string;
  orgLevel: OrgLevel;
  roundId: number | null;
  engagementId: number | null;
  /** 十五届市委第1轮（2026年） for a round or an engagement's round, when the reader sees it. */
  roundLabel: string | null;
  roundKind: RoundKind | null;
  roundTheme: string | null;
  /** A round's engagements. */
  engagements: number;
  unitName: string | null;
  groupName: string | null;
  createdAt: Date;
}

export async function listLinks(db: Tx, campaignId: number): Promise<LinkRow[]> {
  return db<LinkRow[]>`
    select l.id::int as id, l.org_id as "orgId", o.name as "orgName", o.level as "orgLevel",
           l.round_id::int as "roundId", l.engagement_id::int as "engagementId",
           case when r.id is not null then t.name || '第' || r.number || '轮（' || r.year || '年）' end as "roundLabel",
           r.kind as "roundKind", r.theme as "roundTheme",
           case when l.round_id is not null
                then (select count(*)::int from public.engagements x where x.round_id = l.round_id) else 0 end as engagements,
           e.unit_name as "unitName", e.group_name as "groupName", l.created_at as "createdAt"
      from public.campaign_links l
      join public.orgs o on o.id = l.org_id
      left join public.engagements e on e.id = l.engagement_id
      left join public.rounds r on r.id = coalesce(l.round_id, e.round_id)
      left join public.terms t on t.id = r.term_id
     where l.campaign_id = ${campaignId}
     order by o.level, o.region_code, l.created_at, l.id`;
}

export interface LinkOptions {
  rounds: { id: number; label: string }[];
  engagements: { id: number; label: string }[];
}

/**
 * What the office may still attach: its own rounds (rounds.org_id) and its own
 * engagements (whose round is its org's) that are not attached already, directly or
 * through their round.
 */
export async function linkOptions(db: Tx, campaignId: number, orgId: number): Promise<LinkOptions> {
  const rounds = await db<{ id: number; label: string }[]>`
    select r.id::int as id,
           t.name || '第' || r.number || '轮（' || r.year || '年）' || coalesce('：' || r.theme, '')
             || '，' || (select count(*) from public.engagements e where e.round_id = r.id) || ' 项任务' as label
      from public.rounds r
      join public.terms t on t.id = r.term_id
     where r.org_id = ${orgId}
       and not exists (select 1 from public.campaign_links l where l.campaign_id = ${campaignId} and l.round_id = r.id)
     order by r.year desc, r.number desc
     limit 200`;
  const engagements = await db<{ id: number; label: string }[]>`
    select e.id::int as id,
           e.unit_name || '（' || coalesce(t.name || '第' || r.number || '轮', '') || ' ' || e.group_name || '）' as label
      from public.engagements e
      left join public.rounds r on r.id = e.round_id
      left join public.terms t on t.id = r.term_id
     where e.supervising_org_id = ${orgId}
       and not exists (select 1 from public.campaign_links l
                        where l.campaign_id = ${campaignId} and (l.engagement_id = e.id or l.round_id = e.round_id))
     order by r.year desc nulls last, r.number desc nulls last, e.unit_name, e.id
     limit 500`;
  return { rounds, engagements };
}

// ---------------------------------------------------------------- pooled figures

export interface CampaignOrgFigures extends FigureCounts {
  orgId: number;
  name: string;
  level: OrgLevel;
  /** Engagements stationed (进驻 date come) and fed back (反馈 date come), of `engagements` planned. */
  stationed: number;
  fedBackEngagements: number;
}

export interface CampaignFigures {
  /** Rolled up over the reader's subtree: public.org_figures(reader, …, p_campaign). */
  total: FigureCounts & { stationed: number; fedBackEngagements: number };
  /** Per office whose rounds the engagements are (the launcher and the participants). */
  byOrg: CampaignOrgFigures[];
  /** The same, summed per level. */
  byLevel: (FigureCounts & { level: OrgLevel; stationed: number; fedBackEngagements: number })[];
  /** Each engagement counted (those the reader sees in public.engagements), by office. */
  engagements: CampaignEngagementRow[];
}

interface EngagementFigureDbRow {
  engagementId: number;
  supervisingOrgId: number;
  problems: number;
  onTheSpot: number;
  deadlineItems: number;
  fedBack: number;
  rectified: number;
  overdueItems: number;
  leadsTransferred: number;
  personsSanctioned: number;
  personsJudicial: number;
  byCategory: Record<string, number>;
  stationed: boolean;
  fedBackOn: boolean;
  unitName: string | null;
  groupName: string | null;
  mode: "regular" | "elevated" | "cross" | null;
  stationedOn: string | null;
  feedbackOn: string | null;
}

export interface CampaignEngagementRow extends FigureCounts {
  id: number;
  orgId: number;
  orgName: string;
  unitName: string;
  groupName: string;
  mode: "regular" | "elevated" | "cross";
  stationedOn: string | null;
  feedbackOn: string | null;
}

const LEVELS: OrgLevel[] = ["province", "city", "county"];

/**
 * The campaign's progress and findings as the reader may count them: the total from
 * public.org_figures at the reader's org, and per office and per level from
 * public.engagement_figures (each engagement counts for the office whose round it is,
 * so the rows add up to the total). Stage counts come from public.engagements (RLS).
 * `offices` are listed even with nothing attached yet (the launcher, the participants).
 */
export async function campaignFigures(
  db: Tx,
  campaignId: number,
  readerOrgId: number,
  offices: { orgId: number; name: string; level: OrgLevel }[],
  today: string = shanghaiDate(),
): Promise<CampaignFigures> {
  const [total] = await db<(Omit<FigureCounts, "byCategory"> & { byCategory: Record<string, number> })[]>`
    select f.engagements, f.problems, f.on_the_spot as "onTheSpot", f.deadline_items as "deadlineItems",
           f.fed_back as "fedBack", f.rectified, f.overdue_items as "overdueItems",
           f.leads_transferred as "leadsTransferred", f.persons_sanctioned as "personsSanctioned",
           f.persons_judicial as "personsJudicial", f.by_category as "byCategory"
      from public.org_figures(${readerOrgId}::int, null, null, ${today}::date, null, ${campaignId}::bigint) f
     where f.org_id = ${readerOrgId} and not f.own_only`;
  const rows = await db<EngagementFigureDbRow[]>`
    select f.engagement_id::int as "engagementId", f.supervising_org_id as "supervisingOrgId", f.problems,
           f.on_the_spot as "onTheSpot", f.deadline_items as "deadlineItems", f.fed_back as "fedBack", f.rectified,
           f.overdue_items as "overdueItems", f.leads_transferred as "leadsTransferred",
           f.persons_sanctioned as "personsSanctioned", f.persons_judicial as "personsJudicial",
           f.by_category as "byCategory",
           coalesce(e.stationed_on <= ${today}::date, false) as stationed,
           coalesce(e.feedback_on <= ${today}::date, false) as "fedBackOn",
           e.unit_name as "unitName", e.group_name as "groupName", e.mode,
           e.stationed_on::text as "stationedOn", e.feedback_on::text as "feedbackOn"
      from public.engagement_figures(null, null, null, ${today}::date, null, ${campaignId}::bigint) f
      left join public.engagements e on e.id = f.engagement_id`;

  const names = new Map(offices.map((o) => [o.orgId, o]));
  const missing = [...new Set(rows.map((r) => r.supervisingOrgId))].filter((id) => !names.has(id));
  if (missing.length) {
    const found = await db<{ id: number; name: string; level: OrgLevel }[]>`select id, name, level::text as level from public.org_names(${missing}::int[])`;
    for (const o of found) names.set(o.id, { orgId: o.id, name: o.name, level: o.level });
  }
  const categoryCounts = (r: EngagementFigureDbRow): FigureCounts => ({
    engagements: 1, problems: r.problems, onTheSpot: r.onTheSpot, deadlineItems: r.deadlineItems, fedBack: r.fedBack,
    rectified: r.rectified, overdueItems: r.overdueItems, leadsTransferred: r.leadsTransferred,
    personsSanctioned: r.personsSanctioned, personsJudicial: r.personsJudicial,
    byCategory: Object.fromEntries(Object.entries(r.byCategory ?? {}).map(([k, v]) => [k, Number(v)])),
  });
  const byOrg = new Map<number, CampaignOrgFigures>();
  for (const o of names.values()) byOrg.set(o.orgId, { ...o, ...emptyCounts(), stationed: 0, fedBackEngagements: 0 });
  for (const r of rows) {
    const o = byOrg.get(r.supervisingOrgId);
    if (!o) continue;
    const sum = sumCounts([o, categoryCounts(r)]);
    Object.assign(o, sum, { stationed: o.stationed + (r.stationed ? 1 : 0), fedBackEngagements: o.fedBackEngagements + (r.fedBackOn ? 1 : 0) });
  }
  const orgRows = [...byOrg.values()].sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level));
  const orderOf = (orgId: number) => orgRows.findIndex((o) => o.orgId === orgId);
  const byLevel = LEVELS.map((level) => {
    const of = orgRows.filter((o) => o.level === level);
    return {
      level,
      ...sumCounts(of),
      stationed: of.reduce((n, o) => n + o.stationed, 0),
      fedBackEngagements: of.reduce((n, o) => n + o.fedBackEngagements, 0),
    };
  }).filter((l) => orgRows.some((o) => o.level === l.level));
  const counted = total
    ? { ...total, byCategory: Object.fromEntries(Object.entries(total.byCategory ?? {}).map(([k, v]) => [k, Number(v)])) }
    : emptyCounts();
  return {
    total: {
      ...counted,
      stationed: rows.filter((r) => r.stationed).length,
      fedBackEngagements: rows.filter((r) => r.fedBackOn).length,
    },
    byOrg: orgRows,
    byLevel,
    engagements: rows
      .filter((r) => r.unitName !== null)
      .map((r) => ({
        id: r.engagementId,
        orgId: r.supervisingOrgId,
        orgName: names.get(r.supervisingOrgId)?.name ?? "—",
        unitName: r.unitName!,
        groupName: r.groupName ?? "",
        mode: r.mode ?? "regular",
        stationedOn: r.stationedOn,
        feedbackOn: r.feedbackOn,
        ...categoryCounts(r),
        engagements: 1,
      }))
      .sort((a, b) => orderOf(a.orgId) - orderOf(b.orgId) || a.unitName.localeCompare(b.unitName, "zh-CN") || a.id - b.id),
  };
}

// ---------------------------------------------------------------- recurring problems

export interface RecurringCategory {
  categoryId: number;
  name: string;
  topName: string | null;
  /** Distinct inspected units with a problem of the category. */
  units: number;
  problems: number;
  /** The problems' ids (at most THEMATIC_LIMIT), for the thematic report. */
  problemIds: number[];
}

/**
 * The problems that recur across units of the campaign: second-level categories found in
 * at least two different inspected units among the campaign's engagements (its attached
 * engagements and those of its attached rounds), as RLS lets the reader see them; most
 * units first. A candidate list for a thematic report (专题报告).
 */
export async function recurringProblems(db: Tx, campaignId: number, minUnits = 2): Promise<RecurringCategory[]> {
  return db<RecurringCategory[]>`
    with linked as (
      select l.round_id, l.engagement_id from public.campaign_links l where l.campaign_id = ${campaignId}
    ), eng as (
      select e.id from public.engagements e
       where e.id in (select engagement_id from linked where engagement_id is not null)
          or e.round_id in (select round_id from linked where round_id is not null)
    )
    select c.id::int as "categoryId", c.name, tc.name as "topName",
           count(distinct p.unit_id)::int as units, count(*)::int as problems,
           (array_agg(p.id::int order by p.engagement_id, p.seq))[1:${THEMATIC_LIMIT}] as "problemIds"
      from public.problems p
      join eng on eng.id = p.engagement_id
      join public.problem_categories c on c.id = p.category_id and c.parent_id is not null
      left join public.problem_categories tc on tc.id = c.parent_id
     group by c.id, c.name, tc.name, tc.sort, c.sort
    having count(distinct p.unit_id) >= ${minUnits}
     order by units desc, problems desc, tc.sort nulls last, c.sort, c.id`;
}

/**
 * The problems of the thematic report assembled in one click: whole categories in the
 * list's order while they fit in THEMATIC_LIMIT (the first one cut to it if it alone is
 * larger). `categories` says how many of the list were taken.
 */
export function assembleCandidates(list: RecurringCategory[]): { problemIds: number[]; categories: number } {
  const ids: number[] = [];
  let categories = 0;
  for (const c of list) {
    if (ids.length + c.problemIds.length > THEMATIC_LIMIT) {
      if (ids.length === 0) {
        ids.push(...c.problemIds.slice(0, THEMATIC_LIMIT));
        categories = 1;
      }
      break;
    }
    ids.push(...c.problemIds);
    categories += 1;
  }
  return { problemIds: ids, categories };
}

/** The thematic builder's URL with the problems chosen (and the campaign, for sending down). */
export function thematicHref(campaignId: number, problemIds: number[], title?: string): string {
  const p = new URLSearchParams();
  p.set("campaign", String(campaignId));
  if (title) p.set("title", title);
  for (const id of problemIds) p.append("problem", String(id));
  return `/reports/thematic?${p.toString()}`;
}
