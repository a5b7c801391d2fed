import type { PermissionUser, Role, specialPermissions } from "@xunlian/permissions";
import type { Tx } from "./db.server";

/**
 * Who is acting, read back from the database inside the request's RLS context (the
 * same helpers the policies use), so CASL is built from exactly what RLS enforces.
 */
export interface ActiveOrg {
  id: number;
  name: string;
  level: "province" | "city" | "county";
  regionCode: string;
  provinceId: number;
  /** A unit contact's inspected unit. */
  unitName: string | null;
}

export interface MembershipSummary {
  id: number;
  orgId: number;
  orgName: string;
  orgLevel: ActiveOrg["level"];
  role: Role;
  active: boolean;
}

export interface SessionContext {
  membershipId: number;
  role: Role;
  activeOrg: ActiveOrg;
  memberships: MembershipSummary[];
  permissionUser: PermissionUser;
}

export async function loadSessionContext(tx: Tx, userId: string): Promise<SessionContext | null> {
  const [active] = await tx<
    {
      membershipId: number; role: Role; orgId: number; name: string; level: ActiveOrg["level"]; regionCode: string;
      provinceId: number; subtree: number[]; mine: number[]; groups: number[];
      permissions: (typeof specialPermissions)[number][];
      lineage: number[]; unitIds: number[]; isUnitHead: boolean; unitName: string | null;
      auditable: number[]; campaigns: number[]; dispatches: number[];
    }[]
  >`
    select m.membership_id::int as "membershipId", m.role, o.id as "orgId", o.name, o.level,
           o.region_code as "regionCode", o.province_id as "provinceId",
           private.visible_org_ids() as subtree, private.my_membership_org_ids() as mine,
           private.my_group_ids()::int[] as groups,
           private.lineage_org_ids() as lineage, private.contact_unit_ids()::int[] as "unitIds",
           m.is_unit_head as "isUnitHead",
           private.contact_unit_name() as "unitName", private.auditable_org_ids() as auditable,
           private.campaign_ids()::int[] as campaigns, private.received_dispatch_ids()::int[] as dispatches,
           array(select g.permission::text from public.permission_grants g
                  where g.membership_id = m.membership_id order by 1) as permissions
      from private.active_membership() m
      join public.orgs o on o.id = m.org_id`;
  if (!active) return null;
  const memberships = await tx<MembershipSummary[]>`
    select m.id::int as id, m.org_id as "orgId", o.name as "orgName", o.level as "orgLevel", m.role,
           (m.id = ${active.membershipId}) as active
      from public.memberships m
      join public.orgs o on o.id = m.org_id
     where m.user_id = ${userId}
     order by m.id`;
  return {
    membershipId: active.membershipId,
    role: active.role,
    activeOrg: {
      id: active.orgId,
      name: active.name,
      level: active.level,
      regionCode: active.regionCode,
      provinceId: active.provinceId,
      unitName: active.unitName,
    },
    memberships,
    permissionUser: {
      id: userId,
      role: active.role,
      orgId: active.orgId,
      subtreeOrgIds: active.subtree,
      membershipOrgIds: active.mine,
      groupIds: active.groups,
      permissions: active.permissions,
      lineageOrgIds: active.lineage,
      unitIds: active.unitIds,
      isUnitHead: active.isUnitHead,
      auditableOrgIds: active.auditable,
      campaignIds: active.campaigns,
      receivedDispatchIds: active.dispatches,
    },
  };
}
