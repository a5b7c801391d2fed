import { describe, expect, it } from "vitest";
import { defineAbilityFor, packAbility, roles, subject, unpackAbility, type PermissionUser } from "./index";

const base: PermissionUser = { id: "u1", role: "office_staff", orgId: 10, subtreeOrgIds: [10, 11, 12], membershipOrgIds: [10], groupIds: [], permissions: [], lineageOrgIds: [10], unitIds: [], isUnitHead: false };

describe("defineAbilityFor", () => {
  it("throws on an unknown role", () => {
    expect(() => defineAbilityFor({ ...base, role: "superuser" as never })).toThrow(/Unknown role/);
  });

  it("lets office staff read the subtree but write only their own org", () => {
    const a = defineAbilityFor(base);
    expect(a.can("read", subject("Unit", { orgId: 12, provinceId: 1 }))).toBe(true);
    expect(a.can("read", subject("Unit", { orgId: 99, provinceId: 1 }))).toBe(false);
    expect(a.can("create", subject("Unit", { orgId: 10, provinceId: 1 }))).toBe(true);
    expect(a.can("update", subject("Unit", { orgId: 11, provinceId: 1 }))).toBe(false);
    expect(a.can("delete", subject("Unit", { orgId: 10, provinceId: 1 }))).toBe(false);
  });

  it("gives leadership read-only access", () => {
    const a = defineAbilityFor({ ...base, role: "leadership" });
    expect(a.can("read", subject("Unit", { orgId: 10, provinceId: 1 }))).toBe(true);
    expect(a.can("create", subject("Unit", { orgId: 10, provinceId: 1 }))).toBe(false);
  });

  it("gives system and audit administrators no business data", () => {
    for (const role of ["system_admin", "audit_admin"] as const) {
      const a = defineAbilityFor({ ...base, role });
      expect(a.can("read", subject("Unit", { orgId: 10, provinceId: 1 }))).toBe(false);
    }
    expect(defineAbilityFor({ ...base, role: "audit_admin" }).can("read", subject("AuditLog", { orgId: 11, userId: null }))).toBe(true);
    expect(defineAbilityFor({ ...base, role: "system_admin" }).can("read", subject("AuditLog", { orgId: 11, userId: null }))).toBe(false);
  });

  it("lets only the director approve, and only a submitted round of the own org", () => {
    const director = defineAbilityFor({ ...base, role: "office_director" });
    const staff = defineAbilityFor(base);
    expect(director.can("approve", subject("Round", { orgId: 10, status: "submitted" }))).toBe(true);
    expect(director.can("approve", subject("Round", { orgId: 10, status: "draft" }))).toBe(false);
    expect(director.can("approve", subject("Round", { orgId: 11, status: "submitted" }))).toBe(false);
    expect(staff.can("approve", subject("Round", { orgId: 10, status: "submitted" }))).toBe(false);
    expect(staff.can("update", subject("Round", { orgId: 10, status: "draft" }))).toBe(true);
  });

  it("survives packing for the browser unchanged", () => {
    for (const role of roles) {
      const a = defineAbilityFor({ ...base, role });
      const b = unpackAbility(packAbility(a));
      for (const orgId of [10, 12, 99]) {
        for (const name of ["Unit", "Membership", "AuditLog", "Org"] as const) {
          for (const action of ["read", "create", "update", "delete"] as const) {
            const row = subject(name, { id: orgId, orgId, provinceId: 1, userId: "u1" } as never);
            expect(b.can(action, row), `${role} ${action} ${name} ${orgId}`).toBe(a.can(action, row));
          }
        }
      }
    }
  });
});

describe("engagements (issue 3)", () => {
  const engagement = (o: Partial<{ supervisingOrgId: number; executingOrgId: number; targetVisibleOrgId: number | null; groupId: number; stationedOn: string | null }> = {}) =>
    subject("Engagement", { groupId: 7, supervisingOrgId: 10, executingOrgId: 10, targetVisibleOrgId: null, ...o });

  it("lets the supervising office remove an engagement only until it is stationed", () => {
    const staff = defineAbilityFor(base);
    expect(staff.can("delete", engagement())).toBe(true);
    expect(staff.can("delete", engagement({ stationedOn: null }))).toBe(true);
    expect(staff.can("delete", engagement({ stationedOn: "2026-03-16" }))).toBe(false);
    expect(staff.can("update", engagement({ stationedOn: "2026-03-16" }))).toBe(true);
    expect(staff.can("delete", engagement({ supervisingOrgId: 11 }))).toBe(false);
  });

  it("shows the target of an elevated or cross engagement the engagement, not its conduct", () => {
    const target = defineAbilityFor({ ...base, orgId: 12, subtreeOrgIds: [12] });
    expect(target.can("read", engagement({ targetVisibleOrgId: 12 }))).toBe(true);
    expect(target.can("read", engagement({ targetVisibleOrgId: null }))).toBe(false);
    expect(target.can("read", subject("FieldworkRecord", { groupId: 7, executingOrgId: 10 }))).toBe(false);
    expect(target.can("update", engagement({ targetVisibleOrgId: 12 }))).toBe(false);
  });

  it("gives a group member his own groups' engagements and conduct, and nothing else", () => {
    const member = defineAbilityFor({ ...base, role: "group_member", groupIds: [7] });
    expect(member.can("read", engagement())).toBe(true);
    expect(member.can("read", engagement({ groupId: 8 }))).toBe(false);
    expect(member.can("update", engagement())).toBe(false);
    expect(member.can("create", subject("Petition", { groupId: 7, executingOrgId: 99 }))).toBe(true);
    expect(member.can("create", subject("Petition", { groupId: 8, executingOrgId: 10 }))).toBe(false);
    expect(member.can("delete", subject("Petition", { groupId: 7, executingOrgId: 99 }))).toBe(false);
    expect(member.can("read", subject("Unit", { orgId: 10, provinceId: 1 }))).toBe(false);
    expect(member.can("read", subject("MemberDraw", { groupId: 7, orgId: 10, executingOrgId: 10 }))).toBe(false);
    expect(member.can("view_reporter_identity", subject("Petition", { groupId: 7, executingOrgId: 10 }))).toBe(false);
    const granted = defineAbilityFor({ ...base, role: "group_member", groupIds: [7], permissions: ["view_reporter_identity"] });
    expect(granted.can("view_reporter_identity", subject("Petition", { groupId: 7, executingOrgId: 10 }))).toBe(true);
    expect(granted.can("view_reporter_identity", subject("Petition", { groupId: 8, executingOrgId: 10 }))).toBe(false);
  });
});
