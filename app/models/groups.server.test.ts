import { describe, expect, it } from "vitest";
import type { DbRefusal } from "~/lib/form-actions.server";
import {
  assignmentRefusals, ENGAGEMENT_REFUSALS, GROUP_EDIT_REFUSALS, GROUP_REFUSALS, MEMBER_REFUSALS, REMOVE_ENGAGEMENT_REFUSALS,
} from "./groups.server";

/**
 * The database's refusals (texts as raised by 20261121001300_groups_and_engagements.sql)
 * in words: the same first-match rule as saveSubmission.
 */
type DbError = { code: string; message: string; detail?: string; constraint_name?: string };

function say(refusals: DbRefusal[], e: DbError): { field: string | null; text: string } | undefined {
  const r = refusals.find((x) => x.code === e.code && (!x.match || x.match.test(`${e.constraint_name ?? ""} ${e.message}`)));
  if (!r) return undefined;
  return { field: r.field, text: typeof r.message === "function" ? r.message(e) : r.message };
}

const refused = (code: string, detail: string): DbError => ({ code: "23514", message: `assignment refused: ${code}`, detail });

describe("member refusals", () => {
  it("names the unit of a conflict and the group of an overlap", () => {
    expect(say(MEMBER_REFUSALS, refused("conflict", "哈尔滨市财政局"))).toEqual({
      field: "cadreId",
      text: "该干部与「哈尔滨市财政局」存在回避关系，不能参加对该单位的巡察",
    });
    expect(say(MEMBER_REFUSALS, refused("overlap", "第二巡察组（2026-09-14至2026-10-30）"))?.text).toBe(
      "该干部在第二巡察组（2026-09-14至2026-10-30）的进驻期间与本组重叠",
    );
  });

  it("puts a leader outside the leader pool on the role, and says why", () => {
    expect(say(MEMBER_REFUSALS, refused("not_leader", "张三"))).toEqual({ field: "role", text: "组长须从组长库中选配" });
    expect(say(MEMBER_REFUSALS, refused("unavailable", "张三"))?.text).toBe("该干部当前不可参加巡察");
    expect(say(MEMBER_REFUSALS, refused("outside_pool", "张三"))?.text).toMatch(/不在本组可选配的干部库范围内/);
  });

  it("tells a second leader from a cadre already in the group", () => {
    const unique = (constraint: string): DbError => ({
      code: "23505",
      constraint_name: constraint,
      message: `duplicate key value violates unique constraint "${constraint}"`,
    });
    expect(say(MEMBER_REFUSALS, unique("group_members_one_leader_idx"))?.text).toMatch(/本组已有组长/);
    expect(say(MEMBER_REFUSALS, unique("group_members_group_cadre_key"))?.text).toBe("该干部已是本组成员");
  });

  it("names the cadre when several are added at once", () => {
    const refusals = assignmentRefusals(null, () => "李四");
    expect(say(refusals, refused("overlap", "第一巡察组（2026-12-01至2027-01-15）"))).toEqual({
      field: null,
      text: "李四：该干部在第一巡察组（2026-12-01至2027-01-15）的进驻期间与本组重叠",
    });
  });
});

describe("group refusals", () => {
  it("reports a number in use and dates a member cannot keep", () => {
    expect(
      say(GROUP_REFUSALS, {
        code: "23505",
        constraint_name: "patrol_groups_round_number_key",
        message: 'duplicate key value violates unique constraint "patrol_groups_round_number_key"',
      }),
    ).toEqual({ field: "number", text: "本轮已有相同序号的巡察组" });
    expect(say(GROUP_EDIT_REFUSALS, refused("overlap", "第二巡察组（2026-09-14至2026-10-30）"))?.text).toBe(
      "调整后的进驻时间与成员安排冲突：有成员在第二巡察组（2026-09-14至2026-10-30）的进驻期间与本组重叠",
    );
  });
});

describe("engagement refusals", () => {
  it("explains a mode that does not fit the org tree", () => {
    const mode = (text: string): DbError => ({ code: "23514", message: `engagement mode: ${text}` });
    expect(say(ENGAGEMENT_REFUSALS, mode("an elevated patrol is of a unit below the round's org, by its own group"))).toEqual({
      field: "mode",
      text: "所选方式与单位的管辖关系不符：提级巡察须由本级巡察组巡察下级机构管辖的单位",
    });
    expect(say(ENGAGEMENT_REFUSALS, mode("a regular patrol is of a unit of the round's own org"))?.text).toMatch(/^所选方式与单位的管辖关系不符：常规巡察/);
    expect(say(ENGAGEMENT_REFUSALS, mode("a cross patrol is of a unit of another org below the round's org, by a lower org's group"))?.text).toMatch(/交叉巡察/);
  });

  it("names the member in conflict with the unit, and keeps a stationed engagement", () => {
    expect(say(ENGAGEMENT_REFUSALS, refused("conflict", "王五"))).toEqual({
      field: "unitId",
      text: "本组成员王五与该单位存在回避关系，不能安排本组巡察该单位",
    });
    expect(say(REMOVE_ENGAGEMENT_REFUSALS, { code: "23514", message: "a stationed engagement stays on the record" })?.text).toMatch(/已进驻/);
  });
});
