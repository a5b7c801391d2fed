import type { Sql } from "../../app/lib/privileged.server";
import type { Shape } from "./app-queries";
import type { BenchUser } from "./generate";

/**
 * The baseline (`current`: the migrations as they are, the app's statements as it
 * sends them) and the alternatives measured by `npm run bench:rls -- --experiment`.
 *
 * A variant changes the bench database in `setup` and puts it back in `teardown`;
 * the bench compares a catalog fingerprint (`catalogState`) before and after every
 * variant and stops if anything differs, so every variant is measured against, and
 * leaves behind, exactly the migrated state.
 */
export interface Variant {
  name: string;
  title: string;
  setup?: (sql: Sql) => Promise<void>;
  teardown?: (sql: Sql) => Promise<void>;
  /** The role the request runs as (default `authenticated`). */
  role?: (u: BenchUser) => string;
  /** false: the app's statements without the single-org planner hint (default: as the app sends them). */
  hint?: boolean;
  /** "join-first": the list as the app sent it before f8f0cf8 (scripts/bench/app-queries.ts); default the app's. */
  shape?: Shape;
  /** Only these users (the others would run exactly the baseline's statements). */
  users?: BenchUser["label"][];
  /** A statement that evaluates exactly the helpers this variant's units policy evaluates for `u`. */
  helpers: (u: BenchUser) => string;
}

const CURRENT_HELPERS = "select (select private.active_province_id()), (select private.readable_org_ids())";
const READ_ROLES = "('office_director', 'office_staff', 'leadership')";
const UNITS_POLICY = `"offices read units in their subtree" on public.units`;
const ORGS_POLICY = `"offices see their subtree and the orgs they belong to" on public.orgs`;

/** Function definitions, read back from the catalog, to restore after a variant. */
async function saveFunctions(sql: Sql, names: string[]): Promise<string> {
  const defs: string[] = [];
  for (const name of names) {
    const [row] = await sql<{ def: string }[]>`select pg_get_functiondef(${name}::regprocedure) as def`;
    defs.push(row.def + ";");
  }
  return defs.join("\n");
}

/** A policy's USING expression, read back from the catalog, to restore with ALTER POLICY. */
async function savePolicyQual(sql: Sql, table: string, policy: string): Promise<string> {
  const [row] = await sql<{ qual: string }[]>`
    select qual from pg_policies where schemaname = 'public' and tablename = ${table} and policyname = ${policy}`;
  return row.qual;
}

// ---------------------------------------------------------------------------
// previous: the state before 8c632ee and f8f0cf8, the two commits that tuned RLS speed.

/**
 * The migrated org index and dependency statistics, read back from the catalog, to
 * restore after `previous` (with the statistics analyzed, as the migrated state is).
 */
async function saveUnitsIndexAndStatistics(sql: Sql): Promise<string> {
  const [row] = await sql<{ index: string; stats: string }[]>`
    select pg_get_indexdef('public.units_org_id_created_at_idx'::regclass) as index,
           (select pg_get_statisticsobjdef(s.oid) from pg_statistic_ext s
             where s.stxname = 'units_org_id_province_id_dep') as stats`;
  return `
    drop index public.units_org_id_created_at_idx;
    ${row.index};
    ${row.stats};
    analyze public.units (org_id, province_id);`;
}

/** The org index without `include`, and no dependency statistics (20261121000500_units.sql before 8c632ee). */
const PREVIOUS_UNITS_INDEXES = `
  drop statistics public.units_org_id_province_id_dep;
  drop index public.units_org_id_created_at_idx;
  create index units_org_id_created_at_idx on public.units (org_id, created_at desc, id desc);
`;

/**
 * active_membership() as in 20261121000300_memberships.sql before 8c632ee: the claims
 * parsed once per reference, and (no `rows` clause) the default estimate of 1,000 rows.
 */
const PREVIOUS_ACTIVE_MEMBERSHIP = `
  create or replace function private.active_membership()
    returns table (membership_id bigint, user_id uuid, org_id int, role public.app_role, province_id int)
    language sql stable security definer set search_path = ''
  as $$
    with claims as (
      select nullif(current_setting('request.jwt.claims', true), '')::jsonb as j
    ),
    live_session as (
      select s.id as session_id, s.user_id
        from claims
        join auth.sessions s on s.id = (claims.j ->> 'session_id')::uuid
                            and s.user_id = (claims.j ->> 'sub')::uuid
        join auth.users u on u.id = s.user_id
       where claims.j ->> 'role' = 'authenticated'
         and (s.not_after is null or s.not_after > now())
         and (u.banned_until is null or u.banned_until <= now())
         and u.deleted_at is null
    )
    select m.id, m.user_id, m.org_id, m.role, m.province_id
      from live_session ls
      join public.memberships m on m.user_id = ls.user_id
      left join private.session_context sc on sc.session_id = ls.session_id
     order by (m.id = sc.membership_id) desc nulls last, m.id
     limit 1
  $$;
`;

// ---------------------------------------------------------------------------
// session-scope: the session's resolved scope, materialized per session.

/** The live-session check every scope helper makes (same conditions as active_membership()). */
const LIVE_SCOPE = `
       s.session_id = (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'session_id')::uuid
   and s.user_id = (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')::uuid
   and nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role' = 'authenticated'
   and (s.not_after is null or s.not_after > now())
   and (s.banned_until is null or s.banned_until <= now())
   and s.deleted_at is null`;

const scopeFunction = (signature: string, returns: string, column: string, extra = "", fallback?: string) => `
  create function private.${signature} returns ${returns}
    language sql stable security definer set search_path = ''
  as $$
    ${fallback
      ? `select coalesce((select s.${column} from private.session_scope s where ${LIVE_SCOPE}${extra}), ${fallback})`
      : `select s.${column} from private.session_scope s where ${LIVE_SCOPE}${extra}`}
  $$;`;

/**
 * The session's membership, level and org sets, materialized per session (in
 * production kept exact by triggers on sessions, users, memberships,
 * session_context and org_closure), so a policy helper is one primary-key lookup
 * instead of five joins. The orgs policy moves to it too (the list page joins orgs).
 */
const SESSION_SCOPE = `
  create table private.session_scope (
    session_id uuid primary key references auth.sessions (id) on delete cascade,
    user_id uuid not null references auth.users (id) on delete cascade,
    membership_id bigint not null references public.memberships (id) on delete cascade,
    org_id int not null,
    province_id int not null,
    level public.org_level not null,
    readable_org_ids int[] not null,
    visible_org_ids int[] not null,
    membership_org_ids int[] not null,
    not_after timestamptz,
    banned_until timestamptz,
    deleted_at timestamptz
  );
  alter table private.session_scope enable row level security;
  alter table private.session_scope force row level security;
  insert into private.session_scope
  select s.id, s.user_id, m.id, m.org_id, m.province_id, o.level,
         case when m.role in ${READ_ROLES}
              then (select coalesce(array_agg(c.descendant_id), '{}') from public.org_closure c where c.ancestor_id = m.org_id)
              else '{}' end,
         (select coalesce(array_agg(c.descendant_id), '{}') from public.org_closure c where c.ancestor_id = m.org_id),
         (select coalesce(array_agg(distinct mm.org_id), '{}') from public.memberships mm where mm.user_id = s.user_id),
         s.not_after, u.banned_until, u.deleted_at
    from auth.sessions s
    join auth.users u on u.id = s.user_id
    join lateral (
      select mm.* from public.memberships mm
        left join private.session_context sc on sc.session_id = s.id
       where mm.user_id = s.user_id
       order by (mm.id = sc.membership_id) desc nulls last, mm.id
       limit 1) m on true
    join public.orgs o on o.id = m.org_id;
  ${scopeFunction("scope_province_id()", "int", "province_id")}
  ${scopeFunction("scope_readable_org_ids()", "int[]", "readable_org_ids", "", "'{}'")}
  ${scopeFunction("scope_visible_org_ids()", "int[]", "visible_org_ids", "", "'{}'")}
  ${scopeFunction("scope_membership_org_ids()", "int[]", "membership_org_ids", "", "'{}'")}
  ${scopeFunction("scope_org_id_at(lvl public.org_level)", "int", "org_id", " and s.level = lvl and cardinality(s.readable_org_ids) > 0")}
  revoke execute on function private.scope_province_id(), private.scope_readable_org_ids(),
    private.scope_visible_org_ids(), private.scope_membership_org_ids(),
    private.scope_org_id_at(public.org_level) from public;
  grant execute on function private.scope_province_id(), private.scope_readable_org_ids(),
    private.scope_visible_org_ids(), private.scope_membership_org_ids() to authenticated;
`;
const UNDO_SESSION_SCOPE = `
  drop function private.scope_province_id();
  drop function private.scope_readable_org_ids();
  drop function private.scope_visible_org_ids();
  drop function private.scope_membership_org_ids();
  drop function private.scope_org_id_at(public.org_level);
  drop table private.session_scope;
`;
const SCOPE_UNITS_QUAL = `province_id = (select private.scope_province_id())
  and org_id = any ((select private.scope_readable_org_ids())::int[])`;
const CURRENT_ORGS_QUAL = `id = any ((select private.visible_org_ids())::int[])
  or id = any ((select private.my_membership_org_ids())::int[])`;
const SCOPE_ORGS_QUAL = `id = any ((select private.scope_visible_org_ids())::int[])
  or id = any ((select private.scope_membership_org_ids())::int[])`;

// ---------------------------------------------------------------------------
// level-roles: one request role per org level, each with the owner's filter shape.

const LEVELS = "xl_province, xl_city, xl_county";
const LEVEL_ROLES = (scopeOrg: string, readable: string, orgsQual: string, orgsHelpers: string) => `
  do $$ begin
    if not exists (select from pg_roles where rolname = 'xl_province') then create role xl_province nologin noinherit; end if;
    if not exists (select from pg_roles where rolname = 'xl_city') then create role xl_city nologin noinherit; end if;
    if not exists (select from pg_roles where rolname = 'xl_county') then create role xl_county nologin noinherit; end if;
  end $$;
  grant ${LEVELS} to authenticator;
  grant usage on schema private to ${LEVELS};
  grant select on public.units, public.orgs to ${LEVELS};
  grant execute on function ${scopeOrg}(public.org_level), ${readable}(), ${orgsHelpers} to ${LEVELS};
  create policy "province offices read their province's units" on public.units for select to xl_province
    using (province_id = (select ${scopeOrg}('province')));
  create policy "city offices read their subtree's units" on public.units for select to xl_city
    using (org_id = any ((select ${readable}())::int[]));
  create policy "county offices read their own units" on public.units for select to xl_county
    using (org_id = (select ${scopeOrg}('county')));
  create policy "level roles see their subtree and the orgs they belong to" on public.orgs for select to ${LEVELS}
    using (${orgsQual});
`;
const UNDO_LEVEL_ROLES = `
  drop policy "province offices read their province's units" on public.units;
  drop policy "city offices read their subtree's units" on public.units;
  drop policy "county offices read their own units" on public.units;
  drop policy "level roles see their subtree and the orgs they belong to" on public.orgs;
  drop owned by ${LEVELS};
  drop role xl_province;
  drop role xl_city;
  drop role xl_county;
`;

/** The active membership's org at a given level (null otherwise), from the live session. */
const LEVEL_SCOPE_FROM_MEMBERSHIP = `
  create function private.level_scope_org_id(lvl public.org_level) returns int
    language sql stable security definer set search_path = ''
  as $$
    select m.org_id from private.active_membership() m join public.orgs o on o.id = m.org_id
     where o.level = lvl and m.role in ${READ_ROLES}
  $$;
  revoke execute on function private.level_scope_org_id(public.org_level) from public;
`;

const levelRole = (u: BenchUser) => `xl_${u.label}`;

// ---------------------------------------------------------------------------

let saved = "";

export const VARIANTS: Variant[] = [
  {
    name: "current",
    title: "migrations as they are, the app's statements as it sends them (single-org hint for the county)",
    helpers: () => CURRENT_HELPERS,
  },
  {
    name: "previous",
    title: "before 8c632ee and f8f0cf8: no dependency statistics, org index without `include`, " +
      "active_membership() with the default 1,000-row estimate and the claims parsed per reference, " +
      "the list joined to orgs before its LIMIT, no single-org hint",
    setup: async (sql) => {
      saved = (await saveUnitsIndexAndStatistics(sql)) + (await saveFunctions(sql, ["private.active_membership()"]));
      await sql.unsafe(PREVIOUS_UNITS_INDEXES + PREVIOUS_ACTIVE_MEMBERSHIP);
    },
    teardown: async (sql) => {
      await sql.unsafe(saved);
    },
    hint: false,
    shape: "join-first",
    helpers: () => CURRENT_HELPERS,
  },
  {
    name: "no-hint",
    title: "migrations as they are, the county's statements without the app's single-org hint " +
      "(province and city send no hint: identical to current)",
    hint: false,
    users: ["county"],
    helpers: () => CURRENT_HELPERS,
  },
  {
    name: "session-scope",
    title: "the units and orgs policies read a per-session materialized scope (one pk lookup per helper)",
    setup: async (sql) => {
      saved = `alter policy ${UNITS_POLICY} using (${await savePolicyQual(sql, "units", "offices read units in their subtree")});
        alter policy ${ORGS_POLICY} using (${await savePolicyQual(sql, "orgs", "offices see their subtree and the orgs they belong to")});`;
      await sql.unsafe(SESSION_SCOPE + `
        alter policy ${UNITS_POLICY} using (${SCOPE_UNITS_QUAL});
        alter policy ${ORGS_POLICY} using (${SCOPE_ORGS_QUAL});`);
    },
    teardown: async (sql) => {
      await sql.unsafe(saved + UNDO_SESSION_SCOPE);
    },
    helpers: () => "select (select private.scope_province_id()), (select private.scope_readable_org_ids())",
  },
  {
    name: "level-roles",
    title: "one request role per org level (xl_province/xl_city/xl_county), each units policy shaped like the owner's filter",
    setup: async (sql) => {
      await sql.unsafe(LEVEL_SCOPE_FROM_MEMBERSHIP +
        LEVEL_ROLES("private.level_scope_org_id", "private.readable_org_ids", CURRENT_ORGS_QUAL,
          "private.visible_org_ids(), private.my_membership_org_ids()"));
    },
    teardown: async (sql) => {
      await sql.unsafe(UNDO_LEVEL_ROLES + "drop function private.level_scope_org_id(public.org_level);");
    },
    role: levelRole,
    helpers: (u) =>
      u.label === "city"
        ? "select (select private.readable_org_ids())"
        : `select (select private.level_scope_org_id('${u.label}'))`,
  },
  {
    name: "level-roles+scope",
    title: "level roles whose units and orgs policies read the materialized session scope",
    setup: async (sql) => {
      await sql.unsafe(SESSION_SCOPE +
        LEVEL_ROLES("private.scope_org_id_at", "private.scope_readable_org_ids", SCOPE_ORGS_QUAL,
          "private.scope_visible_org_ids(), private.scope_membership_org_ids()"));
    },
    teardown: async (sql) => {
      await sql.unsafe(UNDO_LEVEL_ROLES + UNDO_SESSION_SCOPE);
    },
    role: levelRole,
    helpers: (u) =>
      u.label === "city"
        ? "select (select private.scope_readable_org_ids())"
        : `select (select private.scope_org_id_at('${u.label}'))`,
  },
];

/**
 * A fingerprint of everything a variant may touch: policies, functions (with their
 * grants), tables, indexes, extended statistics (and whether they have been
 * analyzed), roles and role memberships, schema grants.
 */
export async function catalogState(sql: Sql): Promise<string[]> {
  const rows = await sql<{ line: string }[]>`
    select 'policy ' || schemaname || '.' || tablename || ' ' || policyname || ' ' || permissive || ' ' || cmd
           || ' ' || roles::text || ' using ' || coalesce(qual, '-') || ' check ' || coalesce(with_check, '-') as line
      from pg_policies
    union all
    select 'function ' || p.oid::regprocedure::text || ' acl ' || coalesce(p.proacl::text, '-') || E'\n'
           || pg_get_functiondef(p.oid)
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname in ('public', 'private', 'auth') and p.prokind in ('f', 'p')
    union all
    select 'relation ' || c.oid::regclass::text || ' ' || c.relkind::text || ' acl ' || coalesce(c.relacl::text, '-')
           || ' rls ' || c.relrowsecurity || '/' || c.relforcerowsecurity
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname in ('public', 'private', 'auth') and c.relkind in ('r', 'p', 'v', 'm', 'S')
    union all
    select 'index ' || indexdef from pg_indexes where schemaname in ('public', 'private', 'auth')
    union all
    select 'statistics ' || pg_get_statisticsobjdef(s.oid)
           || ' analyzed ' || exists (select from pg_statistic_ext_data d where d.stxoid = s.oid)
      from pg_statistic_ext s
    union all
    select 'role ' || rolname || ' ' || rolinherit || ' ' || rolcanlogin from pg_roles where rolname !~ '^pg_'
    union all
    select 'member ' || m.roleid::regrole::text || ' > ' || m.member::regrole::text
      from pg_auth_members m where m.roleid::regrole::text !~ '^pg_'
    union all
    select 'schema ' || nspname || ' acl ' || coalesce(nspacl::text, '-')
      from pg_namespace where nspname in ('public', 'private', 'auth')`;
  return rows.map((r) => r.line).sort();
}

/** Lines in one state and not the other, for the error message. */
export function diffStates(before: string[], after: string[]): string {
  const a = new Set(before);
  const b = new Set(after);
  return [
    ...before.filter((l) => !b.has(l)).map((l) => `- ${l}`),
    ...after.filter((l) => !a.has(l)).map((l) => `+ ${l}`),
  ].join("\n");
}
