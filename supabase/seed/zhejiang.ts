import type { Tx } from "../../app/lib/db.server";
import { addDays, insertRows, lcg, personName, pickOf, postsOf, shuffle, ZJ_LOCAL_OFFICES, type Rand, type UnitRow } from "./demo";
import {
  assertConsistent, CATEGORY_WEIGHTS, dateHandlings, distribute, documentNumbers, EVIDENCE, FINDINGS, FORM_CODES, handlingSteps, LEAD_CODES,
  LEAD_ISSUES, minDate, organWord, quietly, SCOPES, stamp, type Outcome,
} from "./findings";

/**
 * Seed 003's all-level figure, in the demo's 2025 (浙江 2019): "全省各级巡察办共巡察党组织100个，
 * 巡察发现“三个聚焦”方面问题86949个，党纪政务处分922人，移送司法机关处理110人".
 *
 * The offices: 杭州, 宁波, 温州 and sixteen of their districts and counties (ZJ_LOCAL_OFFICES
 * in demo.ts), each with its own term, its 2025 round (第一轮, reached feedback) and its
 * groups, cadres and engagements seeded by demo.ts like every other office's. Their
 * engagements, exactly 100, carry here:
 *
 * - 86,949 problems (about 870 an engagement), each on an approved working paper, in the
 *   common taxonomy with the texts of findings.ts's catalogue (FINDINGS, CATEGORY_WEIGHTS,
 *   立行立改 and 四种形态 as there). Written set-based in one statement (papers, then
 *   problems from them) with the triggers off, which also counts what breaks
 *   assertConsistent's rules among the rows it wrote (none may).
 * - Leads from those problems, transferred to the supervision partners attached to the
 *   office (its 纪委监委, or its 组织部 for cadre matters), with the partners' handling: the
 *   handlings sanction exactly 922 persons and send exactly 110 to the judicial organs.
 *
 * Not modelled: the review chain of these working papers (each is stored approved, as of
 * the day the 组务会 approved it), and their rectification: the feedback meetings are the
 * engagements' stage dates only, no problem is on a feedback record (feedback_id null), so
 * these offices show no fed-back problems and no rectification rate (—), and the province's
 * rate (seed 003's 83.98% over its own rounds 1–4) is untouched.
 *
 * On the figures page (public.org_figures as zj.director, year 2025): the children's rows
 * 杭州, 宁波 and 温州 together give 100 engagements, 86,949 problems, 922 persons sanctioned
 * and 110 sent to justice; every other city gives nothing that year. These offices have no
 * other patrols, so their rows show the same without a year. The province's own row for
 * 2025 is its round 6 (开发区建设发展), which is not part of this figure.
 *
 * Handling dates run up to about seven months after the transfers (mid-2025): a database
 * whose current_date is before March 2026 misses some of the sanctions, and assertFigure
 * fails the seed rather than show another figure.
 */
export const SEED_003_LOCAL = { year: 2025, engagements: 100, problems: 86_949, sanctioned: 922, judicial: 110 };

/** Office abbreviations for the 移交函 numbers (杭巡移〔2025〕N号): the city's, else the county's first character. */
const ABBR: Record<string, string> = { "330100": "杭巡", "330200": "甬巡", "330300": "温巡" };

interface LocalEngagement {
  id: number; supId: number; supCode: string; supName: string; exeId: number; groupId: number; provinceId: number;
  unitId: number; unitName: string; category: string; headLevel: string; roundYear: number;
  stationedOn: string; withdrawnOn: string; reportedOn: string; feedbackOn: string | null;
  handlers: number[];
}

/**
 * The findings and leads of the 浙江 city and county offices' engagements. Idempotent:
 * skipped when they have any working paper. Returns whether it seeded.
 */
export async function seedLocalFigures(tx: Tx): Promise<boolean> {
  const codes = ZJ_LOCAL_OFFICES.map((o) => o.code);
  const engagements = await tx<LocalEngagement[]>`
    select e.id::int as id, e.supervising_org_id as "supId", so.region_code as "supCode", so.name as "supName",
           e.executing_org_id as "exeId", e.group_id::int as "groupId", e.province_id as "provinceId",
           e.unit_id::int as "unitId", e.unit_name as "unitName", u.category::text as category, u.head_level::text as "headLevel",
           r.year as "roundYear", e.stationed_on::text as "stationedOn", e.withdrawn_on::text as "withdrawnOn",
           e.reported_on::text as "reportedOn", e.feedback_on::text as "feedbackOn",
           coalesce((select array_agg(gm.id::int order by gm.id) from public.group_members gm
                      where gm.group_id = e.group_id and gm.role in ('member', 'liaison')), '{}') as handlers
      from public.engagements e
      join public.rounds r on r.id = e.round_id
      join public.orgs so on so.id = e.supervising_org_id
      join public.units u on u.id = e.unit_id
     where so.region_code = any(${codes}::text[]) and r.year = ${SEED_003_LOCAL.year} and e.reported_on is not null
     order by e.id`;
  if (!engagements.length) return false;
  const ids = engagements.map((e) => e.id);
  const [{ papers }] = await tx<{ papers: number }[]>`
    select count(*)::int as papers from public.working_papers where engagement_id = any(${ids}::bigint[])`;
  if (papers > 0) return false;
  if (engagements.length !== SEED_003_LOCAL.engagements) {
    throw new Error(`seed: 浙江's city and county offices have ${engagements.length} reported engagements in ${SEED_003_LOCAL.year}, not ${SEED_003_LOCAL.engagements}`);
  }
  const rand = lcg(2019_0110);
  const [{ today }] = await tx<{ today: string }[]>`select current_date::text as today`;
  const yesterday = addDays(today, -1);

  // About 870 problems an engagement, a city's a little more than a county's; at most
  // 1,000 (an engagement's list of working papers shows that many).
  const levelOf = new Map(ZJ_LOCAL_OFFICES.map((o) => [o.code, o.level]));
  const counts = distribute(SEED_003_LOCAL.problems,
    engagements.map((e) => (levelOf.get(e.supCode) === "city" ? 1.04 : 0.98) * (0.9 + rand() * 0.2)));
  if (Math.max(...counts) > 1000) throw new Error("seed: more than 1,000 problems in one engagement");
  await quietly(tx, () => writeProblems(tx, engagements, counts));

  const leads = await planLeads(tx, engagements, rand, yesterday);
  const leadIds = await insertRows(tx, "private.leads", leads.map((l) => ({
    engagement_id: l.e.id, supervising_org_id: l.e.supId, executing_org_id: l.e.exeId, group_id: l.e.groupId,
    province_id: l.e.provinceId, seq: l.seq, problem_id: l.problemId, petition_id: null, summary: l.summary,
    receiver: l.organization ? "organization" : "discipline", receiving_org_id: l.partnerId, transferred_on: l.transferredOn,
    document_no: l.documentNo, stage: l.handlings.at(-1)?.stage ?? "transferred",
    sanctioned_persons: l.handlings.reduce((s, h) => s + h.sanctioned, 0),
    judicial_persons: l.handlings.reduce((s, h) => s + h.judicial, 0),
    created_at: l.createdAt,
    updated_at: l.handlings.length ? stamp(l.handlings.at(-1)!.on, 3, rand) : stamp(l.transferredOn, 2, rand),
  })));
  await insertRows(tx, "private.lead_persons", leads.map((l, i) => ({
    lead_id: leadIds[i].id, person_name: l.person.name, person_post: l.person.post, person_level: l.person.level,
  })), "lead_id");
  await insertRows(tx, "private.lead_handlings", leads.flatMap((l, i) => l.handlings.map((h, k) => ({
    lead_id: leadIds[i].id, receiving_org_id: l.partnerId, stage: h.stage, occurred_on: h.on, note: h.note,
    sanctioned_persons: h.sanctioned, judicial_persons: h.judicial, recorded_at: stamp(h.on, 4 + k, rand),
  }))));

  // The papers and problems are checked as they are written; the leads (and the rest) here.
  await assertConsistent(tx, []);
  await assertFigure(tx, ids);
  return true;
}

// ---------------------------------------------------------------- papers and problems, set-based

/**
 * One statement writes every working paper and, from them, every problem, and checks what
 * it wrote (as assertConsistent would, without reading the tables again). Each paper's
 * draws come from hashes of (engagement, seq) (hashint8extended), so the same database
 * gets the same papers: the category by CATEGORY_WEIGHTS, one of its FINDINGS templates
 * (most name where in the unit they were found, SCOPES), the numbers filled in,
 * severity, 四种形态 and 立行立改 with findings.ts's odds, a handler of the group, drafted
 * during the stationing and approved by the 组务会 before the report.
 */
async function writeProblems(tx: Tx, engagements: LocalEngagement[], counts: number[]) {
  const categories = await tx<{ id: number; code: string; parentId: number | null }[]>`
    select id::int as id, code, parent_id::int as "parentId" from public.problem_categories where org_id is null`;
  const byCode = new Map(categories.map((c) => [c.code, c]));
  // The categories' weights as slots (one per unit of weight), each with its templates.
  const slots = Object.entries(CATEGORY_WEIGHTS).flatMap(([code, w]) => Array<string>(w).fill(code));
  const templates = slots.flatMap((code, slot) => {
    const cat = byCode.get(code);
    if (!cat) throw new Error(`seed: no category ${code}`);
    return FINDINGS[code].map(([title, facts], idx) => ({
      slot, idx, category_id: cat.id, top_id: cat.parentId ?? cat.id, sub: cat.parentId !== null,
      title: asFormat(title), facts: asFormat(facts), heavy: /integrity|fiscal_funds/.test(code), form: FORM_CODES.test(code),
    }));
  });
  // Two different pieces of evidence.
  const evidence = EVIDENCE.flatMap((a, i) => EVIDENCE.filter((_, k) => k !== i).map((b) => asFormat(`${a}；${b}`)));
  const plan = engagements.map((e, i) => ({
    engagement_id: e.id, n: counts[i], executing_org_id: e.exeId, group_id: e.groupId, province_id: e.provinceId,
    unit_name: e.unitName, organ: organWord(e), y: e.roundYear - 2,
    first_day: addDays(e.stationedOn, 3), last_day: addDays(e.withdrawnOn, -6), approve_by: addDays(e.reportedOn, -1),
    handlers: e.handlers,
  }));
  // The sorts stay in memory.
  await tx`set local work_mem = '64MB'`;
  // format()'s arguments, in asFormat's order.
  const args = "f.unit_name, f.y, f.vn, f.vm, f.vk, (f.amt10 / 10) || '.' || (f.amt10 % 10), f.vp, f.vm2, f.organ";
  // The paper's draws in [0, 1): five hashes of (engagement, seq), four 16-bit draws each.
  const u = (i: number) => `((h.h${i >> 2} >> ${16 * (i & 3)}) & 65535)::float8 / 65536`;
  const [broken] = await tx.unsafe<{ papers: number; problems: number }[]>(`
    with plan as (
      select * from json_to_recordset($1::text::json) as x(
        engagement_id bigint, n int, executing_org_id int, group_id bigint, province_id int, unit_name text, organ text,
        y int, first_day date, last_day date, approve_by date, handlers bigint[])
    ), tpl as (
      select * from json_to_recordset($2::text::json) as t(
        slot int, idx int, category_id bigint, top_id bigint, sub boolean, title text, facts text, heavy boolean, form boolean)
    ), draws as (
      select p.*, g.seq, floor(${u(0)} * ${slots.length})::int as slot, ${u(1)} as u_tpl,
             ${u(2)} as u_top, ${u(3)} as u_sev, ${u(4)} as u_form, ${u(5)} as u_spot,
             floor(${u(6)} * ${SCOPES.length + 1})::int as scope, floor(${u(7)} * ${evidence.length})::int as ev,
             ${u(9)} as u_handler, ${u(10)} as u_day, ${u(11)} as u_time, ${u(12)} as u_review,
             6 + floor(${u(13)} * 25)::int as vn, ${u(14)} as u_m, 1 + floor(${u(15)} * 4)::int as vk,
             30 + floor(${u(16)} * 3800)::int as amt10, 30 + floor(${u(17)} * 50)::int as vp, floor(${u(18)} * 8)::int as m2_add
        from plan p
        cross join lateral generate_series(1, p.n) g(seq)
        cross join lateral (select ${[0, 1, 2, 3, 4].map((k) => `hashint8extended(p.engagement_id * 65536 + g.seq, ${k}) as h${k}`).join(", ")}
                              offset 0) h
    ), valued as (
      select d.*, t.category_id, t.top_id, t.sub, t.title, t.facts, t.form,
             2 + floor(d.u_m * least(d.vn - 2, 8))::int as vm, d.vn + 2 + d.m2_add as vm2,
             case when d.u_sev < (case when t.heavy then 0.5 else 0.68 end) then 'general'
                  when d.u_sev < (case when t.heavy then 0.88 else 0.95 end) then 'serious'
                  else 'grave' end::public.problem_severity as severity,
             d.first_day + floor(d.u_day * (d.last_day - d.first_day + 1))::int as created_on
        from draws d
        join tpl t on t.slot = d.slot and t.idx = floor(d.u_tpl * ($5::int[])[1 + d.slot])::int
    ), papers as (
      insert into public.working_papers (engagement_id, executing_org_id, group_id, province_id, seq, title, facts, evidence,
                                         category_id, severity, discipline_form, on_the_spot, handler_member_id, status,
                                         status_changed_at, created_at, updated_at)
      select f.engagement_id, f.executing_org_id, f.group_id, f.province_id, f.seq,
             format(f.title, ${args}) || coalesce(($4::text[])[1 + f.scope], ''),
             format(f.facts, ${args}),
             format(($3::text[])[1 + f.ev], ${args}),
             case when f.sub and f.u_top < 0.1 then f.top_id else f.category_id end,
             f.severity,
             case when not f.form then null
                  when f.severity = 'general' then case when f.u_form < 0.75 then 1 else 2 end
                  when f.severity = 'serious' then case when f.u_form < 0.2 then 1 when f.u_form < 0.9 then 2 else 3 end
                  else case when f.u_form < 0.15 then 2 when f.u_form < 0.75 then 3 else 4 end end,
             f.severity <> 'grave' and f.u_spot < 0.235,
             f.handlers[1 + floor(f.u_handler * cardinality(f.handlers))::int],
             'approved',
             (least(f.created_on + 3 + floor(f.u_review * 9)::int, f.approve_by) + time '15:00' + f.u_time * interval '150 minutes')
               at time zone 'Asia/Shanghai',
             (f.created_on + time '08:30' + f.u_time * interval '150 minutes') at time zone 'Asia/Shanghai',
             (least(f.created_on + 3 + floor(f.u_review * 9)::int, f.approve_by) + time '15:00' + f.u_time * interval '150 minutes')
               at time zone 'Asia/Shanghai'
        from valued f
       order by f.engagement_id, f.seq
      returning id, engagement_id, executing_org_id, group_id, province_id, seq, title, facts, category_id, severity,
                discipline_form, on_the_spot, handler_member_id, status, created_at, status_changed_at
    ), problems as (
      -- The problem list: every paper is approved.
      insert into public.problems (engagement_id, working_paper_id, supervising_org_id, executing_org_id, group_id, unit_id,
                                   target_visible_org_id, province_id, seq, title, description, category_id, top_category_id,
                                   severity, discipline_form, on_the_spot, feedback_id, created_at)
      select w.engagement_id, w.id, e.supervising_org_id, w.executing_org_id, w.group_id, e.unit_id,
             case when e.mode <> 'regular' then e.target_org_id end, w.province_id, w.seq, w.title, w.facts, w.category_id,
             coalesce(c.parent_id, c.id), w.severity, w.discipline_form, w.on_the_spot, null, w.status_changed_at
        from papers w
        join public.engagements e on e.id = w.engagement_id
        join public.problem_categories c on c.id = w.category_id
       order by w.engagement_id, w.seq
      returning working_paper_id, engagement_id, supervising_org_id, unit_id, title, category_id, top_category_id
    )
    -- What the triggers would refuse (assertConsistent's rules), counted over the rows written.
    select
      (select count(*) from papers w join public.engagements e on e.id = w.engagement_id
        where w.executing_org_id <> e.executing_org_id or w.group_id <> e.group_id or w.province_id <> e.province_id
           or w.created_at::date < e.stationed_on or w.created_at::date > e.withdrawn_on
           or w.status_changed_at < w.created_at or w.status_changed_at::date >= e.reported_on
           or not exists (select 1 from public.group_members gm where gm.id = w.handler_member_id and gm.group_id = e.group_id))::int
        as papers,
      (select count(*) from problems p
         left join papers w on w.id = p.working_paper_id
         join public.engagements e on e.id = p.engagement_id
         join public.problem_categories c on c.id = p.category_id
        where w.id is null or w.status <> 'approved' or p.engagement_id <> w.engagement_id or p.title <> w.title
           or p.supervising_org_id <> e.supervising_org_id or p.unit_id <> e.unit_id
           or p.top_category_id <> coalesce(c.parent_id, c.id))::int
        + abs((select count(*) from papers) - (select count(*) from problems))::int as problems`,
  [JSON.stringify(plan), JSON.stringify(templates), evidence, SCOPES, slots.map((code) => FINDINGS[code].length)]);
  await tx`reset work_mem`;
  if (broken.papers || broken.problems) throw new Error(`seed: 浙江's local findings break the rules: ${JSON.stringify(broken)}`);
}

/** A catalogue text as a format() string: {unit} … {m2} and 党组（党委） become positional arguments. */
function asFormat(text: string): string {
  const position: Record<string, number> = { unit: 1, y: 2, n: 3, m: 4, k: 5, amt: 6, p: 7, m2: 8 };
  return text.replace(/%/g, "%%")
    .replace(/\{(\w+)\}/g, (_, k: string) => {
      if (!position[k]) throw new Error(`seed: no value for {${k}}`);
      return `%${position[k]}$s`;
    })
    .replace(/党组（党委）/g, "%9$s");
}

// ---------------------------------------------------------------- leads

interface LocalLead {
  e: LocalEngagement; seq: number; problemId: number; summary: string;
  person: { name: string; post: string | null; level: string | null };
  organization: boolean; partnerId: number; transferredOn: string; documentNo: string | null; createdAt: string;
  handlings: { stage: string; on: string; note: string; sanctioned: number; judicial: number }[];
}

/**
 * Seven to twelve leads an engagement, from its most serious problems of the lead-prone
 * categories (LEAD_CODES), transferred in one 移交函 after the report; cadre matters
 * mostly to the office's 组织部 (诫勉, a written self-criticism), the rest to its 纪委监委,
 * whose outcomes are dealt from a list that sanctions exactly 922 persons (110 of them
 * also sent to justice).
 */
async function planLeads(tx: Tx, engagements: LocalEngagement[], rand: Rand, yesterday: string): Promise<LocalLead[]> {
  const pick = pickOf(rand);
  const candidates = await tx<{ id: number; engagementId: number; code: string; createdOn: string }[]>`
    select x.id::int as id, x.engagement_id::int as "engagementId", x.code, x.created_on::text as "createdOn"
      from (select p.id, p.engagement_id, c.code, (p.created_at at time zone 'Asia/Shanghai')::date as created_on,
                   row_number() over (partition by p.engagement_id order by p.severity desc, hashint8extended(p.id, 7)) as rank
              from public.problems p join public.problem_categories c on c.id = p.category_id
             where p.engagement_id = any(${engagements.map((e) => e.id)}::bigint[]) and not p.on_the_spot
               and p.category_id in (select id from public.problem_categories where org_id is null and code ~ ${LEAD_CODES.source})) x
     where x.rank <= 16
     order by x.engagement_id, x.rank`;
  const partners = await tx<{ id: number; name: string; attachedId: number }[]>`
    select id, name, attached_org_id as "attachedId" from public.orgs
     where kind = 'supervision_partner' and attached_org_id = any(${[...new Set(engagements.map((e) => e.supId))]}::int[])`;
  const partnerOf = (e: LocalEngagement, organization: boolean) => {
    const p = partners.find((o) => o.attachedId === e.supId && (organization ? /组织部/ : /纪委监委/).test(o.name));
    if (!p) throw new Error(`seed: ${e.supName} has no supervision partner`);
    return p.id;
  };
  const leads: LocalLead[] = [];
  const batches: { leads: LocalLead[]; key: string; on: string }[] = [];
  for (const e of engagements) {
    const ps = candidates.filter((c) => c.engagementId === e.id).slice(0, 7 + Math.floor(rand() * 6));
    const unit: UnitRow = { id: e.unitId, orgId: 0, name: e.unitName, category: e.category, headLevel: e.headLevel };
    const span = 3 + Math.floor(rand() * 18);
    const on = minDate(addDays(e.reportedOn, span), e.feedbackOn ?? yesterday, yesterday);
    const mine = ps.map((p, i): LocalLead => {
      const issue = LEAD_ISSUES.find(([re]) => re.test(p.code))?.[1] ?? "违反中央八项规定精神和廉洁纪律";
      const [post, level] = pick(postsOf(unit));
      const organization = /appointments|organizational/.test(p.code) && rand() < 0.7;
      return {
        e, seq: i + 1, problemId: p.id,
        summary: `${e.unitName}有关人员涉嫌${issue}。巡察组在${pick(["调阅财务凭证", "个别谈话", "调阅会议记录", "走访核实"])}中发现，问题线索具体、可查性较强，建议依规依纪依法处置。`,
        person: { name: personName(rand), post, level }, organization, partnerId: partnerOf(e, organization),
        transferredOn: on, documentNo: null, createdAt: stamp(minDate(p.createdOn, on), 3, rand), handlings: [],
      };
    });
    leads.push(...mine);
    batches.push({ leads: mine, key: e.supCode, on });
  }
  // The 纪委监委's outcomes: 110 to justice (1 sanctioned each), 812 more sanctioned in
  // cases of one or two persons, and the rest cleared, shelved or still under way.
  const discipline = leads.filter((l) => !l.organization);
  const fixed: [Outcome, number][] = [
    ...Array<[Outcome, number]>(SEED_003_LOCAL.judicial).fill(["judicial", 1]),
    ...Array<[Outcome, number]>(292).fill(["sanctioned", 2]),
    ...Array<[Outcome, number]>(SEED_003_LOCAL.sanctioned - SEED_003_LOCAL.judicial - 2 * 292).fill(["sanctioned", 1]),
  ];
  if (discipline.length < fixed.length + 40) throw new Error(`seed: ${discipline.length} leads to the 纪委监委 cannot carry seed 003's sanctions`);
  const rest = discipline.length - fixed.length;
  const others: [Outcome, number][] = Array.from({ length: rest }, (_, i): [Outcome, number] =>
    [i < rest * 0.6 ? "cleared" : i < rest * 0.8 ? "shelved" : i < rest * 0.93 ? "opened" : "checking", 0]);
  const outcomes = shuffle([...fixed, ...others], rand);
  discipline.forEach((l, i) => {
    const [outcome, persons] = outcomes[i];
    l.handlings = dateHandlings(handlingSteps(outcome, persons, rand), l.transferredOn, yesterday, rand);
  });
  for (const l of leads.filter((x) => x.organization)) {
    l.handlings = dateHandlings(handlingSteps("organization", 0, rand), l.transferredOn, yesterday, rand);
  }
  const numbers = documentNumbers(batches.map((b) => ({ key: b.key, on: b.on })), rand);
  batches.forEach((b, i) => {
    const abbr = ABBR[b.key] ?? `${b.leads[0]?.e.supName.slice(0, 1) ?? ""}巡`;
    for (const l of b.leads) l.documentNo = `${abbr}移〔${b.on.slice(0, 4)}〕${numbers[i]}号`;
  });
  return leads;
}

/** The figure itself, counted as org_figures counts it: a seed that misses it fails loudly. */
async function assertFigure(tx: Tx, ids: number[]) {
  const [got] = await tx<Record<string, number>[]>`
    select count(*)::int as engagements, coalesce(sum(f.problems), 0)::int as problems,
           coalesce(sum(f.persons_sanctioned), 0)::int as sanctioned, coalesce(sum(f.persons_judicial), 0)::int as judicial,
           coalesce(sum(f.fed_back), 0)::int as "fedBack"
      from private.engagement_figures_of(${ids}::bigint[], current_date) f`;
  const { year: _, ...figure } = SEED_003_LOCAL;
  const want: Record<string, number> = { ...figure, fedBack: 0 };
  if (Object.keys(want).some((k) => got[k] !== want[k])) {
    throw new Error(`seed: 浙江's city and county figures for ${SEED_003_LOCAL.year} are ${JSON.stringify(got)}`);
  }
}
