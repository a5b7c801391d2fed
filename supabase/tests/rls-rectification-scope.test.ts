import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql } from "./support/db";
import {
  ACTORS,
  attempt,
  CODES,
  outcome,
  seen,
  withFindingsScenario,
  world,
  type ActorKey,
  type FindingsScenario,
  type World,
} from "./support/engagements";
import { actAs, newAccount } from "./support/findings";
import { findingsFx, fx, type RowFx } from "./support/matrix-harness";

/**
 * Feedback and rectification (issue 4). The unit contact (整改联络员) of 哈尔滨市财政局 sees
 * his unit's fed-back problems, its feedback, reports, ledger items and their events,
 * progress updates and evidence files — and nothing of the conduct (working papers,
 * petitions, fieldwork records, conduct files), no lead, nothing of another unit; he
 * submits reports, items, updates and evidence for his own unit only. The inspected unit's
 * org of an elevated or cross patrol sees the feedback and the rectification and still
 * none of the conduct. Ancestors see everything; siblings and other provinces nothing.
 * Notifications are each user's own. Everything is rolled back.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

const EVERYONE = Object.keys(ACTORS) as ActorKey[];
const ids = (rows: RowFx[]) => rows.map((r) => r.id).sort((a, b) => a - b);

/** The rectification rows of an engagement in the fixtures, per table. */
function rectificationOf(s: FindingsScenario, key: string) {
  return {
    "public.feedbacks": ids(s.rowsOf(s.f.feedbacks, key)),
    "public.rectification_reports": ids(s.rowsOf(s.f.reports, key)),
    "public.rectification_items": ids(s.rowsOf(s.f.items, key)),
    "public.rectification_item_events": ids(s.rowsOf(s.f.events, key)),
    "public.rectification_updates": ids(s.rowsOf(s.f.updates, key)),
    "public.attachments": ids(s.rowsOf(s.f.evidence, key)),
    "public.problems": [s.rowOf(s.f.problems, key, "fed-back problem").id],
  } as const;
}
type Tables = ReturnType<typeof rectificationOf>;
const EMPTY: Record<keyof Tables, number[]> = {
  "public.feedbacks": [], "public.rectification_reports": [], "public.rectification_items": [],
  "public.rectification_item_events": [], "public.rectification_updates": [], "public.attachments": [], "public.problems": [],
};

/** The conduct of an engagement: papers, reviews, the problem not fed back, fieldwork, petitions, files, publications. */
function conductOf(s: FindingsScenario, key: string) {
  const c = s.conduct.find((x) => x.engagement.key === key);
  return {
    "public.working_papers": ids(s.rowsOf(s.f.papers, key)),
    "public.working_paper_reviews": ids(s.rowsOf(s.f.reviews, key)),
    "public.problems": [s.rowOf(s.f.problems, key, "problem not fed back").id],
    "public.fieldwork_records": c ? [c.fieldworkId] : [],
    "public.petitions": c ? [c.petitionId] : [],
    "public.attachments": [...ids(s.rowsOf(s.f.paperFiles, key)), ...(c ? [c.attachmentId] : [])].sort((a, b) => a - b),
    "public.rectification_disclosures": ids(s.rowsOf(s.f.disclosures, key)),
  } as const;
}

/** Of the given rows per table, those the current actor sees. */
async function visible<T extends Record<string, readonly number[]>>(tx: Tx, rows: T): Promise<Record<keyof T, number[]>> {
  const out = {} as Record<keyof T, number[]>;
  for (const [table, list] of Object.entries(rows)) out[table as keyof T] = await seen(tx, table, [...list]);
  return out;
}
const noneOf = <T extends Record<string, readonly number[]>>(rows: T) =>
  Object.fromEntries(Object.keys(rows).map((k) => [k, []])) as unknown as Record<keyof T, number[]>;

/** The leads of an engagement the current actor gets from list_leads and get_lead. */
async function leadsSeen(tx: Tx, s: FindingsScenario, key: string) {
  const e = s.e(key);
  const listed = await tx<{ id: number }[]>`select id::int as id from public.list_leads(${e.id}, 'rls-rectification-scope')`;
  const got: number[] = [];
  for (const l of s.rowsOf(s.f.leads, key)) {
    if ((await tx`select 1 from public.get_lead(${l.id}, 'rls-rectification-scope')`).length) got.push(l.id);
  }
  return { listed: listed.length, got };
}

describe("the unit contact of 哈尔滨市财政局", () => {
  it("sees his unit's fed-back problem, feedback, reports, items, events, updates and evidence", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const mine = rectificationOf(s, "财政局");
      expect(mine["public.rectification_item_events"].length, "confirm and verify events").toBeGreaterThanOrEqual(3);
      for (const who of ["unitContact", "unitHead"] as const) {
        await as(who);
        expect(await visible(tx, mine), who).toEqual(mine);
      }
    });
  });

  it("sees no working paper, review, petition, fieldwork record, conduct file, publication or lead, even of his own unit", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      for (const who of ["unitContact", "unitHead"] as const) {
        await as(who);
        for (const key of ["财政局", `${CODES.city}常规`, "提级", "交叉"]) {
          const conduct = conductOf(s, key);
          expect(await visible(tx, conduct), `${who}: conduct of ${key}`).toEqual(noneOf(conduct));
          expect(await leadsSeen(tx, s, key), `${who}: leads of ${key}`).toEqual({ listed: 0, got: [] });
        }
        // Whatever the tables hold (the demo's rows too): nothing of the conduct at all.
        const [counts] = await tx<{ papers: number; reviews: number; petitions: number; fieldwork: number; conductFiles: number; leads: number; engagements: number }[]>`
          select (select count(*)::int from public.working_papers) as papers,
                 (select count(*)::int from public.working_paper_reviews) as reviews,
                 (select count(*)::int from public.petitions) as petitions,
                 (select count(*)::int from public.fieldwork_records) as fieldwork,
                 (select count(*)::int from public.attachments where evidence_unit_id is distinct from ${w.financeUnit}) as "conductFiles",
                 (select count(*)::int from public.list_leads(null, 'rls-rectification-scope')) as leads,
                 (select count(*)::int from public.engagements) as engagements`;
        expect(counts, who).toEqual({ papers: 0, reviews: 0, petitions: 0, fieldwork: 0, conductFiles: 0, leads: 0, engagements: 0 });
      }
    });
  });

  it("sees nothing of another unit's rectification, whatever the tables hold", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      for (const who of ["unitContact", "unitHead"] as const) {
        await as(who);
        for (const key of [`${CODES.city}常规`, "提级", "交叉", "已办结", `${CODES.city}已评估`, `${CODES.daoli}常规`]) {
          expect(await visible(tx, rectificationOf(s, key)), `${who}: ${key}`).toEqual(EMPTY);
        }
        const [counts] = await tx<Record<string, number>[]>`
          select (select count(*)::int from public.feedbacks where unit_id <> ${w.financeUnit}) as feedbacks,
                 (select count(*)::int from public.rectification_reports where unit_id <> ${w.financeUnit}) as reports,
                 (select count(*)::int from public.rectification_items where unit_id <> ${w.financeUnit}) as items,
                 (select count(*)::int from public.rectification_item_events where unit_id <> ${w.financeUnit}) as events,
                 (select count(*)::int from public.rectification_updates where unit_id <> ${w.financeUnit}) as updates`;
        expect(counts, who).toEqual({ feedbacks: 0, reports: 0, items: 0, events: 0, updates: 0 });
      }
    });
  });

  it("submits a plan and progress reports, items, updates and evidence for his own unit only", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      // A new engagement of his unit in a new round of the city: fed back by the city, no report yet.
      const termId = s.term.get(CODES.city)!;
      const roundId = await fx.round(tx, w.org.city, termId, 3, "stationed");
      const group = await fx.group(tx, roundId, w.org.city, 1, s.window, "整改测试组");
      await fx.member(tx, group.id, await fx.cadre(tx, w.org.city, "整改测试组长"), "leader");
      const e = await fx.engagement(tx, roundId, group.id, w.financeUnit, "regular", s.window.start);
      const { problemId } = await findingsFx.approvedProblem(tx, e.id);
      const feedbackOn = new Date(Date.parse(`${s.window.start}T00:00:00Z`) + 40 * 86_400_000).toISOString().slice(0, 10);
      await findingsFx.reported(tx, e.id, feedbackOn);
      await as("city");
      await tx`select public.give_feedback(${e.id}, ${feedbackOn}, 'dual', '巡察组全体成员', null, '中共哈尔滨市财政局党组', null, ${[problemId]}::bigint[])`;

      await as("unitContact");
      const [notice] = await tx<{ kind: string; link: string }[]>`
        select kind, link from public.notifications where subject_type = 'feedback' and link = ${`/rectification/${e.id}`}`;
      expect(notice, "the feedback reaches him in his inbox").toEqual({ kind: "feedback_given", link: `/rectification/${e.id}` });
      expect(await outcome(tx, (sp) => sp`
        insert into public.rectification_reports (engagement_id, kind, title, content) values (${e.id}, 'plan', '整改方案', '逐项整改')`), "his plan").toBe("ok");
      const [item] = await tx<{ id: number }[]>`
        insert into public.rectification_items (problem_id, measures, responsible_leader, responsible_department, responsible_person, kind, deadline)
        values (${problemId}, '清退津补贴', '局长', '财务科', '科长', 'deadline', ${feedbackOn}::date + 60) returning id::int as id`;
      const [update] = await tx<{ id: number }[]>`
        insert into public.rectification_updates (item_id, reported_on, progress) values (${item.id}, current_date, '已清退') returning id::int as id`;
      expect(await outcome(tx, (sp) => sp`
        insert into public.attachments (engagement_id, rectification_update_id, file_name, content_type, size_bytes, sha256, content)
        select ${e.id}, ${update.id}, '凭证.txt', 'text/plain', octet_length(b), encode(sha256(b), 'hex'), b
          from (select convert_to('退款凭证', 'UTF8') as b) x`), "his evidence").toBe("ok");
      // He does not review his own report, nor verify his own item.
      expect(await attempt(tx, (sp) => sp`update public.rectification_reports set status = 'accepted' where engagement_id = ${e.id}`), "review").toBe("rows:0");
      expect(await attempt(tx, (sp) => sp`select public.review_rectification_item(${item.id}, 'verify')`), "verify").toBe("42501");

      // The city accepts the plan; then he reports progress on the fixture engagement too.
      await as("city");
      const accepted = await tx`update public.rectification_reports set status = 'accepted' where engagement_id = ${e.id} and kind = 'plan' returning id`;
      expect(accepted.length, "the city accepts the plan").toBe(1);
      await as("unitContact");
      expect(await attempt(tx, (sp) => sp`
        insert into public.rectification_reports (engagement_id, kind, title, content) values (${e.id}, 'progress', '整改进展', '已完成过半')`), "progress").toBe("rows:1");
      expect(s.f.reportState.get("财政局")).toBe("progress accepted");
      expect(await attempt(tx, (sp) => sp`
        insert into public.rectification_reports (engagement_id, kind, title, content) values (${s.e("财政局").id}, 'progress', '整改进展', '持续推进')`), "progress of the fixture engagement").toBe("rows:1");

      // Another unit's engagement (the cross patrol's 南岗 unit, whose plan is accepted): refused.
      const other = s.e("交叉");
      expect(s.f.reportState.get("交叉")).toBe("progress accepted");
      const otherProblem = s.rowOf(s.f.problems, "交叉", "fed-back problem").id;
      const otherItem = s.rowOf(s.f.items, "交叉", "open item").id;
      const otherUpdate = s.rowOf(s.f.updates, "交叉", "progress update of the open item").id;
      expect(await attempt(tx, (sp) => sp`
        insert into public.rectification_reports (engagement_id, kind, title, content) values (${other.id}, 'progress', '整改进展', '代报')`), "another unit's report").toBe("42501");
      expect(await attempt(tx, (sp) => sp`
        insert into public.rectification_items (problem_id, measures, responsible_leader, responsible_department, responsible_person, kind)
        values (${otherProblem}, '代为整改', '局长', '办公室', '科长', 'long_term')`), "another unit's item").toBe("42501");
      expect(await attempt(tx, (sp) => sp`
        insert into public.rectification_updates (item_id, reported_on, progress) values (${otherItem}, current_date, '代报进展')`), "another unit's update").toBe("42501");
      expect(await attempt(tx, (sp) => sp`update public.rectification_items set measures = measures || '（改）' where id = ${otherItem}`), "another unit's item change").toBe("rows:0");
      expect(await attempt(tx, (sp) => sp`
        insert into public.attachments (engagement_id, rectification_update_id, file_name, content_type, size_bytes, sha256, content)
        select ${other.id}, ${otherUpdate}, '凭证.txt', 'text/plain', octet_length(b), encode(sha256(b), 'hex'), b
          from (select convert_to('凭证', 'UTF8') as b) x`), "another unit's evidence").toBe("42501");
      expect(await attempt(tx, (sp) => sp`delete from public.attachments where id = ${s.rowsOf(s.f.evidence, "交叉")[0].id}`), "another unit's evidence removed").toBe("rows:0");
      // Nor conduct: no paper, no petition of his own unit's engagement.
      expect(await attempt(tx, (sp) => sp`
        insert into public.working_papers (engagement_id, title, facts, category_id) values (${e.id}, '自拟底稿', '自拟事实', ${s.f.commonCategoryId})`), "a working paper").toBe("42501");
      expect(await attempt(tx, (sp) => fx.petition(sp, e.id).then(() => ({ count: 1 }))), "a petition").toBe("42501");
    });
  });
});

describe("the inspected unit's org of an elevated or cross patrol", () => {
  for (const [who, key, label] of [["daoli", "提级", "道里 (the city's elevated patrol)"], ["nangang", "交叉", "南岗 (the cross patrol by 道里)"]] as const) {
    it(`${label}: feedback and rectification, none of the conduct or leads, and no write`, async () => {
      await withFindingsScenario(async (tx, s, as) => {
        const rect = rectificationOf(s, key);
        const conduct = conductOf(s, key);
        await as(who);
        expect(await visible(tx, rect), "feedback and rectification").toEqual(rect);
        expect(await visible(tx, conduct), "conduct").toEqual(noneOf(conduct));
        expect(await leadsSeen(tx, s, key), "leads").toEqual({ listed: 0, got: [] });

        const e = s.e(key);
        const fedBack = s.rowOf(s.f.problems, key, "fed-back problem").id;
        const item = s.rowOf(s.f.items, key, "open item").id;
        const confirmed = s.rowOf(s.f.items, key, "unit_confirmed item").id;
        expect(await attempt(tx, (sp) => sp`
          insert into public.rectification_reports (engagement_id, kind, title, content) values (${e.id}, 'progress', '整改进展', '代报')`), "report").toBe("42501");
        expect(await attempt(tx, (sp) => sp`
          insert into public.rectification_items (problem_id, measures, responsible_leader, responsible_department, responsible_person, kind)
          values (${fedBack}, '整改', '局长', '办公室', '科长', 'long_term')`), "item").toBe("42501");
        expect(await attempt(tx, (sp) => sp`insert into public.rectification_updates (item_id, reported_on, progress) values (${item}, current_date, '进展')`), "update").toBe("42501");
        expect(await attempt(tx, (sp) => sp`update public.rectification_items set measures = measures where id = ${item}`), "item change").toBe("rows:0");
        expect(await attempt(tx, (sp) => sp`update public.rectification_reports set status = 'accepted' where engagement_id = ${e.id}`), "review").toBe("rows:0");
        expect(await attempt(tx, (sp) => sp`select public.review_rectification_item(${confirmed}, 'verify')`), "verify").toBe("42501");
        expect(await attempt(tx, (sp) => sp`select public.review_rectification_item(${item}, 'confirm')`), "confirm").toBe("42501");
      });
    });
  }
});

describe("ancestors see all of it; siblings and other provinces nothing", () => {
  it("the city and the province see the rectification and the conduct of the city's patrols; the group its own", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      for (const key of ["财政局", "提级", "交叉"]) {
        const rect = rectificationOf(s, key);
        const conduct = conductOf(s, key);
        for (const who of ["city", "province", "provinceStaff", "leader"] as const) {
          await as(who);
          expect(await visible(tx, rect), `${who}: rectification of ${key}`).toEqual(rect);
          expect(await visible(tx, conduct), `${who}: conduct of ${key}`).toEqual(conduct);
          expect((await leadsSeen(tx, s, key)).got, `${who}: leads of ${key}`).toEqual(ids(s.rowsOf(s.f.leads, key)));
        }
        const member = key === "交叉" ? "daoliMember" : "cityMember";
        await as(member);
        expect(await visible(tx, rect), `${member}: rectification of ${key}`).toEqual(rect);
      }
    });
  });

  it("a sibling, another city, another province, the administrators and the partner see none of the rectification", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const cases: [ActorKey, string][] = [
        ["nangang", "提级"], ["nangang", "财政局"], ["daoli", "财政局"], ["daoli", `${CODES.nangang}常规`],
        ["qqhr", "提级"], ["qqhr", "交叉"], ["qqhr", "财政局"], ["zj", "财政局"], ["zj", `${CODES.qqhr}常规`],
        ["sysadmin", "财政局"], ["auditor", "交叉"], ["cityPartner", "财政局"], ["cityPartner", "提级"],
        ["cityMember", "交叉"], ["daoliMember", "提级"], ["cityMember", "已办结"],
      ];
      for (const [who, key] of cases) {
        await as(who);
        expect(await visible(tx, rectificationOf(s, key)), `${who}: ${key}`).toEqual(EMPTY);
      }
    });
  });
});

describe("notifications: each user sees and marks read his own only", () => {
  it("every account reads only his own notifications and marks only those read", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const all = s.f.notifications.map((n) => ({ id: n.id, userId: n.record.userId as string }));
      for (const who of EVERYONE) {
        await as(who);
        const own = all.filter((n) => n.userId === w.user[who]).map((n) => n.id);
        const others = all.filter((n) => n.userId !== w.user[who]);
        expect(own.length, `${who} has a notification of his own in the fixtures`).toBeGreaterThan(0);
        expect(await seen(tx, "public.notifications", all.map((n) => n.id)), `${who} reads`).toEqual(own.sort((a, b) => a - b));
        const [{ foreign }] = await tx<{ foreign: number }[]>`
          select count(*)::int as foreign from public.notifications where user_id <> ${w.user[who]}`;
        expect(foreign, `${who}: no other user's notification, whatever the table holds`).toBe(0);
        expect(await attempt(tx, (sp) => sp`update public.notifications set read_at = now() where id = ${own[0]}`), `${who} marks his own`).toBe("rows:1");
        expect(await attempt(tx, (sp) => sp`update public.notifications set read_at = now() where id = ${others[0].id}`), `${who}: another's`).toBe("rows:0");
        expect(await attempt(tx, (sp) => sp`update public.notifications set title = '改' where id = ${own[0]}`), `${who}: only read_at`).toBe("42501");
        expect(await attempt(tx, (sp) => sp`delete from public.notifications where id = ${own[0]}`), `${who}: no delete`).toBe("42501");
        expect(await attempt(tx, (sp) => sp`
          insert into public.notifications (user_id, kind, title) values (${w.user[who]}, 'self_made', '自造通知')`), `${who}: no insert`).toBe("42501");
      }
      // The workflow's notices reach their own recipients: the unit's contacts the feedback, the partner the transferred lead.
      await as("unitHead");
      expect((await tx`select 1 from public.notifications where kind = 'feedback_given' and subject_id = ${s.rowsOf(s.f.feedbacks, "财政局")[0].id}`).length).toBe(1);
      await as("cityPartner");
      const transferred = s.f.leads.filter((l) => l.record.receivingOrgId === w.partner["哈尔滨市纪委监委"]).map((l) => l.id);
      const notices = await tx<{ id: number }[]>`
        select subject_id::int as id from public.notifications where kind = 'lead_transferred' and subject_id = any(${transferred}::bigint[])`;
      expect(notices.map((n) => n.id).sort((a, b) => a - b)).toEqual(transferred.sort((a, b) => a - b));
    });
  });
});

describe("a feedback sent down a level (issue 5)", () => {
  it("notifies the inspected unit's office of an elevated patrol, and both counties of a cross patrol; a regular one nobody below", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      await as("owner");
      const officeUsers = async (...orgs: number[]) =>
        (await tx<{ u: string }[]>`
          select distinct user_id::text as u from public.memberships
           where org_id = any(${orgs}::int[]) and role in ('office_director', 'office_staff') order by 1`).map((r) => r.u);
      const told = async (key: string) => {
        const feedback = s.rowsOf(s.f.feedbacks, key)[0].id;
        return (await tx<{ u: string; title: string }[]>`
          select user_id::text as u, title from public.notifications
           where kind = 'feedback_sent_down' and subject_id = ${feedback} order by 1`);
      };
      const elevated = s.e("提级");
      const cross = s.e("交叉");
      expect([elevated.mode, cross.mode]).toEqual(["elevated", "cross"]);
      const up = await told("提级");
      expect(up.length).toBeGreaterThan(0);
      expect(up.map((n) => n.u), "the target county's office, once each").toEqual(await officeUsers(elevated.targetOrgId));
      expect(up[0].title).toMatch(/^哈尔滨市委巡察办反馈巡察意见：/);
      expect((await told("交叉")).map((n) => n.u), "the executing and the target county").toEqual(
        await officeUsers(cross.executingOrgId, cross.targetOrgId));
      expect(await told("财政局"), "a regular patrol: nobody below is told").toEqual([]);
    });
  });
});

describe("public.unit_accounts: the accounts an item's responsible people are linked to", () => {
  const accountsOf = async (tx: Tx, unitId: number) =>
    (await tx<{ userId: string; isUnitHead: boolean }[]>`
      select user_id as "userId", is_unit_head as "isUnitHead" from public.unit_accounts(${unitId})`)
      .sort((a, b) => a.userId.localeCompare(b.userId));

  it("lists the unit's contacts, its head marked, to its own contacts and to the offices above it", async () => {
    await withFindingsScenario(async (tx, _s, as) => {
      const expected = [
        { userId: w.user.unitContact, isUnitHead: false },
        { userId: w.user.unitHead, isUnitHead: true },
      ].sort((a, b) => a.userId.localeCompare(b.userId));
      for (const who of ["unitContact", "unitHead", "city", "province", "provinceStaff"] as const) {
        await as(who);
        expect(await accountsOf(tx, w.financeUnit), who).toEqual(expected);
      }
    });
  });

  it("gives nothing to counties, other cities and provinces, leadership, administrators, groups, partners or another unit's contact", async () => {
    await withFindingsScenario(async (tx, _s, as) => {
      const denied = ["daoli", "nangang", "qqhr", "zj", "leader", "sysadmin", "auditor", "cityMember", "daoliMember", "cityPartner"] as const;
      for (const who of denied) {
        await as(who);
        expect(await accountsOf(tx, w.financeUnit), who).toEqual([]);
      }
      await as("owner");
      const [other] = await tx<{ id: number }[]>`
        select id::int as id from public.units where org_id = ${w.org.city} and id <> ${w.financeUnit} and active order by id limit 1`;
      const stranger = await newAccount(tx, { orgId: w.org.city, role: "unit_contact", unitId: other.id, tag: "other-unit" });
      await actAs(tx, stranger);
      expect(await accountsOf(tx, w.financeUnit), "another unit's contact").toEqual([]);
      expect(await accountsOf(tx, other.id), "his own unit's").toEqual([{ userId: stranger.userId, isUnitHead: false }]);
    });
  });
});
