import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSession,
  findUserByEmail,
  isLocked,
  MAX_FAILED_ATTEMPTS,
  recordFailedLogin,
  recordSuccessfulLogin,
  revokeSession,
  setPassword,
  passwordIsCurrent,
} from "../../app/lib/auth-store.server";
import type { JwtClaims } from "../../app/lib/db.server";
import { asClaims, closeTestSql, orgIdByRegion, ownerSql } from "./support/db";

/**
 * 等保 session rules, on a throwaway account of its own (created and removed here):
 * lockout after repeated failures, idle timeout and password age checked in the
 * request transaction, and revocation at once.
 */
const email = `session-rules-${randomUUID()}@xunlian.test`;
let uid: string;

beforeAll(async () => {
  const sql = ownerSql();
  uid = randomUUID();
  await sql`insert into auth.users (id, aud, role, email, encrypted_password, raw_user_meta_data, created_at, updated_at)
            values (${uid}, 'authenticated', 'authenticated', ${email}, ${await bcrypt.hash("Old-Passw0rd!", 4)},
                    ${sql.json({ display_name: "测试" })}, now(), now())`;
  await sql`insert into public.memberships (user_id, org_id, role) values (${uid}, ${await orgIdByRegion("330100")}, 'office_staff')`;
});

afterAll(async () => {
  await ownerSql()`delete from public.memberships where user_id = ${uid}`;
  await ownerSql()`delete from private.account_security where user_id = ${uid}`;
  await ownerSql()`delete from auth.users where id = ${uid}`;
  await closeTestSql();
});

async function freshClaims(): Promise<JwtClaims> {
  const session = await createSession(ownerSql(), uid);
  return { sub: uid, role: "authenticated", session_id: session.id };
}

const touch = (claims: JwtClaims) =>
  asClaims(claims, async (tx) => (await tx<{ status: string; password_expired: boolean }[]>`select * from private.touch_session(1800, 90)`)[0]);

describe("login lockout", () => {
  it(`locks the account after ${MAX_FAILED_ATTEMPTS} failures in a row, and a success resets the count`, async () => {
    const sql = ownerSql();
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++) expect((await recordFailedLogin(sql, uid)).lockedUntil).toBeNull();
    const { lockedUntil } = await recordFailedLogin(sql, uid);
    expect(lockedUntil).not.toBeNull();
    expect(lockedUntil!.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(isLocked((await findUserByEmail(sql, email))!)).toBe(true);
    await recordSuccessfulLogin(sql, uid);
    const after = (await findUserByEmail(sql, email))!;
    expect(after.failedAttempts).toBe(0);
    expect(isLocked(after)).toBe(false);
  });
});

describe("touch_session in the request transaction", () => {
  it("answers ok for a live, recently used session", async () => {
    expect(await touch(await freshClaims())).toEqual({ status: "ok", password_expired: false });
  });

  it("answers idle after 30 minutes without a request", async () => {
    const claims = await freshClaims();
    await ownerSql()`insert into private.session_activity (session_id, last_seen_at)
                     values (${claims.session_id}, now() - interval '31 minutes')`;
    expect((await touch(claims)).status).toBe("idle");
  });

  it("answers revoked once the session row is deleted (logout) or the account is banned", async () => {
    const claims = await freshClaims();
    await revokeSession(ownerSql(), claims.session_id);
    expect((await touch(claims)).status).toBe("revoked");

    const other = await freshClaims();
    await ownerSql()`update auth.users set banned_until = now() + interval '1 day' where id = ${uid}`;
    try {
      expect((await touch(other)).status).toBe("revoked");
    } finally {
      await ownerSql()`update auth.users set banned_until = null where id = ${uid}`;
    }
    expect((await touch(other)).status).toBe("ok");
  });

  it("flags a password older than 90 days, and a changed password clears the flag", async () => {
    const claims = await freshClaims();
    await ownerSql()`insert into private.account_security (user_id, password_changed_at) values (${uid}, now() - interval '91 days')
                     on conflict (user_id) do update set password_changed_at = excluded.password_changed_at`;
    expect(await touch(claims)).toEqual({ status: "ok", password_expired: true });
    await setPassword(ownerSql(), uid, "New-Passw0rd!");
    expect(await touch(claims)).toEqual({ status: "ok", password_expired: false });
    expect(await passwordIsCurrent(ownerSql(), uid, "New-Passw0rd!")).toBe(true);
    expect(await passwordIsCurrent(ownerSql(), uid, "Old-Passw0rd!")).toBe(false);
  });
});

describe("people directory", () => {
  it("names the people of the caller's subtree and nobody else, and nobody without a live session", async () => {
    const { asUser, DEMO } = await import("./support/db");
    const names = (email: string) =>
      asUser(email, async (tx) => (await tx<{ email: string }[]>`select email from private.people_directory() order by email`).map((r) => r.email));
    const county = await names(DEMO.countyDaoli);
    // 道里's office staff and its group member (韩丽娟, a cadre of 道里's pool).
    expect(county).toEqual(["daoli.member@xunlian.local", "daoli.staff@xunlian.local"]);
    const city = await names(DEMO.city);
    expect(city).toEqual(expect.arrayContaining(["daoli.staff@xunlian.local", "nangang.staff@xunlian.local", "hrb.director@xunlian.local"]));
    expect(city).not.toContain("hlj.director@xunlian.local");
    expect(city).not.toContain("zj.director@xunlian.local");
    const dead = await asClaims({ sub: uid, role: "authenticated", session_id: randomUUID() }, async (tx) =>
      (await tx`select 1 from private.people_directory()`).length,
    );
    expect(dead).toBe(0);
  });
});
