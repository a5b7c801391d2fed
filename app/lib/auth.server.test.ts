import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { SignJWT } from "jose";

/**
 * The built-in auth provider against the real database: sign-in issues a signed
 * session cookie with Supabase's claim shape, verification rejects anything not
 * signed by us, and sign-out revokes the session row.
 */
const SECRET = "test-secret-test-secret-test-secret-0123";

beforeAll(() => {
  process.env.DATABASE_URL = inject("databaseUrl");
  process.env.JWT_SECRET = SECRET;
  delete process.env.SUPABASE_URL;
});

afterAll(async () => {
  const { closePrivilegedSql } = await import("./privileged.server");
  await closePrivilegedSql();
});

const req = (cookie?: string) => new Request("http://localhost/units", { headers: cookie ? { Cookie: cookie } : {} });
const cookieOf = (headers: Headers) => headers.get("Set-Cookie")!.split(";")[0];

describe("built-in auth provider", () => {
  it("signs in with the right password and issues a verifiable session with Supabase's claim shape", async () => {
    const { authProvider, SESSION_COOKIE } = await import("./auth.server");
    const auth = authProvider();
    expect(auth.kind).toBe("builtin");
    const result = await auth.signIn(req(), "nangang.staff@xunlian.local", "Xunlian@2026", "req-test-1");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const setCookie = result.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const verified = await auth.verify(req(cookieOf(result.headers)));
    expect(verified?.claims).toMatchObject({ role: "authenticated", aud: "authenticated", sub: result.userId, email: "nangang.staff@xunlian.local" });
    expect(typeof verified?.claims.session_id).toBe("string");
  });

  it("refuses a wrong password and an unknown account alike", async () => {
    const { authProvider } = await import("./auth.server");
    expect(await authProvider().signIn(req(), "nangang.staff@xunlian.local", "nope", "req-test-2")).toEqual({ ok: false, error: "invalid" });
    expect(await authProvider().signIn(req(), "nobody@xunlian.local", "nope", "req-test-3")).toEqual({ ok: false, error: "invalid" });
  });

  it("rejects tokens not signed by this server, with another issuer, or expired", async () => {
    const { authProvider, SESSION_COOKIE } = await import("./auth.server");
    const forge = (secret: string, issuer: string, exp: number) =>
      new SignJWT({ role: "authenticated", session_id: crypto.randomUUID() })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(crypto.randomUUID())
        .setIssuer(issuer)
        .setAudience("authenticated")
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    const now = Math.floor(Date.now() / 1000);
    const bad = [
      await forge("another-secret-another-secret-another-1", "xunlian", now + 600),
      await forge(SECRET, "someone-else", now + 600),
      await forge(SECRET, "xunlian", now - 600),
      "not-a-jwt",
    ];
    for (const token of bad) expect(await authProvider().verify(req(`${SESSION_COOKIE}=${token}`))).toBeNull();
    // The same construction with the right secret, issuer and expiry does verify: the checks above are not vacuous.
    expect(await authProvider().verify(req(`${SESSION_COOKIE}=${await forge(SECRET, "xunlian", now + 600)}`))).not.toBeNull();
  });

  it("revokes the session row on sign-out and clears the cookie", async () => {
    const { authProvider } = await import("./auth.server");
    const { privilegedSql } = await import("./privileged.server");
    const auth = authProvider();
    const result = await auth.signIn(req(), "nangang.staff@xunlian.local", "Xunlian@2026", "req-test-4");
    if (!result.ok) throw new Error("sign-in failed");
    const claims = (await auth.verify(req(cookieOf(result.headers))))!.claims;
    const live = async () => (await privilegedSql()`select count(*)::int as n from auth.sessions where id = ${claims.session_id}`)[0].n;
    expect(await live()).toBe(1);
    const headers = await auth.signOut(req(), claims);
    expect(headers.get("Set-Cookie")).toMatch(/Max-Age=0/);
    expect(await live()).toBe(0);
  });
});
