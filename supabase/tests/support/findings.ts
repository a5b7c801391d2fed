import { randomUUID } from "node:crypto";
import type { JwtClaims, Tx } from "../../../app/lib/db.server";
import { claimsFor, DEMO } from "./db";
import { CODES, world, type ActorKey, type Scenario } from "./engagements";
import { enterRequestContext, leaveRequestContext, ownerRolledBack } from "./fixtures";
import { fx } from "./matrix-harness";

/**
 * Fixture builders for the tests of the patrol's second half (working papers, feedback,
 * rectification, deadline warnings, figures, evaluation, disclosure). Everything is
 * written inside an owner transaction that is always rolled back (withScenario,
 * ownerRolledBack, or sharedRolledBack below for a file-wide world), so nothing here is
 * ever committed.
 *
 * Two kinds of builder:
 *   - accounts and scopes (new users with a live session, group accounts, engagements);
 *   - owner shortcuts that put rows in a state (problems on the list, a feedback, ledger
 *     items, leads) without walking each through the request path, for tests whose
 *     subject is what comes after. They still go through the tables' triggers, which
 *     derive the scope columns as they would for a user.
 */

/** A fixture account: a user, one membership and a live session. */
export interface Account {
  userId: string;
  membershipId: number;
  claims: JwtClaims;
}

/** Who a statement runs as: a demo actor of the engagement tests, a demo unit/partner account, a fixture account, or the owner. */
export type Who = ActorKey | "unit" | "unitHead" | "partner" | "owner" | Account;

const DEMO_UNIT_ACCOUNTS = { unit: DEMO.unitContact, unitHead: DEMO.unitHead, partner: DEMO.cityPartner } as const;

/**
 * Switches the transaction to `who` from the next statement on: the request context
 * (role authenticated + claims of a live session) exactly as the request path sets it,
 * or the owner again.
 */
export async function actAs(tx: Tx, who: Who): Promise<void> {
  if (who === "owner") {
    await leaveRequestContext(tx);
    return;
  }
  if (typeof who === "object") {
    await enterRequestContext(tx, who.claims);
    return;
  }
  if (who in DEMO_UNIT_ACCOUNTS) {
    await enterRequestContext(tx, await claimsFor(DEMO_UNIT_ACCOUNTS[who as keyof typeof DEMO_UNIT_ACCOUNTS]));
    return;
  }
  await enterRequestContext(tx, (await world()).claims[who as ActorKey]);
}

/** The user id of a demo account (for expected recipients and authors). */
export async function demoUserId(who: Exclude<Who, "owner" | Account>): Promise<string> {
  if (who in DEMO_UNIT_ACCOUNTS) return (await claimsFor(DEMO_UNIT_ACCOUNTS[who as keyof typeof DEMO_UNIT_ACCOUNTS])).sub;
  return (await world()).user[who as ActorKey];
}

/** As the owner: a new user with one membership and a live session. */
export async function newAccount(
  tx: Tx,
  o: { orgId: number; role: string; unitId?: number; isUnitHead?: boolean; tag: string },
): Promise<Account> {
  const userId = randomUUID();
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, created_at, updated_at)
    values ('00000000-0000-0000-0000-000000000000', ${userId}, 'authenticated', 'authenticated',
            ${`${o.tag}.${userId}@fixture.invalid`}, now(), now())`;
  const [m] = await tx<{ id: number }[]>`
    insert into public.memberships (user_id, org_id, role, unit_id, is_unit_head)
    values (${userId}, ${o.orgId}, ${o.role}, ${o.unitId ?? null}, ${o.isUnitHead ?? false})
    returning id::int as id`;
  const [session] = await tx<{ id: string }[]>`
    insert into auth.sessions (id, user_id, created_at, updated_at, aal, not_after)
    values (gen_random_uuid(), ${userId}, now(), now(), 'aal1', now() + interval '1 hour') returning id`;
  return {
    userId,
    membershipId: m.id,
    claims: { sub: userId, role: "authenticated", aud: "authenticated", session_id: session.id },
  };
}

/**
 * As the owner: an account of a group member (role group_member in the group's
 * executing org, linked through cadres.user_id). A leader account takes over the
 * group's existing leader (one leader per group); other roles join as a new cadre.
 */
export async function groupAccount(
  tx: Tx,
  group: { id: number; executingOrgId: number },
  role: "leader" | "deputy" | "liaison" | "member",
  name: string,
): Promise<Account & { cadreId: number; memberId: number }> {
  const account = await newAccount(tx, { orgId: group.executingOrgId, role: "group_member", tag: `group-${role}` });
  let cadreId: number;
  let memberId: number;
  const [leader] = role === "leader"
    ? await tx<{ id: number; cadreId: number }[]>`
        select id::int as id, cadre_id::int as "cadreId" from public.group_members where group_id = ${group.id} and role = 'leader'`
    : [];
  if (leader) {
    cadreId = leader.cadreId;
    memberId = leader.id;
  } else {
    cadreId = await fx.cadre(tx, group.executingOrgId, name);
    memberId = (await fx.member(tx, group.id, cadreId, role)).id;
  }
  await tx`update public.cadres set user_id = ${account.userId} where id = ${cadreId}`;
  return { ...account, cadreId, memberId };
}

/** The id of a unit of `orgId` by name. */
export async function unitByName(tx: Tx, orgId: number, name: string): Promise<number> {
  const [u] = await tx<{ id: number }[]>`select id::int as id from public.units where org_id = ${orgId} and name = ${name}`;
  if (!u) throw new Error(`findings fixtures: no unit ${name} in org ${orgId}`);
  return u.id;
}

/** The id of a category of the common taxonomy by code. */
export async function categoryId(tx: Tx, code: string): Promise<number> {
  const [c] = await tx<{ id: number }[]>`select id::int as id from public.problem_categories where org_id is null and code = ${code}`;
  if (!c) throw new Error(`findings fixtures: no category ${code}`);
  return c.id;
}

export const FINANCE_BUREAU = "哈尔滨市财政局";

export interface FinanceEngagement {
  id: number;
  unitId: number;
  groupId: number;
  supervisingOrgId: number;
}

/**
 * As the owner, in the scenario: the city's regular engagement of 哈尔滨市财政局 (the
 * unit of the demo accounts hrb.unit and hrb.unithead) by the city's running group, in
 * which hrb.member is a member. Stationed on `stationedOn` (dates are the test's own: the
 * rectification steps compare them with today).
 */
export async function financeEngagement(tx: Tx, s: Scenario, stationedOn = "2026-01-05"): Promise<FinanceEngagement> {
  const w = await world();
  const unitId = await unitByName(tx, w.org.city, FINANCE_BUREAU);
  const group = s.g(CODES.city);
  const e = await fx.engagement(tx, s.round.get(CODES.city)!, group.id, unitId, "regular", stationedOn);
  return { id: e.id, unitId, groupId: group.id, supervisingOrgId: e.supervisingOrgId };
}

/** As the owner: the engagement's withdrawal and report dates (the report must precede feedback). */
export async function reported(tx: Tx, engagementId: number, withdrawnOn: string, reportedOn: string): Promise<void> {
  await tx`update public.engagements set withdrawn_on = ${withdrawnOn}, reported_on = ${reportedOn} where id = ${engagementId}`;
}

export interface ProblemSpec {
  /** A category code of the common taxonomy (default 'other'). */
  category?: string;
  n: number;
  /** How many of these (the first ones) were fixed on the spot. */
  onTheSpot?: number;
}

/**
 * As the owner: problems on the engagement's list, each from an approved working paper
 * (the state public.advance_working_paper leaves after the 组务会). Returns the new
 * problems' ids in 问题编号 order. The engagement must be stationed.
 */
export async function ownerProblems(tx: Tx, engagementId: number, specs: ProblemSpec[]): Promise<number[]> {
  const ids: number[] = [];
  for (const spec of specs) {
    const category = await categoryId(tx, spec.category ?? "other");
    const papers = await tx<{ id: number }[]>`
      insert into public.working_papers (engagement_id, title, facts, category_id, on_the_spot)
      select ${engagementId}, '测试问题' || g, '测试问题事实' || g, ${category}, g <= ${spec.onTheSpot ?? 0}
        from generate_series(1, ${spec.n}::int) g
      order by g
      returning id::int as id`;
    const paperIds = papers.map((p) => p.id);
    await tx`update public.working_papers set status = 'approved', status_changed_at = now() where id = any (${paperIds}::bigint[])`;
    const problems = await tx<{ id: number }[]>`
      insert into public.problems (engagement_id, working_paper_id, supervising_org_id, executing_org_id, group_id, unit_id,
                                   target_visible_org_id, province_id, seq, title, description, category_id, top_category_id,
                                   severity, discipline_form, on_the_spot)
      select wp.engagement_id, wp.id, e.supervising_org_id, e.executing_org_id, e.group_id, e.unit_id,
             case when e.mode <> 'regular' then e.target_org_id end, e.province_id,
             coalesce((select max(p.seq) from public.problems p where p.engagement_id = e.id), 0)
               + row_number() over (order by wp.seq),
             wp.title, wp.facts, wp.category_id, private.top_category(wp.category_id), wp.severity, wp.discipline_form,
             wp.on_the_spot
        from public.working_papers wp join public.engagements e on e.id = wp.engagement_id
       where wp.id = any (${paperIds}::bigint[])
       order by wp.seq
      returning id::int as id`;
    ids.push(...problems.map((p) => p.id).sort((a, b) => a - b));
  }
  return ids;
}

/**
 * As the owner: the engagement's feedback (the state public.give_feedback leaves): the
 * feedback row, the problems fed back, and the engagement's feedback date and plan
 * deadline (two months later). The engagement must have its report date.
 */
export async function ownerFeedback(tx: Tx, engagementId: number, problemIds: number[], feedbackOn: string): Promise<number> {
  const [f] = await tx<{ id: number }[]>`
    insert into public.feedbacks (engagement_id, supervising_org_id, executing_org_id, group_id, unit_id, target_visible_org_id,
                                  province_id, unit_name, group_name, supervising_org_name, feedback_on, form, attendees,
                                  main_recipients, plan_due)
    select e.id, e.supervising_org_id, e.executing_org_id, e.group_id, e.unit_id,
           case when e.mode <> 'regular' then e.target_org_id end, e.province_id, e.unit_name, e.group_name, o.name,
           ${feedbackOn}::date, 'centralized', '巡察组全体成员、被巡察单位领导班子', '被巡察单位党组',
           (${feedbackOn}::date + interval '2 months')::date
      from public.engagements e join public.orgs o on o.id = e.supervising_org_id
     where e.id = ${engagementId}
    returning id::int as id`;
  const updated = await tx`
    update public.problems set feedback_id = ${f.id}
     where engagement_id = ${engagementId} and id = any (${problemIds}::bigint[]) and feedback_id is null`;
  if (updated.count !== problemIds.length) throw new Error(`findings fixtures: fed back ${updated.count} of ${problemIds.length} problems`);
  await tx`
    update public.engagements
       set feedback_on = ${feedbackOn}, rectification_due = (${feedbackOn}::date + interval '2 months')::date
     where id = ${engagementId}`;
  return f.id;
}

export interface ItemSpec {
  kind: "immediate" | "deadline" | "long_term";
  deadline?: string | null;
  status?: "open" | "unit_confirmed" | "closed";
  measures?: string;
  responsiblePersonUserId?: string | null;
  responsibleLeaderUserId?: string | null;
}

/**
 * As the owner: one ledger item per fed-back problem given (in that order), then moved
 * to `status` without the reviews (for tests about what follows a state, not how it is
 * reached). Returns the items' ids in the order of `problemIds`.
 */
export async function ownerItems(tx: Tx, problemIds: number[], spec: ItemSpec): Promise<number[]> {
  if (problemIds.length === 0) return [];
  const rows = await tx<{ id: number; problemId: number }[]>`
    insert into public.rectification_items (problem_id, measures, responsible_leader, responsible_department,
                                            responsible_person, responsible_person_user_id, responsible_leader_user_id,
                                            kind, deadline)
    select p, ${spec.measures ?? "建立健全制度，逐项整改到位"}, '分管副局长', '办公室', '责任人甲',
           ${spec.responsiblePersonUserId ?? null}::uuid, ${spec.responsibleLeaderUserId ?? null}::uuid,
           ${spec.kind}::public.rectification_kind, ${spec.deadline ?? null}::date
      from unnest(${problemIds}::bigint[]) with ordinality x (p, n)
     order by n
    returning id::int as id, problem_id::int as "problemId"`;
  const byProblem = new Map(rows.map((r) => [r.problemId, r.id]));
  const ids = problemIds.map((p) => byProblem.get(p)!);
  if (spec.status && spec.status !== "open") {
    await tx`update public.rectification_items set status = ${spec.status}, status_changed_at = now() where id = any (${ids}::bigint[])`;
  }
  return ids;
}

export interface LeadSpec {
  problemIds: number[];
  /** The partner org the leads went to (null: registered, not transferred). */
  receivingOrgId?: number | null;
  transferredOn?: string;
  /** Per lead. */
  sanctioned?: number;
  judicial?: number;
}

/** As the owner: leads (问题线索) from the given problems, transferred to a partner when one is given. */
export async function ownerLeads(tx: Tx, engagementId: number, spec: LeadSpec): Promise<number[]> {
  const transferred = spec.receivingOrgId != null;
  const rows = await tx<{ id: number }[]>`
    insert into private.leads (engagement_id, supervising_org_id, executing_org_id, group_id, province_id, seq, problem_id,
                               summary, receiver, receiving_org_id, transferred_on, stage, sanctioned_persons, judicial_persons)
    select e.id, e.supervising_org_id, e.executing_org_id, e.group_id, e.province_id,
           coalesce((select max(l.seq) from private.leads l where l.engagement_id = e.id), 0) + x.n,
           x.p, '测试线索：反映有关领导干部违规问题',
           case when ${transferred} then 'discipline'::public.lead_receiver end,
           ${spec.receivingOrgId ?? null}::int,
           case when ${transferred} then ${spec.transferredOn ?? "2026-04-01"}::date end,
           case when ${transferred} then 'transferred'::public.lead_stage else 'registered'::public.lead_stage end,
           ${spec.sanctioned ?? 0}::int, ${spec.judicial ?? 0}::int
      from public.engagements e, unnest(${spec.problemIds}::bigint[]) with ordinality x (p, n)
     where e.id = ${engagementId}
     order by x.n
    returning id::int as id`;
  return rows.map((r) => r.id);
}

/** Notifications about the given subjects, in a comparable shape. Switches to the owner (and stays so). */
export async function notices(tx: Tx, o: { subjectType?: string; subjectIds?: number[]; kind?: string; userIds?: string[] }) {
  await actAs(tx, "owner");
  return tx<{ userId: string; kind: string; level: string; subjectType: string | null; subjectId: number | null; title: string; body: string | null; link: string | null }[]>`
    select user_id::text as "userId", kind, level::text as level, subject_type as "subjectType", subject_id::int as "subjectId",
           title, body, link
      from public.notifications
     where (${o.subjectType ?? null}::text is null or subject_type = ${o.subjectType ?? null})
       and (${o.subjectIds ?? null}::bigint[] is null or subject_id = any (${o.subjectIds ?? null}::bigint[]))
       and (${o.kind ?? null}::text is null or kind = ${o.kind ?? null})
       and (${o.userIds ?? null}::uuid[] is null or user_id = any (${o.userIds ?? null}::uuid[]))
     order by subject_id, level, user_id::text`;
}

/**
 * Runs `run` in a savepoint that is kept when it succeeds: "ok", or
 * "SQLSTATE: message (detail)" when it raised (the savepoint is then rolled back).
 */
export async function kept(tx: Tx, run: (sp: Tx) => Promise<unknown>): Promise<string> {
  try {
    await tx.savepoint(async (sp) => {
      await run(sp as Tx);
    });
    return "ok";
  } catch (error) {
    const { code, detail } = error as { code?: string; detail?: string };
    if (!code) throw error;
    return `${code}: ${(error as Error).message}${detail ? ` (${detail})` : ""}`;
  }
}

export type TreeOrg = "province" | "city" | "county" | "sibling";

export interface ProvinceTree {
  /** 测试省 990000 → 测试市 990100 → 测试县 990101, and 测试二市 990200 beside the city. */
  org: Record<TreeOrg, number>;
  /** The 纪委监委 attached to the city and to the county office (receivers of leads). */
  partner: { city: number; county: number };
  /** Each office's director, with a live session. */
  director: Record<TreeOrg, Account>;
  term: Record<TreeOrg, number>;
  round: Record<TreeOrg, number>;
  group: Record<TreeOrg, number>;
  /** Units: one of each office, and a second county unit (the city's elevated patrol). */
  unit: Record<TreeOrg | "countyElevated", number>;
}

/** Region codes the demo never uses (the demo's provinces are 23xxxx and 33xxxx; newOffice draws 98xxxx). */
export const TREE_CODES: Record<TreeOrg, string> = { province: "990000", city: "990100", county: "990101", sibling: "990200" };

/**
 * As the owner: an isolated province subtree with its own offices, partners, units,
 * directors, a term, a round in rectification and a group per office. Nothing of the
 * demo is in it, so its figures are exactly what a test puts in.
 */
export async function provinceTree(tx: Tx): Promise<ProvinceTree> {
  const org = {} as ProvinceTree["org"];
  const office = async (key: TreeOrg, parent: number | null, level: string, region: string, name: string) => {
    const [o] = await tx<{ id: number }[]>`
      insert into public.orgs (parent_id, level, region_code, region_name, name)
      values (${parent}, ${level}, ${TREE_CODES[key]}, ${region}, ${name}) returning id`;
    org[key] = o.id;
  };
  await office("province", null, "province", "测试省", "测试省委巡视办");
  await office("city", org.province, "city", "测试市", "测试市委巡察办");
  await office("county", org.city, "county", "测试县", "测试县委巡察办");
  await office("sibling", org.province, "city", "测试二市", "测试二市委巡察办");
  const partnerOf = async (attached: number, name: string) => {
    const [p] = await tx<{ id: number }[]>`
      insert into public.orgs (kind, attached_org_id, level, region_code, region_name, name)
      values ('supervision_partner', ${attached}, 'city', '000000', '-', ${name}) returning id`;
    return p.id;
  };
  const partner = { city: await partnerOf(org.city, "测试市纪委监委"), county: await partnerOf(org.county, "测试县纪委监委") };
  const newUnit = async (orgId: number, name: string, category: string, level: string) => {
    const [u] = await tx<{ id: number }[]>`
      insert into public.units (org_id, name, category, head_level) values (${orgId}, ${name}, ${category}, ${level})
      returning id::int as id`;
    return u.id;
  };
  const unit = {
    province: await newUnit(org.province, "测试省财政厅", "provincial_dept", "province_managed"),
    city: await newUnit(org.city, "测试市财政局", "city_dept", "city_managed"),
    county: await newUnit(org.county, "测试县财政局", "county_dept", "county_managed"),
    countyElevated: await newUnit(org.county, "测试县纪委监委机关", "discipline_commission", "city_managed"),
    sibling: await newUnit(org.sibling, "测试二市财政局", "city_dept", "city_managed"),
  };
  const director = {} as ProvinceTree["director"];
  const term = {} as ProvinceTree["term"];
  const round = {} as ProvinceTree["round"];
  const group = {} as ProvinceTree["group"];
  for (const key of Object.keys(TREE_CODES) as TreeOrg[]) {
    director[key] = await newAccount(tx, { orgId: org[key], role: "office_director", tag: `director-${TREE_CODES[key]}` });
    term[key] = await fx.term(tx, org[key], `测试届${TREE_CODES[key]}`, 2022, 2026);
    round[key] = await fx.round(tx, org[key], term[key], 1, "rectification", 2026);
    group[key] = (await fx.group(tx, round[key], null, 1, { start: "2026-03-01", end: "2026-04-30" })).id;
  }
  return { org, partner, director, term, round, group, unit };
}

/**
 * One owner transaction for a whole test file, always rolled back: `open` builds the
 * fixtures once (costly ones, like thousands of problems); `run` gives each test its own
 * savepoint, always rolled back, so no test sees another's writes or its actor switches
 * (set_config is undone with the savepoint); `close` rolls everything back. For
 * beforeAll / afterAll.
 */
export function sharedRolledBack<W>(build: (tx: Tx) => Promise<W>) {
  let tx: Tx | undefined;
  let world: W | undefined;
  let release: (() => void) | undefined;
  let finished: Promise<unknown> | undefined;
  const marker = new Error("__test_rolled_back__");
  return {
    async open() {
      await new Promise<void>((ready, fail) => {
        finished = ownerRolledBack(async (t) => {
          world = await build(t);
          tx = t;
          ready();
          await new Promise<void>((r) => (release = r));
        }).catch(fail);
      });
    },
    async run<T>(fn: (tx: Tx, w: W) => Promise<T>): Promise<T> {
      if (!tx || world === undefined) throw new Error("sharedRolledBack: not open");
      let value: T | undefined;
      try {
        await tx.savepoint(async (sp) => {
          await actAs(sp as Tx, "owner");
          value = await fn(sp as Tx, world!);
          throw marker;
        });
      } catch (error) {
        if (error !== marker) throw error;
      }
      return value as T;
    },
    async close() {
      release?.();
      await finished;
    },
  };
}
