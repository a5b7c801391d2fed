import { cadrePoolLabel, cadreSpecialties, headLevelLabel, unitCategoryLabel } from "../messages";
import { importsText } from "../messages/imports";
import { rectificationKindLabel } from "../messages/rectification";
import { date, oneOf, positiveInt, someOf, text, yesNo, type Cell } from "./cells";
import type { CellProblems, KindSpec } from "./parse";

/**
 * The three import templates: their columns (Chinese headers, rules, an example row)
 * and how one row is checked. The limits are the tables' own check constraints
 * (20261121000500_units.sql, 20261121001200_cadres.sql, 20261121001700_feedback_and_rectification.sql).
 */

export const importKinds = ["unit", "cadre", "ledger"] as const;
export type ImportKind = (typeof importKinds)[number];

type HeadLevel = keyof typeof headLevelLabel;
type UnitCategory = keyof typeof unitCategoryLabel;
type CadrePool = keyof typeof cadrePoolLabel;
type RectificationKind = keyof typeof rectificationKindLabel;

const v = importsText.v;

/** Collects the cells of one row: their values, or every cell's problem at once. */
function collect<Key extends string>() {
  const problems: CellProblems<Key> = [];
  const take = <T>(key: Key, cell: Cell<T>): T => {
    if (!cell.ok) {
      problems.push({ key, message: cell.message });
      return undefined as T;
    }
    return cell.value;
  };
  return { problems, take };
}

// ---------------------------------------------------------------- 单位名录

export interface UnitRecord {
  name: string;
  category: UnitCategory;
  headLevel: HeadLevel;
  /** The parent unit's name: a unit of the org already, or another row of the file. */
  parent: string | null;
}

type UnitKey = "name" | "category" | "headLevel" | "parent";

export const unitSpec: KindSpec<UnitKey, UnitRecord> = {
  columns: [
    { key: "name", header: "单位名称", required: true, rule: "2 至 100 个字，本机构内不能重名", example: "示例市审计局", width: 30 },
    {
      key: "category", header: "单位类别", required: true, rule: `填写：${Object.values(unitCategoryLabel).join("、")}`,
      example: unitCategoryLabel.city_dept, width: 16, choices: Object.values(unitCategoryLabel),
    },
    {
      key: "headLevel", header: "主要负责人管理层级", required: true, rule: `填写：${Object.values(headLevelLabel).join("、")}`,
      example: headLevelLabel.city_managed, width: 20, choices: Object.values(headLevelLabel),
    },
    {
      key: "parent", header: "上级单位", required: false,
      rule: "可不填；填写时须为本机构已在册的巡察对象名称，或本文件中另一行的单位名称", example: "", width: 30,
    },
  ],
  row(get) {
    const { problems, take } = collect<UnitKey>();
    const value: UnitRecord = {
      name: take("name", text(get("name"), { required: true, min: 2, max: 100 }))!,
      category: take("category", oneOf(get("category"), unitCategoryLabel, true))!,
      headLevel: take("headLevel", oneOf(get("headLevel"), headLevelLabel, true))!,
      parent: take("parent", text(get("parent"), { required: false, min: 2, max: 100 })),
    };
    if (!problems.length && value.parent === value.name) problems.push({ key: "parent", message: v.parentSelf });
    return problems.length ? { problems } : { value };
  },
  duplicateKey: (r) => r.name,
  duplicateColumn: "name",
};

// ---------------------------------------------------------------- 干部人才库

export interface CadreRecord {
  name: string;
  homeUnit: string;
  rank: string | null;
  specialties: string[];
  pools: CadrePool[];
  firstPostedOn: string | null;
  available: boolean;
}

type CadreKey = "name" | "homeUnit" | "rank" | "specialties" | "pools" | "firstPostedOn" | "available";

const poolByLabel = Object.fromEntries(Object.entries(cadrePoolLabel).map(([k, l]) => [l, k])) as Record<string, CadrePool>;

export const cadreSpec: KindSpec<CadreKey, CadreRecord> = {
  columns: [
    { key: "name", header: "姓名", required: true, rule: "2 至 40 个字", example: "示例干部", width: 12 },
    { key: "homeUnit", header: "工作单位", required: true, rule: "2 至 100 个字", example: "示例市财政局", width: 26 },
    { key: "rank", header: "职级", required: false, rule: "不超过 40 个字", example: "四级调研员", width: 14 },
    {
      key: "specialties", header: "专业特长", required: false,
      rule: `可填多项，用顿号分隔：${cadreSpecialties.join("、")}`, example: "财务、审计", width: 20,
    },
    {
      key: "pools", header: "所在库", required: true, rule: `至少一项，多项用顿号分隔：${Object.values(cadrePoolLabel).join("、")}`,
      example: cadrePoolLabel.talent, width: 16,
    },
    {
      key: "firstPostedOn", header: "首次从事巡视巡察工作日期", required: false, rule: "日期，如 2021-03-01；不晚于今天",
      example: "2021-03-01", width: 24,
    },
    { key: "available", header: "可抽调", required: false, rule: "是 或 否；不填视为“是”", example: "是", width: 10, choices: ["是", "否"] },
  ],
  row(get, today) {
    const { problems, take } = collect<CadreKey>();
    const pools = take("pools", someOf(get("pools"), Object.values(cadrePoolLabel), true));
    const value: CadreRecord = {
      name: take("name", text(get("name"), { required: true, min: 2, max: 40 }))!,
      homeUnit: take("homeUnit", text(get("homeUnit"), { required: true, min: 2, max: 100 }))!,
      rank: take("rank", text(get("rank"), { required: false, max: 40 })),
      specialties: take("specialties", someOf(get("specialties"), cadreSpecialties, false)),
      pools: (pools ?? []).map((l) => poolByLabel[l]),
      firstPostedOn: take("firstPostedOn", date(get("firstPostedOn"), { required: false, notAfter: today })),
      available: take("available", yesNo(get("available"), true)),
    };
    return problems.length ? { problems } : { value };
  },
  duplicateKey: (r) => `${r.name}\u0000${r.homeUnit}`,
  duplicateColumn: "name",
};

// ---------------------------------------------------------------- 问题清单及整改台账

export interface LedgerRecord {
  unitName: string;
  problemSeq: number;
  measures: string;
  responsibleLeader: string;
  responsibleDepartment: string;
  responsiblePerson: string;
  kind: RectificationKind;
  deadline: string | null;
}

type LedgerKey =
  | "unitName" | "problemSeq" | "measures" | "responsibleLeader" | "responsibleDepartment" | "responsiblePerson" | "kind"
  | "deadline";

/** Measures compared as the same text whatever the spacing. */
export const sameMeasures = (s: string) => s.replace(/[\s\u3000]+/g, "");

export const ledgerSpec: KindSpec<LedgerKey, LedgerRecord> = {
  columns: [
    { key: "unitName", header: "被巡察单位", required: true, rule: "所选轮次中本机构组织巡察、已反馈的被巡察单位名称", example: "示例市财政局", width: 24 },
    { key: "problemSeq", header: "问题序号", required: true, rule: "该单位问题清单中已反馈问题的编号，如 3", example: "1", width: 10 },
    { key: "measures", header: "整改措施", required: true, rule: "2 至 5000 个字；同一问题的整改措施不能重复", example: "修订财务报销制度，逐笔清理违规报销款项并追回", width: 40 },
    { key: "responsibleLeader", header: "责任领导", required: true, rule: "不超过 40 个字", example: "张某某", width: 12 },
    { key: "responsibleDepartment", header: "责任部门", required: true, rule: "不超过 60 个字", example: "财务科", width: 14 },
    { key: "responsiblePerson", header: "责任人", required: true, rule: "不超过 40 个字", example: "李某某", width: 12 },
    {
      key: "kind", header: "整改类型", required: true, rule: `填写：${Object.values(rectificationKindLabel).join("、")}`,
      example: rectificationKindLabel.deadline, width: 12, choices: Object.values(rectificationKindLabel),
    },
    {
      key: "deadline", header: "整改时限", required: false, rule: "日期，如 2026-03-31；长期坚持可不填，其他必填；不能早于反馈日期",
      example: "2026-12-31", width: 14,
    },
  ],
  row(get) {
    const { problems, take } = collect<LedgerKey>();
    const kind = take("kind", oneOf(get("kind"), rectificationKindLabel, true));
    const value: LedgerRecord = {
      unitName: take("unitName", text(get("unitName"), { required: true, max: 100 }))!,
      problemSeq: take("problemSeq", positiveInt(get("problemSeq"), true))!,
      measures: take("measures", text(get("measures"), { required: true, min: 2, max: 5000 }))!,
      responsibleLeader: take("responsibleLeader", text(get("responsibleLeader"), { required: true, max: 40 }))!,
      responsibleDepartment: take("responsibleDepartment", text(get("responsibleDepartment"), { required: true, max: 60 }))!,
      responsiblePerson: take("responsiblePerson", text(get("responsiblePerson"), { required: true, max: 40 }))!,
      kind: kind!,
      deadline: take("deadline", date(get("deadline"), { required: false })),
    };
    if (kind && kind !== "long_term" && value.deadline === null && !problems.some((p) => p.key === "deadline")) {
      problems.push({ key: "deadline", message: v.deadlineRequired });
    }
    return problems.length ? { problems } : { value };
  },
  duplicateKey: (r) => `${r.unitName}\u0000${r.problemSeq}\u0000${sameMeasures(r.measures)}`,
  duplicateColumn: "measures",
};

export const specs = { unit: unitSpec, cadre: cadreSpec, ledger: ledgerSpec } as const;

export type RecordOf<K extends ImportKind> = K extends "unit" ? UnitRecord : K extends "cadre" ? CadreRecord : LedgerRecord;
