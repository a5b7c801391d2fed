import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAbilityFor, subject } from "@xunlian/permissions";
import type { Tx } from "../../app/lib/db.server";
import { loadSessionContext } from "../../app/lib/session-context.server";
import { closeTestSql } from "./support/db";
import { ACTORS, attempt, outcome, ownerRolledBack, world, type ActorKey, type World } from "./support/engagements";
import { actAs, notices, ownerProblems, type Who } from "./support/findings";
import { fx } from "./support/matrix-harness";

/**
 * Upper–lower linkage campaigns (上下联动, ADR 014) and thematic reports sent down
 * (专题报告下发), as the database enforces them for the demo's accounts:
 *   - the launcher and its ancestors see a campaign, all its participants and links; a
 *     participant (and the offices between it and the launcher) its own subtree's part;
 *     everyone else (a sibling city, a county not taking part, another province, group
 *     members, unit contacts, partners, system and audit administrators) nothing — and
 *     CASL says the same;
 *   - only the launching office edits and adds or removes participants, which must be
 *     offices below it; an office attaches only its own rounds and engagements, only
 *     while it takes part and the campaign is open; a participant with links stays;
 *   - launching and changing notify the participants' offices once;
 *   - the pooled figures at the launcher are the sum of the parts, each participant's
 *     only its own;
 *   - a report goes down only to offices below the sender, its recipients and their
 *     ancestors read it, each recipient office hears of it.
 * Every test runs in an owner transaction that is rolled back.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

const EVERYONE = Object.keys(ACTORS) as ActorKey[];

interface Work {
  round: Record<"province" | "city" | "daoli" | "nangang" | "qqhr", number>;
  /** One stationed engagement in each round (on the org's first unused unit). */
  engagement: Record<"province" | "city" | "daoli" | "nangang" | "qqhr", number>;
  /** A second engagement in the city's round, and one in a second city round never attached. */
  cityEngagement2: number;
  cityOtherRound: number;
  cityOtherEngagement: number;
}

/** As the owner: a term, a stationed round with a group and an engagement in each office of the test. */
async function work(tx: Tx): Promise<Work> {
  const round = {} as Work["round"];
  const engagement = {} as Work["engagement"];
  for (const k of ["province", "city", "daoli", "nangang", "qqhr"] as const) {
    const term = await fx.term(tx, w.org[k], `联动测试届${k}`, 2022, 2026);
    round[k] = await fx.round(tx, w.org[k], term, 1, "stationed", 2026);
    const group = await fx.group(tx, round[k], null, 1, { start: "2026-03-01", end: "2026-04-30" });
    engagement[k] = (await fx.engagement(tx, round[k], group.id, w.units[k][0], "regular", "2026-03-05")).id;
  }
  const [g] = await tx<{ id: number; termId: number }[]>`
    select g.id::int as id, r.term_id::int as "termId" from public.patrol_groups g join public.rounds r on r.id = g.round_id
     where g.round_id = ${round.city}`;
  const cityEngagement2 = (await fx.engagement(tx, round.city, g.id, w.units.city[1], "regular", "2026-03-06")).id;
  const cityOtherRound = await fx.round(tx, w.org.city, g.termId, 2, "stationed", 2026);
  const other = await fx.group(tx, cityOtherRound, null, 1, { start: "2026-05-01", end: "2026-06-30" });
  const cityOtherEngagement = (await fx.engagement(tx, cityOtherRound, other.id, w.units.city[2], "regular", "2026-05-05")).id;
  return { round, engagement, cityEngagement2, cityOtherRound, cityOtherEngagement };
}

/** As `who`: launches a campaign of his active org with these participants; its id. Stays as `who`. */
async function launch(tx: Tx, who: Who, orgId: number, participants: number[], title = "生态环境和自然资源系统上下联动"): Promise<number> {
  await actAs(tx, who);
  const [c] = await tx<{ id: number }[]>`
    insert into public.campaigns (org_id, title, system_name, starts_on, ends_on, guidance)
    values (${orgId}, ${title}, '生态环境和自然资源系统', '2026-03-01', '2026-12-31', '聚焦生态环境保护责任落实。')
    returning id::int as id`;
  if (participants.length) {
    await tx`insert into public.campaign_participants (campaign_id, org_id) select ${c.id}, unnest(${participants}::int[])`;
  }
  return c.id;
}

const attachRound = (tx: Tx, campaign: number, round: number) =>
  tx<{ id: number }[]>`insert into public.campaign_links (campaign_id, round_id) values (${campaign}, ${round}) returning id::int as id`;
const attachEngagement = (tx: Tx, campaign: number, engagement: number) =>
  tx<{ id: number }[]>`insert into public.campaign_links (campaign_id, engagement_id) values (${campaign}, ${engagement}) returning id::int as id`;

/** As `who`: attaches and returns the link's id. Stays as `who`. */
async function link(tx: Tx, who: Who, campaign: number, target: { round: number } | { engagement: number }): Promise<number> {
  await actAs(tx, who);
  const [l] = "round" in target ? await attachRound(tx, campaign, target.round) : await attachEngagement(tx, campaign, target.engagement);
  return l.id;
}

interface View {
  campaigns: number[];
  participants: string[];
  links: number[];
}

/** What the current actor sees of these campaigns: ids, "campaign:org" participant keys, link ids. */
async function view(tx: Tx, campaigns: number[]): Promise<View> {
  const c = await tx<{ id: number }[]>`select id::int as id from public.campaigns where id = any (${campaigns}::bigint[]) order by id`;
  const p = await tx<{ k: string }[]>`
    select campaign_id || ':' || org_id as k from public.campaign_participants
     where campaign_id = any (${campaigns}::bigint[]) order by campaign_id, org_id`;
  const l = await tx<{ id: number }[]>`select id::int as id from public.campaign_links where campaign_id = any (${campaigns}::bigint[]) order by id`;
  return { campaigns: c.map((r) => r.id), participants: p.map((r) => r.k), links: l.map((r) => r.id) };
}

const NOTHING: View = { campaigns: [], participants: [], links: [] };
const key = (campaign: number, org: number) => `${campaign}:${org}`;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const sortedKeys = (xs: string[]) => [...xs].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));

/**
 * Two campaigns:
 *   A, launched by the province with 哈尔滨 and 道里区 taking part; the province attached its
 *     round, 哈尔滨 its round, 道里区 its engagement;
 *   B, launched by 哈尔滨 with 道里区 and 南岗区 taking part, each attaching its round.
 */
async function twoCampaigns(tx: Tx) {
  const wk = await work(tx);
  const a = await launch(tx, "province", w.org.province, [w.org.city, w.org.daoli]);
  const aProvince = await link(tx, "province", a, { round: wk.round.province });
  const aCity = await link(tx, "city", a, { round: wk.round.city });
  const aDaoli = await link(tx, "daoli", a, { engagement: wk.engagement.daoli });
  const b = await launch(tx, "city", w.org.city, [w.org.daoli, w.org.nangang], "营商环境上下联动");
  const bDaoli = await link(tx, "daoli", b, { round: wk.round.daoli });
  const bNangang = await link(tx, "nangang", b, { round: wk.round.nangang });
  await actAs(tx, "owner");
  return { wk, a, b, aProvince, aCity, aDaoli, bDaoli, bNangang };
}

describe("who sees a campaign", () => {
  it("the launcher and its ancestors see everything, a participant its own part, everyone else nothing", async () => {
    await ownerRolledBack(async (tx) => {
      const x = await twoCampaigns(tx);
      const allOfA: View = {
        campaigns: [x.a],
        participants: [key(x.a, w.org.city), key(x.a, w.org.daoli)],
        links: sorted([x.aProvince, x.aCity, x.aDaoli]),
      };
      const allOfB: View = {
        campaigns: [x.b],
        participants: [key(x.b, w.org.daoli), key(x.b, w.org.nangang)],
        links: sorted([x.bDaoli, x.bNangang]),
      };
      const both = (p: View, q: View): View => ({
        campaigns: sorted([...p.campaigns, ...q.campaigns]),
        participants: sortedKeys([...p.participants, ...q.participants]),
        links: sorted([...p.links, ...q.links]),
      });
      const expected: Record<ActorKey, View> = {
        // The province launched A and is B's launcher's ancestor.
        province: both(allOfA, allOfB),
        provinceStaff: both(allOfA, allOfB),
        leader: both(allOfA, allOfB),
        // 哈尔滨: its own part of A (itself and 道里区, its county), all of B (its own campaign).
        city: both({ campaigns: [x.a], participants: [key(x.a, w.org.city), key(x.a, w.org.daoli)], links: sorted([x.aCity, x.aDaoli]) }, allOfB),
        // 道里区 takes part in both: only its own participation and links, never 南岗区's or 哈尔滨's.
        daoli: {
          campaigns: sorted([x.a, x.b]),
          participants: sortedKeys([key(x.a, w.org.daoli), key(x.b, w.org.daoli)]),
          links: sorted([x.aDaoli, x.bDaoli]),
        },
        // 南岗区 takes part in B only (A is a campaign it is not in).
        nangang: { campaigns: [x.b], participants: [key(x.b, w.org.nangang)], links: [x.bNangang] },
        qqhr: NOTHING,
        zj: NOTHING,
        sysadmin: NOTHING,
        auditor: NOTHING,
        cityMember: NOTHING,
        daoliMember: NOTHING,
        unitContact: NOTHING,
        unitHead: NOTHING,
        cityPartner: NOTHING,
      };
      for (const who of EVERYONE) {
        await actAs(tx, who);
        const seen = await view(tx, [x.a, x.b]);
        expect({ ...seen, participants: sortedKeys(seen.participants) }, who).toEqual(expected[who]);
      }
    });
  });

  it("CASL gives every actor the same answer as RLS for the campaign, its participants and links", async () => {
    await ownerRolledBack(async (tx) => {
      const x = await twoCampaigns(tx);
      const rows = await tx<{ kind: string; id: number | null; orgId: number; launcherOrgId: number; campaignId: number }[]>`
        select 'Campaign' as kind, id::int as id, org_id as "orgId", org_id as "launcherOrgId", id::int as "campaignId"
          from public.campaigns where id in (${x.a}, ${x.b})
        union all
        select 'CampaignParticipant', null, org_id, launcher_org_id, campaign_id::int
          from public.campaign_participants where campaign_id in (${x.a}, ${x.b})
        union all
        select 'CampaignLink', id::int, org_id, launcher_org_id, campaign_id::int
          from public.campaign_links where campaign_id in (${x.a}, ${x.b})`;
      for (const who of EVERYONE) {
        await actAs(tx, who);
        const session = await loadSessionContext(tx, w.user[who]);
        const ability = defineAbilityFor(session!.permissionUser);
        const seen = await view(tx, [x.a, x.b]);
        for (const r of rows) {
          const rls =
            r.kind === "Campaign" ? seen.campaigns.includes(r.campaignId)
            : r.kind === "CampaignParticipant" ? seen.participants.includes(key(r.campaignId, r.orgId))
            : seen.links.includes(r.id!);
          const casl =
            r.kind === "Campaign" ? ability.can("read", subject("Campaign", { id: r.id!, orgId: r.orgId }))
            : ability.can("read", subject(r.kind as "CampaignLink", { launcherOrgId: r.launcherOrgId, orgId: r.orgId }));
          expect(casl, `${who} read ${r.kind} ${r.campaignId}:${r.orgId}:${r.id ?? ""}`).toBe(rls);
        }
      }
    });
  });

  it("the campaign's pooled figures count nothing for those who do not see it", async () => {
    await ownerRolledBack(async (tx) => {
      const x = await twoCampaigns(tx);
      await ownerProblems(tx, x.wk.engagement.daoli, [{ n: 2 }]);
      for (const who of ["qqhr", "nangang", "zj"] as const) {
        await actAs(tx, who);
        const [f] = await tx<{ n: number; problems: number }[]>`
          select count(*)::int as n, coalesce(sum(problems), 0)::int as problems
            from public.engagement_figures(null, null, null, current_date, null, ${x.a}::bigint)`;
        expect(f, who).toEqual({ n: 0, problems: 0 });
      }
    });
  });
});

describe("who changes a campaign", () => {
  it("only the launching office's staff edit it; a participant, a leader or a sibling changes nothing", async () => {
    await ownerRolledBack(async (tx) => {
      const x = await twoCampaigns(tx);
      const edit = (sp: Tx) => sp`update public.campaigns set guidance = '新的工作指引' where id = ${x.a}`;
      for (const who of ["city", "daoli", "leader", "qqhr", "zj", "sysadmin"] as const) {
        await actAs(tx, who);
        expect(await attempt(tx, edit), who).toBe("rows:0");
      }
      for (const who of ["province", "provinceStaff"] as const) {
        await actAs(tx, who);
        expect(await attempt(tx, edit), who).toBe("rows:1");
      }
      // A campaign stays with its office; a county does not launch one.
      await actAs(tx, "province");
      expect(await attempt(tx, (sp) => sp`update public.campaigns set org_id = ${w.org.city} where id = ${x.a}`)).toBe("42501");
      expect(await outcome(tx, (sp) => launch(sp, "daoli", w.org.daoli, []))).toMatch(/^23514: campaign: launched by a province or city office/);
      // Nor for another office.
      expect(await outcome(tx, (sp) => launch(sp, "city", w.org.province, []))).toMatch(/^42501/);
    });
  });

  it("only the launching office adds participants, and only offices below it", async () => {
    await ownerRolledBack(async (tx) => {
      const x = await twoCampaigns(tx);
      const add = (org: number) => (sp: Tx) => sp`insert into public.campaign_participants (campaign_id, org_id) values (${x.a}, ${org})`;
      await actAs(tx, "province");
      // A sibling city's county is below the province: it may take part.
      expect(await attempt(tx, add(w.org.longsha))).toBe("rows:1");
      expect(await attempt(tx, add(w.org.nangang))).toBe("rows:1");
      // A supervision partner, the launcher itself, another province: refused.
      expect(await outcome(tx, add(w.partner["哈尔滨市纪委监委"]))).toMatch(/^23514: campaign: a participant is an office below the launcher/);
      expect(await outcome(tx, add(w.org.province))).toMatch(/^23514/);
      expect(await outcome(tx, add(w.org.zj))).toMatch(/^23514/);
      // A participant (哈尔滨) does not add to the province's campaign, even its own county.
      await actAs(tx, "city");
      expect(await outcome(tx, add(w.org.nangang))).toMatch(/^42501/);
      // 哈尔滨's own campaign: a county of another city is not below it.
      const toB = (org: number) => (sp: Tx) => sp`insert into public.campaign_participants (campaign_id, org_id) values (${x.b}, ${org})`;
      expect(await outcome(tx, toB(w.org.longsha))).toMatch(/^23514/);
      expect(await outcome(tx, toB(w.org.qqhr))).toMatch(/^23514/);
    });
  });

  it("a participant with attached work is not removed; one without is, by the launcher only", async () => {
    await ownerRolledBack(async (tx) => {
      const x = await twoCampaigns(tx);
      const remove = (org: number) => (sp: Tx) => sp`delete from public.campaign_participants where campaign_id = ${x.a} and org_id = ${org}`;
      await actAs(tx, "province");
      expect(await outcome(tx, remove(w.org.daoli))).toMatch(/^23514: campaign: the participant has attached work/);
      await tx`insert into public.campaign_participants (campaign_id, org_id) values (${x.a}, ${w.org.nangang})`;
      await actAs(tx, "city");
      expect(await attempt(tx, remove(w.org.nangang)), "a participant removes nobody").toBe("rows:0");
      await actAs(tx, "province");
      expect(await attempt(tx, remove(w.org.nangang))).toBe("rows:1");
    });
  });

  it("an office attaches only its own rounds and engagements, and only while it takes part", async () => {
    await ownerRolledBack(async (tx) => {
      const x = await twoCampaigns(tx);
      const { wk } = x;
      // 哈尔滨 takes part but may not attach 道里区's round or the province's engagement.
      await actAs(tx, "city");
      expect(await outcome(tx, (sp) => attachRound(sp, x.a, wk.round.daoli))).toMatch(/^42501/);
      expect(await outcome(tx, (sp) => attachEngagement(sp, x.a, wk.engagement.province))).toMatch(/^42501/);
      // Its own engagement of another round: yes (once).
      expect(await outcome(tx, (sp) => attachEngagement(sp, x.a, wk.cityOtherEngagement))).toBe("ok");
      expect(await outcome(tx, (sp) => attachEngagement(sp, x.a, wk.cityOtherEngagement))).toMatch(/^23505/);
      // 南岗区 and 齐齐哈尔 do not take part in A: their own work is refused.
      await actAs(tx, "nangang");
      expect(await outcome(tx, (sp) => attachEngagement(sp, x.a, wk.engagement.nangang))).toMatch(/^23514: campaign: only the launcher and the participants/);
      await actAs(tx, "qqhr");
      expect(await outcome(tx, (sp) => attachRound(sp, x.a, wk.round.qqhr))).toMatch(/^23514/);
      // A leader attaches nothing, even of his subtree.
      await actAs(tx, "leader");
      expect(await outcome(tx, (sp) => attachRound(sp, x.a, wk.round.province))).toMatch(/^42501/);
      // An office detaches only its own links.
      await actAs(tx, "city");
      expect(await attempt(tx, (sp) => sp`delete from public.campaign_links where id = ${x.aDaoli}`)).toBe("rows:0");
      await actAs(tx, "daoli");
      expect(await attempt(tx, (sp) => sp`delete from public.campaign_links where id = ${x.aDaoli}`)).toBe("rows:1");
    });
  });

  it("a planned engagement attached to a campaign may still be deleted by its office; its link goes with it", async () => {
    await ownerRolledBack(async (tx) => {
      const x = await twoCampaigns(tx);
      const [{ g: group }] = await tx<{ g: number }[]>`select group_id::int as g from public.engagements where id = ${x.wk.engagement.city}`;
      const planned = (await fx.engagement(tx, x.wk.round.city, group, w.units.city[3], "regular", null)).id;
      const l = await link(tx, "city", x.a, { engagement: planned });
      expect(await attempt(tx, (sp) => sp`delete from public.engagements where id = ${planned}`)).toBe("rows:1");
      await tx`delete from public.engagements where id = ${planned}`;
      await actAs(tx, "province");
      expect((await view(tx, [x.a])).links).not.toContain(l);
      expect((await view(tx, [x.a])).links).toEqual(sorted([x.aProvince, x.aCity, x.aDaoli]));
    });
  });

  it("a closed campaign takes no new links", async () => {
    await ownerRolledBack(async (tx) => {
      const x = await twoCampaigns(tx);
      await actAs(tx, "province");
      await tx`update public.campaigns set status = 'closed' where id = ${x.a}`;
      await actAs(tx, "city");
      expect(await outcome(tx, (sp) => attachEngagement(sp, x.a, x.wk.cityOtherEngagement))).toMatch(/^23514: campaign: the campaign is closed/);
      // Nor new participants (who would be told of a launch that is over).
      const launched = async () => (await notices(tx, { subjectType: "campaign", subjectIds: [x.a], kind: "campaign_launched" })).length;
      const before = await launched();
      expect(before, "the participants' launch notices").toBeGreaterThan(0);
      await actAs(tx, "province");
      expect(await outcome(tx, (sp) => sp`insert into public.campaign_participants (campaign_id, org_id) values (${x.a}, ${w.org.nangang})`))
        .toMatch(/^23514: campaign: the campaign is closed/);
      expect(await launched(), "no notice for a refused participant").toBe(before);
      await actAs(tx, "province");
      // What was attached stays.
      await actAs(tx, "province");
      expect((await view(tx, [x.a])).links).toEqual(sorted([x.aProvince, x.aCity, x.aDaoli]));
    });
  });
});

describe("notices", () => {
  async function officeUsers(tx: Tx, orgs: number[]): Promise<string[]> {
    await actAs(tx, "owner");
    const rows = await tx<{ u: string }[]>`
      select distinct user_id::text as u from public.memberships
       where org_id = any (${orgs}::int[]) and role in ('office_director', 'office_staff') order by 1`;
    return rows.map((r) => r.u);
  }

  it("a launch reaches each participant's office users once, and nobody else", async () => {
    await ownerRolledBack(async (tx) => {
      await work(tx);
      const c = await launch(tx, "province", w.org.province, [w.org.city, w.org.daoli]);
      const expected = await officeUsers(tx, [w.org.city, w.org.daoli]);
      expect(expected).toEqual(expect.arrayContaining([w.user.city, w.user.daoli]));
      const got = await notices(tx, { subjectType: "campaign", subjectIds: [c], kind: "campaign_launched" });
      expect(got.map((n) => n.userId).sort()).toEqual(expected);
      expect(got[0]).toMatchObject({ level: "info", link: `/campaigns/${c}` });
      expect(got[0].title).toBe("黑龙江省委巡视办部署上下联动：生态环境和自然资源系统上下联动");
      // Removed and added again: no second notice.
      await actAs(tx, "province");
      await tx`delete from public.campaign_participants where campaign_id = ${c} and org_id = ${w.org.daoli}`;
      await tx`insert into public.campaign_participants (campaign_id, org_id) values (${c}, ${w.org.daoli})`;
      expect((await notices(tx, { subjectType: "campaign", subjectIds: [c], kind: "campaign_launched" })).length).toBe(expected.length);
    });
  });

  it("a change reaches the participants; an unchanged save and non-participants hear nothing", async () => {
    await ownerRolledBack(async (tx) => {
      await work(tx);
      const c = await launch(tx, "province", w.org.province, [w.org.city, w.org.daoli]);
      await tx`update public.campaigns set title = title where id = ${c}`;
      expect(await notices(tx, { subjectType: "campaign", subjectIds: [c], kind: "campaign_updated" })).toEqual([]);
      await actAs(tx, "province");
      await tx`update public.campaigns set guidance = '补充：重点检查自然保护地整改。', ends_on = '2027-01-31' where id = ${c}`;
      const expected = await officeUsers(tx, [w.org.city, w.org.daoli]);
      const updated = await notices(tx, { subjectType: "campaign", subjectIds: [c], kind: "campaign_updated" });
      expect(updated.map((n) => n.userId).sort()).toEqual(expected);
      expect(updated[0].body).toBe("工作指引已更新。时间调整为 2026-03-01 至 2027-01-31。");
      expect(updated.map((n) => n.userId)).not.toContain(w.user.nangang);
      expect(updated.map((n) => n.userId)).not.toContain(w.user.qqhr);
      await actAs(tx, "province");
      await tx`update public.campaigns set status = 'closed' where id = ${c}`;
      const closed = (await notices(tx, { subjectType: "campaign", subjectIds: [c], kind: "campaign_updated" })).filter((n) => n.title.includes("结束上下联动"));
      expect(closed.map((n) => n.userId).sort()).toEqual(expected);
    });
  });
});

describe("pooled figures", () => {
  it("at the launcher they are the sum of the parts; each participant counts only its own part", async () => {
    await ownerRolledBack(async (tx) => {
      const x = await twoCampaigns(tx);
      const { wk } = x;
      // Known problem counts: the attached province round's engagement 5, the city round's two 7 + 4,
      // 道里区's attached engagement 3; the city's other round (not attached) 11, 南岗区's 6 (only in B).
      await ownerProblems(tx, wk.engagement.province, [{ category: "discipline.integrity", n: 5 }]);
      await ownerProblems(tx, wk.engagement.city, [{ category: "discipline.integrity", n: 7 }]);
      await ownerProblems(tx, wk.cityEngagement2, [{ category: "four_styles.formalism", n: 4 }]);
      await ownerProblems(tx, wk.engagement.daoli, [{ category: "four_styles.formalism", n: 3 }]);
      await ownerProblems(tx, wk.cityOtherEngagement, [{ n: 11 }]);
      await ownerProblems(tx, wk.engagement.nangang, [{ n: 6 }]);

      type Row = { org_id: number; own_only: boolean; engagements: number; problems: number };
      const figures = async (who: ActorKey, org: number) => {
        await actAs(tx, who);
        const rows = await tx<Row[]>`
          select org_id, own_only, engagements, problems from public.org_figures(${org}::int, null, null, current_date, null, ${x.a}::bigint)`;
        const total = rows.find((r) => r.org_id === org && !r.own_only);
        const own = rows.find((r) => r.org_id === org && r.own_only);
        return { total: total && { engagements: total.engagements, problems: total.problems }, own: own && { engagements: own.engagements, problems: own.problems } };
      };
      const province = await figures("province", w.org.province);
      const city = await figures("city", w.org.city);
      const daoli = await figures("daoli", w.org.daoli);
      expect(province.total).toEqual({ engagements: 4, problems: 19 });
      expect(province.own).toEqual({ engagements: 1, problems: 5 });
      expect(city.total).toEqual({ engagements: 3, problems: 14 });
      expect(city.own).toEqual({ engagements: 2, problems: 11 });
      expect(daoli.total).toEqual({ engagements: 1, problems: 3 });
      // The launcher's total is its own plus each participant's own part, as each reads it.
      expect(province.total!.problems).toBe(province.own!.problems + city.own!.problems + daoli.own!.problems);
      expect(province.total!.engagements).toBe(province.own!.engagements + city.own!.engagements + daoli.own!.engagements);
      // The launcher reads the city's part exactly as the city does.
      expect(await figures("province", w.org.city)).toEqual(city);
      // Campaign B (哈尔滨's): 道里区's round and 南岗区's, nothing of A's.
      await actAs(tx, "city");
      const [b] = await tx<{ problems: number }[]>`
        select problems from public.org_figures(${w.org.city}::int, null, null, current_date, null, ${x.b}::bigint) where org_id = ${w.org.city} and not own_only`;
      expect(b.problems).toBe(3 + 6);
    });
  });
});

describe("thematic reports sent down", () => {
  const DOC = Buffer.from("PK\u0003\u0004 专题报告（测试）");

  async function send(tx: Tx, who: Who, orgId: number, recipients: number[], campaign: number | null = null): Promise<number> {
    await actAs(tx, who);
    const [d] = await tx<{ id: number }[]>`
      insert into public.thematic_dispatches (org_id, campaign_id, title, note, document, problem_count)
      values (${orgId}, ${campaign}, '关于生态环境领域共性问题的专题报告', '请对照检查', ${DOC}, 12) returning id::int as id`;
    if (recipients.length) {
      await tx`insert into public.thematic_dispatch_recipients (dispatch_id, org_id) select ${d.id}, unnest(${recipients}::int[])`;
    }
    return d.id;
  }

  it("goes only to offices below the sender, named by the sender", async () => {
    await ownerRolledBack(async (tx) => {
      const d = await send(tx, "province", w.org.province, [w.org.city]);
      const to = (org: number) => (sp: Tx) => sp`insert into public.thematic_dispatch_recipients (dispatch_id, org_id) values (${d}, ${org})`;
      expect(await outcome(tx, to(w.org.daoli))).toBe("ok");
      expect(await outcome(tx, to(w.org.zj))).toMatch(/^23514: dispatch: a report goes down to an office below the sender/);
      expect(await outcome(tx, to(w.partner["哈尔滨市纪委监委"]))).toMatch(/^23514/);
      expect(await outcome(tx, to(w.org.province))).toMatch(/^23514/);
      // A recipient does not add recipients; a county sends nothing to its city.
      await actAs(tx, "city");
      expect(await outcome(tx, to(w.org.nangang))).toMatch(/^42501/);
      expect(await outcome(tx, (sp) => send(sp, "daoli", w.org.city, []))).toMatch(/^42501/);
      // A report is not changed once sent.
      await actAs(tx, "province");
      expect(await attempt(tx, (sp) => sp`update public.thematic_dispatches set title = '改' where id = ${d}`)).toBe("42501");
    });
  });

  it("a campaign's report is sent by its launcher only", async () => {
    await ownerRolledBack(async (tx) => {
      await work(tx);
      const c = await launch(tx, "province", w.org.province, [w.org.city]);
      expect(await outcome(tx, (sp) => send(sp, "city", w.org.city, [w.org.daoli], c))).toMatch(/^23514: dispatch: a campaign's report is sent by its launcher/);
      expect(await outcome(tx, (sp) => send(sp, "province", w.org.province, [w.org.city], c))).toBe("ok");
    });
  });

  it("the sender's line, the recipients and their ancestors read it; nobody else", async () => {
    await ownerRolledBack(async (tx) => {
      const d = await send(tx, "province", w.org.province, [w.org.daoli]);
      const e = await send(tx, "city", w.org.city, [w.org.nangang]);
      const expected: Record<ActorKey, number[]> = {
        province: [d, e], provinceStaff: [d, e], leader: [d, e],
        // 哈尔滨 sent e and is 道里区's ancestor.
        city: [d, e],
        daoli: [d],
        nangang: [e],
        qqhr: [], zj: [], sysadmin: [], auditor: [], cityMember: [], daoliMember: [], unitContact: [], unitHead: [], cityPartner: [],
      };
      for (const who of EVERYONE) {
        await actAs(tx, who);
        const rows = await tx<{ id: number; doc: number }[]>`
          select id::int as id, octet_length(document) as doc from public.thematic_dispatches where id in (${d}, ${e}) order by id`;
        expect(rows.map((r) => r.id), who).toEqual(sorted(expected[who]));
        for (const r of rows) expect(r.doc, who).toBe(DOC.byteLength);
        // A recipient sees its own recipient row, not the others'.
        const recipients = await tx<{ org: number }[]>`
          select org_id as org from public.thematic_dispatch_recipients where dispatch_id in (${d}, ${e}) order by org_id`;
        if (who === "daoli") expect(recipients.map((r) => r.org)).toEqual([w.org.daoli]);
        if (who === "nangang") expect(recipients.map((r) => r.org)).toEqual([w.org.nangang]);
        if (expected[who].length === 0) expect(recipients, who).toEqual([]);
      }
    });
  });

  it("each recipient office's users hear of it, once", async () => {
    await ownerRolledBack(async (tx) => {
      const d = await send(tx, "province", w.org.province, [w.org.city, w.org.daoli]);
      await actAs(tx, "owner");
      const expected = (await tx<{ u: string }[]>`
        select distinct user_id::text as u from public.memberships
         where org_id in (${w.org.city}, ${w.org.daoli}) and role in ('office_director', 'office_staff') order by 1`).map((r) => r.u);
      const got = await notices(tx, { subjectType: "thematic_dispatch", subjectIds: [d], kind: "thematic_report" });
      expect(got.map((n) => n.userId).sort()).toEqual(expected);
      expect(got.map((n) => n.userId)).not.toContain(w.user.nangang);
      expect(got[0]).toMatchObject({ link: `/dispatches/${d}`, title: "黑龙江省委巡视办下发专题报告：关于生态环境领域共性问题的专题报告", body: "请对照检查" });
    });
  });
});
