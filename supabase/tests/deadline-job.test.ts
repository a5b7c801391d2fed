import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql } from "./support/db";
import { attempt, CODES, withScenario, world, type World } from "./support/engagements";
import { fx } from "./support/matrix-harness";
import { actAs, newAccount, notices, ownerFeedback, ownerItems, ownerProblems, reported, type Account, type ItemSpec } from "./support/findings";

/**
 * Deadline warnings (整改时限预警), the scheduled job public.run_deadline_warnings(p_today),
 * run by the system (the owner connection), never by a request role. For every open item
 * with a deadline: green from 20 days before (the responsible person's account, else the
 * unit's contacts), yellow from 10 days before (also the responsible leader, else the
 * unit's heads), red once overdue (all the unit's contacts and heads). Each (item,
 * deadline, colour, recipient) is notified once. And the 挂账督办 view public.overdue_items.
 * The clock is the job's argument (2026-06-30), never the machine's. Everything is rolled back.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

const TODAY = "2026-06-30";
const day = (offset: number, from = TODAY) => new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

/** The items of the scenario, by letter. */
type Key = "A" | "B" | "B2" | "C" | "C2" | "C3" | "D" | "E" | "F" | "G" | "H" | "I" | "J" | "K";

interface Job {
  engagementId: number;
  unitId: number;
  item: Record<Key, number>;
  /** The unit's accounts: a contact, its head, and two contacts named on items as 责任人 and 分管领导. */
  contact: Account;
  head: Account;
  person: Account;
  leader: Account;
  everyone: string[];
}

/**
 * A unit of the city (one the demo never patrolled) with four accounts, fed back on
 * 2026-03-02, and one open item per case (one problem each):
 *   A +25 days; B +20 with its 责任人 linked; B2 +20 unlinked; C +10 with its 责任人 linked;
 *   C2 +10 with 责任人 and 分管领导 linked; C3 +10 unlinked; D overdue (−1) with its 责任人
 *   linked; E overdue but closed; F overdue but confirmed by the unit; G 长期坚持 without a
 *   deadline; H +21, I +11 and J due today (they change colour tomorrow); K due a month
 *   after the machine's today (never overdue for the view).
 */
function withJob<T>(fn: (tx: Tx, j: Job) => Promise<T>): Promise<T> {
  return withScenario(async (tx, s) => {
    const unitId = w.units.city[3];
    const e = await fx.engagement(tx, s.round.get(CODES.city)!, s.g(CODES.city).id, unitId, "regular", "2026-01-05");
    await reported(tx, e.id, "2026-02-10", "2026-02-20");
    const contact = await newAccount(tx, { orgId: w.org.city, role: "unit_contact", unitId, tag: "unit-contact" });
    const head = await newAccount(tx, { orgId: w.org.city, role: "unit_contact", unitId, isUnitHead: true, tag: "unit-head" });
    const person = await newAccount(tx, { orgId: w.org.city, role: "unit_contact", unitId, tag: "unit-person" });
    const leader = await newAccount(tx, { orgId: w.org.city, role: "unit_contact", unitId, tag: "unit-leader" });
    const [{ future }] = await tx<{ future: string }[]>`select (current_date + 30)::text as future`;

    const cases: [Key, ItemSpec][] = [
      ["A", { kind: "deadline", deadline: day(25) }],
      ["B", { kind: "deadline", deadline: day(20), responsiblePersonUserId: person.userId }],
      ["B2", { kind: "deadline", deadline: day(20) }],
      ["C", { kind: "deadline", deadline: day(10), responsiblePersonUserId: person.userId }],
      ["C2", { kind: "deadline", deadline: day(10), responsiblePersonUserId: person.userId, responsibleLeaderUserId: leader.userId }],
      ["C3", { kind: "deadline", deadline: day(10) }],
      ["D", { kind: "deadline", deadline: day(-1), responsiblePersonUserId: person.userId }],
      ["E", { kind: "deadline", deadline: day(-5), status: "closed" }],
      ["F", { kind: "deadline", deadline: day(-5), status: "unit_confirmed" }],
      ["G", { kind: "long_term", deadline: null }],
      ["H", { kind: "deadline", deadline: day(21) }],
      ["I", { kind: "immediate", deadline: day(11) }],
      ["J", { kind: "deadline", deadline: day(0) }],
      ["K", { kind: "deadline", deadline: future }],
    ];
    const problems = await ownerProblems(tx, e.id, [{ n: cases.length }]);
    await ownerFeedback(tx, e.id, problems, "2026-03-02");
    const item = {} as Record<Key, number>;
    for (const [i, [key, spec]] of cases.entries()) {
      [item[key]] = await ownerItems(tx, [problems[i]], { ...spec, measures: `整改事项${key}` });
    }
    const everyone = [contact, head, person, leader].map((a) => a.userId).sort();
    return fn(tx, { engagementId: e.id, unitId, item, contact, head, person, leader, everyone });
  });
}

/** Runs the job as the system (the owner): its per-colour counts. */
async function run(tx: Tx, today: string) {
  await actAs(tx, "owner");
  const rows = await tx<{ level: string; notices: number }[]>`select level::text as level, notices from public.run_deadline_warnings(${today}::date)`;
  return Object.fromEntries(rows.map((r) => [r.level, r.notices]));
}

/** The deadline notices of the scenario's items: "<item> <level>" → sorted recipients. */
async function deadlineNotices(tx: Tx, j: Job) {
  const keyOf = new Map(Object.entries(j.item).map(([k, id]) => [id, k]));
  const rows = await notices(tx, { subjectType: "rectification_item", subjectIds: Object.values(j.item) });
  const out: Record<string, string[]> = {};
  for (const n of rows) {
    expect(n.kind, "a deadline notice").toBe(`deadline_${n.level}`);
    const k = `${keyOf.get(n.subjectId!)} ${n.level}`;
    (out[k] ??= []).push(n.userId);
  }
  for (const k of Object.keys(out)) out[k].sort();
  return out;
}

const total = (got: Record<string, string[]>) => Object.values(got).reduce((n, users) => n + users.length, 0);

/** Notices in `after` and not in `before` (by item, colour and recipient; `total` counts the rows). */
const minus = (after: Record<string, string[]>, before: Record<string, string[]>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, users]) => [k, users.filter((u) => !(before[k] ?? []).includes(u))] as const)
      .filter(([, users]) => users.length > 0),
  );

describe("public.run_deadline_warnings", () => {
  it("is the system's: no request role may execute it", async () => {
    await withJob(async (tx, j) => {
      for (const who of ["city", "province", "sysadmin", "cityMember", j.contact, j.head] as const) {
        await actAs(tx, who);
        expect(await attempt(tx, (sp) => sp`select * from public.run_deadline_warnings(${TODAY}::date)`), typeof who === "string" ? who : "unit account").toBe(
          "42501",
        );
      }
      await actAs(tx, "owner");
      await tx`set local role anon`;
      expect(await attempt(tx, (sp) => sp`select * from public.run_deadline_warnings(${TODAY}::date)`), "anon").toBe("42501");
      await tx`reset role`;
      expect(await deadlineNotices(tx, j), "nothing was sent").toEqual({});
    });
  });

  it("sends exactly the colour due on the day to exactly its recipients", async () => {
    await withJob(async (tx, j) => {
      const counts = await run(tx, TODAY);
      const got = await deadlineNotices(tx, j);
      const everyone = j.everyone;
      expect(got).toEqual({
        // green: the 责任人's account where linked, else every contact of the unit.
        "B green": [j.person.userId],
        "B2 green": everyone,
        "I green": everyone,
        // yellow: green's recipients, and the 分管领导 where linked, else the unit's heads.
        "C yellow": [j.person.userId, j.head.userId].sort(),
        "C2 yellow": [j.person.userId, j.leader.userId].sort(),
        "C3 yellow": everyone,
        "J yellow": everyone,
        // red: every contact and head of the unit, whoever is linked.
        "D red": everyone,
      });
      // The job's own counts include these (and any other unit's items due that day).
      expect(counts.green).toBeGreaterThanOrEqual(1 + 4 + 4);
      expect(counts.yellow).toBeGreaterThanOrEqual(2 + 2 + 4 + 4);
      expect(counts.red).toBeGreaterThanOrEqual(4);

      const [red] = await notices(tx, { subjectType: "rectification_item", subjectIds: [j.item.D], userIds: [j.person.userId] });
      expect(red).toMatchObject({
        level: "red", title: `整改事项已逾期（${day(-1)}到期）`, link: `/rectification/items/${j.item.D}`,
      });
      expect(red.body).toContain("整改事项D");
      // Each recipient reads his own, nobody else's.
      await actAs(tx, j.person);
      expect((await tx`select id from public.notifications where subject_type = 'rectification_item' and subject_id = any (${Object.values(j.item)}::bigint[])`).length).toBe(8);
      await actAs(tx, "city");
      expect(await tx`select id from public.notifications where subject_type = 'rectification_item' and subject_id = any (${Object.values(j.item)}::bigint[])`).toHaveLength(0);
    });
  });

  it("adds nothing when run twice at the same clock, and the next day only the colours that became due", async () => {
    await withJob(async (tx, j) => {
      await run(tx, TODAY);
      const first = await deadlineNotices(tx, j);
      expect(await run(tx, TODAY), "second run, same day").toEqual({ green: 0, yellow: 0, red: 0 });
      expect(await deadlineNotices(tx, j)).toEqual(first);

      await run(tx, day(1));
      const second = await deadlineNotices(tx, j);
      expect(minus(second, first), "new the next day").toEqual({
        "H green": j.everyone, // 21 → 20 days
        "I yellow": j.everyone, // 11 → 10 days (unlinked: the contacts, the head among them)
        "J red": j.everyone, // due yesterday
      });
      expect(total(second) - total(first), "no other notice").toBe(12);
      expect(await run(tx, day(1)), "and again the next day").toEqual({ green: 0, yellow: 0, red: 0 });
    });
  });

  it("sends a fresh notice for a new deadline", async () => {
    await withJob(async (tx, j) => {
      await run(tx, TODAY);
      const before = await deadlineNotices(tx, j);
      // The unit reschedules the overdue item D (a contact may edit the deadline of an open item).
      await actAs(tx, j.contact);
      expect((await tx`update public.rectification_items set deadline = ${day(5)} where id = ${j.item.D}`).count).toBe(1);
      await run(tx, TODAY);
      const after = await deadlineNotices(tx, j);
      expect(minus(after, before)).toEqual({ "D yellow": [j.person.userId, j.head.userId].sort() });
      expect(total(after) - total(before)).toBe(2);
      // Past the new deadline: red again, for the new deadline, to every account of the unit.
      await run(tx, day(6));
      const reds = await notices(tx, { subjectType: "rectification_item", subjectIds: [j.item.D] });
      for (const user of j.everyone) {
        expect(reds.filter((n) => n.level === "red" && n.userId === user).map((n) => n.title).sort()).toEqual([
          `整改事项已逾期（${day(-1)}到期）`,
          `整改事项已逾期（${day(5)}到期）`,
        ]);
      }
    });
  });
});

describe("public.overdue_items (挂账督办)", () => {
  it("lists exactly the open items past their deadline, for the supervising office and its ancestors, and nothing for a sibling office", async () => {
    await withJob(async (tx, j) => {
      const expected = (["A", "B", "B2", "C", "C2", "C3", "D", "H", "I", "J"] as const).map((k) => j.item[k]).sort((a, b) => a - b);
      const listed = async () =>
        (await tx<{ id: number }[]>`select id::int as id from public.overdue_items where engagement_id = ${j.engagementId} order by id`).map((r) => r.id);
      for (const who of ["city", "province"] as const) {
        await actAs(tx, who);
        expect(await listed(), who).toEqual(expected);
      }
      await actAs(tx, "city");
      const [d] = await tx<{ daysOverdue: number; expected: number; unitName: string; deadline: string }[]>`
        select days_overdue as "daysOverdue", current_date - deadline as expected, unit_name as "unitName", deadline::text as deadline
          from public.overdue_items where id = ${j.item.D}`;
      expect(d.daysOverdue).toBe(d.expected);
      expect(d.deadline).toBe(day(-1));
      for (const who of ["qqhr", "daoli", "nangang", "zj", "daoliMember", "sysadmin"] as const) {
        await actAs(tx, who);
        expect(await listed(), who).toEqual([]);
      }
      // Verified and closed, an item leaves the list.
      await actAs(tx, "owner");
      await tx`update public.rectification_items set status = 'closed' where id = ${j.item.D}`;
      await actAs(tx, "city");
      expect(await listed()).toEqual(expected.filter((id) => id !== j.item.D));
      await actAs(tx, "owner");
      await tx`set local role anon`;
      expect(await attempt(tx, (sp) => sp`select id from public.overdue_items`), "anon").toBe("42501");
      await tx`reset role`;
    });
  });
});
