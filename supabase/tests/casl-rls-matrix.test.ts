import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  actions,
  defineAbilityFor,
  subject,
  subjects,
  type Action,
  type AppSubject,
  type PermissionUser,
  type Role,
  type SubjectName,
  workflowActions,
} from "@xunlian/permissions";
import type { Tx } from "../../app/lib/db.server";
import { loadSessionContext } from "../../app/lib/session-context.server";
import { asUser, claimsFor, closeTestSql, DEMO, ownerSql, userId } from "./support/db";
import { EVERY_ACTOR } from "./support/fixtures";
import {
  asUserOverFixtures,
  createCadreFixtures,
  createEngagementFixtures,
  createFindingsFixtures,
  createLinkageFixtures,
  createPlanningFixtures,
  probe,
  type CadreFixture,
  type CampaignFx,
  type EngagementFixtures,
  type EngagementFx,
  type FindingsFixtures,
  type LinkageFixtures,
  type LinkageScenario,
  type PlanningFixture,
  type ProbeResult,
  type RowFx,
} from "./support/matrix-harness";

/**
 * D4: permissions in two layers that cannot drift. Every demo account x every subject x
 * every action x fixture rows in every position of the org tree relative to the account
 * (own, child, grandchild, parent, grandparent, sibling, collateral, other province) is
 * decided twice — by CASL (packages/permissions, built from the session context the
 * app loads) and by PostgreSQL RLS (the statement itself, as that user, rolled back) —
 * and the two answers must be equal.
 *
 * Planning rows (terms, rounds, their status history) are fixtures in every fixture org
 * (the demo's where it has them, the rest inserted in the rolled-back transaction), and
 * rounds are also checked for the workflow action `approve` (the director's, on a
 * submitted round of the own org; the database refuses staff with 42501 and a
 * non-submitted round with 23514).
 *
 * Cadre pools are fixtures in every fixture org too, always inserted in the rolled-back
 * transaction (never the demo's): a cadre, a work-history row and a recorded conflict,
 * both referencing a unit of the cadre's own org (so of its province).
 *
 * Groups and engagements (issue 3), also inserted in the rolled-back transaction: in every
 * fixture org a stationed round with a group, a stationed regular engagement with a
 * fieldwork record, a petition (with a reporter) and an attachment, a pending one, an
 * empty group, a draw (through public.draw_group_members) and a term plan; and in 哈尔滨
 * an elevated engagement of a 道里 unit (stationed, with conduct) and one not stationed
 * yet, a cross engagement (道里's group, a 南岗 unit, stationed, with conduct), and a
 * closed round whose group had the city's member account in it. The two group-member
 * accounts are in 哈尔滨's group and in the cross group. Every actor holds
 * view_reporter_identity on his active membership in the fixtures, so that action is
 * decided by the tenancy rule (its refusal without a grant: reporter-identity.test.ts).
 * Cells of those engagements are tagged, and a summary test names the cells that matter:
 * the target county sees the stationed row and nothing of its conduct, siblings nothing,
 * members their own group's conduct only while the round runs.
 *
 * The second half of a patrol (issue 4), also inserted in the rolled-back transaction
 * (support/matrix-harness.ts createFindingsFixtures): working papers (drafting with a file,
 * under review, approved) and their reviews, problems fed back and not, feedback, plan and
 * progress reports, ledger items open / confirmed / closed with their events, progress
 * updates and evidence files, publications, leads (registered, transferred to a 纪委监委 or
 * 组织部, handled) in every org's regular engagement, the city's elevated and cross ones,
 * the closed round's and a new one of 哈尔滨市财政局 (the unit of the demo's unit contacts);
 * in every org an engagement evaluated six months after feedback (templates, indicators,
 * evaluation, scores), one reported but not fed back (give_feedback), an office category;
 * a notification of every demo account. The unit contact, the unit's head and the city's
 * 纪委监委 partner are actors. Every actor also holds view_lead_person, so that action is
 * decided by the tenancy rule (its refusal without a grant: leads-access.test.ts).
 *
 * Workflow-only writes are probed like column grants: an update sets a granted column
 * (to itself, or, where the row's state decides — a paper under review, a report already
 * reviewed, a closed item's measures for the unit — to a real change whose refusal by the
 * database is a workflow refusal that CASL must also predict), and function-only actions
 * are probed through their function (advance_working_paper 'submit' on drafts,
 * give_feedback on reported engagements, review_rectification_item, the lead functions).
 * A probe is only made where its precondition holds (a report only where one may be
 * submitted, indicators only of a template no evaluation uses, a transfer only where the
 * office has a partner), as for groups and engagements above.
 *
 * Across levels (issue 5), also inserted in the rolled-back transaction (support/matrix-harness.ts
 * createLinkageFixtures): linkage campaigns of the province (one with 哈尔滨 and its two counties
 * taking part, one with 齐齐哈尔 and its county), of 哈尔滨 (one active with 道里, one closed with
 * 道里 and 南岗) and of 浙江, with rounds and engagements attached by the launcher and the
 * participants; thematic reports sent down by the province and by 哈尔滨 with their recipients;
 * result grants of 哈尔滨 and 道里 to their own 纪委监委 (active, revoked, expired); 巡前通报 of
 * 哈尔滨 and 道里. The database's own rules that CASL predicts from the record are probed with
 * their refusals (23514): a county office launches no campaign (orgLevel), a participant with
 * attached work stays (attachedWork), a closed campaign takes no more work (campaignStatus), a
 * revoked grant is not revoked again (revokedAt). Other creates are probed where the database's
 * rules let them through: a participant below the launcher, work attached by the launcher or a
 * participant, a recipient below the sender, a grant or briefing to the office's own partner
 * for its own engagement or round. The session context is loaded after the fixtures exist, so
 * the campaigns and reports of the actor's subtree (campaignIds, receivedDispatchIds) include theirs.
 */

afterAll(closeTestSql);

/** The orgs whose rows are the fixtures. Together they put every actor in every relation. */
const FIXTURE_ORG_CODES = [
  "230000", // 黑龙江省委巡视办
  "230100", // 哈尔滨市委巡察办
  "230102", // 道里区委巡察办
  "230103", // 南岗区委巡察办
  "230200", // 齐齐哈尔市委巡察办
  "230202", // 龙沙区委巡察办 (under 齐齐哈尔)
  "330000", // 浙江省委巡视办
  "330100", // 杭州市委巡察办
  "330102", // 上城区委巡察办
];

interface Actor {
  label: string;
  email: string;
  /** What the active membership must be (checked against the loaded session context). */
  role: Role;
  orgCode: string;
  /** Act under this membership instead of the account's first one. */
  membership?: { regionCode: string; role: Role };
  /** A partner's staff acts for this supervision partner (attached to the office of orgCode). */
  partner?: string;
}

const ACTORS: Actor[] = [
  { label: "office_director@province (hlj.director)", email: DEMO.province, role: "office_director", orgCode: "230000" },
  { label: "office_director@city (hrb.director)", email: DEMO.city, role: "office_director", orgCode: "230100" },
  {
    label: "office_staff@province (hrb.director, second membership)",
    email: DEMO.city,
    role: "office_staff",
    orgCode: "230000",
    membership: { regionCode: "230000", role: "office_staff" },
  },
  { label: "office_staff@county (daoli.staff)", email: DEMO.countyDaoli, role: "office_staff", orgCode: "230102" },
  { label: "office_staff@county (nangang.staff)", email: DEMO.countyNangang, role: "office_staff", orgCode: "230103" },
  { label: "office_director@city (qqhr.director)", email: DEMO.otherCity, role: "office_director", orgCode: "230200" },
  { label: "office_director@other province (zj.director)", email: DEMO.otherProvince, role: "office_director", orgCode: "330000" },
  { label: "leadership@province (hlj.leader)", email: DEMO.leadership, role: "leadership", orgCode: "230000" },
  { label: "system_admin@province (sysadmin)", email: DEMO.systemAdmin, role: "system_admin", orgCode: "230000" },
  { label: "audit_admin@province (auditor)", email: DEMO.auditAdmin, role: "audit_admin", orgCode: "230000" },
  { label: "group_member@city (hrb.member)", email: DEMO.memberCity, role: "group_member", orgCode: "230100" },
  { label: "group_member@county, in the city's cross group (daoli.member)", email: DEMO.memberDaoli, role: "group_member", orgCode: "230102" },
  { label: "unit_contact of 哈尔滨市财政局 (hrb.unit)", email: DEMO.unitContact, role: "unit_contact", orgCode: "230100" },
  { label: "unit_contact and head of 哈尔滨市财政局 (hrb.unithead)", email: DEMO.unitHead, role: "unit_contact", orgCode: "230100" },
  { label: "partner_staff of 哈尔滨市纪委监委 (hrb.jiwei)", email: DEMO.cityPartner, role: "partner_staff", orgCode: "230100", partner: "哈尔滨市纪委监委" },
];

/** The unit of the demo's unit contacts: a fixture engagement of it is fed back in the city's running round. */
const FINANCE_UNIT = { orgCode: "230100", name: "哈尔滨市财政局" } as const;

/** The cross-level engagements of the fixtures: the city runs them, countyA is elevated-patrolled and patrols countyB. */
const SCENARIO = { city: "230100", countyA: "230102", countyB: "230103" } as const;

/** Where the issue-5 fixtures sit (campaigns, reports sent down, grants, briefings). */
const LINKAGE: LinkageScenario = {
  province: "230000", city: "230100", countyA: "230102", countyB: "230103",
  siblingCity: "230200", siblingCounty: "230202", otherProvince: "330000", otherCity: "330100",
};

interface FixtureOrg {
  id: number;
  kind: "patrol_office" | "supervision_partner";
  /** A supervision partner's patrol office. */
  attachedOrgId: number | null;
  parentId: number | null;
  level: "province" | "city" | "county";
  provinceId: number;
  code: string;
  name: string;
  /** ancestor id -> depth (from org_closure, self excluded). */
  ancestors: Map<number, number>;
}

interface FixtureUnit {
  id: number;
  orgId: number;
  provinceId: number;
  name: string;
}

const orgByCode = new Map<string, FixtureOrg>();
const orgById = new Map<number, FixtureOrg>();
const unitByOrgCode = new Map<string, FixtureUnit>();
/** The first three units (by id) of every fixture org: engaged, pending, spare. */
const unitIdsByOrgCode = new Map<string, [number, number, number]>();
/** Two more units of every fixture org: evaluated, reported (the findings fixtures). */
const extraUnitIdsByOrgCode = new Map<string, [number, number]>();
/** The supervision partners attached to the fixture offices (orgs outside every office's subtree). */
const partnerOrgs: FixtureOrg[] = [];
let financeUnitId = 0;
/** Users who get a notification of their own in the fixtures: every demo account. */
let notifyUserIds: string[] = [];
let memberUserIds: { city: string; countyA: string };
let newOrgIdBase = 0;

beforeAll(async () => {
  const sql = ownerSql();
  const rows = await sql<Omit<FixtureOrg, "ancestors">[]>`
    select id, kind, attached_org_id as "attachedOrgId", parent_id as "parentId", level, province_id as "provinceId",
           region_code as code, name
      from public.orgs where kind = 'patrol_office' and region_code in ${sql(FIXTURE_ORG_CODES)}`;
  expect(rows.map((r) => r.code).sort(), "every fixture org exists in the demo").toEqual([...FIXTURE_ORG_CODES].sort());
  for (const row of rows) {
    const org: FixtureOrg = { ...row, ancestors: new Map() };
    orgByCode.set(org.code, org);
    orgById.set(org.id, org);
  }
  const closure = await sql<{ ancestorId: number; descendantId: number; depth: number }[]>`
    select ancestor_id as "ancestorId", descendant_id as "descendantId", depth
      from public.org_closure where descendant_id in ${sql(rows.map((r) => r.id))} and depth > 0`;
  for (const c of closure) orgById.get(c.descendantId)!.ancestors.set(c.ancestorId, c.depth);

  const units = await sql<(FixtureUnit & { code: string })[]>`
    select distinct on (u.org_id) u.id::int as id, u.org_id as "orgId", u.province_id as "provinceId", u.name,
           o.region_code as code
      from public.units u join public.orgs o on o.id = u.org_id
     where u.org_id in ${sql(rows.map((r) => r.id))}
     order by u.org_id, u.id`;
  for (const { code, ...unit } of units) unitByOrgCode.set(code, unit);
  expect([...unitByOrgCode.keys()].sort(), "every fixture org has a unit").toEqual([...FIXTURE_ORG_CODES].sort());
  const [finance] = await sql<{ id: number }[]>`
    select u.id::int as id from public.units u join public.orgs o on o.id = u.org_id
     where o.kind = 'patrol_office' and o.region_code = ${FINANCE_UNIT.orgCode} and u.name = ${FINANCE_UNIT.name} and u.active`;
  expect(finance, `${FINANCE_UNIT.name} exists in ${FINANCE_UNIT.orgCode}`).toBeDefined();
  financeUnitId = finance.id;
  const firstUnits = await sql<{ code: string; ids: number[] }[]>`
    select o.region_code as code, (array_agg(u.id::int order by u.id))[1:5] as ids
      from public.units u join public.orgs o on o.id = u.org_id
     where u.org_id in ${sql(rows.map((r) => r.id))} and u.active and u.id <> ${financeUnitId}
     group by o.region_code`;
  for (const { code, ids } of firstUnits) {
    expect(ids.length, `fixture org ${code} has five active units`).toBe(5);
    unitIdsByOrgCode.set(code, ids.slice(0, 3) as [number, number, number]);
    extraUnitIdsByOrgCode.set(code, ids.slice(3, 5) as [number, number]);
  }
  memberUserIds = { city: await userId(DEMO.memberCity), countyA: await userId(DEMO.memberDaoli) };
  notifyUserIds = await Promise.all(Object.values(DEMO).map((email) => userId(email)));

  const partners = await sql<Omit<FixtureOrg, "ancestors">[]>`
    select id, kind, attached_org_id as "attachedOrgId", parent_id as "parentId", level, province_id as "provinceId",
           region_code as code, name
      from public.orgs where kind = 'supervision_partner' and attached_org_id in ${sql(rows.map((r) => r.id))} order by id`;
  expect(partners.length, "the fixture offices of 黑龙江 have supervision partners").toBeGreaterThan(0);
  for (const p of partners) {
    const org: FixtureOrg = { ...p, ancestors: new Map() };
    partnerOrgs.push(org);
    orgById.set(org.id, org);
  }

  const [{ max }] = await sql<{ max: number }[]>`select coalesce(max(id), 0)::int as max from public.orgs`;
  newOrgIdBase = max + 100_000;
});

/** Where `x` sits relative to the actor's active org. */
function relation(actorOrg: FixtureOrg, x: FixtureOrg): string {
  if (x.id === actorOrg.id) return "own";
  if (x.kind === "supervision_partner") return `partner of ${orgById.get(x.attachedOrgId!)?.code ?? x.attachedOrgId}`;
  if (actorOrg.kind === "supervision_partner") return x.id === actorOrg.attachedOrgId ? "attached office" : "unrelated office";
  const down = x.ancestors.get(actorOrg.id);
  if (down !== undefined) return down === 1 ? "child" : "grandchild";
  const up = actorOrg.ancestors.get(x.id);
  if (up !== undefined) return up === 1 ? "parent" : "grandparent";
  if (x.provinceId !== actorOrg.provinceId) return "other-province";
  if (x.parentId === actorOrg.parentId) return "sibling";
  if (x.parentId !== null && orgById.get(x.parentId)?.parentId === actorOrg.parentId) return "sibling's child";
  if (actorOrg.parentId !== null && orgById.get(actorOrg.parentId)?.parentId === x.parentId) return "parent's sibling";
  return "cousin";
}

function where(actorOrg: FixtureOrg, x: FixtureOrg): string {
  return `${x.name} ${x.code} [${relation(actorOrg, x)}]`;
}

// ---------------------------------------------------------------- fixtures (rolled back)

interface Fixtures {
  /** A user with no session, holding one membership in every fixture org. */
  holder: string;
  holderMembership: Map<string, number>;
  ownMemberships: { id: number; orgId: number; role: Role }[];
  audit: { id: number; userId: string | null; orgId: number | null; what: string }[];
  /** A term, rounds (seeded where the demo has them, plus a draft and a submitted one) and a history row in every fixture org. */
  planning: Map<string, PlanningFixture>;
  /** A cadre with a work-history row and a recorded conflict in every fixture org's pool. */
  cadres: Map<string, CadreFixture>;
  /** Groups, members, draws, engagements (regular everywhere; elevated, cross, closed-round in the city), conduct, term plans. */
  engagements: EngagementFixtures;
  /** Papers, problems, leads, feedback, rectification, publications, evaluations, categories, notifications. */
  findings: FindingsFixtures;
  /** Campaigns, participants, attached work, reports sent down, recipients, grants, briefings (issue 5). */
  linkage: LinkageFixtures;
  /** A view_reporter_identity grant on the holder's membership in every fixture org, and one on the actor's active membership. */
  grants: { id: number; userId: string; orgId: number; what: string }[];
  /** A second user with an office_staff membership (no grant) in every fixture org: whom a new grant is for. */
  grantee: { userId: string; memberships: Map<string, number> };
  activeMembershipId: number;
}

async function createFixtures(tx: Tx, actorId: string, actorOrg: FixtureOrg, actorSessionId: string): Promise<Fixtures> {
  const holder = randomUUID();
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, created_at, updated_at)
    values ('00000000-0000-0000-0000-000000000000', ${holder}, 'authenticated', 'authenticated',
            ${`matrix.${holder}@fixture.invalid`}, now(), now())`;
  const holderMembership = new Map<string, number>();
  const audit: Fixtures["audit"] = [];
  for (const org of orgByCode.values()) {
    const [m] = await tx<{ id: number }[]>`
      insert into public.memberships (user_id, org_id, role) values (${holder}, ${org.id}, 'leadership')
      returning id::int as id`;
    holderMembership.set(org.code, m.id);
    const [a] = await tx<{ id: number }[]>`
      insert into public.audit_log (user_id, org_id, action, success, request_id)
      values (${holder}, ${org.id}, 'matrix.fixture', true, 'casl-rls-matrix') returning id::int as id`;
    audit.push({ id: a.id, userId: holder, orgId: org.id, what: `another user's audit row in ${where(actorOrg, org)}` });
  }
  // A partner's staff reading a transferred lead leaves rows under the partner's org.
  for (const org of partnerOrgs) {
    const [a] = await tx<{ id: number }[]>`
      insert into public.audit_log (user_id, org_id, action, success, request_id)
      values (${holder}, ${org.id}, 'matrix.fixture', true, 'casl-rls-matrix') returning id::int as id`;
    audit.push({ id: a.id, userId: holder, orgId: org.id, what: `another user's audit row in ${where(actorOrg, org)}` });
  }
  const [own] = await tx<{ id: number }[]>`
    insert into public.audit_log (user_id, org_id, action, success, request_id)
    values (${actorId}, ${actorOrg.id}, 'matrix.fixture', true, 'casl-rls-matrix') returning id::int as id`;
  audit.push({ id: own.id, userId: actorId, orgId: actorOrg.id, what: `own audit row in ${where(actorOrg, actorOrg)}` });
  const [sys] = await tx<{ id: number }[]>`
    insert into public.audit_log (user_id, org_id, action, success, request_id)
    values (null, null, 'matrix.fixture', false, 'casl-rls-matrix') returning id::int as id`;
  audit.push({ id: sys.id, userId: null, orgId: null, what: "system audit row without user or org" });
  const ownMemberships = await tx<Fixtures["ownMemberships"]>`
    select id::int as id, org_id as "orgId", role from public.memberships where user_id = ${actorId} order by id`;
  const planning = await createPlanningFixtures(tx, [...orgByCode.values()].map((o) => ({ id: o.id, code: o.code })));
  const cadres = await createCadreFixtures(
    tx,
    [...orgByCode.values()].map((o) => ({ id: o.id, code: o.code, provinceId: o.provinceId, unitId: unitByOrgCode.get(o.code)!.id })),
  );
  const engagements = await createEngagementFixtures(
    tx,
    [...orgByCode.values()].map((o) => ({ id: o.id, code: o.code, units: unitIdsByOrgCode.get(o.code)! })),
    { ...SCENARIO, cityMemberUserId: memberUserIds.city, countyMemberUserId: memberUserIds.countyA },
  );
  const findings = await createFindingsFixtures(
    tx,
    engagements,
    [...orgByCode.values()].map((o) => ({ id: o.id, code: o.code, extraUnits: extraUnitIdsByOrgCode.get(o.code)! })),
    { city: SCENARIO.city, financeUnitId, notifyUserIds: [...notifyUserIds, holder] },
  );
  const linkage = await createLinkageFixtures(tx, engagements, [...orgByCode.values()].map((o) => ({ id: o.id, code: o.code })), LINKAGE);

  // Explicit permissions: the holder's in every org, and the actor's own (so that the
  // actor's view_reporter_identity is decided by the tenancy rule alone).
  const grants: Fixtures["grants"] = [];
  for (const org of orgByCode.values()) {
    const [g] = await tx<{ id: number; userId: string; orgId: number }[]>`
      insert into public.permission_grants (membership_id, permission) values (${holderMembership.get(org.code)!}, 'view_reporter_identity')
      returning id::int as id, user_id as "userId", org_id as "orgId"`;
    grants.push({ ...g, what: `another user's grant in ${where(actorOrg, org)}` });
  }
  const [active] = await tx<{ id: number }[]>`
    select m.id::int as id from public.memberships m
      join auth.sessions s on s.user_id = m.user_id
      left join private.session_context sc on sc.session_id = s.id
     where s.id = ${actorSessionId}
     order by (m.id = sc.membership_id) desc nulls last, m.id limit 1`;
  // (The demo's directors of 黑龙江 and 哈尔滨 hold view_reporter_identity already.)
  for (const permission of ["view_reporter_identity", "view_lead_person"] as const) {
    const [ownGrant] = await tx<{ id: number; userId: string; orgId: number }[]>`
      insert into public.permission_grants (membership_id, permission) values (${active.id}, ${permission})
      on conflict (membership_id, permission) do update set permission = excluded.permission
      returning id::int as id, user_id as "userId", org_id as "orgId"`;
    grants.push({ ...ownGrant, what: `own ${permission} grant on the active membership in ${where(actorOrg, orgById.get(ownGrant.orgId) ?? actorOrg)}` });
  }
  const grantee = randomUUID();
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, created_at, updated_at)
    values ('00000000-0000-0000-0000-000000000000', ${grantee}, 'authenticated', 'authenticated',
            ${`grantee.${grantee}@fixture.invalid`}, now(), now())`;
  const granteeMembership = new Map<string, number>();
  for (const org of orgByCode.values()) {
    const [m] = await tx<{ id: number }[]>`
      insert into public.memberships (user_id, org_id, role) values (${grantee}, ${org.id}, 'office_staff') returning id::int as id`;
    granteeMembership.set(org.code, m.id);
  }
  return {
    holder, holderMembership, ownMemberships, audit, planning, cadres, engagements, findings, linkage, grants,
    grantee: { userId: grantee, memberships: granteeMembership }, activeMembershipId: active.id,
  };
}

// ---------------------------------------------------------------- cells

interface Outcome {
  allowed: boolean;
  /** Why RLS denied (42501, 0 rows). */
  note?: string;
  /** Anything but success / 42501 / 0 rows: the harness, not the policy, decided. */
  unexpected?: string;
}

interface CellSpec {
  subject: SubjectName;
  action: Action;
  fixture: string;
  target: AppSubject;
  record: Record<string, unknown>;
  /** Names a cell that the summary test asserts on by name. */
  tag?: string;
  rls: (tx: Tx) => Promise<Outcome>;
}

export interface CellResult {
  actor: string;
  role: Role;
  subject: SubjectName;
  action: Action;
  fixture: string;
  record: Record<string, unknown>;
  casl: boolean;
  rls: boolean;
  note?: string;
  unexpected?: string;
  tag?: string;
}

/** A workflow rule of the database (not a policy) that refuses the statement: SQLSTATE -> why. */
type Refusals = Record<string, string>;

/** read: the row is returned. create: the insert succeeds. update/delete: exactly one row affected. */
function judge(action: Action, r: ProbeResult<number>, refusals: Refusals = {}): Outcome {
  if (r.state === "42501") return { allowed: false, note: "42501" };
  if (r.state !== null && refusals[r.state]) return { allowed: false, note: `${r.state}, ${refusals[r.state]}` };
  // approve: the database refuses a step out of anything but "submitted" (the workflow, not a policy).
  if (action === "approve" && r.state === "23514") return { allowed: false, note: "23514, not a submitted round" };
  if (r.state !== null) return { allowed: false, unexpected: `SQLSTATE ${r.state}` };
  if (action === "create") return { allowed: true };
  if (r.value === 1) return { allowed: true };
  if (r.value === 0) return { allowed: false, note: "0 rows" };
  return { allowed: false, unexpected: `${r.value} rows` };
}

function cell(
  spec: Omit<CellSpec, "rls" | "target"> & {
    target: () => AppSubject;
    run: (sp: Tx) => Promise<{ count: number }>;
    refusals?: Refusals;
  },
): CellSpec {
  return {
    subject: spec.subject,
    action: spec.action,
    fixture: spec.fixture,
    record: spec.record,
    tag: spec.tag,
    target: spec.target(),
    rls: async (tx) => judge(spec.action, await probe(tx, async (sp) => (await spec.run(sp)).count), spec.refusals),
  };
}

let seq = 0;

function buildCells(actorId: string, actorOrg: FixtureOrg, fx: Fixtures): CellSpec[] {
  const cells: CellSpec[] = [];
  const fixtureOrgs = [...orgByCode.values()];

  // Org: the org rows themselves (the offices and the supervision partners beside them);
  // create = a new child office under the fixture office.
  for (const org of [...fixtureOrgs, ...partnerOrgs]) {
    const record = { id: org.id, provinceId: org.provinceId };
    const target = () => subject("Org", { ...record });
    const fixture = `org ${where(actorOrg, org)}`;
    cells.push(
      cell({ subject: "Org", action: "read", fixture, record, target, run: (sp) => sp`select 1 from public.orgs where id = ${org.id}` }),
      cell({ subject: "Org", action: "update", fixture, record, target, run: (sp) => sp`update public.orgs set name = name where id = ${org.id}` }),
      cell({ subject: "Org", action: "delete", fixture, record, target, run: (sp) => sp`delete from public.orgs where id = ${org.id}` }),
    );
    if (org.kind === "patrol_office" && org.level !== "county") {
      const id = newOrgIdBase + ++seq;
      const level = org.level === "province" ? "city" : "county";
      const code = `99${String(seq).padStart(4, "0")}`;
      const created = { id, provinceId: org.provinceId };
      cells.push(
        cell({
          subject: "Org",
          action: "create",
          fixture: `new ${level} office under ${where(actorOrg, org)}`,
          record: created,
          target: () => subject("Org", { ...created }),
          run: (sp) => sp`
            insert into public.orgs (id, parent_id, level, region_code, region_name, name)
            values (${id}, ${org.id}, ${level}, ${code}, '矩阵测试', '矩阵测试巡察办')`,
        }),
      );
    }
  }

  // Unit: an existing unit of every fixture org; create = a new unit in it.
  for (const org of fixtureOrgs) {
    const unit = unitByOrgCode.get(org.code)!;
    const record = { id: unit.id, orgId: unit.orgId, provinceId: unit.provinceId };
    const target = () => subject("Unit", { ...record });
    const fixture = `unit "${unit.name}" of ${where(actorOrg, org)}`;
    cells.push(
      cell({ subject: "Unit", action: "read", fixture, record, target, run: (sp) => sp`select 1 from public.units where id = ${unit.id}` }),
      cell({ subject: "Unit", action: "update", fixture, record, target, run: (sp) => sp`update public.units set name = name where id = ${unit.id}` }),
      cell({ subject: "Unit", action: "delete", fixture, record, target, run: (sp) => sp`delete from public.units where id = ${unit.id}` }),
    );
    const name = `矩阵测试单位${++seq}`;
    const created = { orgId: org.id, provinceId: org.provinceId };
    cells.push(
      cell({
        subject: "Unit",
        action: "create",
        fixture: `new unit in ${where(actorOrg, org)}`,
        record: created,
        target: () => subject("Unit", { ...created }),
        run: (sp) => sp`
          insert into public.units (org_id, name, category, head_level)
          values (${org.id}, ${name}, 'other', 'county_managed')`,
      }),
    );
  }

  // Membership: another user's membership in every fixture org, and the actor's own ones.
  const memberships = [
    ...fixtureOrgs.map((org) => ({
      id: fx.holderMembership.get(org.code)!,
      userId: fx.holder,
      orgId: org.id,
      what: `another user's membership in ${where(actorOrg, org)}`,
    })),
    ...fx.ownMemberships.map((m) => {
      const org = orgById.get(m.orgId);
      return { id: m.id, userId: actorId, orgId: m.orgId, what: `own ${m.role} membership in ${org ? where(actorOrg, org) : `org ${m.orgId}`}` };
    }),
  ];
  for (const m of memberships) {
    const record = { id: m.id, userId: m.userId, orgId: m.orgId };
    const target = () => subject("Membership", { ...record });
    cells.push(
      cell({ subject: "Membership", action: "read", fixture: m.what, record, target, run: (sp) => sp`select 1 from public.memberships where id = ${m.id}` }),
      cell({ subject: "Membership", action: "update", fixture: m.what, record, target, run: (sp) => sp`update public.memberships set role = role where id = ${m.id}` }),
      cell({ subject: "Membership", action: "delete", fixture: m.what, record, target, run: (sp) => sp`delete from public.memberships where id = ${m.id}` }),
    );
  }
  for (const org of fixtureOrgs) {
    const created = { userId: fx.holder, orgId: org.id };
    cells.push(
      cell({
        subject: "Membership",
        action: "create",
        fixture: `new office_staff membership for another user in ${where(actorOrg, org)}`,
        record: created,
        target: () => subject("Membership", { ...created }),
        run: (sp) => sp`insert into public.memberships (user_id, org_id, role) values (${fx.holder}, ${org.id}, 'office_staff')`,
      }),
    );
  }
  // Self-grant: the actor gives himself a business role he does not hold yet, in his active
  // org (a partner's staff: in the office his org is attached to, a partner org takes partner staff only).
  const grantOrg = actorOrg.kind === "supervision_partner" ? orgById.get(actorOrg.attachedOrgId!)! : actorOrg;
  const held = new Set(fx.ownMemberships.filter((m) => m.orgId === grantOrg.id).map((m) => m.role));
  const grant = (["office_staff", "leadership", "office_director"] as const).find((r) => !held.has(r))!;
  const selfGrant = { userId: actorId, orgId: grantOrg.id };
  cells.push(
    cell({
      subject: "Membership",
      action: "create",
      fixture: `new own ${grant} membership (self-grant) in ${where(actorOrg, grantOrg)}`,
      record: selfGrant,
      target: () => subject("Membership", { ...selfGrant }),
      run: (sp) => sp`insert into public.memberships (user_id, org_id, role) values (${actorId}, ${grantOrg.id}, ${grant})`,
    }),
  );

  // AuditLog: rows in every fixture org, the actor's own, a system row; create = the
  // actor's own row under each fixture org (only the active org may pass), and another
  // user's row under the active org.
  for (const a of fx.audit) {
    const record = { id: a.id, userId: a.userId, orgId: a.orgId };
    const target = () => subject("AuditLog", { ...record });
    cells.push(
      cell({ subject: "AuditLog", action: "read", fixture: a.what, record, target, run: (sp) => sp`select 1 from public.audit_log where id = ${a.id}` }),
      cell({ subject: "AuditLog", action: "update", fixture: a.what, record, target, run: (sp) => sp`update public.audit_log set success = success where id = ${a.id}` }),
      cell({ subject: "AuditLog", action: "delete", fixture: a.what, record, target, run: (sp) => sp`delete from public.audit_log where id = ${a.id}` }),
    );
  }
  const auditCreates = [
    ...[...fixtureOrgs, ...(actorOrg.kind === "patrol_office" ? [] : [actorOrg])].map((org) => ({
      userId: actorId, orgId: org.id, what: `own audit row under ${where(actorOrg, org)}`,
    })),
    { userId: fx.holder, orgId: actorOrg.id, what: `another user's audit row under ${where(actorOrg, actorOrg)}` },
  ];
  for (const a of auditCreates) {
    const created = { userId: a.userId, orgId: a.orgId };
    cells.push(
      cell({
        subject: "AuditLog",
        action: "create",
        fixture: a.what,
        record: created,
        target: () => subject("AuditLog", { ...created }),
        run: (sp) => sp`
          insert into public.audit_log (user_id, org_id, action, success, request_id)
          values (${a.userId}, ${a.orgId}, 'matrix.create', true, 'casl-rls-matrix')`,
      }),
    );
  }

  // Term: the (seeded or fixture) term of every fixture org; create = a new term in it.
  for (const org of fixtureOrgs) {
    const p = fx.planning.get(org.code)!;
    const record = { id: p.term.id, orgId: org.id };
    const target = () => subject("Term", { ...record });
    const fixture = `${p.term.seeded ? "seeded" : "fixture"} term "${p.term.name}" of ${where(actorOrg, org)}`;
    cells.push(
      cell({ subject: "Term", action: "read", fixture, record, target, run: (sp) => sp`select 1 from public.terms where id = ${p.term.id}` }),
      cell({ subject: "Term", action: "update", fixture, record, target, run: (sp) => sp`update public.terms set name = name where id = ${p.term.id}` }),
      cell({ subject: "Term", action: "delete", fixture, record, target, run: (sp) => sp`delete from public.terms where id = ${p.term.id}` }),
    );
    const name = `矩阵测试新届${++seq}`;
    const created = { orgId: org.id };
    cells.push(
      cell({
        subject: "Term",
        action: "create",
        fixture: `new term in ${where(actorOrg, org)}`,
        record: created,
        target: () => subject("Term", { ...created }),
        run: (sp) => sp`insert into public.terms (org_id, name, start_year, end_year) values (${org.id}, ${name}, 2022, 2026)`,
      }),
    );
  }

  // Round: every fixture round of every fixture org (read/update/delete, and the director's
  // approve); create = a valid new draft round in the org's own term, inside its years.
  for (const org of fixtureOrgs) {
    const p = fx.planning.get(org.code)!;
    for (const round of p.rounds) {
      const record = { id: round.id, orgId: org.id, status: round.status };
      const target = () => subject("Round", { ...record });
      const fixture = `${round.seeded ? "seeded" : "fixture"} ${round.status} round ${round.label} of ${where(actorOrg, org)}`;
      cells.push(
        cell({ subject: "Round", action: "read", fixture, record, target, run: (sp) => sp`select 1 from public.rounds where id = ${round.id}` }),
        cell({ subject: "Round", action: "update", fixture, record, target, run: (sp) => sp`update public.rounds set theme = theme where id = ${round.id}` }),
        cell({ subject: "Round", action: "delete", fixture, record, target, run: (sp) => sp`delete from public.rounds where id = ${round.id}` }),
        cell({
          subject: "Round",
          action: "approve",
          fixture,
          record,
          target,
          run: (sp) => sp`update public.rounds set status = 'approved' where id = ${round.id}`,
        }),
      );
    }
    const created = { orgId: org.id, status: "draft" };
    cells.push(
      cell({
        subject: "Round",
        action: "create",
        fixture: `new round in term "${p.term.name}" of ${where(actorOrg, org)}`,
        record: created,
        target: () => subject("Round", { ...created }),
        run: (sp) => sp`
          insert into public.rounds (org_id, term_id, year, number, kind, planned_start, planned_end)
          values (${org.id}, ${p.term.id}, ${p.term.startYear}, 99, 'regular', ${`${p.term.startYear}-03-01`}, ${`${p.term.startYear}-04-30`})`,
      }),
    );
  }

  // RoundStatusHistory: a history row (written by the database) in every fixture org;
  // create = a hand-written history row for the org's round.
  for (const org of fixtureOrgs) {
    const p = fx.planning.get(org.code)!;
    const record = { id: p.history.id, orgId: org.id };
    const target = () => subject("RoundStatusHistory", { ...record });
    const fixture = `history row ${p.history.label} of ${where(actorOrg, org)}`;
    cells.push(
      cell({ subject: "RoundStatusHistory", action: "read", fixture, record, target, run: (sp) => sp`select 1 from public.round_status_history where id = ${p.history.id}` }),
      cell({ subject: "RoundStatusHistory", action: "update", fixture, record, target, run: (sp) => sp`update public.round_status_history set changed_by = changed_by where id = ${p.history.id}` }),
      cell({ subject: "RoundStatusHistory", action: "delete", fixture, record, target, run: (sp) => sp`delete from public.round_status_history where id = ${p.history.id}` }),
    );
    const round = p.rounds[0];
    const created = { orgId: org.id };
    cells.push(
      cell({
        subject: "RoundStatusHistory",
        action: "create",
        fixture: `hand-written history row for round ${round.label} of ${where(actorOrg, org)}`,
        record: created,
        target: () => subject("RoundStatusHistory", { ...created }),
        run: (sp) => sp`
          insert into public.round_status_history (round_id, org_id, province_id, from_status, to_status, changed_by)
          values (${round.id}, ${org.id}, ${org.provinceId}, 'draft', 'submitted', ${actorId})`,
      }),
    );
  }

  // Cadre pools: the fixture cadre of every fixture org, its work-history row and its
  // recorded conflict; create = a new cadre in the org's pool, and a new history row and
  // conflict for the org's cadre with a unit of the org (valid rows: only the policy and
  // the early 42501 of the triggers can refuse them).
  for (const org of fixtureOrgs) {
    const c = fx.cadres.get(org.code)!;
    const record = { id: c.cadre.id, orgId: org.id };
    const target = () => subject("Cadre", { ...record });
    const fixture = `cadre ${c.cadre.name} in the pool of ${where(actorOrg, org)}`;
    cells.push(
      cell({ subject: "Cadre", action: "read", fixture, record, target, run: (sp) => sp`select 1 from public.cadres where id = ${c.cadre.id}` }),
      cell({ subject: "Cadre", action: "update", fixture, record, target, run: (sp) => sp`update public.cadres set name = name where id = ${c.cadre.id}` }),
      cell({ subject: "Cadre", action: "delete", fixture, record, target, run: (sp) => sp`delete from public.cadres where id = ${c.cadre.id}` }),
    );
    const name = `矩阵新干部${++seq}`;
    const created = { orgId: org.id };
    cells.push(
      cell({
        subject: "Cadre",
        action: "create",
        fixture: `new cadre in the pool of ${where(actorOrg, org)}`,
        record: created,
        target: () => subject("Cadre", { ...created }),
        run: (sp) => sp`
          insert into public.cadres (org_id, name, home_unit, specialties, pools)
          values (${org.id}, ${name}, '矩阵测试原单位', '{法律}', '{expert}')`,
      }),
    );
  }
  for (const org of fixtureOrgs) {
    const c = fx.cadres.get(org.code)!;
    const record = { id: c.history.id, orgId: org.id };
    const target = () => subject("CadreWorkHistory", { ...record });
    const fixture = `work history of cadre ${c.cadre.name} of ${where(actorOrg, org)}`;
    cells.push(
      cell({ subject: "CadreWorkHistory", action: "read", fixture, record, target, run: (sp) => sp`select 1 from public.cadre_work_history where id = ${c.history.id}` }),
      cell({ subject: "CadreWorkHistory", action: "update", fixture, record, target, run: (sp) => sp`update public.cadre_work_history set post = post where id = ${c.history.id}` }),
      cell({ subject: "CadreWorkHistory", action: "delete", fixture, record, target, run: (sp) => sp`delete from public.cadre_work_history where id = ${c.history.id}` }),
    );
    const created = { orgId: org.id };
    cells.push(
      cell({
        subject: "CadreWorkHistory",
        action: "create",
        fixture: `new work-history row (a unit of the same org) for cadre ${c.cadre.name} of ${where(actorOrg, org)}`,
        record: created,
        target: () => subject("CadreWorkHistory", { ...created }),
        run: (sp) => sp`
          insert into public.cadre_work_history (cadre_id, unit_id, unit_name, post, from_date, to_date)
          values (${c.cadre.id}, ${c.history.unitId}, '矩阵测试新单位', '科长', '2012-03-01', '2018-12-31')`,
      }),
    );
  }
  for (const org of fixtureOrgs) {
    const c = fx.cadres.get(org.code)!;
    const record = { id: c.conflict.id, orgId: org.id };
    const target = () => subject("CadreConflict", { ...record });
    const fixture = `recorded conflict of cadre ${c.cadre.name} of ${where(actorOrg, org)}`;
    cells.push(
      cell({ subject: "CadreConflict", action: "read", fixture, record, target, run: (sp) => sp`select 1 from public.cadre_conflicts where id = ${c.conflict.id}` }),
      cell({ subject: "CadreConflict", action: "update", fixture, record, target, run: (sp) => sp`update public.cadre_conflicts set note = note where id = ${c.conflict.id}` }),
      cell({ subject: "CadreConflict", action: "delete", fixture, record, target, run: (sp) => sp`delete from public.cadre_conflicts where id = ${c.conflict.id}` }),
    );
    const created = { orgId: org.id };
    cells.push(
      cell({
        subject: "CadreConflict",
        action: "create",
        fixture: `new conflict (a unit of the same org, reason other) for cadre ${c.cadre.name} of ${where(actorOrg, org)}`,
        record: created,
        target: () => subject("CadreConflict", { ...created }),
        run: (sp) => sp`
          insert into public.cadre_conflicts (cadre_id, unit_id, reason, note)
          values (${c.cadre.id}, ${c.conflict.unitId}, 'other', '矩阵测试')`,
      }),
    );
  }
  cells.push(...engagementCells(actorId, actorOrg, fx));
  cells.push(...findingsCells(actorId, actorOrg, fx));
  cells.push(...linkageCells(actorOrg, fx));
  return cells;
}

/**
 * Groups, members, draws, engagements, their conduct records (fieldwork, petitions,
 * attachments), term plans and explicit permission grants. Cells of the cross-level
 * engagements carry the engagement's key as their tag (提级, 提级未进驻, 交叉, 已办结, or
 * `<code>常规`), so the summary test can name them.
 */
function engagementCells(actorId: string, actorOrg: FixtureOrg, fx: Fixtures): CellSpec[] {
  const cells: CellSpec[] = [];
  const e = fx.engagements;
  const at = (id: number) => where(actorOrg, orgById.get(id)!);
  const groupById = new Map(e.groups.map((g) => [g.id, g]));
  const describeGroup = (groupId: number) => {
    const g = groupById.get(groupId)!;
    return `group "${g.key}" (set up by ${at(g.orgId)}, executed by ${at(g.executingOrgId)}, round ${g.roundStatus})`;
  };
  const describeEngagement = (x: EngagementFx) =>
    `${x.mode} engagement "${x.key}" (round ${x.roundStatus} of ${at(x.supervisingOrgId)}, executed by ${at(x.executingOrgId)}, ` +
    `unit of ${at(x.targetOrgId)}, ${x.stationedOn ? "stationed" : "not stationed"})`;
  const engagementRecord = (x: EngagementFx) => ({
    id: x.id,
    groupId: x.groupId,
    supervisingOrgId: x.supervisingOrgId,
    executingOrgId: x.executingOrgId,
    targetVisibleOrgId: x.targetVisibleOrgId,
    stationedOn: x.stationedOn,
  });

  // PatrolGroup: every fixture group (update and delete only where the database allows
  // them in principle: not in a closed round; delete only of a group no engagement uses).
  for (const g of e.groups) {
    const record = { id: g.id, orgId: g.orgId, executingOrgId: g.executingOrgId };
    const target = () => subject("PatrolGroup", { ...record });
    const fixture = describeGroup(g.id);
    cells.push(cell({ subject: "PatrolGroup", action: "read", fixture, record, target, tag: g.key, run: (sp) => sp`select 1 from public.patrol_groups where id = ${g.id}` }));
    if (g.roundStatus === "closed") continue;
    cells.push(cell({ subject: "PatrolGroup", action: "update", fixture, record, target, tag: g.key, run: (sp) => sp`update public.patrol_groups set name = name where id = ${g.id}` }));
    if (!g.engaged) {
      cells.push(cell({ subject: "PatrolGroup", action: "delete", fixture, record, target, tag: g.key, run: (sp) => sp`delete from public.patrol_groups where id = ${g.id}` }));
    }
  }
  const groupCreates = [
    ...[...orgByCode.values()].map((org) => ({ round: e.round.get(org.code)!, orgId: org.id, executing: org.id, what: `new group in the running round of ${at(org.id)}` })),
    {
      round: e.round.get(SCENARIO.city)!,
      orgId: orgByCode.get(SCENARIO.city)!.id,
      executing: orgByCode.get(SCENARIO.countyB)!.id,
      what: `new cross group executed by ${at(orgByCode.get(SCENARIO.countyB)!.id)} in the running round of ${at(orgByCode.get(SCENARIO.city)!.id)}`,
    },
  ];
  for (const c of groupCreates) {
    const record = { orgId: c.orgId, executingOrgId: c.executing };
    cells.push(
      cell({
        subject: "PatrolGroup",
        action: "create",
        fixture: c.what,
        record,
        target: () => subject("PatrolGroup", { ...record }),
        run: (sp) => sp`
          insert into public.patrol_groups (round_id, executing_org_id, number, name, station_start, station_end)
          values (${c.round}, ${c.executing}, 90, '矩阵新巡察组', ${e.window.start}, ${e.window.end})`,
      }),
    );
  }

  // GroupMember: every member row; create = a free cadre of the pool into the org's group,
  // and a free cadre of countyA's pool into the cross group (set up by the city).
  for (const m of e.members) {
    const record = { id: m.id, groupId: m.groupId, orgId: m.orgId, executingOrgId: m.executingOrgId };
    const target = () => subject("GroupMember", { ...record });
    const fixture = `member "${m.key}" of ${describeGroup(m.groupId)}`;
    const tag = groupById.get(m.groupId)!.key;
    cells.push(
      cell({ subject: "GroupMember", action: "read", fixture, record, target, tag, run: (sp) => sp`select 1 from public.group_members where id = ${m.id}` }),
      cell({ subject: "GroupMember", action: "update", fixture, record, target, tag, run: (sp) => sp`update public.group_members set role = role where id = ${m.id}` }),
      cell({ subject: "GroupMember", action: "delete", fixture, record, target, tag, run: (sp) => sp`delete from public.group_members where id = ${m.id}` }),
    );
  }
  const runningGroupOf = (code: string) => e.groups.find((g) => g.key === code)!;
  const crossGroup = e.groups.find((g) => g.key === "交叉")!;
  const memberCreates = [
    ...[...orgByCode.values()].map((org) => ({ group: runningGroupOf(org.code), cadre: e.spareCadre.get(org.code)! })),
    { group: crossGroup, cadre: e.spareCadre.get(SCENARIO.countyA)! },
  ];
  for (const c of memberCreates) {
    const record = { groupId: c.group.id, orgId: c.group.orgId, executingOrgId: c.group.executingOrgId };
    cells.push(
      cell({
        subject: "GroupMember",
        action: "create",
        fixture: `a free cadre of ${at(c.group.executingOrgId)}'s pool into ${describeGroup(c.group.id)}`,
        record,
        tag: c.group.key,
        target: () => subject("GroupMember", { ...record }),
        run: (sp) => sp`insert into public.group_members (group_id, cadre_id, role) values (${c.group.id}, ${c.cadre}, 'member')`,
      }),
    );
  }

  // MemberDraw: every recorded draw; create = a draw through public.draw_group_members.
  for (const d of e.draws) {
    const record = { id: d.id, groupId: d.groupId, orgId: d.orgId, executingOrgId: d.executingOrgId };
    const target = () => subject("MemberDraw", { ...record });
    const fixture = `draw for ${describeGroup(d.groupId)}`;
    cells.push(
      cell({ subject: "MemberDraw", action: "read", fixture, record, target, tag: d.key, run: (sp) => sp`select 1 from public.member_draws where id = ${d.id}` }),
      cell({ subject: "MemberDraw", action: "update", fixture, record, target, tag: d.key, run: (sp) => sp`update public.member_draws set requested = requested where id = ${d.id}` }),
      cell({ subject: "MemberDraw", action: "delete", fixture, record, target, tag: d.key, run: (sp) => sp`delete from public.member_draws where id = ${d.id}` }),
    );
    const created = { groupId: d.groupId, orgId: d.orgId, executingOrgId: d.executingOrgId };
    cells.push(
      cell({
        subject: "MemberDraw",
        action: "create",
        fixture: `a new draw (draw_group_members) for ${describeGroup(d.groupId)}`,
        record: created,
        tag: d.key,
        target: () => subject("MemberDraw", { ...created }),
        run: (sp) => sp`select * from public.draw_group_members(${d.groupId}, 2)`,
      }),
    );
  }

  // Engagement: every engagement (a stationed one stays on the record: the database
  // refuses its deletion with 23514, CASL does not offer it).
  for (const x of e.engagements) {
    const record = engagementRecord(x);
    const target = () => subject("Engagement", { ...record });
    const fixture = describeEngagement(x);
    cells.push(
      cell({ subject: "Engagement", action: "read", fixture, record, target, tag: x.key, run: (sp) => sp`select 1 from public.engagements where id = ${x.id}` }),
      cell({
        subject: "Engagement",
        action: "update",
        fixture,
        record,
        target,
        tag: x.key,
        run: (sp) => sp`update public.engagements set rectification_due = rectification_due where id = ${x.id}`,
      }),
      cell({
        subject: "Engagement",
        action: "delete",
        fixture,
        record,
        target,
        tag: x.key,
        refusals: { "23514": "a stationed engagement stays on the record" },
        run: (sp) => sp`delete from public.engagements where id = ${x.id}`,
      }),
    );
  }
  const city = orgByCode.get(SCENARIO.city)!;
  const cityGroup = runningGroupOf(SCENARIO.city);
  const engagementCreates = [
    ...[...orgByCode.values()].map((org) => ({
      mode: "regular",
      round: e.round.get(org.code)!,
      group: runningGroupOf(org.code),
      unit: unitIdsByOrgCode.get(org.code)![2],
      what: `new regular engagement of a unit of ${at(org.id)} in its running round`,
    })),
    {
      mode: "elevated",
      round: e.round.get(city.code)!,
      group: cityGroup,
      unit: unitIdsByOrgCode.get(SCENARIO.countyA)![2],
      what: `new elevated engagement by ${at(city.id)} of a unit of ${at(orgByCode.get(SCENARIO.countyA)!.id)}`,
    },
    {
      mode: "cross",
      round: e.round.get(city.code)!,
      group: crossGroup,
      unit: unitIdsByOrgCode.get(SCENARIO.countyB)![1],
      what: `new cross engagement (round of ${at(city.id)}, group of ${at(crossGroup.executingOrgId)}) of a unit of ${at(orgByCode.get(SCENARIO.countyB)!.id)}`,
    },
  ];
  for (const c of engagementCreates) {
    const record = { groupId: c.group.id, supervisingOrgId: c.group.orgId, executingOrgId: c.group.executingOrgId, targetVisibleOrgId: null, stationedOn: null };
    cells.push(
      cell({
        subject: "Engagement",
        action: "create",
        fixture: c.what,
        record,
        target: () => subject("Engagement", { ...record }),
        run: (sp) => sp`insert into public.engagements (round_id, group_id, unit_id, mode) values (${c.round}, ${c.group.id}, ${c.unit}, ${c.mode})`,
      }),
    );
  }

  // Conduct: the fieldwork record, petition and attachment of every engagement that has them;
  // create = a new one of each; and view_reporter_identity on every petition (the actor holds the grant).
  for (const c of e.conduct) {
    const x = c.engagement;
    const record = { groupId: x.groupId, executingOrgId: x.executingOrgId };
    const of = describeEngagement(x);
    const tag = x.key;
    const fw = { id: c.fieldworkId, ...record };
    const pe = { id: c.petitionId, ...record };
    // A conduct file: its conduct columns are set, its evidence columns empty.
    const fileRecord = { ...record, conductOrgId: x.executingOrgId, conductGroupId: x.groupId, evidenceOrgId: null, evidenceTargetOrgId: null, evidenceUnitId: null };
    const at_ = { id: c.attachmentId, ...fileRecord };
    cells.push(
      cell({ subject: "FieldworkRecord", action: "read", fixture: `fieldwork record of ${of}`, record: fw, tag, target: () => subject("FieldworkRecord", { ...fw }), run: (sp) => sp`select 1 from public.fieldwork_records where id = ${c.fieldworkId}` }),
      cell({ subject: "FieldworkRecord", action: "update", fixture: `fieldwork record of ${of}`, record: fw, tag, target: () => subject("FieldworkRecord", { ...fw }), run: (sp) => sp`update public.fieldwork_records set summary = summary where id = ${c.fieldworkId}` }),
      cell({ subject: "FieldworkRecord", action: "delete", fixture: `fieldwork record of ${of}`, record: fw, tag, target: () => subject("FieldworkRecord", { ...fw }), run: (sp) => sp`delete from public.fieldwork_records where id = ${c.fieldworkId}` }),
      cell({
        subject: "FieldworkRecord",
        action: "create",
        fixture: `new fieldwork record of ${of}`,
        record,
        tag,
        target: () => subject("FieldworkRecord", { ...record }),
        run: (sp) => sp`
          insert into public.fieldwork_records (engagement_id, kind, occurred_on, participants, summary)
          values (${x.id}, 'document_review', '2026-03-22', '组员', '调阅会议记录')`,
      }),
      cell({ subject: "Petition", action: "read", fixture: `petition of ${of}`, record: pe, tag, target: () => subject("Petition", { ...pe }), run: (sp) => sp`select 1 from public.petitions where id = ${c.petitionId}` }),
      cell({ subject: "Petition", action: "update", fixture: `petition of ${of}`, record: pe, tag, target: () => subject("Petition", { ...pe }), run: (sp) => sp`update public.petitions set content = content where id = ${c.petitionId}` }),
      cell({ subject: "Petition", action: "delete", fixture: `petition of ${of}`, record: pe, tag, target: () => subject("Petition", { ...pe }), run: (sp) => sp`delete from public.petitions where id = ${c.petitionId}` }),
      cell({
        subject: "Petition",
        action: "view_reporter_identity",
        fixture: `reporter identity of the petition of ${of}`,
        record: pe,
        tag,
        target: () => subject("Petition", { ...pe }),
        run: (sp) => sp`select * from public.reporter_identity(${c.petitionId}, 'casl-rls-matrix')`,
      }),
      cell({
        subject: "Petition",
        action: "create",
        fixture: `new petition of ${of}`,
        record,
        tag,
        target: () => subject("Petition", { ...record }),
        run: (sp) => sp`
          insert into public.petitions (engagement_id, channel, received_at, anonymous, content)
          values (${x.id}, 'phone', now(), true, '反映问题（矩阵测试）')`,
      }),
      cell({ subject: "Attachment", action: "read", fixture: `attachment of ${of}`, record: at_, tag, target: () => subject("Attachment", { ...at_ }), run: (sp) => sp`select 1 from public.attachments where id = ${c.attachmentId}` }),
      cell({ subject: "Attachment", action: "update", fixture: `attachment of ${of}`, record: at_, tag, target: () => subject("Attachment", { ...at_ }), run: (sp) => sp`update public.attachments set file_name = file_name where id = ${c.attachmentId}` }),
      cell({ subject: "Attachment", action: "delete", fixture: `attachment of ${of}`, record: at_, tag, target: () => subject("Attachment", { ...at_ }), run: (sp) => sp`delete from public.attachments where id = ${c.attachmentId}` }),
      cell({
        subject: "Attachment",
        action: "create",
        fixture: `new attachment to the petition of ${of}`,
        record: fileRecord,
        tag,
        target: () => subject("Attachment", { ...fileRecord }),
        run: (sp) => sp`
          insert into public.attachments (engagement_id, petition_id, file_name, content_type, size_bytes, sha256, content)
          select ${x.id}, ${c.petitionId}, '举报材料.txt', 'text/plain', octet_length(b), encode(sha256(b), 'hex'), b
            from (select convert_to('举报材料（矩阵测试）', 'UTF8') as b) s`,
      }),
    );
  }

  // TermObject: every fixture plan object; create = a regular object (a spare unit of the
  // org) in every org's fixture term, and an elevated one (a spare unit of countyA) in the city's.
  for (const t of e.termObjects) {
    const record = { id: t.id, orgId: t.orgId };
    const target = () => subject("TermObject", { ...record });
    const fixture = `${t.kind} plan object "${t.key}" of ${at(t.orgId)}`;
    cells.push(
      cell({ subject: "TermObject", action: "read", fixture, record, target, run: (sp) => sp`select 1 from public.term_objects where id = ${t.id}` }),
      cell({ subject: "TermObject", action: "update", fixture, record, target, run: (sp) => sp`update public.term_objects set planned_year = planned_year where id = ${t.id}` }),
      cell({ subject: "TermObject", action: "delete", fixture, record, target, run: (sp) => sp`delete from public.term_objects where id = ${t.id}` }),
    );
  }
  const objectCreates = [
    ...[...orgByCode.values()].map((org) => ({ orgId: org.id, term: e.term.get(org.code)!, unit: unitIdsByOrgCode.get(org.code)![2], kind: "regular" })),
    { orgId: city.id, term: e.term.get(city.code)!, unit: unitIdsByOrgCode.get(SCENARIO.countyA)![2], kind: "elevated" },
  ];
  for (const c of objectCreates) {
    const record = { orgId: c.orgId };
    cells.push(
      cell({
        subject: "TermObject",
        action: "create",
        fixture: `new ${c.kind} plan object in the term of ${at(c.orgId)}`,
        record,
        target: () => subject("TermObject", { ...record }),
        run: (sp) => sp`insert into public.term_objects (term_id, unit_id, kind, planned_year) values (${c.term}, ${c.unit}, ${c.kind}, 2026)`,
      }),
    );
  }

  // PermissionGrant: another user's grant in every org and the actor's own; create = a grant
  // for another user's membership in every org, and a self-grant on another own membership.
  for (const g of fx.grants) {
    const record = { id: g.id, userId: g.userId, orgId: g.orgId };
    const target = () => subject("PermissionGrant", { ...record });
    cells.push(
      cell({ subject: "PermissionGrant", action: "read", fixture: g.what, record, target, run: (sp) => sp`select 1 from public.permission_grants where id = ${g.id}` }),
      cell({ subject: "PermissionGrant", action: "update", fixture: g.what, record, target, run: (sp) => sp`update public.permission_grants set permission = permission where id = ${g.id}` }),
      cell({ subject: "PermissionGrant", action: "delete", fixture: g.what, record, target, run: (sp) => sp`delete from public.permission_grants where id = ${g.id}` }),
    );
  }
  for (const org of orgByCode.values()) {
    const record = { userId: fx.grantee.userId, orgId: org.id };
    const membership = fx.grantee.memberships.get(org.code)!;
    cells.push(
      cell({
        subject: "PermissionGrant",
        action: "create",
        fixture: `new grant for another user's membership in ${at(org.id)}`,
        record,
        target: () => subject("PermissionGrant", { ...record }),
        run: (sp) => sp`insert into public.permission_grants (membership_id, permission) values (${membership}, 'view_reporter_identity')`,
      }),
    );
  }
  const other = fx.ownMemberships.find((m) => m.id !== fx.activeMembershipId);
  const selfTarget = other ?? fx.ownMemberships.find((m) => m.id === fx.activeMembershipId)!;
  const selfRecord = { userId: actorId, orgId: selfTarget.orgId };
  cells.push(
    cell({
      subject: "PermissionGrant",
      action: "create",
      fixture: `new own grant (self-grant) on the ${selfTarget.role} membership in ${orgById.get(selfTarget.orgId) ? at(selfTarget.orgId) : selfTarget.orgId}`,
      record: selfRecord,
      target: () => subject("PermissionGrant", { ...selfRecord }),
      run: (sp) => sp`insert into public.permission_grants (membership_id, permission) values (${selfTarget.id}, 'view_reporter_identity')`,
    }),
  );
  return cells;
}

/** Tag suffixes of the files that are not an engagement's fieldwork or petition files. */
const EVIDENCE = "整改佐证";
const PAPER_FILE = "底稿附件";

/**
 * The second half of the patrols (issue 4): working papers and their reviews, problems,
 * feedback, reports, ledger items and their events, progress updates, evidence and paper
 * files, notifications, publications, templates and indicators, evaluations and scores,
 * the category dictionary, and leads (through their functions only). Cells carry the
 * engagement's key as their tag.
 */
function findingsCells(actorId: string, actorOrg: FixtureOrg, fx: Fixtures): CellSpec[] {
  const cells: CellSpec[] = [];
  const f = fx.findings;
  const e = fx.engagements;
  const at = (id: number) => where(actorOrg, orgById.get(id)!);
  const target = (name: SubjectName, record: Record<string, unknown>) => () => subject(name, { ...record }) as unknown as AppSubject;
  const engagementByKey = new Map(e.engagements.map((x) => [x.key, x]));
  const engagementText = (x: EngagementFx) =>
    `${x.mode} engagement "${x.key}" (round ${x.roundStatus} of ${at(x.supervisingOrgId)}, executed by ${at(x.executingOrgId)}, unit of ${at(x.targetOrgId)})`;
  const of = (r: RowFx) => (r.engagementKey ? `${r.what} of ${engagementText(engagementByKey.get(r.engagementKey)!)}` : r.what);
  const inOrg = (r: RowFx) => `${r.what} (${r.record.orgId == null ? "no org" : at(r.record.orgId as number)})`;
  const without = (record: Record<string, unknown>, ...keys: string[]) =>
    Object.fromEntries(Object.entries(record).filter(([k]) => k !== "id" && !keys.includes(k)));
  const feedbackOf = (key: string) => f.feedbacks.find((x) => x.engagementKey === key);

  /** read, and (unless skipped) update (`set`) and delete, of every row of a list. */
  const rows = (
    name: SubjectName,
    table: string,
    list: RowFx[],
    o: { set: string; refusals?: Refusals; fixture?: (r: RowFx) => string; readOnly?: (r: RowFx) => boolean; tag?: (r: RowFx) => string },
  ) => {
    for (const r of list) {
      const tag = o.tag ? o.tag(r) : r.engagementKey;
      const common = { subject: name, fixture: (o.fixture ?? of)(r), record: r.record, target: target(name, r.record), tag };
      cells.push(cell({ ...common, action: "read", run: (sp) => sp.unsafe(`select 1 from ${table} where id = $1`, [r.id]) }));
      if (o.readOnly?.(r)) continue;
      cells.push(
        cell({ ...common, action: "update", refusals: o.refusals, run: (sp) => sp.unsafe(`update ${table} set ${o.set} where id = $1`, [r.id]) }),
        cell({ ...common, action: "delete", run: (sp) => sp.unsafe(`delete from ${table} where id = $1`, [r.id]) }),
      );
    }
  };
  const create = (name: SubjectName, fixture: string, record: Record<string, unknown>, run: (sp: Tx) => Promise<{ count: number }>, tag?: string) =>
    cells.push(cell({ subject: name, action: "create", fixture, record, target: target(name, record), tag, run }));
  const workflow = (
    name: SubjectName,
    action: Action,
    fixture: string,
    record: Record<string, unknown>,
    run: (sp: Tx) => Promise<{ count: number }>,
    o: { tag?: string; refusals?: Refusals } = {},
  ) => cells.push(cell({ subject: name, action, fixture, record, target: target(name, record), run, ...o }));
  const fullEngagements = f.fullKeys.map((k) => engagementByKey.get(k)!);

  // ProblemCategory: the common taxonomy's and every office's; create = one in every org, and one in the common taxonomy.
  rows("ProblemCategory", "public.problem_categories", f.categories, { set: "name = name", fixture: inOrg });
  for (const org of orgByCode.values()) {
    const code = `matrix_new_${++seq}`;
    create("ProblemCategory", `new category of ${at(org.id)}`, { orgId: org.id }, (sp) =>
      sp`insert into public.problem_categories (org_id, code, name) values (${org.id}, ${code}, '矩阵新类别')`);
  }
  const commonCode = `matrix_common_${++seq}`;
  create("ProblemCategory", "new category of the common taxonomy", { orgId: null }, (sp) =>
    sp`insert into public.problem_categories (org_id, code, name) values (null, ${commonCode}, '矩阵新通用类别')`);

  // WorkingPaper: drafting, under review, approved; update = a real change of its content
  // (refused once under review); review = submit a draft (any member of the group; the
  // later steps' roles are the function's own rule); create = a new draft in every engagement.
  rows("WorkingPaper", "public.working_papers", f.papers, {
    set: "title = title || '（修改）'",
    refusals: { "23514": "a paper under review is not changed" },
  });
  for (const p of f.papers.filter((x) => x.record.status === "drafting")) {
    workflow("WorkingPaper", "review", `submit the ${of(p)}`, p.record, (sp) => sp`select public.advance_working_paper(${p.id}, 'submit', null)`, { tag: p.engagementKey });
  }
  for (const x of fullEngagements) {
    const record = { groupId: x.groupId, executingOrgId: x.executingOrgId, status: "drafting" };
    create("WorkingPaper", `new paper of ${engagementText(x)}`, record, (sp) => sp`
      insert into public.working_papers (engagement_id, title, facts, category_id)
      values (${x.id}, '矩阵新底稿', '经查，该单位存在问题（矩阵测试）', ${f.commonCategoryId})`, x.key);
    const draft = f.papers.find((p) => p.engagementKey === x.key && p.record.status === "drafting")!;
    create("WorkingPaperReview", `hand-written review of the draft paper of ${engagementText(x)}`, { groupId: x.groupId, executingOrgId: x.executingOrgId }, (sp) => sp`
      insert into public.working_paper_reviews (paper_id, executing_org_id, group_id, province_id, step, action)
      values (${draft.id}, ${x.executingOrgId}, ${x.groupId}, 0, 'drafting', 'submit')`, x.key);
    create("Problem", `hand-written problem of ${engagementText(x)}`, { groupId: x.groupId, executingOrgId: x.executingOrgId, supervisingOrgId: x.supervisingOrgId, fedBackUnitId: null, fedBackTargetOrgId: null }, (sp) => sp`
      insert into public.problems (engagement_id) values (${x.id})`, x.key);
  }
  rows("WorkingPaperReview", "public.working_paper_reviews", f.reviews, { set: "comment = comment" });
  rows("Problem", "public.problems", f.problems, { set: "title = title" });

  // Feedback: given through give_feedback only (on an engagement reported and not fed back).
  rows("Feedback", "public.feedbacks", f.feedbacks, { set: "attendees = attendees" });
  for (const fb of f.feedbacks) {
    create("Feedback", `hand-written second feedback of ${engagementText(engagementByKey.get(fb.engagementKey!)!)}`, without(fb.record), (sp) => sp`
      insert into public.feedbacks (engagement_id) values (${engagementByKey.get(fb.engagementKey!)!.id})`, fb.engagementKey);
  }
  for (const x of e.engagements.filter((y) => y.key.endsWith("已报告"))) {
    const problem = f.problems.find((p) => p.engagementKey === x.key)!;
    const record = { id: x.id, groupId: x.groupId, supervisingOrgId: x.supervisingOrgId, executingOrgId: x.executingOrgId, targetVisibleOrgId: x.targetVisibleOrgId, stationedOn: x.stationedOn };
    const feedbackOn = new Date(Date.parse(`${e.window.start}T00:00:00Z`) + 45 * 86_400_000).toISOString().slice(0, 10);
    workflow("Engagement", "give_feedback", `give feedback on ${engagementText(x)} (reported, an approved problem)`, record, (sp) => sp`
      select public.give_feedback(${x.id}, ${feedbackOn}, 'centralized', '巡察组全体成员', null, '被巡察单位党组织', null, ${[problem.id]}::bigint[])`, { tag: x.key });
  }

  // RectificationReport: update = the review (a report is reviewed once, while submitted);
  // create = the next report where one may be submitted.
  rows("RectificationReport", "public.rectification_reports", f.reports, {
    set: "status = 'accepted'",
    refusals: { "23514": "only a submitted report is reviewed, once" },
  });
  for (const [key, kind] of f.nextReport) {
    if (!kind) continue;
    const fb = feedbackOf(key)!;
    create("RectificationReport", `new ${kind} report of ${engagementText(engagementByKey.get(key)!)}`, without(fb.record), (sp) => sp`
      insert into public.rectification_reports (engagement_id, kind, title, content)
      values (${engagementByKey.get(key)!.id}, ${kind}, '整改报告（矩阵测试）', '整改情况（矩阵测试）')`, key);
  }

  // RectificationItem: update = a real change of its measures (the unit cannot change a
  // closed item's); confirm (the unit's head) and the office's review (verify a confirmed
  // item, reopen a closed one; an open item has none); create = an item of every fed-back problem.
  rows("RectificationItem", "public.rectification_items", f.items, {
    set: "measures = measures || '（补充）'",
    refusals: { "23514": "a closed item is reopened by the office first" },
  });
  for (const it of f.items) {
    const fixture = of(it);
    workflow("RectificationItem", "confirm", `confirm the ${fixture}`, it.record, (sp) => sp`select public.review_rectification_item(${it.id}, 'confirm')`, {
      tag: it.engagementKey,
      refusals: { "23514": "only an open item with progress is confirmed" },
    });
    const step = it.record.status === "closed" ? "reopen" : "verify";
    workflow("RectificationItem", "verify", `${step} the ${fixture}`, it.record, (sp) => sp`select public.review_rectification_item(${it.id}, ${step}, '回头看发现问题反弹（矩阵测试）')`, {
      tag: it.engagementKey,
      refusals: { "23514": "the office verifies a confirmed item, reopens a closed one" },
    });
  }
  for (const q of f.problems.filter((p) => p.record.fedBackUnitId != null)) {
    const fb = feedbackOf(q.engagementKey!)!;
    create("RectificationItem", `new item of the ${of(q)}`, without(fb.record), (sp) => sp`
      insert into public.rectification_items (problem_id, measures, responsible_leader, responsible_department, responsible_person, kind)
      values (${q.id}, '长期坚持（矩阵测试）', '单位负责人', '办公室', '经办人', 'long_term')`, q.engagementKey);
  }
  rows("RectificationItemEvent", "public.rectification_item_events", f.events, { set: "reason = reason" });
  for (const fb of f.feedbacks) {
    const it = f.items.find((x) => x.engagementKey === fb.engagementKey)!;
    create("RectificationItemEvent", `hand-written event of the ${of(it)}`, without(it.record, "status"), (sp) => sp`
      insert into public.rectification_item_events (item_id, action) values (${it.id}, 'confirm')`, fb.engagementKey);
  }
  rows("RectificationUpdate", "public.rectification_updates", f.updates, { set: "progress = progress" });
  for (const it of f.items) {
    create("RectificationUpdate", `new progress update of the ${of(it)}`, without(it.record, "status"), (sp) => sp`
      insert into public.rectification_updates (item_id, reported_on, progress) values (${it.id}, current_date, '按计划推进（矩阵测试）')`, it.engagementKey);
  }

  // Attachment: evidence files and the files of draft papers; create = evidence for every
  // progress update, a file for every draft paper. Tagged "<key> 整改佐证" and "<key> 底稿附件",
  // apart from the engagement's conduct files (tagged with the key alone).
  rows("Attachment", "public.attachments", f.evidence, { set: "file_name = file_name", tag: (r) => `${r.engagementKey} ${EVIDENCE}` });
  rows("Attachment", "public.attachments", f.paperFiles, { set: "file_name = file_name", tag: (r) => `${r.engagementKey} ${PAPER_FILE}` });
  for (const u of f.updates) {
    const r = u.record;
    const record = { groupId: r.groupId, executingOrgId: r.executingOrgId, conductOrgId: null, conductGroupId: null, evidenceOrgId: r.supervisingOrgId, evidenceTargetOrgId: r.targetVisibleOrgId, evidenceUnitId: r.unitId };
    create("Attachment", `new evidence file for the ${of(u)}`, record, (sp) => sp`
      insert into public.attachments (engagement_id, rectification_update_id, file_name, content_type, size_bytes, sha256, content)
      select ${engagementByKey.get(u.engagementKey!)!.id}, ${u.id}, '佐证.txt', 'text/plain', octet_length(b), encode(sha256(b), 'hex'), b
        from (select convert_to('佐证材料（矩阵测试）', 'UTF8') as b) s`, `${u.engagementKey} ${EVIDENCE}`);
  }
  for (const p of f.papers.filter((x) => x.record.status === "drafting")) {
    const r = p.record;
    const record = { groupId: r.groupId, executingOrgId: r.executingOrgId, conductOrgId: r.executingOrgId, conductGroupId: r.groupId, evidenceOrgId: null, evidenceTargetOrgId: null, evidenceUnitId: null };
    create("Attachment", `new file for the ${of(p)}`, record, (sp) => sp`
      insert into public.attachments (engagement_id, working_paper_id, file_name, content_type, size_bytes, sha256, content)
      select ${engagementByKey.get(p.engagementKey!)!.id}, ${p.id}, '底稿材料.txt', 'text/plain', octet_length(b), encode(sha256(b), 'hex'), b
        from (select convert_to('底稿材料（矩阵测试）', 'UTF8') as b) s`, `${p.engagementKey} ${PAPER_FILE}`);
  }

  // Notification: every demo account's and another user's; written by the database only.
  rows("Notification", "public.notifications", f.notifications, {
    set: "read_at = now()",
    fixture: (r) => `${r.record.userId === actorId ? "own" : "another user's"} notification`,
  });
  for (const userId of [actorId, fx.holder]) {
    create("Notification", `hand-written notification for ${userId === actorId ? "himself" : "another user"}`, { userId }, (sp) => sp`
      insert into public.notifications (user_id, kind, title) values (${userId}, 'matrix_probe', '矩阵测试')`);
  }

  // RectificationDisclosure: update = withdraw; create = a new publication of every fed-back engagement.
  rows("RectificationDisclosure", "public.rectification_disclosures", f.disclosures, { set: "withdrawn_at = now()" });
  for (const fb of f.feedbacks) {
    const x = engagementByKey.get(fb.engagementKey!)!;
    const slug = randomUUID().replaceAll("-", "");
    create("RectificationDisclosure", `new publication of ${engagementText(x)}`, { supervisingOrgId: x.supervisingOrgId }, (sp) => sp`
      insert into public.rectification_disclosures (engagement_id, slug, title, summary)
      values (${x.id}, ${slug}, '整改情况公示', '整改工作取得阶段性成效（矩阵测试）')`, x.key);
  }

  // Templates and indicators: an indicator of a template in use is frozen (probed read only).
  rows("EvaluationTemplate", "public.evaluation_templates", f.templates, { set: "name = name", fixture: inOrg });
  rows("EvaluationIndicator", "public.evaluation_indicators", f.indicators, {
    set: "name = name",
    fixture: inOrg,
    readOnly: (r) => r.what.includes("template in use"),
  });
  for (const org of orgByCode.values()) {
    const name = `矩阵新模板${++seq}-${randomUUID().slice(0, 8)}`;
    create("EvaluationTemplate", `new template of ${at(org.id)}`, { orgId: org.id }, (sp) =>
      sp`insert into public.evaluation_templates (org_id, name) values (${org.id}, ${name})`);
    const spare = f.spareTemplate.get(org.code)!;
    create("EvaluationIndicator", `new indicator of the spare template of ${at(org.id)}`, { orgId: org.id }, (sp) =>
      sp`insert into public.evaluation_indicators (template_id, area, name, points) values (${spare}, '整改成效', '矩阵新指标', 10)`);
  }

  // Evaluations and scores: create = another evaluation of every evaluated engagement, a score of the unscored indicator.
  rows("RectificationEvaluation", "public.rectification_evaluations", f.evaluations, { set: "conclusion = conclusion" });
  for (const v of f.evaluations) {
    const x = engagementByKey.get(v.engagementKey!)!;
    const template = f.templates.find((t) => t.record.orgId === x.supervisingOrgId && t.what.startsWith("template in use"))!;
    create("RectificationEvaluation", `new evaluation of ${engagementText(x)}`, { supervisingOrgId: x.supervisingOrgId }, (sp) => sp`
      insert into public.rectification_evaluations (engagement_id, template_id, evaluated_on) values (${x.id}, ${template.id}, current_date - 1)`, x.key);
    const indicator = f.unscored.get(v.id)!;
    create("EvaluationScore", `new score of the evaluation of ${engagementText(x)}`, { supervisingOrgId: x.supervisingOrgId }, (sp) => sp`
      insert into public.evaluation_scores (evaluation_id, indicator_id, deduction) values (${v.id}, ${indicator}, 2)`, x.key);
  }
  for (const sc of f.scores) {
    const { evaluationId, indicatorId } = sc.record as { evaluationId: number; indicatorId: number };
    const common = { subject: "EvaluationScore" as const, fixture: of(sc), record: sc.record, target: target("EvaluationScore", sc.record), tag: sc.engagementKey };
    cells.push(
      cell({ ...common, action: "read", run: (sp) => sp`select 1 from public.evaluation_scores where evaluation_id = ${evaluationId} and indicator_id = ${indicatorId}` }),
      cell({ ...common, action: "update", run: (sp) => sp`update public.evaluation_scores set note = note where evaluation_id = ${evaluationId} and indicator_id = ${indicatorId}` }),
      cell({ ...common, action: "delete", run: (sp) => sp`delete from public.evaluation_scores where evaluation_id = ${evaluationId} and indicator_id = ${indicatorId}` }),
    );
  }

  // Leads: no table privilege; read (get_lead), the person concerned (get_lead with the
  // person), handling (the receiving partner), transfer (where the office has a partner),
  // and register (from a problem of every engagement with findings).
  for (const l of f.leads) {
    const fixture = of(l);
    const tag = l.engagementKey;
    workflow("Lead", "read", fixture, l.record, (sp) => sp`select 1 from public.get_lead(${l.id}, 'casl-rls-matrix')`, { tag });
    workflow("Lead", "view_lead_person", `the person concerned of the ${fixture}`, l.record, (sp) => sp`
      select 1 from public.get_lead(${l.id}, 'casl-rls-matrix', true) where person_visible and person_name is not null`, { tag });
    workflow("Lead", "handle", `record the handling of the ${fixture}`, l.record, (sp) => sp`
      select public.record_lead_handling(${l.id}, 'case_opened', current_date, '已立案审查（矩阵测试）', 1, 0)`, { tag });
    const x = engagementByKey.get(l.engagementKey!)!;
    const partner = f.partners.find((p) => p.attachedOrgId === x.executingOrgId) ?? f.partners.find((p) => p.attachedOrgId === x.supervisingOrgId);
    if (partner) {
      workflow("Lead", "transfer", `transfer the ${fixture} to ${partner.name}`, l.record, (sp) => sp`
        select public.transfer_lead(${l.id}, ${partner.id}, current_date, '矩阵移字〔2026〕1号')`, {
        tag,
        refusals: { "23514": "a lead is transferred once" },
      });
    }
  }
  for (const x of fullEngagements) {
    const problem = f.problems.find((p) => p.engagementKey === x.key && p.record.fedBackUnitId == null)!;
    const record = { groupId: x.groupId, executingOrgId: x.executingOrgId, receivingOrgId: null, transferredOn: null };
    workflow("Lead", "register", `register a lead from the ${of(problem)}`, record, (sp) => sp`
      select public.register_lead(${x.id}, '反映有关问题（矩阵测试）', '某某', '科长', null, ${problem.id})`, { tag: x.key });
  }
  return cells;
}

/**
 * Across levels (issue 5): linkage campaigns, their participants and attached work, thematic
 * reports sent down and their recipients, result grants and 巡前通报. Cells carry the
 * campaign's or report's key (省联动甲, 市下发 …), or the granting office's ("230100共享",
 * "230102通报"), as their tag.
 */
function linkageCells(actorOrg: FixtureOrg, fx: Fixtures): CellSpec[] {
  const cells: CellSpec[] = [];
  const l = fx.linkage;
  const at = (id: number) => where(actorOrg, orgById.get(id)!);
  const add = (
    name: SubjectName,
    action: Action,
    fixture: string,
    record: Record<string, unknown>,
    tag: string,
    run: (sp: Tx) => Promise<{ count: number }>,
    refusals?: Refusals,
  ) => cells.push(cell({ subject: name, action, fixture, record, tag, refusals, run, target: () => subject(name, { ...record }) as unknown as AppSubject }));
  const fixtureOrgs = [...orgByCode.values()];
  /** The fixture offices below an office. */
  const below = (orgId: number) => fixtureOrgs.filter((o) => o.ancestors.has(orgId));
  const pendingEngagement = (orgId: number) => {
    const key = `${orgById.get(orgId)!.code}常规未进驻`;
    const x = fx.engagements.engagements.find((y) => y.key === key);
    if (!x || x.supervisingOrgId !== orgId) throw new Error(`no pending engagement ${key} of org ${orgId}`);
    return x;
  };
  const campaignText = (c: CampaignFx) => `${c.status} campaign ${c.key} (launched by ${at(c.launcherOrgId)})`;
  const campaignByKey = new Map(l.campaigns.map((c) => [c.key, c]));

  // Campaign: update = a granted column; no delete privilege. create = a campaign of every
  // office (a county office launches none: the database refuses it, 23514).
  for (const c of l.campaigns) {
    const fixture = campaignText(c);
    add("Campaign", "read", fixture, c.record, c.key, (sp) => sp`select 1 from public.campaigns where id = ${c.id}`);
    add("Campaign", "update", fixture, c.record, c.key, (sp) => sp`update public.campaigns set guidance = guidance where id = ${c.id}`);
    add("Campaign", "delete", fixture, c.record, c.key, (sp) => sp`delete from public.campaigns where id = ${c.id}`);
  }
  for (const org of fixtureOrgs) {
    add("Campaign", "create", `new campaign of ${at(org.id)}`, { orgId: org.id, orgLevel: org.level }, "新联动", (sp) => sp`
      insert into public.campaigns (org_id, title, system_name, starts_on, ends_on, guidance)
      values (${org.id}, '矩阵新联动', '营商环境', current_date, current_date + 90, '工作指引（矩阵测试）')`,
    { "23514": "a campaign is launched by a province or city office" });
  }

  // CampaignParticipant: no update privilege; a participant with attached work is not removed
  // (23514). create = every office below the launcher not taking part yet, in an active campaign.
  for (const p of l.participants) {
    const c = campaignByKey.get(p.campaignKey)!;
    const fixture = `participant ${at(p.orgId)}${p.linked ? " (with attached work)" : ""} of ${campaignText(c)}`;
    add("CampaignParticipant", "read", fixture, p.record, c.key, (sp) => sp`
      select 1 from public.campaign_participants where campaign_id = ${c.id} and org_id = ${p.orgId}`);
    add("CampaignParticipant", "update", fixture, p.record, c.key, (sp) => sp`
      update public.campaign_participants set org_id = org_id where campaign_id = ${c.id} and org_id = ${p.orgId}`);
    add("CampaignParticipant", "delete", fixture, p.record, c.key, (sp) => sp`
      delete from public.campaign_participants where campaign_id = ${c.id} and org_id = ${p.orgId}`,
    { "23514": "a participant with attached work stays" });
  }
  for (const c of l.campaigns.filter((x) => x.status === "active")) {
    for (const org of below(c.launcherOrgId).filter((o) => !c.participantOrgIds.includes(o.id))) {
      const record = { launcherOrgId: c.launcherOrgId, orgId: org.id };
      add("CampaignParticipant", "create", `new participant ${at(org.id)} of ${campaignText(c)}`, record, c.key, (sp) => sp`
        insert into public.campaign_participants (campaign_id, org_id) values (${c.id}, ${org.id})`);
    }
  }

  // CampaignLink: no update privilege (a link is removed and added). create = the launcher's
  // and every participant's pending engagement (a closed campaign takes no more: 23514; an
  // office neither launcher nor participant attaches nothing either, 23514, and is not probed).
  for (const k of l.links) {
    const c = campaignByKey.get(k.key)!;
    const fixture = `link of ${at(k.record.orgId as number)}: its ${k.what}, in ${campaignText(c)}`;
    add("CampaignLink", "read", fixture, k.record, c.key, (sp) => sp`select 1 from public.campaign_links where id = ${k.id}`);
    add("CampaignLink", "update", fixture, k.record, c.key, (sp) => sp`update public.campaign_links set round_id = round_id where id = ${k.id}`);
    add("CampaignLink", "delete", fixture, k.record, c.key, (sp) => sp`delete from public.campaign_links where id = ${k.id}`);
  }
  for (const c of l.campaigns) {
    for (const orgId of [c.launcherOrgId, ...c.participantOrgIds]) {
      const x = pendingEngagement(orgId);
      const record = { launcherOrgId: c.launcherOrgId, orgId, campaignStatus: c.status };
      add("CampaignLink", "create", `new link of ${at(orgId)}: its pending engagement, in ${campaignText(c)}`, record, c.key, (sp) => sp`
        insert into public.campaign_links (campaign_id, engagement_id) values (${c.id}, ${x.id})`,
      { "23514": "a closed campaign takes no more work" });
    }
  }

  // ThematicDispatch: sent as it is (no update or delete privilege); create = a report of every office.
  for (const d of l.dispatches) {
    const fixture = `report ${d.key} sent down by ${at(d.senderOrgId)} to ${d.recipientOrgIds.map((id) => orgById.get(id)!.code).join(", ")}`;
    add("ThematicDispatch", "read", fixture, d.record, d.key, (sp) => sp`select 1 from public.thematic_dispatches where id = ${d.id}`);
    add("ThematicDispatch", "update", fixture, d.record, d.key, (sp) => sp`update public.thematic_dispatches set title = title where id = ${d.id}`);
    add("ThematicDispatch", "delete", fixture, d.record, d.key, (sp) => sp`delete from public.thematic_dispatches where id = ${d.id}`);
  }
  for (const org of fixtureOrgs) {
    add("ThematicDispatch", "create", `new report sent down by ${at(org.id)}`, { orgId: org.id }, "新下发", (sp) => sp`
      insert into public.thematic_dispatches (org_id, title, document, problem_count)
      values (${org.id}, '专题报告（矩阵测试）', convert_to('专题报告（矩阵测试）', 'UTF8'), 1)`);
  }

  // ThematicDispatchRecipient: no update or delete privilege; create = every office below the
  // sender not a recipient yet.
  for (const r of l.recipients) {
    const d = l.dispatches.find((x) => x.id === r.id)!;
    const fixture = `recipient ${at(r.orgId)} of report ${d.key} sent down by ${at(d.senderOrgId)}`;
    add("ThematicDispatchRecipient", "read", fixture, r.record, d.key, (sp) => sp`
      select 1 from public.thematic_dispatch_recipients where dispatch_id = ${d.id} and org_id = ${r.orgId}`);
    add("ThematicDispatchRecipient", "update", fixture, r.record, d.key, (sp) => sp`
      update public.thematic_dispatch_recipients set org_id = org_id where dispatch_id = ${d.id} and org_id = ${r.orgId}`);
    add("ThematicDispatchRecipient", "delete", fixture, r.record, d.key, (sp) => sp`
      delete from public.thematic_dispatch_recipients where dispatch_id = ${d.id} and org_id = ${r.orgId}`);
  }
  for (const d of l.dispatches) {
    for (const org of below(d.senderOrgId).filter((o) => !d.recipientOrgIds.includes(o.id))) {
      const record = { senderOrgId: d.senderOrgId, orgId: org.id };
      add("ThematicDispatchRecipient", "create", `new recipient ${at(org.id)} of report ${d.key} sent down by ${at(d.senderOrgId)}`, record, d.key, (sp) => sp`
        insert into public.thematic_dispatch_recipients (dispatch_id, org_id) values (${d.id}, ${org.id})`);
    }
  }

  // ResultGrant: update = the revocation (once: a revoked grant is not revoked again, 23514);
  // no delete privilege. create = a grant of every office with a 纪委监委 to it (its regular
  // engagement's problem list).
  for (const g of l.grants) {
    const fixture = `${g.what} of ${at(g.record.orgId as number)} to its 纪委监委`;
    add("ResultGrant", "read", fixture, g.record, g.key, (sp) => sp`select 1 from public.result_grants where id = ${g.id}`);
    add("ResultGrant", "update", fixture, g.record, g.key, (sp) => sp`update public.result_grants set revoked_at = now() where id = ${g.id}`, {
      "23514": "a grant is revoked once",
    });
    add("ResultGrant", "delete", fixture, g.record, g.key, (sp) => sp`delete from public.result_grants where id = ${g.id}`);
  }
  for (const [code, partner] of l.partnerOf) {
    const org = orgByCode.get(code)!;
    const x = fx.engagements.engagements.find((y) => y.key === `${code}常规`)!;
    add("ResultGrant", "create", `new grant of ${at(org.id)} to its 纪委监委 (the regular engagement's problem list)`, { orgId: org.id }, `${code}共享`, (sp) => sp`
      insert into public.result_grants (org_id, partner_org_id, scope, engagement_id, expires_on)
      values (${org.id}, ${partner}, 'engagement_problems', ${x.id}, current_date + 30)`);
  }

  // PreBriefing: update = a granted column; no delete privilege. create = a briefing of every
  // office with a 纪委监委, for its running round.
  for (const b of l.briefings) {
    const fixture = `${b.what} of ${at(b.record.orgId as number)} with its 纪委监委`;
    add("PreBriefing", "read", fixture, b.record, b.key, (sp) => sp`select 1 from public.pre_patrol_briefings where id = ${b.id}`);
    add("PreBriefing", "update", fixture, b.record, b.key, (sp) => sp`update public.pre_patrol_briefings set request = request where id = ${b.id}`);
    add("PreBriefing", "delete", fixture, b.record, b.key, (sp) => sp`delete from public.pre_patrol_briefings where id = ${b.id}`);
  }
  for (const [code, partner] of l.partnerOf) {
    const org = orgByCode.get(code)!;
    add("PreBriefing", "create", `new briefing of ${at(org.id)} with its 纪委监委, for its running round`, { orgId: org.id }, `${code}通报`, (sp) => sp`
      insert into public.pre_patrol_briefings (round_id, partner_org_id, requested_on, request)
      values (${fx.engagements.round.get(code)!}, ${partner}, current_date, '请提供有关情况（矩阵测试）')`);
  }
  return cells;
}

function normalized({
  groupIds: _groups, permissions: _permissions, campaignIds: _campaigns, receivedDispatchIds: _dispatches, ...user
}: PermissionUser) {
  return {
    ...user,
    subtreeOrgIds: [...user.subtreeOrgIds].sort((a, b) => a - b),
    membershipOrgIds: [...user.membershipOrgIds].sort((a, b) => a - b),
  };
}

async function runActor(actor: Actor): Promise<CellResult[]> {
  const uid = await userId(actor.email);
  const claims = await claimsFor(actor.email, actor.membership);
  const actorOrg = actor.partner ? partnerOrgs.find((p) => p.name === actor.partner)! : orgByCode.get(actor.orgCode)!;
  expect(actorOrg, `${actor.label}: the actor's org is a fixture org`).toBeDefined();

  // The context as the app's request path (authenticator -> authenticated) loads it.
  const viaApp = await asUser(actor.email, (tx) => loadSessionContext(tx, uid), actor.membership);
  expect(viaApp, `${actor.label}: no live session context`).not.toBeNull();

  return asUserOverFixtures(
    claims,
    (owner) => createFixtures(owner, uid, actorOrg, String(claims.session_id)),
    async (tx, fx) => {
      const ctx = await loadSessionContext(tx, uid);
      if (!ctx) throw new Error(`${actor.label}: no session context inside the matrix transaction`);
      expect({ role: ctx.role, org: ctx.activeOrg.regionCode }, `${actor.label}: active membership`).toEqual({
        role: actor.role,
        org: actor.orgCode,
      });
      expect(normalized(ctx.permissionUser), `${actor.label}: same context as the app's request path`).toEqual(
        normalized(viaApp!.permissionUser),
      );
      // The fixtures add to what the database derives: the actor's own grant, and the
      // fixture groups of a running round that his cadre is in (never the closed round's).
      expect(ctx.permissionUser.permissions, `${actor.label}: the fixture grants are loaded`).toEqual(["view_lead_person", "view_reporter_identity"]);
      const [cadre] = await ownerSql()<{ id: number }[]>`select id::int as id from public.cadres where user_id = ${uid}`;
      const running = new Set(fx.engagements.groups.filter((g) => g.roundStatus !== "closed").map((g) => g.id));
      const fixtureGroups = fx.engagements.members.filter((m) => m.cadreId === cadre?.id && running.has(m.groupId)).map((m) => m.groupId);
      if (actor.role === "group_member") expect(fixtureGroups.length, `${actor.label}: is in a running fixture group`).toBeGreaterThan(0);
      expect([...ctx.permissionUser.groupIds].sort((a, b) => a - b), `${actor.label}: groups of the active membership`).toEqual(
        actor.role === "group_member" ? [...new Set([...viaApp!.permissionUser.groupIds, ...fixtureGroups])].sort((a, b) => a - b) : [],
      );
      // The campaigns with a participant in the office's subtree, and the reports sent to it
      // or its subtree: the database derives them from the rows, so the context loaded after
      // the fixtures holds the fixtures' own besides what the app's path loaded.
      const office = ["office_director", "office_staff", "leadership"].includes(actor.role);
      const inSubtree = (orgId: number) => orgId === actorOrg.id || orgById.get(orgId)?.ancestors.has(actorOrg.id) === true;
      const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
      const fixtureCampaigns = fx.linkage.campaigns.filter((c) => office && c.participantOrgIds.some(inSubtree)).map((c) => c.id);
      const fixtureDispatches = fx.linkage.dispatches.filter((d) => office && d.recipientOrgIds.some(inSubtree)).map((d) => d.id);
      expect(sorted(ctx.permissionUser.campaignIds), `${actor.label}: campaigns taken part in`).toEqual(
        sorted([...viaApp!.permissionUser.campaignIds, ...fixtureCampaigns]),
      );
      expect(sorted(ctx.permissionUser.receivedDispatchIds), `${actor.label}: reports received`).toEqual(
        sorted([...viaApp!.permissionUser.receivedDispatchIds, ...fixtureDispatches]),
      );

      const ability = defineAbilityFor(ctx.permissionUser);
      const results: CellResult[] = [];
      for (const spec of buildCells(uid, actorOrg, fx)) {
        const casl = ability.can(spec.action, spec.target);
        const rls = await spec.rls(tx);
        results.push({
          actor: actor.label,
          role: actor.role,
          subject: spec.subject,
          action: spec.action,
          fixture: spec.fixture,
          record: spec.record,
          casl,
          rls: rls.allowed,
          note: rls.note,
          unexpected: rls.unexpected,
          tag: spec.tag,
        });
      }
      return results;
    },
  );
}

function describeCell(r: CellResult): string {
  const verdict = (allowed: boolean) => (allowed ? "allows" : "denies");
  const why = r.unexpected ? `, harness: ${r.unexpected}` : r.note ? ` (${r.note})` : "";
  return `${r.actor} · ${r.action} ${r.subject} · ${r.fixture} · record ${JSON.stringify(r.record)} — CASL ${verdict(r.casl)}, RLS ${verdict(r.rls)}${why}`;
}

const allResults: CellResult[] = [];

/** The cells of one account (by the account named at the end of the actor's label), indexed once all actors ran. */
const byAccount = new Map<string, CellResult[]>();
function cellsOf(account: string): CellResult[] {
  if (byAccount.size === 0) {
    for (const r of allResults) {
      const name = /\(([^()]+)\)$/.exec(r.actor)?.[1] ?? r.actor;
      if (!byAccount.has(name)) byAccount.set(name, []);
      byAccount.get(name)!.push(r);
    }
  }
  return byAccount.get(account) ?? [];
}
/**
 * The RLS verdict of the cells of `account` x action x subject x tag (and, given `what`,
 * whose fixture starts with it): there is one at least, and they all agree (CASL agreed
 * with each, or the actor's own test failed already).
 */
function verdict(account: string, action: Action, name: SubjectName, tag: string, what?: string): boolean {
  const hits = cellsOf(account).filter((r) => r.action === action && r.subject === name && r.tag === tag && (!what || r.fixture.startsWith(what)));
  const label = `${account}: ${action} ${name} ${tag}${what ? ` "${what}"` : ""}`;
  expect(hits.length, `${label}: some cell`).toBeGreaterThan(0);
  expect(new Set(hits.map((h) => h.rls)).size, `${label}: the cells agree`).toBe(1);
  return hits[0].rls;
}
const allowedCells = (account: string, pred: (r: CellResult) => boolean) =>
  cellsOf(account).filter((r) => r.rls && pred(r)).map(describeCell);
/** The engagement key of a cell's tag ("提级 整改佐证" -> "提级"). */
const keyOf = (r: CellResult) => (r.tag ?? "").split(" ")[0];

describe("CASL and RLS agree on every role x subject x action x fixture (D4)", () => {
  // Each actor's transaction inserts the fixtures and probes some 3,500 cells: minutes on a busy machine.
  it.each(ACTORS)("$label", { timeout: 600_000 }, async (actor) => {
    const results = await runActor(actor);
    allResults.push(...results);
    const problems = results.filter((r) => r.casl !== r.rls || r.unexpected).map(describeCell);
    if (problems.length) console.error(`CASL/RLS disagreements for ${actor.label}:\n  ${problems.join("\n  ")}`);
    expect(problems, `${problems.length} of ${results.length} cells disagree for ${actor.label}`).toEqual([]);
    // Every account is denied something, and allowed something (at least its own org).
    expect(results.some((r) => !r.rls), `${actor.label}: no denied cell`).toBe(true);
    expect(results.some((r) => r.rls), `${actor.label}: no allowed cell`).toBe(true);
  });

  it("runs every actor of the RLS tests (support/fixtures EVERY_ACTOR)", () => {
    const key = (email: string, m?: { regionCode: string; role: string }) => `${email}|${m?.regionCode ?? ""}|${m?.role ?? ""}`;
    expect(ACTORS.map((a) => key(a.email, a.membership)).sort()).toEqual(EVERY_ACTOR.map(([, email, m]) => key(email, m)).sort());
  });

  it("is not trivially all-false or all-true (the harness can see both answers)", () => {
    expect(new Set(allResults.map((r) => r.actor)).size, "every actor ran").toBe(ACTORS.length);
    const allowed = (pred: (r: CellResult) => boolean) => allResults.some((r) => pred(r) && r.rls && r.casl);

    // Each role is allowed its own domain.
    for (const role of ["office_director", "office_staff", "leadership"] as const) {
      expect(allowed((r) => r.role === role && r.subject === "Unit" && r.action === "read"), `${role} reads a unit`).toBe(true);
    }
    for (const role of ["office_director", "office_staff"] as const) {
      expect(allowed((r) => r.role === role && r.subject === "Unit" && r.action === "create"), `${role} creates a unit`).toBe(true);
      expect(allowed((r) => r.role === role && r.subject === "Unit" && r.action === "update"), `${role} updates a unit`).toBe(true);
    }
    expect(allowed((r) => r.role === "system_admin" && r.subject === "Membership" && r.action === "delete"), "system_admin deletes a membership").toBe(true);
    expect(allowed((r) => r.role === "audit_admin" && r.subject === "AuditLog" && r.action === "read"), "audit_admin reads audit rows").toBe(true);

    // Planning: offices and leadership read terms, rounds and their history; offices plan.
    for (const role of ["office_director", "office_staff", "leadership"] as const) {
      for (const name of ["Term", "Round", "RoundStatusHistory"] as const) {
        expect(allowed((r) => r.role === role && r.subject === name && r.action === "read"), `${role} reads a ${name}`).toBe(true);
      }
    }
    for (const role of ["office_director", "office_staff"] as const) {
      for (const name of ["Term", "Round"] as const) {
        for (const action of ["create", "update"] as const) {
          expect(allowed((r) => r.role === role && r.subject === name && r.action === action), `${role} may ${action} a ${name}`).toBe(true);
        }
      }
    }
    // Plans and their history are records: nobody deletes, nobody writes history by hand.
    const writesNobodyHas = allResults.filter(
      (r) =>
        (r.rls || r.casl) &&
        ((r.subject === "RoundStatusHistory" && r.action !== "read") ||
          ((r.subject === "Term" || r.subject === "Round") && r.action === "delete")),
    );
    expect(writesNobodyHas.map(describeCell), "history writes and plan deletes are allowed nowhere").toEqual([]);
    // Approval is the director's: allowed somewhere, only ever for a director, and refused
    // to the staff of the same org on a submitted round by the database itself (42501).
    expect(allowed((r) => r.role === "office_director" && r.action === "approve"), "a director approves a round").toBe(true);
    expect(
      allResults.filter((r) => r.action === "approve" && (r.rls || r.casl) && r.role !== "office_director").map(describeCell),
      "only directors approve",
    ).toEqual([]);
    expect(
      allResults.some(
        (r) => r.role === "office_staff" && r.action === "approve" && r.record.status === "submitted" && r.fixture.includes("[own]") && r.note === "42501" && !r.casl,
      ),
      "staff are refused (42501) the approval of their own org's submitted round",
    ).toBe(true);

    // Cadre pools: offices and leadership read all three; the office (director or staff)
    // keeps its own pool: creates and updates cadres, history and conflicts, deletes history
    // and conflicts; a cadre is never deleted; leadership and the administrators write none
    // of it, and the administrators read none of it.
    const cadreSubjects = ["Cadre", "CadreWorkHistory", "CadreConflict"] as const;
    for (const name of cadreSubjects) {
      for (const role of ["office_director", "office_staff", "leadership"] as const) {
        expect(allowed((r) => r.role === role && r.subject === name && r.action === "read"), `${role} reads a ${name}`).toBe(true);
      }
      for (const role of ["office_director", "office_staff"] as const) {
        for (const action of name === "Cadre" ? (["create", "update"] as const) : (["create", "update", "delete"] as const)) {
          expect(
            allowed((r) => r.role === role && r.subject === name && r.action === action && r.fixture.includes("[own]")),
            `${role} may ${action} a ${name} of the own pool`,
          ).toBe(true);
        }
      }
    }
    const isCadreSubject = (r: CellResult) => (cadreSubjects as readonly string[]).includes(r.subject);
    expect(
      allResults.filter((r) => (r.rls || r.casl) && r.subject === "Cadre" && r.action === "delete").map(describeCell),
      "a cadre is deleted nowhere",
    ).toEqual([]);
    expect(
      allResults
        .filter((r) => (r.rls || r.casl) && isCadreSubject(r) && r.action !== "read" && !r.fixture.includes("[own]"))
        .map(describeCell),
      "cadre pools are written only by their own office",
    ).toEqual([]);
    expect(
      allResults
        .filter((r) => (r.rls || r.casl) && isCadreSubject(r) && r.action !== "read" && !["office_director", "office_staff"].includes(r.role))
        .map(describeCell),
      "leadership and the administrators write no cadre pool",
    ).toEqual([]);
    expect(
      allResults.filter((r) => (r.rls || r.casl) && isCadreSubject(r) && (r.role === "system_admin" || r.role === "audit_admin")).map(describeCell),
      "the administrators do not read cadre pools",
    ).toEqual([]);
    // A refused cadre-pool write into an org the office cannot write is answered 42501 by
    // the triggers, before any check that could reveal something about the foreign row.
    expect(
      allResults.filter((r) => isCadreSubject(r) && r.action === "create" && !r.rls && r.note !== "42501").map(describeCell),
      "refused cadre-pool inserts answer 42501",
    ).toEqual([]);
    expect(
      allResults.some((r) => isCadreSubject(r) && r.action === "create" && !r.rls && r.note === "42501"),
      "some cadre-pool insert is refused with 42501",
    ).toBe(true);

    // Every subject is probed with every CRUD action.
    for (const name of subjects) {
      for (const action of actions) {
        expect(allResults.some((r) => r.subject === name && r.action === action), `${action} ${name} is probed`).toBe(true);
      }
    }

    // Every action and every subject has both allowed and denied cells somewhere.
    for (const action of [...actions, ...workflowActions]) {
      expect(allowed((r) => r.action === action), `some ${action} is allowed`).toBe(true);
      expect(allResults.some((r) => r.action === action && !r.rls), `some ${action} is denied`).toBe(true);
    }
    for (const name of subjects) {
      expect(allowed((r) => r.subject === name), `some ${name} cell is allowed`).toBe(true);
      expect(allResults.some((r) => r.subject === name && !r.rls), `some ${name} cell is denied`).toBe(true);
    }

    const allowedCount = allResults.filter((r) => r.rls).length;
    console.info(
      `CASL/RLS matrix: ${allResults.length} cells checked (${ACTORS.length} actors x ${subjects.length} subjects x ` +
        `${actions.length} actions x fixtures, plus approve on rounds and view_reporter_identity on petitions), ` +
        `${allowedCount} allowed, ${allResults.length - allowedCount} denied`,
    );
  });

  it("decides groups, engagements and their conduct by the assignment (issue 3)", () => {
    expect(new Set(allResults.map((r) => r.actor)).size, "every actor ran").toBe(ACTORS.length);
    const CONDUCT = ["FieldworkRecord", "Petition", "Attachment"] as const;
    const of = cellsOf;

    // Elevated (提级): the city patrols a unit of 道里. 道里's office sees the engagement once it
    // is stationed (not before), and nothing of its group, members, draws or conduct.
    expect(verdict("daoli.staff", "read", "Engagement", "提级"), "道里 sees the stationed elevated engagement on its unit").toBe(true);
    expect(verdict("daoli.staff", "read", "Engagement", "提级未进驻"), "道里 does not see it before stationing").toBe(false);
    for (const name of CONDUCT) {
      expect(verdict("daoli.staff", "read", name, "提级"), `道里 reads no ${name} of the elevated engagement`).toBe(false);
      expect(verdict("daoli.staff", "create", name, "提级"), `道里 writes no ${name} of the elevated engagement`).toBe(false);
    }
    expect(verdict("daoli.staff", "view_reporter_identity", "Petition", "提级"), "道里 sees no reporter of the elevated engagement").toBe(false);
    expect(verdict("daoli.staff", "read", "PatrolGroup", "230100"), "道里 does not see the city's group").toBe(false);
    expect(verdict("daoli.staff", "read", "GroupMember", "230100"), "道里 does not see the city group's members").toBe(false);
    expect(verdict("daoli.staff", "update", "Engagement", "提级"), "道里 does not change the elevated engagement").toBe(false);

    // Cross (交叉): 道里's group patrols a unit of 南岗 in the city's round. 南岗 sees the stationed
    // engagement and nothing else of it; 道里 (executing) and the city see and write its conduct.
    expect(verdict("nangang.staff", "read", "Engagement", "交叉"), "南岗 sees the stationed cross engagement on its unit").toBe(true);
    for (const name of [...CONDUCT, "PatrolGroup", "GroupMember", "MemberDraw"] as const) {
      expect(verdict("nangang.staff", "read", name, "交叉"), `南岗 reads no ${name} of the cross engagement`).toBe(false);
    }
    expect(verdict("nangang.staff", "create", "FieldworkRecord", "交叉"), "南岗 writes no fieldwork of the cross engagement").toBe(false);
    for (const name of [...CONDUCT, "Engagement", "PatrolGroup", "GroupMember", "MemberDraw"] as const) {
      expect(verdict("daoli.staff", "read", name, "交叉"), `道里 (executing) reads the cross engagement's ${name}`).toBe(true);
      expect(verdict("hrb.director", "read", name, "交叉"), `the city (supervising) reads the cross engagement's ${name}`).toBe(true);
    }
    expect(verdict("daoli.staff", "create", "FieldworkRecord", "交叉"), "道里 (executing) records the cross engagement's fieldwork").toBe(true);
    expect(verdict("daoli.staff", "create", "GroupMember", "交叉"), "道里 does not staff the city's cross group").toBe(false);
    expect(verdict("daoli.staff", "update", "Engagement", "交叉"), "道里 does not change the city's cross engagement").toBe(false);
    expect(verdict("hrb.director", "create", "GroupMember", "交叉"), "the city staffs the cross group").toBe(true);
    expect(verdict("hrb.director", "update", "Engagement", "交叉"), "the city records the cross engagement's stages").toBe(true);

    // Siblings see nothing: 南岗 of the elevated engagement on 道里's unit; the sibling city
    // and the other province nothing of either.
    for (const tag of ["提级", "提级未进驻"]) {
      expect(allowedCells("nangang.staff", (r) => r.tag === tag), `南岗 sees nothing of ${tag}`).toEqual([]);
    }
    for (const account of ["qqhr.director", "zj.director"]) {
      expect(
        allowedCells(account, (r) => ["提级", "提级未进驻", "交叉", "已办结", "交叉组成员账号", "财政局", "230100已评估", "230100已报告"].includes((r.tag ?? "").split(" ")[0])),
        `${account} sees nothing of the city's engagements`,
      ).toEqual([]);
    }

    // A stationed engagement is never deleted; a pending one by the supervising office.
    expect(of("hrb.director").some((r) => r.subject === "Engagement" && r.action === "delete" && r.tag === "提级" && r.note?.startsWith("23514")), "the database refuses to delete a stationed engagement").toBe(true);
    expect(verdict("hrb.director", "delete", "Engagement", "提级未进驻"), "the city removes an engagement not yet stationed").toBe(true);

    // The city's group member: his group's engagements (both of them, stationed or not) and
    // their conduct, read and written, while the round runs; nothing of the closed round's
    // group he was in, nothing of the cross group, no registry, no plan, no pool.
    for (const tag of ["230100常规", "提级"]) {
      for (const name of CONDUCT) {
        expect(verdict("hrb.member", "read", name, tag), `hrb.member reads ${name} of ${tag}`).toBe(true);
        expect(verdict("hrb.member", "create", name, tag), `hrb.member adds ${name} to ${tag}`).toBe(true);
      }
      expect(verdict("hrb.member", "update", "FieldworkRecord", tag), `hrb.member corrects fieldwork of ${tag}`).toBe(true);
      expect(verdict("hrb.member", "update", "Petition", tag), `hrb.member handles petitions of ${tag}`).toBe(true);
      expect(verdict("hrb.member", "delete", "Attachment", tag), `hrb.member removes an attachment of ${tag}`).toBe(true);
    }
    expect(verdict("hrb.member", "read", "Engagement", "230100常规未进驻"), "hrb.member sees his group's pending engagement").toBe(true);
    expect(verdict("hrb.member", "read", "PatrolGroup", "230100"), "hrb.member sees his group").toBe(true);
    expect(verdict("hrb.member", "read", "GroupMember", "230100"), "hrb.member sees his teammates").toBe(true);
    expect(allowedCells("hrb.member", (r) => r.tag === "已办结"), "hrb.member: nothing of the closed round's group").toEqual([]);
    expect(
      of("hrb.member").some((r) => r.tag === "已办结" && r.subject === "FieldworkRecord" && r.action === "create" && r.note === "42501"),
      "hrb.member's write to the closed round's conduct is refused with 42501",
    ).toBe(true);
    expect(allowedCells("hrb.member", (r) => r.tag === "交叉"), "hrb.member: nothing of the cross group").toEqual([]);

    // 道里's member account in the cross group: that engagement's conduct, nothing of 南岗's
    // or 道里's own engagements.
    for (const name of CONDUCT) {
      expect(verdict("daoli.member", "read", name, "交叉"), `daoli.member reads ${name} of the cross engagement`).toBe(true);
      expect(verdict("daoli.member", "create", name, "交叉"), `daoli.member adds ${name} to the cross engagement`).toBe(true);
    }
    expect(verdict("daoli.member", "update", "Petition", "交叉"), "daoli.member handles the cross engagement's petitions").toBe(true);
    expect(verdict("daoli.member", "read", "Engagement", "交叉"), "daoli.member sees the cross engagement").toBe(true);
    for (const tag of ["230102常规", "230102常规未进驻", "230103常规", "230103常规未进驻", "提级", "230100常规"]) {
      expect(allowedCells("daoli.member", (r) => r.tag === tag), `daoli.member: nothing of ${tag}`).toEqual([]);
    }

    // Group members: never the registry, the plans, the pools, the draws, or any write
    // but conduct (and their own audit rows).
    const officeOnly: SubjectName[] = ["Unit", "Term", "Round", "RoundStatusHistory", "Cadre", "CadreWorkHistory", "CadreConflict", "TermObject", "MemberDraw"];
    for (const account of ["hrb.member", "daoli.member"]) {
      expect(allowedCells(account, (r) => officeOnly.includes(r.subject)), `${account}: no office data`).toEqual([]);
      expect(
        allowedCells(account, (r) => r.action !== "read" && !["FieldworkRecord", "Petition", "Attachment", "AuditLog", "WorkingPaper", "Lead", "Notification"].includes(r.subject)),
        `${account}: writes only conduct records, working papers, leads (registered) and his notifications (read)`,
      ).toEqual([]);
      expect(
        allowedCells(account, (r) => ["Engagement", ...CONDUCT].includes(r.subject) && !["230100常规", "230100常规未进驻", "提级", "提级未进驻", "交叉", "财政局", "230100已评估", "230100已报告"].includes((r.tag ?? "").split(" ")[0])),
        `${account}: no engagement outside the city's running round`,
      ).toEqual([]);
    }

    // Offices and leadership read the new subjects; offices write them; the administrators neither.
    const newSubjects: SubjectName[] = ["TermObject", "PatrolGroup", "GroupMember", "MemberDraw", "Engagement", ...CONDUCT];
    for (const name of newSubjects) {
      for (const role of ["office_director", "office_staff", "leadership"] as const) {
        expect(allResults.some((r) => r.role === role && r.subject === name && r.action === "read" && r.rls), `${role} reads a ${name}`).toBe(true);
      }
      expect(allResults.some((r) => r.role === "office_director" && r.subject === name && r.action === "create" && r.rls), `a director creates a ${name}`).toBe(true);
      expect(
        allResults.filter((r) => r.rls && r.subject === name && (r.role === "system_admin" || r.role === "audit_admin" || (r.role === "leadership" && !["read", "view_reporter_identity"].includes(r.action)))).map(describeCell),
        `${name}: leadership writes nothing, the administrators nothing at all`,
      ).toEqual([]);
    }
    // Fieldwork records and petitions are never deleted; attachments never changed; draws only made.
    expect(
      allResults.filter((r) => r.rls && ((["FieldworkRecord", "Petition", "MemberDraw"].includes(r.subject) && r.action === "delete") || (["Attachment", "MemberDraw", "PermissionGrant"].includes(r.subject) && r.action === "update"))).map(describeCell),
      "no delete of fieldwork, petitions or draws; no update of attachments, draws or grants",
    ).toEqual([]);
    // Reporter identity: with the grant, the executing office and ancestors and the group see it; nobody else.
    expect(verdict("hlj.director", "view_reporter_identity", "Petition", "交叉"), "the province sees the cross petition's reporter").toBe(true);
    expect(verdict("nangang.staff", "view_reporter_identity", "Petition", "交叉"), "南岗 does not see the cross petition's reporter").toBe(false);
    expect(verdict("daoli.member", "view_reporter_identity", "Petition", "交叉"), "the cross group's member (with a grant) sees its reporter").toBe(true);
    expect(allowedCells("sysadmin", (r) => r.action === "view_reporter_identity"), "a system administrator (with a grant) sees no reporter").toEqual([]);

    // Grants: a system administrator grants others in his subtree, never himself.
    expect(allResults.some((r) => r.role === "system_admin" && r.subject === "PermissionGrant" && r.action === "create" && r.rls), "sysadmin grants").toBe(true);
    expect(
      allResults.filter((r) => r.subject === "PermissionGrant" && r.action === "create" && r.rls && (r.role !== "system_admin" || r.record.userId === r.record.actorId || r.fixture.includes("self-grant"))).map(describeCell),
      "only a system administrator grants, and never to himself",
    ).toEqual([]);
  });

  it("decides findings, leads, feedback and rectification by office, group, inspected unit and partner (issue 4)", () => {
    expect(new Set(allResults.map((r) => r.actor)).size, "every actor ran").toBe(ACTORS.length);
    const RECTIFICATION = ["Feedback", "RectificationReport", "RectificationItem", "RectificationItemEvent", "RectificationUpdate"] as const;
    const CONDUCT_AND_FINDINGS: SubjectName[] = ["WorkingPaper", "WorkingPaperReview", "FieldworkRecord", "Petition", "PatrolGroup", "GroupMember", "MemberDraw"];

    // The unit contact of 哈尔滨市财政局: its fed-back problem, feedback, reports, items, their
    // events and updates, and its evidence files; nothing of the conduct, no lead, nothing of
    // another unit; he submits reports, items, updates and evidence for his own unit only.
    for (const account of ["hrb.unit", "hrb.unithead"]) {
      expect(verdict(account, "read", "Problem", "财政局", "fed-back problem"), `${account} reads his unit's fed-back problem`).toBe(true);
      expect(verdict(account, "read", "Problem", "财政局", "problem not fed back"), `${account} does not read a problem not fed back`).toBe(false);
      for (const name of RECTIFICATION) expect(verdict(account, "read", name, "财政局"), `${account} reads his unit's ${name}`).toBe(true);
      expect(verdict(account, "read", "Attachment", `财政局 ${EVIDENCE}`), `${account} reads his unit's evidence files`).toBe(true);
      expect(verdict(account, "read", "Attachment", `财政局 ${PAPER_FILE}`), `${account} reads no file of a working paper`).toBe(false);
      expect(allowedCells(account, (r) => CONDUCT_AND_FINDINGS.includes(r.subject) || r.subject === "Engagement" || r.subject === "Lead"), `${account}: no conduct, papers, engagements or leads`).toEqual([]);
      expect(allowedCells(account, (r) => r.tag !== undefined && keyOf(r) !== "财政局"), `${account}: nothing of another engagement`).toEqual([]);
      expect(allowedCells(account, (r) => ["RectificationDisclosure", "RectificationEvaluation", "EvaluationScore", "EvaluationTemplate", "EvaluationIndicator"].includes(r.subject)), `${account}: no publication or evaluation`).toEqual([]);
      expect(verdict(account, "create", "RectificationReport", "财政局"), `${account} submits his unit's next report`).toBe(true);
      expect(verdict(account, "create", "RectificationItem", "财政局"), `${account} adds an item to his unit's problem`).toBe(true);
      expect(verdict(account, "create", "RectificationUpdate", "财政局"), `${account} reports progress`).toBe(true);
      expect(verdict(account, "create", "Attachment", `财政局 ${EVIDENCE}`), `${account} attaches evidence`).toBe(true);
      expect(verdict(account, "update", "RectificationItem", "财政局", "open item"), `${account} changes an open item`).toBe(true);
      expect(verdict(account, "update", "RectificationItem", "财政局", "closed item"), `${account} does not change a closed item`).toBe(false);
      expect(verdict(account, "update", "RectificationReport", "财政局", "accepted"), `${account} does not review reports`).toBe(false);
      expect(verdict(account, "verify", "RectificationItem", "财政局", "verify the unit_confirmed item"), `${account} does not verify`).toBe(false);
      for (const tag of ["交叉", "230100已评估"]) {
        expect(verdict(account, "create", "RectificationReport", tag), `${account} submits no report of ${tag}`).toBe(false);
      }
      expect(verdict(account, "create", "RectificationUpdate", "230100常规"), `${account} reports no progress of another unit`).toBe(false);
    }
    expect(verdict("hrb.unithead", "confirm", "RectificationItem", "财政局", "confirm the open item"), "the unit's head confirms an open item").toBe(true);
    expect(verdict("hrb.unithead", "confirm", "RectificationItem", "财政局", "confirm the closed item"), "not a closed one").toBe(false);
    expect(allowedCells("hrb.unithead", (r) => r.action === "confirm" && keyOf(r) !== "财政局"), "the head confirms his unit's items only").toEqual([]);
    expect(allowedCells("hrb.unit", (r) => r.action === "confirm"), "a contact who is not the head confirms nothing").toEqual([]);
    expect(
      allResults.filter((r) => r.action === "confirm" && r.rls && r.role !== "unit_contact").map(describeCell),
      "only the unit's head confirms",
    ).toEqual([]);

    // The inspected unit's org of an elevated (道里) or cross (南岗) patrol: feedback and
    // rectification, the fed-back problem and the evidence; never papers, reviews, conduct
    // files, the problem not fed back, leads, publications or evaluations; it writes nothing.
    for (const [account, tag] of [["daoli.staff", "提级"], ["nangang.staff", "交叉"]] as const) {
      for (const name of RECTIFICATION) expect(verdict(account, "read", name, tag), `${account} reads ${name} of ${tag}`).toBe(true);
      expect(verdict(account, "read", "Problem", tag, "fed-back problem"), `${account} reads the fed-back problem of ${tag}`).toBe(true);
      expect(verdict(account, "read", "Problem", tag, "problem not fed back"), `${account}: not the problem not fed back`).toBe(false);
      expect(verdict(account, "read", "Attachment", `${tag} ${EVIDENCE}`), `${account} reads the evidence of ${tag}`).toBe(true);
      for (const [name, t] of [["WorkingPaper", tag], ["WorkingPaperReview", tag], ["Attachment", `${tag} ${PAPER_FILE}`], ["Attachment", tag], ["Lead", tag], ["RectificationDisclosure", tag]] as const) {
        expect(verdict(account, "read", name, t), `${account} reads no ${name} (${t})`).toBe(false);
      }
      expect(allowedCells(account, (r) => keyOf(r) === tag && r.action !== "read"), `${account} writes nothing of ${tag}`).toEqual([]);
    }
    // The executing office of the cross patrol (道里) sees its papers, leads and files; it
    // does not review the city's reports or verify its items (the supervising office does).
    for (const name of ["WorkingPaper", "WorkingPaperReview", "Lead", "Problem", ...RECTIFICATION] as const) {
      expect(verdict("daoli.staff", "read", name, "交叉"), `道里 (executing) reads the cross engagement's ${name}`).toBe(true);
    }
    expect(verdict("daoli.staff", "update", "RectificationReport", "交叉", "accepted"), "道里 does not review the cross engagement's reports").toBe(false);
    expect(verdict("hrb.director", "verify", "RectificationItem", "交叉", "verify the unit_confirmed item"), "the city verifies the cross engagement's item").toBe(true);
    expect(verdict("daoli.staff", "verify", "RectificationItem", "交叉", "verify the unit_confirmed item"), "道里 does not").toBe(false);
    expect(verdict("daoli.staff", "transfer", "Lead", "交叉", "transfer the lead registered"), "道里 (executing) transfers the cross engagement's lead").toBe(true);
    expect(verdict("hrb.director", "transfer", "Lead", "交叉", "transfer the lead registered"), "the city (supervising) does not").toBe(false);

    // Ancestors see everything of it; siblings and other provinces nothing.
    for (const account of ["hlj.director", "hrb.director", "hlj.leader"]) {
      for (const tag of ["财政局", "提级", "交叉"]) {
        for (const name of ["WorkingPaper", "WorkingPaperReview", "Problem", "Lead", ...RECTIFICATION] as const) {
          expect(verdict(account, "read", name, tag), `${account} reads ${name} of ${tag}`).toBe(true);
        }
      }
    }
    for (const account of ["qqhr.director", "zj.director", "sysadmin", "auditor"]) {
      expect(allowedCells(account, (r) => ["财政局", "230100常规", "提级", "交叉", "已办结"].includes(keyOf(r))), `${account}: nothing of the city's patrols`).toEqual([]);
    }

    // Working papers: the group drafts, submits and changes its drafts, never a paper under review; offices only read.
    expect(verdict("hrb.member", "review", "WorkingPaper", "230100常规"), "the group submits its draft").toBe(true);
    expect(verdict("hrb.member", "update", "WorkingPaper", "230100常规", "drafting paper"), "and changes it").toBe(true);
    expect(verdict("hrb.member", "update", "WorkingPaper", "230100常规", "deputy_review paper"), "not once under review").toBe(false);
    expect(verdict("hrb.member", "read", "WorkingPaper", "已办结"), "nothing of the closed round's papers").toBe(false);
    expect(
      allResults.filter((r) => r.rls && r.subject === "WorkingPaper" && r.action !== "read" && r.role !== "group_member").map(describeCell),
      "only the group writes working papers",
    ).toEqual([]);
    expect(
      allResults.filter((r) => r.rls && ["WorkingPaperReview", "Problem", "Feedback", "RectificationItemEvent"].includes(r.subject) && r.action !== "read").map(describeCell),
      "reviews, problems, feedback and item events are written by their functions only",
    ).toEqual([]);

    // Reports are reviewed once by the supervising office; items verified once confirmed.
    expect(verdict("hrb.director", "update", "RectificationReport", "230100常规", "submitted progress report"), "the city reviews a submitted report").toBe(true);
    expect(verdict("hrb.director", "update", "RectificationReport", "230100常规", "accepted plan report"), "not one reviewed already").toBe(false);
    expect(verdict("hrb.director", "verify", "RectificationItem", "财政局", "verify the unit_confirmed item"), "the city verifies a confirmed item").toBe(true);
    expect(verdict("hrb.director", "verify", "RectificationItem", "财政局", "verify the open item"), "not an open one").toBe(false);
    expect(verdict("hrb.director", "verify", "RectificationItem", "财政局", "reopen the closed item"), "and reopens a closed one").toBe(true);
    expect(verdict("hrb.director", "give_feedback", "Engagement", "230100已报告"), "the city gives feedback on its reported engagement").toBe(true);
    expect(verdict("daoli.staff", "give_feedback", "Engagement", "230100已报告"), "道里 does not give the city's feedback").toBe(false);

    // Leads: the receiving partner reads and handles exactly the leads transferred to his org.
    const toCityJiwei = (r: CellResult) => r.fixture.includes("lead transferred to 哈尔滨市纪委监委");
    expect(cellsOf("hrb.jiwei").filter((r) => r.subject === "Lead" && r.action === "read" && r.rls && toCityJiwei(r)).length, "hrb.jiwei reads the leads transferred to him").toBeGreaterThanOrEqual(4);
    expect(allowedCells("hrb.jiwei", (r) => r.subject === "Lead" && !toCityJiwei(r)), "and no other lead").toEqual([]);
    expect(verdict("hrb.jiwei", "handle", "Lead", "230100常规", "record the handling of the lead transferred to 哈尔滨市纪委监委"), "he handles it").toBe(true);
    expect(verdict("hrb.jiwei", "read", "Lead", "230100常规", "lead transferred to 哈尔滨市委组织部"), "not the one transferred to 组织部").toBe(false);
    expect(verdict("hrb.jiwei", "read", "Lead", "230100常规", "lead registered"), "nor one not transferred").toBe(false);
    expect(
      allowedCells("hrb.jiwei", (r) => !["Lead", "Org", "Notification", "AuditLog", "ProblemCategory", "Membership", "PermissionGrant"].includes(r.subject)),
      "a partner's staff sees nothing else",
    ).toEqual([]);
    expect(allowedCells("hrb.jiwei", (r) => r.subject === "Org" && !r.fixture.includes("[own]")), "of the orgs, his own only").toEqual([]);
    expect(
      allResults.filter((r) => r.rls && r.action === "handle" && r.role !== "partner_staff").map(describeCell),
      "only a partner's staff records a handling",
    ).toEqual([]);
    expect(verdict("hrb.director", "view_lead_person", "Lead", "230100常规", "the person concerned of the lead transferred to 哈尔滨市纪委监委"), "the city (with view_lead_person) sees the person").toBe(true);
    expect(verdict("nangang.staff", "view_lead_person", "Lead", "交叉", "the person concerned of the lead transferred to 哈尔滨市纪委监委"), "南岗 does not").toBe(false);

    // Templates and categories follow the line: ancestors' and the subtree's; evaluations and publications the supervising office's.
    const templateOf = (account: string, owner: string) =>
      cellsOf(account).filter((r) => r.subject === "EvaluationTemplate" && r.action === "read" && r.fixture.includes(`of org ${owner}`)).every((r) => r.rls);
    expect(templateOf("hrb.director", "230000"), "the city reads the province's templates").toBe(true);
    expect(templateOf("hlj.director", "230100"), "the province reads the city's").toBe(true);
    expect(templateOf("nangang.staff", "230102"), "南岗 does not read 道里's").toBe(false);
    expect(templateOf("qqhr.director", "230100"), "nor the sibling city the city's").toBe(false);
    expect(verdict("hlj.director", "read", "RectificationEvaluation", "230100已评估"), "the province reads the city's evaluation").toBe(true);
    expect(verdict("hrb.director", "read", "RectificationEvaluation", "230200已评估"), "the city not the sibling city's").toBe(false);
    expect(verdict("daoli.staff", "read", "RectificationEvaluation", "230100已评估"), "nor the county the city's").toBe(false);

    // Notifications: each user reads and marks read his own only; nobody writes one.
    for (const actor of ACTORS) {
      const own = allResults.filter((r) => r.actor === actor.label && r.subject === "Notification" && r.fixture === "own notification");
      expect(own.length && own.every((r) => r.action === "delete" ? !r.rls : r.rls), `${actor.label} reads and marks his own notification`).toBeTruthy();
    }
    expect(
      allResults.filter((r) => r.rls && r.subject === "Notification" && (r.fixture !== "own notification" || r.action === "create" || r.action === "delete")).map(describeCell),
      "nobody reads another user's notification, writes or removes one",
    ).toEqual([]);

    // The administrators: nothing of the second half but their own notifications and the common taxonomy.
    const SECOND_HALF: SubjectName[] = [
      "WorkingPaper", "WorkingPaperReview", "Problem", ...RECTIFICATION, "RectificationDisclosure", "EvaluationTemplate",
      "EvaluationIndicator", "RectificationEvaluation", "EvaluationScore", "Lead",
    ];
    for (const account of ["sysadmin", "auditor"]) {
      expect(allowedCells(account, (r) => SECOND_HALF.includes(r.subject) || (r.subject === "ProblemCategory" && r.action !== "read")), `${account}: nothing of the second half`).toEqual([]);
    }
  });

  it("decides campaigns, reports sent down, grants and briefings by launcher, participant, sender, recipient and granting office (issue 5)", () => {
    expect(new Set(allResults.map((r) => r.actor)).size, "every actor ran").toBe(ACTORS.length);
    const SEVEN: SubjectName[] = ["Campaign", "CampaignParticipant", "CampaignLink", "ThematicDispatch", "ThematicDispatchRecipient", "ResultGrant", "PreBriefing"];
    const CAMPAIGN: SubjectName[] = ["Campaign", "CampaignParticipant", "CampaignLink"];
    const OFFICE = ["office_director", "office_staff"];
    const HLJ_CAMPAIGNS = ["省联动甲", "省联动乙", "市联动", "市联动已结束"];
    const org = (code: string) => `${orgByCode.get(code)!.name} ${code}`;
    const reads = (account: string, pred: (r: CellResult) => boolean) => {
      const hits = cellsOf(account).filter((r) => r.action === "read" && pred(r));
      expect(hits.length, `${account}: some read cell`).toBeGreaterThan(0);
      return hits.filter((r) => !r.rls).map(describeCell);
    };

    // Only offices and leadership have anything of the seven; leadership only reads.
    expect(
      allResults.filter((r) => r.rls && SEVEN.includes(r.subject) && ![...OFFICE, "leadership"].includes(r.role)).map(describeCell),
      "no partner_staff, group_member, unit_contact, system_admin or audit_admin cell is allowed",
    ).toEqual([]);
    expect(allResults.filter((r) => r.rls && SEVEN.includes(r.subject) && r.role === "leadership" && r.action !== "read").map(describeCell), "leadership only reads").toEqual([]);
    // Records: nobody deletes a campaign, a report sent down, a recipient, a grant or a briefing;
    // nobody changes a participant, a link, a report sent down or a recipient.
    expect(
      allResults.filter((r) => (r.rls || r.casl) && (
        (["Campaign", "ThematicDispatch", "ThematicDispatchRecipient", "ResultGrant", "PreBriefing"].includes(r.subject) && r.action === "delete") ||
        (["CampaignParticipant", "CampaignLink", "ThematicDispatch", "ThematicDispatchRecipient"].includes(r.subject) && r.action === "update"))).map(describeCell),
      "no such delete or update anywhere",
    ).toEqual([]);
    // Every allowed write is the acting office's own (its campaign, its participants, its work, its report, its grant, its briefing).
    expect(allResults.filter((r) => r.rls && SEVEN.includes(r.subject) && r.action !== "read" && !r.fixture.includes("[own]")).map(describeCell), "writes are the own office's").toEqual([]);

    // Campaigns: the launcher and its ancestors see all of one.
    for (const [account, tags] of [["hlj.director", HLJ_CAMPAIGNS], ["hlj.leader", HLJ_CAMPAIGNS], ["hrb.director", ["市联动", "市联动已结束"]]] as const) {
      for (const tag of tags) {
        expect(reads(account, (r) => CAMPAIGN.includes(r.subject) && r.tag === tag), `${account} reads all of ${tag}`).toEqual([]);
      }
    }
    // A participating city: the campaign, its own and its counties' participation and work; not the launcher's work.
    expect(verdict("hrb.director", "read", "Campaign", "省联动甲"), "哈尔滨 reads the province's campaign it takes part in").toBe(true);
    expect(verdict("hrb.director", "read", "CampaignLink", "省联动甲", `link of ${org("230102")}`), "and its county's work in it").toBe(true);
    expect(verdict("hrb.director", "read", "CampaignParticipant", "省联动甲", `participant ${org("230103")}`), "and its county's participation").toBe(true);
    expect(verdict("hrb.director", "read", "CampaignLink", "省联动甲", `link of ${org("230000")}`), "not the province's own work").toBe(false);
    // A participating county: the campaign and its own part; nothing of a sibling participant's or its city's.
    expect(verdict("daoli.staff", "read", "Campaign", "省联动甲"), "道里 reads the campaign it takes part in").toBe(true);
    expect(verdict("daoli.staff", "read", "CampaignParticipant", "省联动甲", `participant ${org("230102")}`), "its own participation").toBe(true);
    expect(verdict("daoli.staff", "read", "CampaignLink", "省联动甲", `link of ${org("230102")}`), "its own work").toBe(true);
    for (const code of ["230103", "230100", "230000"]) {
      expect(verdict("daoli.staff", "read", "CampaignLink", "省联动甲", `link of ${org(code)}`), `not the work of ${code}`).toBe(false);
    }
    for (const code of ["230103", "230100"]) {
      expect(verdict("daoli.staff", "read", "CampaignParticipant", "省联动甲", `participant ${org(code)}`), `not the participation of ${code}`).toBe(false);
    }
    // Non-participants: nothing, not even of a campaign their parent launched.
    expect(allowedCells("qqhr.director", (r) => ["省联动甲", "市联动", "市联动已结束"].includes(r.tag ?? "")), "the sibling city: nothing of the campaigns it does not take part in").toEqual([]);
    expect(verdict("qqhr.director", "read", "Campaign", "省联动乙"), "but the one it takes part in").toBe(true);
    expect(allowedCells("hrb.director", (r) => r.tag === "省联动乙"), "哈尔滨: nothing of the province's campaign it does not take part in").toEqual([]);
    expect(allowedCells("nangang.staff", (r) => r.tag === "市联动"), "南岗: nothing of its city's campaign it does not take part in").toEqual([]);
    expect(verdict("nangang.staff", "read", "Campaign", "市联动已结束"), "南岗 reads the closed campaign it took part in").toBe(true);
    expect(allowedCells("zj.director", (r) => HLJ_CAMPAIGNS.includes(r.tag ?? "")), "the other province: nothing").toEqual([]);
    expect(allowedCells("hlj.director", (r) => r.tag === "浙江联动"), "nor the province of the other's").toEqual([]);
    // Writes: the launching office edits its campaign and its participants; every office attaches and detaches its own work.
    expect(verdict("hrb.director", "update", "Campaign", "市联动"), "哈尔滨 edits its campaign").toBe(true);
    expect(verdict("hlj.director", "update", "Campaign", "市联动"), "the province does not edit 哈尔滨's").toBe(false);
    expect(verdict("hrb.director", "update", "Campaign", "省联动甲"), "nor a participant the launcher's").toBe(false);
    expect(verdict("hrb.director", "create", "CampaignParticipant", "市联动"), "哈尔滨 adds a participant to its campaign").toBe(true);
    expect(verdict("hlj.director", "create", "CampaignParticipant", "市联动"), "the province does not").toBe(false);
    expect(verdict("hlj.director", "create", "CampaignParticipant", "省联动甲"), "the province adds to its own").toBe(true);
    expect(verdict("hlj.director", "delete", "CampaignParticipant", "省联动乙", `participant ${org("230202")}`), "and removes one with nothing attached").toBe(true);
    expect(verdict("qqhr.director", "delete", "CampaignParticipant", "省联动乙", `participant ${org("230202")}`), "a participant does not remove its county").toBe(false);
    expect(verdict("daoli.staff", "create", "CampaignLink", "省联动甲", `new link of ${org("230102")}`), "道里 attaches its work").toBe(true);
    expect(verdict("daoli.staff", "create", "CampaignLink", "省联动甲", `new link of ${org("230103")}`), "not 南岗's").toBe(false);
    expect(verdict("hrb.director", "create", "CampaignLink", "省联动甲", `new link of ${org("230102")}`), "nor does the city attach its county's").toBe(false);
    expect(verdict("hrb.director", "delete", "CampaignLink", "省联动甲", `link of ${org("230102")}`), "or detach it").toBe(false);
    expect(verdict("hlj.director", "delete", "CampaignLink", "省联动甲", `link of ${org("230102")}`), "nor the launcher").toBe(false);
    expect(verdict("daoli.staff", "delete", "CampaignLink", "省联动甲", `link of ${org("230102")}`), "道里 detaches its own").toBe(true);
    expect(
      allResults.filter((r) => r.rls && r.subject === "Campaign" && r.action === "create" && !r.fixture.includes("[own]")).map(describeCell),
      "a campaign is launched in the own office only",
    ).toEqual([]);
    // The database's own rules, which CASL predicts from the record: a county office launches
    // no campaign; a participant with attached work stays; a closed campaign takes no more work.
    const refused = (account: string, action: Action, name: SubjectName, tag: string, what: string) =>
      cellsOf(account).some((r) => r.action === action && r.subject === name && r.tag === tag && r.fixture.startsWith(what) && !r.rls && !r.casl && r.note?.startsWith("23514"));
    expect(verdict("hrb.director", "create", "Campaign", "新联动", `new campaign of ${org("230100")}`), "哈尔滨 launches a campaign").toBe(true);
    expect(refused("daoli.staff", "create", "Campaign", "新联动", `new campaign of ${org("230102")}`), "道里 launches none (23514)").toBe(true);
    expect(refused("hrb.director", "delete", "CampaignParticipant", "市联动已结束", `participant ${org("230102")}`), "a participant with attached work stays (23514)").toBe(true);
    expect(verdict("hrb.director", "delete", "CampaignParticipant", "市联动已结束", `participant ${org("230103")}`), "one with nothing attached is removed").toBe(true);
    expect(refused("daoli.staff", "create", "CampaignLink", "市联动已结束", `new link of ${org("230102")}`), "a closed campaign takes no more work (23514)").toBe(true);
    expect(verdict("daoli.staff", "create", "CampaignLink", "市联动", `new link of ${org("230102")}`), "an active one does").toBe(true);
    // Work that is not the office's own is refused before anything about the campaign is checked.
    expect(
      allResults.filter((r) => r.subject === "CampaignLink" && r.action === "create" && !r.rls && !/^new link of [^[]+\[own\]/.test(r.fixture) && r.note !== "42501").map(describeCell),
      "another office's work is refused with 42501, whatever the campaign's state",
    ).toEqual([]);

    // Reports sent down: the sender's line and the recipients (and the offices above them) read them; a recipient sees its own row only.
    expect(verdict("daoli.staff", "read", "ThematicDispatch", "省下发甲"), "道里 reads the report sent to it").toBe(true);
    expect(verdict("daoli.staff", "read", "ThematicDispatchRecipient", "省下发甲", `recipient ${org("230102")}`), "its own recipient row").toBe(true);
    expect(verdict("daoli.staff", "read", "ThematicDispatchRecipient", "省下发甲", `recipient ${org("230100")}`), "not its city's").toBe(false);
    expect(verdict("daoli.staff", "read", "ThematicDispatch", "市下发"), "not the report sent to 南岗").toBe(false);
    expect(verdict("nangang.staff", "read", "ThematicDispatch", "市下发"), "南岗 reads it").toBe(true);
    expect(verdict("nangang.staff", "read", "ThematicDispatch", "省下发甲"), "not the one sent to 哈尔滨 and 道里").toBe(false);
    expect(verdict("qqhr.director", "read", "ThematicDispatch", "省下发乙"), "齐齐哈尔 reads the report sent to it").toBe(true);
    expect(verdict("qqhr.director", "read", "ThematicDispatch", "省下发甲"), "not the one sent to 哈尔滨").toBe(false);
    expect(verdict("hrb.director", "read", "ThematicDispatch", "省下发乙"), "nor 哈尔滨 the one sent to 齐齐哈尔").toBe(false);
    expect(verdict("hlj.director", "read", "ThematicDispatch", "市下发"), "the province reads 哈尔滨's").toBe(true);
    expect(verdict("hrb.director", "create", "ThematicDispatchRecipient", "市下发"), "哈尔滨 names recipients of its report").toBe(true);
    expect(verdict("hlj.director", "create", "ThematicDispatchRecipient", "市下发"), "the province does not").toBe(false);
    expect(verdict("hrb.director", "create", "ThematicDispatchRecipient", "省下发甲"), "nor a recipient").toBe(false);

    // Grants: only the granting office's director and staff create or revoke one, once; its
    // ancestors read them; partners never through the table.
    expect(
      allResults.filter((r) => r.rls && r.subject === "ResultGrant" && r.action !== "read" && !(OFFICE.includes(r.role) && r.fixture.includes("[own]"))).map(describeCell),
      "nobody but the granting office's staff creates or revokes a grant",
    ).toEqual([]);
    for (const [account, code] of [["hrb.director", "230100"], ["daoli.staff", "230102"]] as const) {
      expect(verdict(account, "create", "ResultGrant", `${code}共享`), `${account} grants`).toBe(true);
      expect(verdict(account, "update", "ResultGrant", `${code}共享`, "active grant"), `${account} revokes an active grant`).toBe(true);
      expect(verdict(account, "update", "ResultGrant", `${code}共享`, "expired grant"), `${account} revokes an expired one`).toBe(true);
      expect(verdict(account, "update", "ResultGrant", `${code}共享`, "revoked grant"), `${account} does not revoke a revoked one`).toBe(false);
      expect(
        cellsOf(account).some((r) => r.subject === "ResultGrant" && r.action === "update" && r.fixture.startsWith("revoked grant") && r.note?.startsWith("23514") && !r.casl),
        `${account}: the database refuses the second revocation (23514), and CASL does not offer it`,
      ).toBe(true);
    }
    expect(verdict("hrb.director", "read", "ResultGrant", "230102共享"), "哈尔滨 reads 道里's grants").toBe(true);
    expect(verdict("hrb.director", "update", "ResultGrant", "230102共享", "active grant"), "and does not revoke them").toBe(false);
    expect(verdict("hlj.director", "read", "ResultGrant", "230100共享"), "the province reads 哈尔滨's").toBe(true);
    expect(verdict("hlj.leader", "read", "ResultGrant", "230102共享"), "leadership reads 道里's").toBe(true);
    expect(verdict("daoli.staff", "read", "ResultGrant", "230100共享"), "道里 does not read its city's").toBe(false);
    expect(verdict("nangang.staff", "read", "ResultGrant", "230102共享"), "南岗 does not read 道里's").toBe(false);
    expect(verdict("qqhr.director", "read", "ResultGrant", "230100共享"), "齐齐哈尔 does not read 哈尔滨's").toBe(false);
    expect(allowedCells("hrb.jiwei", (r) => SEVEN.includes(r.subject)), "the partner reads no grant, campaign or report through the tables").toEqual([]);

    // Briefings (巡前通报): the office's own record; its ancestors read it.
    expect(verdict("hrb.director", "update", "PreBriefing", "230100通报", "answered briefing"), "哈尔滨 keeps its briefing").toBe(true);
    expect(verdict("hrb.director", "create", "PreBriefing", "230100通报"), "and records a new one").toBe(true);
    expect(verdict("hrb.director", "read", "PreBriefing", "230102通报"), "哈尔滨 reads 道里's").toBe(true);
    expect(verdict("hrb.director", "update", "PreBriefing", "230102通报"), "and does not change it").toBe(false);
    expect(verdict("hlj.director", "update", "PreBriefing", "230100通报"), "nor does the province change 哈尔滨's").toBe(false);
    expect(verdict("daoli.staff", "read", "PreBriefing", "230100通报"), "道里 does not read its city's").toBe(false);
    expect(verdict("nangang.staff", "read", "PreBriefing", "230102通报"), "南岗 does not read 道里's").toBe(false);
  });
});
