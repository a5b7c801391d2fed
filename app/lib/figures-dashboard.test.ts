import { describe, expect, it } from "vitest";
import { emptyCounts, type FigureCounts } from "./figures";
import { cellText, dashboardTables, rateValue, RANKING_TOP, type DashboardData } from "./figures-dashboard";

const counts = (o: Partial<FigureCounts>): FigureCounts => ({ ...emptyCounts(), ...o });

function data(by: "orgs" | "engagements"): DashboardData {
  const own = counts({ engagements: 2, problems: 10, onTheSpot: 3, fedBack: 8, rectified: 6, overdueItems: 1 });
  const child = counts({ engagements: 1, problems: 5, fedBack: 0, leadsTransferred: 2 });
  return {
    orgName: "测试市委巡察办",
    total: counts({ engagements: 3, problems: 15, onTheSpot: 3, fedBack: 8, rectified: 6, overdueItems: 1, leadsTransferred: 2 }),
    breakdown:
      by === "orgs"
        ? { by, rows: [{ ...own, kind: "own", label: "本级" }, { ...child, kind: "child", label: "测试县委巡察办", orgId: 7 }] }
        : { by, rows: [{ ...own, kind: "engagement", label: "测试局", sub: "第1轮（2026年）", engagementId: 11 }] },
    categories: [{ id: 1, name: "四风问题", problems: 12 }, { id: 2, name: "其他问题", problems: 3 }],
    ranking: Array.from({ length: 12 }, (_, i) => ({ categoryId: i + 1, name: `类别${i + 1}`, topName: "大类", problems: 20 - i, engagements: 1 })),
    coverage: { year: 2026, rows: [{ kind: "own", label: "本级", due: 4, covered: 3 }], total: { due: 4, covered: 3 } },
  };
}

describe("dashboardTables", () => {
  it("gives one table per chart, in the page's order, each row's values from the same counts", () => {
    const tables = dashboardTables(data("orgs"));
    expect(tables.map((t) => t.id)).toEqual(["coverage", "categories", "ranking", "problems", "leads", "rectification", "overdue"]);
    const byId = Object.fromEntries(tables.map((t) => [t.id, t]));
    expect(byId.problems.rows.map((r) => [r.key, r.label, r.values])).toEqual([
      ["own", "本级", { problems: 10, onTheSpot: 3, deadlineItems: 0 }],
      ["org-7", "测试县委巡察办", { problems: 5, onTheSpot: 0, deadlineItems: 0 }],
    ]);
    expect(byId.rectification.rows.map((r) => r.values.rate)).toEqual(["75.00%", "—"]);
    expect(byId.rectification.total!.values).toEqual({ fedBack: 8, rectified: 6, rate: "75.00%" });
    expect(byId.coverage.total!.values).toEqual({ due: 4, covered: 3, uncovered: 1, rate: "75.0%" });
    expect(byId.categories.rows.map((r) => r.values.share)).toEqual(["80.0%", "20.0%"]);
    expect(byId.categories.total!.values.problems).toBe(15);
    // The ranking: the first ten, numbered, with the rank before the name.
    expect(byId.ranking.rows).toHaveLength(RANKING_TOP);
    expect(byId.ranking.rows.map((r) => r.values.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(byId.ranking.leading?.map((c) => c.key)).toEqual(["rank"]);
    expect(byId.ranking.total).toBeUndefined();
    expect(byId.problems.head).toBe("机构");
  });

  it("at an office without child offices, the rows are its engagements (with their round)", () => {
    const byId = Object.fromEntries(dashboardTables(data("engagements")).map((t) => [t.id, t]));
    expect(byId.problems.head).toBe("被巡察单位");
    expect(byId.problems.title).toBe("各巡察任务发现问题");
    expect(byId.overdue.rows.map((r) => [r.kind, r.engagementId, r.sub, r.values])).toEqual([
      ["engagement", 11, "第1轮（2026年）", { overdueItems: 1 }],
    ]);
  });

  it("without coverage (no access to term plans) there is no coverage table", () => {
    expect(dashboardTables({ ...data("orgs"), coverage: null }).map((t) => t.id)).not.toContain("coverage");
  });
});

describe("cells and rates", () => {
  it("shows counts with separators and text as it is", () => {
    expect(cellText({ key: "n", label: "", kind: "count" }, 2266)).toBe("2,266");
    expect(cellText({ key: "r", label: "", kind: "rate" }, "83.98%")).toBe("83.98%");
    expect(cellText({ key: "t", label: "", kind: "text" }, undefined)).toBe("");
  });

  it("reads a rate's number back from its text, and nothing from a dash", () => {
    expect(rateValue("83.98%")).toBe(83.98);
    expect(rateValue("54.7%")).toBe(54.7);
    expect(rateValue("—")).toBeNull();
    expect(rateValue(12)).toBeNull();
  });
});
