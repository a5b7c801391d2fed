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
/** Workflow steps that are an update with a rule of their own (checked by their own tests). */
export const workflowActions = ["approve"] as const;
export const subjects = [
  "Org", "Unit", "Membership", "AuditLog", "Term", "Round", "RoundStatusHistory",
  "Cadre", "CadreWorkHistory", "CadreConflict",
] as const;
export const roles = ["office_director", "office_staff", "leadership", "system_admin", "audit_admin"] as const;

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
  | Tagged<"CadreConflict", CadreRecord>;

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
}

/** Fields an office may set on a unit; everything else is derived by the database. */
export const unitEditableFields = ["name", "category", "headLevel", "parentUnitId", "active"] as const;

type Builder = AbilityBuilder<AppAbility>;
type DefinePermissions = (user: PermissionUser, builder: Builder) => void;

const officeReads: DefinePermissions = (user, { can }) => {
  can("read", ["Unit", "Term", "Round", "RoundStatusHistory", "Cadre", "CadreWorkHistory", "CadreConflict"], {
    orgId: { $in: user.subtreeOrgIds },
  });
};
const officeWrites: DefinePermissions = (user, { can }) => {
  can("create", "Unit", { orgId: user.orgId });
  can("update", "Unit", [...unitEditableFields], { orgId: user.orgId });
  can(["create", "update"], ["Term", "Round", "Cadre", "CadreWorkHistory", "CadreConflict"], { orgId: user.orgId });
  can("delete", ["CadreWorkHistory", "CadreConflict"], { orgId: user.orgId });
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
    // Separation of duties (三员分立): never grant or change one's own access.
    cannot(["create", "update"], "Membership", { userId: user.id });
  },
  audit_admin(user, { can }) {
    can("read", "AuditLog", { orgId: { $in: user.subtreeOrgIds } });
  },
};

/** Rules every signed-in user has, whatever the role. */
const everyone: DefinePermissions = (user, { can }) => {
  can("read", "Org", { id: { $in: user.subtreeOrgIds } });
  can("read", "Org", { id: { $in: user.membershipOrgIds } });
  can("read", "Membership", { userId: user.id });
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
