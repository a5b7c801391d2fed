import type { Tx } from "../../app/lib/db.server";

/**
 * What crosses levels in the demo (issue 5):
 *
 * - a linkage campaign of the 黑龙江 province office (seed 002's first 上下联动 on the
 *   生态环境和自然资源 system), with 哈尔滨 and its two demo counties taking part; the
 *   province attaches its current round, 哈尔滨 one of its rounds;
 * - 哈尔滨's results shared with 哈尔滨市纪委监委: one engagement's problem list (valid for
 *   90 days), one grant already revoked;
 * - a 巡前通报 of 哈尔滨's round in progress: asked of the 纪委监委, answered.
 *
 * Written through the tables' own triggers (they derive the columns, check the rules and
 * send the notices), without a request context: the seed is the system.
 */
export async function seedLinkage(tx: Tx): Promise<boolean> {
  const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from public.campaigns`;
  if (n > 0) return false;
  const office = async (code: string) =>
    (await tx<{ id: number }[]>`select id from public.orgs where region_code = ${code} and kind = 'patrol_office'`)[0]?.id;
  const [province, city, daoli, nangang] = [await office("230000"), await office("230100"), await office("230102"), await office("230103")];
  if (!province || !city) return false;

  const [campaign] = await tx<{ id: number }[]>`
    insert into public.campaigns (org_id, title, system_name, starts_on, ends_on, guidance)
    values (${province}, '全省生态环境和自然资源系统巡视巡察上下联动', '生态环境和自然资源系统',
            date_trunc('year', current_date)::date, (date_trunc('year', current_date) + interval '1 year - 1 day')::date,
            ${[
              "一、联动重点：聚焦习近平生态文明思想和党中央关于生态环境保护、自然资源管理决策部署的贯彻落实，",
              "重点检查耕地保护、矿产资源开发、生态修复、环保督察反馈问题整改等方面的突出问题。",
              "二、工作要求：各市（地）、县（市、区）巡察机构将本级对生态环境、自然资源部门的巡察纳入联动，",
              "统一问题分类口径，巡察发现的共性问题于每轮反馈后十日内报省委巡视办。",
              "三、成果运用：对多地多单位重复出现的问题，省委巡视办形成专题报告，移送省直有关职能部门。",
            ].join("\n")})
    returning id::int as id`;
  const participants = [city, daoli, nangang].filter((x): x is number => Boolean(x));
  for (const org of participants) {
    await tx`insert into public.campaign_participants (campaign_id, org_id) values (${campaign.id}, ${org})`;
  }
  const latestRound = async (org: number) =>
    (await tx<{ id: number }[]>`
      select id::int as id from public.rounds where org_id = ${org} and status <> 'draft'
       order by year desc, number desc limit 1`)[0]?.id;
  for (const org of [province, city]) {
    const round = await latestRound(org);
    if (round) await tx`insert into public.campaign_links (campaign_id, round_id) values (${campaign.id}, ${round})`;
  }

  const partner = (await tx<{ id: number }[]>`
    select id from public.orgs where attached_org_id = ${city} and name = '哈尔滨市纪委监委'`)[0]?.id;
  const engagements = await tx<{ id: number }[]>`
    select e.id::int as id from public.engagements e
     where e.supervising_org_id = ${city} and e.feedback_on is not null order by e.feedback_on desc, e.id limit 2`;
  if (partner && engagements.length === 2) {
    await tx`
      insert into public.result_grants (org_id, partner_org_id, scope, engagement_id, expires_on, note)
      values (${city}, ${partner}, 'engagement_problems', ${engagements[0].id}, current_date + 90,
              '供市纪委监委开展日常监督参考')`;
    const [old] = await tx<{ id: number }[]>`
      insert into public.result_grants (org_id, partner_org_id, scope, engagement_id, expires_on, note)
      values (${city}, ${partner}, 'engagement_rectification', ${engagements[1].id}, current_date + 30,
              '整改日常监督') returning id::int as id`;
    await tx`update public.result_grants set revoked_at = now() where id = ${old.id}`;
  }
  const running = (await tx<{ id: number }[]>`
    select id::int as id from public.rounds where org_id = ${city} and status in ('approved', 'stationed', 'reporting')
     order by year desc, number desc limit 1`)[0]?.id ?? (await latestRound(city));
  if (partner && running) {
    await tx`
      insert into public.pre_patrol_briefings (round_id, partner_org_id, requested_on, request, replied_on, reply)
      values (${running}, ${partner}, current_date - 40,
              '请提供本轮被巡察单位领导班子及成员近三年信访举报、问题线索处置和党纪政务处分情况。',
              current_date - 33,
              '已书面提供：涉及本轮被巡察单位的信访举报 27 件、问题线索 6 件（已了结 4 件、在办 2 件），近三年党纪政务处分 3 人。')`;
  }
  return true;
}
