import { randomUUID } from "node:crypto";
import type { Sql } from "../../app/lib/privileged.server";
import { createSession } from "../../app/lib/auth-store.server";
import { inUserContext } from "../../app/lib/db.server";
import { loadSessionContext } from "../../app/lib/session-context.server";

/**
 * A national-shaped org tree and a large unit registry, generated inside the
 * database (no row crosses the wire), as the table owner.
 */

export interface TreeStats {
  provinces: number;
  cities: number;
  counties: number;
  closureRows: number;
}

/**
 * 31 provinces; 8..14 cities each (mean 11); 5..13 counties per city (mean 9).
 * Orgs go through public.orgs so the triggers derive province_id and fill
 * org_closure. Region codes: PPCCKK, unique and 6 digits.
 */
export async function generateTree(sql: Sql): Promise<TreeStats> {
  await sql.unsafe(`
    insert into public.orgs (level, region_code, region_name, name)
    select 'province', (10 + p)::text || '0000', '省' || p, '省' || p || '委巡视办'
      from generate_series(1, 31) p
     order by p;

    insert into public.orgs (parent_id, level, region_code, region_name, name)
    select o.id, 'city', left(o.region_code, 2) || lpad(c::text, 2, '0') || '00',
           o.region_name || '市' || c, o.region_name || '市' || c || '委巡察办'
      from public.orgs o
     cross join lateral generate_series(1, 8 + (o.id % 7)) c
     where o.level = 'province'
     order by o.id, c;

    insert into public.orgs (parent_id, level, region_code, region_name, name)
    select o.id, 'county', left(o.region_code, 4) || lpad(k::text, 2, '0'),
           o.region_name || '县' || k, o.region_name || '县' || k || '委巡察办'
      from public.orgs o
     cross join lateral generate_series(1, 5 + (o.id % 9)) k
     where o.level = 'city'
     order by o.id, k;
  `);
  const [row] = await sql<{ provinces: number; cities: number; counties: number; closureRows: number }[]>`
    select count(*) filter (where level = 'province')::int as provinces,
           count(*) filter (where level = 'city')::int as cities,
           count(*) filter (where level = 'county')::int as counties,
           (select count(*)::int from public.org_closure) as "closureRows"
      from public.orgs`;
  return row;
}

/**
 * `count` units spread evenly over all orgs, appended in time order (as a registry
 * grows: heap order follows created_at, with jitter), consecutive rows going to
 * different orgs, every enum value used, and names unique per org. Triggers are
 * skipped (session_replication_role = replica), so province_id is supplied here,
 * taken from the org.
 */
export async function generateUnits(sql: Sql, count: number): Promise<void> {
  // Seven years of registrations; g * 7919 mod n (7919 is prime) visits every org equally.
  const stepSeconds = Math.max(1, Math.floor((7 * 365 * 86400) / count));
  await sql.begin(async (tx) => {
    await tx.unsafe(`set local session_replication_role = replica`);
    await tx.unsafe(`
      with o as (
        select array_agg(id order by id) as ids, array_agg(province_id order by id) as provs, count(*)::int as n
          from public.orgs
      ),
      cats as (select enum_range(null::public.unit_category) as c),
      lv as (select enum_range(null::public.cadre_level) as l)
      insert into public.units (org_id, province_id, name, category, head_level, active, created_at, updated_at)
      select o.ids[1 + (g::bigint * 7919) % o.n],
             o.provs[1 + (g::bigint * 7919) % o.n],
             '巡察对象' || g,
             cats.c[1 + (g * 7) % 16],
             lv.l[1 + (g * 13) % 3],
             g % 50 <> 0,
             ts, ts
        from o, cats, lv,
             generate_series(1, ${count}) g,
             lateral (select timestamptz '2019-01-01 00:00:00+08'
                             + make_interval(secs => (g::bigint * ${stepSeconds} + (g * 37) % ${stepSeconds})::double precision) as ts) t
    `);
  });
}

export interface BenchUser {
  label: "province" | "city" | "county";
  email: string;
  userId: string;
  orgId: number;
  provinceId: number;
  /** The org and its descendants (what readable_org_ids() returns), from org_closure. */
  subtree: number[];
  /** The `subtreeOrgIds` the app hands to the unit queries (loadSessionContext); set by resolveAppScope. */
  appSubtree: number[];
  claims: { sub: string; role: "authenticated"; aud: "authenticated"; session_id: string; email: string };
}

/**
 * Three users in the first province: its office director, the director of a city
 * with 9 counties, and a staff member of one of that city's counties.
 */
export async function createUsers(sql: Sql): Promise<BenchUser[]> {
  const [province] = await sql<{ id: number }[]>`select id from public.orgs where level = 'province' order by id limit 1`;
  const [city] = await sql<{ id: number }[]>`
    select c.id from public.orgs c
     where c.parent_id = ${province.id}
       and (select count(*) from public.orgs k where k.parent_id = c.id) = 9
     order by c.id limit 1`;
  const [county] = await sql<{ id: number }[]>`select id from public.orgs where parent_id = ${city.id} order by id limit 1`;
  const plan: [BenchUser["label"], number, string][] = [
    ["province", province.id, "office_director"],
    ["city", city.id, "office_director"],
    ["county", county.id, "office_staff"],
  ];
  const users: BenchUser[] = [];
  for (const [label, orgId, role] of plan) {
    const userId = randomUUID();
    const email = `bench.${label}@xunlian.local`;
    await sql`
      insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
      values (${userId}, 'authenticated', 'authenticated', ${email}, now(),
              '{"provider":"email","providers":["email"]}', ${sql.json({ display_name: `bench ${label}` })}, now(), now())`;
    await sql`insert into public.memberships (user_id, org_id, role) values (${userId}, ${orgId}, ${role})`;
    const session = await createSession(sql, userId, { userAgent: "bench-rls" });
    const [scope] = await sql<{ provinceId: number; subtree: number[] }[]>`
      select o.province_id as "provinceId",
             (select array_agg(c.descendant_id order by c.descendant_id) from public.org_closure c where c.ancestor_id = o.id) as subtree
        from public.orgs o where o.id = ${orgId}`;
    users.push({
      label,
      email,
      userId,
      orgId,
      provinceId: scope.provinceId,
      subtree: scope.subtree,
      appSubtree: [],
      claims: { sub: userId, role: "authenticated", aud: "authenticated", session_id: session.id, email },
    });
  }
  return users;
}

/**
 * The `subtreeOrgIds` each user's requests hand to listUnits/countActiveUnits, as
 * requireUser builds it: loadSessionContext in the user's RLS context. Checked
 * against org_closure.
 */
export async function resolveAppScope(app: Sql, users: BenchUser[]): Promise<void> {
  for (const u of users) {
    const session = await inUserContext(app, u.claims, (tx) => loadSessionContext(tx, u.userId));
    if (!session) throw new Error(`no session context for the ${u.label} user`);
    u.appSubtree = session.permissionUser.subtreeOrgIds;
    const sorted = [...u.appSubtree].sort((a, b) => a - b);
    if (JSON.stringify(sorted) !== JSON.stringify(u.subtree)) {
      throw new Error(`${u.label}: the app's subtree differs from org_closure`);
    }
  }
}
