import { describe, expect, it } from "vitest";
import { defineAbilityFor, packAbility, roles, subject, unpackAbility, type PermissionUser } from "./index";

const base: PermissionUser = { id: "u1", role: "office_staff", orgId: 10, subtreeOrgIds: [10, 11, 12], membershipOrgIds: [10], groupIds: [], permissions: [], lineageOrgIds: [10], unitIds: [], isUnitHead: false, auditableOrgIds: [], campaignIds: [], receivedDispatchIds: [] };

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
    const auditor = defineAbilityFor({ ...base, role: "audit_admin", auditableOrgIds: [10, 11, 99] });
    expect(auditor.can("read", subject("AuditLog", { orgId: 11, userId: null }))).toBe(true);
    expect(auditor.can("read", subject("AuditLog", { orgId: 99, userId: null })), "a partner attached to the subtree").toBe(true);
    expect(auditor.can("read", subject("AuditLog", { orgId: 12, userId: null })), "outside the auditable orgs").toBe(false);
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

describe("findings, leads and rectification (issue 4)", () => {
  const rect = (o: Partial<{ supervisingOrgId: number; executingOrgId: number; targetVisibleOrgId: number | null; unitId: number; groupId: number; status: string }> = {}) =>
    ({ groupId: 7, supervisingOrgId: 10, executingOrgId: 10, targetVisibleOrgId: null, unitId: 500, ...o });
  const contact = { ...base, role: "unit_contact" as const, subtreeOrgIds: [10, 11, 12], lineageOrgIds: [], unitIds: [500] };

  it("lets everyone read the common taxonomy of categories, and offices their line's and subtree's own", () => {
    for (const role of roles) {
      expect(defineAbilityFor({ ...base, role }).can("read", subject("ProblemCategory", { orgId: null })), role).toBe(true);
    }
    const county = defineAbilityFor({ ...base, orgId: 12, subtreeOrgIds: [12], lineageOrgIds: [12, 10, 1] });
    expect(county.can("read", subject("ProblemCategory", { orgId: 1 })), "an ancestor's").toBe(true);
    expect(county.can("read", subject("ProblemCategory", { orgId: 11 })), "a sibling's").toBe(false);
    expect(county.can("create", subject("ProblemCategory", { orgId: 12 }))).toBe(true);
    expect(county.can("create", subject("ProblemCategory", { orgId: null })), "nobody adds to the common taxonomy").toBe(false);
    expect(defineAbilityFor(contact).can("read", subject("ProblemCategory", { orgId: 10 })), "a contact reads no office's own").toBe(false);
  });

  it("lets the group change a working paper only while it is drafted; offices only read it", () => {
    const member = defineAbilityFor({ ...base, role: "group_member", groupIds: [7] });
    const paper = (status: string) => subject("WorkingPaper", { groupId: 7, executingOrgId: 10, status });
    expect(member.can("update", paper("drafting"))).toBe(true);
    expect(member.can("update", paper("deputy_review"))).toBe(false);
    expect(member.can("update", paper("approved"))).toBe(false);
    expect(member.can("update", subject("WorkingPaper", { groupId: 7, executingOrgId: 10 })), "without its state, the database decides").toBe(true);
    expect(member.can("review", paper("drafting"))).toBe(true);
    const staff = defineAbilityFor(base);
    expect(staff.can("read", paper("approved"))).toBe(true);
    expect(staff.can("update", paper("drafting"))).toBe(false);
    expect(staff.can("review", paper("drafting"))).toBe(false);
  });

  it("lets the supervising office review a report once, while submitted, and an item once confirmed or closed", () => {
    const staff = defineAbilityFor(base);
    expect(staff.can("update", subject("RectificationReport", rect({ status: "submitted" })))).toBe(true);
    expect(staff.can("update", subject("RectificationReport", rect({ status: "accepted" })))).toBe(false);
    expect(staff.can("update", subject("RectificationReport", rect({ status: "returned" })))).toBe(false);
    expect(staff.can("update", subject("RectificationReport", rect({ status: "submitted", supervisingOrgId: 11 })))).toBe(false);
    expect(staff.can("verify", subject("RectificationItem", rect({ status: "unit_confirmed" })))).toBe(true);
    expect(staff.can("verify", subject("RectificationItem", rect({ status: "closed" }))), "reopen").toBe(true);
    expect(staff.can("verify", subject("RectificationItem", rect({ status: "open" })))).toBe(false);
    expect(staff.can("confirm", subject("RectificationItem", rect({ status: "open" }))), "the unit's head confirms").toBe(false);
  });

  it("gives the unit contact his unit's rectification, and its head the confirmation", () => {
    const a = defineAbilityFor(contact);
    expect(a.can("read", subject("RectificationItem", rect()))).toBe(true);
    expect(a.can("read", subject("RectificationItem", rect({ unitId: 501 })))).toBe(false);
    expect(a.can("read", subject("Problem", { groupId: 7, executingOrgId: 10, supervisingOrgId: 10, fedBackUnitId: 500, fedBackTargetOrgId: null }))).toBe(true);
    expect(a.can("read", subject("Problem", { groupId: 7, executingOrgId: 10, supervisingOrgId: 10, fedBackUnitId: null, fedBackTargetOrgId: null }))).toBe(false);
    expect(a.can("read", subject("WorkingPaper", { groupId: 7, executingOrgId: 10 }))).toBe(false);
    expect(a.can("read", subject("Lead", { groupId: 7, executingOrgId: 10, receivingOrgId: null, transferredOn: null }))).toBe(false);
    expect(a.can("create", subject("RectificationReport", rect()))).toBe(true);
    expect(a.can("create", subject("RectificationReport", rect({ unitId: 501 })))).toBe(false);
    expect(a.can("update", subject("RectificationItem", rect({ status: "open" })))).toBe(true);
    expect(a.can("update", subject("RectificationItem", rect({ status: "closed" }))), "a closed item is reopened first").toBe(false);
    expect(a.can("update", subject("RectificationReport", rect({ status: "submitted" }))), "he does not review").toBe(false);
    expect(a.can("confirm", subject("RectificationItem", rect({ status: "open" }))), "not the head").toBe(false);
    const head = defineAbilityFor({ ...contact, isUnitHead: true });
    expect(head.can("confirm", subject("RectificationItem", rect({ status: "open" })))).toBe(true);
    expect(head.can("confirm", subject("RectificationItem", rect({ status: "unit_confirmed" })))).toBe(false);
    expect(head.can("confirm", subject("RectificationItem", rect({ status: "open", unitId: 501 })))).toBe(false);
  });

  it("gives a partner's staff the leads transferred to his org, and nothing else", () => {
    const partner = defineAbilityFor({ ...base, role: "partner_staff", orgId: 900, subtreeOrgIds: [900], membershipOrgIds: [900], lineageOrgIds: [] });
    const lead = (o: { receivingOrgId: number | null; transferredOn: string | null }) => subject("Lead", { groupId: 7, executingOrgId: 10, ...o });
    expect(partner.can("read", lead({ receivingOrgId: 900, transferredOn: "2026-11-01" }))).toBe(true);
    expect(partner.can("handle", lead({ receivingOrgId: 900, transferredOn: "2026-11-01" }))).toBe(true);
    expect(partner.can("view_lead_person", lead({ receivingOrgId: 900, transferredOn: "2026-11-01" }))).toBe(true);
    expect(partner.can("read", lead({ receivingOrgId: 901, transferredOn: "2026-11-01" }))).toBe(false);
    expect(partner.can("read", lead({ receivingOrgId: null, transferredOn: null }))).toBe(false);
    expect(partner.can("transfer", lead({ receivingOrgId: null, transferredOn: null }))).toBe(false);
    expect(partner.can("read", subject("Org", { id: 900, provinceId: 1 }))).toBe(true);
    expect(partner.can("read", subject("Org", { id: 10, provinceId: 1 }))).toBe(false);
    expect(partner.can("read", subject("Problem", { groupId: 7, executingOrgId: 10, supervisingOrgId: 10, fedBackUnitId: 500, fedBackTargetOrgId: null }))).toBe(false);
    const staff = defineAbilityFor(base);
    expect(staff.can("transfer", lead({ receivingOrgId: null, transferredOn: null }))).toBe(true);
    expect(staff.can("transfer", lead({ receivingOrgId: 900, transferredOn: "2026-11-01" })), "transferred once").toBe(false);
    expect(staff.can("handle", lead({ receivingOrgId: 900, transferredOn: "2026-11-01" }))).toBe(false);
    expect(staff.can("view_lead_person", lead({ receivingOrgId: null, transferredOn: null })), "without the permission").toBe(false);
    expect(defineAbilityFor({ ...base, permissions: ["view_lead_person"] }).can("view_lead_person", lead({ receivingOrgId: null, transferredOn: null }))).toBe(true);
  });

  it("gives each user his own notifications only", () => {
    for (const role of roles) {
      const a = defineAbilityFor({ ...base, role });
      expect(a.can("update", subject("Notification", { userId: "u1" })), role).toBe(true);
      expect(a.can("read", subject("Notification", { userId: "u2" })), role).toBe(false);
      expect(a.can("create", subject("Notification", { userId: "u1" })), role).toBe(false);
    }
  });
});
