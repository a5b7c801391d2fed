import { randomUUID } from "node:crypto";
import { redirect } from "@remix-run/node";
import { defineAbilityFor, type AppAbility, type Role } from "@xunlian/permissions";
import { authProvider } from "./auth.server";
import { inUserContext, requestSql, type JwtClaims, type Tx } from "./db.server";
import { env } from "./env.server";
import { loadSessionContext, type ActiveOrg, type MembershipSummary } from "./session-context.server";

/**
 * The permission gate hands out the database: a loader or action gets `db` only
 * through requireUser, already inside the user's RLS context (one transaction).
 *
 * The callback's work commits when it returns. A thrown Response or error rolls the
 * whole transaction back, so redirect after a write by *returning* the redirect.
 */
export interface AuditEntry {
  action: string;
  objectType?: string;
  objectId?: string | number | null;
  detail?: Record<string, unknown>;
  success?: boolean;
}

export interface UserContext {
  db: Tx;
  user: { id: string; email: string; displayName: string };
  role: Role;
  activeOrg: ActiveOrg;
  memberships: MembershipSummary[];
  /** The active org and its descendants (what RLS lets an office role read). */
  subtreeOrgIds: number[];
  ability: AppAbility;
  claims: JwtClaims;
  requestId: string;
  /** Records one audit row in the same transaction as the write it describes. */
  audit: (entry: AuditEntry) => Promise<void>;
}

export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && /^[A-Za-z0-9-]{8,100}$/.test(given) ? given : randomUUID();
}

async function writeAudit(db: Tx, claims: JwtClaims, orgId: number, requestId: string, e: AuditEntry) {
  await db`insert into public.audit_log (user_id, org_id, action, object_type, object_id, success, request_id, detail)
           values (${claims.sub}, ${orgId}, ${e.action}, ${e.objectType ?? null},
                   ${e.objectId == null ? null : String(e.objectId)}, ${e.success ?? true}, ${requestId},
                   ${e.detail ? db.json(e.detail as never) : null})`;
}

type Outcome<T> = { kind: "ok"; value: T; orgId: number } | { kind: "idle" | "revoked" | "password" };

export interface RequireUserOptions {
  /** The change-password page must open even when the password has expired. */
  allowExpiredPassword?: boolean;
}

export async function requireUser<T>(
  request: Request,
  fn: (ctx: UserContext) => Promise<T>,
  options: RequireUserOptions = {},
): Promise<T> {
  const auth = authProvider();
  const url = new URL(request.url);
  const verified = await auth.verify(request);
  if (!verified) {
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  const { claims } = verified;
  const requestId = requestIdOf(request);
  let activeOrgId: number | null = null;
  let outcome: Outcome<T>;
  try {
    outcome = await inUserContext(requestSql(), claims, async (db): Promise<Outcome<T>> => {
      const [touch] = await db<{ status: "ok" | "idle" | "revoked"; password_expired: boolean }[]>`
        select * from private.touch_session(${env().SESSION_IDLE_MINUTES * 60}, ${env().PASSWORD_MAX_AGE_DAYS})`;
      if (touch.status !== "ok") return { kind: touch.status };
      const session = await loadSessionContext(db, claims.sub);
      if (!session) return { kind: "revoked" };
      if (touch.password_expired && !options.allowExpiredPassword) return { kind: "password" };
      activeOrgId = session.activeOrg.id;
      const meta = (claims.user_metadata ?? {}) as { display_name?: string };
      const ctx: UserContext = {
        db,
        user: { id: claims.sub, email: String(claims.email ?? ""), displayName: meta.display_name ?? String(claims.email ?? "") },
        role: session.role,
        activeOrg: session.activeOrg,
        memberships: session.memberships,
        subtreeOrgIds: session.permissionUser.subtreeOrgIds,
        ability: defineAbilityFor(session.permissionUser),
        claims,
        requestId,
        audit: (e) => writeAudit(db, claims, session.activeOrg.id, requestId, e),
      };
      return { kind: "ok", value: await fn(ctx), orgId: session.activeOrg.id };
    });
  } catch (error) {
    if ((error as { code?: string }).code === "42501" && activeOrgId !== null) {
      // The database refused: record the attempt (the failed transaction is gone) and answer 403.
      const orgId: number = activeOrgId;
      await inUserContext(requestSql(), claims, (db) =>
        writeAudit(db, claims, orgId, requestId, {
          action: "access.denied",
          success: false,
          detail: { method: request.method, path: url.pathname, message: (error as Error).message.slice(0, 200) },
        }),
      ).catch(() => {});
      throw new Response("Forbidden", { status: 403 });
    }
    throw error;
  }
  if (outcome.kind === "ok") return outcome.value;
  if (outcome.kind === "password") throw redirect("/account/password?reason=expired");
  const headers = await auth.signOut(request, claims);
  throw redirect(`/login?reason=${outcome.kind}`, { headers });
}

/** For the root loader: the signed-in user's shell data, or null (login page, public pages). */
export async function optionalUser<T>(request: Request, fn: (ctx: UserContext) => Promise<T>): Promise<T | null> {
  const verified = await authProvider().verify(request);
  if (!verified) return null;
  try {
    return await requireUser(request, fn, { allowExpiredPassword: true });
  } catch (error) {
    if (error instanceof Response && error.status >= 300 && error.status < 400) return null;
    throw error;
  }
}

export function forbidden(): never {
  throw new Response("Forbidden", { status: 403 });
}

export function notFound(): never {
  throw new Response("Not Found", { status: 404 });
}
