import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "./db.server";
import type { Sql } from "./privileged.server";
import { msUntilShanghaiTime, runDeadlineJob, startDeadlineScheduler, type DeadlineCounts } from "./jobs.server";
import { closeTestSql } from "../../supabase/tests/support/db";
import { CODES, withScenario, world, type World } from "../../supabase/tests/support/engagements";
import { newAccount, notices, ownerFeedback, ownerItems, ownerProblems, reported } from "../../supabase/tests/support/findings";
import { fx } from "../../supabase/tests/support/matrix-harness";

/**
 * The scheduler's contract (the warnings themselves are specified in
 * supabase/tests/deadline-job.test.ts): the job runs for today's date in China, sends
 * each notice once however often it runs, and a failure is logged without stopping the
 * schedule. Items are built in an owner transaction that is always rolled back, and the
 * job runs in that same transaction.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

const NONE: DeadlineCounts = { green: 0, yellow: 0, red: 0 };

/** A unit of the city with one contact, fed back in March, and three open items around `today`. */
async function itemsAround(tx: Tx, s: Parameters<Parameters<typeof withScenario>[0]>[1], today: string) {
  const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const unitId = w.units.city[4];
  const e = await fx.engagement(tx, s.round.get(CODES.city)!, s.g(CODES.city).id, unitId, "regular", "2026-01-05");
  await reported(tx, e.id, "2026-02-10", "2026-02-20");
  const contact = await newAccount(tx, { orgId: w.org.city, role: "unit_contact", unitId, tag: "jobs-contact" });
  const problems = await ownerProblems(tx, e.id, [{ n: 4 }]);
  await ownerFeedback(tx, e.id, problems, "2026-03-02");
  const [green] = await ownerItems(tx, [problems[0]], { kind: "deadline", deadline: day(15) });
  const [yellow] = await ownerItems(tx, [problems[1]], { kind: "deadline", deadline: day(5) });
  const [red] = await ownerItems(tx, [problems[2]], { kind: "deadline", deadline: day(-2) });
  // Far off: no notice yet.
  const [later] = await ownerItems(tx, [problems[3]], { kind: "deadline", deadline: day(40) });
  return { contact, items: { green, yellow, red, later } };
}

describe("runDeadlineJob", () => {
  it("at a fixed date sends the expected notices once, and nothing on a second run", async () => {
    await withScenario(async (tx, s) => {
      const today = "2026-06-30";
      // Whatever the demo's own items call for on that day first, so the counts below are ours.
      await runDeadlineJob(tx as unknown as Sql, today);
      const { contact, items } = await itemsAround(tx, s, today);

      expect(await runDeadlineJob(tx as unknown as Sql, today)).toEqual({ green: 1, yellow: 1, red: 1 });
      const mine = await notices(tx, { subjectType: "rectification_item", subjectIds: Object.values(items) });
      expect(mine.map((n) => [n.subjectId, n.level, n.userId])).toEqual([
        [items.green, "green", contact.userId],
        [items.yellow, "yellow", contact.userId],
        [items.red, "red", contact.userId],
      ]);

      // Again the same day (the hourly tick): nothing new.
      expect(await runDeadlineJob(tx as unknown as Sql, today)).toEqual(NONE);
      expect(await notices(tx, { subjectType: "rectification_item", subjectIds: Object.values(items) })).toHaveLength(3);
    });
  });

  it("refuses a malformed date before reaching the database", async () => {
    await withScenario(async (tx) => {
      await expect(runDeadlineJob(tx as unknown as Sql, "2026-02-30x")).rejects.toThrow(RangeError);
      await expect(runDeadlineJob(tx as unknown as Sql, "30/06/2026")).rejects.toThrow(RangeError);
    });
  });
});

describe("the date and the schedule are China's", () => {
  it("runs for the calendar date in Asia/Shanghai, not the server's", async () => {
    await withScenario(async (tx, s) => {
      // 2026-06-29 16:30 UTC is already 30 June in Beijing: the 30th's notices go out.
      await runDeadlineJob(tx as unknown as Sql, "2026-06-30");
      await itemsAround(tx, s, "2026-06-30");
      const lines: string[] = [];
      const scheduler = startDeadlineScheduler(tx as unknown as Sql, {
        now: () => new Date("2026-06-29T16:30:00Z"),
        log: (line) => lines.push(line),
        error: (line) => lines.push(`ERROR ${line}`),
        env: {},
      })!;
      try {
        expect(await scheduler.started).toEqual({ green: 1, yellow: 1, red: 1 });
        expect(lines).toEqual(["整改时限预警（2026-06-30）：新发提醒 绿色 1 条，黄色 1 条，红色 1 条。"]);
        // A second tick the same day: logged, nothing sent.
        expect(await scheduler.runNow()).toEqual(NONE);
        expect(lines[1]).toBe("整改时限预警（2026-06-30）：新发提醒 绿色 0 条，黄色 0 条，红色 0 条。");
      } finally {
        scheduler.stop();
      }

      // One minute before midnight in Beijing it is still the 29th.
      const earlier = startDeadlineScheduler(tx as unknown as Sql, {
        now: () => new Date("2026-06-29T15:59:00Z"),
        log: (line) => lines.push(line),
        env: {},
      })!;
      try {
        await earlier.started;
        expect(lines[2]).toMatch(/^整改时限预警（2026-06-29）/);
      } finally {
        earlier.stop();
      }
    });
  });

  it("plans the nightly run for 00:01 Beijing time", () => {
    // 00:00:30 in Beijing (16:00:30 UTC): 30 seconds to go.
    expect(msUntilShanghaiTime(new Date("2026-06-29T16:00:30Z"), 0, 1)).toBe(30_000);
    // 00:01 exactly: the next day's.
    expect(msUntilShanghaiTime(new Date("2026-06-29T16:01:00Z"), 0, 1)).toBe(24 * 3_600_000);
    // 23:00 in Beijing (15:00 UTC): 61 minutes.
    expect(msUntilShanghaiTime(new Date("2026-06-29T15:00:00Z"), 0, 1)).toBe(61 * 60_000);
    // Noon UTC is 20:00 in Beijing: 4 h 1 min, whatever the machine's time zone.
    expect(msUntilShanghaiTime(new Date("2026-06-29T12:00:00Z"), 0, 1)).toBe(4 * 3_600_000 + 60_000);
  });
});

describe("failures and the switch", () => {
  it("logs a failed run and keeps the server and the schedule going", async () => {
    // A real connection to a port nothing listens on: every run fails to connect.
    const broken = postgres("postgres://nobody:secret@127.0.0.1:9/none", { max: 1, connect_timeout: 2, onnotice: () => {} }) as unknown as Sql;
    const lines: string[] = [];
    const errors: unknown[] = [];
    const scheduler = startDeadlineScheduler(broken, {
      now: () => new Date("2026-06-29T16:30:00Z"),
      log: (line) => lines.push(line),
      error: (line, cause) => {
        lines.push(line);
        errors.push(cause);
      },
      env: {},
    })!;
    try {
      expect(await scheduler.started).toBeNull();
      expect(await scheduler.runNow()).toBeNull();
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).toMatch(/^整改时限预警（2026-06-30）运行失败，将在下次定时重试：/);
      expect(errors.every((e) => e instanceof Error)).toBe(true);
    } finally {
      scheduler.stop();
      await broken.end({ timeout: 1 }).catch(() => {});
    }
  });

  it("does not start when XUNLIAN_JOBS=off, and runs nothing after stop", async () => {
    const lines: string[] = [];
    const broken = postgres("postgres://nobody:secret@127.0.0.1:9/none", { max: 1, connect_timeout: 2 }) as unknown as Sql;
    expect(startDeadlineScheduler(broken, { env: { XUNLIAN_JOBS: "off" }, log: (l) => lines.push(l) })).toBeNull();
    expect(lines).toEqual(["定时任务已停用（XUNLIAN_JOBS=off）。"]);
    await withScenario(async (tx) => {
      const scheduler = startDeadlineScheduler(tx as unknown as Sql, { env: {}, log: () => {} })!;
      await scheduler.started;
      scheduler.stop();
      expect(await scheduler.runNow()).toBeNull();
    });
    await broken.end({ timeout: 1 }).catch(() => {});
  });
});
