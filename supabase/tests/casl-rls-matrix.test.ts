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
import {
  asUserOverFixtures,
  createCadreFixtures,
  createPlanningFixtures,
  probe,
  type CadreFixture,
  type PlanningFixture,
  type ProbeResult,
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
];

interface FixtureOrg {
  id: number;
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
let newOrgIdBase = 0;

beforeAll(async () => {
  const sql = ownerSql();
  const rows = await sql<Omit<FixtureOrg, "ancestors">[]>`
    select id, parent_id as "parentId", level, province_id as "provinceId", region_code as code, name
      from public.orgs where region_code in ${sql(FIXTURE_ORG_CODES)}`;
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

  const [{ max }] = await sql<{ max: number }[]>`select coalesce(max(id), 0)::int as max from public.orgs`;
  newOrgIdBase = max + 100_000;
});

/** Where `x` sits relative to the actor's active org. */
function relation(actorOrg: FixtureOrg, x: FixtureOrg): string {
  if (x.id === actorOrg.id) return "own";
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
}

async function createFixtures(tx: Tx, actorId: string, actorOrg: FixtureOrg): Promise<Fixtures> {
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
  return { holder, holderMembership, ownMemberships, audit, planning, cadres };
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
}

/** read: the row is returned. create: the insert succeeds. update/delete: exactly one row affected. */
function judge(action: Action, r: ProbeResult<number>): Outcome {
  if (r.state === "42501") return { allowed: false, note: "42501" };
  // approve: the database refuses a step out of anything but "submitted" (the workflow, not a policy).
  if (action === "approve" && r.state === "23514") return { allowed: false, note: "23514, not a submitted round" };
  if (r.state !== null) return { allowed: false, unexpected: `SQLSTATE ${r.state}` };
  if (action === "create") return { allowed: true };
  if (r.value === 1) return { allowed: true };
  if (r.value === 0) return { allowed: false, note: "0 rows" };
  return { allowed: false, unexpected: `${r.value} rows` };
}

function cell(
  spec: Omit<CellSpec, "rls" | "target"> & { target: () => AppSubject; run: (sp: Tx) => Promise<{ count: number }> },
): CellSpec {
  return {
    subject: spec.subject,
    action: spec.action,
    fixture: spec.fixture,
    record: spec.record,
    target: spec.target(),
    rls: async (tx) => judge(spec.action, await probe(tx, async (sp) => (await spec.run(sp)).count)),
  };
}

let seq = 0;

function buildCells(actorId: string, actorOrg: FixtureOrg, fx: Fixtures): CellSpec[] {
  const cells: CellSpec[] = [];
  const fixtureOrgs = [...orgByCode.values()];

  // Org: the org rows themselves; create = a new child office under the fixture org.
  for (const org of fixtureOrgs) {
    const record = { id: org.id, provinceId: org.provinceId };
    const target = () => subject("Org", { ...record });
    const fixture = `org ${where(actorOrg, org)}`;
    cells.push(
      cell({ subject: "Org", action: "read", fixture, record, target, run: (sp) => sp`select 1 from public.orgs where id = ${org.id}` }),
      cell({ subject: "Org", action: "update", fixture, record, target, run: (sp) => sp`update public.orgs set name = name where id = ${org.id}` }),
      cell({ subject: "Org", action: "delete", fixture, record, target, run: (sp) => sp`delete from public.orgs where id = ${org.id}` }),
    );
    if (org.level !== "county") {
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
  // Self-grant: the actor gives himself a business role he does not hold yet, in his active org.
  const held = new Set(fx.ownMemberships.filter((m) => m.orgId === actorOrg.id).map((m) => m.role));
  const grant = (["office_staff", "leadership", "office_director"] as const).find((r) => !held.has(r))!;
  const selfGrant = { userId: actorId, orgId: actorOrg.id };
  cells.push(
    cell({
      subject: "Membership",
      action: "create",
      fixture: `new own ${grant} membership (self-grant) in ${where(actorOrg, actorOrg)}`,
      record: selfGrant,
      target: () => subject("Membership", { ...selfGrant }),
      run: (sp) => sp`insert into public.memberships (user_id, org_id, role) values (${actorId}, ${actorOrg.id}, ${grant})`,
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
    ...fixtureOrgs.map((org) => ({ userId: actorId, orgId: org.id, what: `own audit row under ${where(actorOrg, org)}` })),
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
  return cells;
}

function normalized(user: PermissionUser) {
  return {
    ...user,
    subtreeOrgIds: [...user.subtreeOrgIds].sort((a, b) => a - b),
    membershipOrgIds: [...user.membershipOrgIds].sort((a, b) => a - b),
  };
}

async function runActor(actor: Actor): Promise<CellResult[]> {
  const uid = await userId(actor.email);
  const claims = await claimsFor(actor.email, actor.membership);
  const actorOrg = orgByCode.get(actor.orgCode)!;

  // The context as the app's request path (authenticator -> authenticated) loads it.
  const viaApp = await asUser(actor.email, (tx) => loadSessionContext(tx, uid), actor.membership);
  expect(viaApp, `${actor.label}: no live session context`).not.toBeNull();

  return asUserOverFixtures(
    claims,
    (owner) => createFixtures(owner, uid, actorOrg),
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

describe("CASL and RLS agree on every role x subject x action x fixture (D4)", () => {
  it.each(ACTORS)("$label", async (actor) => {
    const results = await runActor(actor);
    allResults.push(...results);
    const problems = results.filter((r) => r.casl !== r.rls || r.unexpected).map(describeCell);
    if (problems.length) console.error(`CASL/RLS disagreements for ${actor.label}:\n  ${problems.join("\n  ")}`);
    expect(problems, `${problems.length} of ${results.length} cells disagree for ${actor.label}`).toEqual([]);
    // Every account is denied something, and allowed something (at least its own org).
    expect(results.some((r) => !r.rls), `${actor.label}: no denied cell`).toBe(true);
    expect(results.some((r) => r.rls), `${actor.label}: no allowed cell`).toBe(true);
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
        `${actions.length} actions x fixtures, plus ${workflowActions.join(", ")} on rounds), ` +
        `${allowedCount} allowed, ${allResults.length - allowedCount} denied`,
    );
  });
});
