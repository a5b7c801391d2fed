import { afterAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql, ownerSql } from "./support/db";
import { ownerRolledBack } from "./support/fixtures";

afterAll(closeTestSql);

/**
 * Catalogue lints (rls-notes.md, "Lints worth gating on", plus what Supabase's linter
 * misses). Each lint is a query that returns the offending objects; the suite asserts
 * it returns nothing, and then proves the lint can fail by creating a violation in an
 * owner transaction that is rolled back and asserting the lint reports it.
 */

type Db = Tx | ReturnType<typeof ownerSql>;
type Lint = (db: Db) => Promise<string[]>;

const SYSTEM_SCHEMAS = `n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
                        and n.nspname not like 'pg\\_temp\\_%' and n.nspname not like 'pg\\_toast\\_temp\\_%'`;
const DEFINER_SCHEMAS = `('public', 'private', 'auth')`;

/** Schema-qualified name of a relation oid, whatever the search_path. */
const qualified = (oid: string) =>
  `(select format('%I.%I', qn.nspname, qc.relname) from pg_class qc join pg_namespace qn on qn.oid = qc.relnamespace
     where qc.oid = ${oid})`;

async function names(db: Db, query: string): Promise<string[]> {
  const rows = await (db as Tx).unsafe<{ name: string }[]>(query);
  return rows.map((r) => r.name).sort();
}

/** Tables (plain or partitioned) in any non-system schema without row level security. */
const tablesWithoutRls: Lint = (db) =>
  names(
    db,
    `select format('%I.%I', n.nspname, c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and ${SYSTEM_SCHEMAS} and not c.relrowsecurity`,
  );

/** Public tables with row level security and no policy: a deny-all table nobody meant. */
const publicTablesWithoutPolicy: Lint = (db) =>
  names(
    db,
    `select format('%I.%I', n.nspname, c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = 'public' and c.relrowsecurity
        and not exists (select 1 from pg_policy p where p.polrelid = c.oid)`,
  );

/** Policies without an explicit role (`to public`, stored as role 0). */
const policiesWithoutRole: Lint = (db) =>
  names(
    db,
    `select format('%s: %s', ${qualified("p.polrelid")}, p.polname) as name
       from pg_policy p where 0 = any (p.polroles) or cardinality(p.polroles) = 0`,
  );

/** Policies that apply to any role other than `authenticated` or `anon`. */
const policiesForOtherRoles: Lint = (db) =>
  names(
    db,
    `select format('%s: %s', ${qualified("p.polrelid")}, p.polname) as name
       from pg_policy p
      where exists (select 1 from unnest(p.polroles) r
                     where r = 0 or r not in (select oid from pg_roles where rolname in ('authenticated', 'anon')))`,
  );

/** More than one permissive policy for the same table, role and command (each is evaluated and ORed). */
const multiplePermissivePolicies: Lint = (db) =>
  names(
    db,
    `with expanded as (
       select p.polrelid, r as role, cmd, p.polname
         from pg_policy p, unnest(p.polroles) r,
              unnest(case p.polcmd when '*' then array['r', 'a', 'w', 'd'] else array[p.polcmd::text] end) cmd
        where p.polpermissive)
     select format('%s: role %s, command %s: %s', ${qualified("polrelid")}, role, cmd, string_agg(polname, ' | ' order by polname)) as name
       from expanded group by polrelid, role, cmd having count(*) > 1`,
  );

/** Security-definer functions without a pinned search_path. */
const definersWithoutSearchPath: Lint = (db) =>
  names(
    db,
    `select p.oid::regprocedure::text as name
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prosecdef and n.nspname in ${DEFINER_SCHEMAS}
        and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search\\_path=%')`,
  );

/** Security-definer functions that anon or PUBLIC may execute. */
const definersExecutableByAnon: Lint = (db) =>
  names(
    db,
    `select p.oid::regprocedure::text as name
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prosecdef and n.nspname in ${DEFINER_SCHEMAS}
        and (has_function_privilege('anon', p.oid, 'execute')
             or has_function_privilege('public', p.oid, 'execute')
             or exists (select 1 from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                         where a.grantee = 0 and a.privilege_type = 'EXECUTE'))`,
  );

/** Views that run with their owner's rights (they bypass RLS). */
const viewsWithoutSecurityInvoker: Lint = (db) =>
  names(
    db,
    `select format('%I.%I', n.nspname, c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'v' and ${SYSTEM_SCHEMAS}
        and not exists (select 1 from unnest(coalesce(c.reloptions, '{}')) o
                         where o ~* '^security_invoker=(true|on|yes|1)$')`,
  );

/** Tables, views and sequences on which anon holds any privilege (Supabase's defaults grant ALL in public). */
const relationsGrantedToAnon: Lint = (db) =>
  names(
    db,
    `select format('%I.%I: %s', n.nspname, c.relname, string_agg(a.privilege_type, ',' order by a.privilege_type)) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       cross join lateral aclexplode(coalesce(c.relacl, acldefault(case when c.relkind = 'S' then 's' else 'r' end::"char", c.relowner))) a
      where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') and ${SYSTEM_SCHEMAS}
        and (a.grantee = 0 or a.grantee = (select oid from pg_roles where rolname = 'anon'))
      group by n.nspname, c.relname`,
  );

/** Extensions installed into the exposed public schema. */
const extensionsInPublic: Lint = (db) =>
  names(db, `select e.extname as name from pg_extension e where e.extnamespace = 'public'::regnamespace`);

/** Foreign keys (public, private) with no index whose leading columns are the key's columns. */
const unindexedForeignKeys: Lint = (db) =>
  names(
    db,
    `select format('%s.%s', ${qualified("c.conrelid")}, c.conname) as name
       from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where c.contype = 'f' and n.nspname in ('public', 'private')
        and not exists (
          select 1 from pg_index i
           where i.indrelid = c.conrelid and i.indisvalid and i.indpred is null
             and (select array_agg(k order by k) from unnest((i.indkey::int2[])[0:cardinality(c.conkey) - 1]) k)
               = (select array_agg(k order by k) from unnest(c.conkey) k))`,
  );

/** Columns a policy reads that lead no (valid, non-partial) btree index of the table. */
const policyColumnsWithoutIndex: Lint = (db) =>
  names(
    db,
    `select distinct format('%s.%s (policy "%s")', ${qualified("p.polrelid")}, a.attname, p.polname) as name
       from pg_policy p
       join pg_depend d on d.classid = 'pg_policy'::regclass and d.objid = p.oid
                       and d.refclassid = 'pg_class'::regclass and d.refobjid = p.polrelid and d.refobjsubid > 0
       join pg_attribute a on a.attrelid = p.polrelid and a.attnum = d.refobjsubid
      where not exists (
        select 1 from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_am am on am.oid = ic.relam
         where i.indrelid = p.polrelid and i.indkey[0] = d.refobjsubid and am.amname = 'btree'
           and i.indisvalid and i.indpred is null)`,
  );

/** Policies whose text mentions user_metadata (editable by the user himself in Supabase). */
const policiesReadingUserMetadata: Lint = (db) =>
  names(
    db,
    `select format('%s: %s', ${qualified("p.polrelid")}, p.polname) as name from pg_policy p
      where coalesce(pg_get_expr(p.polqual, p.polrelid), '') || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
            ~* 'user_metadata'`,
  );

interface PolicyExpr {
  table: string;
  policy: string;
  clause: "using" | "with check";
  text: string;
  tree: string;
  columns: string[];
}

async function policyExpressions(db: Db): Promise<PolicyExpr[]> {
  return (db as Tx).unsafe<PolicyExpr[]>(`
    select ${qualified("p.polrelid")}::text as "table", p.polname as policy, x.clause,
           pg_get_expr(x.expr, p.polrelid) as text, x.expr::text as tree,
           array(select a.attname::text from pg_attribute a
                  where a.attrelid = p.polrelid and a.attnum > 0 and not a.attisdropped) as columns
      from pg_policy p
      cross join lateral (values ('using', p.polqual), ('with check', p.polwithcheck)) as x(clause, expr)
     where x.expr is not null`);
}

/** `auth.*()` and `private.*()` calls in the deparsed policy text that are not `( SELECT fn() …)`. */
const unwrappedHelperCallsInText: Lint = async (db) => {
  const out: string[] = [];
  for (const p of await policyExpressions(db)) {
    for (const m of p.text.matchAll(/\b(?:private|auth)\.[a-z_][a-z0-9_]*\(/gi)) {
      const before = p.text.slice(0, m.index).trimEnd();
      if (!/\(\s*SELECT$/i.test(before)) out.push(`${p.table}: ${p.policy} (${p.clause}): ${m[0]}…) not wrapped`);
    }
  }
  return out.sort();
};

/** `auth.uid()` (and auth.jwt()/auth.role()) in a policy that is not `( SELECT auth.uid() …)`. */
const unwrappedAuthFunctions: Lint = async (db) => {
  const out: string[] = [];
  for (const p of await policyExpressions(db)) {
    for (const m of p.text.matchAll(/\bauth\.(uid|jwt|role)\(\)/gi)) {
      const before = p.text.slice(0, m.index);
      if (!/\(\s*SELECT\s+$/i.test(before)) out.push(`${p.table}: ${p.policy} (${p.clause}): ${m[0]}`);
    }
  }
  return out.sort();
};

/** Function calls in the deparsed text whose parentheses name a column of the table. */
const callsWithColumnArgumentsInText: Lint = async (db) => {
  const out: string[] = [];
  for (const p of await policyExpressions(db)) {
    for (const m of p.text.matchAll(/\b([a-z_][a-z0-9_.]*)\(/gi)) {
      let depth = 0;
      let end = m.index! + m[0].length - 1;
      for (; end < p.text.length; end++) {
        if (p.text[end] === "(") depth++;
        else if (p.text[end] === ")" && --depth === 0) break;
      }
      const args = p.text.slice(m.index! + m[0].length, end);
      // A column, bare or qualified (pg_get_expr writes `lint_probe.org_id` inside sub-selects).
      const column = p.columns.find((c) => new RegExp(`(^|[^a-z0-9_"])"?${c}"?($|[^a-z0-9_("])`, "i").test(args));
      if (column) out.push(`${p.table}: ${p.policy} (${p.clause}): ${m[1]}(…${column}…)`);
    }
  }
  return out.sort();
};

/**
 * The same two rules on the stored expression tree, which no formatting can fool:
 * a FUNCEXPR of a private/auth function outside any sub-select (so evaluated per row),
 * and any FUNCEXPR with an argument that depends on the policy's row (a Var whose
 * varlevelsup reaches the policy's own query level), wrapped in a sub-select or not.
 */
function scanPolicyTree(tree: string): { funcid: number; wrapped: boolean; rowArgument: boolean }[] {
  const tokens = tree.match(/"(?:\\.|[^"\\])*"|[{}()]|(?:\\.|[^\s{}()])+/g) ?? [];
  type Frame = { type: string; funcid?: number; rowArgument?: boolean; queryDepth: number };
  const stack: Frame[] = [];
  const found: { funcid: number; wrapped: boolean; rowArgument: boolean }[] = [];
  const queryDepth = () => stack.filter((f) => f.type === "QUERY").length;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === "{") {
      const type = tokens[++i];
      stack.push({ type, queryDepth: queryDepth() + (type === "QUERY" ? 1 : 0) });
    } else if (t === "}") {
      const frame = stack.pop()!;
      if (frame.type === "FUNCEXPR") {
        found.push({ funcid: frame.funcid!, wrapped: frame.queryDepth > 0, rowArgument: !!frame.rowArgument });
      }
    } else if (t === ":funcid" && stack.at(-1)?.type === "FUNCEXPR") {
      stack.at(-1)!.funcid = Number(tokens[++i]);
    } else if (t === ":varlevelsup" && stack.at(-1)?.type === "VAR") {
      const levelsUp = Number(tokens[++i]);
      if (levelsUp === stack.at(-1)!.queryDepth) for (const f of stack) if (f.type === "FUNCEXPR") f.rowArgument = true;
    }
  }
  return found;
}

const policyFunctionCallsInTree: Lint = async (db) => {
  const exprs = await policyExpressions(db);
  const calls = exprs.flatMap((p) => scanPolicyTree(p.tree).map((c) => ({ ...c, p })));
  if (!calls.length) return [];
  const procs = await (db as Tx).unsafe<{ oid: number; sig: string; nsp: string }[]>(
    `select p.oid::int as oid, p.oid::regprocedure::text as sig, p.pronamespace::regnamespace::text as nsp
       from pg_proc p where p.oid = any($1::oid[])`,
    [[...new Set(calls.map((c) => c.funcid))]] as never,
  );
  const byOid = new Map(procs.map((r) => [r.oid, r]));
  const out = new Set<string>();
  for (const c of calls) {
    const proc = byOid.get(c.funcid);
    const where = `${c.p.table}: ${c.p.policy} (${c.p.clause})`;
    if (!proc) throw new Error(`unknown function ${c.funcid} in ${where}`);
    if (!c.wrapped && (proc.nsp === "private" || proc.nsp === "auth")) out.add(`${where}: ${proc.sig} is not wrapped in (select …)`);
    if (c.rowArgument) out.add(`${where}: ${proc.sig} takes a column of the row`);
  }
  return [...out].sort();
};

const LINTS: Record<string, Lint> = {
  tablesWithoutRls,
  publicTablesWithoutPolicy,
  policiesWithoutRole,
  policiesForOtherRoles,
  multiplePermissivePolicies,
  definersWithoutSearchPath,
  definersExecutableByAnon,
  viewsWithoutSecurityInvoker,
  extensionsInPublic,
  relationsGrantedToAnon,
  unindexedForeignKeys,
  policyColumnsWithoutIndex,
  policiesReadingUserMetadata,
  unwrappedHelperCallsInText,
  unwrappedAuthFunctions,
  callsWithColumnArgumentsInText,
  policyFunctionCallsInTree,
};

/** A probe table with RLS and one well-formed policy, to hang violations on. */
async function probeTable(tx: Tx, name = "lint_probe") {
  await tx.unsafe(`
    create table public.${name} (id int primary key, owner_id uuid, org_id int, note text);
    create index ${name}_owner_id_idx on public.${name} (owner_id);
    create index ${name}_org_id_idx on public.${name} (org_id);
    alter table public.${name} enable row level security;
    create policy "${name} ok" on public.${name} for select to authenticated
      using (owner_id = (select auth.uid()));`);
}

describe("catalogue lints on the migrated schema", () => {
  it("the schema under lint is the real one (the lints have something to inspect)", async () => {
    const db = ownerSql();
    const [row] = await db<{ tables: number; policies: number; definers: number }[]>`
      select (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
               where c.relkind = 'r' and n.nspname in ('public', 'private', 'auth')) as tables,
             (select count(*)::int from pg_policy) as policies,
             (select count(*)::int from pg_proc where prosecdef) as definers`;
    expect(row.tables).toBeGreaterThanOrEqual(10);
    expect(row.policies).toBeGreaterThanOrEqual(10);
    expect(row.definers).toBeGreaterThanOrEqual(10);
    expect((await policyExpressions(db)).length).toBeGreaterThanOrEqual(10);
  });

  it("row level security is enabled on every table of every non-system schema (public, private, auth, supabase_migrations)", async () => {
    expect(await tablesWithoutRls(ownerSql())).toEqual([]);
  });

  it("every public table with row level security has at least one policy", async () => {
    expect(await publicTablesWithoutPolicy(ownerSql())).toEqual([]);
  });

  it("no policy is written without a role (to public)", async () => {
    expect(await policiesWithoutRole(ownerSql())).toEqual([]);
  });

  it("every policy is for authenticated or anon, explicitly", async () => {
    expect(await policiesForOtherRoles(ownerSql())).toEqual([]);
  });

  it("there is at most one permissive policy per table, role and command", async () => {
    expect(await multiplePermissivePolicies(ownerSql())).toEqual([]);
  });

  it("every security-definer function in public, private and auth pins its search_path", async () => {
    expect(await definersWithoutSearchPath(ownerSql())).toEqual([]);
  });

  it("no security-definer function is executable by anon or PUBLIC", async () => {
    expect(await definersExecutableByAnon(ownerSql())).toEqual([]);
  });

  it("a function the migration role creates later in private or public is not executable by PUBLIC (default privileges)", async () => {
    // The migrations' `alter default privileges in schema … revoke execute … from public` is meant to
    // guarantee this; the trigger functions of later migrations show whether it does.
    const found = await ownerRolledBack(async (tx) => {
      await tx.unsafe(`
        create function private.lint_probe_later() returns int language sql security definer set search_path = '' as 'select 1';
        create function public.lint_probe_later() returns int language sql security definer set search_path = '' as 'select 1';`);
      return tx<{ fn: string; pub: boolean }[]>`
        select p.oid::regprocedure::text as fn, has_function_privilege('public', p.oid, 'execute') as pub
          from pg_proc p where p.proname = 'lint_probe_later' order by 1`;
    });
    expect(found).toEqual([
      { fn: "lint_probe_later()", pub: false },
      { fn: "private.lint_probe_later()", pub: false },
    ]);
  });

  it("every view is security_invoker", async () => {
    expect(await viewsWithoutSecurityInvoker(ownerSql())).toEqual([]);
  });

  it("no extension is installed in public", async () => {
    expect(await extensionsInPublic(ownerSql())).toEqual([]);
  });

  it("anon and PUBLIC hold no privilege on any table, view or sequence", async () => {
    expect(await relationsGrantedToAnon(ownerSql())).toEqual([]);
  });

  it("every foreign key in public and private has an index leading with its columns", async () => {
    expect(await unindexedForeignKeys(ownerSql())).toEqual([]);
  });

  it("every column a policy reads leads a btree index of its table", async () => {
    expect(await policyColumnsWithoutIndex(ownerSql())).toEqual([]);
  });

  it("no policy reads user_metadata", async () => {
    expect(await policiesReadingUserMetadata(ownerSql())).toEqual([]);
  });

  it("every private/auth helper call in a policy is wrapped as ( SELECT fn() …), by the deparsed text", async () => {
    expect(await unwrappedHelperCallsInText(ownerSql())).toEqual([]);
  });

  it("auth.uid() is always wrapped as ( SELECT auth.uid() …)", async () => {
    expect(await unwrappedAuthFunctions(ownerSql())).toEqual([]);
  });

  it("no function call in a policy names a column of the table, by the deparsed text", async () => {
    expect(await callsWithColumnArgumentsInText(ownerSql())).toEqual([]);
  });

  it("no policy calls a helper per row or with a column argument, by the stored expression tree", async () => {
    expect(await policyFunctionCallsInTree(ownerSql())).toEqual([]);
  });
});

describe("each lint catches a violation (created in an owner transaction that rolls back)", () => {
  it("tablesWithoutRls: a public and a private table without RLS", async () => {
    const found = await ownerRolledBack(async (tx) => {
      await tx.unsafe(`create table public.lint_probe_norls (id int); create table private.lint_probe_norls (id int);`);
      return tablesWithoutRls(tx);
    });
    expect(found).toEqual(["private.lint_probe_norls", "public.lint_probe_norls"]);
  });

  it("publicTablesWithoutPolicy: RLS enabled and no policy", async () => {
    const found = await ownerRolledBack(async (tx) => {
      await tx.unsafe(`create table public.lint_probe_nopolicy (id int); alter table public.lint_probe_nopolicy enable row level security;`);
      return publicTablesWithoutPolicy(tx);
    });
    expect(found).toEqual(["lint_probe_nopolicy"].map((t) => `public.${t}`));
  });

  it("policiesWithoutRole and policiesForOtherRoles: a policy with no `to`, and one to service_role", async () => {
    const found = await ownerRolledBack(async (tx) => {
      await probeTable(tx);
      await tx.unsafe(`
        create policy "no role" on public.lint_probe for update using (owner_id = (select auth.uid()));
        create policy "service" on public.lint_probe for delete to service_role using (owner_id = (select auth.uid()));`);
      return { noRole: await policiesWithoutRole(tx), other: await policiesForOtherRoles(tx) };
    });
    expect(found).toEqual({
      noRole: ["public.lint_probe: no role"],
      other: ["public.lint_probe: no role", "public.lint_probe: service"],
    });
  });

  it("multiplePermissivePolicies: two permissive select policies for authenticated", async () => {
    const found = await ownerRolledBack(async (tx) => {
      await probeTable(tx);
      await tx.unsafe(`create policy "all" on public.lint_probe for all to authenticated using (org_id = 1);`);
      return multiplePermissivePolicies(tx);
    });
    expect(found).toEqual([`public.lint_probe: role ${await roleOid("authenticated")}, command r: all | lint_probe ok`]);
  });

  it("definersWithoutSearchPath: a security-definer function without set search_path", async () => {
    const found = await ownerRolledBack(async (tx) => {
      await tx.unsafe(`
        create function private.lint_probe_definer() returns int language sql security definer as 'select 1';
        create function private.lint_probe_pinned() returns int language sql security definer set search_path = '' as 'select 1';`);
      return definersWithoutSearchPath(tx);
    });
    expect(found).toEqual(["private.lint_probe_definer()"]);
  });

  it("definersExecutableByAnon: an execute grant to PUBLIC, and one to anon", async () => {
    const found = await ownerRolledBack(async (tx) => {
      await tx.unsafe(`
        create function private.lint_probe_default() returns int language sql security definer set search_path = '' as 'select 1';
        grant execute on function private.lint_probe_default() to public;
        create function private.lint_probe_anon() returns int language sql security definer set search_path = '' as 'select 1';
        revoke execute on function private.lint_probe_anon() from public;
        grant execute on function private.lint_probe_anon() to anon;
        create function private.lint_probe_revoked() returns int language sql security definer set search_path = '' as 'select 1';
        revoke execute on function private.lint_probe_revoked() from public;
        grant execute on function private.lint_probe_revoked() to authenticated;`);
      return (await definersExecutableByAnon(tx)).filter((n) => n.includes("lint_probe"));
    });
    expect(found).toEqual(["private.lint_probe_anon()", "private.lint_probe_default()"]);
  });

  it("viewsWithoutSecurityInvoker: a plain view, but not a security_invoker one", async () => {
    const found = await ownerRolledBack(async (tx) => {
      await tx.unsafe(`
        create view public.lint_probe_definer_view as select id from public.orgs;
        create view public.lint_probe_invoker_view with (security_invoker = true) as select id from public.orgs;
        create view private.lint_probe_private_view with (security_invoker = false) as select 1 as x;`);
      return viewsWithoutSecurityInvoker(tx);
    });
    expect(found).toEqual(["private.lint_probe_private_view", "public.lint_probe_definer_view"]);
  });

  it("extensionsInPublic: an extension created in public", async () => {
    const [candidate] = await ownerSql()<{ name: string }[]>`
      select name from pg_available_extensions
       where installed_version is null and name in ('citext', 'isn', 'seg', 'cube', 'hstore', 'ltree', 'pg_trgm')
       order by name limit 1`;
    expect(candidate, "an uninstalled contrib extension to probe with").toBeDefined();
    const found = await ownerRolledBack(async (tx) => {
      await tx.unsafe(`create extension ${candidate.name} schema public`);
      return extensionsInPublic(tx);
    });
    expect(found).toEqual([candidate.name]);
  });

  it("relationsGrantedToAnon: Supabase's default grant of a new public table to anon, and a grant to PUBLIC", async () => {
    const found = await ownerRolledBack(async (tx) => {
      await probeTable(tx);
      await tx.unsafe(`
        create table private.lint_probe_public (id int);
        alter table private.lint_probe_public enable row level security;
        grant all on public.lint_probe to anon, authenticated;
        grant select on private.lint_probe_public to public;`);
      return relationsGrantedToAnon(tx);
    });
    expect(found).toEqual([
      "private.lint_probe_public: SELECT",
      "public.lint_probe: DELETE,INSERT,MAINTAIN,REFERENCES,SELECT,TRIGGER,TRUNCATE,UPDATE",
    ]);
  });

  it("unindexedForeignKeys: a foreign key without an index, but not one led by an index or covered by a composite", async () => {
    const found = await ownerRolledBack(async (tx) => {
      await tx.unsafe(`
        create table private.lint_probe_parent (a int, b int, primary key (a, b));
        create table private.lint_probe_child (
          id int primary key, x int, y int, z int, w int,
          constraint bare foreign key (x, y) references private.lint_probe_parent (a, b),
          constraint led foreign key (z, w) references private.lint_probe_parent (a, b));
        create index lint_probe_child_w_z_id on private.lint_probe_child (w, z, id);
        create index lint_probe_child_y_only on private.lint_probe_child (y, x) where x > 0;`);
      return unindexedForeignKeys(tx);
    });
    expect(found).toEqual(["private.lint_probe_child.bare"]);
  });

  it("policyColumnsWithoutIndex: a policy column with no index, or only a non-leading or partial one", async () => {
    const found = await ownerRolledBack(async (tx) => {
      await probeTable(tx);
      await tx.unsafe(`
        create index lint_probe_org_note_idx on public.lint_probe (org_id, note);
        create index lint_probe_note_partial on public.lint_probe (id) where note is not null;
        create policy "by note" on public.lint_probe for update to authenticated
          using (note = 'x' and org_id = 1) with check (id > 0);`);
      return policyColumnsWithoutIndex(tx);
    });
    expect(found).toEqual(['public.lint_probe.note (policy "by note")']);
  });

  it("policiesReadingUserMetadata: a policy on the user's own editable metadata", async () => {
    const found = await ownerRolledBack(async (tx) => {
      await probeTable(tx);
      await tx.unsafe(`
        create policy "metadata" on public.lint_probe for update to authenticated
          using (note = ((select auth.jwt()) -> 'user_metadata' ->> 'org'));`);
      return policiesReadingUserMetadata(tx);
    });
    expect(found).toEqual(["public.lint_probe: metadata"]);
  });

  it("the call lints catch a bare auth.uid(), a per-row helper, and a helper with a column argument, wrapped or not", async () => {
    const found = await ownerRolledBack(async (tx) => {
      await probeTable(tx);
      await tx.unsafe(`
        create function private.lint_probe_can_read(org int) returns boolean
          language sql stable security definer set search_path = '' as 'select org > 0';
        create policy "bare uid" on public.lint_probe for insert to authenticated with check (owner_id = auth.uid());
        create policy "per row" on public.lint_probe for update to authenticated
          using (org_id = any (private.readable_org_ids())) with check (private.lint_probe_can_read(org_id));
        create policy "wrapped column" on public.lint_probe for delete to authenticated
          using ((select private.lint_probe_can_read(org_id)));
        create policy "builtin on column" on public.lint_probe for select to anon using (lower(note) = 'x');`);
      return {
        text: await unwrappedHelperCallsInText(tx),
        auth: await unwrappedAuthFunctions(tx),
        columnText: await callsWithColumnArgumentsInText(tx),
        tree: await policyFunctionCallsInTree(tx),
      };
    });
    expect(found.text).toEqual([
      "public.lint_probe: bare uid (with check): auth.uid(…) not wrapped",
      "public.lint_probe: per row (using): private.readable_org_ids(…) not wrapped",
      "public.lint_probe: per row (with check): private.lint_probe_can_read(…) not wrapped",
    ]);
    expect(found.auth).toEqual(["public.lint_probe: bare uid (with check): auth.uid()"]);
    expect(found.columnText).toEqual([
      "public.lint_probe: builtin on column (using): lower(…note…)",
      "public.lint_probe: per row (with check): private.lint_probe_can_read(…org_id…)",
      "public.lint_probe: wrapped column (using): private.lint_probe_can_read(…org_id…)",
    ]);
    expect(found.tree).toEqual([
      "public.lint_probe: bare uid (with check): auth.uid() is not wrapped in (select …)",
      "public.lint_probe: builtin on column (using): lower(text) takes a column of the row",
      "public.lint_probe: per row (using): private.readable_org_ids() is not wrapped in (select …)",
      "public.lint_probe: per row (with check): private.lint_probe_can_read(integer) is not wrapped in (select …)",
      "public.lint_probe: per row (with check): private.lint_probe_can_read(integer) takes a column of the row",
      "public.lint_probe: wrapped column (using): private.lint_probe_can_read(integer) takes a column of the row",
    ]);
  });

  it("the tree lint sees a column smuggled into a wrapped helper through a correlated sub-select", async () => {
    const found = await ownerRolledBack(async (tx) => {
      await probeTable(tx);
      await tx.unsafe(`
        create function private.lint_probe_orgs_of(org int) returns setof int
          language sql stable security definer set search_path = '' as 'select org';
        create policy "correlated" on public.lint_probe for update to authenticated
          using (exists (select 1 from private.lint_probe_orgs_of(org_id) o where o = 1));`);
      return policyFunctionCallsInTree(tx);
    });
    expect(found).toEqual(["public.lint_probe: correlated (using): private.lint_probe_orgs_of(integer) takes a column of the row"]);
  });

  it("every lint above has a probe (no lint is left unproven)", () => {
    const probed = [
      "tablesWithoutRls", "publicTablesWithoutPolicy", "policiesWithoutRole", "policiesForOtherRoles",
      "multiplePermissivePolicies", "definersWithoutSearchPath", "definersExecutableByAnon",
      "viewsWithoutSecurityInvoker", "extensionsInPublic", "relationsGrantedToAnon", "unindexedForeignKeys", "policyColumnsWithoutIndex",
      "policiesReadingUserMetadata", "unwrappedHelperCallsInText", "unwrappedAuthFunctions",
      "callsWithColumnArgumentsInText", "policyFunctionCallsInTree",
    ];
    expect(probed.sort()).toEqual(Object.keys(LINTS).sort());
  });
});

async function roleOid(name: string): Promise<number> {
  const [row] = await ownerSql()<{ oid: number }[]>`select oid::int as oid from pg_roles where rolname = ${name}`;
  return row.oid;
}
