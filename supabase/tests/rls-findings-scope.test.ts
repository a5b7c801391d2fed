import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "../../app/lib/db.server";
import { closeTestSql } from "./support/db";
import {
  ACTORS,
  attempt,
  CODES,
  seen,
  withFindingsScenario,
  world,
  type ActorKey,
  type FindingsScenario,
  type World,
} from "./support/engagements";
import { findingsFx, fx } from "./support/matrix-harness";

/**
 * Findings (issue 4): working papers (问题底稿) and their reviews are conduct records — the
 * executing office, its ancestors and the group see them, and nobody else: not the target
 * org of an elevated or cross patrol, not its siblings, not the unit's contacts, not a
 * supervision partner, not the system or audit administrators. Problems (问题清单) are seen
 * by the supervising and executing offices (and their ancestors) and the group; the
 * inspected unit's org (elevated, cross) and the unit's contacts see a problem only once it
 * is fed back, and a unit contact never another unit's. Everything is rolled back.
 */

afterAll(closeTestSql);

let w: World;
beforeAll(async () => {
  w = await world();
});

/** Every acting account of the engagement tests. */
const EVERYONE = Object.keys(ACTORS) as ActorKey[];

/** The papers, reviews and problems of an engagement, split as the tests name them. */
function findingsOf(s: FindingsScenario, key: string) {
  const papers = s.rowsOf(s.f.papers, key).map((r) => r.id);
  const reviews = s.rowsOf(s.f.reviews, key).map((r) => r.id);
  const fedBack = s.rowOf(s.f.problems, key, "fed-back problem").id;
  const kept = s.rowOf(s.f.problems, key, "problem not fed back").id;
  expect(papers.length, `${key}: papers drafting, under review and approved`).toBe(4);
  expect(reviews.length, `${key}: reviews`).toBeGreaterThanOrEqual(3);
  return { papers, reviews, fedBack, kept };
}

/** What of an engagement's findings the current actor sees. */
async function view(tx: Tx, s: FindingsScenario, key: string) {
  const f = findingsOf(s, key);
  const problems = await seen(tx, "public.problems", [f.fedBack, f.kept]);
  return {
    papers: (await seen(tx, "public.working_papers", f.papers)).length,
    reviews: (await seen(tx, "public.working_paper_reviews", f.reviews)).length,
    paperFiles: (await seen(tx, "public.attachments", s.rowsOf(s.f.paperFiles, key).map((r) => r.id))).length,
    fedBack: problems.includes(f.fedBack),
    notFedBack: problems.includes(f.kept),
  };
}

const NOTHING = { papers: 0, reviews: 0, paperFiles: 0, fedBack: false, notFedBack: false };
const FED_BACK_ONLY = { ...NOTHING, fedBack: true };
const whole = (s: FindingsScenario, key: string) => ({
  papers: 4,
  reviews: s.rowsOf(s.f.reviews, key).length,
  paperFiles: 1,
  fedBack: true,
  notFedBack: true,
});

/** Who sees what of `key`: every actor of the scenario, named or NOTHING. */
async function expectViews(tx: Tx, s: FindingsScenario, as: (who: ActorKey) => Promise<void>, key: string, expected: Partial<Record<ActorKey, object>>) {
  for (const who of EVERYONE) {
    await as(who);
    expect(await view(tx, s, key), `${who} on ${key}`).toEqual(expected[who] ?? NOTHING);
  }
}

describe("working papers and reviews: the executing office, its ancestors and the group only", () => {
  it("elevated patrol (提级): the city, the province and the city's group; never 道里 (the target)", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const all = whole(s, "提级");
      await expectViews(tx, s, as, "提级", {
        city: all, province: all, provinceStaff: all, leader: all, cityMember: all,
        // The target sees the fed-back problem and nothing of how it was found.
        daoli: FED_BACK_ONLY,
      });
    });
  });

  it("cross patrol (交叉): 道里 (executing), the city, the province and the cross group; never 南岗 (the target)", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const all = whole(s, "交叉");
      await expectViews(tx, s, as, "交叉", {
        daoli: all, city: all, province: all, provinceStaff: all, leader: all, daoliMember: all,
        nangang: FED_BACK_ONLY,
      });
    });
  });

  it("the city's engagement of 哈尔滨市财政局: its contacts see the fed-back problem only", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const all = whole(s, "财政局");
      await expectViews(tx, s, as, "财政局", {
        city: all, province: all, provinceStaff: all, leader: all, cityMember: all,
        unitContact: FED_BACK_ONLY, unitHead: FED_BACK_ONLY,
      });
    });
  });

  it("the closed round: the offices still; its group member no longer", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const all = whole(s, "已办结");
      await expectViews(tx, s, as, "已办结", { city: all, province: all, provinceStaff: all, leader: all });
    });
  });

  it("a county's own patrol: the county and its ancestors; not its sibling, not the sibling city, not the unit contacts", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const all = whole(s, `${CODES.nangang}常规`);
      await expectViews(tx, s, as, `${CODES.nangang}常规`, { nangang: all, city: all, province: all, provinceStaff: all, leader: all });
      const qqhr = whole(s, `${CODES.qqhr}常规`);
      await expectViews(tx, s, as, `${CODES.qqhr}常规`, { qqhr, province: qqhr, provinceStaff: qqhr, leader: qqhr });
    });
  });

  it("whatever the table holds, the unit contacts, the partner and the administrators read no paper or review at all", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      for (const who of ["unitContact", "unitHead", "cityPartner", "sysadmin", "auditor"] as const) {
        await as(who);
        const [{ papers, reviews }] = await tx<{ papers: number; reviews: number }[]>`
          select (select count(*)::int from public.working_papers) as papers,
                 (select count(*)::int from public.working_paper_reviews) as reviews`;
        expect({ papers, reviews }, who).toEqual({ papers: 0, reviews: 0 });
      }
    });
  });
});

describe("working papers: only the group writes them, through the review chain", () => {
  it("the group drafts, edits its draft and submits it; offices, targets and contacts are refused", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const e = s.e("提级");
      const draft = s.rowOf(s.f.papers, "提级", "drafting paper").id;
      const underReview = s.rowOf(s.f.papers, "提级", "deputy_review paper").id;
      const insert = (sp: Tx) => sp`
        insert into public.working_papers (engagement_id, title, facts, category_id)
        values (${e.id}, '新底稿（测试）', '经查存在问题（测试）', ${s.f.commonCategoryId})`;

      await as("cityMember");
      expect(await attempt(tx, insert), "the group drafts").toBe("rows:1");
      expect(await attempt(tx, (sp) => sp`update public.working_papers set title = '改后的标题' where id = ${draft}`), "and edits its draft").toBe("rows:1");
      expect(await attempt(tx, (sp) => sp`update public.working_papers set title = '改后的标题' where id = ${underReview}`), "not a paper under review").toBe("23514");
      expect(await attempt(tx, (sp) => sp`update public.working_papers set status = 'approved' where id = ${draft}`), "the status moves by the function only").toBe("42501");
      expect(await attempt(tx, (sp) => sp`select public.advance_working_paper(${draft}, 'submit', null)`), "a member submits").toBe("rows:1");
      expect(await attempt(tx, (sp) => sp`select public.advance_working_paper(${underReview}, 'approve', null)`), "a plain member does not approve").toBe("42501");
      expect(await attempt(tx, (sp) => sp`delete from public.working_papers where id = ${draft}`), "nobody deletes a paper").toBe("42501");

      for (const who of ["city", "province", "daoli", "nangang", "daoliMember", "unitContact", "cityPartner", "sysadmin"] as const) {
        await as(who);
        expect(await attempt(tx, insert), `${who} drafts no paper`).toBe("42501");
        expect(await attempt(tx, (sp) => sp`update public.working_papers set title = '改后的标题' where id = ${draft}`), `${who} edits none`).toBe("rows:0");
        expect(await attempt(tx, (sp) => sp`select public.advance_working_paper(${draft}, 'submit', null)`), `${who} submits none`).toBe("42501");
      }
    });
  });

  it("reviews and problems are written by advance_working_paper only", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const e = s.e("提级");
      const paper = s.rowOf(s.f.papers, "提级", "drafting paper").id;
      const problem = s.rowOf(s.f.problems, "提级", "fed-back problem").id;
      for (const who of ["cityMember", "city", "province"] as const) {
        await as(who);
        expect(await attempt(tx, (sp) => sp`
          insert into public.working_paper_reviews (paper_id, executing_org_id, group_id, province_id, step, action)
          values (${paper}, ${e.executingOrgId}, ${e.groupId}, 0, 'drafting', 'submit')`), `${who}: review`).toBe("42501");
        expect(await attempt(tx, (sp) => sp`update public.working_paper_reviews set comment = 'x' where paper_id = ${paper}`), `${who}: review update`).toBe("42501");
        expect(await attempt(tx, (sp) => sp`insert into public.problems (engagement_id) values (${e.id})`), `${who}: problem`).toBe("42501");
        expect(await attempt(tx, (sp) => sp`update public.problems set title = 'x' where id = ${problem}`), `${who}: problem update`).toBe("42501");
        expect(await attempt(tx, (sp) => sp`delete from public.problems where id = ${problem}`), `${who}: problem delete`).toBe("42501");
      }
    });
  });
});

describe("problems: the target org and the unit's contacts see them only once fed back", () => {
  it("an elevated engagement's new problem: 道里 sees it from the feedback on, not before; 南岗 never", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      // A new elevated engagement of a 道里 unit, stationed, with an approved problem, reported.
      const cityGroup = s.g(CODES.city);
      const e = await fx.engagement(tx, s.round.get(CODES.city)!, cityGroup.id, w.units.daoli[5], "elevated", s.window.start);
      const { problemId } = await findingsFx.approvedProblem(tx, e.id);
      const feedbackOn = new Date(Date.parse(`${s.window.start}T00:00:00Z`) + 40 * 86_400_000).toISOString().slice(0, 10);
      await findingsFx.reported(tx, e.id, feedbackOn);

      for (const who of ["daoli", "nangang", "unitContact"] as const) {
        await as(who);
        expect(await seen(tx, "public.problems", [problemId]), `${who} before the feedback`).toEqual([]);
      }
      for (const who of ["city", "province", "cityMember"] as const) {
        await as(who);
        expect(await seen(tx, "public.problems", [problemId]), `${who} before the feedback`).toEqual([problemId]);
      }
      // 道里 cannot give the city's feedback; the city does.
      await as("daoli");
      expect(await attempt(tx, (sp) => sp`
        select public.give_feedback(${e.id}, ${feedbackOn}, 'centralized', '巡察组全体成员', null, '主送单位', null, ${[problemId]}::bigint[])`)).toBe("42501");
      await as("city");
      await tx`select public.give_feedback(${e.id}, ${feedbackOn}, 'centralized', '巡察组全体成员', null, '主送单位', null, ${[problemId]}::bigint[])`;

      await as("daoli");
      expect(await seen(tx, "public.problems", [problemId]), "道里 once fed back").toEqual([problemId]);
      for (const who of ["nangang", "unitContact", "unitHead", "cityPartner", "qqhr", "sysadmin", "auditor"] as const) {
        await as(who);
        expect(await seen(tx, "public.problems", [problemId]), `${who} once fed back`).toEqual([]);
      }
    });
  });

  it("the unit contacts see their own unit's fed-back problems and never another unit's, fed back or not", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const mine = s.rowOf(s.f.problems, "财政局", "fed-back problem").id;
      const others = s.f.problems.filter((p) => p.engagementKey !== "财政局").map((p) => p.id);
      const all = s.f.problems.map((p) => p.id);
      for (const who of ["unitContact", "unitHead"] as const) {
        await as(who);
        expect(await seen(tx, "public.problems", all), who).toEqual([mine]);
        expect(await seen(tx, "public.problems", others), `${who}: another unit's`).toEqual([]);
        // Whatever else the table holds (the demo's), only fed-back problems of his own unit.
        const [{ foreign }] = await tx<{ foreign: number }[]>`
          select count(*)::int as foreign from public.problems where fed_back_unit_id is distinct from ${w.financeUnit}`;
        expect(foreign, `${who}: no problem of another unit or not fed back`).toBe(0);
      }
    });
  });

  it("the group sees its problems fed back or not; the supervising office of a cross patrol too", async () => {
    await withFindingsScenario(async (tx, s, as) => {
      const cross = [s.rowOf(s.f.problems, "交叉", "fed-back problem").id, s.rowOf(s.f.problems, "交叉", "problem not fed back").id].sort((a, b) => a - b);
      for (const who of ["daoliMember", "daoli", "city", "province"] as const) {
        await as(who);
        expect(await seen(tx, "public.problems", cross), who).toEqual(cross);
      }
      await as("cityMember");
      expect(await seen(tx, "public.problems", cross), "the city's group member is not in the cross group").toEqual([]);
    });
  });
});
