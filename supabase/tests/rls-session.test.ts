import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createSession, revokeSession } from "../../app/lib/auth-store.server";
import type { JwtClaims, Tx } from "../../app/lib/db.server";
import { appSql, asClaims, claimsFor, closeTestSql, DEMO, ownerSql, sqlState, userId } from "./support/db";
import { actAs, enterRequestContext, fixtures, ownerRolledBack, type Fixtures } from "./support/fixtures";

afterAll(closeTestSql);

/**
 * The request context only counts when it names a live session of an enabled account
 * with the `authenticated` role: anything else must read nothing and write nothing.
 */

let f: Fixtures;
beforeAll(async () => {
  f = await fixtures();
});

const TABLES = ["public.units", "public.orgs", "public.org_closure", "public.memberships", "public.audit_log"] as const;

interface Seen {
  units: number;
  orgs: number;
  org_closure: number;
  /** Memberships of other users. */
  othersMemberships: number;
  /** The user's own memberships. */
  ownMemberships: number;
  audit_log: number;
}

async function see(tx: Tx, uid: string): Promise<Seen> {
  const [row] = await tx<Seen[]>`
    select (select count(*)::int from public.units) as units,
           (select count(*)::int from public.orgs) as orgs,
           (select count(*)::int from public.org_closure) as org_closure,
           (select count(*)::int from public.memberships where user_id <> ${uid}) as "othersMemberships",
           (select count(*)::int from public.memberships where user_id = ${uid}) as "ownMemberships",
           (select count(*)::int from public.audit_log) as audit_log`;
  return row;
}

/** What a user may try to write in his own org: a unit, an audit row. */
async function writes(tx: Tx, uid: string, org: number) {
  return {
    unit: await sqlState(tx, (sp) => sp`
      insert into public.units (org_id, name, category, head_level)
      values (${org}, '会话测试单位', 'other', 'county_managed')`),
    audit: await sqlState(tx, (sp) => sp`
      insert into public.audit_log (user_id, org_id, action, success) values (${uid}, ${org}, 'test.session', true)`),
  };
}

/** The three readers that, live, see every table: office director, system and audit administrators. */
const READERS = [DEMO.province, DEMO.systemAdmin, DEMO.auditAdmin] as const;

type Context = {
  name: string;
  /** Runs `fn` as `email` under this context, with one audit row of the province present. */
  run: <T>(email: string, fn: (tx: Tx, uid: string) => Promise<T>) => Promise<T>;
};

/** Through the request pool: a live user records an audit row, then the claims are replaced. */
function viaRequestPool(name: string, claimsOf: (live: JwtClaims, email: string) => Promise<Record<string, unknown> | null>): Context {
  return {
    name,
    run: async (email, fn) => {
      const live = await claimsFor(email);
      const replaced = await claimsOf(live, email);
      return asClaims(live, async (tx) => {
        await tx`insert into public.audit_log (user_id, org_id, action, success)
                 values (${live.sub}, (select private.active_org_id()), 'test.session', true)`;
        if (replaced === null) await tx`select set_config('request.jwt.claims', '', true)`;
        else await actAs(tx, replaced);
        return fn(tx, live.sub);
      });
    },
  };
}

/** Through the owner connection, in a transaction that rolls back: change the account or session, then act. */
function viaOwner(name: string, change: (tx: Tx, live: JwtClaims) => Promise<unknown>): Context {
  return {
    name,
    run: async (email, fn) => {
      const live = await claimsFor(email);
      return ownerRolledBack(async (tx) => {
        await tx`insert into public.audit_log (user_id, org_id, action, success)
                 values (${live.sub}, ${f.org.province}, 'test.session', true)`;
        await change(tx, live);
        await enterRequestContext(tx, live);
        return fn(tx, live.sub);
      });
    },
  };
}

const LIVE_VIA_POOL = viaRequestPool("a live session (request pool)", async (live) => live);
const LIVE_VIA_OWNER = viaOwner("a live session (owner connection in request context)", async () => {});

const DEAD: Context[] = [
  viaRequestPool("claims naming a session that never existed", async (live) => ({ ...live, session_id: randomUUID() })),
  viaRequestPool("claims naming a session that was revoked (row deleted)", async (live) => {
    const session = await createSession(ownerSql(), live.sub);
    await revokeSession(ownerSql(), session.id);
    return { ...live, session_id: session.id };
  }),
  viaRequestPool("claims naming another user's live session", async (live, email) => {
    const other = await claimsFor(email === DEMO.countyDaoli ? DEMO.countyNangang : DEMO.countyDaoli);
    return { ...live, session_id: other.session_id };
  }),
  viaRequestPool("claims without a session_id", async (live) => {
    const { session_id: _drop, ...rest } = live;
    return rest;
  }),
  viaRequestPool("claims with role 'anon'", async (live) => ({ ...live, role: "anon" })),
  viaRequestPool("empty claims object", async () => ({})),
  viaRequestPool("claims cleared to '' (a pooled connection after an earlier request)", async () => null),
  viaOwner("a session past its not_after", (tx, live) =>
    tx`update auth.sessions set not_after = now() - interval '1 minute' where id = ${live.session_id}`),
  viaOwner("a banned user (banned_until in the future)", (tx, live) =>
    tx`update auth.users set banned_until = now() + interval '1 day' where id = ${live.sub}`),
  viaOwner("a deleted user (deleted_at set)", (tx, live) => tx`update auth.users set deleted_at = now() where id = ${live.sub}`),
  viaOwner("a session deleted inside the same transaction", (tx, live) =>
    tx`delete from auth.sessions where id = ${live.session_id}`),
];

describe("a live session is the only thing that opens the data", () => {
  for (const context of [LIVE_VIA_POOL, LIVE_VIA_OWNER]) {
    it(`${context.name}: each reader sees its data (the control for the dead contexts below)`, async () => {
      const director = await context.run(DEMO.province, see);
      expect(director.units).toBe(f.subtreeUnits.province);
      expect(director.orgs).toBe(f.subtreeOrgs.province);
      expect(director.org_closure).toBeGreaterThan(director.orgs);
      expect(director.ownMemberships).toBe(1);
      const admin = await context.run(DEMO.systemAdmin, see);
      expect(admin.othersMemberships).toBeGreaterThan(0);
      const auditor = await context.run(DEMO.auditAdmin, see);
      expect(auditor.audit_log).toBeGreaterThan(0);
    });

    it(`${context.name}: the office writes in its own org`, async () => {
      expect(await context.run(DEMO.province, (tx, uid) => writes(tx, uid, f.org.province))).toEqual({ unit: null, audit: null });
    });
  }

  for (const context of DEAD) {
    it(`${context.name}: sees no units, orgs, closure rows, audit rows or other users' memberships`, async () => {
      for (const email of READERS) {
        const seen = await context.run(email, see);
        expect({ ...seen, ownMemberships: undefined }, email).toEqual({
          units: 0,
          orgs: 0,
          org_closure: 0,
          othersMemberships: 0,
          ownMemberships: undefined,
          audit_log: 0,
        });
      }
    });

    it(`${context.name}: cannot add a unit or record an audit row`, async () => {
      expect(await context.run(DEMO.province, (tx, uid) => writes(tx, uid, f.org.province))).toEqual({
        unit: "42501",
        audit: "42501",
      });
    });
  }

  it("without a live session a user does not see even his own memberships", async () => {
    const own: Record<string, number> = {};
    for (const context of DEAD) own[context.name] = (await context.run(DEMO.city, see)).ownMemberships;
    expect(own).toEqual(Object.fromEntries(DEAD.map((c) => [c.name, 0])));
  });

  it("without a live session nobody can switch the active membership", async () => {
    const [m] = await ownerSql()<{ id: number }[]>`
      select m.id::int as id from public.memberships m where m.user_id = ${await userId(DEMO.city)} order by m.id desc limit 1`;
    for (const context of DEAD) {
      const code = await context.run(DEMO.city, (tx) => sqlState(tx, (sp) => sp`select private.switch_active_membership(${m.id})`));
      expect(code, context.name).toBe("42501");
    }
  });
});

describe("disabling an account takes effect at once on the request pool", () => {
  it("a committed ban shuts a throwaway account out on the next request, and lifting it lets him back in", async () => {
    const owner = ownerSql();
    const id = randomUUID();
    const email = `banned-${id.slice(0, 8)}@test.local`;
    try {
      await owner`insert into auth.users (id, aud, role, email, created_at, updated_at)
                  values (${id}, 'authenticated', 'authenticated', ${email}, now(), now())`;
      // In 浙江, where no fixture account administers memberships, so parallel tests never see him.
      await owner`insert into public.memberships (user_id, org_id, role) values (${id}, ${f.org.otherProvince}, 'office_staff')`;
      const session = await createSession(owner, id);
      const claims = { sub: id, role: "authenticated", aud: "authenticated", session_id: session.id, email };
      const units = () => asClaims(claims, async (tx) => (await tx<{ n: number }[]>`select count(*)::int as n from public.units`)[0].n);

      const before = await units();
      await owner`update auth.users set banned_until = now() + interval '1 day' where id = ${id}`;
      const banned = await units();
      await owner`update auth.users set banned_until = now() - interval '1 second' where id = ${id}`;
      const lifted = await units();
      expect({ before, banned, lifted }).toEqual({
        before: f.subtreeUnits.otherProvince,
        banned: 0,
        lifted: f.subtreeUnits.otherProvince,
      });
    } finally {
      await owner`delete from auth.users where id = ${id}`; // cascades to memberships and sessions
    }
  });
});

describe("requests that never became `authenticated`", () => {
  it("a transaction that set no claims at all on a fresh connection reads nothing and raises nothing", async () => {
    const fresh = postgres(inject("appDatabaseUrl"), { max: 1, onnotice: () => {} });
    try {
      const counts = await fresh.begin(async (tx) => {
        await tx`select set_config('role', 'authenticated', true)`;
        const out: Record<string, number> = {};
        for (const table of TABLES) out[table] = (await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}`))[0].n;
        return out;
      });
      expect(counts).toEqual(Object.fromEntries(TABLES.map((t) => [t, 0])));
    } finally {
      await fresh.end({ timeout: 2 });
    }
  });

  it("a request that forgot to switch role (still `authenticator`) is refused on every table", async () => {
    const codes = await appSql().begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(await claimsFor(DEMO.province))}, true)`;
      const out: Record<string, string | null> = {};
      for (const table of TABLES) out[table] = await sqlState(tx as unknown as Tx, (sp) => sp.unsafe(`select 1 from ${table} limit 1`));
      return out;
    });
    expect(codes).toEqual(Object.fromEntries(TABLES.map((t) => [t, "42501"])));
  });

  it("the database role `anon`, even with a live user's claims, is refused on every table and on the private helpers", async () => {
    const codes = await appSql().begin(async (tx) => {
      await tx`select set_config('role', 'anon', true),
                      set_config('request.jwt.claims', ${JSON.stringify(await claimsFor(DEMO.province))}, true)`;
      const out: Record<string, string | null> = {};
      for (const table of TABLES) out[table] = await sqlState(tx as unknown as Tx, (sp) => sp.unsafe(`select 1 from ${table} limit 1`));
      out.readable_org_ids = await sqlState(tx as unknown as Tx, (sp) => sp`select private.readable_org_ids()`);
      out.audit_insert = await sqlState(tx as unknown as Tx, (sp) => sp`
        insert into public.audit_log (action, success) values ('test.anon', true)`);
      return out;
    });
    expect(codes).toEqual({
      ...Object.fromEntries(TABLES.map((t) => [t, "42501"])),
      readable_org_ids: "42501",
      audit_insert: "42501",
    });
  });
});
