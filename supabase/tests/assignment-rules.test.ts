import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql } from "./support/db";
import { enterRequestContext } from "./support/fixtures";
import { attempt, CODES, newOffice, rolledBack, withScenario, world, type World } from "./support/engagements";
import { fx } from "./support/matrix-harness";

/**
 * Assignment rules for patrol groups (seed 000, 回避 and rotation): a cadre never patrols a
 * unit he has a conflict of interest with (recorded, or derived from his work history of
 * the last five years), is in one stationed group at a time, leads only from the leader
 * pool, is available, and comes from the pool of the executing org (or an org between it
 * and the round's). Five years in inspection posts raise a rotation warning. The random
 * draw proposes only cadres these rules would accept, and is recorded. Members are
 * evaluated after stationing. Everything is rolled back.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const yearsBefore = (date: string, n: number) => `${Number(date.slice(0, 4)) - n}${date.slice(4)}`;

/** A work-history row of `cadreId` in `unitId`, ended `yearsAgo` years (and `daysLater` days) before today (as the owner). */
async function workedThere(tx: Tx, cadreId: number, unitId: number, yearsAgo: number, daysLater = 0) {
  await tx`
    insert into public.cadre_work_history (cadre_id, unit_id, unit_name, post, from_date, to_date)
    values (${cadreId}, ${unitId}, '测试任职单位', '副局长', '2010-01-01',
            (current_date - make_interval(years => ${yearsAgo}) + make_interval(days => ${daysLater}))::date)`;
}

const addMember = (tx: Tx, group: number, cadre: number, role = "member") => rolledBack(tx, (sp) => fx.member(sp, group, cadre, role));

describe("conflicts of interest (回避)", () => {
  it("refuse a member with a recorded or a derived conflict with one of the group's units, and an engagement of such a unit", async () => {
    await withScenario(async (tx, s, as) => {
      const round = s.round.get(CODES.city)!;
      const group = s.g(`${CODES.city}备用`).id; // no engagement, no member yet
      const x = w.units.city[3];
      const y = w.units.daoli[3];
      const recorded = await fx.cadre(tx, w.org.city, "回避甲", { pools: ["talent"] });
      await tx`insert into public.cadre_conflicts (cadre_id, unit_id, reason, note) values (${recorded}, ${x}, 'relative', '配偶在该单位任职')`;
      const derived = await fx.cadre(tx, w.org.city, "回避乙", { pools: ["talent"] });
      await workedThere(tx, derived, y, 1);
      const longAgo = await fx.cadre(tx, w.org.city, "回避丙", { pools: ["talent"] });
      await workedThere(tx, longAgo, y, 5, -1); // left five years and a day ago: no longer a conflict
      const justInside = await fx.cadre(tx, w.org.city, "回避丁", { pools: ["talent"] });
      await workedThere(tx, justInside, y, 5); // left exactly five years ago: still one

      await as("city");
      const [{ n }] = await tx<{ n: number }[]>`
        select count(*)::int as n from public.cadre_unit_conflicts where cadre_id in (${recorded}, ${derived}, ${longAgo}, ${justInside})`;
      expect(n, "the view the rules read: recorded + two derived").toBe(3);

      const ex = await fx.engagement(tx, round, group, x, "regular");
      expect(await addMember(tx, group, recorded), "recorded conflict").toMatch(/^23514: assignment refused: conflict \(.+\)$/);
      expect(await addMember(tx, group, derived), "no conflict with this unit").toBe("ok");
      await fx.member(tx, group, derived);
      await fx.member(tx, group, longAgo);
      await fx.member(tx, group, justInside);
      // Now the group may not take a unit one of its members worked in within five years.
      expect(await rolledBack(tx, (sp) => fx.engagement(sp, round, group, y, "elevated")), "derived conflict of a member").toMatch(
        /^23514: assignment refused: conflict \((回避乙|回避丁)\)$/,
      );
      await tx`delete from public.group_members where group_id = ${group} and cadre_id in (${derived}, ${justInside})`;
      expect(await rolledBack(tx, (sp) => fx.engagement(sp, round, group, y, "elevated")), "only a conflict older than five years left").toBe("ok");
      await fx.engagement(tx, round, group, y, "elevated");
      expect(await addMember(tx, group, derived), "and now he cannot join").toMatch(/^23514: assignment refused: conflict/);
      expect(await addMember(tx, group, justInside), "nor he").toMatch(/^23514: assignment refused: conflict/);
      // Handing an engagement to a group with a conflicted member is refused too.
      const other = s.g(CODES.city).id;
      await fx.member(tx, other, recorded);
      expect(
        await rolledBack(tx, (sp) => sp`update public.engagements set group_id = ${other} where id = ${ex.id}`),
        "to a group with a member who has a recorded conflict with the unit",
      ).toMatch(/^23514: assignment refused: conflict \(回避甲\)$/);
      await tx`delete from public.group_members where group_id = ${other} and cadre_id = ${recorded}`;
      expect(await attempt(tx, (sp) => sp`update public.engagements set group_id = ${other} where id = ${ex.id}`), "once he has left it").toBe("rows:1");
    });
  });
});

describe("one group at a time", () => {
  it("refuses a cadre whose stationing dates would overlap another group's, also when a group's dates change", async () => {
    await withScenario(async (tx, s, as) => {
      const round = s.round.get(CODES.city)!;
      const busy = await fx.cadre(tx, w.org.city, "忙碌甲", { pools: ["talent"] });
      await as("city");
      const g1 = s.g(`${CODES.city}备用`);
      await fx.member(tx, g1.id, busy);
      const overlapping = await fx.group(tx, round, w.org.city, 11, { start: addDays(s.window.start, 10), end: addDays(s.window.end, 10) });
      const touching = await fx.group(tx, round, w.org.city, 12, { start: s.window.end, end: addDays(s.window.end, 30) });
      const after = await fx.group(tx, round, w.org.city, 13, { start: addDays(s.window.end, 1), end: addDays(s.window.end, 30) });
      expect(await addMember(tx, overlapping.id, busy)).toMatch(/^23514: assignment refused: overlap \(矩阵230100备用组（.+至.+）\)$/);
      expect(await addMember(tx, touching.id, busy), "the last day counts").toMatch(/^23514: assignment refused: overlap/);
      expect(await addMember(tx, after.id, busy), "the day after is free").toBe("ok");
      await fx.member(tx, after.id, busy);
      // Moving that group's dates onto the first group's is refused; elsewhere it is fine.
      expect(
        await rolledBack(tx, (sp) => sp`update public.patrol_groups set station_start = ${addDays(s.window.end, -5)} where id = ${after.id}`),
      ).toMatch(/^23514: assignment refused: overlap/);
      expect(
        await rolledBack(tx, (sp) => sp`update public.patrol_groups set station_start = station_start + 5, station_end = station_end + 5 where id = ${after.id}`),
      ).toBe("ok");
      // The first group moving onto the second's dates is refused as well.
      expect(
        await rolledBack(tx, (sp) => sp`update public.patrol_groups set station_end = ${addDays(s.window.end, 3)} where id = ${g1.id}`),
      ).toMatch(/^23514: assignment refused: overlap/);
    });
  });
});

describe("pools, leaders, availability", () => {
  it("takes the leader from the leader pool, an available cadre, from the executing org's pool or one between it and the round's", async () => {
    await withScenario(async (tx, s, as) => {
      const talentOnly = await fx.cadre(tx, w.org.city, "人才甲", { pools: ["talent"] });
      const leader = await fx.cadre(tx, w.org.city, "组长甲", { pools: ["leader"] });
      const away = await fx.cadre(tx, w.org.city, "借调甲", { pools: ["leader", "talent"], available: false });
      const nangang = await fx.cadre(tx, w.org.nangang, "南岗干部", { pools: ["talent"] });
      const province = await fx.cadre(tx, w.org.province, "省干部", { pools: ["talent"] });
      const daoli = await fx.cadre(tx, w.org.daoli, "道里干部", { pools: ["talent"] });
      const zj = await fx.cadre(tx, w.org.zj, "浙江干部", { pools: ["talent"] });
      const city = s.g(`${CODES.city}备用`).id;
      const cross = s.g("交叉").id; // executed by 道里 for the city's round
      await as("city");
      expect(await addMember(tx, city, talentOnly, "leader")).toMatch(/^23514: assignment refused: not_leader \(人才甲\)$/);
      expect(await addMember(tx, city, talentOnly, "deputy")).toBe("ok");
      expect(await addMember(tx, city, away, "member")).toMatch(/^23514: assignment refused: unavailable \(借调甲\)$/);
      expect(await addMember(tx, city, nangang), "a county's pool, for the city's own group").toMatch(/^23514: assignment refused: outside_pool/);
      expect(await addMember(tx, city, province), "the province's pool (above the round)").toMatch(/^23514: assignment refused: outside_pool/);
      expect(await addMember(tx, city, zj), "another province's pool").toMatch(/^23514: assignment refused: outside_pool/);
      expect(await addMember(tx, cross, daoli), "the executing county's pool").toBe("ok");
      expect(await addMember(tx, cross, talentOnly), "the round org's pool, between").toBe("ok");
      expect(await addMember(tx, cross, nangang), "the patrolled county's pool").toMatch(/^23514: assignment refused: outside_pool/);
      // A leader from the leader pool; one leader per group; a role change is checked again.
      await fx.member(tx, city, leader, "leader");
      const [m] = await tx<{ id: number }[]>`
        insert into public.group_members (group_id, cadre_id, role) values (${city}, ${talentOnly}, 'member') returning id::int as id`;
      expect(await rolledBack(tx, (sp) => sp`update public.group_members set role = 'leader' where id = ${m.id}`)).toMatch(/not_leader/);
      const second = await fx.cadre(tx, w.org.city, "组长乙", { pools: ["leader"] });
      expect(await addMember(tx, city, second, "leader"), "one leader per group").toMatch(/^23505/);
      expect(await addMember(tx, city, second, "deputy")).toBe("ok");
      // Only the round's office assigns: not the executing county, not the member accounts.
      for (const who of ["daoli", "daoliMember", "province", "leader"] as const) {
        await as(who);
        expect(await attempt(tx, (sp) => fx.member(sp, cross, daoli).then(() => ({ count: 1 }))), who).toBe("42501");
      }
    });
  });
});

describe("rotation (5 years in inspection posts)", () => {
  it("warns from five years at the start of stationing, and again when the group's dates move", async () => {
    await withScenario(async (tx, s, as) => {
      const start = s.window.start;
      const six = await fx.cadre(tx, w.org.city, "轮岗甲", { pools: ["talent"], firstPostedOn: yearsBefore(start, 6) });
      const five = await fx.cadre(tx, w.org.city, "轮岗乙", { pools: ["talent"], firstPostedOn: yearsBefore(start, 5) });
      const four = await fx.cadre(tx, w.org.city, "轮岗丙", { pools: ["talent"], firstPostedOn: addDays(yearsBefore(start, 5), 1) });
      const never = await fx.cadre(tx, w.org.city, "轮岗丁", { pools: ["talent"], firstPostedOn: null });
      const group = s.g(`${CODES.city}备用`).id;
      await as("city");
      const warnings = async () =>
        Object.fromEntries(
          (
            await tx<{ name: string; warning: boolean }[]>`
              select cadre_name as name, rotation_warning as warning from public.group_members where group_id = ${group} order by cadre_name`
          ).map((r) => [r.name, r.warning]),
        );
      for (const c of [six, five, four, never]) await fx.member(tx, group, c);
      expect(await warnings()).toEqual({ 轮岗甲: true, 轮岗乙: true, 轮岗丙: false, 轮岗丁: false });
      // The client cannot set it.
      await tx`update public.group_members set rotation_warning = true where group_id = ${group}`;
      expect(await warnings()).toEqual({ 轮岗甲: true, 轮岗乙: true, 轮岗丙: false, 轮岗丁: false });
      // Stationing a year later: 轮岗丙 too.
      await tx`update public.patrol_groups set station_start = station_start + 365, station_end = station_end + 365 where id = ${group}`;
      expect(await warnings()).toEqual({ 轮岗甲: true, 轮岗乙: true, 轮岗丙: true, 轮岗丁: false });
    });
  });
});

describe("the random draw (一次一授权)", () => {
  it("never proposes a conflicted, busy, unavailable or already assigned cadre, honours pool and specialty, and records every draw", async () => {
    await withScenario(async (tx, s) => {
      // A new county office under the city: a pool nobody else fills.
      const office = await newOffice(tx, w.org.city);
      const term = await fx.term(tx, office.orgId, "测试届");
      const round = await fx.round(tx, office.orgId, term, 1, "approved");
      const group = await fx.group(tx, round, null, 1, s.window);
      const elsewhere = await fx.group(tx, round, null, 2, { start: addDays(s.window.start, 20), end: addDays(s.window.end, 20) });
      const c = (name: string, o: Parameters<typeof fx.cadre>[3] = {}) =>
        fx.cadre(tx, office.orgId, name, { pools: ["talent"], specialties: ["法律"], ...o });
      const good = [await c("合格甲"), await c("合格乙"), await c("合格丙", { firstPostedOn: yearsBefore(s.window.start, 6) })];
      const recorded = await c("回避甲");
      const derived = await c("回避乙");
      const busy = await c("忙碌甲");
      const away = await c("借调甲", { available: false });
      const leaderOnly = await c("组长甲", { pools: ["leader"] });
      const finance = await c("财务甲", { specialties: ["财务"] });
      const member = await c("已在组");
      await tx`insert into public.cadre_conflicts (cadre_id, unit_id, reason) values (${recorded}, ${office.units[0]}, 'relative')`;
      await workedThere(tx, derived, office.units[0], 2);
      await fx.member(tx, elsewhere.id, busy);
      await fx.member(tx, group.id, member);
      await fx.engagement(tx, round, group.id, office.units[0], "regular");
      const bad = [recorded, derived, busy, away, leaderOnly, finance, member];

      await enterRequestContext(tx, office.claims);
      const draw = async (count: number, specialties: string[] = ["法律"], pool = "talent") =>
        tx<{ cadreId: number; name: string; rotationWarning: boolean }[]>`
          select cadre_id::int as "cadreId", name, rotation_warning as "rotationWarning"
            from public.draw_group_members(${group.id}, ${count}, ${specialties}::text[], ${pool}::public.cadre_pool)`;
      const all = await draw(30);
      expect(all.map((r) => r.cadreId).sort(), "exactly the cadres the rules accept").toEqual([...good].sort());
      expect(all.find((r) => r.name === "合格丙")?.rotationWarning, "the rotation warning comes with the proposal").toBe(true);
      const [recordRow] = await tx<{ requested: number; eligible: number; proposed: number[]; specialties: string[]; pool: string; drawnBy: string }[]>`
        select requested, eligible, proposed::int[] as proposed, specialties, pool::text as pool, drawn_by as "drawnBy"
          from public.member_draws where group_id = ${group.id} order by id desc limit 1`;
      expect(recordRow).toEqual({
        requested: 30, eligible: 3, proposed: all.map((r) => r.cadreId), specialties: ["法律"], pool: "talent", drawnBy: office.director,
      });
      const proposedEver = new Set<number>();
      for (let i = 0; i < 15; i++) for (const r of await draw(2)) proposedEver.add(r.cadreId);
      expect([...proposedEver].filter((id) => bad.includes(id)), "never a refused cadre").toEqual([]);
      expect(proposedEver.size, "at random among the accepted").toBeGreaterThanOrEqual(2);
      const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from public.member_draws where group_id = ${group.id}`;
      expect(n, "every draw recorded").toBe(16);
      expect((await draw(30, [])).map((r) => r.cadreId).sort(), "no specialty asked: any").toEqual([...good, finance].sort());
      expect((await draw(30, [], "leader")).map((r) => r.cadreId), "the leader pool").toEqual([leaderOnly]);
      // What the draw proposes, the assignment accepts.
      for (const id of good) expect(await addMember(tx, group.id, id), `proposed ${id}`).toBe("ok");
      // The refused ones are refused by the assignment too (the pool and specialty were only the draw's filter).
      for (const id of [recorded, derived, busy, away]) expect(await addMember(tx, group.id, id), `refused ${id}`).toMatch(/^23514: assignment refused/);
      expect(await addMember(tx, group.id, member), "already in the group").toMatch(/^23505/);
      // The count is bounded.
      for (const count of [0, 31]) expect(await attempt(tx, (sp) => sp`select * from public.draw_group_members(${group.id}, ${count})`)).toBe("22023");
    });
  });

  it("draws a cross group from the executing county's pool and the pools between it and the round's office, only for that office", async () => {
    await withScenario(async (tx, s, as) => {
      const cross = s.g("交叉").id;
      await as("city");
      const proposed = await tx<{ cadreId: number }[]>`select cadre_id::int as "cadreId" from public.draw_group_members(${cross}, 30, '{}')`;
      expect(proposed.length, "something to propose").toBeGreaterThan(0);
      await as("owner");
      const orgs = await tx<{ org: number }[]>`select distinct org_id as org from public.cadres where id = any(${proposed.map((p) => p.cadreId)}::bigint[])`;
      expect(orgs.every((o) => o.org === w.org.daoli || o.org === w.org.city), "only 道里's and the city's pools").toBe(true);
      for (const who of ["daoli", "nangang", "province", "leader", "daoliMember", "sysadmin"] as const) {
        await as(who);
        expect(await attempt(tx, (sp) => sp`select * from public.draw_group_members(${cross}, 3)`), who).toBe("42501");
      }
    });
  });
});

describe("evaluation (考核评价)", () => {
  it("comes after stationing, by the round's office, records who gave it, and keeps the member on the record", async () => {
    await withScenario(async (tx, s, as) => {
      const member = s.memberRow(`${CODES.city}组长`);
      const evaluate = (grade: string) =>
        rolledBack(tx, (sp) => sp`update public.group_members set evaluation = ${grade}, evaluation_note = '作风扎实' where id = ${member}`);
      await as("city");
      expect(await evaluate("excellent"), "while stationed").toMatch(/^23514: members are evaluated after stationing/);
      await tx`update public.rounds set status = 'reporting' where id = ${s.round.get(CODES.city)!}`;
      expect(await evaluate("excellent")).toBe("ok");
      await tx`update public.group_members set evaluation = 'competent', evaluation_note = '作风扎实', evaluated_by = null where id = ${member}`;
      const [row] = await tx<{ evaluation: string; evaluatedBy: string; evaluatedAt: Date | null }[]>`
        select evaluation::text as evaluation, evaluated_by as "evaluatedBy", evaluated_at as "evaluatedAt" from public.group_members where id = ${member}`;
      expect(row.evaluation).toBe("competent");
      expect(row.evaluatedBy, "recorded by the database, not the client").toBe(w.user.city);
      expect(row.evaluatedAt).not.toBeNull();
      expect(await rolledBack(tx, (sp) => sp`delete from public.group_members where id = ${member}`)).toMatch(/^23514: an evaluated member stays/);
      for (const who of ["daoli", "cityMember", "leader", "province"] as const) {
        await as(who);
        expect(await attempt(tx, (sp) => sp`update public.group_members set evaluation = 'basic' where id = ${member}`), who).toBe("rows:0");
      }
    });
  });
});
