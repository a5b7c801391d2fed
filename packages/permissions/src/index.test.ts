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

describe("across levels (issue 5)", () => {
  // Province 1 with city 10 and its counties 11 and 12; campaign 5 launched by the province,
  // with county 12 taking part (not 11).
  const province = { ...base, orgId: 1, subtreeOrgIds: [1, 10, 11, 12], lineageOrgIds: [1], campaignIds: [5] };
  const participant = { ...base, orgId: 12, subtreeOrgIds: [12], lineageOrgIds: [12, 10, 1], campaignIds: [5] };
  const outsider = { ...base, orgId: 11, subtreeOrgIds: [11], lineageOrgIds: [11, 10, 1], campaignIds: [] };
  const campaign = subject("Campaign", { id: 5, orgId: 1 });
  const link = (orgId: number) => subject("CampaignLink", { id: 70 + orgId, launcherOrgId: 1, orgId });

  it("shows the launcher all of a campaign, a participant the campaign and its own part, an outsider nothing", () => {
    const launcher = defineAbilityFor(province);
    expect(launcher.can("read", campaign)).toBe(true);
    expect(launcher.can("update", campaign)).toBe(true);
    expect(launcher.can("read", link(12)) && launcher.can("read", link(1))).toBe(true);
    expect(launcher.can("create", subject("CampaignParticipant", { launcherOrgId: 1, orgId: 11 }))).toBe(true);

    const part = defineAbilityFor(participant);
    expect(part.can("read", campaign), "through campaignIds").toBe(true);
    expect(part.can("read", subject("Campaign", { id: 6, orgId: 1 })), "not another campaign of the province").toBe(false);
    expect(part.can("update", campaign)).toBe(false);
    expect(part.can("read", link(12))).toBe(true);
    expect(part.can("read", link(11)), "not a sibling participant's work").toBe(false);
    expect(part.can("read", link(1)), "not the launcher's work").toBe(false);
    expect(part.can("read", subject("CampaignParticipant", { launcherOrgId: 1, orgId: 11 }))).toBe(false);
    expect(part.can("create", subject("CampaignParticipant", { launcherOrgId: 1, orgId: 11 })), "only the launcher adds participants").toBe(false);
    expect(part.can("create", subject("CampaignLink", { launcherOrgId: 1, orgId: 12, campaignStatus: "active" as const }))).toBe(true);
    expect(part.can("create", subject("CampaignLink", { launcherOrgId: 1, orgId: 12, campaignStatus: "closed" as const })), "a closed campaign takes no more work").toBe(false);
    expect(part.can("create", subject("CampaignLink", { launcherOrgId: 1, orgId: 11, campaignStatus: "active" as const }))).toBe(false);
    expect(part.can("delete", link(12))).toBe(true);

    const out = defineAbilityFor(outsider);
    expect(out.can("read", campaign)).toBe(false);
    expect(out.can("read", link(12))).toBe(false);
    expect(defineAbilityFor({ ...province, role: "leadership" }).can("update", campaign), "leadership reads only").toBe(false);
  });

  it("lets only a province or city office launch, and the launcher remove a participant with nothing attached", () => {
    const city = defineAbilityFor({ ...base, orgId: 10, subtreeOrgIds: [10, 11, 12] });
    expect(city.can("create", subject("Campaign", { orgId: 10, orgLevel: "city" as const }))).toBe(true);
    expect(city.can("create", subject("Campaign", { orgId: 10 })), "without the level, the database decides").toBe(true);
    expect(city.can("create", subject("Campaign", { orgId: 11, orgLevel: "county" as const }))).toBe(false);
    const county = defineAbilityFor(participant);
    expect(county.can("create", subject("Campaign", { orgId: 12, orgLevel: "county" as const }))).toBe(false);
    const launcher = defineAbilityFor(province);
    expect(launcher.can("delete", subject("CampaignParticipant", { launcherOrgId: 1, orgId: 12, attachedWork: false }))).toBe(true);
    expect(launcher.can("delete", subject("CampaignParticipant", { launcherOrgId: 1, orgId: 12, attachedWork: true }))).toBe(false);
  });

  it("shows a report sent down to its sender's line and to its recipients", () => {
    const report = subject("ThematicDispatch", { id: 8, orgId: 1 });
    expect(defineAbilityFor(province).can("read", report)).toBe(true);
    expect(defineAbilityFor({ ...participant, receivedDispatchIds: [8] }).can("read", report)).toBe(true);
    expect(defineAbilityFor(outsider).can("read", report)).toBe(false);
    const recipients = defineAbilityFor({ ...participant, receivedDispatchIds: [8] });
    expect(recipients.can("read", subject("ThematicDispatchRecipient", { senderOrgId: 1, orgId: 12 }))).toBe(true);
    expect(recipients.can("read", subject("ThematicDispatchRecipient", { senderOrgId: 1, orgId: 11 })), "not another recipient").toBe(false);
    expect(recipients.can("create", subject("ThematicDispatchRecipient", { senderOrgId: 1, orgId: 12 }))).toBe(false);
  });

  it("lets the granting office revoke a grant once, its ancestors read it, and nobody else touch it", () => {
    const staff = defineAbilityFor(base);
    expect(staff.can("create", subject("ResultGrant", { orgId: 10 }))).toBe(true);
    expect(staff.can("update", subject("ResultGrant", { id: 3, orgId: 10, revokedAt: null }))).toBe(true);
    expect(staff.can("update", subject("ResultGrant", { id: 3, orgId: 10, revokedAt: "2026-11-19 10:00:00+08" })), "revoked once").toBe(false);
    expect(staff.can("update", subject("ResultGrant", { id: 4, orgId: 11, revokedAt: null })), "not a county's grant").toBe(false);
    expect(staff.can("read", subject("ResultGrant", { id: 4, orgId: 11, revokedAt: null })), "but reads it").toBe(true);
    expect(staff.can("delete", subject("ResultGrant", { id: 3, orgId: 10, revokedAt: null }))).toBe(false);
    expect(defineAbilityFor({ ...base, role: "leadership" }).can("update", subject("ResultGrant", { id: 3, orgId: 10, revokedAt: null }))).toBe(false);
    for (const role of ["system_admin", "audit_admin", "group_member", "unit_contact", "partner_staff"] as const) {
      const a = defineAbilityFor({ ...base, role });
      expect(a.can("read", subject("ResultGrant", { id: 3, orgId: 10, revokedAt: null })), role).toBe(false);
      expect(a.can("create", subject("ResultGrant", { orgId: 10 })), role).toBe(false);
      expect(a.can("read", subject("PreBriefing", { id: 2, orgId: 10 })), role).toBe(false);
    }
  });

  it("gives a partner's staff what was shared with his org only, and offices none of it", () => {
    const partner = defineAbilityFor({ ...base, role: "partner_staff", orgId: 900, subtreeOrgIds: [900], membershipOrgIds: [900], lineageOrgIds: [] });
    expect(partner.can("read", subject("SharedResult", { partnerOrgId: 900 }))).toBe(true);
    expect(partner.can("read", subject("SharedResult", { partnerOrgId: 901 }))).toBe(false);
    expect(partner.can("update", subject("SharedResult", { partnerOrgId: 900 }))).toBe(false);
    expect(defineAbilityFor(base).can("read", subject("SharedResult", { partnerOrgId: 900 })), "an office reads grants, not through them").toBe(false);
  });
});
