import type { Tx } from "../../app/lib/db.server";
import {
  addDays, addMonths, chineseNumber, insertRows, lcg, personName, pickOf, postsOf, shuffle, ZJ_LOCAL_OFFICES, type Rand, type UnitRow,
} from "./demo";

/**
 * The demo's findings and what follows them (lifecycle steps 5–9): working papers and
 * their reviews, the problem list, problem leads transferred to the supervision
 * partners and their handling, feedback, rectification plans and progress reports,
 * ledger items with progress and double review, effectiveness evaluations, one public
 * disclosure and the in-app notices.
 *
 * Figures reproduced (public.org_figures as each office's director):
 *
 * - Seed 004 (哈尔滨 2016: 4 batches of municipal units, 815 problems, 183 立行立改,
 *   484 限期整改, 148 leads transferred). The demo's 哈尔滨 term has no year with four
 *   batches; its first four rounds (2025 第一至三轮 and 2026 第四轮) are the four batches
 *   that have reached feedback, 42 municipal units. Those rounds carry exactly 815
 *   problems, 183 on the spot, 484 items of kind 'deadline' and 148 transferred leads
 *   (to 哈尔滨市纪委监委, some to 哈尔滨市委组织部). Round 5 (stationed) has drafts only, so the
 *   figures of 哈尔滨's whole term (own_only) are the same. Their categories follow the
 *   seed too: 469 违反六项纪律, 69 四风, 23 违规使用财政资金.
 * - Seed 003 (浙江 2019: 3 rounds, 61 units, 2,101 problems; 1,903 of 2,266 fed-back
 *   problems rectified, 83.98%). 浙江's rounds 1–3 (2022–2023) have exactly 61
 *   engagements and carry the 2,101 problems. 2,266 is more than 2,101 and the term has
 *   no earlier round, so the fed-back problems of the next round (round 4, 2024上半年,
 *   165 problems) complete them: over rounds 1–4, 2,266 problems are fed back and 1,903
 *   of them rectified (all their items closed): 83.98%. The province's office transfers
 *   no leads (the seed gives no lead figure for its rounds).
 * - Seed 003's all-level figure (2019: the city and county offices patrolled 100 party
 *   organisations, found 86,949 problems; 922 persons sanctioned, 110 sent to justice),
 *   in the demo's 2025: the engagements of 浙江's city and county offices
 *   (ZJ_LOCAL_OFFICES in demo.ts) are left out here and seeded by zhejiang.ts.
 *
 * Dates: everything follows the engagement's stage dates; what must be upcoming or
 * overdue (open items' deadlines, reports awaiting review, unhandled leads) is placed
 * relative to the database's current_date, which the deadline job and the figures use.
 */

type Severity = "general" | "serious" | "grave";
type PaperStatus = "drafting" | "deputy_review" | "leader_review" | "meeting_review" | "approved";
type GroupRole = "leader" | "deputy" | "liaison" | "member";
type ItemStatus = "open" | "unit_confirmed" | "closed";
type ItemKind = "immediate" | "deadline" | "long_term";

// ---------------------------------------------------------------- text catalogues

/** Per category code: [title, facts]. {unit} {y} year, {n} {m} {k} counts, {amt} 万元, {p} percent. */
export const FINDINGS: Record<string, [string, string][]> = {
  "leadership.decisions": [
    ["贯彻落实党中央决策部署和上级工作要求不够有力", "{unit}对习近平总书记重要指示批示精神和党中央决策部署学习传达后研究部署不及时，{y}年以来有{n}项重点任务未制定具体落实举措，推进情况未开展跟踪督办。"],
    ["落实“第一议题”制度不到位", "抽查{unit}{y}年以来党组（党委）会议记录，有{m}次会议未将学习习近平总书记重要讲话和重要指示批示精神作为第一议题，学习后结合实际研究落实不够。"],
    ["服务保障中心工作有差距", "{unit}在推进优化营商环境、重点项目建设等工作中主动作为不够，{y}年确定的{n}项重点任务有{m}项进度滞后，未按期完成年度目标。"],
    ["防范化解重大风险工作不扎实", "{unit}对本领域风险隐患排查不全面，{y}年以来排查出的{n}个风险点未建立整改台账，个别隐患长期未有效化解。"],
  ],
  "leadership.responsibility": [
    ["党组（党委）履行全面从严治党主体责任不力", "{unit}党组（党委）{y}年研究全面从严治党工作仅{k}次，主体责任清单照搬上级文件，未结合实际细化分解，班子成员落实“一岗双责”不到位。"],
    ["“三重一大”决策制度执行不严格", "{unit}{y}年以来有{m}项大额资金使用事项未经党组（党委）会议集体研究，由主要负责人签批后即执行，涉及资金{amt}万元。"],
    ["民主集中制执行不到位", "{unit}部分重要事项会前未充分酝酿，会上主要负责人先表态，班子成员发表意见不充分；{y}年有{m}次会议议题临时动议上会。"],
    ["议事决策规则不健全", "{unit}党组（党委）工作规则未按新修订的条例及时修订，党组会议与行政办公会议议事范围界定不清，{m}项应由党组研究的事项在办公会上决定。"],
  ],
  "party_building.organization": [
    ["基层党组织建设薄弱", "{unit}所属{n}个党支部中有{m}个未按期换届，个别支部书记由业务科室负责人兼任，抓党建精力不足。"],
    ["党员发展和管理不规范", "抽查{unit}{n}名党员发展档案，发现{m}份入党材料要件缺失、时间节点倒置；有{k}名流动党员长期未参加组织生活。"],
    ["党费收缴使用管理不规范", "{unit}{y}年以来有{n}名党员未按规定足额缴纳党费，少交金额合计{amt}万元；党费使用未经集体研究。"],
    ["党建与业务融合不紧密", "{unit}党建工作与业务工作“两张皮”，党建考核指标多为台账资料，对业务工作的引领作用不明显。"],
  ],
  "party_building.life": [
    ["民主生活会质量不高", "{unit}{y}年度民主生活会批评与自我批评辣味不足，班子成员相互批评意见多为工作建议，对照检查材料问题查摆不深不实。"],
    ["组织生活会和民主评议党员流于形式", "{unit}部分党支部组织生活会程序不规范，谈心谈话记录雷同，民主评议党员结果未体现差异。"],
    ["“三会一课”制度落实不严格", "抽查{unit}{n}个党支部{y}年“三会一课”记录，有{m}个支部党课次数不足，个别支部以业务会议代替支部党员大会。"],
  ],
  "strict_governance.supervision": [
    ["日常监督不力", "{unit}对重点领域、关键岗位监督缺位，{y}年以来未开展廉政风险排查，对干部苗头性、倾向性问题提醒不及时。"],
    ["派驻监督作用发挥不充分", "派驻{unit}纪检监察组对“三重一大”事项监督不够，{y}年以来列席党组会议仅{k}次，对发现问题督促整改不到位。"],
    ["内部审计监督缺位", "{unit}{y}年以来未对所属{m}家二级单位开展内部审计，对二级单位资金使用情况底数不清。"],
  ],
  "strict_governance.four_forms": [
    ["运用监督执纪“第一种形态”不经常", "{unit}{y}年以来开展提醒谈话、批评教育次数偏少，对干部反映较多的问题未及时咬耳扯袖、红脸出汗。"],
    ["问责追责不严格", "{unit}对{y}年以来发生的{m}起违反工作纪律问题仅作口头提醒处理，处理偏轻偏软，未形成震慑。"],
  ],
  "discipline.political": [
    ["对上级巡视巡察反馈的政治性问题认识不足", "{unit}对上级巡视反馈的落实党中央决策部署方面问题整改缺乏政治自觉，整改措施停留在发文件、开会议层面。"],
    ["理论武装不扎实", "{unit}党组（党委）理论学习中心组学习计划执行不到位，{y}年集体学习研讨仅{k}次，个别班子成员学习心得照抄网络文章。"],
    ["落实请示报告制度不严格", "{unit}{y}年以来有{m}项重大事项未按规定向上级党组织请示报告，事后补报。"],
  ],
  "discipline.organizational": [
    ["领导干部个人有关事项报告不如实", "抽查{unit}{n}名领导干部个人有关事项报告，发现{m}人漏报房产、{k}人漏报配偶投资情况。"],
    ["因私出国（境）证照管理不规范", "{unit}对登记备案人员因私出国（境）证照未按规定集中保管，有{k}人证照由个人保管。"],
    ["违规借调下属单位人员", "{unit}机关从下属单位借调人员{m}人，借调时间超过一年，未履行审批程序。"],
    ["干部人事档案审核把关不严", "{unit}干部人事档案专项审核发现{m}份档案出生日期、参加工作时间等认定依据不足。"],
  ],
  "discipline.integrity": [
    ["违规发放津贴补贴", "{unit}{y}年以来以加班费、值班补助等名义违规发放津贴补贴共计{amt}万元，涉及干部职工{n}人。"],
    ["政府采购和工程项目管理不规范", "{unit}{y}年以来有{m}个采购项目化整为零规避公开招标，涉及金额{amt}万元；个别工程项目先施工后招标。"],
    ["违规兼职取酬", "{unit}有{k}名干部未经审批在社会组织兼职，其中部分人员违规领取兼职报酬。"],
    ["干部亲属经商办企业回避不到位", "{unit}个别干部亲属承揽本单位所属项目，相关人员未按规定申请回避。"],
    ["违规收受礼品礼金", "反映{unit}个别干部在节假日期间收受管理服务对象购物卡、礼品，存在廉洁风险。"],
    ["国有资产管理不严", "{unit}固定资产账实不符，{y}年清查发现账外资产{amt}万元；部分房产出租未经评估、未公开招租。"],
  ],
  "discipline.mass": [
    ["惠民资金发放审核把关不严", "{unit}在惠民资金发放中审核把关不严，向{m}名不符合条件人员发放补贴{amt}万元，至巡察时未追回。"],
    ["服务群众“最后一公里”不畅", "{unit}窗口办事流程繁琐，群众反映办事需多次往返；{y}年以来群众投诉{n}件，办结率偏低。"],
    ["群众反映强烈的问题解决不及时", "{unit}对群众反映的{n}件涉及切身利益的问题办理不及时，有{m}件超期未回复。"],
  ],
  "discipline.work": [
    ["落实工作纪律不严格", "暗访发现{unit}工作时间有{k}名干部无故不在岗，部分干部上班时间办私事。"],
    ["履职尽责不到位", "{unit}对本领域监管职责落实不到位，对{y}年以来发现的{m}家违规经营主体未依法处理到位。"],
    ["行政审批不规范", "{unit}部分审批事项超时限办理，抽查{n}件审批档案中有{m}件未在承诺时限内办结。"],
    ["执行保密纪律不严", "{unit}涉密文件管理不规范，有{k}份涉密文件未按规定登记、清退。"],
  ],
  "discipline.life": [
    ["个别党员干部生活作风问题", "反映{unit}个别干部生活作风不检点，群众有议论，单位未及时教育提醒。"],
    ["家风建设重视不够", "{unit}对领导干部家属子女从业行为管理不严，未建立领导干部配偶子女经商办企业情况台账。"],
  ],
  "four_styles.formalism": [
    ["文山会海问题仍然突出", "{unit}{y}年发文{n}件、召开会议{m}次，较上年不降反升；部分会议层层套开，以会议落实会议。"],
    ["督查检查考核过多过频", "{unit}{y}年对下级开展督查检查考核{m}项，部分检查重留痕轻实效，要求基层重复报送材料。"],
    ["调查研究走过场", "{unit}领导班子成员调研多为听汇报、看材料，调研报告提出的{n}条措施有{m}条未落实。"],
  ],
  "four_styles.bureaucratism": [
    ["推诿扯皮、不作为慢作为", "{unit}对企业反映的{n}件诉求办理中推诿扯皮，平均办理时间超过承诺时限。"],
    ["政策制定脱离实际", "{unit}部分政策出台前未征求基层和企业意见，出台后执行困难，群众满意度不高。"],
  ],
  "four_styles.hedonism": [
    ["公务用车管理不规范", "{unit}公务用车使用登记不全，{y}年以来有{n}次用车无审批记录，存在公车私用风险。"],
    ["办公用房超标准", "{unit}有{k}名领导干部办公用房面积超标，至巡察时尚未整改。"],
    ["违规报销差旅费", "{unit}{y}年以来违规报销差旅费{n}笔，金额{amt}万元，存在超标准住宿、重复报销情况。"],
  ],
  "four_styles.extravagance": [
    ["违规公务接待", "{unit}{y}年以来有{m}次公务接待无公函、超标准，接待费用{amt}万元，存在以会议费名义列支接待费问题。"],
    ["借培训考察之名变相旅游", "{unit}以培训名义组织干部职工赴外地考察，行程中安排与工作无关的参观活动。"],
  ],
  appointments: [
    ["选人用人制度执行不严格", "抽查{unit}{y}年以来{n}名干部选拔任用档案，发现{m}人动议环节记录不全、{k}人任前公示时间不足。"],
    ["干部队伍建设统筹谋划不够", "{unit}干部队伍年龄结构老化，45岁以下中层干部仅占{p}%，后备干部储备不足。"],
    ["干部交流轮岗不到位", "{unit}有{m}名干部在重要岗位任职超过10年未交流轮岗。"],
    ["超职数配备干部", "{unit}超职数配备干部{k}名，至巡察时仍未消化。"],
    ["干部考核评价不精准", "{unit}年度考核“一刀切”，优秀等次轮流坐庄，考核结果运用不充分。"],
  ],
  rectification: [
    ["上轮巡视巡察整改不到位", "{unit}上轮巡察反馈的{n}个问题中有{m}个整改不到位，存在“纸面整改”“表面整改”现象。"],
    ["审计发现问题整改不彻底", "{unit}{y}年审计发现的{n}个问题有{m}个尚未整改到位，涉及资金{amt}万元。"],
    ["整改长效机制不健全", "{unit}对上轮巡察指出的问题注重个案整改，未从制度层面堵塞漏洞，同类问题反复出现。"],
  ],
  ideology: [
    ["意识形态工作责任制落实不到位", "{unit}党组（党委）{y}年研究意识形态工作仅{k}次，未按要求开展意识形态领域风险研判。"],
    ["网络意识形态阵地管理不严", "{unit}所属{m}个政务新媒体账号审核把关不严，个别账号长期不更新。"],
    ["理论学习中心组学习不深入", "{unit}理论学习中心组学习以读文件为主，专题研讨不够，学习计划执行率仅{p}%。"],
  ],
  fiscal_funds: [
    ["违规使用财政专项资金", "{unit}将{amt}万元专项资金用于弥补日常公用经费，改变资金用途。"],
    ["财政资金沉淀闲置", "{unit}有{amt}万元财政专项资金结转两年以上未使用，资金使用效益不高。"],
    ["以拨代支、虚列支出", "{unit}{y}年以拨代支方式将{amt}万元资金拨付下属单位，年底虚列支出。"],
    ["违规出借财政资金", "{unit}未经批准将{amt}万元资金出借给下属企业，至巡察时尚未收回。"],
  ],
  other: [
    ["安全生产主体责任落实不到位", "{unit}对所属单位安全生产检查不深入，{y}年发现的{n}项隐患有{m}项未闭环整改。"],
    ["档案管理不规范", "{unit}文书档案、会计档案整理归档不及时，{y}年以来有{n}卷档案未按规定移交。"],
    ["信访积案化解不力", "{unit}有{m}件信访积案未化解，个别信访件重复交办。"],
  ],
};

/** Where a second problem of the same kind in one unit was found. */
export const SCOPES = ["（机关本级）", "（下属单位）", "（二级单位）", "（窗口科室）", "（所属企业）"];

/** How often each category turns up (the common taxonomy's codes). */
export const CATEGORY_WEIGHTS: Record<string, number> = {
  "leadership.decisions": 8, "leadership.responsibility": 7, "party_building.organization": 7, "party_building.life": 5,
  "strict_governance.supervision": 6, "strict_governance.four_forms": 3, "discipline.political": 3,
  "discipline.organizational": 6, "discipline.integrity": 8, "discipline.mass": 4, "discipline.work": 6, "discipline.life": 1,
  "four_styles.formalism": 5, "four_styles.bureaucratism": 3, "four_styles.hedonism": 4, "four_styles.extravagance": 3,
  appointments: 7, rectification: 4, ideology: 3, fiscal_funds: 4, other: 2,
};

/**
 * 哈尔滨's 815 by category (seed 004: 469 violations of the six disciplines, 69 四风
 * problems, 23 of misused fiscal funds; the rest the "three big problems" and others).
 */
const HRB_CATEGORY_COUNTS: Record<string, number> = {
  "discipline.political": 40, "discipline.organizational": 110, "discipline.integrity": 150, "discipline.mass": 60,
  "discipline.work": 85, "discipline.life": 24,
  "four_styles.formalism": 25, "four_styles.bureaucratism": 16, "four_styles.hedonism": 16, "four_styles.extravagance": 12,
  fiscal_funds: 23,
  "leadership.decisions": 45, "leadership.responsibility": 35, "party_building.organization": 40, "party_building.life": 30,
  "strict_governance.supervision": 30, "strict_governance.four_forms": 14, appointments: 30, rectification: 12,
  ideology: 12, other: 6,
};

/** Categories where 四种形态 applies to the people involved. */
export const FORM_CODES = /^(discipline\.|four_styles\.(hedonism|extravagance)|fiscal_funds|appointments)/;
/** Categories that usually yield a problem lead. */
export const LEAD_CODES = /^(discipline\.(integrity|organizational|mass|life)|fiscal_funds|four_styles\.(hedonism|extravagance)|appointments)/;

export const EVIDENCE = ["个别谈话记录{k}份", "党组（党委）会议记录复印件（第{n}—{m2}页）", "财务凭证复印件{n}张", "合同及招投标资料{k}份",
  "干部选拔任用档案摘录", "问卷调查和民主测评汇总表", "暗访照片{k}张", "被巡察单位提供的情况说明", "相关制度文件汇编"];

const PAPER_RETURNS = [
  "证据材料不够充分，请补充调阅的会议记录页码和谈话笔录。",
  "问题定性不够准确，请对照《中国共产党纪律处分条例》相关条款重新表述。",
  "事实表述与附件不一致，涉及金额请再次核对。",
  "请补充与相关当事人的核实情况，明确责任主体。",
];

const TOP_MEASURES: Record<string, string> = {
  leadership: "建立贯彻落实重大决策部署督办台账，明确责任人和完成时限，每月调度推进情况",
  party_building: "对照《中国共产党支部工作条例（试行）》逐项整改，按期完成支部换届，规范“三会一课”记录",
  strict_governance: "修订全面从严治党主体责任清单，开展廉政风险点排查，对相关人员开展提醒谈话",
  discipline: "对涉及人员进行批评教育，责令退还违规所得，涉嫌违纪问题按程序移交纪检监察机关",
  four_styles: "开展作风建设专项整治，精简文件会议，清理规范公务用车、办公用房和公务接待",
  appointments: "对照《党政领导干部选拔任用工作条例》全面自查干部档案，补齐缺失材料，制定干部交流轮岗计划",
  rectification: "对上轮巡察整改事项逐项开展“回头看”，重新制定整改措施，逐项销号",
  ideology: "修订意识形态工作责任制实施办法，每半年开展一次意识形态领域形势研判，加强阵地管理",
  fiscal_funds: "追回（调整）违规使用的资金，规范专项资金管理，建立资金使用台账",
  other: "制定专项整改方案，明确责任部门，限期整改到位",
};
const TOP_RULES: Record<string, string> = {
  leadership: "党组（党委）议事规则", party_building: "党支部工作规范", strict_governance: "全面从严治党主体责任清单",
  discipline: "廉政风险防控办法", four_styles: "公务接待和公务用车管理办法", appointments: "干部选拔任用工作实施细则",
  rectification: "巡察整改工作台账管理办法", ideology: "意识形态工作责任制实施细则", fiscal_funds: "财务管理和内部控制制度",
  other: "内部管理制度",
};
const TOP_DEPARTMENTS: Record<string, string[]> = {
  leadership: ["办公室", "综合科"], party_building: ["机关党委", "机关党委办公室"], strict_governance: ["机关纪委", "机关党委"],
  discipline: ["机关纪委", "财务科", "组织人事科"], four_styles: ["办公室", "财务科"], appointments: ["组织人事科"],
  rectification: ["办公室", "督查科"], ideology: ["宣传科", "机关党委"], fiscal_funds: ["财务科", "计划财务科"], other: ["办公室"],
};

const UPDATE_FIRST = [
  "已召开党组（党委）会议专题研究，制定具体整改措施，明确责任领导、责任部门和完成时限。",
  "已完成问题全面自查，建立整改台账，逐项明确整改措施。",
  "已组织相关科室开展专项检查，摸清问题底数，正在推进整改。",
];
const UPDATE_ONGOING = [
  "整改工作正在推进中，已完成阶段性任务，剩余事项计划按期完成。",
  "受项目审批周期影响，部分整改事项进度滞后，已制定推进计划，加快落实。",
  "已起草相关制度文件初稿，正在征求意见，预计按期印发。",
];
const UPDATE_DONE = [
  "整改措施已全部落实，《{rule}》已印发实施，相关佐证材料已上传，申请销号。",
  "已完成整改，违规资金{amt}万元已全部追回（清退），建立长效管理台账，申请销号。",
  "已对相关责任人进行批评教育和提醒谈话，修订完善制度{k}项，整改到位，申请销号。",
];
const UPDATE_LONG_TERM = "已将该项工作纳入年度工作要点，建立常态化工作机制，每季度开展一次自查。";
const UPDATE_IMMEDIATE = "巡察期间即行整改，已完成整改并建立台账，相关佐证材料已上传。";
const ITEM_RETURNS = [
  "整改佐证材料不充分，请补充相关制度文件和资金退还凭证。",
  "整改措施未完全落实到位，存在表面整改问题，请继续整改。",
  "整改完成情况与台账记载不一致，请核实后重新报送。",
];
const LOOK_BACK = "“回头看”发现同类问题再次出现，整改成效未巩固，重新打开督办。";

const PLAN_RETURNS = [
  "整改方案中部分整改措施针对性不强，责任分工不够具体，完成时限不明确，请修改完善后重新报送。",
  "整改方案对问题根源剖析不深，长效机制建设措施缺失，请补充完善后重新报送。",
];
const PROGRESS_RETURNS = [
  "报告对未完成整改事项的原因分析不够深入，佐证材料不全，请补充后重新报送。",
  "报告所列整改完成情况与整改台账不一致，请核实后重新报送。",
];

/** The issue a lead is about, by the source problem's category. */
export const LEAD_ISSUES: [RegExp, string][] = [
  [/integrity/, "利用职务便利为他人谋取利益、收受管理服务对象财物"],
  [/organizational/, "个人有关事项报告不如实、违规干预干部选拔任用"],
  [/fiscal_funds/, "违规使用、套取财政专项资金"],
  [/extravagance/, "违规公款吃喝、超标准公务接待"],
  [/hedonism/, "公车私用、违规报销差旅费用"],
  [/mass/, "在惠民资金发放中优亲厚友、虚报冒领"],
  [/life/, "生活作风问题"],
  [/appointments/, "在干部选拔任用中违规操作"],
  [/work/, "履职不力、失职失责造成损失"],
];
const PETITION_ISSUES: [RegExp, string][] = [
  [/八项规定/, "违反中央八项规定精神"], [/廉洁/, "违反廉洁纪律、利用职务便利谋取私利"], [/选人用人/, "选人用人中违规操作"],
  [/群众纪律/, "侵害群众利益"], [/形式主义/, "形式主义官僚主义问题"], [/整改/, "巡视巡察整改弄虚作假"],
];

// ---------------------------------------------------------------- small helpers

const DAY = 86_400_000;
export const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY);
export const minDate = (...ds: string[]) => ds.reduce((x, y) => (y < x ? y : x));
const maxDate = (...ds: string[]) => ds.reduce((x, y) => (y > x ? y : x));
/** A time of day on `date`; a higher slot is later the same day, so a chain of steps stays in order. */
export const stamp = (date: string, slot: number, rand: Rand) =>
  `${date}T${String(8 + Math.min(slot, 10)).padStart(2, "0")}:${String(Math.floor(rand() * 60)).padStart(2, "0")}:00+08:00`;

function fill(template: string, values: Record<string, string | number>) {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ""));
}

/** Splits `total` in proportion to the weights, exactly. */
export function distribute(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k++, rest--) out[order[k % order.length][1]]++;
  return out;
}

const OFFICE_ABBR: Record<string, string> = { "230000": "黑巡", "230100": "哈巡", "230102": "里巡", "230103": "南巡", "330000": "浙巡" };
export const WORD = (level: string) => (level === "province" ? "巡视" : "巡察");

// ---------------------------------------------------------------- the rows we plan

interface Eng {
  id: number; roundId: number; roundNumber: number; roundYear: number; roundKind: string; roundStatus: string;
  supId: number; supCode: string; supName: string; supLevel: string; exeId: number; exeCode: string;
  groupId: number; groupName: string; unitId: number; unitName: string; category: string; headLevel: string;
  mode: string; targetOrgId: number; provinceId: number;
  stationedOn: string; withdrawnOn: string | null; reportedOn: string | null; feedbackOn: string | null; rectificationDue: string | null;
}
interface Member { id: number; groupId: number; role: GroupRole; name: string; userId: string | null }
interface Review { step: PaperStatus; action: "submit" | "approve" | "return"; comment: string | null; actedAs: GroupRole | null; actedBy: string | null; at: string }
interface Paper {
  e: Eng; code: string; categoryId: number; topId: number; topCode: string; title: string; facts: string; evidence: string;
  severity: Severity; form: number | null; onSpot: boolean; handler: Member | null; status: PaperStatus;
  createdAt: string; statusAt: string; reviews: Review[]; createdBy: string | null; id?: number; problem?: Problem;
}
interface ItemEvent { action: "confirm" | "verify" | "return" | "reopen"; at: string; reason: string | null; lookBack: boolean; actedBy: string | null }
interface Item {
  p: Problem; kind: ItemKind; deadline: string | null; measures: string; leader: string; department: string; person: string;
  leaderUser: string | null; personUser: string | null; status: ItemStatus; createdAt: string; statusAt: string;
  returned: number; reopened: number; events: ItemEvent[]; updates: { on: string; text: string; at: string; by: string | null }[];
  /** When it was closed (for the progress reports' counts). */
  closedOn: string | null;
  id?: number;
}
interface Problem {
  paper: Paper; e: Eng; seq: number; createdAt: string; rectified: boolean; mainKind: ItemKind; extraLongTerm: boolean;
  items: Item[]; id?: number;
}
interface Report {
  e: Eng; kind: "plan" | "progress"; title: string; content: string; status: "submitted" | "accepted" | "returned";
  submittedAt: string; submittedBy: string | null; comment: string | null; reviewedAt: string | null; reviewedBy: string | null; id?: number;
}
interface Lead {
  e: Eng; seq: number; problem: Problem | null; petitionId: number | null; summary: string;
  person: { name: string; post: string | null; level: string | null };
  createdAt: string; partner: { id: number; name: string } | null; transferredOn: string | null; documentNo: string | null;
  handlings: { stage: string; on: string; note: string; sanctioned: number; judicial: number }[];
  id?: number;
}

interface Context {
  today: string;
  yesterday: string;
  engagements: Eng[];
  members: Map<number, Member[]>;
  categories: Map<string, { id: number; parentId: number | null }>;
  partners: { id: number; name: string; attachedId: number }[];
  users: Map<string, { id: string; name: string }>;
  /** An office's account that reviews (its director, else its staff). */
  reviewerOf: Map<number, string>;
  petitions: Map<number, { id: number; name: string | null; post: string | null; level: string | null; classification: string | null; disposition: string | null; receivedOn: string }[]>;
}

async function loadContext(tx: Tx): Promise<Context> {
  const [{ today }] = await tx<{ today: string }[]>`select current_date::text as today`;
  const engagements = await tx<Eng[]>`
    select e.id::int as id, e.round_id::int as "roundId", r.number as "roundNumber", r.year as "roundYear",
           r.kind::text as "roundKind", r.status::text as "roundStatus",
           e.supervising_org_id as "supId", so.region_code as "supCode", so.name as "supName", so.level::text as "supLevel",
           e.executing_org_id as "exeId", xo.region_code as "exeCode",
           e.group_id::int as "groupId", e.group_name as "groupName", e.unit_id::int as "unitId", e.unit_name as "unitName",
           u.category::text as category, u.head_level::text as "headLevel", e.mode::text as mode,
           e.target_org_id as "targetOrgId", e.province_id as "provinceId",
           e.stationed_on::text as "stationedOn", e.withdrawn_on::text as "withdrawnOn", e.reported_on::text as "reportedOn",
           e.feedback_on::text as "feedbackOn", e.rectification_due::text as "rectificationDue"
      from public.engagements e
      join public.rounds r on r.id = e.round_id
      join public.orgs so on so.id = e.supervising_org_id
      join public.orgs xo on xo.id = e.executing_org_id
      join public.units u on u.id = e.unit_id
     where e.stationed_on is not null
       and so.region_code <> all(${ZJ_LOCAL_OFFICES.map((o) => o.code)}::text[]) -- their own: supabase/seed/zhejiang.ts
     order by e.id`;
  const memberRows = await tx<Member[]>`
    select gm.id::int as id, gm.group_id::int as "groupId", gm.role::text as role, c.name, c.user_id as "userId"
      from public.group_members gm join public.cadres c on c.id = gm.cadre_id order by gm.id`;
  const members = new Map<number, Member[]>();
  for (const m of memberRows) members.set(m.groupId, [...(members.get(m.groupId) ?? []), m]);
  const cats = await tx<{ id: number; code: string; parentId: number | null }[]>`
    select id::int as id, code, parent_id::int as "parentId" from public.problem_categories where org_id is null`;
  const partners = await tx<{ id: number; name: string; attachedId: number }[]>`
    select id, name, attached_org_id as "attachedId" from public.orgs where kind = 'supervision_partner' order by id`;
  const userRows = await tx<{ id: string; email: string; name: string }[]>`
    select id, email, coalesce(raw_user_meta_data ->> 'display_name', email) as name from auth.users`;
  const reviewers = await tx<{ orgId: number; userId: string }[]>`
    select distinct on (m.org_id) m.org_id as "orgId", m.user_id as "userId" from public.memberships m
     where m.role in ('office_director', 'office_staff') order by m.org_id, m.role, m.id`;
  const petitionRows = await tx<{ id: number; engagementId: number; name: string | null; post: string | null; level: string | null;
    classification: string | null; disposition: string | null; receivedOn: string }[]>`
    select id::int as id, engagement_id::int as "engagementId", reported_name as name, reported_post as post,
           reported_level::text as level, classification, disposition::text as disposition,
           (received_at at time zone 'Asia/Shanghai')::date::text as "receivedOn"
      from public.petitions order by id`;
  const petitions = new Map<number, Context["petitions"] extends Map<number, infer V> ? V : never>();
  for (const p of petitionRows) petitions.set(p.engagementId, [...(petitions.get(p.engagementId) ?? []), p]);
  return {
    today, yesterday: addDays(today, -1), engagements, members,
    categories: new Map(cats.map((c) => [c.code, { id: c.id, parentId: c.parentId }])),
    partners,
    users: new Map(userRows.map((u) => [u.email, { id: u.id, name: u.name }])),
    reviewerOf: new Map(reviewers.map((r) => [r.orgId, r.userId])),
    petitions,
  };
}

// ---------------------------------------------------------------- which engagements carry which figures

const HRB = "230100";
const ZJ = "330000";
const FINANCE_UNIT = "哈尔滨市财政局";
/** Seed 004's four batches: 哈尔滨's rounds 1–4 (see the header). */
const isHrbFigure = (e: Eng) => e.supCode === HRB && e.roundNumber <= 4 && e.withdrawnOn !== null;
/** Seed 003's three rounds (2,101 problems) and the rounds over which its rate is counted. */
const isZjFound = (e: Eng) => e.supCode === ZJ && e.roundNumber <= 3;
const isZjRate = (e: Eng) => e.supCode === ZJ && e.roundNumber <= 4;
const SEED_004 = { problems: 815, onTheSpot: 183, deadline: 484, leads: 148, finance: 22 };
/** 2,101 + 165 = 2,266 fed back (all problems of rounds 1–4 are). */
const SEED_003 = { problems: 2101, nextRound: 165, rectified: 1903 };

/**
 * Findings and rectification of every stationed engagement. Idempotent: skipped when any
 * working paper exists. Returns whether it seeded.
 */
export async function seedFindings(tx: Tx): Promise<boolean> {
  const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from public.working_papers`;
  if (n > 0) return false;
  const ctx = await loadContext(tx);
  if (!ctx.engagements.length) return false;
  const rand = lcg(2017_0209);
  const papers = planPapers(ctx, rand);
  const problems = planProblems(ctx, papers, rand);
  const reports = planRectification(ctx, problems, rand);
  const leads = planLeads(ctx, problems, rand);

  // The history's bulk (papers, reviews, problems, ledger items, events, progress) goes in
  // with the triggers off where the owner may do that (see quietly): every row carries
  // the columns the triggers would derive, its final status and the dates it happened on,
  // and assertConsistent checks the result against the rules the triggers apply.
  const fed = ctx.engagements.filter((e) => e.feedbackOn);
  const feedbackIds = new Map<number, number>();
  const feedbackRows = planFeedbacks(ctx, fed, rand);
  (await insertRows(tx, "public.feedbacks", feedbackRows)).forEach((row, i) => feedbackIds.set(fed[i].id, row.id));
  const scope = (e: Eng) => ({
    supervising_org_id: e.supId, executing_org_id: e.exeId, group_id: e.groupId, unit_id: e.unitId,
    target_visible_org_id: e.mode !== "regular" ? e.targetOrgId : null, province_id: e.provinceId,
  });
  const items = problems.flatMap((p) => p.items);
  await quietly(tx, async () => {
    const seqs = new Map<number, number>();
    const paperIds = await insertRows(tx, "public.working_papers", papers.map((p) => {
      const seq = (seqs.get(p.e.id) ?? 0) + 1;
      seqs.set(p.e.id, seq);
      return {
        engagement_id: p.e.id, executing_org_id: p.e.exeId, group_id: p.e.groupId, province_id: p.e.provinceId, seq,
        title: p.title, facts: p.facts, evidence: p.evidence, category_id: p.categoryId, severity: p.severity,
        discipline_form: p.form, on_the_spot: p.onSpot, handler_member_id: p.handler?.id ?? null, status: p.status,
        status_changed_at: p.statusAt, created_at: p.createdAt, created_by: p.createdBy, updated_at: p.statusAt,
      };
    }));
    papers.forEach((p, i) => (p.id = paperIds[i].id));
    await insertRows(tx, "public.working_paper_reviews", papers.flatMap((p) => p.reviews.map((r) => ({
      paper_id: p.id, executing_org_id: p.e.exeId, group_id: p.e.groupId, province_id: p.e.provinceId, step: r.step,
      action: r.action, comment: r.comment, acted_as: r.actedAs, acted_by: r.actedBy, acted_at: r.at,
    }))));
    // The problem list, fed back where the engagement has had feedback.
    const problemIds = await insertRows(tx, "public.problems", problems.map((p) => ({
      engagement_id: p.e.id, working_paper_id: p.paper.id, supervising_org_id: p.e.supId, executing_org_id: p.e.exeId,
      group_id: p.e.groupId, unit_id: p.e.unitId, target_visible_org_id: p.e.mode !== "regular" ? p.e.targetOrgId : null,
      province_id: p.e.provinceId, seq: p.seq, title: p.paper.title, description: p.paper.facts, category_id: p.paper.categoryId,
      top_category_id: p.paper.topId, severity: p.paper.severity, discipline_form: p.paper.form, on_the_spot: p.paper.onSpot,
      feedback_id: feedbackIds.get(p.e.id) ?? null, created_at: p.createdAt,
    })));
    problems.forEach((p, i) => (p.id = problemIds[i].id));
    // Ledger items (the four lists), their double-review events and progress.
    const itemIds = await insertRows(tx, "public.rectification_items", items.map((it) => ({
      problem_id: it.p.id, engagement_id: it.p.e.id, ...scope(it.p.e), measures: it.measures, responsible_leader: it.leader,
      responsible_department: it.department, responsible_person: it.person, responsible_leader_user_id: it.leaderUser,
      responsible_person_user_id: it.personUser, kind: it.kind, deadline: it.deadline, status: it.status,
      status_changed_at: it.statusAt, returned_count: it.returned, reopened_count: it.reopened, created_at: it.createdAt,
      updated_at: it.statusAt,
    })));
    items.forEach((it, i) => (it.id = itemIds[i].id));
    await insertRows(tx, "public.rectification_item_events", items.flatMap((it) => it.events.map((ev) => ({
      item_id: it.id, ...scope(it.p.e), action: ev.action, look_back: ev.lookBack, reason: ev.reason, acted_by: ev.actedBy, acted_at: ev.at,
    }))));
    await insertRows(tx, "public.rectification_updates", items.flatMap((it) => it.updates.map((u) => ({
      item_id: it.id, ...scope(it.p.e), reported_on: u.on, progress: u.text, created_at: u.at, created_by: u.by,
    }))));
  });

  // Plans and progress reports, numbered per engagement and kind (第N次报送).
  await quietly(tx, async () => {
    const seqs = new Map<string, number>();
    const ids = await insertRows(tx, "public.rectification_reports", reports.map((r) => {
      const key = `${r.e.id}:${r.kind}`;
      const seq = (seqs.get(key) ?? 0) + 1;
      seqs.set(key, seq);
      return {
        engagement_id: r.e.id, feedback_id: feedbackIds.get(r.e.id), ...scope(r.e), kind: r.kind, seq, title: r.title,
        content: r.content, status: r.status, submitted_at: r.submittedAt, submitted_by: r.submittedBy, review_comment: r.comment,
        reviewed_at: r.reviewedAt, reviewed_by: r.reviewedBy,
      };
    }));
    reports.forEach((r, i) => (r.id = ids[i].id));
  });

  // Leads, the persons concerned (kept apart) and the partners' handling.
  const leadIds = await insertRows(tx, "private.leads", leads.map((l) => ({
    engagement_id: l.e.id, supervising_org_id: l.e.supId, executing_org_id: l.e.exeId, group_id: l.e.groupId,
    province_id: l.e.provinceId, seq: l.seq, problem_id: l.problem?.id ?? null, petition_id: l.petitionId, summary: l.summary,
    receiver: l.partner ? (/组织部/.test(l.partner.name) ? "organization" : "discipline") : null,
    receiving_org_id: l.partner?.id ?? null, transferred_on: l.transferredOn, document_no: l.documentNo,
    stage: l.handlings.at(-1)?.stage ?? (l.transferredOn ? "transferred" : "registered"),
    sanctioned_persons: l.handlings.reduce((s, h) => s + h.sanctioned, 0),
    judicial_persons: l.handlings.reduce((s, h) => s + h.judicial, 0),
    created_at: l.createdAt, updated_at: l.handlings.length ? stamp(l.handlings.at(-1)!.on, 3, rand) : l.transferredOn ? stamp(l.transferredOn, 2, rand) : l.createdAt,
  })));
  leads.forEach((l, i) => (l.id = leadIds[i].id));
  await insertRows(tx, "private.lead_persons", leads.map((l) => ({
    lead_id: l.id, person_name: l.person.name, person_post: l.person.post, person_level: l.person.level,
  })), "lead_id");
  await insertRows(tx, "private.lead_handlings", leads.flatMap((l) => l.handlings.map((h, i) => ({
    lead_id: l.id, receiving_org_id: l.partner!.id, stage: h.stage, occurred_on: h.on, note: h.note,
    sanctioned_persons: h.sanctioned, judicial_persons: h.judicial, recorded_at: stamp(h.on, 4 + i, rand),
  }))));

  const evaluated = await seedEvaluations(tx, ctx, problems, rand);
  const disclosure = await seedDisclosure(tx, ctx, problems, rand);

  // The database stamps evaluations and the publication with now(); the history's dates instead.
  await quietly(tx, async () => {
    for (const [table, columns, rows] of [...evaluated, ...disclosure]) await updateRows(tx, table, columns, rows);
  });
  await seedNotices(tx, ctx, { reports, items, leads }, rand);
  await assertConsistent(tx);
  return true;
}

/**
 * The rules the working-paper and rectification triggers enforce, checked once over the
 * rows written with the triggers off (papers and problems: of the given engagements
 * only, when given), and the leads' outcomes against their handling: a seed that breaks
 * one fails loudly.
 */
export async function assertConsistent(tx: Tx, engagements: number[] | null = null) {
  const [row] = await tx<Record<string, number>[]>`
    select
      (select count(*) from public.working_papers w join public.engagements e on e.id = w.engagement_id
        where (${engagements}::bigint[] is null or w.engagement_id = any(${engagements}::bigint[]))
          and (w.executing_org_id <> e.executing_org_id or w.group_id <> e.group_id or w.province_id <> e.province_id
           or e.stationed_on is null or w.created_at::date < e.stationed_on or w.status_changed_at < w.created_at
           or (w.handler_member_id is not null and not exists (
                select 1 from public.group_members gm where gm.id = w.handler_member_id and gm.group_id = e.group_id))))::int as papers,
      (select count(*) from public.problems p join public.working_papers w on w.id = p.working_paper_id
         join public.engagements e on e.id = p.engagement_id join public.problem_categories c on c.id = p.category_id
        where (${engagements}::bigint[] is null or p.engagement_id = any(${engagements}::bigint[]))
          and (w.status <> 'approved' or p.engagement_id <> w.engagement_id or p.title <> w.title
           or p.supervising_org_id <> e.supervising_org_id or p.unit_id <> e.unit_id
           or p.top_category_id <> coalesce(c.parent_id, c.id)))::int
        + (select count(*) from public.working_papers w
            where (${engagements}::bigint[] is null or w.engagement_id = any(${engagements}::bigint[]))
              and w.status = 'approved' and not exists (select 1 from public.problems p where p.working_paper_id = w.id))::int as problems,
      (select count(*) from private.leads l
        where l.sanctioned_persons <> coalesce((select sum(h.sanctioned_persons) from private.lead_handlings h where h.lead_id = l.id), 0)
           or l.judicial_persons <> coalesce((select sum(h.judicial_persons) from private.lead_handlings h where h.lead_id = l.id), 0)
           or l.stage <> coalesce((select h.stage from private.lead_handlings h where h.lead_id = l.id order by h.recorded_at desc limit 1),
                                  case when l.transferred_on is null then 'registered' else 'transferred' end::public.lead_stage)
           or (l.transferred_on is not null and not exists (
                select 1 from public.orgs o where o.id = l.receiving_org_id and o.kind = 'supervision_partner'
                   and o.attached_org_id in (l.executing_org_id, l.supervising_org_id)))
           or exists (select 1 from private.lead_handlings h where h.lead_id = l.id
                       and (h.receiving_org_id <> l.receiving_org_id or h.occurred_on < l.transferred_on or h.occurred_on > current_date))
           or (l.problem_id is not null and not exists (
                select 1 from public.problems p where p.id = l.problem_id and p.engagement_id = l.engagement_id)))::int as leads,
      (select count(*) from public.rectification_items i join public.problems p on p.id = i.problem_id
         join public.feedbacks f on f.id = p.feedback_id
        where i.engagement_id <> p.engagement_id or i.unit_id <> f.unit_id or i.supervising_org_id <> f.supervising_org_id
           or i.deadline < f.feedback_on or (i.kind <> 'long_term' and i.deadline is null)
           or (i.responsible_person_user_id is not null and not i.responsible_person_user_id = any (private.unit_users(f.unit_id, false)))
           or (i.responsible_leader_user_id is not null and not i.responsible_leader_user_id = any (private.unit_users(f.unit_id, false))))::int
        + (select count(*) from public.rectification_items i join public.problems p on p.id = i.problem_id where p.feedback_id is null)::int as items,
      (select count(*) from public.rectification_items i where i.status <> 'open'
          and not exists (select 1 from public.rectification_updates u where u.item_id = i.id))::int as confirmations,
      (select count(*) from public.rectification_updates u where u.reported_on > current_date)::int as updates,
      (select count(*) from (select 1 from public.rectification_reports r where r.status = 'submitted'
                              group by r.engagement_id, r.kind having count(*) > 1) x)::int
        + (select count(*) from public.rectification_reports r
            where r.submitted_at::date < (select f.feedback_on from public.feedbacks f where f.id = r.feedback_id)
               or (r.kind = 'progress' and not exists (
                    select 1 from public.rectification_reports p where p.engagement_id = r.engagement_id and p.kind = 'plan'
                       and p.status = 'accepted' and p.reviewed_at < r.submitted_at)))::int as reports`;
  const broken = Object.entries(row).filter(([, n]) => n > 0);
  if (broken.length) throw new Error(`seed: findings break the rules: ${broken.map(([k, n]) => `${k} ${n}`).join(", ")}`);
}

/** Updates many rows by id in one statement (the triggers run for every row). */
async function updateRows(tx: Tx, table: string, columns: Record<string, string>, rows: ({ id: number } & Record<string, unknown>)[]) {
  if (!rows.length) return;
  const names = Object.keys(columns);
  await tx.unsafe(
    `update ${table} t set ${names.map((c) => `${c} = x.${c}`).join(", ")}
       from json_to_recordset($1::text::json) as x(id bigint, ${names.map((c) => `${c} ${columns[c]}`).join(", ")})
      where t.id = x.id`,
    [JSON.stringify(rows)],
  );
}

type Backdating = [table: string, columns: Record<string, string>, rows: ({ id: number } & Record<string, unknown>)[]];

/**
 * Runs history writes with the triggers off (session_replication_role = replica, an
 * owner's privilege): the rows carry every column the triggers would derive, and the
 * timestamps the triggers would stamp with now() get the history's dates. Without that
 * privilege the same statements run with the triggers on (slower; today's timestamps).
 */
export async function quietly(tx: Tx, fn: () => Promise<void>) {
  const [{ superuser }] = await tx<{ superuser: boolean }[]>`select rolsuper as superuser from pg_roles where rolname = current_user`;
  if (superuser) await tx`set local session_replication_role = replica`;
  try {
    await fn();
  } finally {
    if (superuser) await tx`set local session_replication_role = origin`;
  }
}

// ---------------------------------------------------------------- working papers

/** How many problems each withdrawn engagement yields (exact where a seed gives the figure). */
function problemCounts(ctx: Context, rand: Rand): Map<number, number> {
  const counts = new Map<number, number>();
  const withdrawn = ctx.engagements.filter((e) => e.withdrawnOn);
  const hrb = withdrawn.filter(isHrbFigure);
  const finance = hrb.find((e) => e.unitName === FINANCE_UNIT);
  const rest = hrb.filter((e) => e !== finance);
  distribute(SEED_004.problems - (finance ? SEED_004.finance : 0), rest.map(() => 0.7 + rand() * 0.6))
    .forEach((c, i) => counts.set(rest[i].id, c));
  if (finance) counts.set(finance.id, SEED_004.finance);
  const weight = (e: Eng) => (e.category === "city" || e.category === "county" ? 1.3 : 1) * (0.75 + rand() * 0.5);
  const zjFound = withdrawn.filter(isZjFound);
  distribute(SEED_003.problems, zjFound.map(weight)).forEach((c, i) => counts.set(zjFound[i].id, c));
  const zjNext = withdrawn.filter((e) => isZjRate(e) && !isZjFound(e));
  distribute(SEED_003.nextRound, zjNext.map(weight)).forEach((c, i) => counts.set(zjNext[i].id, c));
  for (const e of withdrawn) {
    if (counts.has(e.id)) continue;
    const n = e.supLevel === "county" ? 5 + rand() * 6
      : e.roundKind === "lookback" ? 5 + rand() * 6
      : 10 + rand() * 9;
    counts.set(e.id, Math.floor(n));
  }
  return counts;
}

/** Papers of the withdrawn engagements (approved ones become problems), and hrb.member's group's drafts. */
function planPapers(ctx: Context, rand: Rand): Paper[] {
  const pick = pickOf(rand);
  const counts = problemCounts(ctx, rand);
  const weighted = Object.entries(CATEGORY_WEIGHTS);
  const totalWeight = weighted.reduce((s, [, w]) => s + w, 0);
  const randomCode = () => {
    let x = rand() * totalWeight;
    for (const [code, w] of weighted) if ((x -= w) < 0) return code;
    return "other";
  };
  // 哈尔滨's categories are dealt from the seed's exact counts.
  const hrbCodes = shuffle(Object.entries(HRB_CATEGORY_COUNTS).flatMap(([code, c]) => Array<string>(c).fill(code)), rand);
  const out: Paper[] = [];
  for (const e of ctx.engagements.filter((x) => x.withdrawnOn)) {
    const members = ctx.members.get(e.groupId) ?? [];
    const titles = new Set<string>();
    const count = counts.get(e.id) ?? 0;
    const extra = e.roundKind === "lookback" && !e.reportedOn ? 2 + Math.floor(rand() * 3) : 0;
    for (let i = 0; i < count + extra; i++) {
      const code = isHrbFigure(e) && i < count ? hrbCodes.pop()! : randomCode();
      const paper = newPaper(ctx, e, code, members, titles, rand, pick);
      if (i < count) approve(paper, e, members, rand, ctx.yesterday);
      else pending(paper, e, members, rand, ctx.yesterday, pick([ "deputy_review", "leader_review", "meeting_review", "drafting"] as const));
      out.push(paper);
    }
  }
  // 立行立改: 183 of 哈尔滨's 815 (general ones first), about 22% elsewhere.
  const hrb = shuffle(out.filter((p) => isHrbFigure(p.e) && p.status === "approved"), rand)
    .sort((a, b) => Number(a.severity !== "general") - Number(b.severity !== "general"));
  hrb.slice(0, SEED_004.onTheSpot).forEach((p) => (p.onSpot = true));
  for (const p of out) if (!isHrbFigure(p.e) && p.severity !== "grave" && rand() < 0.235) p.onSpot = true;
  out.push(...memberDrafts(ctx, rand));
  return out;
}

function newPaper(ctx: Context, e: Eng, code: string, members: Member[], titles: Set<string>, rand: Rand,
  pick: ReturnType<typeof pickOf>): Paper {
  const templates = shuffle([...FINDINGS[code]], rand);
  // A second problem of a kind already found gets another template while there is one.
  const fresh = templates.find(([t]) => !titles.has(t));
  const [title, facts] = fresh ?? templates[0];
  titles.add(title);
  const duplicate = !fresh;
  const n = 6 + Math.floor(rand() * 25);
  const values = {
    unit: e.unitName, y: e.roundYear - 2, n, m: 2 + Math.floor(rand() * Math.min(n - 2, 8)), k: 1 + Math.floor(rand() * 4),
    amt: (3 + rand() * 380).toFixed(1), p: 30 + Math.floor(rand() * 50), m2: n + 2 + Math.floor(rand() * 8),
  };
  const cat = ctx.categories.get(code)!;
  const asTop = cat.parentId !== null && rand() < 0.1;
  const categoryId = asTop ? cat.parentId! : cat.id;
  const topId = cat.parentId ?? cat.id;
  const heavy = /integrity|fiscal_funds/.test(code);
  const r = rand();
  const severity: Severity = r < (heavy ? 0.5 : 0.68) ? "general" : r < (heavy ? 0.88 : 0.95) ? "serious" : "grave";
  let form: number | null = null;
  if (FORM_CODES.test(code)) {
    const f = rand();
    form = severity === "general" ? (f < 0.75 ? 1 : 2) : severity === "serious" ? (f < 0.2 ? 1 : f < 0.9 ? 2 : 3) : (f < 0.15 ? 2 : f < 0.75 ? 3 : 4);
  }
  const evidence = shuffle([...EVIDENCE], rand).slice(0, 2 + Math.floor(rand() * 2)).map((x) => fill(x, values)).join("；");
  const handlers = members.filter((m) => m.role === "member" || m.role === "liaison");
  return {
    e, code, categoryId, topId, topCode: code.split(".")[0],
    title: ofUnit(duplicate ? `${title}${pick(SCOPES)}` : title, e), facts: ofUnit(fill(facts, values), e), evidence: ofUnit(evidence, e), severity, form, onSpot: false,
    handler: handlers.length ? pick(handlers) : members[0] ?? null, status: "drafting", createdAt: "", statusAt: "", reviews: [],
    createdBy: null,
  };
}

/** What "党组（党委）" is for the unit: a party committee's 常委会, a university's or enterprise's 党委, else 党组. */
export function organWord(e: { category: string }): string {
  if (e.category === "city" || e.category === "county") return "常委会";
  if (["university", "soe", "township", "village"].includes(e.category)) return "党委";
  return "党组";
}
const ofUnit = (text: string, e: Eng) => text.replace(/党组（党委）/g, organWord(e));

function between(a: string, b: string, rand: Rand): string {
  const span = daysBetween(a, b);
  return span <= 0 ? a : addDays(a, Math.floor(rand() * (span + 1)));
}

/** The review chain of an approved paper: submit, 副组长, 组长, 组务会 (sometimes a return first). */
function approve(p: Paper, e: Eng, members: Member[], rand: Rand, yesterday: string) {
  const limit = minDate(e.reportedOn ? addDays(e.reportedOn, -1) : addDays(e.withdrawnOn!, 12), yesterday);
  const created = between(addDays(e.stationedOn, 3), addDays(e.withdrawnOn!, -6), rand);
  const deputy = members.find((m) => m.role === "deputy") ?? members.find((m) => m.role === "leader") ?? null;
  const leader = members.find((m) => m.role === "leader") ?? null;
  const steps: [PaperStatus, Review["action"], Member | null, string | null][] = [];
  if (rand() < 0.08) steps.push(["drafting", "submit", p.handler, null], ["deputy_review", "return", deputy, pickOf(rand)(PAPER_RETURNS)]);
  steps.push(["drafting", "submit", p.handler, null], ["deputy_review", "approve", deputy, null],
    ["leader_review", "approve", leader, null], ["meeting_review", "approve", leader, rand() < 0.3 ? "组务会审议通过，列入问题清单。" : null]);
  let day = created;
  p.createdAt = stamp(created, 0, rand);
  p.reviews = steps.map(([step, action, who, comment], i) => {
    day = minDate(addDays(day, i === 0 ? Math.floor(rand() * 3) : 1 + Math.floor(rand() * 3)), limit);
    if (day < created) day = created;
    return { step, action, comment, actedAs: who?.role ?? null, actedBy: who?.userId ?? null, at: stamp(day, i + 1, rand) };
  });
  p.status = "approved";
  p.statusAt = p.reviews.at(-1)!.at;
}

/** A paper still in the chain (or returned to its drafter). */
function pending(p: Paper, e: Eng, members: Member[], rand: Rand, yesterday: string, status: PaperStatus) {
  const created = between(addDays(e.stationedOn, 5), minDate(addDays(e.withdrawnOn!, -2), yesterday), rand);
  const deputy = members.find((m) => m.role === "deputy") ?? members.find((m) => m.role === "leader") ?? null;
  const leader = members.find((m) => m.role === "leader") ?? null;
  const steps: [PaperStatus, Review["action"], Member | null, string | null][] = [["drafting", "submit", p.handler, null]];
  if (status === "drafting") steps.push(["deputy_review", "return", deputy, pickOf(rand)(PAPER_RETURNS)]);
  if (status === "leader_review" || status === "meeting_review") steps.push(["deputy_review", "approve", deputy, null]);
  if (status === "meeting_review") steps.push(["leader_review", "approve", leader, null]);
  let day = created;
  p.createdAt = stamp(created, 0, rand);
  p.reviews = steps.map(([step, action, who, comment], i) => {
    day = minDate(addDays(day, 1 + Math.floor(rand() * 3)), yesterday);
    return { step, action, comment, actedAs: who?.role ?? null, actedBy: who?.userId ?? null, at: stamp(day, i + 1, rand) };
  });
  p.status = status;
  p.statusAt = p.reviews.at(-1)!.at;
}

/**
 * hrb.member leads 哈尔滨's 市委第一巡察组 in the flexible round (stationed, not withdrawn):
 * one paper awaits him (组长审核), one the deputy, one was returned to its drafter.
 */
function memberDrafts(ctx: Context, rand: Rand): Paper[] {
  const account = ctx.users.get("hrb.member@xunlian.local");
  const mine = ctx.engagements.filter((e) => !e.withdrawnOn && e.supCode === HRB
    && (ctx.members.get(e.groupId) ?? []).some((m) => m.role === "leader" && m.userId === account?.id));
  if (!mine.length) return [];
  const elevated = mine.find((e) => e.mode === "elevated") ?? mine[0];
  const regular = mine.find((e) => e.mode === "regular") ?? mine[0];
  const drafts: [Eng, string, string, string, PaperStatus][] = [
    [regular, "discipline.integrity", "违规发放加班补贴和值班补助",
      `${regular.unitName}${regular.roundYear - 1}年以来以加班补贴、值班补助名义向机关干部发放补贴共计38.6万元，部分加班事项无审批记录，涉及干部职工42人。`, "leader_review"],
    [elevated, "strict_governance.four_forms", "运用监督执纪“四种形态”不够精准",
      `${elevated.unitName}${elevated.roundYear - 1}年以来处置问题线索中，对3起应给予党纪处分的问题仅作谈话提醒处理，案件审理把关不严，“四种形态”运用失准。`, "deputy_review"],
    [regular, "discipline.integrity", "政府采购项目化整为零规避公开招标",
      `${regular.unitName}将文化惠民演出采购项目拆分为5个合同，单笔金额均低于公开招标限额，合计金额186.4万元。`, "drafting"],
  ];
  return drafts.map(([e, code, title, facts, status]) => {
    const members = ctx.members.get(e.groupId) ?? [];
    const cat = ctx.categories.get(code)!;
    const handler = members.find((m) => m.role === "member" && !m.userId) ?? members[0] ?? null;
    const p: Paper = {
      e, code, categoryId: cat.id, topId: cat.parentId ?? cat.id, topCode: code.split(".")[0], title, facts,
      evidence: "个别谈话记录2份；财务凭证复印件16张；相关合同及审批单", severity: "serious", form: 2, onSpot: false,
      handler, status: "drafting", createdAt: "", statusAt: "", reviews: [], createdBy: null,
    };
    const yesterday = minDate(ctx.yesterday, addDays(e.stationedOn, 70));
    pending(p, { ...e, withdrawnOn: addDays(e.stationedOn, 40) }, members, rand, yesterday, status);
    return p;
  });
}

// ---------------------------------------------------------------- problems: kinds and outcomes

/** The problem list (approved papers), each with its main item's kind and whether it ends rectified. */
function planProblems(ctx: Context, papers: Paper[], rand: Rand): Problem[] {
  const seqs = new Map<number, number>();
  const problems: Problem[] = papers.filter((p) => p.status === "approved").map((paper) => {
    const seq = (seqs.get(paper.e.id) ?? 0) + 1;
    seqs.set(paper.e.id, seq);
    const p: Problem = {
      paper, e: paper.e, seq, createdAt: paper.statusAt, rectified: false,
      mainKind: paper.onSpot ? "immediate" : rand() < 0.75 ? "deadline" : "long_term", extraLongTerm: false, items: [],
    };
    paper.problem = p;
    return p;
  });
  // Seed 004: of 哈尔滨's 632 problems not fixed on the spot, 484 have a deadline (限期整改)
  // and 148 are long-term. 财政局's mostly have deadlines (its ledger shows every state).
  const hrb = problems.filter((p) => isHrbFigure(p.e) && !p.paper.onSpot)
    .sort((a, b) => Number(b.e.unitName === FINANCE_UNIT) - Number(a.e.unitName === FINANCE_UNIT));
  const financeCount = hrb.filter((p) => p.e.unitName === FINANCE_UNIT).length;
  const kinds: ItemKind[] = shuffle([
    ...Array<ItemKind>(SEED_004.deadline - Math.max(0, financeCount - 2)).fill("deadline"),
    ...Array<ItemKind>(hrb.length - SEED_004.deadline - Math.min(2, financeCount)).fill("long_term"),
  ], rand);
  hrb.forEach((p, i) => {
    p.mainKind = i < financeCount ? (i < financeCount - 2 ? "deadline" : "long_term") : kinds[i - financeCount];
  });
  for (const p of problems) p.extraLongTerm = p.mainKind === "deadline" && rand() < 0.15;
  return problems;
}

// ---------------------------------------------------------------- feedback, plans, items

function planFeedbacks(ctx: Context, fed: Eng[], rand: Rand): Record<string, unknown>[] {
  const pick = pickOf(rand);
  const numbers = documentNumbers(fed.map((e) => ({ key: e.supCode, on: e.feedbackOn! })), rand);
  return fed.map((e, i) => {
    const province = e.supLevel === "province";
    const county = e.supLevel === "county";
    const committee = e.category === "city" || e.category === "county";
    const form = province && committee && rand() < 0.4 ? "combined" : rand() < 0.25 ? "dual" : "centralized";
    const place = province ? "省" : county ? "区" : "市";
    const attendees = province
      ? `省委巡视工作领导小组成员，${e.groupName}组长、副组长及有关同志，省纪委监委监督检查室、省委组织部有关负责同志，${e.unitName}领导班子成员`
      : county
        ? `区委巡察工作领导小组成员，${e.groupName}全体成员，${e.unitName}领导班子成员及中层干部`
        : `市委巡察工作领导小组成员，${e.groupName}组长、副组长，市委巡察办、市纪委监委派驻机构有关负责同志，${e.unitName}领导班子成员及中层干部`;
    return {
      engagement_id: e.id, supervising_org_id: e.supId, executing_org_id: e.exeId, group_id: e.groupId, unit_id: e.unitId,
      target_visible_org_id: e.mode !== "regular" ? e.targetOrgId : null, province_id: e.provinceId, unit_name: e.unitName,
      group_name: e.groupName, supervising_org_name: e.supName, feedback_on: e.feedbackOn, form, attendees,
      document_no: `${OFFICE_ABBR[e.supCode] ?? "巡"}反〔${e.feedbackOn!.slice(0, 4)}〕${numbers[i]}号`,
      main_recipients: partyOrganOf(e),
      cc_recipients: `${place}纪委监委、${place}委组织部${pick(["", `、${place}委${WORD(e.supLevel)}工作领导小组成员单位`])}`,
      plan_due: e.rectificationDue ?? addMonths(e.feedbackOn!, 2),
      created_at: stamp(e.feedbackOn!, 2, rand),
    };
  });
}

/** 中共X党组 / 中共X委员会: the party organ a feedback is addressed to. */
function partyOrganOf(e: Eng): string {
  if (e.unitName.startsWith("中共")) return e.unitName;
  if (["university", "soe", "township", "village"].includes(e.category)) return `中共${e.unitName}委员会`;
  return `中共${e.unitName}党组`;
}

/** 〔year〕N号 per office and year, in date order, with gaps (other documents of the office). */
export function documentNumbers(docs: { key: string; on: string }[], rand: Rand): number[] {
  const order = docs.map((d, i) => ({ ...d, i })).sort((a, b) => a.key.localeCompare(b.key) || a.on.localeCompare(b.on) || a.i - b.i);
  const next = new Map<string, number>();
  const out: number[] = [];
  for (const d of order) {
    const k = `${d.key}:${d.on.slice(0, 4)}`;
    const n = (next.get(k) ?? 0) + 1 + Math.floor(rand() * 3);
    next.set(k, n);
    out[d.i] = n;
  }
  return out;
}

interface People { head: string; deputies: string[]; staff: Map<string, string> }

/**
 * Per fed-back engagement: its plan (sometimes returned once) and progress reports, the
 * ledger items of its problems with their history. Returns the reports.
 */
function planRectification(ctx: Context, problems: Problem[], rand: Rand): Report[] {
  const pick = pickOf(rand);
  const { today } = ctx;
  const byEngagement = new Map<number, Problem[]>();
  for (const p of problems) if (p.e.feedbackOn) byEngagement.set(p.e.id, [...(byEngagement.get(p.e.id) ?? []), p]);
  const reports: Report[] = [];
  const disclosed = disclosureEngagement(ctx);
  const finance = ctx.engagements.find((e) => isHrbFigure(e) && e.unitName === FINANCE_UNIT);
  const unitContact = ctx.users.get("hrb.unit@xunlian.local");
  const unitHead = ctx.users.get("hrb.unithead@xunlian.local");

  // Whether each problem ends rectified (all its items closed).
  const timeline = new Map<number, { ledgerOn: string; acceptedOn: string | null }>();
  for (const [id, ps] of byEngagement) {
    const e = ps[0].e;
    const planOn = minDate(addDays(e.feedbackOn!, 20 + Math.floor(rand() * 26)), addDays(today, -20));
    timeline.set(id, { ledgerOn: planOn, acceptedOn: null });
    for (const p of ps) {
      const deadline = mainDeadline(p, rand);
      p.items = [newItem(p, p.mainKind, deadline, planOn)];
      if (p.extraLongTerm) p.items.push(newItem(p, "long_term", null, planOn));
      const months = daysBetween(e.feedbackOn!, today) / 30;
      const closedRound = e.roundStatus === "closed";
      const pMain = p.mainKind === "immediate" ? 1
        : p.mainKind === "deadline"
          ? (daysBetween(deadline!, today) > 30 ? (closedRound ? 0.97 : 0.9) : deadline! < today ? 0.7 : 0.22)
          : months >= 12 ? 0.9 : months >= 6 ? 0.55 : 0.1;
      const pExtra = p.extraLongTerm ? (months >= 12 ? 0.95 : months >= 6 ? 0.6 : 0.15) : 1;
      p.rectified = e.id === disclosed?.id || (rand() < pMain && rand() < pExtra);
    }
  }
  // Seed 003: exactly 1,903 of the 2,266 fed-back problems of 浙江's rounds 1–4 rectified.
  const zj = problems.filter((p) => isZjRate(p.e) && p.e.feedbackOn);
  const have = zj.filter((p) => p.rectified).length;
  if (have > SEED_003.rectified) {
    const flip = shuffle(zj.filter((p) => p.rectified && p.mainKind !== "immediate"), rand)
      .sort((a, b) => b.e.roundNumber - a.e.roundNumber + (rand() - 0.5) * 2);
    flip.slice(0, have - SEED_003.rectified).forEach((p) => (p.rectified = false));
  } else {
    shuffle(zj.filter((p) => !p.rectified), rand).slice(0, SEED_003.rectified - have).forEach((p) => (p.rectified = true));
  }

  for (const [id, ps] of byEngagement) {
    const e = ps[0].e;
    const t = timeline.get(id)!;
    const people: People = { head: personName(rand), deputies: [personName(rand), personName(rand), personName(rand)], staff: new Map() };
    const reviewer = ctx.reviewerOf.get(e.supId) ?? null;
    const isFinance = e.id === finance?.id;
    const head = isFinance ? unitHead?.id ?? null : null;
    const contact = isFinance ? unitContact?.id ?? null : null;
    if (isFinance && unitHead) people.head = unitHead.name;
    for (const p of ps) {
      for (const it of p.items) describeItem(it, p, people, rand, pick);
      // The open one of an unrectified problem: the long-term item where there is one (half the time).
      const openItem = p.rectified ? null : p.items.length > 1 && rand() < 0.5 ? p.items[1] : p.items[0];
      for (const it of p.items) {
        if (it === openItem) {
          const overdue = it.deadline !== null && it.deadline < today;
          const confirmed = rand() < (it.kind === "long_term" ? 0.15 : overdue ? 0.25 : 0.3);
          settle(it, t.ledgerOn, confirmed ? { status: "unit_confirmed" } : { status: "open", returned: rand() < 0.1 }, ctx, rand, reviewer, head, contact);
        } else {
          settle(it, t.ledgerOn, { status: "closed", returned: rand() < 0.08 }, ctx, rand, reviewer, head, contact);
        }
      }
    }
    if (isFinance) shapeFinance(ps, t.ledgerOn, ctx, rand, reviewer, unitHead?.id ?? null, unitContact?.id ?? null);
    reports.push(...planReports(e, ps, t.ledgerOn, ctx, rand, reviewer, contact, isFinance));
  }
  lookBack(ctx, problems, disclosed, rand);
  return reports;
}

function mainDeadline(p: Problem, rand: Rand): string | null {
  const fb = p.e.feedbackOn!;
  if (p.mainKind === "immediate") return addDays(fb, 3 + Math.floor(rand() * 8));
  if (p.mainKind === "deadline") return addMonths(fb, pickOf(rand)([1, 2, 3, 3, 4, 6]));
  return null;
}

function newItem(p: Problem, kind: ItemKind, deadline: string | null, ledgerOn: string): Item {
  return {
    p, kind, deadline, measures: "", leader: "", department: "", person: "", leaderUser: null, personUser: null,
    status: "open", createdAt: stamp(ledgerOn, 1, () => 0.5), statusAt: stamp(ledgerOn, 1, () => 0.5), returned: 0, reopened: 0,
    events: [], updates: [], closedOn: null,
  };
}

/** The four lists: measures (任务), responsible leader, department and person (责任). */
function describeItem(it: Item, p: Problem, people: People, rand: Rand, pick: ReturnType<typeof pickOf>) {
  const top = p.paper.topCode;
  const provinceDept = p.e.supLevel === "province" && !["city", "county"].includes(p.e.category);
  const dept = pick(TOP_DEPARTMENTS[top] ?? ["办公室"]).replace(/科$/, provinceDept ? "处" : "科");
  if (!people.staff.has(dept)) people.staff.set(dept, personName(rand));
  const mainDuty = ["leadership", "strict_governance", "rectification", "ideology"].includes(top);
  const organ = p.e.unitName.startsWith("中共") || ["university", "soe"].includes(p.e.category) ? "书记" : "党组书记";
  it.leader = mainDuty ? `${people.head}（${organ}）` : `${pick(people.deputies)}（分管领导）`;
  it.department = dept;
  it.person = people.staff.get(dept)!;
  const title = p.paper.title.replace(/（[^）]*）$/, "");
  it.measures = ofUnit(it.kind === "immediate"
    ? `立行立改：针对“${title}”问题，巡察期间即行整改，已${pick(["完成问题整改并建立台账", "清退相关资金并完善审批手续", "调整规范到位并举一反三开展自查"])}。`
    : it.kind === "long_term" && p.items[0] !== it
      ? `长效机制：针对“${title}”问题，修订完善《${TOP_RULES[top]}》，纳入年度考核，长期坚持。`
      : `1.召开专题会议深入剖析“${title}”问题根源；2.${TOP_MEASURES[top]}；3.建立健全相关制度，防止问题反弹。`, p.e);
}

interface Settle { status: ItemStatus; returned?: boolean; closeOn?: string; confirmOn?: string }

/** An item's history up to its final status: progress updates, the unit's confirmation, the office's verification. */
function settle(it: Item, ledgerOn: string, s: Settle, ctx: Context, rand: Rand, reviewer: string | null, head: string | null,
  contact: string | null) {
  const pick = pickOf(rand);
  const { yesterday } = ctx;
  const top = it.p.paper.topCode;
  const values = { rule: TOP_RULES[top], amt: (2 + rand() * 120).toFixed(1), k: 1 + Math.floor(rand() * 3) };
  const done = it.kind === "immediate" ? UPDATE_IMMEDIATE : it.kind === "long_term" ? UPDATE_LONG_TERM : fill(pick(UPDATE_DONE), values);
  it.events = [];
  it.updates = [];
  it.returned = 0;
  it.status = s.status;
  it.closedOn = null;
  let slot = 0;
  const event = (action: ItemEvent["action"], on: string, reason: string | null = null, lookBack = false) =>
    it.events.push({ action, at: stamp(on, ++slot, rand), reason, lookBack, actedBy: action === "confirm" ? head : reviewer });
  const update = (on: string, text: string) => it.updates.push({ on, text: ofUnit(text, it.p.e), at: stamp(on, ++slot, rand), by: contact });
  const start = addDays(ledgerOn, 1);
  if (s.status === "open") {
    let day = start;
    if (it.kind !== "immediate" && daysBetween(start, yesterday) > 20 && rand() < 0.7) {
      day = between(addDays(start, 5), addDays(yesterday, -10), rand);
      update(day, pick(UPDATE_FIRST));
    }
    if (s.returned && daysBetween(day, yesterday) > 12) {
      update(day = addDays(day, 3), fill(pick(UPDATE_DONE), values));
      event("confirm", (day = addDays(day, 2)));
      event("return", (day = addDays(day, 3)), pick(ITEM_RETURNS));
      it.returned = 1;
      if (daysBetween(day, yesterday) > 10) update(addDays(day, 7), pick(UPDATE_ONGOING));
    } else if (rand() < 0.5 && daysBetween(day, yesterday) > 15) {
      update(between(addDays(day, 5), yesterday, rand), pick(UPDATE_ONGOING));
    }
  } else if (s.status === "unit_confirmed") {
    const confirmOn = minDate(s.confirmOn ?? between(maxDate(addDays(start, 12), addDays(yesterday, -40)), yesterday, rand), yesterday);
    if (daysBetween(start, confirmOn) > 20) update(between(addDays(start, 3), addDays(confirmOn, -10), rand), pick(UPDATE_FIRST));
    update(maxDate(addDays(confirmOn, -1 - Math.floor(rand() * 3)), start), done);
    event("confirm", confirmOn);
  } else {
    // Closed: verified around the deadline (long-term items within the year), never after yesterday.
    const target = s.closeOn ?? (it.kind === "immediate"
      ? between(addDays(start, 3), addDays(start, 15), rand)
      : it.kind === "deadline"
        ? between(addDays(start, 15), addDays(it.deadline!, 10), rand)
        : between(addDays(start, 60), addDays(start, 330), rand));
    const closeOn = minDate(maxDate(target, addDays(start, 4)), yesterday);
    const returned = s.returned && daysBetween(start, closeOn) > 30;
    let day = start;
    if (daysBetween(start, closeOn) > 40 && it.kind !== "immediate") update(day = between(addDays(start, 3), addDays(closeOn, -30), rand), pick(UPDATE_FIRST));
    if (returned) {
      const back = addDays(closeOn, -20);
      update(maxDate(addDays(back, -4), day), done);
      event("confirm", addDays(back, -2));
      event("return", back, pick(ITEM_RETURNS));
      it.returned = 1;
      update(addDays(back, 8), done);
    } else {
      update(maxDate(addDays(closeOn, -4), day), done);
    }
    event("confirm", addDays(closeOn, -2));
    event("verify", closeOn);
    it.closedOn = closeOn;
  }
  // Updates and events in date order, each on or before yesterday.
  it.updates.sort((a, b) => a.at.localeCompare(b.at));
  it.statusAt = it.events.at(-1)?.at ?? it.createdAt;
}

/**
 * 哈尔滨市财政局 (hrb.unit, hrb.unithead): rectification in progress, its ledger in every
 * state — open items due in 15 and 8 days and one overdue, two confirmed by the head
 * awaiting the office's verification, one returned, closed ones; some items name the
 * unit's accounts as the responsible person (马晓红) or leader (高志远).
 */
function shapeFinance(ps: Problem[], ledgerOn: string, ctx: Context, rand: Rand, reviewer: string | null,
  head: string | null, contact: string | null) {
  const { today } = ctx;
  const headName = ctx.users.get("hrb.unithead@xunlian.local")?.name ?? "高志远";
  const contactName = ctx.users.get("hrb.unit@xunlian.local")?.name ?? "马晓红";
  const deadlines = ps.map((p) => p.items[0]).filter((it) => it.kind === "deadline");
  const link = (it: Item, person: boolean, leader: boolean) => {
    if (person) [it.personUser, it.person] = [contact, contactName];
    if (leader) [it.leaderUser, it.leader] = [head, `${headName}（党组书记）`];
  };
  const plan: [number, boolean, boolean, Settle][] = [
    [15, true, false, { status: "open" }],
    [8, true, true, { status: "open" }],
    [-6, true, true, { status: "open" }],
    [20, true, false, { status: "unit_confirmed", confirmOn: addDays(today, -3) }],
    [35, false, true, { status: "unit_confirmed", confirmOn: addDays(today, -9) }],
    [40, true, false, { status: "open", returned: true }],
  ];
  deadlines.forEach((it, i) => {
    const [days, person, leader, state] = plan[i] ?? [30 + ((i * 23) % 120), i % 3 === 0, false,
      i % 2 ? { status: "closed" as const } : { status: "open" as const }];
    if (state.status !== "closed") it.deadline = addDays(today, days);
    link(it, person, leader);
    settle(it, ledgerOn, state, ctx, rand, reviewer, head, contact);
  });
  ps.flatMap((p) => p.items.filter((it) => it.kind === "long_term")).forEach((it, i) => {
    link(it, false, true);
    settle(it, ledgerOn, { status: i === 0 ? "open" : "closed" }, ctx, rand, reviewer, head, contact);
  });
  for (const p of ps) p.rectified = p.items.every((it) => it.status === "closed");
}

/** The engagement whose rectification is published (公示): 哈尔滨's first fed-back engagement, all closed. */
function disclosureEngagement(ctx: Context): Eng | undefined {
  return ctx.engagements.find((e) => e.supCode === HRB && e.roundNumber === 1 && e.feedbackOn);
}

/**
 * 回头看: a few closed items reopened — of province objects the look-back round revisited,
 * and of 哈尔滨's second round — some still open (overdue), some closed again.
 */
function lookBack(ctx: Context, problems: Problem[], disclosed: Eng | undefined, rand: Rand) {
  const { yesterday } = ctx;
  const revisit = new Map(ctx.engagements.filter((e) => e.supCode === "230000" && e.roundKind === "lookback").map((e) => [e.unitId, e]));
  const pickClosed = (pred: (p: Problem) => boolean, n: number) =>
    shuffle(problems.filter((p) => pred(p) && p.rectified && p.e.id !== disclosed?.id), rand).slice(0, n)
      .map((p) => p.items.find((it) => it.kind === "deadline")).filter((it): it is Item => it !== undefined);
  const province = pickClosed((p) => p.e.supCode === "230000" && p.e.roundKind !== "lookback" && revisit.has(p.e.unitId), 5);
  const city = pickClosed((p) => p.e.supCode === HRB && p.e.roundNumber === 2, 2);
  [...province, ...city].forEach((it, i) => {
    const visit = revisit.get(it.p.e.unitId);
    const from = visit ? addDays(visit.stationedOn, 10) : "2026-09-20";
    const reopenOn = minDate(between(from, addDays(from, 30), rand), addDays(yesterday, -30));
    if (reopenOn <= (it.closedOn ?? "")) return;
    const reviewer = ctx.reviewerOf.get(it.p.e.supId) ?? null;
    const at = (d: string, slot: number) => stamp(d, slot, rand);
    it.events.push({ action: "reopen", at: at(reopenOn, 6), reason: LOOK_BACK, lookBack: true, actedBy: reviewer });
    it.reopened = 1;
    if (i % 3 === 2) {
      it.updates.push({ on: addDays(reopenOn, 10), text: "已针对回头看指出的问题再次整改，完善制度并开展专项检查，申请销号。", at: at(addDays(reopenOn, 10), 7), by: null });
      it.events.push({ action: "confirm", at: at(addDays(reopenOn, 18), 8), reason: null, lookBack: false, actedBy: null });
      it.events.push({ action: "verify", at: at(addDays(reopenOn, 24), 9), reason: null, lookBack: false, actedBy: reviewer });
      it.closedOn = addDays(reopenOn, 24);
    } else {
      it.status = "open";
      it.closedOn = null;
      it.p.rectified = false;
    }
    it.statusAt = it.events.at(-1)!.at;
  });
}

/** A plan (returned once now and then) and progress reports every quarter until done or today. */
function planReports(e: Eng, ps: Problem[], ledgerOn: string, ctx: Context, rand: Rand, reviewer: string | null,
  contact: string | null, isFinance: boolean): Report[] {
  const pick = pickOf(rand);
  const { today, yesterday } = ctx;
  const word = WORD(e.supLevel);
  const organ = partyOrganOf(e);
  const items = ps.flatMap((p) => p.items);
  const count = (k: ItemKind) => items.filter((it) => it.kind === k).length;
  const planContent = [
    `根据${e.groupName}反馈意见，${organ}高度重视，召开专题会议研究部署整改工作，成立由主要负责人任组长的整改工作领导小组。现将整改方案报告如下：`,
    `一、总体要求。坚持问题导向、目标导向和结果导向，把${word}整改作为重大政治任务，做到条条有整改、件件有着落。`,
    `二、整改任务。对照反馈的${ps.length}个问题，逐条制定整改措施${items.length}项，其中立行立改${count("immediate")}项、限期整改${count("deadline")}项、长期坚持${count("long_term")}项，明确责任领导、责任部门、责任人和完成时限（问题清单、任务清单、责任清单、督查清单附后）。`,
    "三、保障措施。（一）加强组织领导，主要负责人切实履行第一责任人责任；（二）建立整改台账，实行周调度、月通报；（三）强化督促检查，对整改不力的严肃追责问责。",
  ].join("\n");
  const progressContent = (on: string, k: number) => {
    const done = ps.filter((p) => p.items.every((it) => it.closedOn !== null && it.closedOn <= on)).length;
    const pct = ps.length ? ((done * 100) / ps.length).toFixed(1) : "0";
    return [
      `截至${on.slice(0, 4)}年${Number(on.slice(5, 7))}月${Number(on.slice(8, 10))}日，${e.groupName}反馈的${ps.length}个问题已整改完成${done}个，整改完成率${pct}%；其余${ps.length - done}个问题正在按计划推进。`,
      `一、主要做法。${organ}坚持每月召开整改工作推进会，逐项对账销号；${k > 1 ? "对上次报告审核意见指出的问题逐条落实，" : ""}累计修订完善制度${3 + k * 2}项。`,
      "二、存在的不足。个别整改事项推进较慢，长效机制建设仍需加强。",
      "三、下一步工作。持续抓好未完成事项整改，巩固整改成果，按期报送整改进展情况。",
    ].join("\n");
  };
  const reports: Report[] = [];
  const submit = (kind: Report["kind"], title: string, content: string, on: string, review: "accepted" | "returned" | "submitted", reviewOn: string | null): Report => {
    const r: Report = {
      e, kind, title, content, status: review, submittedAt: stamp(on, 2, rand), submittedBy: contact,
      comment: review === "returned" ? pick(kind === "plan" ? PLAN_RETURNS : PROGRESS_RETURNS)
        : review === "accepted" && rand() < 0.3 ? "同意。请按方案抓好落实，按期报送整改进展情况。" : null,
      reviewedAt: review === "submitted" || !reviewOn ? null : stamp(reviewOn, 5, rand), reviewedBy: review === "submitted" ? null : reviewer,
    };
    reports.push(r);
    return r;
  };
  const planTitle = (n: number) => `${organ}关于落实${e.groupName}反馈意见的整改方案${n > 1 ? "（修改稿）" : ""}`;
  const progressTitle = (n: number) => `关于${word}整改进展情况的报告（第${chineseNumber(n)}次）`;
  // Fixed histories: 财政局; a province plan and a 哈尔滨 progress report awaiting review.
  const firstOf = (pred: (x: Eng) => boolean) => ctx.engagements.find((x) => x.feedbackOn && pred(x))?.id === e.id;
  if (isFinance) {
    const back = addDays(ledgerOn, 6);
    submit("plan", planTitle(1), planContent, ledgerOn, "returned", back);
    const again = addDays(back, 12);
    submit("plan", planTitle(2), planContent, again, "accepted", addDays(again, 5));
    const first = addDays(again, 60);
    submit("progress", progressTitle(1), progressContent(first, 1), first, "accepted", addDays(first, 6));
    const second = addDays(today, -3);
    submit("progress", progressTitle(2), progressContent(second, 2), second, "submitted", null);
    return reports;
  }
  if (firstOf((x) => x.supCode === "230000" && x.roundNumber === 8)) {
    const back = addDays(ledgerOn, 7);
    submit("plan", planTitle(1), planContent, ledgerOn, "returned", back);
    submit("plan", planTitle(2), planContent, addDays(today, -4), "submitted", null);
    return reports;
  }
  const awaiting = firstOf((x) => x.supCode === HRB && x.roundNumber === 3);
  let on = ledgerOn;
  let n = 1;
  if (rand() < 0.18) {
    const back = addDays(on, 3 + Math.floor(rand() * 6));
    submit("plan", planTitle(n++), planContent, on, "returned", back);
    on = addDays(back, 5 + Math.floor(rand() * 8));
  }
  let reviewOn = addDays(on, 3 + Math.floor(rand() * 6));
  if (reviewOn > yesterday) return (submit("plan", planTitle(n), planContent, minDate(on, yesterday), "submitted", null), reports);
  submit("plan", planTitle(n), planContent, on, "accepted", reviewOn);
  const limit = e.roundStatus === "closed" ? 3 : 5;
  on = addDays(reviewOn, 60 + Math.floor(rand() * 31));
  for (let k = 1; k <= limit && on <= yesterday; k++) {
    if (awaiting && addDays(on, 95) > yesterday) {
      submit("progress", progressTitle(k), progressContent(addDays(today, -6), k), addDays(today, -6), "submitted", null);
      break;
    }
    reviewOn = addDays(on, 4 + Math.floor(rand() * 7));
    if (reviewOn > yesterday) {
      submit("progress", progressTitle(k), progressContent(on, k), on, "submitted", null);
      break;
    }
    if (rand() < 0.12) {
      submit("progress", progressTitle(k), progressContent(on, k), on, "returned", reviewOn);
      on = addDays(reviewOn, 5 + Math.floor(rand() * 8));
      reviewOn = addDays(on, 3 + Math.floor(rand() * 5));
      if (reviewOn > yesterday) {
        submit("progress", progressTitle(k), progressContent(minDate(on, yesterday), k), minDate(on, yesterday), "submitted", null);
        break;
      }
    }
    submit("progress", progressTitle(k), progressContent(on, k), on, "accepted", reviewOn);
    if (ps.every((p) => p.items.every((it) => it.closedOn !== null && it.closedOn <= on))) break;
    on = addDays(on, 80 + Math.floor(rand() * 21));
  }
  return reports;
}

// ---------------------------------------------------------------- problem leads

/**
 * Leads of the withdrawn engagements, from petitions naming someone and from problems of
 * integrity, fiscal funds … ; transferred (one 移交函 per engagement) to the 纪委监委 or the
 * 组织部 attached to the office, and handled by them. 哈尔滨's rounds 1–4: exactly 148
 * transferred (seed 004). 浙江's province office: no leads (its city and county offices'
 * leads are zhejiang.ts's).
 */
function planLeads(ctx: Context, problems: Problem[], rand: Rand): Lead[] {
  const pick = pickOf(rand);
  const { yesterday } = ctx;
  const byEngagement = new Map<number, Problem[]>();
  for (const p of problems) byEngagement.set(p.e.id, [...(byEngagement.get(p.e.id) ?? []), p]);
  const partnerOf = (e: Eng, organization: boolean) =>
    ctx.partners.find((o) => o.attachedId === e.supId && (organization ? /组织部/ : /纪委监委/).test(o.name))
    ?? ctx.partners.find((o) => o.attachedId === e.exeId && (organization ? /组织部/ : /纪委监委/).test(o.name)) ?? null;
  // How many each engagement transfers (and registers without transferring yet).
  const plans: { e: Eng; transfer: number; register: number }[] = [];
  const hrb = ctx.engagements.filter(isHrbFigure);
  distribute(SEED_004.leads, hrb.map((e) => (byEngagement.get(e.id)?.length ?? 0) + 1))
    .forEach((n, i) => plans.push({ e: hrb[i], transfer: n, register: hrb[i].roundNumber === 4 && i % 4 === 1 ? 1 : 0 }));
  for (const e of ctx.engagements) {
    if (isHrbFigure(e) || e.supCode === ZJ || !partnerOf(e, false)) continue;
    if (!e.withdrawnOn) {
      // Stationed now: a lead registered from a petition, not transferred yet.
      if (e.supCode === HRB && e.mode !== "cross") plans.push({ e, transfer: 0, register: 1 });
      continue;
    }
    const n = e.supLevel === "county" ? 1 + Math.floor(rand() * 2) : e.roundKind === "lookback" ? Math.floor(rand() * 3) : Math.floor(rand() * 4);
    plans.push(e.reportedOn ? { e, transfer: n, register: 0 } : { e, transfer: 0, register: n });
  }
  const leads: Lead[] = [];
  const batches: { lead: Lead[]; key: string; on: string }[] = [];
  for (const { e, transfer, register } of plans) {
    const ps = shuffle([...(byEngagement.get(e.id) ?? [])], rand)
      .sort((a, b) => score(b) - score(a));
    const petitions = (ctx.petitions.get(e.id) ?? []).filter((p) => p.name && (p.disposition === "transfer" || p.disposition === "self"));
    const unit: UnitRow = { id: e.unitId, orgId: 0, name: e.unitName, category: e.category, headLevel: e.headLevel };
    const word = WORD(e.supLevel);
    const batchOn = e.reportedOn
      ? minDate(between(addDays(e.reportedOn, 3), addDays(e.reportedOn, 20), rand), e.feedbackOn ?? yesterday, yesterday)
      : null;
    const mine: Lead[] = [];
    for (let i = 0; i < transfer + register; i++) {
      const petition = i < petitions.length && (i === 0 || rand() < 0.5) ? petitions[i] : null;
      const problem = petition ? null : ps.shift() ?? null;
      if (!petition && !problem) break;
      let summary: string;
      let person: Lead["person"];
      let createdOn: string;
      if (petition) {
        const issue = PETITION_ISSUES.find(([re]) => re.test(petition.classification ?? ""))?.[1] ?? "违反廉洁纪律";
        summary = `信访举报反映${e.unitName}有关领导干部涉嫌${issue}。${word}组经初步核实，反映问题较为具体，建议移交处置。`;
        person = { name: petition.name!, post: petition.post, level: petition.level };
        createdOn = minDate(addDays(petition.receivedOn, 5 + Math.floor(rand() * 10)), e.withdrawnOn ?? yesterday, yesterday);
      } else {
        const issue = LEAD_ISSUES.find(([re]) => re.test(problem!.paper.code))?.[1] ?? "违反中央八项规定精神和廉洁纪律";
        summary = `${e.unitName}有关人员涉嫌${issue}。${word}组在${pick(["调阅财务凭证", "个别谈话", "调阅会议记录", "走访核实"])}中发现，问题线索具体、可查性较强，建议依规依纪依法处置。`;
        const [post, level] = pick(postsOf(unit));
        person = { name: personName(rand), post, level };
        createdOn = problem!.createdAt.slice(0, 10);
      }
      const transferred = i < transfer && batchOn !== null;
      const organization = (problem ? /appointments|organizational/.test(problem.paper.code) : false) ? rand() < 0.7 : rand() < 0.06;
      const partner = transferred ? partnerOf(e, organization) ?? partnerOf(e, false) : null;
      const lead: Lead = {
        e, seq: mine.length + 1, problem, petitionId: petition?.id ?? null, summary, person,
        createdAt: stamp(minDate(createdOn, batchOn ?? createdOn), 3, rand), partner,
        transferredOn: transferred ? batchOn : null, documentNo: null, handlings: [],
      };
      mine.push(lead);
    }
    const sent = mine.filter((l) => l.transferredOn);
    if (sent.length) batches.push({ lead: sent, key: e.supCode, on: batchOn! });
    // 哈尔滨's latest batch: part of it not handled yet (the partner's inbox).
    for (const l of sent) l.handlings = handle(l, rand, yesterday, e.supCode === HRB && e.roundNumber === 4 && rand() < 0.4);
    leads.push(...mine);
  }
  const numbers = documentNumbers(batches.map((b) => ({ key: b.key, on: b.on })), rand);
  batches.forEach((b, i) => {
    for (const l of b.lead) l.documentNo = `${OFFICE_ABBR[b.key] ?? "巡"}移〔${b.on.slice(0, 4)}〕${numbers[i]}号`;
  });
  return leads;
}

const score = (p: Problem) =>
  (LEAD_CODES.test(p.paper.code) ? 4 : 0) + (p.paper.severity === "grave" ? 3 : p.paper.severity === "serious" ? 2 : 0) - (p.paper.onSpot ? 3 : 0);

/** How a partner disposes of a lead (the handlings below). */
export type Outcome = "organization" | "cleared" | "sanctioned" | "opened" | "shelved" | "judicial" | "checking";

/** The partner's handling: 初核, then 了结 / 立案 … 了结 with sanctions / 暂存 / 移送司法, as far as time allows. */
function handle(l: Lead, rand: Rand, yesterday: string, notYet: boolean): Lead["handlings"] {
  const t = l.transferredOn!;
  if (notYet || daysBetween(t, yesterday) < 20) return [];
  const organization = /组织部/.test(l.partner!.name);
  const r = rand();
  const s = 1 + Math.floor(rand() * 2);
  const outcome: Outcome = organization ? "organization"
    : r < 0.35 ? "cleared" : r < 0.7 ? "sanctioned" : r < 0.8 ? "opened" : r < 0.9 ? "shelved" : r < 0.95 ? "judicial" : "checking";
  return dateHandlings(handlingSteps(outcome, s, rand), t, yesterday, rand);
}

/** The steps of an outcome: [stage, note, persons sanctioned, persons sent to justice]; `persons` sanctioned when it ends so. */
export function handlingSteps(outcome: Outcome, persons: number, rand: Rand): [string, string, number, number][] {
  const check: [string, string, number, number] = ["initial_check", outcome === "organization" ? "已对相关干部开展函询，调阅干部档案核实。" : "已启动初步核实，调取相关账目和会议记录。", 0, 0];
  const opened: [string, string, number, number] = ["case_opened", "经初核，反映问题属实，经批准立案审查调查。", 0, 0];
  switch (outcome) {
    case "organization":
      return [check, ["concluded", pickOf(rand)(["经核实，对相关干部进行诫勉，予以了结。", "反映问题部分属实，责令相关干部作出书面检查，予以了结。"]), 0, 0]];
    case "cleared":
      return [check, ["concluded", "经初核，反映问题缺乏事实依据，予以了结，并向被反映人澄清正名。", 0, 0]];
    case "sanctioned":
      return [check, opened, ["concluded", `审查调查终结，给予${persons}人党纪政务处分。`, persons, 0]];
    case "opened":
      return [check, opened];
    case "shelved":
      return [check, ["shelved", "反映问题笼统，暂不具备核查条件，予以暂存待查。", 0, 0]];
    case "judicial":
      return [check, opened, ["judicial", "给予开除党籍、开除公职处分，涉嫌职务犯罪问题移送检察机关依法审查起诉。", 1, 1]];
    case "checking":
      return [check];
  }
}

/** Dates the steps after the transfer (初核 10–30 days on, 立案 30–60, the end 40–120), dropping those not yet come. */
export function dateHandlings(steps: [string, string, number, number][], transferredOn: string, yesterday: string, rand: Rand): Lead["handlings"] {
  const out: Lead["handlings"] = [];
  let on = transferredOn;
  const gaps = [[10, 30], [30, 60], [40, 120]];
  steps.forEach(([stage, note, sanctioned, judicial], i) => {
    const [lo, hi] = gaps[Math.min(i, 2)];
    on = addDays(on, lo + Math.floor(rand() * (hi - lo)));
    if (on <= yesterday && out.length === i) out.push({ stage, on, note, sanctioned, judicial });
  });
  return out;
}

// ---------------------------------------------------------------- evaluation and disclosure

type Indicator = [area: string, name: string, points: number, guidance: string];

const PROVINCE_TEMPLATE: Indicator[] = [
  ["整改责任落实", "党委（党组）主体责任落实", 8, "未及时召开专题会议研究部署整改的扣2分；主要负责人未履行第一责任人责任的扣3分；整改领导小组未实际运行的扣2分"],
  ["整改责任落实", "整改方案制定", 6, "未按期报送整改方案的扣2分；整改措施针对性不强、被退回修改的每次扣1分"],
  ["整改责任落实", "整改情况报告和公开", 6, "未按期报送整改进展情况报告的每次扣2分；未按规定公开整改情况的扣2分"],
  ["问题整改质量", "反馈问题整改完成率", 15, "整改完成率每低于100%一个百分点扣0.5分"],
  ["问题整改质量", "立行立改事项落实", 5, "立行立改事项未在反馈后1个月内完成的每项扣1分"],
  ["问题整改质量", "问题线索办理", 5, "移交问题线索未按期办理或反馈的每条扣1分"],
  ["问题整改质量", "整改措施精准性", 10, "存在表面整改、敷衍整改的每项扣2分"],
  ["问题整改质量", "整改资料真实完整", 5, "佐证材料缺失或与实际不符的每项扣1分；发现虚假整改的实行一票否决"],
  ["长效机制建设", "制度建设", 10, "针对共性问题未建立完善制度的每项扣2分；制度未有效执行的扣2分"],
  ["长效机制建设", "举一反三和源头治理", 10, "同类问题在“回头看”中再次发生的每项扣2分"],
  ["群众满意度", "干部职工满意度", 10, "民主测评满意率低于90%的每低1个百分点扣0.5分"],
  ["群众满意度", "服务对象和群众满意度", 10, "群众满意度测评低于85%的每低1个百分点扣0.5分"],
];
const CITY_TEMPLATE: Indicator[] = [
  ["整改责任落实", "整改工作领导小组运行", 8, "未成立整改工作领导小组或未定期研究整改工作的扣2至4分"],
  ["整改责任落实", "“三个一”包保责任制落实", 9, "整改事项未明确一名领导主抓、一个部门主办、一名干部主责的每项扣1分"],
  ["整改责任落实", "整改方案和进展报告", 8, "未按期报送的每次扣2分；被退回修改的每次扣1分"],
  ["问题整改质量", "整改完成率", 20, "整改完成率每低于100%一个百分点扣0.5分；逾期未完成的每项扣1分"],
  ["问题整改质量", "立行立改", 10, "立行立改事项未按期完成的每项扣1分"],
  ["问题整改质量", "整改材料真实性", 10, "佐证材料不实的每项扣2分；发现虚报整改情况的实行一票否决"],
  ["长效机制建设", "制度流程完善", 12, "针对巡察发现的普遍性问题未建章立制的每项扣2分"],
  ["长效机制建设", "举一反三", 8, "同类问题再次发生的每项扣2分"],
  ["群众满意度", "干部群众满意度测评", 15, "满意率低于90%的每低1个百分点扣0.5分"],
];

/**
 * The province's and 哈尔滨's templates (100 points each, in four areas), and
 * evaluations of engagements fed back six months or more ago — one vetoed for false
 * reporting. Returns the rows to backdate.
 */
async function seedEvaluations(tx: Tx, ctx: Context, problems: Problem[], rand: Rand): Promise<Backdating[]> {
  const [{ exists }] = await tx<{ exists: boolean }[]>`select exists (select 1 from public.evaluation_templates) as exists`;
  if (exists) return [];
  const officeOf = (code: string) => ctx.engagements.find((e) => e.supCode === code)?.supId
    ?? ctx.engagements.find((e) => e.exeCode === code)?.exeId;
  const provinceId = officeOf("230000");
  const cityId = officeOf(HRB);
  if (!provinceId || !cityId) return [];
  const templates = [
    { org: provinceId, name: "巡视整改成效评估指标（黑龙江）", indicators: PROVINCE_TEMPLATE, on: "2024-03-01" },
    { org: cityId, name: "巡察整改成效评估指标（哈尔滨市）", indicators: CITY_TEMPLATE, on: "2025-05-15" },
  ];
  const templateIds = await insertRows(tx, "public.evaluation_templates", templates.map((t) => ({ org_id: t.org, name: t.name })));
  const indicatorIds = await insertRows(tx, "public.evaluation_indicators", templates.flatMap((t, i) =>
    t.indicators.map(([area, name, points, guidance], k) => ({ template_id: templateIds[i].id, area, name, points, guidance, sort: (k + 1) * 10 }))));
  const indicators = templates.map((t, i) => ({
    id: templateIds[i].id,
    rows: t.indicators.map((x, k) => ({ id: indicatorIds[templates.slice(0, i).reduce((s, y) => s + y.indicators.length, 0) + k].id, points: x[2], name: x[1] })),
  }));
  const due = (e: Eng) => e.feedbackOn !== null && addMonths(e.feedbackOn, 6) <= ctx.yesterday;
  const disclosed = disclosureEngagement(ctx);
  const chosen: { e: Eng; template: number; veto: boolean }[] = [
    ...ctx.engagements.filter((e) => e.supCode === HRB && e.roundNumber === 1 && due(e)).slice(0, 4)
      .map((e, i) => ({ e, template: 1, veto: i === 2 && e.id !== disclosed?.id })),
    ...ctx.engagements.filter((e) => e.supCode === "230000" && (e.roundNumber === 5 || e.roundNumber === 6) && due(e))
      .filter((_, i) => i % 8 === 0).slice(0, 4).map((e) => ({ e, template: 0, veto: false })),
  ];
  if (!chosen.length) return [];
  const rows = chosen.map(({ e, template, veto }) => {
    const evaluatedOn = minDate(between(addMonths(e.feedbackOn!, 6), addMonths(e.feedbackOn!, 8), rand), ctx.yesterday);
    const ps = problems.filter((p) => p.e.id === e.id);
    const rate = ps.length ? Math.round((ps.filter((p) => p.rectified).length * 1000) / ps.length) / 10 : 100;
    return {
      engagement_id: e.id, template_id: indicators[template].id, evaluated_on: evaluatedOn, false_reporting: veto,
      conclusion: veto
        ? `经实地核查，${e.unitName}报送的整改进展情况报告中有2项整改事项与实际不符，存在虚报整改情况，按规定实行一票否决，评估等次为“差”，责令重新整改并约谈主要负责人。`
        : `${e.unitName}整改责任落实较好，反馈问题整改完成率${rate}%，建章立制成效明显；个别问题整改不够彻底，需持续巩固。`,
    };
  });
  const ids = await insertRows(tx, "public.rectification_evaluations", rows);
  await insertRows(tx, "public.evaluation_scores", chosen.flatMap(({ template, veto }, i) =>
    indicators[template].rows.map((ind) => {
      const deduction = Math.min(ind.points, Math.round(rand() * ind.points * (veto ? 0.45 : 0.22) * 2) / 2);
      return {
        evaluation_id: ids[i].id, indicator_id: ind.id, deduction,
        note: deduction > 0 ? `${ind.name}：核查发现不足，扣${deduction}分` : null,
      };
    })), "evaluation_id");
  return [
    ["public.evaluation_templates", { created_at: "timestamptz" }, templates.map((t, i) => ({ id: templateIds[i].id, created_at: stamp(t.on, 1, rand) }))],
    ["public.rectification_evaluations", { created_at: "timestamptz" },
      rows.map((r, i) => ({ id: ids[i].id, created_at: stamp(r.evaluated_on, 3, rand) }))],
  ];
}

/** One publication (公示) of a closed-out 哈尔滨 engagement; the database takes the snapshot. */
async function seedDisclosure(tx: Tx, ctx: Context, problems: Problem[], rand: Rand): Promise<Backdating[]> {
  const e = disclosureEngagement(ctx);
  if (!e) return [];
  const ps = problems.filter((p) => p.e.id === e.id);
  const closedOn = ps.flatMap((p) => p.items.map((it) => it.closedOn ?? ctx.yesterday)).reduce((a, b) => maxDate(a, b), e.feedbackOn!);
  const publishedOn = minDate(addDays(closedOn, 15), ctx.yesterday);
  const slug = Array.from({ length: 24 }, () => "abcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(rand() * 36)]).join("");
  const [row] = await insertRows(tx, "public.rectification_disclosures", [{
    engagement_id: e.id, slug,
    title: `${partyOrganOf(e)}关于市委巡察整改进展情况的通报`,
    summary: [
      `根据市委统一部署，${e.groupName}于${e.stationedOn.slice(0, 4)}年${Number(e.stationedOn.slice(5, 7))}月对${e.unitName}党组织开展了常规巡察，并于${e.feedbackOn!.slice(0, 4)}年${Number(e.feedbackOn!.slice(5, 7))}月反馈了巡察意见。`,
      `${partyOrganOf(e)}坚持把巡察整改作为重大政治任务，主要负责人履行第一责任人责任，对反馈的${ps.length}个问题逐项制定整改措施、明确责任领导、责任部门、责任人和完成时限，实行台账管理、逐项销号。`,
      "截至目前，巡察反馈问题已全部整改到位，建立完善相关制度，整改成果得到巩固。欢迎广大干部群众对巡察整改落实情况进行监督。",
    ].join("\n"),
  }]);
  return [["public.rectification_disclosures", { published_at: "timestamptz" }, [{ id: row.id, published_at: stamp(publishedOn, 2, rand) }]]];
}

// ---------------------------------------------------------------- notifications

/**
 * The inboxes: what the seeding's triggers queued is replaced by a few dated notices
 * (财政局's accounts, 哈尔滨's director, 哈尔滨市纪委监委), then the deadline job runs for
 * today, as the scheduler would, so the unit's accounts see their warnings.
 */
async function seedNotices(tx: Tx, ctx: Context, data: { reports: Report[]; items: Item[]; leads: Lead[] }, rand: Rand) {
  await tx`delete from public.notifications`;
  const user = (email: string) => ctx.users.get(email)?.id ?? null;
  const [unit, head, director, jiwei, province] = ["hrb.unit", "hrb.unithead", "hrb.director", "hrb.jiwei", "hlj.director"]
    .map((u) => user(`${u}@xunlian.local`));
  const rows: Record<string, unknown>[] = [];
  const notice = (to: string | null, kind: string, title: string, body: string | null, link: string, subjectType: string,
    subjectId: number, at: string, read: boolean) => {
    if (to) rows.push({ user_id: to, kind, level: "info", title, body, link, subject_type: subjectType, subject_id: subjectId,
      created_at: at, read_at: read ? at.replace(/T(\d\d)/, (_, h: string) => `T${String(Math.min(Number(h) + 2, 23)).padStart(2, "0")}`) : null });
  };
  const recent = (at: string) => at.slice(0, 10) >= addDays(ctx.today, -10);
  const finance = ctx.engagements.find((e) => isHrbFigure(e) && e.unitName === FINANCE_UNIT);
  if (finance) {
    const feedbackAt = stamp(finance.feedbackOn!, 3, rand);
    for (const to of [unit, head]) notice(to, "feedback_given", `巡察反馈：${finance.unitName}`, "请在期限内报送整改方案", `/rectification/${finance.id}`, "feedback", finance.id, feedbackAt, true);
    for (const r of data.reports.filter((x) => x.e.id === finance.id)) {
      const label = r.kind === "plan" ? "整改方案" : "整改进展情况报告";
      if (r.status === "submitted") {
        notice(director, "report_submitted", `${finance.unitName}报送${label}`, r.title, `/rectification/${finance.id}`, "rectification_report", r.id!, r.submittedAt, false);
      } else {
        for (const to of [unit, head]) {
          notice(to, "report_reviewed", `${label}${r.status === "accepted" ? "已通过审核" : "被退回"}`, r.comment,
            `/rectification/${finance.id}`, "rectification_report", r.id!, r.reviewedAt!, !recent(r.reviewedAt!));
        }
      }
    }
    for (const it of data.items.filter((x) => x.p.e.id === finance.id)) {
      const confirm = it.events.filter((ev) => ev.action === "confirm").at(-1);
      if (it.status === "unit_confirmed" && confirm) {
        notice(director, "item_confirmed", "整改事项待核验销号", it.measures.slice(0, 100), `/rectification/items/${it.id}`, "rectification_item", it.id!, confirm.at, false);
      }
      const back = it.events.filter((ev) => ev.action === "return").at(-1);
      if (back) {
        for (const to of [unit, head]) notice(to, "item_returned", "整改事项被退回", back.reason, `/rectification/items/${it.id}`, "rectification_item", it.id!, back.at, false);
      }
    }
  }
  // Other reports awaiting review: the offices' directors.
  for (const r of data.reports.filter((x) => x.status === "submitted" && x.e.id !== finance?.id)) {
    const to = r.e.supCode === HRB ? director : r.e.supCode === "230000" ? province : null;
    notice(to, "report_submitted", `${r.e.unitName}报送${r.kind === "plan" ? "整改方案" : "整改进展情况报告"}`, r.title,
      `/rectification/${r.e.id}`, "rectification_report", r.id!, r.submittedAt, false);
  }
  // Leads transferred to 哈尔滨市纪委监委: the latest batch, unread where not handled yet.
  const partner = ctx.partners.find((o) => o.name === "哈尔滨市纪委监委");
  for (const l of data.leads.filter((x) => x.partner?.id === partner?.id && x.transferredOn && x.transferredOn >= "2026-01-01")) {
    notice(jiwei, "lead_transferred", "收到移交的问题线索", l.summary.slice(0, 100), `/leads/${l.id}`, "lead", l.id!,
      stamp(l.transferredOn!, 3, rand), l.handlings.length > 0);
  }
  await insertRows(tx, "public.notifications", rows);
  await tx`select * from public.run_deadline_warnings(current_date)`;
}
