/**
 * Pure rules of patrol groups shared by the server and the browser: default names, the
 * 一托N label, the engagement mode that fits a unit. The database is the judge of every
 * one of them; these only propose.
 */

import type { EngagementMode } from "./schemas/engagement";

const DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"] as const;

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (0 to 99, as group and round numbers are). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError(`chineseNumeral: ${n} is outside 0..99`);
  if (n < 10) return DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? "" : DIGITS[tens]}十${ones === 0 ? "" : DIGITS[ones]}`;
}

/** A province's groups are 巡视组, a city's or county's 巡察组 (第一巡察组, 第二巡视组 …). */
export function defaultGroupName(number: number, level: "province" | "city" | "county"): string {
  return `第${chineseNumeral(number)}${level === "province" ? "巡视组" : "巡察组"}`;
}

/** The next free group number of a round (gaps left by removed groups are not reused). */
export function nextGroupNumber(taken: number[]): number {
  return taken.length === 0 ? 1 : Math.min(99, Math.max(...taken) + 1);
}

/** One group covering N objects: 一托二, 一托三 (seed 000). */
export function coverageLabel(objects: number): string {
  return `一托${chineseNumeral(Math.min(Math.max(objects, 0), 99))}`;
}

export type { EngagementMode };

/**
 * The mode that fits: a group of the round's own org patrols its org's units regularly
 * and lower orgs' units by elevation (提级); a lower org's group patrols across (交叉).
 */
export function suggestMode(p: { roundOrgId: number; executingOrgId: number; unitOrgId: number }): EngagementMode {
  if (p.executingOrgId !== p.roundOrgId) return "cross";
  return p.unitOrgId === p.roundOrgId ? "regular" : "elevated";
}

/** Rounds from reporting on: members are evaluated once stationing is over. */
export function evaluable(status: string | null | undefined): boolean {
  return status === "reporting" || status === "feedback" || status === "rectification" || status === "closed";
}
