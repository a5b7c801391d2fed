import {
  AbilityBuilder,
  createMongoAbility,
  type ForcedSubject,
  type MongoAbility,
  type RawRuleOf,
} from "@casl/ability";
import { packRules, unpackRules, type PackRule } from "@casl/ability/extra";

/**
 * What the UI offers and what an action pre-checks. PostgreSQL RLS decides what the
 * database returns; a table-driven test runs every role x subject x action through
 * both and fails on any disagreement, so the two layers cannot drift.
 */
/** The CRUD actions every subject is checked against in the CASL = RLS matrix. */
export const actions = ["read", "create", "update", "delete"] as const;
/**
 * Workflow steps that are an update with a rule of their own (checked by their own tests):
 * approve a round; view a petition's reporter identity (explicit permission, audited);
 * act on a working paper's review chain; give feedback; confirm (the unit's head) or
 * verify / return / reopen (the office) a rectification item; register, transfer and
 * handle a lead; view a lead's person concerned.
 */
export const workflowActions = [
  "approve", "view_reporter_identity", "review", "give_feedback", "confirm", "verify",
  "register", "transfer", "handle", "view_lead_person",
] as const;
export const subjects = [
  "Org", "Unit", "Membership", "AuditLog", "Term", "Round", "RoundStatusHistory",
  "Cadre", "CadreWorkHistory", "CadreConflict", "TermObject",
  "PatrolGroup", "GroupMember", "MemberDraw", "Engagement",
  "FieldworkRecord", "Petition", "Attachment", "PermissionGrant",
  "ProblemCategory", "WorkingPaper", "WorkingPaperReview", "Problem", "Feedback",
  "RectificationReport", "RectificationItem", "RectificationItemEvent", "RectificationUpdate",
  "Notification", "RectificationDisclosure", "EvaluationTemplate", "EvaluationIndicator",
  "RectificationEvaluation", "EvaluationScore",
  "Campaign", "CampaignParticipant", "CampaignLink", "ThematicDispatch", "ThematicDispatchRecipient",
  "ResultGrant", "PreBriefing",
] as const;
/**
 * Subjects reached only through audited database functions (no table privilege at all):
 * not in the CRUD matrix, checked by their own tests.
 */
export const functionSubjects = ["Lead", "SharedResult"] as const;
export const roles = [
  "office_director", "office_staff", "leadership", "system_admin", "audit_admin", "group_member",
  "unit_contact", "partner_staff",
] as const;
/** Permissions granted explicitly, per membership, on top of the role. */
export const specialPermissions = ["view_reporter_identity", "view_lead_person"] as const;

export type Action = (typeof actions)[number] | (typeof workflowActions)[number];
export type SubjectName = (typeof subjects)[number] | (typeof functionSubjects)[number];
export type Role = (typeof roles)[number];

export interface OrgRecord { id: number; provinceId: number }
export interface UnitRecord { id?: number; orgId: number; provinceId: number }
export interface MembershipRecord { id?: number; userId: string; orgId: number }
export interface AuditLogRecord { id?: number; userId: string | null; orgId: number | null }
export interface TermRecord { id?: number; orgId: number }
export interface RoundRecord { id?: number; orgId: number; status?: string }
export interface RoundStatusHistoryRecord { id?: number; orgId: number }
/** A cadre and his history and conflicts all carry the org that holds the pool. */
export interface CadreRecord { id?: number; orgId: number }
export interface TermObjectRecord { id?: number; orgId: number }
/**
 * A group, its members and draws: orgId is the round's (supervising) org that sets it up,
 * executingOrgId the org whose cadres do the work.
 */
export interface GroupRecord { id?: number; groupId?: number; orgId: number; executingOrgId: number }
export interface EngagementRecord {
  id?: number;
  groupId: number;
  supervisingOrgId: number;
  executingOrgId: number;
  /** Set for an elevated or cross engagement once stationed: the unit's own org. */
  targetVisibleOrgId: number | null;
  /** 进驻 date; a stationed engagement stays on the record (never deleted). */
  stationedOn?: string | Date | null;
}
/** Fieldwork records, petitions and attachments: the conduct of an engagement. */
export interface ConductRecord { id?: number; groupId: number; executingOrgId: number }
export interface PermissionGrantRecord { id?: number; userId: string; orgId: number }
/** A file: conduct fields are set for conduct files, evidence fields for rectification evidence. */
export interface AttachmentRecord extends ConductRecord {
  conductOrgId: number | null;
  conductGroupId: number | null;
  evidenceOrgId: number | null;
  evidenceTargetOrgId: number | null;
  evidenceUnitId: number | null;
}
/** null orgId: the common taxonomy. */
export interface CategoryRecord { id?: number; orgId: number | null }
export interface ProblemRecord {
  id?: number;
  groupId: number;
  executingOrgId: number;
  supervisingOrgId: number;
  /** Set once fed back: the inspected unit (its contacts) and, for elevated/cross, its org. */
  fedBackUnitId: number | null;
  fedBackTargetOrgId: number | null;
}
/** Feedback and everything of rectification. */
export interface RectificationRecord {
  id?: number;
  groupId: number;
  executingOrgId: number;
  supervisingOrgId: number;
  targetVisibleOrgId: number | null;
  unitId: number;
  status?: string;
}
export interface NotificationRecord { id?: number; userId: string }
/** Publications, evaluations and scores belong to the supervising office. */
export interface SupervisedRecord { id?: number; supervisingOrgId: number }
export interface TemplateRecord { id?: number; orgId: number }
/** A linkage campaign (上下联动), launched by orgId (a province or city office: orgLevel, for a new one). */
export interface CampaignRecord { id?: number; orgId: number; orgLevel?: "province" | "city" | "county" }
/**
 * A participant or an attached round/engagement: orgId is the participant's (or attaching) office.
 * For a participant, attachedWork: whether it attached work (then it is not removed); for a
 * new link, campaignStatus: the campaign's (nothing is attached to a closed one).
 */
export interface CampaignPartRecord {
  id?: number;
  launcherOrgId: number;
  orgId: number;
  attachedWork?: boolean;
  campaignStatus?: "active" | "closed";
}
/** A thematic report sent down (专题报告下发), by orgId. */
export interface DispatchRecord { id?: number; orgId: number }
export interface DispatchRecipientRecord { senderOrgId: number; orgId: number }
/** A grant of results to a supervision partner, by the office orgId. */
export interface ResultGrantRecord { id?: number; orgId: number; revokedAt?: string | Date | null }
export interface BriefingRecord { id?: number; orgId: number }
/** What a grant shares, read by the partner through the audited functions. */
export interface SharedResultRecord { partnerOrgId: number }
export interface LeadRecord {
  id?: number;
  groupId: number;
  executingOrgId: number;
  receivingOrgId: number | null;
  transferredOn: string | Date | null;
}

type Tagged<Name extends SubjectName, T> = T & ForcedSubject<Name>;
export type AppSubject =
  | SubjectName
  | Tagged<"Org", OrgRecord>
  | Tagged<"Unit", UnitRecord>
  | Tagged<"Membership", MembershipRecord>
  | Tagged<"AuditLog", AuditLogRecord>
  | Tagged<"Term", TermRecord>
  | Tagged<"Round", RoundRecord>
  | Tagged<"RoundStatusHistory", RoundStatusHistoryRecord>
  | Tagged<"Cadre", CadreRecord>
  | Tagged<"CadreWorkHistory", CadreRecord>
  | Tagged<"CadreConflict", CadreRecord>
  | Tagged<"TermObject", TermObjectRecord>
  | Tagged<"PatrolGroup", GroupRecord>
  | Tagged<"GroupMember", GroupRecord>
  | Tagged<"MemberDraw", GroupRecord>
  | Tagged<"Engagement", EngagementRecord>
  | Tagged<"FieldworkRecord", ConductRecord>
  | Tagged<"Petition", ConductRecord>
  | Tagged<"Attachment", AttachmentRecord>
  | Tagged<"PermissionGrant", PermissionGrantRecord>
  | Tagged<"ProblemCategory", CategoryRecord>
  | Tagged<"WorkingPaper", ConductRecord & { status?: string }>
  | Tagged<"WorkingPaperReview", ConductRecord>
  | Tagged<"Problem", ProblemRecord>
  | Tagged<"Feedback", RectificationRecord>
  | Tagged<"RectificationReport", RectificationRecord>
  | Tagged<"RectificationItem", RectificationRecord>
  | Tagged<"RectificationItemEvent", RectificationRecord>
  | Tagged<"RectificationUpdate", RectificationRecord>
  | Tagged<"Notification", NotificationRecord>
  | Tagged<"RectificationDisclosure", SupervisedRecord>
  | Tagged<"EvaluationTemplate", TemplateRecord>
  | Tagged<"EvaluationIndicator", TemplateRecord>
  | Tagged<"RectificationEvaluation", SupervisedRecord>
  | Tagged<"EvaluationScore", SupervisedRecord>
  | Tagged<"Campaign", CampaignRecord>
  | Tagged<"CampaignParticipant", CampaignPartRecord>
  | Tagged<"CampaignLink", CampaignPartRecord>
  | Tagged<"ThematicDispatch", DispatchRecord>
  | Tagged<"ThematicDispatchRecipient", DispatchRecipientRecord>
  | Tagged<"ResultGrant", ResultGrantRecord>
  | Tagged<"PreBriefing", BriefingRecord>
  | Tagged<"SharedResult", SharedResultRecord>
  | Tagged<"Lead", LeadRecord>;

export type AppAbility = MongoAbility<[Action, AppSubject]>;
export type AppRule = RawRuleOf<AppAbility>;

/** The acting user as the database sees them: the active membership and its subtree. */
export interface PermissionUser {
  id: string;
  role: Role;
  /** The active membership's org. */
  orgId: number;
  /** The active org and all its descendants (from the closure table). */
  subtreeOrgIds: number[];
  /** Every org in which the user holds a membership (shown in the org switcher). */
  membershipOrgIds: number[];
  /** Groups whose running engagements a group member works on (private.my_group_ids). */
  groupIds: number[];
  /** Explicit permissions of the active membership (public.permission_grants). */
  permissions: (typeof specialPermissions)[number][];
  /** The active org and its ancestors, for office roles (private.lineage_org_ids). */
  lineageOrgIds: number[];
  /** A unit contact's inspected unit (private.contact_unit_ids). */
  unitIds: number[];
  /** Whether the unit contact is the unit's head (单位主要负责人), who confirms closures. */
  isUnitHead: boolean;
  /** For an audit administrator: his subtree and the supervision partners attached to it
   * (private.auditable_org_ids). */
  auditableOrgIds: number[];
  /** Linkage campaigns with a participant in the subtree (private.campaign_ids); those launched in it go by orgId. */
  campaignIds: number[];
  /** Thematic reports sent to the office or its subtree (private.received_dispatch_ids). */
  receivedDispatchIds: number[];
}

/** Fields an office may set on a unit; everything else is derived by the database. */
export const unitEditableFields = ["name", "category", "headLevel", "parentUnitId", "active"] as const;

type Builder = AbilityBuilder<AppAbility>;
type DefinePermissions = (user: PermissionUser, builder: Builder) => void;

const conduct = ["FieldworkRecord", "Petition", "WorkingPaper", "WorkingPaperReview"] as const;
const rectification = [
  "Feedback", "RectificationReport", "RectificationItem", "RectificationItemEvent", "RectificationUpdate",
] as const;

const officeReads: DefinePermissions = (user, { can }) => {
  const subtree = { $in: user.subtreeOrgIds };
  can("read", ["Unit", "Term", "Round", "RoundStatusHistory", "Cadre", "CadreWorkHistory", "CadreConflict", "TermObject"], {
    orgId: subtree,
  });
  // Everything of an engagement: the executing office and its ancestors.
  can("read", ["PatrolGroup", "GroupMember", "MemberDraw", "Engagement", ...conduct, "Attachment", "Problem", "Lead"], {
    executingOrgId: subtree,
  });
  // The target of a stationed elevated or cross patrol sees that it exists, and once fed
  // back its problems and rectification; never its conduct.
  can("read", "Engagement", { targetVisibleOrgId: subtree });
  can("read", "Problem", { supervisingOrgId: subtree });
  can("read", "Problem", { fedBackTargetOrgId: subtree });
  for (const field of ["supervisingOrgId", "executingOrgId", "targetVisibleOrgId"] as const) {
    can("read", [...rectification], { [field]: subtree });
  }
  can("read", "Attachment", { evidenceOrgId: subtree });
  can("read", "Attachment", { evidenceTargetOrgId: subtree });
  can("read", ["ProblemCategory", "EvaluationTemplate", "EvaluationIndicator"], { orgId: { $in: user.lineageOrgIds } });
  can("read", ["ProblemCategory", "EvaluationTemplate", "EvaluationIndicator"], { orgId: subtree });
  can("read", ["RectificationDisclosure", "RectificationEvaluation", "EvaluationScore"], { supervisingOrgId: subtree });
  // Linkage campaigns: the launcher's line sees all of one, a participant its own part.
  can("read", "Campaign", { orgId: subtree });
  can("read", "Campaign", { id: { $in: user.campaignIds } });
  can("read", ["CampaignParticipant", "CampaignLink"], { launcherOrgId: subtree });
  can("read", ["CampaignParticipant", "CampaignLink"], { orgId: subtree });
  can("read", "ThematicDispatch", { orgId: subtree });
  can("read", "ThematicDispatch", { id: { $in: user.receivedDispatchIds } });
  can("read", "ThematicDispatchRecipient", { senderOrgId: subtree });
  can("read", "ThematicDispatchRecipient", { orgId: subtree });
  can("read", ["ResultGrant", "PreBriefing"], { orgId: subtree });
  if (user.permissions.includes("view_reporter_identity")) {
    can("view_reporter_identity", "Petition", { executingOrgId: subtree });
  }
  if (user.permissions.includes("view_lead_person")) {
    can("view_lead_person", "Lead", { executingOrgId: subtree });
  }
};
const officeWrites: DefinePermissions = (user, { can }) => {
  can("create", "Unit", { orgId: user.orgId });
  can("update", "Unit", [...unitEditableFields], { orgId: user.orgId });
  can(["create", "update"], ["Term", "Round", "Cadre", "CadreWorkHistory", "CadreConflict"], { orgId: user.orgId });
  can("delete", ["CadreWorkHistory", "CadreConflict"], { orgId: user.orgId });
  can(["create", "update", "delete"], ["TermObject", "PatrolGroup", "GroupMember"], { orgId: user.orgId });
  // A draw is recorded by the database function that makes it.
  can("create", "MemberDraw", { orgId: user.orgId });
  can(["create", "update"], "Engagement", { supervisingOrgId: user.orgId });
  // Not once stationed: the database refuses it (23514), so the UI does not offer it.
  can("delete", "Engagement", { supervisingOrgId: user.orgId, stationedOn: null });
  can(["create", "update"], ["FieldworkRecord", "Petition"], { executingOrgId: user.orgId });
  can(["create", "delete"], "Attachment", { conductOrgId: user.orgId });
  can(["create", "delete"], "Attachment", { evidenceOrgId: user.orgId });
  can("register", "Lead", { executingOrgId: user.orgId });
  can("transfer", "Lead", { executingOrgId: user.orgId, transferredOn: null });
  can(["create", "update"], "ProblemCategory", { orgId: user.orgId });
  // Feedback is given through public.give_feedback, by the office whose round it is.
  can("give_feedback", "Engagement", { supervisingOrgId: user.orgId });
  // The supervising office records on the unit's behalf, reviews reports and items: a
  // report once (not one accepted or returned already); an item's verification (or
  // return) once the unit confirmed it, its reopening (回头看) once closed — never an open
  // one. (As everywhere a row's state decides: a record without its status is left to the
  // database.)
  can("create", ["RectificationReport", "RectificationItem", "RectificationUpdate"], { supervisingOrgId: user.orgId });
  can("update", "RectificationReport", { supervisingOrgId: user.orgId, status: { $nin: ["accepted", "returned"] } });
  can("update", "RectificationItem", { supervisingOrgId: user.orgId });
  can("verify", "RectificationItem", { supervisingOrgId: user.orgId, status: { $ne: "open" } });
  can(["create", "update"], ["RectificationDisclosure", "RectificationEvaluation", "EvaluationScore"], {
    supervisingOrgId: user.orgId,
  });
  can(["create", "update"], ["EvaluationTemplate", "EvaluationIndicator"], { orgId: user.orgId });
  can("delete", "EvaluationIndicator", { orgId: user.orgId });
  // Only a province or city office launches; a participant with attached work stays; a closed
  // campaign takes no more work (the database refuses each, 23514). A record without that
  // state is left to the database.
  can("create", "Campaign", { orgId: user.orgId, orgLevel: { $ne: "county" } });
  can("update", "Campaign", { orgId: user.orgId });
  can("create", "CampaignParticipant", { launcherOrgId: user.orgId, campaignStatus: { $ne: "closed" } });
  can("delete", "CampaignParticipant", { launcherOrgId: user.orgId, attachedWork: { $ne: true } });
  can("create", "CampaignLink", { orgId: user.orgId, campaignStatus: { $ne: "closed" } });
  can("delete", "CampaignLink", { orgId: user.orgId });
  can("create", "ThematicDispatch", { orgId: user.orgId });
  can("create", "ThematicDispatchRecipient", { senderOrgId: user.orgId });
  // A grant is revoked once (the update), never changed otherwise.
  can("create", "ResultGrant", { orgId: user.orgId });
  can("update", "ResultGrant", { orgId: user.orgId, revokedAt: null });
  can(["create", "update"], "PreBriefing", { orgId: user.orgId });
};

const rolePermissions: Record<Role, DefinePermissions> = {
  office_director(user, builder) {
    officeReads(user, builder);
    officeWrites(user, builder);
    // Only the director approves a submitted round plan (enforced again by the database).
    builder.can("approve", "Round", { orgId: user.orgId, status: "submitted" });
  },
  office_staff(user, builder) {
    officeReads(user, builder);
    officeWrites(user, builder);
  },
  leadership(user, builder) {
    officeReads(user, builder);
  },
  system_admin(user, { can, cannot }) {
    can(["read", "create", "update", "delete"], "Membership", { orgId: { $in: user.subtreeOrgIds } });
    can(["read", "create", "delete"], "PermissionGrant", { orgId: { $in: user.subtreeOrgIds } });
    // Separation of duties (三员分立): never grant or change one's own access.
    cannot(["create", "update"], ["Membership", "PermissionGrant"], { userId: user.id });
  },
  audit_admin(user, { can }) {
    can("read", "AuditLog", { orgId: { $in: user.auditableOrgIds } });
  },
  group_member(user, { can }) {
    // His own group's engagements while the round runs, and nothing else.
    const mine = { $in: user.groupIds };
    can("read", "PatrolGroup", { id: mine });
    can("read", ["GroupMember", "Engagement", ...conduct, "Attachment", "Problem", "Lead", ...rectification], {
      groupId: mine,
    });
    can(["create", "update"], ["FieldworkRecord", "Petition"], { groupId: mine });
    // Papers are the group's own: drafted and reviewed by its members (step roles are
    // checked by public.advance_working_paper); a paper under review (or approved) is not
    // changed.
    can("create", "WorkingPaper", { groupId: mine });
    can("update", "WorkingPaper", { groupId: mine, status: { $nin: ["deputy_review", "leader_review", "meeting_review", "approved"] } });
    can("review", "WorkingPaper", { groupId: mine });
    can(["create", "delete"], "Attachment", { conductGroupId: mine });
    can("register", "Lead", { groupId: mine });
    if (user.permissions.includes("view_reporter_identity")) {
      can("view_reporter_identity", "Petition", { groupId: mine });
    }
    if (user.permissions.includes("view_lead_person")) {
      can("view_lead_person", "Lead", { groupId: mine });
    }
  },
  unit_contact(user, { can }) {
    // His own unit's fed-back problems and its rectification; nothing of the conduct.
    const mine = { $in: user.unitIds };
    can("read", "Problem", { fedBackUnitId: mine });
    can("read", [...rectification], { unitId: mine });
    can("create", ["RectificationReport", "RectificationItem", "RectificationUpdate"], { unitId: mine });
    // A closed item is reopened by the office before the unit changes it again.
    can("update", "RectificationItem", { unitId: mine, status: { $ne: "closed" } });
    can("read", "Attachment", { evidenceUnitId: mine });
    can(["create", "delete"], "Attachment", { evidenceUnitId: mine });
    if (user.isUnitHead) can("confirm", "RectificationItem", { unitId: mine, status: "open" });
  },
  partner_staff(user, { can }) {
    // Only the leads transferred to his org (through the audited lead functions).
    can("read", "Lead", { receivingOrgId: user.orgId, transferredOn: { $ne: null } });
    can(["handle", "view_lead_person"], "Lead", { receivingOrgId: user.orgId, transferredOn: { $ne: null } });
    // What an office shared with his org (through the audited shared-results functions).
    can("read", "SharedResult", { partnerOrgId: user.orgId });
  },
};

/** Rules every signed-in user has, whatever the role. */
const everyone: DefinePermissions = (user, { can }) => {
  can("read", "Org", { id: { $in: user.subtreeOrgIds } });
  can("read", "Org", { id: { $in: user.membershipOrgIds } });
  can("read", "Org", { id: { $in: user.auditableOrgIds } });
  can("read", ["Membership", "PermissionGrant"], { userId: user.id });
  can(["read", "update"], "Notification", { userId: user.id });
  // The common taxonomy of problem categories (an office's own additions: its line and subtree).
  can("read", "ProblemCategory", { orgId: null });
  // Every write records its own audit row, under the user's own id and active org.
  can("create", "AuditLog", { userId: user.id, orgId: user.orgId });
};

export function defineAbilityFor(user: PermissionUser): AppAbility {
  const define = rolePermissions[user.role];
  if (!define) throw new Error(`Unknown role: ${String(user.role)}`);
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  everyone(user, builder);
  define(user, builder);
  return builder.build();
}

export function createAbility(rules: AppRule[]): AppAbility {
  return createMongoAbility<AppAbility>(rules);
}

/** Compact rules for the browser (built once in the root loader). */
export function packAbility(ability: AppAbility): PackRule<AppRule>[] {
  return packRules(ability.rules);
}

export function unpackAbility(packed: PackRule<AppRule>[]): AppAbility {
  return createAbility(unpackRules(packed) as AppRule[]);
}

export { subject } from "@casl/ability";
