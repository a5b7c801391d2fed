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

// ---------------------------------------------------------------- findings, leads, feedback and rectification

/**
 * A fixture row of the second half of an engagement, with the policy columns the database
 * derived for it (read back after the writes, camelCased: the CASL record of the row).
 */
export interface RowFx {
  id: number;
  /** What the row is, in words (for the matrix's cell descriptions). */
  what: string;
  /** The engagement it belongs to (its key), where it belongs to one. */
  engagementKey?: string;
  record: Record<string, unknown>;
}

/** Where a fed-back engagement's reports stand. */
export type ReportState = "plan submitted" | "progress submitted" | "progress accepted";

export interface FindingsOrg {
  id: number;
  code: string;
  /** Two more units of the org for engagements of its running round: [evaluated, reported]. */
  extraUnits: [number, number];
}

export interface FindingsFixtures {
  /** The engagements added here (also appended to the base fixtures' list). */
  engagements: EngagementFx[];
  /** The keys of the engagements that went through findings, feedback and rectification. */
  fullKeys: string[];
  /** Per fed-back engagement: where its reports stand, and the report a new submission may be. */
  reportState: Map<string, ReportState>;
  nextReport: Map<string, "plan" | "progress" | null>;
  /** The supervision partners attached to the offices given (纪委监委 and 组织部). */
  partners: { id: number; name: string; attachedOrgId: number }[];
  /** The common taxonomy's category new papers take. */
  commonCategoryId: number;
  categories: RowFx[];
  papers: RowFx[];
  reviews: RowFx[];
  problems: RowFx[];
  feedbacks: RowFx[];
  reports: RowFx[];
  items: RowFx[];
  events: RowFx[];
  updates: RowFx[];
  /** Rectification evidence (on progress updates and on accepted plans). */
  evidence: RowFx[];
  /** Conduct files attached to draft working papers. */
  paperFiles: RowFx[];
  notifications: RowFx[];
  disclosures: RowFx[];
  templates: RowFx[];
  indicators: RowFx[];
  evaluations: RowFx[];
  scores: RowFx[];
  leads: RowFx[];
  /** Per evaluation id: an indicator of its template with no score yet. */
  unscored: Map<number, number>;
  /** Per org code: its template that no evaluation uses (its indicators may still change). */
  spareTemplate: Map<string, number>;
}

/** Policy columns per table, camelCased: what CASL is asked about. */
const POLICY_COLUMNS: Record<string, string> = {
  "public.problem_categories": `id::int as id, org_id as "orgId"`,
  "public.working_papers": `id::int as id, group_id::int as "groupId", executing_org_id as "executingOrgId", status::text as status`,
  "public.working_paper_reviews": `id::int as id, group_id::int as "groupId", executing_org_id as "executingOrgId"`,
  "public.problems": `id::int as id, group_id::int as "groupId", executing_org_id as "executingOrgId",
    supervising_org_id as "supervisingOrgId", fed_back_unit_id::int as "fedBackUnitId", fed_back_target_org_id as "fedBackTargetOrgId"`,
  "public.feedbacks": rectificationColumns(),
  "public.rectification_reports": `${rectificationColumns()}, status::text as status, kind::text as kind`,
  "public.rectification_items": `${rectificationColumns()}, status::text as status`,
  "public.rectification_item_events": rectificationColumns(),
  "public.rectification_updates": rectificationColumns(),
  "public.attachments": `id::int as id, group_id::int as "groupId", executing_org_id as "executingOrgId",
    conduct_org_id as "conductOrgId", conduct_group_id::int as "conductGroupId", evidence_org_id as "evidenceOrgId",
    evidence_target_org_id as "evidenceTargetOrgId", evidence_unit_id::int as "evidenceUnitId"`,
  "public.notifications": `id::int as id, user_id as "userId"`,
  "public.rectification_disclosures": `id::int as id, supervising_org_id as "supervisingOrgId"`,
  "public.evaluation_templates": `id::int as id, org_id as "orgId"`,
  "public.evaluation_indicators": `id::int as id, org_id as "orgId"`,
  "public.rectification_evaluations": `id::int as id, supervising_org_id as "supervisingOrgId"`,
  "private.leads": `id::int as id, group_id::int as "groupId", executing_org_id as "executingOrgId",
    receiving_org_id as "receivingOrgId", transferred_on::text as "transferredOn"`,
};
function rectificationColumns() {
  return `id::int as id, group_id::int as "groupId", executing_org_id as "executingOrgId", supervising_org_id as "supervisingOrgId",
    target_visible_org_id as "targetVisibleOrgId", unit_id::int as "unitId"`;
}

/** Owner-side building blocks of findings, for the tests that need one more of them. */
export const findingsFx = {
  /** The problem an approved paper becomes, written as advance_working_paper writes it. */
  async problemOf(tx: Tx, paperId: number): Promise<number> {
    const [q] = await tx<{ id: number }[]>`
      insert into public.problems (engagement_id, working_paper_id, supervising_org_id, executing_org_id, group_id, unit_id,
                                   target_visible_org_id, province_id, seq, title, description, category_id, top_category_id,
                                   severity, discipline_form, on_the_spot)
      select e.id, p.id, e.supervising_org_id, p.executing_org_id, p.group_id, e.unit_id,
             case when e.mode <> 'regular' then e.target_org_id end, p.province_id,
             coalesce((select max(x.seq) from public.problems x where x.engagement_id = e.id), 0) + 1,
             p.title, p.facts, p.category_id, private.top_category(p.category_id), p.severity, p.discipline_form, p.on_the_spot
        from public.working_papers p join public.engagements e on e.id = p.engagement_id where p.id = ${paperId}
      returning id::int as id`;
    return q.id;
  },

  /** A paper approved by the group (status only, no reviews) and its problem, as the owner. */
  async approvedProblem(tx: Tx, engagementId: number, title = "违规发放津补贴（测试）"): Promise<{ paperId: number; problemId: number }> {
    const [p] = await tx<{ id: number }[]>`
      insert into public.working_papers (engagement_id, title, facts, category_id)
      select ${engagementId}, ${title}, '经查，该单位违规发放津补贴（测试）', c.id
        from public.problem_categories c where c.org_id is null and c.code = 'four_styles.formalism'
      returning id::int as id`;
    await tx`update public.working_papers set status = 'approved' where id = ${p.id}`;
    return { paperId: p.id, problemId: await findingsFx.problemOf(tx, p.id) };
  },

  /** Sets an engagement's withdrawal and report dates (20 and 10 days before `feedbackOn`), so feedback may be given on that day. */
  async reported(tx: Tx, engagementId: number, feedbackOn: string) {
    const day = (n: number) => new Date(Date.parse(`${feedbackOn}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    await tx`update public.engagements set withdrawn_on = ${day(-20)}, reported_on = ${day(-10)} where id = ${engagementId}`;
  },
};

/**
 * A user of the fixtures' own, with a live session, who acts for a moment under a
 * membership (an office's staff, a unit's head, a partner's staff) so that the workflow
 * functions (give_feedback, review_rectification_item, register/transfer_lead,
 * record_lead_handling) write their rows exactly as they do for the app. Between calls
 * the transaction is the owner's again.
 */
async function fixtureClerk(tx: Tx) {
  const id = randomUUID();
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, created_at, updated_at)
    values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated',
            ${`clerk.${id}@fixture.invalid`}, now(), now())`;
  const [session] = await tx<{ id: string }[]>`
    insert into auth.sessions (id, user_id, created_at, updated_at, aal, not_after)
    values (gen_random_uuid(), ${id}, now(), now(), 'aal1', now() + interval '1 hour') returning id`;
  const claims = JSON.stringify({ sub: id, role: "authenticated", aud: "authenticated", session_id: session.id });
  return {
    async as<T>(m: { orgId: number; role: string; unitId?: number; head?: boolean }, fn: () => Promise<T>): Promise<T> {
      const [row] = await tx<{ id: number }[]>`
        insert into public.memberships (user_id, org_id, role, unit_id, is_unit_head)
        values (${id}, ${m.orgId}, ${m.role}, ${m.unitId ?? null}, ${m.head ?? false})
        on conflict (user_id, org_id, role) do update set unit_id = excluded.unit_id, is_unit_head = excluded.is_unit_head
        returning id::int as id`;
      await tx`
        insert into private.session_context (session_id, membership_id) values (${session.id}, ${row.id})
        on conflict (session_id) do update set membership_id = excluded.membership_id`;
      await tx`select set_config('request.jwt.claims', ${claims}, true)`;
      const value = await fn();
      await tx`select set_config('request.jwt.claims', '', true)`;
      return value;
    },
    async done() {
      await tx`delete from auth.users where id = ${id}`;
    },
  };
}

/**
 * The second half of the patrols, inside the owner transaction (before the request context
 * is entered), on top of createEngagementFixtures:
 *
 *   - every org's stationed regular engagement, the city's elevated and cross engagements,
 *     the closed round's engagement, and a new engagement of 哈尔滨市财政局 (the unit of the
 *     demo's unit contacts, `scenario.financeUnitId`) in the city's running round go through
 *     everything: working papers drafting (with a file), under review and approved, their
 *     reviews, two problems (one fed back, one not), the feedback (give_feedback, after the
 *     report date is set), plan and progress reports (see reportState), three ledger items of
 *     the fed-back problem (open, unit_confirmed, closed through review_rectification_item),
 *     a progress update with an evidence file on each, an evidence file on the accepted plan,
 *     a publication (公示), a lead registered and one transferred (with a handling) to the
 *     executing office's 纪委监委 (the cross engagement's to the city's; the city's regular one
 *     also one to 哈尔滨市委组织部);
 *   - every org gets an engagement fed back more than six months ago ("<code>已评估") with an
 *     evaluation scored on two of its template's three indicators, and one reported but not
 *     fed back ("<code>已报告") with an approved problem;
 *   - every org: an office category, a template in use and a spare one;
 *   - a notification of every user in `scenario.notifyUserIds` (the workflow adds its own).
 *
 * Papers, reviews and problems are written by the owner as advance_working_paper writes them
 * (no fixture account is a group's leader); everything else goes through the workflow
 * functions as a fixture clerk, or through the tables' own triggers.
 */
export async function createFindingsFixtures(
  tx: Tx,
  base: EngagementFixtures,
  orgs: FindingsOrg[],
  scenario: { city: string; financeUnitId: number; notifyUserIds: string[] },
): Promise<FindingsFixtures> {
  const [{ today }] = await tx<{ today: string }[]>`select current_date::text as today`;
  const day = (from: string, n: number) => new Date(Date.parse(`${from}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const runTag = randomUUID().replaceAll("-", "").slice(0, 10);
  const clerk = await fixtureClerk(tx);
  const partners = await tx<{ id: number; name: string; attachedOrgId: number }[]>`
    select id, name, attached_org_id as "attachedOrgId" from public.orgs
     where kind = 'supervision_partner' and attached_org_id in ${tx(orgs.map((o) => o.id))} order by id`;
  const [{ id: commonCategoryId }] = await tx<{ id: number }[]>`
    select id::int as id from public.problem_categories where org_id is null and code = 'four_styles.formalism'`;
  const out: FindingsFixtures = {
    engagements: [], fullKeys: [], reportState: new Map(), nextReport: new Map(), partners, commonCategoryId,
    categories: [], papers: [], reviews: [], problems: [], feedbacks: [], reports: [], items: [], events: [], updates: [],
    evidence: [], paperFiles: [], notifications: [], disclosures: [], templates: [], indicators: [], evaluations: [],
    scores: [], leads: [], unscored: new Map(), spareTemplate: new Map(),
  };
  // The policy columns of every fixture row are read back once all writes are done (their
  // final state is what the matrix probes), one query per table.
  const pending = new Map<string, Map<number, Record<string, unknown>>>();
  const later = (table: string, id: number) => {
    const record: Record<string, unknown> = {};
    if (!pending.has(table)) pending.set(table, new Map());
    pending.get(table)!.set(id, record);
    return record;
  };
  const row = async (list: RowFx[], table: string, id: number, what: string, engagementKey?: string) => {
    const r: RowFx = { id, what, engagementKey, record: later(table, id) };
    list.push(r);
    return r;
  };
  const engagementOf = (key: string) => {
    const e = base.engagements.find((x) => x.key === key);
    if (!e) throw new Error(`findings fixtures: no engagement ${key}`);
    return e;
  };
  const groupOf = (code: string) => {
    const g = base.groups.find((x) => x.key === code);
    if (!g) throw new Error(`findings fixtures: no group ${code}`);
    return g;
  };
  const addEngagement = async (key: string, code: string, unitId: number, stationedOn: string) => {
    const roundId = base.round.get(code)!;
    const group = groupOf(code);
    const e = await fx.engagement(tx, roundId, group.id, unitId, "regular", stationedOn);
    const row: EngagementFx = { ...e, key, mode: "regular", roundId, roundStatus: group.roundStatus, groupId: group.id, unitId, stationedOn };
    base.engagements.push(row);
    out.engagements.push(row);
    return row;
  };

  // Category dictionary and evaluation templates of every org.
  const inUse = new Map<string, { templateId: number; indicators: number[] }>();
  for (const o of orgs) {
    const [c] = await tx<{ id: number }[]>`
      insert into public.problem_categories (org_id, code, name, sort) values (${o.id}, ${`matrix_${runTag}`}, ${`矩阵自定义类别${o.code}`}, 900)
      returning id::int as id`;
    await row(out.categories, "public.problem_categories", c.id, `office category of org ${o.code}`);
    for (const [label, indicators] of [["在用", 3], ["备用", 2]] as const) {
      const [t] = await tx<{ id: number }[]>`
        insert into public.evaluation_templates (org_id, name) values (${o.id}, ${`矩阵评估模板${label}${o.code}-${runTag}`})
        returning id::int as id`;
      await row(out.templates, "public.evaluation_templates", t.id, `${label === "在用" ? "template in use" : "spare template"} of org ${o.code}`);
      if (label === "备用") out.spareTemplate.set(o.code, t.id);
      else inUse.set(o.code, { templateId: t.id, indicators: [] });
      for (let n = 1; n <= indicators; n++) {
        const [i] = await tx<{ id: number }[]>`
          insert into public.evaluation_indicators (template_id, area, name, points, sort)
          values (${t.id}, '整改责任落实', ${`矩阵指标${n}`}, 50, ${n}) returning id::int as id`;
        await row(out.indicators, "public.evaluation_indicators", i.id, `indicator ${n} of the ${label === "在用" ? "template in use" : "spare template"} of org ${o.code}`);
        if (label === "在用") inUse.get(o.code)!.indicators.push(i.id);
      }
    }
  }
  const [common] = await tx<{ id: number }[]>`
    select id::int as id from public.problem_categories where org_id is null and code = 'four_styles' limit 1`;
  await row(out.categories, "public.problem_categories", common.id, "category of the common taxonomy");

  // A working paper in the given state; an approved one becomes a problem, as
  // advance_working_paper would leave it (reviews of each step, then the problem row).
  const paper = async (e: EngagementFx, label: string, status: "drafting" | "deputy_review" | "approved") => {
    const [p] = await tx<{ id: number }[]>`
      insert into public.working_papers (engagement_id, title, facts, evidence, category_id, severity)
      values (${e.id}, ${`${label}（矩阵测试）`}, '经查，该单位违规发放津补贴，涉及金额较大（矩阵测试）', '会计凭证第12号', ${commonCategoryId}, 'general')
      returning id::int as id`;
    const steps: [string, string, string][] =
      status === "drafting" ? [] :
      status === "deputy_review" ? [["drafting", "submit", "member"]] :
      [["drafting", "submit", "member"], ["deputy_review", "approve", "deputy"], ["leader_review", "approve", "leader"], ["meeting_review", "approve", "leader"]];
    for (const [step, action, role] of steps) {
      const [r] = await tx<{ id: number }[]>`
        insert into public.working_paper_reviews (paper_id, executing_org_id, group_id, province_id, step, action, acted_as)
        select p.id, p.executing_org_id, p.group_id, p.province_id, ${step}, ${action}, ${role}
          from public.working_papers p where p.id = ${p.id}
        returning id::int as id`;
      // Only the last step's review is a matrix row (the earlier ones sit in the same positions).
      if (step === steps[steps.length - 1][0]) {
        await row(out.reviews, "public.working_paper_reviews", r.id, `review (${step} ${action}) of the ${status} paper "${label}"`, e.key);
      }
    }
    if (status !== "drafting") await tx`update public.working_papers set status = ${status}, status_changed_at = now() where id = ${p.id}`;
    await row(out.papers, "public.working_papers", p.id, `${status} paper "${label}"`, e.key);
    if (status !== "approved") return { paperId: p.id, problemId: 0 };
    return { paperId: p.id, problemId: await findingsFx.problemOf(tx, p.id) };
  };
  const problemRow = (problemId: number, what: string, e: EngagementFx) => row(out.problems, "public.problems", problemId, what, e.key);

  // Report date, then feedback by the supervising office (give_feedback).
  const feedBack = async (e: EngagementFx, problemIds: number[], feedbackOn: string) => {
    await findingsFx.reported(tx, e.id, feedbackOn);
    const [{ id }] = await clerk.as({ orgId: e.supervisingOrgId, role: "office_staff" }, () => tx<{ id: number }[]>`
      select public.give_feedback(${e.id}, ${feedbackOn}, 'centralized', '巡察组全体成员，被巡察单位领导班子成员', null,
                                  '被巡察单位党组织', null, ${problemIds}::bigint[])::int as id`);
    await row(out.feedbacks, "public.feedbacks", id, "feedback", e.key);
  };

  const reports = async (e: EngagementFx, state: ReportState) => {
    const add = async (kind: "plan" | "progress", status: "submitted" | "accepted" | "returned") => {
      const [r] = await tx<{ id: number }[]>`
        insert into public.rectification_reports (engagement_id, kind, title, content)
        values (${e.id}, ${kind}, ${kind === "plan" ? "整改方案" : "整改进展情况报告"}, '对照反馈问题逐项制定整改措施（矩阵测试）')
        returning id::int as id`;
      if (status !== "submitted") {
        await tx`update public.rectification_reports set status = ${status}, review_comment = ${status === "returned" ? "整改措施不够具体，请细化" : null} where id = ${r.id}`;
      }
      await row(out.reports, "public.rectification_reports", r.id, `${status} ${kind} report`, e.key);
      return r.id;
    };
    if (state === "plan submitted") {
      await add("plan", "submitted");
    } else {
      if (state === "progress submitted") await add("plan", "returned");
      const plan = await add("plan", "accepted");
      out.evidence.push(await evidenceFile(e, { rectificationReportId: plan }, "evidence file of the accepted plan"));
      await add("progress", state === "progress submitted" ? "submitted" : "accepted");
    }
    out.reportState.set(e.key, state);
    out.nextReport.set(e.key, state === "progress accepted" ? "progress" : null);
  };

  const evidenceFile = async (e: EngagementFx, owner: { rectificationUpdateId?: number; rectificationReportId?: number }, what: string) => {
    const [a] = await tx<{ id: number }[]>`
      insert into public.attachments (engagement_id, rectification_update_id, rectification_report_id, file_name, content_type,
                                      size_bytes, sha256, content)
      select ${e.id}, ${owner.rectificationUpdateId ?? null}, ${owner.rectificationReportId ?? null}, '整改佐证.txt', 'text/plain',
             octet_length(b), encode(sha256(b), 'hex'), b
        from (select convert_to('整改佐证材料（矩阵测试）', 'UTF8') as b) c
      returning id::int as id`;
    return { id: a.id, what, engagementKey: e.key, record: later("public.attachments", a.id) };
  };

  // Ledger items of a fed-back problem: open, confirmed by the unit's head, closed by the office.
  const items = async (e: EngagementFx, problemId: number, feedbackOn: string, statuses: ("open" | "unit_confirmed" | "closed")[]) => {
    for (const status of statuses) {
      const [it] = await tx<{ id: number }[]>`
        insert into public.rectification_items (problem_id, measures, responsible_leader, responsible_department, responsible_person, kind, deadline)
        values (${problemId}, '清退违规发放的津补贴，修订财务管理制度（矩阵测试）', '单位主要负责人', '财务科', '财务科科长', 'deadline', ${day(feedbackOn, 90)})
        returning id::int as id`;
      const [u] = await tx<{ id: number }[]>`
        insert into public.rectification_updates (item_id, reported_on, progress) values (${it.id}, ${today}, '已清退部分款项（矩阵测试）')
        returning id::int as id`;
      await row(out.updates, "public.rectification_updates", u.id, `progress update of the ${status} item`, e.key);
      out.evidence.push(await evidenceFile(e, { rectificationUpdateId: u.id }, `evidence file of the progress update of the ${status} item`));
      if (status !== "open") {
        await clerk.as({ orgId: e.targetOrgId, role: "unit_contact", unitId: e.unitId, head: true }, () =>
          tx`select public.review_rectification_item(${it.id}, 'confirm')`);
      }
      if (status === "closed") {
        await clerk.as({ orgId: e.supervisingOrgId, role: "office_staff" }, () => tx`select public.review_rectification_item(${it.id}, 'verify')`);
      }
      await row(out.items, "public.rectification_items", it.id, `${status} item`, e.key);
      const events = await tx<{ id: number; action: string }[]>`
        select id::int as id, action::text as action from public.rectification_item_events where item_id = ${it.id} order by id`;
      for (const ev of events) await row(out.events, "public.rectification_item_events", ev.id, `${ev.action} event of the ${status} item`, e.key);
    }
  };

  const disclose = async (e: EngagementFx) => {
    const [d] = await tx<{ id: number }[]>`
      insert into public.rectification_disclosures (engagement_id, slug, title, summary)
      values (${e.id}, ${randomUUID().replaceAll("-", "").slice(0, 24)}, '巡察整改进展情况公示', '被巡察单位党组织已完成阶段性整改任务（矩阵测试）')
      returning id::int as id`;
    out.disclosures.push({ id: d.id, what: "publication", engagementKey: e.key, record: later("public.rectification_disclosures", d.id) });
  };

  const partnerOf = (orgId: number, suffix: "纪委监委" | "组织部") => partners.find((p) => p.attachedOrgId === orgId && p.name.endsWith(suffix));
  const lead = async (e: EngagementFx, problemId: number, transferTo?: { id: number; name: string }) => {
    const [{ id }] = await clerk.as({ orgId: e.executingOrgId, role: "office_staff" }, () => tx<{ id: number }[]>`
      select public.register_lead(${e.id}, '反映该单位负责人违规发放津补贴问题（矩阵测试）', '某某', '副局长', 'county_managed', ${problemId})::int as id`);
    if (transferTo) {
      await clerk.as({ orgId: e.executingOrgId, role: "office_staff" }, () =>
        tx`select public.transfer_lead(${id}, ${transferTo.id}, ${day(today, -10)}, ${`矩阵移字〔2026〕${id}号`})`);
      await clerk.as({ orgId: transferTo.id, role: "partner_staff" }, () =>
        tx`select public.record_lead_handling(${id}, 'initial_check', ${day(today, -5)}, '已开展初核', 1, 0)`);
    }
    const what = transferTo ? `lead transferred to ${transferTo.name}` : "lead registered, not transferred";
    out.leads.push({ id, what, engagementKey: e.key, record: later("private.leads", id) });
  };

  // The full second half.
  const city = orgs.find((o) => o.code === scenario.city);
  if (!city) throw new Error(`findings fixtures: no org ${scenario.city}`);
  const finance = await addEngagement("财政局", city.code, scenario.financeUnitId, base.window.start);
  const full: [EngagementFx, ReportState, string][] = [
    ...orgs.map((o) => [engagementOf(`${o.code}常规`), "progress submitted", base.window.start] as [EngagementFx, ReportState, string]),
    [finance, "progress accepted", base.window.start],
    [engagementOf("提级"), "plan submitted", base.window.start],
    [engagementOf("交叉"), "progress accepted", base.window.start],
    [engagementOf("已办结"), "progress accepted", base.earlier.start],
  ];
  for (const [e, state, stationedOn] of full) {
    out.fullKeys.push(e.key);
    const draft = await paper(e, "起草中的底稿", "drafting");
    const [f] = await tx<{ id: number }[]>`
      insert into public.attachments (engagement_id, working_paper_id, file_name, content_type, size_bytes, sha256, content)
      select ${e.id}, ${draft.paperId}, '底稿附件.txt', 'text/plain', octet_length(b), encode(sha256(b), 'hex'), b
        from (select convert_to('问题底稿附件（矩阵测试）', 'UTF8') as b) c
      returning id::int as id`;
    out.paperFiles.push({ id: f.id, what: "file of the draft paper", engagementKey: e.key, record: later("public.attachments", f.id) });
    await paper(e, "审核中的底稿", "deputy_review");
    const fed = await paper(e, "已反馈问题的底稿", "approved");
    const kept = await paper(e, "未反馈问题的底稿", "approved");
    const feedbackOn = day(stationedOn, 50);
    await feedBack(e, [fed.problemId], feedbackOn);
    await problemRow(fed.problemId, "fed-back problem", e);
    await problemRow(kept.problemId, "problem not fed back", e);
    await reports(e, state);
    await items(e, fed.problemId, feedbackOn, ["open", "unit_confirmed", "closed"]);
    await disclose(e);
    await lead(e, kept.problemId);
    const receiver = e.key === "交叉" ? partnerOf(e.supervisingOrgId, "纪委监委") : partnerOf(e.executingOrgId, "纪委监委");
    if (receiver) await lead(e, kept.problemId, receiver);
    if (e.key === `${city.code}常规`) await lead(e, kept.problemId, partnerOf(city.id, "组织部"));
  }

  // Fed back more than six months ago and evaluated; reported and not fed back.
  for (const o of orgs) {
    const evaluated = await addEngagement(`${o.code}已评估`, o.code, o.extraUnits[0], day(today, -260));
    const q = await paper(evaluated, "已评估单位的问题底稿", "approved");
    const feedbackOn = day(today, -200);
    await feedBack(evaluated, [q.problemId], feedbackOn);
    await problemRow(q.problemId, "fed-back problem", evaluated);
    await reports(evaluated, "progress accepted");
    await items(evaluated, q.problemId, feedbackOn, ["closed"]);
    const { templateId, indicators } = inUse.get(o.code)!;
    const [v] = await tx<{ id: number }[]>`
      insert into public.rectification_evaluations (engagement_id, template_id, evaluated_on, conclusion)
      values (${evaluated.id}, ${templateId}, ${day(today, -10)}, '整改成效较好（矩阵测试）') returning id::int as id`;
    out.evaluations.push({ id: v.id, what: "evaluation", engagementKey: evaluated.key, record: later("public.rectification_evaluations", v.id) });
    for (const indicatorId of indicators.slice(0, 2)) {
      const [s] = await tx<{ supervisingOrgId: number }[]>`
        insert into public.evaluation_scores (evaluation_id, indicator_id, deduction, note) values (${v.id}, ${indicatorId}, 5, '扣分说明（矩阵测试）')
        returning supervising_org_id as "supervisingOrgId"`;
      out.scores.push({ id: v.id, what: `score of indicator ${indicatorId}`, engagementKey: evaluated.key,
        record: { evaluationId: v.id, indicatorId, supervisingOrgId: s.supervisingOrgId } });
    }
    out.unscored.set(v.id, indicators[2]);

    const reported = await addEngagement(`${o.code}已报告`, o.code, o.extraUnits[1], base.window.start);
    const r = await paper(reported, "已报告单位的问题底稿", "approved");
    await problemRow(r.problemId, "problem not fed back (reported, no feedback yet)", reported);
    await tx`update public.engagements set withdrawn_on = ${day(base.window.start, 30)}, reported_on = ${day(base.window.start, 40)} where id = ${reported.id}`;
  }

  for (const userId of scenario.notifyUserIds) {
    const [n] = await tx<{ id: number }[]>`
      insert into public.notifications (user_id, kind, title, body) values (${userId}, 'matrix_fixture', '矩阵测试通知', '矩阵测试')
      returning id::int as id`;
    out.notifications.push({ id: n.id, what: `notification of user ${userId}`, record: later("public.notifications", n.id) });
  }
  await clerk.done();
  for (const [table, records] of pending) {
    const rows = await tx.unsafe<Record<string, unknown>[]>(`select ${POLICY_COLUMNS[table]} from ${table} where id = any($1::bigint[])`, [[...records.keys()]]);
    for (const r of rows) Object.assign(records.get(Number(r.id))!, r);
    for (const [id, record] of records) if (record.id === undefined) throw new Error(`findings fixtures: no ${table} row ${id}`);
  }
  return out;
}

// ---------------------------------------------------------------- linkage campaigns, dispatches, shared results (issue 5)

/** Where the linkage fixtures sit: region codes of fixture offices. */
export interface LinkageScenario {
  province: string;
  /** A city of `province`, with two counties. */
  city: string;
  countyA: string;
  countyB: string;
  /** Another city of `province`, with one of its counties. */
  siblingCity: string;
  siblingCounty: string;
  /** Another province, with one of its cities. */
  otherProvince: string;
  otherCity: string;
}

/**
 * A fixture row of issue 5 with the policy columns the database derived for it (read back
 * after all writes, camelCased: the CASL record of the row).
 */
export interface LinkageRow {
  /** The row's id; for participants and recipients (keyed by two columns) the campaign's or dispatch's. */
  id: number;
  /** The campaign, dispatch or office key: the cells' tag. */
  key: string;
  /** What the row is, in words. */
  what: string;
  record: Record<string, unknown>;
}

export interface CampaignFx extends LinkageRow {
  launcherOrgId: number;
  status: "active" | "closed";
  /** The participating offices' ids. */
  participantOrgIds: number[];
}
export interface ParticipantFx extends LinkageRow {
  campaignKey: string;
  orgId: number;
  /** The participant attached work (the database refuses its removal, 23514). */
  linked: boolean;
}
export interface DispatchFx extends LinkageRow {
  senderOrgId: number;
  recipientOrgIds: number[];
}

export interface LinkageFixtures {
  campaigns: CampaignFx[];
  participants: ParticipantFx[];
  links: LinkageRow[];
  dispatches: DispatchFx[];
  recipients: (LinkageRow & { orgId: number })[];
  grants: (LinkageRow & { state: "active" | "revoked" | "expired" })[];
  briefings: LinkageRow[];
  /** The 纪委监委 attached to each office that has one (by region code): whom grants and briefings go to. */
  partnerOf: Map<string, number>;
}

/**
 * Campaigns, their participants and attached work, thematic reports sent down with their
 * recipients, result grants and 巡前通报, inside the owner transaction (before the request
 * context is entered), on top of createEngagementFixtures. Every row goes through its
 * table's triggers (launcher, sender, province, partner name are derived):
 *
 *   - 省联动甲: launched by the province; participants the city and its two counties; the
 *     province and the city attach their running rounds, the counties their regular engagements;
 *   - 省联动乙: launched by the province; participants the sibling city (which attaches its
 *     regular engagement) and one of its counties (nothing attached);
 *   - 市联动: launched by the city; participant countyA (its running round attached), the city
 *     attaches its regular engagement; countyB does not take part;
 *   - 市联动已结束: launched by the city, closed after countyA attached its regular engagement;
 *     countyB took part and attached nothing;
 *   - 浙江联动: launched by the other province; participant its city (its round attached);
 *   - reports sent down: 省下发甲 (the province, for 省联动甲) to the city and countyA,
 *     省下发乙 (the province) to the sibling city, 市下发 (the city) to countyB, 浙江下发 to the
 *     other province's city;
 *   - grants of the city and of countyA to their own 纪委监委: an active one (the regular
 *     engagement's problem list), a revoked one (its rectification), an expired one (the
 *     running round's figures; expired by hand, as no office could date one in the past);
 *   - a briefing (巡前通报) of the city (answered) and of countyA (not yet answered).
 */
export async function createLinkageFixtures(
  tx: Tx,
  base: EngagementFixtures,
  orgs: { id: number; code: string }[],
  s: LinkageScenario,
): Promise<LinkageFixtures> {
  const idOf = (code: string) => {
    const o = orgs.find((x) => x.code === code);
    if (!o) throw new Error(`linkage fixtures: no org ${code}`);
    return o.id;
  };
  const engagementOf = (key: string) => {
    const e = base.engagements.find((x) => x.key === key);
    if (!e) throw new Error(`linkage fixtures: no engagement ${key}`);
    return e;
  };
  const partners = await tx<{ id: number; attachedOrgId: number }[]>`
    select id, attached_org_id as "attachedOrgId" from public.orgs
     where kind = 'supervision_partner' and name like '%纪委监委' and attached_org_id in ${tx(orgs.map((o) => o.id))}`;
  const partnerOf = new Map<string, number>();
  for (const o of orgs) {
    const p = partners.find((x) => x.attachedOrgId === o.id);
    if (p) partnerOf.set(o.code, p.id);
  }
  const out: LinkageFixtures = { campaigns: [], participants: [], links: [], dispatches: [], recipients: [], grants: [], briefings: [], partnerOf };

  type Work = "round" | "engagement";
  const campaignSpecs: { key: string; launcher: string; system: string; participants: string[]; links: [string, Work][]; closed?: boolean }[] = [
    { key: "省联动甲", launcher: s.province, system: "生态环境和自然资源系统", participants: [s.city, s.countyA, s.countyB],
      links: [[s.province, "round"], [s.city, "round"], [s.countyA, "engagement"], [s.countyB, "engagement"]] },
    { key: "省联动乙", launcher: s.province, system: "营商环境", participants: [s.siblingCity, s.siblingCounty], links: [[s.siblingCity, "engagement"]] },
    { key: "市联动", launcher: s.city, system: "人防系统", participants: [s.countyA], links: [[s.city, "engagement"], [s.countyA, "round"]] },
    { key: "市联动已结束", launcher: s.city, system: "国有企业", participants: [s.countyA, s.countyB], links: [[s.countyA, "engagement"]], closed: true },
    { key: "浙江联动", launcher: s.otherProvince, system: "生态环境和自然资源系统", participants: [s.otherCity], links: [[s.otherCity, "round"]] },
  ];
  const linkIds: { id: number; key: string; what: string }[] = [];
  for (const c of campaignSpecs) {
    const [row] = await tx<{ id: number }[]>`
      insert into public.campaigns (org_id, title, system_name, starts_on, ends_on, guidance)
      values (${idOf(c.launcher)}, ${`${c.key}（矩阵测试）`}, ${c.system}, current_date - 30, current_date + 150, '上下联动工作指引（矩阵测试）')
      returning id::int as id`;
    for (const p of c.participants) {
      await tx`insert into public.campaign_participants (campaign_id, org_id) values (${row.id}, ${idOf(p)})`;
    }
    for (const [code, work] of c.links) {
      const [l] = work === "round"
        ? await tx<{ id: number }[]>`
            insert into public.campaign_links (campaign_id, round_id) values (${row.id}, ${base.round.get(code)!}) returning id::int as id`
        : await tx<{ id: number }[]>`
            insert into public.campaign_links (campaign_id, engagement_id) values (${row.id}, ${engagementOf(`${code}常规`).id}) returning id::int as id`;
      linkIds.push({ id: l.id, key: c.key, what: work === "round" ? "running round" : "regular engagement" });
    }
    if (c.closed) await tx`update public.campaigns set status = 'closed' where id = ${row.id}`;
    out.campaigns.push({
      id: row.id, key: c.key, what: `${c.closed ? "closed" : "active"} campaign ${c.key}`, record: {},
      launcherOrgId: idOf(c.launcher), status: c.closed ? "closed" : "active", participantOrgIds: c.participants.map(idOf),
    });
  }
  const campaignIds = out.campaigns.map((c) => c.id);
  const keyOfCampaign = (id: number) => out.campaigns.find((c) => c.id === id)!.key;
  for (const c of await tx<{ id: number; orgId: number; status: string }[]>`
    select id::int as id, org_id as "orgId", status::text as status from public.campaigns where id = any (${campaignIds}::bigint[])`) {
    const fx = out.campaigns.find((x) => x.id === c.id)!;
    if (c.orgId !== fx.launcherOrgId || c.status !== fx.status) throw new Error(`linkage fixtures: campaign ${fx.key} is ${c.orgId}/${c.status}`);
    fx.record = { id: c.id, orgId: c.orgId };
  }
  const links = await tx<{ id: number; campaignId: number; orgId: number; launcherOrgId: number }[]>`
    select id::int as id, campaign_id::int as "campaignId", org_id as "orgId", launcher_org_id as "launcherOrgId"
      from public.campaign_links where campaign_id = any (${campaignIds}::bigint[])`;
  for (const l of linkIds) {
    const r = links.find((x) => x.id === l.id)!;
    out.links.push({ id: l.id, key: l.key, what: l.what, record: { id: r.id, launcherOrgId: r.launcherOrgId, orgId: r.orgId } });
  }
  for (const p of await tx<{ campaignId: number; orgId: number; launcherOrgId: number }[]>`
    select campaign_id::int as "campaignId", org_id as "orgId", launcher_org_id as "launcherOrgId"
      from public.campaign_participants where campaign_id = any (${campaignIds}::bigint[]) order by campaign_id, org_id`) {
    const key = keyOfCampaign(p.campaignId);
    const linked = links.some((l) => l.campaignId === p.campaignId && l.orgId === p.orgId);
    out.participants.push({
      id: p.campaignId, key, campaignKey: key, orgId: p.orgId, linked,
      what: `participant ${orgs.find((o) => o.id === p.orgId)?.code ?? p.orgId} (${linked ? "with attached work" : "nothing attached"})`,
      record: { launcherOrgId: p.launcherOrgId, orgId: p.orgId, attachedWork: linked },
    });
  }

  const dispatchSpecs: { key: string; sender: string; campaign?: string; recipients: string[] }[] = [
    { key: "省下发甲", sender: s.province, campaign: "省联动甲", recipients: [s.city, s.countyA] },
    { key: "省下发乙", sender: s.province, recipients: [s.siblingCity] },
    { key: "市下发", sender: s.city, recipients: [s.countyB] },
    { key: "浙江下发", sender: s.otherProvince, recipients: [s.otherCity] },
  ];
  for (const d of dispatchSpecs) {
    const campaignId = d.campaign ? out.campaigns.find((c) => c.key === d.campaign)!.id : null;
    const [row] = await tx<{ id: number; orgId: number }[]>`
      insert into public.thematic_dispatches (org_id, campaign_id, title, note, document, problem_count)
      values (${idOf(d.sender)}, ${campaignId}, ${`关于${d.key}共性问题的专题报告（矩阵测试）`}, '请结合实际抓好整改（矩阵测试）',
              convert_to('专题报告（矩阵测试）', 'UTF8'), 3)
      returning id::int as id, org_id as "orgId"`;
    for (const r of d.recipients) {
      await tx`insert into public.thematic_dispatch_recipients (dispatch_id, org_id) values (${row.id}, ${idOf(r)})`;
    }
    out.dispatches.push({
      id: row.id, key: d.key, what: `report ${d.key} sent down by ${d.sender}`, record: { id: row.id, orgId: row.orgId },
      senderOrgId: row.orgId, recipientOrgIds: d.recipients.map(idOf),
    });
  }
  for (const r of await tx<{ dispatchId: number; orgId: number; senderOrgId: number }[]>`
    select dispatch_id::int as "dispatchId", org_id as "orgId", sender_org_id as "senderOrgId"
      from public.thematic_dispatch_recipients where dispatch_id = any (${out.dispatches.map((d) => d.id)}::bigint[]) order by dispatch_id, org_id`) {
    const d = out.dispatches.find((x) => x.id === r.dispatchId)!;
    out.recipients.push({
      id: r.dispatchId, key: d.key, orgId: r.orgId, what: `recipient ${orgs.find((o) => o.id === r.orgId)?.code ?? r.orgId}`,
      record: { senderOrgId: r.senderOrgId, orgId: r.orgId },
    });
  }

  for (const code of [s.city, s.countyA]) {
    const partner = partnerOf.get(code);
    if (!partner) throw new Error(`linkage fixtures: office ${code} has no 纪委监委`);
    const engagement = engagementOf(`${code}常规`).id;
    const grantIds: [number, "active" | "revoked" | "expired"][] = [];
    for (const [state, scope] of [["active", "engagement_problems"], ["revoked", "engagement_rectification"], ["expired", "round_figures"]] as const) {
      const [g] = await tx<{ id: number }[]>`
        insert into public.result_grants (org_id, partner_org_id, scope, engagement_id, round_id, expires_on, note)
        values (${idOf(code)}, ${partner}, ${scope}, ${scope === "round_figures" ? null : engagement},
                ${scope === "round_figures" ? base.round.get(code)! : null}, current_date + 30, '供纪委监委参考（矩阵测试）')
        returning id::int as id`;
      if (state === "revoked") await tx`update public.result_grants set revoked_at = now() where id = ${g.id}`;
      if (state === "expired") {
        // No office can date a grant in the past (the trigger refuses it): the owner, with triggers off for this one statement.
        await tx`set local session_replication_role = replica`;
        await tx`update public.result_grants set expires_on = current_date - 1 where id = ${g.id}`;
        await tx`set local session_replication_role = origin`;
      }
      grantIds.push([g.id, state]);
    }
    const rows = await tx<{ id: number; orgId: number; revokedAt: string | null; expired: boolean }[]>`
      select id::int as id, org_id as "orgId", revoked_at::text as "revokedAt", expires_on < current_date as expired
        from public.result_grants where id = any (${grantIds.map(([id]) => id)}::bigint[])`;
    for (const [id, state] of grantIds) {
      const r = rows.find((x) => x.id === id)!;
      if ((r.revokedAt !== null) !== (state === "revoked") || r.expired !== (state === "expired")) {
        throw new Error(`linkage fixtures: grant ${id} of ${code} is not ${state}`);
      }
      out.grants.push({ id, key: `${code}共享`, state, what: `${state} grant`, record: { id, orgId: r.orgId, revokedAt: r.revokedAt } });
    }

    const replied = code === s.city;
    const [b] = await tx<{ id: number; orgId: number }[]>`
      insert into public.pre_patrol_briefings (round_id, partner_org_id, requested_on, request, replied_on, reply)
      values (${base.round.get(code)!}, ${partner}, current_date - 20, '请提供被巡察单位党组织领导班子成员问题线索情况（矩阵测试）',
              (case when ${replied}::boolean then current_date end), ${replied ? "经查，暂无相关问题线索（矩阵测试）" : null})
      returning id::int as id, org_id as "orgId"`;
    if (b.orgId !== idOf(code)) throw new Error(`linkage fixtures: briefing of ${code} landed in org ${b.orgId}`);
    out.briefings.push({ id: b.id, key: `${code}通报`, what: `${replied ? "answered" : "unanswered"} briefing`, record: { id: b.id, orgId: b.orgId } });
  }
  return out;
}
