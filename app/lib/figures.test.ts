import { describe, expect, it } from "vitest";
import { emptyCounts, formatCount, rectificationRate, shanghaiDate, share, sumCounts } from "./figures";

describe("rectificationRate (整改率 = 已整改 ÷ 已反馈, two decimals)", () => {
  it("gives the figure of seed 003: 1,903 of 2,266 → 83.98%", () => {
    expect(rectificationRate(1903, 2266)).toBe("83.98%");
  });

  it("always shows exactly two decimals", () => {
    expect(rectificationRate(1, 1)).toBe("100.00%");
    expect(rectificationRate(0, 5)).toBe("0.00%");
    expect(rectificationRate(1, 2)).toBe("50.00%");
    expect(rectificationRate(1, 3)).toBe("33.33%");
    expect(rectificationRate(2, 3)).toBe("66.67%");
    expect(rectificationRate(1, 40)).toBe("2.50%");
  });

  it("rounds half up without binary-fraction surprises", () => {
    // 1/160 = 0.625% exactly; 1/16 = 6.25% exactly; 5/8 = 62.5% exactly.
    expect(rectificationRate(1, 160)).toBe("0.63%");
    expect(rectificationRate(1, 16)).toBe("6.25%");
    expect(rectificationRate(5, 8)).toBe("62.50%");
    // 1,005 of 10,000,000 = 0.01005% → 0.01%.
    expect(rectificationRate(1005, 10_000_000)).toBe("0.01%");
    // 2 of 30,000 = 0.00666…% → 0.01%; 1 of 30,000 = 0.00333…% → 0.00%.
    expect(rectificationRate(2, 30_000)).toBe("0.01%");
    expect(rectificationRate(1, 30_000)).toBe("0.00%");
    // Just below a whole: 9,999 of 10,000 = 99.99%; 99,999 of 100,000 = 99.999% → 100.00%.
    expect(rectificationRate(9999, 10_000)).toBe("99.99%");
    expect(rectificationRate(99_999, 100_000)).toBe("100.00%");
  });

  it('shows "—" when nothing was fed back, or the counts make no sense', () => {
    expect(rectificationRate(0, 0)).toBe("—");
    expect(rectificationRate(3, 2)).toBe("—");
    expect(rectificationRate(-1, 2)).toBe("—");
    expect(rectificationRate(1.5, 2)).toBe("—");
    expect(rectificationRate(Number.NaN, 2)).toBe("—");
  });
});

describe("formatCount (thousands separators)", () => {
  it("groups by three digits", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1000)).toBe("1,000");
    expect(formatCount(2266)).toBe("2,266");
    expect(formatCount(1_234_567)).toBe("1,234,567");
    expect(formatCount(-1903)).toBe("-1,903");
  });

  it("shows a dash for what is not a number", () => {
    expect(formatCount(Number.NaN)).toBe("—");
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe("—");
  });
});

describe("share (bar widths)", () => {
  it("is a percentage of the total with one decimal, 0 when there is no total", () => {
    expect(share(1, 3)).toBe(33.3);
    expect(share(3, 3)).toBe(100);
    expect(share(0, 3)).toBe(0);
    expect(share(1, 0)).toBe(0);
  });
});

describe("sumCounts", () => {
  it("adds every count and every category", () => {
    const a = { ...emptyCounts(), problems: 3, fedBack: 2, rectified: 1, byCategory: { "1": 2, "2": 1 } };
    const b = { ...emptyCounts(), problems: 4, fedBack: 4, rectified: 4, overdueItems: 1, byCategory: { "2": 3, "5": 1 } };
    const total = sumCounts([a, b]);
    expect(total).toMatchObject({ problems: 7, fedBack: 6, rectified: 5, overdueItems: 1 });
    expect(total.byCategory).toEqual({ "1": 2, "2": 4, "5": 1 });
    expect(sumCounts([])).toEqual(emptyCounts());
  });
});

describe("shanghaiDate (today in China)", () => {
  it("is the calendar date at UTC+8, whatever the machine's zone", () => {
    expect(shanghaiDate(new Date("2026-06-29T15:59:59Z"))).toBe("2026-06-29");
    expect(shanghaiDate(new Date("2026-06-29T16:00:00Z"))).toBe("2026-06-30");
    expect(shanghaiDate(new Date("2026-12-31T16:30:00Z"))).toBe("2027-01-01");
  });
});
