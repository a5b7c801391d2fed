import { m } from "./messages";
import { coverageText } from "./messages/coverage";
import { engagementsText } from "./messages/engagements";
import { groupsText } from "./messages/groups";

/** Every audited action and object type with its Chinese label, from all catalogues. */
export const auditActionLabel: Record<string, string> = {
  ...m.auditAction,
  ...groupsText.auditAction,
  ...engagementsText.auditAction,
  ...coverageText.auditAction,
};

export const auditObjectLabel: Record<string, string> = {
  ...m.auditObject,
  ...groupsText.auditObject,
  ...engagementsText.auditObject,
  ...coverageText.auditObject,
};
