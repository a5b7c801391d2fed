import { createServerClient, parseCookieHeader, serializeCookieHeader } from "@supabase/ssr";
import { jwtVerify, SignJWT } from "jose";
import type { JwtClaims } from "./db.server";
import { env } from "./env.server";
import { privilegedSql } from "./privileged.server";
import {
  auditAuthEvent,
  createSession,
  findUserByEmail,
  hasMembership,
  isBanned,
  isLocked,
  passwordIsCurrent,
  recordFailedLogin,
  recordSuccessfulLogin,
  revokeSession,
  SESSION_LIFETIME_SECONDS,
  setPassword,
  verifyPassword,
} from "./auth-store.server";

/**
 * One auth interface, two providers: Supabase Auth (GoTrue, through @supabase/ssr)
 * when SUPABASE_URL is set, the built-in provider otherwise. Both yield verified
 * claims of the same shape, and the 等保 rules (lockout, idle timeout, password age,
 * audit) are applied here and in the database, so they hold for both.
 */
export type SignInResult =
  | { ok: true; headers: Headers; userId: string }
  | { ok: false; error: "invalid" | "locked" | "disabled" | "no_membership"; lockedUntil?: Date };

export interface AuthProvider {
  kind: "builtin" | "supabase";
  /** Verified claims of the request's session, or null. Never trusts an unverified cookie. */
  verify(request: Request): Promise<{ claims: JwtClaims; headers: Headers } | null>;
  signIn(request: Request, email: string, password: string, requestId: string): Promise<SignInResult>;
  signOut(request: Request, claims: JwtClaims | null): Promise<Headers>;
  changePassword(request: Request, claims: JwtClaims, current: string, next: string): Promise<{ ok: boolean; headers: Headers }>;
}

export const SESSION_COOKIE = "xl_session";

function clientIp(request: Request): string | null {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null;
}

function cookieAttributes(request: Request, maxAge: number): string {
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

function readCookie(request: Request, name: string): string | undefined {
  return parseCookieHeader(request.headers.get("Cookie") ?? "").find((c) => c.name === name)?.value;
}

/**
 * Account checks shared by both providers, before any password is tried: a disabled
 * or locked account is refused (and the attempt audited) without checking the password.
 */
async function precheck(email: string, requestId: string) {
  const user = await findUserByEmail(privilegedSql(), email);
  if (!user) return { user: undefined, blocked: null } as const;
  const blocked: SignInResult | null = isBanned(user)
    ? { ok: false, error: "disabled" }
    : isLocked(user)
      ? { ok: false, error: "locked", lockedUntil: user.lockedUntil! }
      : null;
  if (blocked && !blocked.ok) {
    await auditAuthEvent(privilegedSql(), { action: "auth.login", userId: user.id, success: false, requestId, detail: { email, reason: blocked.error } });
  }
  return { user, blocked };
}

async function onFailure(userId: string | undefined, requestId: string, email: string): Promise<SignInResult> {
  const sql = privilegedSql();
  let lockedUntil: Date | null = null;
  if (userId) lockedUntil = (await recordFailedLogin(sql, userId)).lockedUntil;
  await auditAuthEvent(sql, { action: "auth.login", userId: userId ?? null, success: false, requestId, detail: { email, reason: lockedUntil ? "locked" : "invalid" } });
  return lockedUntil ? { ok: false, error: "locked", lockedUntil } : { ok: false, error: "invalid" };
}

const builtin: AuthProvider = {
  kind: "builtin",

  async verify(request) {
    const token = readCookie(request, SESSION_COOKIE);
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, new TextEncoder().encode(env().JWT_SECRET!), {
        issuer: env().JWT_ISSUER,
        audience: "authenticated",
        algorithms: ["HS256"],
      });
      if (payload.role !== "authenticated" || typeof payload.sub !== "string" || typeof payload.session_id !== "string") return null;
      return { claims: payload as unknown as JwtClaims, headers: new Headers() };
    } catch {
      return null;
    }
  },

  async signIn(request, email, password, requestId) {
    const { user, blocked } = await precheck(email, requestId);
    if (blocked) return blocked;
    if (!user || !(await verifyPassword(user, password))) return onFailure(user?.id, requestId, email);
    const sql = privilegedSql();
    if (!(await hasMembership(sql, user.id))) return { ok: false, error: "no_membership" };
    await recordSuccessfulLogin(sql, user.id);
    const session = await createSession(sql, user.id, { userAgent: request.headers.get("user-agent"), ip: clientIp(request) });
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      role: "authenticated",
      email: user.email,
      session_id: session.id,
      aal: "aal1",
      amr: [{ method: "password", timestamp: now }],
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: { display_name: user.displayName ?? user.email },
      is_anonymous: false,
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(user.id)
      .setIssuer(env().JWT_ISSUER)
      .setAudience("authenticated")
      .setIssuedAt(now)
      .setExpirationTime(now + SESSION_LIFETIME_SECONDS)
      .sign(new TextEncoder().encode(env().JWT_SECRET!));
    await auditAuthEvent(sql, { action: "auth.login", userId: user.id, success: true, requestId });
    const headers = new Headers();
    headers.append("Set-Cookie", `${SESSION_COOKIE}=${token}; ${cookieAttributes(request, SESSION_LIFETIME_SECONDS)}`);
    return { ok: true, headers, userId: user.id };
  },

  async signOut(request, claims) {
    if (claims?.session_id) await revokeSession(privilegedSql(), claims.session_id);
    const headers = new Headers();
    headers.append("Set-Cookie", `${SESSION_COOKIE}=; ${cookieAttributes(request, 0)}`);
    return headers;
  },

  async changePassword(_request, claims, current, next) {
    const sql = privilegedSql();
    if (!(await passwordIsCurrent(sql, claims.sub, current))) return { ok: false, headers: new Headers() };
    await setPassword(sql, claims.sub, next);
    // Other sessions of this account end; this one stays.
    await sql`delete from auth.sessions where user_id = ${claims.sub} and id <> ${claims.session_id}`;
    return { ok: true, headers: new Headers() };
  },
};

function supabaseClient(request: Request, headers: Headers) {
  return createServerClient(env().SUPABASE_URL!, env().SUPABASE_ANON_KEY!, {
    cookies: {
      getAll: () => parseCookieHeader(request.headers.get("Cookie") ?? "").map((c) => ({ name: c.name, value: c.value ?? "" })),
      setAll: (cookies) => {
        for (const { name, value, options } of cookies) headers.append("Set-Cookie", serializeCookieHeader(name, value, options));
      },
    },
  });
}

const supabase: AuthProvider = {
  kind: "supabase",

  async verify(request) {
    const headers = new Headers();
    // getClaims() verifies the JWT's signature (JWKS or the Auth server); getSession() would not.
    const { data, error } = await supabaseClient(request, headers).auth.getClaims();
    if (error || !data?.claims || data.claims.role !== "authenticated") return null;
    return { claims: data.claims as unknown as JwtClaims, headers };
  },

  async signIn(request, email, password, requestId) {
    const { user, blocked } = await precheck(email, requestId);
    if (blocked) return blocked;
    const headers = new Headers();
    const { data, error } = await supabaseClient(request, headers).auth.signInWithPassword({ email, password });
    if (error || !data.user) return onFailure(user?.id, requestId, email);
    if (!(await hasMembership(privilegedSql(), data.user.id))) {
      await supabaseClient(request, headers).auth.signOut();
      return { ok: false, error: "no_membership" };
    }
    await recordSuccessfulLogin(privilegedSql(), data.user.id);
    await auditAuthEvent(privilegedSql(), { action: "auth.login", userId: data.user.id, success: true, requestId });
    return { ok: true, headers, userId: data.user.id };
  },

  async signOut(request) {
    const headers = new Headers();
    await supabaseClient(request, headers).auth.signOut();
    return headers;
  },

  async changePassword(request, claims, current, next) {
    const headers = new Headers();
    const client = supabaseClient(request, headers);
    const check = await client.auth.signInWithPassword({ email: String(claims.email ?? ""), password: current });
    if (check.error) return { ok: false, headers };
    const { error } = await client.auth.updateUser({ password: next });
    if (error) return { ok: false, headers };
    await privilegedSql()`update private.account_security set password_changed_at = now(), must_change_password = false where user_id = ${claims.sub}`;
    return { ok: true, headers };
  },
};

export function authProvider(): AuthProvider {
  return env().SUPABASE_URL ? supabase : builtin;
}
