import type { Tx } from "~/lib/db.server";

export interface MembershipRow {
  id: number;
  displayName: string | null;
  email: string | null;
  orgName: string;
  role: "office_director" | "office_staff" | "leadership" | "system_admin" | "audit_admin";
  createdAt: Date;
}

/** Memberships the caller may administer (RLS), with names from the people directory. */
export async function listMemberships(db: Tx): Promise<MembershipRow[]> {
  return db<MembershipRow[]>`
    select ms.id::int as id, p.display_name as "displayName", p.email, o.name as "orgName", ms.role,
           ms.created_at as "createdAt"
      from public.memberships ms
      join public.orgs o on o.id = ms.org_id
      left join private.people_directory() p on p.user_id = ms.user_id
     where ms.org_id = any ((select private.admin_org_ids())::int[])
     order by o.level, o.region_code, ms.role, ms.id`;
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

export async function listAudit(db: Tx, page: number): Promise<{ rows: AuditRow[]; total: number }> {
  const [{ total }] = await db<{ total: number }[]>`select count(*)::int as total from public.audit_log`;
  const rows = await db<AuditRow[]>`
    select a.id::int as id, a.occurred_at as "occurredAt", p.display_name as "displayName", o.name as "orgName",
           a.action, a.object_type as "objectType", a.object_id as "objectId", a.success, a.detail ->> 'reason' as reason, a.request_id as "requestId"
      from public.audit_log a
      left join public.orgs o on o.id = a.org_id
      left join private.people_directory() p on p.user_id = a.user_id
     order by a.occurred_at desc, a.id desc
     limit ${AUDIT_PAGE_SIZE} offset ${(page - 1) * AUDIT_PAGE_SIZE}`;
  return { rows, total };
}
