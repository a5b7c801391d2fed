import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import type { Sql } from "./privileged.server";

/**
 * The built-in auth service's storage: the in-process stand-in for GoTrue. It reads
 * and writes the auth schema (users, sessions) and the 等保 account rules, which no
 * request role may touch, so it runs on the privileged connection.
 */

export const SESSION_LIFETIME_SECONDS = 12 * 60 * 60;
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;
export const PASSWORD_MAX_AGE_DAYS = 90;

export interface AuthUserRow {
  id: string;
  email: string;
  encryptedPassword: string | null;
  displayName: string | null;
  bannedUntil: Date | null;
  deletedAt: Date | null;
  failedAttempts: number;
  lockedUntil: Date | null;
}

export async function findUserByEmail(sql: Sql, email: string): Promise<AuthUserRow | undefined> {
  const [row] = await sql<AuthUserRow[]>`
    select u.id, u.email, u.encrypted_password as "encryptedPassword",
           u.raw_user_meta_data ->> 'display_name' as "displayName",
           u.banned_until as "bannedUntil", u.deleted_at as "deletedAt",
           coalesce(s.failed_attempts, 0) as "failedAttempts", s.locked_until as "lockedUntil"
      from auth.users u
      left join private.account_security s on s.user_id = u.id
     where lower(u.email) = lower(${email}) and u.is_sso_user = false`;
  return row;
}

export function isBanned(user: Pick<AuthUserRow, "bannedUntil" | "deletedAt">, now = new Date()): boolean {
  return user.deletedAt !== null || (user.bannedUntil !== null && user.bannedUntil > now);
}

export function isLocked(user: Pick<AuthUserRow, "lockedUntil">, now = new Date()): boolean {
  return user.lockedUntil !== null && user.lockedUntil > now;
}

export async function verifyPassword(user: AuthUserRow, password: string): Promise<boolean> {
  if (!user.encryptedPassword) return false;
  return bcrypt.compare(password, user.encryptedPassword);
}

/** Counts a failed attempt; the fifth in a row locks the account for 15 minutes. */
export async function recordFailedLogin(sql: Sql, userId: string): Promise<{ lockedUntil: Date | null }> {
  const [row] = await sql<{ lockedUntil: Date | null }[]>`
    insert into private.account_security (user_id, failed_attempts)
    values (${userId}, 1)
    on conflict (user_id) do update
      set failed_attempts = case when private.account_security.locked_until is not null
                                      and private.account_security.locked_until <= now()
                                 then 1 else private.account_security.failed_attempts + 1 end,
          locked_until = case when (case when private.account_security.locked_until is not null
                                              and private.account_security.locked_until <= now()
                                         then 1 else private.account_security.failed_attempts + 1 end) >= ${MAX_FAILED_ATTEMPTS}
                              then now() + make_interval(mins => ${LOCKOUT_MINUTES})
                              else null end
    returning locked_until as "lockedUntil"`;
  return row;
}

export async function hasMembership(sql: Sql, userId: string): Promise<boolean> {
  const [row] = await sql`select 1 from public.memberships where user_id = ${userId} limit 1`;
  return !!row;
}

export async function recordSuccessfulLogin(sql: Sql, userId: string): Promise<void> {
  await sql`update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${userId}`;
  await sql`insert into private.account_security (user_id) values (${userId})
            on conflict (user_id) do update set failed_attempts = 0, locked_until = null`;
}

export interface SessionRow {
  id: string;
  userId: string;
  notAfter: Date;
}

export async function createSession(
  sql: Sql,
  userId: string,
  meta: { userAgent?: string | null; ip?: string | null } = {},
): Promise<SessionRow> {
  const id = randomUUID();
  const [row] = await sql<SessionRow[]>`
    insert into auth.sessions (id, user_id, created_at, updated_at, aal, not_after, user_agent, ip)
    values (${id}, ${userId}, now(), now(), 'aal1', now() + make_interval(secs => ${SESSION_LIFETIME_SECONDS}),
            ${meta.userAgent ?? null}, ${meta.ip && /^[0-9a-f:.]+$/i.test(meta.ip) ? meta.ip : null})
    returning id, user_id as "userId", not_after as "notAfter"`;
  return row;
}

/** Deleting the row revokes the session everywhere at once: the RLS helpers require it. */
export async function revokeSession(sql: Sql, sessionId: string): Promise<void> {
  await sql`delete from auth.sessions where id = ${sessionId}`;
}

export async function setPassword(sql: Sql, userId: string, newPassword: string): Promise<void> {
  const hash = await bcrypt.hash(newPassword, 10);
  await sql.begin(async (tx) => {
    await tx`update auth.users set encrypted_password = ${hash}, updated_at = now() where id = ${userId}`;
    await tx`insert into private.account_security (user_id, password_changed_at, must_change_password)
             values (${userId}, now(), false)
             on conflict (user_id) do update set password_changed_at = now(), must_change_password = false`;
  });
}

export async function passwordIsCurrent(sql: Sql, userId: string, password: string): Promise<boolean> {
  const [row] = await sql<{ hash: string | null }[]>`select encrypted_password as hash from auth.users where id = ${userId}`;
  return !!row?.hash && bcrypt.compare(password, row.hash);
}

/** Failed logins have no user context yet: the auth service records them itself. */
export async function auditAuthEvent(
  sql: Sql,
  event: { action: string; userId: string | null; success: boolean; requestId: string; detail?: Record<string, unknown> },
): Promise<void> {
  const orgId = event.userId
    ? (await sql<{ orgId: number }[]>`select org_id as "orgId" from public.memberships where user_id = ${event.userId} order by id limit 1`)[0]?.orgId ?? null
    : null;
  await sql`insert into public.audit_log (user_id, org_id, action, object_type, object_id, success, request_id, detail)
            values (${event.userId}, ${orgId}, ${event.action}, 'session', null, ${event.success}, ${event.requestId},
                    ${event.detail ? sql.json(event.detail as never) : null})`;
}
