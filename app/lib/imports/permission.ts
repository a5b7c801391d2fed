import { subject, type AppAbility } from "@xunlian/permissions";
import type { ImportKind } from "./kinds";

/**
 * Who may import what: CASL `create` on what the rows become, in the active org's own
 * scope (units and cadres of the org; ledger items of engagements the org supervises).
 * RLS decides the writes themselves; this only decides what the page offers.
 */
export function canImport(ability: AppAbility, org: { id: number; provinceId: number }, kind: ImportKind): boolean {
  switch (kind) {
    case "unit":
      return ability.can("create", subject("Unit", { orgId: org.id, provinceId: org.provinceId }));
    case "cadre":
      return ability.can("create", subject("Cadre", { orgId: org.id }));
    case "ledger":
      // Only the supervising office's own rule: a unit contact's (unitId) never matches unit 0.
      return ability.can(
        "create",
        subject("RectificationItem", { supervisingOrgId: org.id, executingOrgId: 0, groupId: 0, targetVisibleOrgId: null, unitId: 0 }),
      );
  }
}
