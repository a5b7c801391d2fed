import { describe, expect, it } from "vitest";
import {
  beijingToday,
  daysBetween,
  daysOverdue,
  deadlineColour,
  itemColour,
  nextReportKind,
  safeAppLink,
} from "./rectification";

describe("daysBetween", () => {
  it("counts calendar days, across months, years and a leap day", () => {
    expect(daysBetween("2026-03-01", "2026-03-01")).toBe(0);
    expect(daysBetween("2026-02-28", "2026-03-01")).toBe(1);
    expect(daysBetween("2028-02-28", "2028-03-01")).toBe(2);
    expect(daysBetween("2026-12-31", "2027-01-01")).toBe(1);
    expect(daysBetween("2026-03-10", "2026-03-01")).toBe(-9);
  });

  it("refuses what is not an ISO date", () => {
    expect(() => daysBetween("2026/03/01", "2026-03-01")).toThrow(RangeError);
    expect(() => daysBetween("2026-03-01", "")).toThrow(RangeError);
  });
});

describe("deadlineColour (as public.run_deadline_warnings)", () => {
  const deadline = "2026-07-31";
  it.each([
    ["2026-07-10", null], // 21 days before: no warning yet
    ["2026-07-11", "green"], // 20 days before
    ["2026-07-20", "green"], // 11 days before
    ["2026-07-21", "yellow"], // 10 days before
    ["2026-07-31", "yellow"], // the deadline day itself
    ["2026-08-01", "red"], // the day after
    ["2027-01-01", "red"],
  ] as const)("on %s: %s", (today, colour) => {
    expect(deadlineColour(deadline, today)).toBe(colour);
  });

  it("gives no colour to an item without a deadline (长期坚持)", () => {
    expect(deadlineColour(null, "2026-08-01")).toBeNull();
  });

  it("warns only about open items", () => {
    expect(itemColour({ status: "open", deadline, }, "2026-08-01")).toBe("red");
    expect(itemColour({ status: "unit_confirmed", deadline }, "2026-08-01")).toBeNull();
    expect(itemColour({ status: "closed", deadline }, "2026-08-01")).toBeNull();
  });
});

describe("daysOverdue", () => {
  it("is zero up to the deadline and counts the days after it", () => {
    expect(daysOverdue("2026-07-31", "2026-07-30")).toBe(0);
    expect(daysOverdue("2026-07-31", "2026-07-31")).toBe(0);
    expect(daysOverdue("2026-07-31", "2026-08-10")).toBe(10);
    expect(daysOverdue(null, "2026-08-10")).toBe(0);
  });
});

describe("beijingToday", () => {
  it("is the date in UTC+8", () => {
    expect(beijingToday(new Date("2026-07-31T15:59:59Z"))).toBe("2026-07-31");
    expect(beijingToday(new Date("2026-07-31T16:00:00Z"))).toBe("2026-08-01");
  });
});

describe("safeAppLink", () => {
  it("keeps paths of this site and drops anything that leaves it", () => {
    expect(safeAppLink("/rectification/items/12")).toBe("/rectification/items/12");
    expect(safeAppLink("//evil.example/x")).toBeNull();
    expect(safeAppLink("https://evil.example/")).toBeNull();
    expect(safeAppLink("/\\evil.example")).toBeNull();
    expect(safeAppLink(null)).toBeNull();
    expect(safeAppLink("")).toBeNull();
  });
});

describe("nextReportKind", () => {
  it("asks for the plan until it is accepted, then for progress reports", () => {
    expect(nextReportKind([])).toEqual({ kind: "plan", blocked: null });
    expect(nextReportKind([{ kind: "plan", status: "returned" }])).toEqual({ kind: "plan", blocked: null });
    expect(nextReportKind([{ kind: "plan", status: "returned" }, { kind: "plan", status: "submitted" }])).toEqual({
      kind: "plan",
      blocked: "awaiting_review",
    });
    expect(nextReportKind([{ kind: "plan", status: "accepted" }])).toEqual({ kind: "progress", blocked: null });
    expect(
      nextReportKind([{ kind: "plan", status: "accepted" }, { kind: "progress", status: "submitted" }]),
    ).toEqual({ kind: "progress", blocked: "awaiting_review" });
  });
});
