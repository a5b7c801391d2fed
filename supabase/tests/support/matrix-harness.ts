import { randomUUID } from "node:crypto";
import type { JwtClaims, Tx } from "../../../app/lib/db.server";
import { ownerSql } from "./db";

/**
 * Support for the CASL <-> RLS matrix (supabase/tests/casl-rls-matrix.test.ts).
 *
 * The matrix needs fixture rows the demo lacks (audit rows in every org, memberships of
 * a second user in every org). audit_log is append-only, so committed fixtures could
 * never be removed, and committed memberships would leak into suites that run at the
 * same time. So each actor's matrix runs in ONE transaction that is always rolled back:
 *
 *   1. the owner inserts the fixtures (nothing is ever committed);
 *   2. the transaction switches to the request context, exactly as the request path does
 *      (`role = authenticated` + `request.jwt.claims` of a live session), after which
 *      RLS and the grants of `authenticated` decide everything;
 *   3. every probe runs in a savepoint that is rolled back, so one cell's successful
 *      insert/update/delete cannot change what the next cell sees.
 *
 * The test also compares the session context built here with the one built through the
 * app's own login path (authenticator -> authenticated, `asUser`), so both paths are
 * shown to be the same RLS context.
 */

class Rollback extends Error {
  constructor(readonly value: unknown) {
    super("rollback");
  }
}

/**
 * Runs `setup` as the owner, then `fn` as the user of `claims` (role authenticated, RLS
 * in force), in one transaction that is always rolled back.
 */
export async function asUserOverFixtures<F, T>(
  claims: JwtClaims,
  setup: (owner: Tx) => Promise<F>,
  fn: (tx: Tx, fixtures: F) => Promise<T>,
): Promise<T> {
  try {
    await ownerSql().begin(async (raw) => {
      const tx = raw as unknown as Tx;
      const fixtures = await setup(tx);
      await tx`select set_config('role', 'authenticated', true),
                      set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
      const [who] = await tx<{ name: string; bypass: boolean }[]>`
        select current_user as name, r.rolbypassrls or r.rolsuper as bypass
          from pg_roles r where r.rolname = current_user`;
      if (who?.name !== "authenticated" || who.bypass) {
        throw new Error(`matrix harness: expected to act as authenticated, got ${JSON.stringify(who)}`);
      }
      throw new Rollback(await fn(tx, fixtures));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.value as T;
    throw error;
  }
  throw new Error("unreachable");
}

export interface ProbeResult<T> {
  /** SQLSTATE raised, or null when the statement succeeded. */
  state: string | null;
  value?: T;
}

/** Runs one statement in a savepoint that is always rolled back; reports its SQLSTATE and result. */
export async function probe<T>(tx: Tx, run: (sp: Tx) => Promise<T>): Promise<ProbeResult<T>> {
  try {
    await tx.savepoint(async (sp) => {
      throw new Rollback(await run(sp as Tx));
    });
  } catch (error) {
    if (error instanceof Rollback) return { state: null, value: error.value as T };
    const code = (error as { code?: string }).code;
    if (!code) throw error;
    return { state: code };
  }
  throw new Error("unreachable");
}

// ---------------------------------------------------------------- planning fixtures

export interface PlanningFixture {
  term: { id: number; name: string; startYear: number; endYear: number; seeded: boolean };
  /** The org's first seeded round (when the demo has one), then a fixture draft and a fixture submitted round. */
  rounds: { id: number; status: string; label: string; seeded: boolean }[];
  /** The latest history row of the org's first round (written by the database, not by hand). */
  history: { id: number; label: string };
}

/**
 * Inside the owner transaction (before the request context is entered): a term and rounds
 * in every org given, reusing the demo's where it has them and inserting the rest, so
 * every org sits in the matrix with real rows. Rounds are written through the same
 * triggers the app goes through, so their status history exists as it would in use.
 */
export async function createPlanningFixtures(
  tx: Tx,
  orgs: { id: number; code: string }[],
): Promise<Map<string, PlanningFixture>> {
  const out = new Map<string, PlanningFixture>();
  for (const org of orgs) {
    let [term] = await tx<{ id: number; name: string; startYear: number; endYear: number }[]>`
      select id::int as id, name, start_year as "startYear", end_year as "endYear"
        from public.terms where org_id = ${org.id} order by id limit 1`;
    const seededTerm = Boolean(term);
    if (!term) {
      [term] = await tx<{ id: number; name: string; startYear: number; endYear: number }[]>`
        insert into public.terms (org_id, name, start_year, end_year) values (${org.id}, '矩阵测试届', 2022, 2026)
        returning id::int as id, name, start_year as "startYear", end_year as "endYear"`;
    }
    const rounds: PlanningFixture["rounds"] = [];
    const [seeded] = await tx<{ id: number; status: string; number: number }[]>`
      select id::int as id, status::text as status, number from public.rounds where org_id = ${org.id} order by id limit 1`;
    if (seeded) rounds.push({ id: seeded.id, status: seeded.status, label: `第${seeded.number}轮`, seeded: true });
    for (const [number, status] of [[97, "draft"], [98, "submitted"]] as const) {
      const [r] = await tx<{ id: number }[]>`
        insert into public.rounds (org_id, term_id, year, number, kind, planned_start, planned_end)
        values (${org.id}, ${term.id}, ${term.startYear}, ${number}, 'regular',
                ${`${term.startYear}-09-01`}, ${`${term.startYear}-10-31`})
        returning id::int as id`;
      if (status === "submitted") await tx`update public.rounds set status = 'submitted' where id = ${r.id}`;
      rounds.push({ id: r.id, status, label: `第${number}轮`, seeded: false });
    }
    const [history] = await tx<{ id: number; from: string | null; to: string }[]>`
      select id::int as id, from_status::text as "from", to_status::text as "to"
        from public.round_status_history where round_id = ${rounds[0].id} order by id desc limit 1`;
    if (!history) throw new Error(`matrix harness: round ${rounds[0].id} of org ${org.code} has no status history`);
    out.set(org.code, {
      term: { ...term, seeded: seededTerm },
      rounds,
      history: { id: history.id, label: `${rounds[0].label} ${history.from ?? "∅"}→${history.to}` },
    });
  }
  return out;
}

// ---------------------------------------------------------------- cadre fixtures

export interface CadreFixture {
  /** A cadre in the org's pool, inserted for the matrix (never a seeded one). */
  cadre: { id: number; name: string };
  /** A work-history row of that cadre, in a unit of the org (so of the cadre's province). */
  history: { id: number; unitId: number };
  /** A recorded conflict of that cadre with the same unit (reason 'relative'). */
  conflict: { id: number; unitId: number };
}

/**
 * Inside the owner transaction (before the request context is entered): a cadre in the
 * pool of every org given, with one work-history row and one recorded conflict, both
 * referencing a unit of the org itself. The rows go through the same triggers as the
 * app's writes (org and province of the child rows are derived from the cadre), and the
 * derived values are checked here so that a fixture can never sit in the wrong org.
 */
export async function createCadreFixtures(
  tx: Tx,
  orgs: { id: number; code: string; provinceId: number; unitId: number }[],
): Promise<Map<string, CadreFixture>> {
  const out = new Map<string, CadreFixture>();
  for (const org of orgs) {
    const name = `矩阵干部${org.code}`;
    const [cadre] = await tx<{ id: number; orgId: number; provinceId: number }[]>`
      insert into public.cadres (org_id, name, home_unit, rank, specialties, pools)
      values (${org.id}, ${name}, '矩阵测试原单位', '正处级', '{财务,审计}', '{leader,talent}')
      returning id::int as id, org_id as "orgId", province_id as "provinceId"`;
    const [history] = await tx<{ id: number; orgId: number; provinceId: number }[]>`
      insert into public.cadre_work_history (cadre_id, unit_id, unit_name, post, from_date, to_date)
      values (${cadre.id}, ${org.unitId}, '矩阵测试单位', '副主任', '2019-01-01', '2023-12-31')
      returning id::int as id, org_id as "orgId", province_id as "provinceId"`;
    const [conflict] = await tx<{ id: number; orgId: number; provinceId: number }[]>`
      insert into public.cadre_conflicts (cadre_id, unit_id, reason, note)
      values (${cadre.id}, ${org.unitId}, 'relative', '矩阵测试：配偶在该单位任职')
      returning id::int as id, org_id as "orgId", province_id as "provinceId"`;
    for (const [what, row] of [["cadre", cadre], ["history", history], ["conflict", conflict]] as const) {
      if (row.orgId !== org.id || row.provinceId !== org.provinceId) {
        throw new Error(`matrix harness: ${what} fixture of org ${org.code} landed in org ${row.orgId} / province ${row.provinceId}`);
      }
    }
    out.set(org.code, {
      cadre: { id: cadre.id, name },
      history: { id: history.id, unitId: org.unitId },
      conflict: { id: conflict.id, unitId: org.unitId },
    });
  }
  return out;
}

// ---------------------------------------------------------------- engagement fixtures

/**
 * Owner-side building blocks for groups, engagements and their conduct (used by the
 * matrix and by the engagement tests). They write through the same triggers as the app
 * (org, executing org, province, snapshots are derived) and return what was derived.
 * Called as the acting user instead, the same statements are under RLS.
 */
export const fx = {
  async term(tx: Tx, orgId: number, name: string, startYear = 2022, endYear = 2026) {
    const [t] = await tx<{ id: number }[]>`
      insert into public.terms (org_id, name, start_year, end_year) values (${orgId}, ${name}, ${startYear}, ${endYear})
      returning id::int as id`;
    return t.id;
  },

  /** A round walked through the workflow up to `status` (as the owner: no approval check). */
  async round(tx: Tx, orgId: number, termId: number, number: number, status: string, year = 2026) {
    const [r] = await tx<{ id: number }[]>`
      insert into public.rounds (org_id, term_id, year, number, kind, planned_start, planned_end)
      values (${orgId}, ${termId}, ${year}, ${number}, 'regular', ${`${year}-03-01`}, ${`${year}-04-30`})
      returning id::int as id`;
    await fx.walk(tx, r.id, status);
    return r.id;
  },

  /** Moves a round forward, step by step, up to `status`. */
  async walk(tx: Tx, roundId: number, status: string) {
    const steps = ["draft", "submitted", "approved", "stationed", "reporting", "feedback", "rectification", "closed"];
    const [{ current }] = await tx<{ current: string }[]>`select status::text as current from public.rounds where id = ${roundId}`;
    for (const step of steps.slice(steps.indexOf(current) + 1, steps.indexOf(status) + 1)) {
      await tx`update public.rounds set status = ${step} where id = ${roundId}`;
    }
  },

  async group(tx: Tx, roundId: number, executingOrgId: number | null, number: number, window: { start: string; end: string }, name?: string) {
    const [g] = await tx<{ id: number; orgId: number; executingOrgId: number; provinceId: number }[]>`
      insert into public.patrol_groups (round_id, executing_org_id, number, name, station_start, station_end)
      values (${roundId}, ${executingOrgId}, ${number}, ${name ?? `测试第${number}巡察组`}, ${window.start}, ${window.end})
      returning id::int as id, org_id as "orgId", executing_org_id as "executingOrgId", province_id as "provinceId"`;
    return g;
  },

  async cadre(
    tx: Tx,
    orgId: number,
    name: string,
    o: { pools?: string[]; specialties?: string[]; firstPostedOn?: string | null; available?: boolean } = {},
  ) {
    const [c] = await tx<{ id: number }[]>`
      insert into public.cadres (org_id, name, home_unit, rank, specialties, pools, first_posted_on, available)
      values (${orgId}, ${name}, '测试原单位', '正科级', ${o.specialties ?? ["财务"]}::text[],
              ${o.pools ?? ["leader", "talent"]}::text[]::public.cadre_pool[], ${o.firstPostedOn ?? null}, ${o.available ?? true})
      returning id::int as id`;
    return c.id;
  },

  async member(tx: Tx, groupId: number, cadreId: number, role = "member") {
    const [m] = await tx<{ id: number; orgId: number; executingOrgId: number; rotationWarning: boolean; cadreName: string }[]>`
      insert into public.group_members (group_id, cadre_id, role) values (${groupId}, ${cadreId}, ${role})
      returning id::int as id, org_id as "orgId", executing_org_id as "executingOrgId",
                rotation_warning as "rotationWarning", cadre_name as "cadreName"`;
    return m;
  },

  async engagement(tx: Tx, roundId: number, groupId: number, unitId: number, mode: string, stationedOn: string | null = null) {
    const [e] = await tx<
      { id: number; supervisingOrgId: number; executingOrgId: number; targetOrgId: number; targetVisibleOrgId: number | null }[]
    >`
      insert into public.engagements (round_id, group_id, unit_id, mode, stationed_on)
      values (${roundId}, ${groupId}, ${unitId}, ${mode}, ${stationedOn})
      returning id::int as id, supervising_org_id as "supervisingOrgId", executing_org_id as "executingOrgId",
                target_org_id as "targetOrgId", target_visible_org_id as "targetVisibleOrgId"`;
    return e;
  },

  async fieldwork(tx: Tx, engagementId: number, summary = "测试谈话记录：了解班子运行情况") {
    const [r] = await tx<{ id: number; executingOrgId: number; groupId: number }[]>`
      insert into public.fieldwork_records (engagement_id, kind, occurred_on, participants, subject, summary)
      values (${engagementId}, 'talk', '2026-03-20', '组长、组员', '个别谈话', ${summary})
      returning id::int as id, executing_org_id as "executingOrgId", group_id::int as "groupId"`;
    return r;
  },

  async petition(tx: Tx, engagementId: number, o: { anonymous?: boolean } = {}) {
    const [p] = await tx<{ id: number; seq: number; executingOrgId: number; groupId: number }[]>`
      insert into public.petitions (engagement_id, channel, received_at, anonymous, reported_name, reported_post, content)
      values (${engagementId}, 'letter', '2026-03-21 09:00+08', ${o.anonymous ?? false}, '某某', '副局长', '反映违规发放津补贴问题')
      returning id::int as id, seq, executing_org_id as "executingOrgId", group_id::int as "groupId"`;
    return p;
  },

  async attachment(tx: Tx, engagementId: number, owner: { fieldworkRecordId?: number; petitionId?: number }) {
    const [a] = await tx<{ id: number }[]>`
      insert into public.attachments (engagement_id, fieldwork_record_id, petition_id, file_name, content_type,
                                      size_bytes, sha256, content)
      select ${engagementId}, ${owner.fieldworkRecordId ?? null}, ${owner.petitionId ?? null}, '谈话笔录.txt', 'text/plain',
             octet_length(b), encode(sha256(b), 'hex'), b
        from (select convert_to('谈话笔录（测试）', 'UTF8') as b) c
      returning id::int as id`;
    return a.id;
  },
};

export interface EngagementOrg {
  id: number;
  code: string;
  /** The org's first three units (by id): [engaged, pending, spare]. */
  units: [number, number, number];
}

export type EngagementMode = "regular" | "elevated" | "cross";

export interface GroupFx {
  id: number;
  key: string;
  orgId: number;
  executingOrgId: number;
  roundStatus: string;
  /** Engagements reference it (so it cannot be deleted). */
  engaged: boolean;
}
export interface MemberFx {
  id: number;
  key: string;
  cadreId: number;
  groupId: number;
  orgId: number;
  executingOrgId: number;
}
export interface DrawFx {
  id: number;
  key: string;
  groupId: number;
  orgId: number;
  executingOrgId: number;
}
export interface EngagementFx {
  id: number;
  key: string;
  mode: EngagementMode;
  roundId: number;
  roundStatus: string;
  groupId: number;
  unitId: number;
  supervisingOrgId: number;
  executingOrgId: number;
  targetOrgId: number;
  targetVisibleOrgId: number | null;
  stationedOn: string | null;
}
export interface ConductFx {
  engagement: EngagementFx;
  fieldworkId: number;
  petitionId: number;
  attachmentId: number;
}
export interface TermObjectFx {
  id: number;
  key: string;
  orgId: number;
  termId: number;
  unitId: number;
  kind: "regular" | "elevated";
}

export interface EngagementFixtures {
  /** Stationing windows: the running groups', and the closed round's (earlier, never overlapping). */
  window: { start: string; end: string };
  earlier: { start: string; end: string };
  term: Map<string, number>;
  /** The running (stationed) round of every org. */
  round: Map<string, number>;
  /** The city's closed round, in which the city's group member was in a group. */
  closedRound: number;
  groups: GroupFx[];
  members: MemberFx[];
  draws: DrawFx[];
  engagements: EngagementFx[];
  conduct: ConductFx[];
  termObjects: TermObjectFx[];
  /** A cadre of every org's pool in no group, free to be added. */
  spareCadre: Map<string, number>;
  /** The group-member accounts' cadres. */
  memberCadre: { city: number; countyA: number };
}

/**
 * Groups, members, draws, engagements, conduct records and term plans in every org given,
 * plus the cross-level cases, inside the owner transaction (before the request context is
 * entered). `city` runs, besides its regular engagement:
 *   - an elevated engagement (提级) of a unit of `countyA`, stationed, with conduct records,
 *     and another one of `countyA` not stationed yet;
 *   - a cross engagement (交叉): a group executed by `countyA` patrols a unit of `countyB`,
 *     stationed, with conduct records;
 *   - a closed round whose group had the city's member account in it, with conduct records.
 * The city's member account is in the city's running group; countyA's member account in
 * the cross group. Every org has a stationed regular engagement with conduct records, a
 * pending one without, an empty group, a draw (through public.draw_group_members, as a
 * staff member of that org) and a term plan with one regular object.
 */
export async function createEngagementFixtures(
  tx: Tx,
  orgs: EngagementOrg[],
  scenario: { city: string; countyA: string; countyB: string; cityMemberUserId: string; countyMemberUserId: string },
): Promise<EngagementFixtures> {
  const org = (code: string) => {
    const o = orgs.find((x) => x.code === code);
    if (!o) throw new Error(`engagement fixtures: no org ${code}`);
    return o;
  };
  const city = org(scenario.city);
  const countyA = org(scenario.countyA);
  const countyB = org(scenario.countyB);
  const memberCadre = async (userId: string) => {
    const [c] = await tx<{ id: number }[]>`select id::int as id from public.cadres where user_id = ${userId}`;
    if (!c) throw new Error(`engagement fixtures: no cadre for user ${userId}`);
    return c.id;
  };
  const cityMember = await memberCadre(scenario.cityMemberUserId);
  const countyMember = await memberCadre(scenario.countyMemberUserId);

  // Windows after every group the member accounts are already in (the demo's), so no overlap.
  const [{ last }] = await tx<{ last: string }[]>`
    select to_char(greatest(coalesce(max(g.station_end), date '2026-01-01'), date '2026-01-01'), 'YYYY-MM-DD') as last
      from public.group_members m join public.patrol_groups g on g.id = m.group_id
     where m.cadre_id in (${cityMember}, ${countyMember})`;
  const day = (n: number) => new Date(Date.parse(`${last}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const earlier = { start: day(10), end: day(50) };
  const window = { start: day(70), end: day(115) };

  const out: EngagementFixtures = {
    window,
    earlier,
    term: new Map(),
    round: new Map(),
    closedRound: 0,
    groups: [],
    members: [],
    draws: [],
    engagements: [],
    conduct: [],
    termObjects: [],
    spareCadre: new Map(),
    memberCadre: { city: cityMember, countyA: countyMember },
  };
  const roundStatus = new Map<number, string>();
  const runTag = randomUUID().slice(0, 8);

  const addGroup = async (key: string, roundId: number, executingOrgId: number | null, number: number, w = window, engaged = true) => {
    const g = await fx.group(tx, roundId, executingOrgId, number, w, `矩阵${key}组`);
    const row: GroupFx = { id: g.id, key, orgId: g.orgId, executingOrgId: g.executingOrgId, roundStatus: roundStatus.get(roundId)!, engaged };
    out.groups.push(row);
    return row;
  };
  const addMember = async (key: string, group: GroupFx, cadreId: number, role = "member") => {
    const m = await fx.member(tx, group.id, cadreId, role);
    if (m.orgId !== group.orgId || m.executingOrgId !== group.executingOrgId) {
      throw new Error(`engagement fixtures: member ${key} derived org ${m.orgId}/${m.executingOrgId}`);
    }
    out.members.push({ id: m.id, key, cadreId, groupId: group.id, orgId: m.orgId, executingOrgId: m.executingOrgId });
  };
  const addEngagement = async (key: string, roundId: number, group: GroupFx, unitId: number, mode: EngagementMode, stationedOn: string | null) => {
    const e = await fx.engagement(tx, roundId, group.id, unitId, mode, stationedOn);
    const row: EngagementFx = {
      ...e,
      key,
      mode,
      roundId,
      roundStatus: roundStatus.get(roundId)!,
      groupId: group.id,
      unitId,
      stationedOn,
    };
    out.engagements.push(row);
    return row;
  };
  const addConduct = async (e: EngagementFx) => {
    const f = await fx.fieldwork(tx, e.id);
    const p = await fx.petition(tx, e.id);
    await tx`select public.set_reporter_identity(${p.id}, '举报人甲', '13800000000')`;
    const attachmentId = await fx.attachment(tx, e.id, { fieldworkRecordId: f.id });
    for (const r of [f, p]) {
      if (r.executingOrgId !== e.executingOrgId || r.groupId !== e.groupId) {
        throw new Error(`engagement fixtures: conduct of ${e.key} derived ${r.executingOrgId}/${r.groupId}`);
      }
    }
    out.conduct.push({ engagement: e, fieldworkId: f.id, petitionId: p.id, attachmentId });
  };

  // Every org: a term, a stationed round, a group with a leader, a stationed regular
  // engagement with conduct, a pending one, an empty group, a term plan, a spare cadre.
  const groupOf = new Map<string, GroupFx>();
  for (const o of orgs) {
    // A name of its own per call: concurrent suites would otherwise wait on each other's unique key.
    const termId = await fx.term(tx, o.id, `矩阵任务届${o.code}-${runTag}`);
    out.term.set(o.code, termId);
    const roundId = await fx.round(tx, o.id, termId, 1, "stationed");
    roundStatus.set(roundId, "stationed");
    out.round.set(o.code, roundId);
    const group = await addGroup(`${o.code}`, roundId, o.id, 1);
    groupOf.set(o.code, group);
    await addMember(`${o.code}组长`, group, await fx.cadre(tx, o.id, `矩阵组长${o.code}`), "leader");
    out.spareCadre.set(o.code, await fx.cadre(tx, o.id, `矩阵备选${o.code}`, { pools: ["talent"] }));
    await addGroup(`${o.code}备用`, roundId, o.id, 2, window, false);
    const [to] = await tx<{ id: number; orgId: number }[]>`
      insert into public.term_objects (term_id, unit_id, kind, planned_year) values (${termId}, ${o.units[0]}, 'regular', 2026)
      returning id::int as id, org_id as "orgId"`;
    out.termObjects.push({ id: to.id, key: `${o.code}常规对象`, orgId: to.orgId, termId, unitId: o.units[0], kind: "regular" });
  }
  const cityRound = out.round.get(city.code)!;
  const cityGroup = groupOf.get(city.code)!;
  await addMember("市巡察组成员账号", cityGroup, cityMember);

  // The cross group: set up by the city for its round, executed by countyA.
  const crossGroup = await addGroup("交叉", cityRound, countyA.id, 3);
  await addMember("交叉组长", crossGroup, await fx.cadre(tx, countyA.id, `矩阵交叉组长${countyA.code}`), "leader");
  await addMember("交叉组成员账号", crossGroup, countyMember);

  for (const o of orgs) {
    const e = await addEngagement(`${o.code}常规`, out.round.get(o.code)!, groupOf.get(o.code)!, o.units[0], "regular", window.start);
    await addConduct(e);
    await addEngagement(`${o.code}常规未进驻`, out.round.get(o.code)!, groupOf.get(o.code)!, o.units[1], "regular", null);
  }
  await addConduct(await addEngagement("提级", cityRound, cityGroup, countyA.units[0], "elevated", window.start));
  await addEngagement("提级未进驻", cityRound, cityGroup, countyA.units[1], "elevated", null);
  await addConduct(await addEngagement("交叉", cityRound, crossGroup, countyB.units[0], "cross", window.start));

  // The city's elevated plan object (a unit of countyA).
  const cityTerm = out.term.get(city.code)!;
  const [elevatedObject] = await tx<{ id: number; orgId: number }[]>`
    insert into public.term_objects (term_id, unit_id, kind, planned_year) values (${cityTerm}, ${countyA.units[0]}, 'elevated', 2026)
    returning id::int as id, org_id as "orgId"`;
  out.termObjects.push({ id: elevatedObject.id, key: "提级对象", orgId: elevatedObject.orgId, termId: cityTerm, unitId: countyA.units[0], kind: "elevated" });

  // A closed round of the city whose group had the city's member account in it.
  const closedRound = await fx.round(tx, city.id, cityTerm, 2, "stationed");
  roundStatus.set(closedRound, "closed");
  out.closedRound = closedRound;
  const oldGroup = await addGroup("已办结", closedRound, city.id, 1, earlier);
  await addMember("已办结组长", oldGroup, await fx.cadre(tx, city.id, `矩阵已办结组长${city.code}`), "leader");
  await addMember("已办结组成员账号", oldGroup, cityMember);
  await addConduct(await addEngagement("已办结", closedRound, oldGroup, city.units[0], "regular", earlier.start));
  await fx.walk(tx, closedRound, "closed");

  // Draws, through the function, as a staff member of each org (then the owner again).
  const drawer = randomUUID();
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, created_at, updated_at)
    values ('00000000-0000-0000-0000-000000000000', ${drawer}, 'authenticated', 'authenticated',
            ${`drawer.${drawer}@fixture.invalid`}, now(), now())`;
  const [session] = await tx<{ id: string }[]>`
    insert into auth.sessions (id, user_id, created_at, updated_at, aal, not_after)
    values (gen_random_uuid(), ${drawer}, now(), now(), 'aal1', now() + interval '1 hour') returning id`;
  const claims = JSON.stringify({ sub: drawer, role: "authenticated", aud: "authenticated", session_id: session.id });
  for (const group of [...orgs.map((o) => groupOf.get(o.code)!), crossGroup]) {
    const [m] = await tx<{ id: number }[]>`
      insert into public.memberships (user_id, org_id, role) values (${drawer}, ${group.orgId}, 'office_staff')
      on conflict (user_id, org_id, role) do update set role = excluded.role returning id::int as id`;
    await tx`
      insert into private.session_context (session_id, membership_id) values (${session.id}, ${m.id})
      on conflict (session_id) do update set membership_id = excluded.membership_id`;
    await tx`select set_config('request.jwt.claims', ${claims}, true)`;
    await tx`select count(*) from public.draw_group_members(${group.id}, 2)`;
    await tx`select set_config('request.jwt.claims', '', true)`;
    const [d] = await tx<{ id: number; orgId: number; executingOrgId: number }[]>`
      select id::int as id, org_id as "orgId", executing_org_id as "executingOrgId"
        from public.member_draws where group_id = ${group.id} order by id desc limit 1`;
    if (!d) throw new Error(`engagement fixtures: no draw recorded for group ${group.key}`);
    out.draws.push({ id: d.id, key: group.key, groupId: group.id, orgId: d.orgId, executingOrgId: d.executingOrgId });
  }
  await tx`delete from auth.users where id = ${drawer}`;
  return out;
}
