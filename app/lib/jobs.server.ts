import type { Tx } from "./db.server";
import { shanghaiDate } from "./figures";
import type { Sql } from "./privileged.server";

/**
 * System jobs on a schedule: the rectification deadline warnings (整改时限预警).
 *
 * public.run_deadline_warnings(today) notifies, for every open item with a deadline,
 * green from 20 days before, yellow from 10 days before and red once overdue. Each
 * notice has a dedupe key (item, deadline, colour, recipient), so running it again the
 * same day, or every hour, sends nothing twice. Only the system may run it (no request
 * role holds EXECUTE): the caller hands in the privileged connection, as scripts/start.ts
 * does; nothing in app/ reaches it from a route.
 *
 * "Today" is the calendar date in China (Asia/Shanghai), whatever the server's zone.
 */

export interface DeadlineCounts {
  green: number;
  yellow: number;
  red: number;
}

/** A privileged connection, or a transaction on one (the tests roll theirs back). */
type Runner = Sql | Tx;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Runs the warnings for `today` (YYYY-MM-DD) and returns the notices created, by colour. */
export async function runDeadlineJob(sql: Runner, today: string): Promise<DeadlineCounts> {
  if (!ISO_DATE.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`))) {
    throw new RangeError(`deadline job: not a date: ${today}`);
  }
  const rows = await sql<{ level: keyof DeadlineCounts; notices: number }[]>`
    select level::text as level, notices from public.run_deadline_warnings(${today}::date)`;
  const counts: DeadlineCounts = { green: 0, yellow: 0, red: 0 };
  for (const r of rows) counts[r.level] = Number(r.notices);
  return counts;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHANGHAI_OFFSET = 8 * HOUR;

/**
 * Milliseconds from `now` to the next `hh:mm` in Asia/Shanghai (UTC+8 all year, no
 * daylight saving), always in (0, 24 h].
 */
export function msUntilShanghaiTime(now: Date, hour: number, minute: number): number {
  const local = now.getTime() + SHANGHAI_OFFSET;
  const target = Math.floor(local / DAY) * DAY + hour * HOUR + minute * 60_000;
  const delta = target - local;
  return delta > 0 ? delta : delta + DAY;
}

export interface SchedulerOptions {
  /** The clock (tests give a fixed one). */
  now?: () => Date;
  /** Every hour by default. */
  intervalMs?: number;
  log?: (line: string) => void;
  error?: (line: string, cause: unknown) => void;
  /** XUNLIAN_JOBS=off disables every scheduled job (tests, a second app server). */
  env?: Record<string, string | undefined>;
}

export interface Scheduler {
  /** The run at start (resolves when it is done, failed or not: failures are logged). */
  started: Promise<DeadlineCounts | null>;
  /** One run now, as a tick would do it (null when it failed or another run was under way). */
  runNow: () => Promise<DeadlineCounts | null>;
  stop: () => void;
}

/**
 * Runs the deadline warnings once at start, then every hour and at 00:01 in China (the
 * first minute of a new day: the colours change at midnight). A failure is logged and
 * the schedule goes on; a run never overlaps another. Returns null when disabled.
 */
export function startDeadlineScheduler(sql: Runner, options: SchedulerOptions = {}): Scheduler | null {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.log(`[巡联] ${line}`));
  const error = options.error ?? ((line: string, cause: unknown) => console.error(`[巡联] ${line}`, cause));
  const env = options.env ?? process.env;
  if ((env.XUNLIAN_JOBS ?? "").toLowerCase() === "off") {
    log("定时任务已停用（XUNLIAN_JOBS=off）。");
    return null;
  }

  let running: Promise<DeadlineCounts | null> | null = null;
  let stopped = false;
  const run = (): Promise<DeadlineCounts | null> => {
    if (stopped) return Promise.resolve(null);
    if (running) return running.then(() => null);
    const today = shanghaiDate(now());
    running = runDeadlineJob(sql, today)
      .then((c) => {
        log(`整改时限预警（${today}）：新发提醒 绿色 ${c.green} 条，黄色 ${c.yellow} 条，红色 ${c.red} 条。`);
        return c;
      })
      .catch((cause: unknown) => {
        error(`整改时限预警（${today}）运行失败，将在下次定时重试：${cause instanceof Error ? cause.message : String(cause)}`, cause);
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const hourly = setInterval(() => void run(), options.intervalMs ?? HOUR);
  hourly.unref?.();
  let nightly: ReturnType<typeof setTimeout> | undefined;
  const scheduleNightly = () => {
    nightly = setTimeout(() => {
      void run();
      if (!stopped) scheduleNightly();
    }, msUntilShanghaiTime(now(), 0, 1));
    nightly.unref?.();
  };
  scheduleNightly();

  return {
    started: run(),
    runNow: run,
    stop: () => {
      stopped = true;
      clearInterval(hourly);
      if (nightly) clearTimeout(nightly);
    },
  };
}
