import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "~/lib/db.server";
import { THEMATIC_LIMIT } from "~/lib/schemas/findings";
import { closeTestSql } from "../../supabase/tests/support/db";
import { ownerRolledBack, world, type World } from "../../supabase/tests/support/engagements";
import { actAs, ownerProblems, type Who } from "../../supabase/tests/support/findings";
import { fx } from "../../supabase/tests/support/matrix-harness";
import {
  addLink,
  assembleCandidates,
  campaignFigures,
  createCampaign,
  descendantOffices,
  getCampaign,
  linkOptions,
  listCampaigns,
  listLinks,
  listParticipants,
  recurringProblems,
  thematicHref,
  type RecurringCategory,
} from "./campaigns.server";
import { createDispatch, dispatchContext, listReceivedDispatches, listSentDispatches } from "./dispatches.server";

/**
 * The campaign page's model over a real PostgreSQL, in transactions that are rolled back:
 * the recurring-problem list on known problems (second-level categories in at least two
 * units of the campaign's engagements, as each reader may see them), the pooled figures
 * adding up by office and by level, the list and the link options, and reports sent down.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

const TODAY = "2026-06-30";

interface Fixture {
  campaign: number;
  engagement: { P1: number; C1: number; C2: number; C3: number; D1: number };
  round: { province: number; city: number; cityOther: number; daoli: number };
  problems: Record<string, number[]>;
}

/**
 * The province launches a campaign with 哈尔滨 and 道里区; the province attaches its round
 * (engagement P1), 哈尔滨 its round (C1, C2; not its other round with C3), 道里区 its
 * engagement D1. Problems by second-level category:
 *   廉洁纪律 (discipline.integrity): P1 ×2, C1 ×1, D1 ×1 — 3 units, 4 problems
 *   形式主义 (four_styles.formalism): C1 ×2, C2 ×1 — 2 units, 3 problems
 *   工作纪律 (discipline.work): C1 ×3 — 1 unit
 *   党内政治生活 (party_building.life): C3 ×1 (not attached), D1 ×1 — 1 unit of the campaign
 *   违规使用财政资金 (fiscal_funds, a top-level category): P1 ×1, C1 ×1 — not second-level
 */
async function build(tx: Tx): Promise<Fixture> {
  const term = async (k: "province" | "city" | "daoli") => fx.term(tx, w.org[k], `联动模型测试届${k}`, 2022, 2026);
  const [tp, tc, td] = [await term("province"), await term("city"), await term("daoli")];
  const round = {
    province: await fx.round(tx, w.org.province, tp, 1, "stationed", 2026),
    city: await fx.round(tx, w.org.city, tc, 1, "stationed", 2026),
    cityOther: await fx.round(tx, w.org.city, tc, 2, "stationed", 2026),
    daoli: await fx.round(tx, w.org.daoli, td, 1, "stationed", 2026),
  };
  const group = async (r: number) => (await fx.group(tx, r, null, 1, { start: "2026-03-01", end: "2026-04-30" })).id;
  const [gp, gc, gco, gd] = [await group(round.province), await group(round.city), await group(round.cityOther), await group(round.daoli)];
  const e = async (r: number, g: number, unit: number, stationed: string | null) => (await fx.engagement(tx, r, g, unit, "regular", stationed)).id;
  const engagement = {
    P1: await e(round.province, gp, w.units.province[0], "2026-03-05"),
    C1: await e(round.city, gc, w.units.city[0], "2026-03-05"),
    C2: await e(round.city, gc, w.units.city[1], "2026-03-06"),
    C3: await e(round.cityOther, gco, w.units.city[2], "2026-03-07"),
    D1: await e(round.daoli, gd, w.units.daoli[0], "2026-03-05"),
  };
  const problems: Record<string, number[]> = {};
  const add = async (k: keyof Fixture["engagement"], category: string, n: number) => {
    problems[`${k}:${category}`] = await ownerProblems(tx, engagement[k], [{ category, n }]);
  };
  await add("P1", "discipline.integrity", 2);
  await add("C1", "discipline.integrity", 1);
  await add("D1", "discipline.integrity", 1);
  await add("C1", "four_styles.formalism", 2);
  await add("C2", "four_styles.formalism", 1);
  await add("C1", "discipline.work", 3);
  await add("C3", "party_building.life", 1);
  await add("D1", "party_building.life", 1);
  await add("P1", "fiscal_funds", 1);
  await add("C1", "fiscal_funds", 1);
  // C1 is fed back (the rate), C2 has only its stationing date.
  await tx`update public.engagements set withdrawn_on = '2026-04-20', reported_on = '2026-05-01', feedback_on = '2026-05-10' where id = ${engagement.C1}`;

  await actAs(tx, "province");
  const campaign = await createCampaign(tx, w.org.province, {
    title: "生态环境和自然资源系统上下联动", systemName: "生态环境和自然资源系统", startsOn: "2026-03-01", endsOn: "2026-12-31",
    guidance: "聚焦生态环境保护责任落实。", participant: [w.org.city, w.org.daoli],
  });
  await addLink(tx, campaign, { kind: "round", id: round.province });
  await actAs(tx, "city");
  await addLink(tx, campaign, { kind: "round", id: round.city });
  await actAs(tx, "daoli");
  await addLink(tx, campaign, { kind: "engagement", id: engagement.D1 });
  await actAs(tx, "owner");
  return { campaign, engagement, round, problems };
}

const shape = (list: RecurringCategory[]) => list.map((r) => ({ name: r.name, topName: r.topName, units: r.units, problems: r.problems }));

async function as<T>(tx: Tx, who: Who, fn: () => Promise<T>): Promise<T> {
  await actAs(tx, who);
  return fn();
}

describe("recurring problems", () => {
  it("the launcher: second-level categories in at least two units of the campaign, most units first", async () => {
    await ownerRolledBack(async (tx) => {
      const f = await build(tx);
      const list = await as(tx, "province", () => recurringProblems(tx, f.campaign));
      expect(shape(list)).toEqual([
        { name: "廉洁纪律", topName: "违反六项纪律", units: 3, problems: 4 },
        { name: "形式主义", topName: "四风问题", units: 2, problems: 3 },
      ]);
      expect(list[0].problemIds.sort((a, b) => a - b)).toEqual(
        [...f.problems["P1:discipline.integrity"], ...f.problems["C1:discipline.integrity"], ...f.problems["D1:discipline.integrity"]].sort((a, b) => a - b),
      );
      expect(list[1].problemIds.sort((a, b) => a - b)).toEqual(
        [...f.problems["C1:four_styles.formalism"], ...f.problems["C2:four_styles.formalism"]].sort((a, b) => a - b),
      );
      // With three units required, only 廉洁纪律 is left.
      expect(shape(await recurringProblems(tx, f.campaign, 3)).map((r) => r.name)).toEqual(["廉洁纪律"]);
      // One click: every candidate problem, in the list's order.
      const assembled = assembleCandidates(list);
      expect(assembled).toEqual({ problemIds: [...list[0].problemIds, ...list[1].problemIds], categories: 2 });
      const href = new URL(thematicHref(f.campaign, assembled.problemIds, "关于联动的专题报告"), "http://x");
      expect(href.pathname).toBe("/reports/thematic");
      expect(href.searchParams.get("campaign")).toBe(String(f.campaign));
      expect(href.searchParams.getAll("problem").map(Number)).toEqual(assembled.problemIds);
    });
  });

  it("a participant: only its own part's problems count; a county with one unit has none", async () => {
    await ownerRolledBack(async (tx) => {
      const f = await build(tx);
      // 哈尔滨 sees C1, C2 and 道里区's D1: 形式主义 in 2 units (3 problems), 廉洁纪律 in 2 (2).
      expect(shape(await as(tx, "city", () => recurringProblems(tx, f.campaign)))).toEqual([
        { name: "形式主义", topName: "四风问题", units: 2, problems: 3 },
        { name: "廉洁纪律", topName: "违反六项纪律", units: 2, problems: 2 },
      ]);
      expect(await as(tx, "daoli", () => recurringProblems(tx, f.campaign))).toEqual([]);
      expect(await as(tx, "qqhr", () => recurringProblems(tx, f.campaign))).toEqual([]);
    });
  });

  it("assembling stays within the thematic report's limit, whole categories first", () => {
    const cat = (id: number, n: number): RecurringCategory => ({
      categoryId: id, name: `类别${id}`, topName: null, units: 2, problems: n,
      problemIds: Array.from({ length: Math.min(n, THEMATIC_LIMIT) }, (_, i) => id * 1000 + i),
    });
    expect(assembleCandidates([cat(1, 150), cat(2, 80), cat(3, 10)])).toMatchObject({ categories: 1 });
    expect(assembleCandidates([cat(1, 150), cat(2, 80)]).problemIds).toHaveLength(150);
    expect(assembleCandidates([cat(1, 300)])).toMatchObject({ categories: 1 });
    expect(assembleCandidates([cat(1, 300)]).problemIds).toHaveLength(THEMATIC_LIMIT);
    expect(assembleCandidates([cat(1, 100), cat(2, 100)]).problemIds).toHaveLength(200);
    expect(assembleCandidates([])).toEqual({ problemIds: [], categories: 0 });
  });
});

describe("pooled figures", () => {
  it("add up by office and by level to the launcher's total; a participant's are its part", async () => {
    await ownerRolledBack(async (tx) => {
      const f = await build(tx);
      const offices = [
        { orgId: w.org.province, name: "黑龙江省委巡视办", level: "province" as const },
        { orgId: w.org.city, name: "哈尔滨市委巡察办", level: "city" as const },
        { orgId: w.org.daoli, name: "道里区委巡察办", level: "county" as const },
      ];
      const p = await as(tx, "province", () => campaignFigures(tx, f.campaign, w.org.province, offices, TODAY));
      // P1 (3 problems), C1 (7), C2 (1), D1 (2); C3 is not attached.
      expect(p.total).toMatchObject({ engagements: 4, problems: 13, stationed: 4, fedBackEngagements: 1 });
      expect(p.byOrg.map((o) => [o.name, o.engagements, o.problems])).toEqual([
        ["黑龙江省委巡视办", 1, 3], ["哈尔滨市委巡察办", 2, 8], ["道里区委巡察办", 1, 2],
      ]);
      expect(p.byLevel.map((l) => [l.level, l.engagements, l.problems])).toEqual([["province", 1, 3], ["city", 2, 8], ["county", 1, 2]]);
      expect(p.byOrg.reduce((n, o) => n + o.problems, 0)).toBe(p.total.problems);
      expect(p.engagements.map((e) => e.id).sort((a, b) => a - b)).toEqual([f.engagement.P1, f.engagement.C1, f.engagement.C2, f.engagement.D1].sort((a, b) => a - b));
      const byCategoryTotal = Object.values(p.total.byCategory).reduce((a, b) => a + b, 0);
      expect(byCategoryTotal).toBe(13);

      const c = await as(tx, "city", () => campaignFigures(tx, f.campaign, w.org.city, offices.slice(1), TODAY));
      expect(c.total).toMatchObject({ engagements: 3, problems: 10 });
      expect(c.byOrg.map((o) => [o.name, o.problems])).toEqual([["哈尔滨市委巡察办", 8], ["道里区委巡察办", 2]]);
      const d = await as(tx, "daoli", () => campaignFigures(tx, f.campaign, w.org.daoli, offices.slice(2), TODAY));
      expect(d.total).toMatchObject({ engagements: 1, problems: 2 });
      // The launcher's total is its own part plus the participants' own parts.
      expect(p.total.problems).toBe(p.byOrg[0].problems + c.byOrg[0].problems + d.byOrg[0].problems);
    });
  });
});

describe("the campaign list, participants, links and options", () => {
  it("each reader lists what he sees, with the launcher named even when it is above him", async () => {
    await ownerRolledBack(async (tx) => {
      const f = await build(tx);
      const mine = (rows: Awaited<ReturnType<typeof listCampaigns>>) => rows.find((r) => r.id === f.campaign);
      const province = mine(await as(tx, "province", () => listCampaigns(tx, w.org.province)));
      expect(province).toMatchObject({ launcherName: "黑龙江省委巡视办", participants: 2, links: 3, ownLinks: 1, participating: false });
      const daoli = mine(await as(tx, "daoli", () => listCampaigns(tx, w.org.daoli)));
      expect(daoli).toMatchObject({ launcherName: "黑龙江省委巡视办", participants: 1, links: 1, ownLinks: 1, participating: true });
      expect(await as(tx, "daoli", () => getCampaign(tx, f.campaign))).toMatchObject({ launcherName: "黑龙江省委巡视办", launcherLevel: "province" });
      expect(mine(await as(tx, "qqhr", () => listCampaigns(tx, w.org.qqhr)))).toBeUndefined();
      expect(await as(tx, "qqhr", () => getCampaign(tx, f.campaign))).toBeUndefined();
      expect(mine(await as(tx, "province", () => listCampaigns(tx, w.org.province, { status: "closed" })))).toBeUndefined();

      expect((await as(tx, "city", () => listParticipants(tx, f.campaign))).map((p) => [p.name, p.links])).toEqual([
        ["哈尔滨市委巡察办", 1], ["道里区委巡察办", 1],
      ]);
      const links = await as(tx, "province", () => listLinks(tx, f.campaign));
      expect(links.map((l) => [l.orgName, l.roundId ? "round" : "engagement", l.engagements])).toEqual([
        ["黑龙江省委巡视办", "round", 1], ["哈尔滨市委巡察办", "round", 2], ["道里区委巡察办", "engagement", 0],
      ]);
      expect(links[2].unitName).toBeTruthy();

      // 哈尔滨 may still attach its other round or C3, not its attached round or its engagements.
      const options = await as(tx, "city", () => linkOptions(tx, f.campaign, w.org.city));
      expect(options.rounds.map((r) => r.id)).toContain(f.round.cityOther);
      expect(options.rounds.map((r) => r.id)).not.toContain(f.round.city);
      expect(options.engagements.map((e) => e.id)).toContain(f.engagement.C3);
      expect(options.engagements.map((e) => e.id)).not.toContain(f.engagement.C1);
    });
  });

  it("the offices below: a province's cities with their counties, a city's counties", async () => {
    await ownerRolledBack(async (tx) => {
      const province = await as(tx, "province", () => descendantOffices(tx, w.org.province));
      expect(province.length).toBeGreaterThanOrEqual(13);
      expect(province.every((o) => o.level === "city")).toBe(true);
      const harbin = province.find((o) => o.id === w.org.city)!;
      expect(harbin.children.map((c) => c.id)).toEqual(expect.arrayContaining([w.org.daoli, w.org.nangang]));
      const city = await as(tx, "city", () => descendantOffices(tx, w.org.city));
      expect(city.map((o) => o.id).sort()).toEqual(harbin.children.map((c) => c.id).sort());
      expect(await as(tx, "daoli", () => descendantOffices(tx, w.org.daoli))).toEqual([]);
    });
  });
});

describe("reports sent down", () => {
  it("the sender lists what it sent, the recipient what it received, with names across levels", async () => {
    await ownerRolledBack(async (tx) => {
      const f = await build(tx);
      await actAs(tx, "province");
      const context = await dispatchContext(tx, w.org.province, f.campaign);
      expect(context.campaign).toEqual({ id: f.campaign, title: "生态环境和自然资源系统上下联动" });
      expect(context.defaultRecipients.sort()).toEqual([w.org.city, w.org.daoli].sort());
      const id = await createDispatch(
        tx,
        { orgId: w.org.province, campaignId: f.campaign, title: "关于共性问题的专题报告", note: null, document: Buffer.from("PK测试"), problemCount: 7 },
        context.defaultRecipients,
      );
      const sent = await listSentDispatches(tx, w.org.province);
      expect(sent.find((d) => d.id === id)).toMatchObject({ senderName: "黑龙江省委巡视办", campaignTitle: "生态环境和自然资源系统上下联动", problemCount: 7 });
      expect(sent.find((d) => d.id === id)!.recipients.map((r) => r.name)).toEqual(["哈尔滨市委巡察办", "道里区委巡察办"]);
      expect((await listReceivedDispatches(tx, w.org.province)).map((d) => d.id)).not.toContain(id);

      const received = await as(tx, "daoli", () => listReceivedDispatches(tx, w.org.daoli));
      expect(received.find((d) => d.id === id)).toMatchObject({ senderName: "黑龙江省委巡视办", campaignTitle: "生态环境和自然资源系统上下联动" });
      expect(received.find((d) => d.id === id)!.recipients.map((r) => r.name)).toEqual(["道里区委巡察办"]);
      expect((await listSentDispatches(tx, w.org.daoli)).map((d) => d.id)).not.toContain(id);
      expect((await as(tx, "nangang", () => listReceivedDispatches(tx, w.org.nangang))).map((d) => d.id)).not.toContain(id);
      // Not the launcher: no campaign to send for.
      expect((await as(tx, "city", () => dispatchContext(tx, w.org.city, f.campaign))).campaign).toBeNull();
    });
  });
});
