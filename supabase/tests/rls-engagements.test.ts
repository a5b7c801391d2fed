import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql } from "./support/db";
import { attempt, CODES, outcome, rolledBack, seen, withScenario, world, type Scenario, type World } from "./support/engagements";
import { fx } from "./support/matrix-harness";

/**
 * Engagements across levels (issue 3): an elevated patrol (提级, the city patrols a unit of
 * 道里) and a cross patrol (交叉, the city has 道里's group patrol a unit of 南岗). The
 * target county's office sees that the engagement exists once stationed, never its
 * conduct (fieldwork records, petitions, attachments); its siblings see nothing; the
 * cross group's member from 道里 works on that engagement's records and sees nothing else,
 * for as long as he is in the group and the round runs. And the database refuses an
 * engagement whose mode does not fit the org tree. Everything is rolled back.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

/** What of an engagement (and its conduct) the caller sees: ids of the rows, per table. */
async function view(tx: Tx, s: Scenario, key: string) {
  const e = s.e(key);
  const c = s.conduct.find((x) => x.engagement.key === key);
  const fieldwork = await tx<{ n: number }[]>`select count(*)::int as n from public.fieldwork_records where engagement_id = ${e.id}`;
  const petitions = await tx<{ n: number }[]>`select count(*)::int as n from public.petitions where engagement_id = ${e.id}`;
  const attachments = await tx<{ n: number }[]>`select count(*)::int as n from public.attachments where engagement_id = ${e.id}`;
  const [hasReporter] = c
    ? await tx<{ b: boolean }[]>`select public.petition_has_reporter(${c.petitionId}) as b`
    : [{ b: false }];
  return {
    engagement: (await seen(tx, "public.engagements", [e.id])).length === 1,
    group: (await seen(tx, "public.patrol_groups", [e.groupId])).length === 1,
    members: (await tx<{ n: number }[]>`select count(*)::int as n from public.group_members where group_id = ${e.groupId}`)[0].n,
    draws: (await tx<{ n: number }[]>`select count(*)::int as n from public.member_draws where group_id = ${e.groupId}`)[0].n,
    fieldwork: fieldwork[0].n,
    petitions: petitions[0].n,
    attachments: attachments[0].n,
    reporterRecorded: hasReporter.b,
  };
}

const NOTHING = { engagement: false, group: false, members: 0, draws: 0, fieldwork: 0, petitions: 0, attachments: 0, reporterRecorded: false };
const ROW_ONLY = { ...NOTHING, engagement: true };

describe("elevated patrol (提级): 道里's office sees the engagement on its unit once stationed, never its conduct", () => {
  it("sees the row only from stationing on, and nothing of its group, members, draws or conduct", async () => {
    await withScenario(async (tx, s, as) => {
      // 道里 holds view_reporter_identity: the tenancy rule still hides the petitions' reporters.
      await tx`insert into public.permission_grants (membership_id, permission) values (${w.membership.daoli}, 'view_reporter_identity')`;
      const pending = s.e("提级未进驻");
      const stationed = s.e("提级");
      expect(stationed.mode).toBe("elevated");
      expect(stationed.targetOrgId).toBe(w.org.daoli);
      expect(pending.targetVisibleOrgId, "not visible to the target before stationing").toBeNull();

      await as("daoli");
      expect(await view(tx, s, "提级未进驻"), "道里 before stationing").toEqual(NOTHING);
      expect(await view(tx, s, "提级"), "道里 once stationed: the row only").toEqual(ROW_ONLY);
      const [row] = await tx<{ unitName: string; groupName: string; executing: string; targetOrgId: number }[]>`
        select unit_name as "unitName", group_name as "groupName", executing_org_name as executing, target_org_id as "targetOrgId"
          from public.engagements where id = ${stationed.id}`;
      expect(row.executing, "道里 reads who patrols it (a snapshot, not the city's registry)").toBe("哈尔滨市委巡察办");
      expect(row.groupName).toBe("矩阵230100组");
      expect(row.targetOrgId).toBe(w.org.daoli);
      const c = s.conductOf("提级");
      expect(await tx`select * from public.reporter_identity(${c.petitionId})`, "no reporter, grant or not").toHaveLength(0);

      // 道里 writes nothing of it.
      expect(await attempt(tx, (sp) => fx.fieldwork(sp, stationed.id).then(() => ({ count: 1 }))), "fieldwork").toBe("42501");
      expect(await attempt(tx, (sp) => fx.petition(sp, stationed.id).then(() => ({ count: 1 }))), "petition").toBe("42501");
      expect(await attempt(tx, (sp) => sp`update public.petitions set classification = '四风' where id = ${c.petitionId}`), "petition update").toBe("rows:0");
      expect(await attempt(tx, (sp) => sp`delete from public.attachments where id = ${c.attachmentId}`), "attachment delete").toBe("rows:0");
      expect(await attempt(tx, (sp) => sp`update public.engagements set withdrawn_on = stationed_on where id = ${stationed.id}`), "stage").toBe("rows:0");
      expect(await attempt(tx, (sp) => sp`delete from public.engagements where id = ${pending.id}`), "remove").toBe("rows:0");
      expect(
        await outcome(tx, (sp) => sp`select public.set_reporter_identity(${c.petitionId}, '张三', null)`),
        "the reporter identity",
      ).toMatch(/^42501/);

      // The city stations the pending one: 道里 sees that row from the next statement on.
      await as("city");
      await tx`update public.engagements set stationed_on = ${s.window.start} where id = ${pending.id}`;
      await as("daoli");
      expect(await view(tx, s, "提级未进驻"), "道里 once the city stationed it").toEqual(ROW_ONLY);
    });
  });

  it("is seen whole by the city and the province, and not at all by 南岗, the sibling city or another province", async () => {
    await withScenario(async (tx, s, as) => {
      const whole = { engagement: true, group: true, members: 2, draws: 1, fieldwork: 1, petitions: 1, attachments: 1, reporterRecorded: true };
      for (const who of ["city", "province", "provinceStaff", "leader"] as const) {
        await as(who);
        expect(await view(tx, s, "提级"), who).toEqual(whole);
      }
      for (const who of ["nangang", "qqhr", "zj", "sysadmin", "auditor", "daoliMember"] as const) {
        await as(who);
        expect(await view(tx, s, "提级"), who).toEqual(NOTHING);
        expect(await view(tx, s, "提级未进驻"), who).toEqual(NOTHING);
      }
    });
  });
});

describe("cross patrol (交叉): 南岗's office sees the engagement on its unit once stationed, never its conduct", () => {
  it("sees the row from stationing on; 道里 (executing) and the city see and write everything", async () => {
    await withScenario(async (tx, s, as) => {
      const cross = s.g("交叉");
      expect(cross.executingOrgId).toBe(w.org.daoli);
      expect(cross.orgId).toBe(w.org.city);
      // The city plans a second cross engagement of a 南岗 unit, not stationed yet.
      await as("city");
      const [{ id }] = await tx<{ id: number }[]>`
        insert into public.engagements (round_id, group_id, unit_id, mode) values (${s.round.get(CODES.city)!}, ${cross.id}, ${w.units.nangang[3]}, 'cross')
        returning id::int as id`;
      await as("nangang");
      expect(await seen(tx, "public.engagements", [id]), "南岗 before stationing").toEqual([]);
      expect(await view(tx, s, "交叉"), "南岗 once stationed: the row only").toEqual(ROW_ONLY);
      const c = s.conductOf("交叉");
      expect(await attempt(tx, (sp) => fx.fieldwork(sp, s.e("交叉").id).then(() => ({ count: 1 }))), "南岗 records no fieldwork").toBe("42501");
      expect(await attempt(tx, (sp) => sp`update public.fieldwork_records set summary = '改写' where id = ${c.fieldworkId}`)).toBe("rows:0");

      await as("city");
      await tx`update public.engagements set stationed_on = ${s.window.start} where id = ${id}`;
      await as("nangang");
      expect(await seen(tx, "public.engagements", [id]), "南岗 once stationed").toEqual([id]);

      // 道里's office executes it: everything of it, and it records its conduct.
      await as("daoli");
      expect(await view(tx, s, "交叉")).toEqual({
        engagement: true, group: true, members: 2, draws: 1, fieldwork: 1, petitions: 1, attachments: 1, reporterRecorded: true,
      });
      expect(await outcome(tx, (sp) => fx.fieldwork(sp, s.e("交叉").id)), "道里 records fieldwork").toBe("ok");
      // … but staffing the group and the engagement's stages are the city's.
      expect(await attempt(tx, (sp) => sp`update public.engagements set withdrawn_on = stationed_on where id = ${s.e("交叉").id}`)).toBe("rows:0");
      expect(await attempt(tx, (sp) => fx.member(sp, cross.id, s.spareCadre.get(CODES.daoli)!).then(() => ({ count: 1 })))).toBe("42501");

      await as("city");
      expect((await view(tx, s, "交叉")).fieldwork, "the city sees 道里's new record").toBe(2);
      expect(await outcome(tx, (sp) => fx.member(sp, cross.id, s.spareCadre.get(CODES.daoli)!)), "the city staffs the group").toBe("ok");

      for (const who of ["qqhr", "zj", "cityMember"] as const) {
        await as(who);
        expect(await view(tx, s, "交叉"), who).toEqual(NOTHING);
      }
    });
  });
});

describe("the cross group's member from 道里 (daoli.member)", () => {
  it("reads and writes that engagement's records", async () => {
    await withScenario(async (tx, s, as) => {
      const e = s.e("交叉");
      const c = s.conductOf("交叉");
      await as("daoliMember");
      expect(await view(tx, s, "交叉")).toEqual({
        engagement: true, group: true, members: 2, draws: 0, fieldwork: 1, petitions: 1, attachments: 1, reporterRecorded: true,
      });
      const record = await fx.fieldwork(tx, e.id, "个别谈话：了解南岗单位班子情况");
      expect(record).toMatchObject({ executingOrgId: w.org.daoli, groupId: e.groupId });
      const [author] = await tx<{ createdBy: string }[]>`select created_by as "createdBy" from public.fieldwork_records where id = ${record.id}`;
      expect(author.createdBy, "the record names its author").toBe(w.user.daoliMember);
      const petition = await fx.petition(tx, e.id);
      expect(petition.seq, "numbered within the engagement").toBe(2);
      expect(await outcome(tx, (sp) => sp`select public.set_reporter_identity(${petition.id}, '李四', '13900000000')`), "records the reporter at intake").toBe("ok");
      expect(await attempt(tx, (sp) => sp`update public.petitions set classification = '违规发放津补贴', disposition = 'self' where id = ${c.petitionId}`)).toBe("rows:1");
      expect(await attempt(tx, (sp) => sp`update public.fieldwork_records set summary = '补充：已调阅会议记录' where id = ${c.fieldworkId}`)).toBe("rows:1");
      const attachment = await fx.attachment(tx, e.id, { petitionId: petition.id });
      expect(await attempt(tx, (sp) => sp`delete from public.attachments where id = ${attachment}`)).toBe("rows:1");
      expect(await attempt(tx, (sp) => sp`delete from public.fieldwork_records where id = ${record.id}`), "records are not deleted").toBe("42501");
      // Not the engagement itself, nor the group.
      expect(await attempt(tx, (sp) => sp`update public.engagements set withdrawn_on = stationed_on where id = ${e.id}`)).toBe("rows:0");
      expect(await attempt(tx, (sp) => sp`update public.patrol_groups set name = name where id = ${e.groupId}`)).toBe("rows:0");
      expect(await attempt(tx, (sp) => sp`select * from public.draw_group_members(${e.groupId}, 1)`)).toBe("42501");
    });
  });

  it("sees nothing else: not 南岗's units, rounds or other engagements, not 道里's office data", async () => {
    await withScenario(async (tx, s, as) => {
      await as("daoliMember");
      const [counts] = await tx<Record<string, number>[]>`
        select (select count(*)::int from public.units) as units,
               (select count(*)::int from public.terms) as terms,
               (select count(*)::int from public.rounds) as rounds,
               (select count(*)::int from public.round_status_history) as history,
               (select count(*)::int from public.cadres) as cadres,
               (select count(*)::int from public.cadre_work_history) as "workHistory",
               (select count(*)::int from public.cadre_conflicts) as conflicts,
               (select count(*)::int from public.term_objects) as "termObjects",
               (select count(*)::int from public.term_coverage) as coverage,
               (select count(*)::int from public.member_draws) as draws,
               (select count(*)::int from public.audit_log) as audit`;
      expect(counts, "no office data of any org").toEqual({
        units: 0, terms: 0, rounds: 0, history: 0, cadres: 0, workHistory: 0, conflicts: 0, termObjects: 0, coverage: 0, draws: 0, audit: 0,
      });
      // Every engagement, group, member row and conduct record he sees is of a group he is in.
      const [outside] = await tx<Record<string, number>[]>`
        with mine as (select unnest(private.my_group_ids()) as id)
        select (select count(*)::int from public.engagements where group_id not in (select id from mine)) as engagements,
               (select count(*)::int from public.patrol_groups where id not in (select id from mine)) as groups,
               (select count(*)::int from public.group_members where group_id not in (select id from mine)) as members,
               (select count(*)::int from public.fieldwork_records where group_id not in (select id from mine)) as fieldwork,
               (select count(*)::int from public.petitions where group_id not in (select id from mine)) as petitions,
               (select count(*)::int from public.attachments where group_id not in (select id from mine)) as attachments`;
      expect(outside).toEqual({ engagements: 0, groups: 0, members: 0, fieldwork: 0, petitions: 0, attachments: 0 });
      const [mine] = await tx<{ ids: number[] }[]>`select private.my_group_ids()::int[] as ids`;
      expect(mine.ids, "the cross group is his").toContain(s.g("交叉").id);
      expect(mine.ids, "道里's own group is not").not.toContain(s.g(CODES.daoli).id);
      for (const key of [`${CODES.nangang}常规`, `${CODES.nangang}常规未进驻`, `${CODES.daoli}常规`, `${CODES.daoli}常规未进驻`, "提级", `${CODES.city}常规`]) {
        expect(await view(tx, s, key), key).toEqual(NOTHING);
      }
      // … and writes nothing there.
      for (const key of [`${CODES.nangang}常规`, `${CODES.daoli}常规`, "提级"]) {
        expect(await attempt(tx, (sp) => fx.fieldwork(sp, s.e(key).id).then(() => ({ count: 1 }))), key).toBe("42501");
        expect(await attempt(tx, (sp) => fx.petition(sp, s.e(key).id).then(() => ({ count: 1 }))), key).toBe("42501");
      }
      expect(await attempt(tx, (sp) => sp`update public.units set name = name`), "no unit").toBe("rows:0");
    });
  });

  it("loses access at once when removed from the group", async () => {
    await withScenario(async (tx, s, as) => {
      const e = s.e("交叉");
      await as("daoliMember");
      expect((await view(tx, s, "交叉")).fieldwork).toBe(1);
      await as("city");
      expect(await attempt(tx, (sp) => sp`delete from public.group_members where id = ${s.memberRow("交叉组成员账号")}`)).toBe("rows:1");
      await tx`delete from public.group_members where id = ${s.memberRow("交叉组成员账号")}`;
      await as("daoliMember");
      expect(await view(tx, s, "交叉"), "removed: nothing").toEqual(NOTHING);
      expect(await attempt(tx, (sp) => fx.fieldwork(sp, e.id).then(() => ({ count: 1 })))).toBe("42501");
      expect(await outcome(tx, (sp) => sp`select public.set_reporter_identity(${s.conductOf("交叉").petitionId}, '王五', null)`)).toMatch(/^42501/);
    });
  });

  it("has access only while the round runs: approved to rectification, not before, not once closed", async () => {
    await withScenario(async (tx, s, as) => {
      // A new round of the city in draft, with a cross group of 道里 that has him in it.
      const term = s.term.get(CODES.city)!;
      const roundId = await fx.round(tx, w.org.city, term, 3, "draft");
      const later = { start: addDays(s.window.end, 10), end: addDays(s.window.end, 40) };
      const group = await fx.group(tx, roundId, w.org.daoli, 1, later);
      await fx.member(tx, group.id, s.memberCadre.countyA);
      const e = await fx.engagement(tx, roundId, group.id, w.units.nangang[4], "cross");
      const f = await fx.fieldwork(tx, e.id);

      const seesIt = async () => {
        await as("daoliMember");
        const n = (await seen(tx, "public.engagements", [e.id])).length + (await seen(tx, "public.fieldwork_records", [f.id])).length;
        const write = await attempt(tx, (sp) => fx.fieldwork(sp, e.id).then(() => ({ count: 1 })));
        return { sees: n === 2 ? true : n === 0 ? false : `partly (${n})`, write };
      };
      const steps = ["submitted", "approved", "stationed", "reporting", "feedback", "rectification", "closed"];
      const seenAt: Record<string, unknown> = { draft: await seesIt() };
      for (const step of steps) {
        await as("city"); // the director walks the round (and approves it)
        await tx`update public.rounds set status = ${step} where id = ${roundId}`;
        seenAt[step] = await seesIt();
      }
      const no = { sees: false, write: "42501" };
      const yes = { sees: true, write: "rows:1" };
      expect(seenAt).toEqual({
        draft: no, submitted: no, approved: yes, stationed: yes, reporting: yes, feedback: yes, rectification: yes, closed: no,
      });
      // The closed round's group of the fixtures, which the city's member account was in: nothing.
      await as("cityMember");
      expect(await view(tx, s, "已办结")).toEqual(NOTHING);
      expect(await view(tx, s, `${CODES.city}常规`)).toMatchObject({ engagement: true, fieldwork: 1 });
    });
  });
});

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

describe("engagement modes must fit the org tree", () => {
  const refused = /engagement mode/;
  it("refuses every combination that does not fit, and accepts the three that do", async () => {
    await withScenario(async (tx, s, as) => {
      const cityRound = s.round.get(CODES.city)!;
      const cityGroup = s.g(CODES.city).id;
      const cross = s.g("交叉").id;
      const u = w.units;
      // Spare units: [3], [4], [5] are in no engagement of the city's round.
      const cases: [what: string, group: number, unit: number, mode: string, expected: RegExp | "ok"][] = [
        ["regular of the city's own unit by its own group", cityGroup, u.city[3], "regular", "ok"],
        ["elevated of a 道里 unit by the city's own group", cityGroup, u.daoli[3], "elevated", "ok"],
        ["cross of a 南岗 unit by 道里's group", cross, u.nangang[3], "cross", "ok"],
        ["regular of a child org's (道里's) unit", cityGroup, u.daoli[4], "regular", refused],
        ["elevated of the round org's own unit", cityGroup, u.city[4], "elevated", refused],
        ["elevated by a lower org's group", cross, u.nangang[4], "elevated", refused],
        ["regular by a lower org's group of its own unit", cross, u.daoli[4], "regular", refused],
        ["cross by the round org's own group", cityGroup, u.nangang[4], "cross", refused],
        ["cross onto the executing org's own unit (道里's group, a 道里 unit)", cross, u.daoli[5], "cross", refused],
        ["cross onto the round org's own unit", cross, u.city[5], "cross", refused],
        ["elevated of a sibling city's unit", cityGroup, u.qqhr[3], "elevated", refused],
        ["cross of a sibling city's unit", cross, u.qqhr[4], "cross", refused],
        ["elevated of the province's unit (above the round org)", cityGroup, u.province[3], "elevated", refused],
      ];
      await as("city");
      const results: Record<string, string> = {};
      for (const [what, group, unit, mode] of cases) {
        results[what] = await rolledBack(tx, (sp) => fx.engagement(sp, cityRound, group, unit, mode));
      }
      expect(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.slice(0, 5)]))).toEqual(
        Object.fromEntries(cases.map(([what, , , , exp]) => [what, exp === "ok" ? "ok" : "23514"])),
      );
      for (const [what, , , , exp] of cases) {
        if (exp !== "ok") expect(results[what], what).toMatch(exp);
      }

      // Not of another province (a foreign key, not a mode); not with another round's group.
      expect(await attempt(tx, (sp) => fx.engagement(sp, cityRound, cityGroup, u.zj[3], "elevated").then(() => ({ count: 1 })))).toBe("23503");
      expect(await rolledBack(tx, (sp) => fx.engagement(sp, cityRound, s.g(CODES.daoli).id, u.daoli[3], "regular"))).toMatch(
        /^23503: the group belongs to another round/,
      );
      expect(await rolledBack(tx, (sp) => fx.engagement(sp, s.closedRound, cityGroup, u.city[3], "regular"))).toMatch(/^23503/);
      // The mode is checked again when it changes.
      expect(await attempt(tx, (sp) => sp`update public.engagements set mode = 'regular' where id = ${s.e("提级").id}`)).toBe("23514");
      expect(await attempt(tx, (sp) => sp`update public.engagements set mode = 'elevated' where id = ${s.e("交叉").id}`)).toBe("23514");
      // An inactive unit is not patrolled.
      await as("owner");
      await tx`update public.units set active = false where id = ${u.city[5]}`;
      await as("city");
      expect(await rolledBack(tx, (sp) => fx.engagement(sp, cityRound, cityGroup, u.city[5], "regular"))).toMatch(/^23514: the unit is inactive/);
      // A closed round takes no new engagement.
      expect(await rolledBack(tx, (sp) => fx.engagement(sp, s.closedRound, s.g("已办结").id, u.city[3], "regular"))).toMatch(/^23514: the round is closed/);
      // A group is executed by the round's org or an org below it, never a sibling's or the parent's.
      for (const exec of [w.org.qqhr, w.org.province, w.org.zj]) {
        expect(await rolledBack(tx, (sp) => fx.group(sp, cityRound, exec, 40, s.window)), `executing org ${exec}`).toMatch(/^23514: the executing org must be/);
      }
    });
  });

  it("applies the subtree rule at the province too: a city's group crosses into another city, not into its own counties", async () => {
    await withScenario(async (tx, s, as) => {
      const round = s.round.get(CODES.province)!;
      await as("province");
      const group = await fx.group(tx, round, w.org.city, 5, s.window);
      expect(await attempt(tx, (sp) => fx.engagement(sp, round, group.id, w.units.qqhr[3], "cross").then(() => ({ count: 1 }))), "哈尔滨's group, a 齐齐哈尔 unit").toBe("rows:1");
      expect(await attempt(tx, (sp) => fx.engagement(sp, round, group.id, w.units.nangang[3], "cross").then(() => ({ count: 1 }))), "哈尔滨's group, a 南岗 unit").toBe("23514");
      expect(await attempt(tx, (sp) => fx.engagement(sp, round, s.g(CODES.province).id, w.units.nangang[3], "elevated").then(() => ({ count: 1 }))), "the province's own group, a county unit").toBe("rows:1");
      // Only the round's office writes an engagement: refused (42501) to 哈尔滨 and 道里 before any rule is checked.
      for (const who of ["city", "daoli", "leader"] as const) {
        await as(who);
        expect(await attempt(tx, (sp) => fx.engagement(sp, round, group.id, w.units.qqhr[3], "cross").then(() => ({ count: 1 }))), who).toBe("42501");
        expect(await attempt(tx, (sp) => fx.engagement(sp, round, group.id, w.units.nangang[3], "regular").then(() => ({ count: 1 }))), who).toBe("42501");
      }
    });
  });
});
