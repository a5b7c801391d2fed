import type { Tx } from "~/lib/db.server";

export interface OrgNode {
  id: number;
  parentId: number | null;
  level: "province" | "city" | "county";
  name: string;
  regionCode: string;
  ownUnits: number;
  totalUnits: number;
  childCount: number;
}

/**
 * The org tree the user may see (RLS on orgs), with active unit counts per org and
 * rolled up over each org's subtree (RLS on units: roles without business access get 0).
 */
export async function orgTree(db: Tx): Promise<OrgNode[]> {
  return db<OrgNode[]>`
    with own as (
      select u.org_id, count(*)::int as n from public.units u where u.active group by u.org_id
    ),
    rolled as (
      select c.ancestor_id as org_id, sum(own.n)::int as n
        from public.org_closure c join own on own.org_id = c.descendant_id
       group by c.ancestor_id
    )
    select o.id, o.parent_id as "parentId", o.level, o.name, o.region_code as "regionCode",
           coalesce(own.n, 0) as "ownUnits", coalesce(rolled.n, 0) as "totalUnits",
           (select count(*)::int from public.orgs k where k.parent_id = o.id) as "childCount"
      from public.orgs o
      left join own on own.org_id = o.id
      left join rolled on rolled.org_id = o.id
     where o.id = any ((select private.visible_org_ids())::int[])
     order by o.level, o.region_code`;
}

/** Orgs in the subtree, for filter pickers. */
export async function orgOptions(db: Tx): Promise<{ id: number; name: string; level: OrgNode["level"] }[]> {
  return db`
    select id, name, level from public.orgs
     where id = any ((select private.visible_org_ids())::int[])
     order by level, region_code`;
}
