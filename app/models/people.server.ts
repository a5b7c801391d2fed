import type { Tx } from "~/lib/db.server";

/** Explicit permissions a system administrator grants per membership (public.special_permission). */
export type SpecialPermission = "view_reporter_identity" | "view_lead_person";

export interface MembershipRow {
  id: number;
  userId: string;
  orgId: number;
  displayName: string | null;
  email: string | null;
  orgName: string;
  role:
    | "office_director" | "office_staff" | "leadership" | "system_admin" | "audit_admin" | "group_member"
    | "unit_contact" | "partner_staff";
  createdAt: Date;
  /** Explicit permissions granted to this membership (public.permission_grants). */
  permissions: SpecialPermission[];
}

const membershipColumns = (db: Tx) => db`
  ms.id::int as id, ms.user_id as "userId", ms.org_id as "orgId", p.display_name as "displayName", p.email,
  o.name as "orgName", ms.role, ms.created_at as "createdAt",
  array(select g.permission::text from public.permission_grants g where g.membership_id = ms.id order by g.permission) as permissions`;

/** Memberships the caller may administer (RLS), with names from the people directory. */
export async function listMemberships(db: Tx): Promise<MembershipRow[]> {
  return db<MembershipRow[]>`
    select ${membershipColumns(db)}
      from public.memberships ms
      join public.orgs o on o.id = ms.org_id
      left join private.people_directory() p on p.user_id = ms.user_id
     where ms.org_id = any ((select private.admin_org_ids())::int[])
     order by o.level, o.region_code, ms.role, ms.id`;
}

/** One membership the caller administers, or undefined. */
export async function getAdministeredMembership(db: Tx, id: number): Promise<MembershipRow | undefined> {
  const [row] = await db<MembershipRow[]>`
    select ${membershipColumns(db)}
      from public.memberships ms
      join public.orgs o on o.id = ms.org_id
      left join private.people_directory() p on p.user_id = ms.user_id
     where ms.id = ${id} and ms.org_id = any ((select private.admin_org_ids())::int[])`;
  return row;
}

/** Grants a special permission (user, org and province come from the membership: trigger). */
export async function grantPermission(db: Tx, membership: MembershipRow, permission: SpecialPermission): Promise<void> {
  await db`insert into public.permission_grants (membership_id, user_id, org_id, province_id, permission)
           select ms.id, ms.user_id, ms.org_id, ms.province_id, ${permission}::public.special_permission
             from public.memberships ms where ms.id = ${membership.id}`;
}

export async function revokePermission(db: Tx, membershipId: number, permission: SpecialPermission): Promise<boolean> {
  const rows = await db`delete from public.permission_grants
                         where membership_id = ${membershipId} and permission = ${permission}::public.special_permission`;
  return rows.count === 1;
}

export interface AuditRow {
  id: number;
  occurredAt: Date;
  displayName: string | null;
  orgName: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  success: boolean;
  reason: string | null;
  requestId: string | null;
}

import { AUDIT_PAGE_SIZE } from "~/lib/paging";

export async function listAudit(db: Tx, page: number, action?: string): Promise<{ rows: AuditRow[]; total: number }> {
  const where = action ? db`where a.action = ${action}` : db``;
  const [{ total }] = await db<{ total: number }[]>`select count(*)::int as total from public.audit_log a ${where}`;
  const rows = await db<AuditRow[]>`
    select a.id::int as id, a.occurred_at as "occurredAt", p.display_name as "displayName", o.name as "orgName",
           a.action, a.object_type as "objectType", a.object_id as "objectId", a.success, a.detail ->> 'reason' as reason, a.request_id as "requestId"
      from public.audit_log a
      left join public.orgs o on o.id = a.org_id
      left join private.people_directory() p on p.user_id = a.user_id
     ${where}
     order by a.occurred_at desc, a.id desc
     limit ${AUDIT_PAGE_SIZE} offset ${(page - 1) * AUDIT_PAGE_SIZE}`;
  return { rows, total };
}
