import { describe, expect, it } from "vitest";
import { chineseNumeral, coverageLabel, defaultGroupName, evaluable, nextGroupNumber, suggestMode } from "./group-rules";

describe("chineseNumeral", () => {
  it.each([
    [0, "零"], [1, "一"], [2, "二"], [9, "九"], [10, "十"], [11, "十一"], [15, "十五"], [19, "十九"],
    [20, "二十"], [21, "二十一"], [30, "三十"], [45, "四十五"], [99, "九十九"],
  ])("%i → %s", (n, text) => {
    expect(chineseNumeral(n)).toBe(text);
  });

  it("refuses what a group number cannot be", () => {
    expect(() => chineseNumeral(100)).toThrow(RangeError);
    expect(() => chineseNumeral(-1)).toThrow(RangeError);
    expect(() => chineseNumeral(1.5)).toThrow(RangeError);
  });
});

describe("defaultGroupName", () => {
  it("names a city's or county's groups 巡察组 and a province's 巡视组", () => {
    expect(defaultGroupName(1, "city")).toBe("第一巡察组");
    expect(defaultGroupName(2, "county")).toBe("第二巡察组");
    expect(defaultGroupName(12, "city")).toBe("第十二巡察组");
    expect(defaultGroupName(15, "province")).toBe("第十五巡视组");
  });
});

describe("nextGroupNumber", () => {
  it("starts at one and follows the highest number", () => {
    expect(nextGroupNumber([])).toBe(1);
    expect(nextGroupNumber([1, 2, 3])).toBe(4);
    expect(nextGroupNumber([1, 5])).toBe(6);
    expect(nextGroupNumber([99])).toBe(99);
  });
});

describe("coverageLabel", () => {
  it("says 一托N", () => {
    expect(coverageLabel(1)).toBe("一托一");
    expect(coverageLabel(2)).toBe("一托二");
    expect(coverageLabel(3)).toBe("一托三");
  });
});

describe("suggestMode", () => {
  const city = 2;
  const countyA = 3;
  const countyB = 4;
  it("proposes regular for the round org's own units by its own group", () => {
    expect(suggestMode({ roundOrgId: city, executingOrgId: city, unitOrgId: city })).toBe("regular");
  });
  it("proposes elevated for a lower org's unit by the round org's group", () => {
    expect(suggestMode({ roundOrgId: city, executingOrgId: city, unitOrgId: countyA })).toBe("elevated");
  });
  it("proposes cross when a lower org's group does the work", () => {
    expect(suggestMode({ roundOrgId: city, executingOrgId: countyA, unitOrgId: countyB })).toBe("cross");
  });
});

describe("evaluable", () => {
  it("opens evaluations from the reporting stage on", () => {
    expect(["draft", "submitted", "approved", "stationed"].map(evaluable)).toEqual([false, false, false, false]);
    expect(["reporting", "feedback", "rectification", "closed"].map(evaluable)).toEqual([true, true, true, true]);
    expect(evaluable(null)).toBe(false);
  });
});
