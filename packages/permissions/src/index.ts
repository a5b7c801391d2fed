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
 * approve a round; view a petition's reporter identity (explicit permission, audited).
 */
export const workflowActions = ["approve", "view_reporter_identity"] as const;
export const subjects = [
  "Org", "Unit", "Membership", "AuditLog", "Term", "Round", "RoundStatusHistory",
  "Cadre", "CadreWorkHistory", "CadreConflict", "TermObject",
  "PatrolGroup", "GroupMember", "MemberDraw", "Engagement",
  "FieldworkRecord", "Petition", "Attachment", "PermissionGrant",
] as const;
export const roles = ["office_director", "office_staff", "leadership", "system_admin", "audit_admin", "group_member"] as const;
/** Permissions granted explicitly, per membership, on top of the role. */
export const specialPermissions = ["view_reporter_identity"] as const;

export type Action = (typeof actions)[number] | (typeof workflowActions)[number];
export type SubjectName = (typeof subjects)[number];
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
  | Tagged<"Attachment", ConductRecord>
  | Tagged<"PermissionGrant", PermissionGrantRecord>;

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
}

/** Fields an office may set on a unit; everything else is derived by the database. */
export const unitEditableFields = ["name", "category", "headLevel", "parentUnitId", "active"] as const;

type Builder = AbilityBuilder<AppAbility>;
type DefinePermissions = (user: PermissionUser, builder: Builder) => void;

const conduct = ["FieldworkRecord", "Petition", "Attachment"] as const;

const officeReads: DefinePermissions = (user, { can }) => {
  const subtree = { $in: user.subtreeOrgIds };
  can("read", ["Unit", "Term", "Round", "RoundStatusHistory", "Cadre", "CadreWorkHistory", "CadreConflict", "TermObject"], {
    orgId: subtree,
  });
  // Everything of an engagement: the executing office and its ancestors.
  can("read", ["PatrolGroup", "GroupMember", "MemberDraw", "Engagement", ...conduct], { executingOrgId: subtree });
  // The target of a stationed elevated or cross patrol sees that it exists, nothing more.
  can("read", "Engagement", { targetVisibleOrgId: subtree });
  if (user.permissions.includes("view_reporter_identity")) {
    can("view_reporter_identity", "Petition", { executingOrgId: subtree });
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
  can(["create", "delete"], "Attachment", { executingOrgId: user.orgId });
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
    can("read", "AuditLog", { orgId: { $in: user.subtreeOrgIds } });
  },
  group_member(user, { can }) {
    // His own group's engagements while the round runs, and nothing else.
    const mine = { $in: user.groupIds };
    can("read", "PatrolGroup", { id: mine });
    can("read", ["GroupMember", "Engagement", ...conduct], { groupId: mine });
    can(["create", "update"], ["FieldworkRecord", "Petition"], { groupId: mine });
    can(["create", "delete"], "Attachment", { groupId: mine });
    if (user.permissions.includes("view_reporter_identity")) {
      can("view_reporter_identity", "Petition", { groupId: mine });
    }
  },
};

/** Rules every signed-in user has, whatever the role. */
const everyone: DefinePermissions = (user, { can }) => {
  can("read", "Org", { id: { $in: user.subtreeOrgIds } });
  can("read", "Org", { id: { $in: user.membershipOrgIds } });
  can("read", ["Membership", "PermissionGrant"], { userId: user.id });
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
