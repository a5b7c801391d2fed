import { m } from "./messages";
import { auditAction as campaignsAuditAction, auditObject as campaignsAuditObject } from "./messages/campaigns";
import { coverageText } from "./messages/coverage";
import { engagementsText } from "./messages/engagements";
import { evaluationAudit } from "./messages/evaluation";
import { feedbackText } from "./messages/feedback";
import { figuresText } from "./messages/figures";
import { findingsText } from "./messages/findings";
import { groupsText } from "./messages/groups";
import { importsText } from "./messages/imports";
import { leadsText } from "./messages/leads";
import { rectificationText } from "./messages/rectification";
import { sharingText } from "./messages/sharing";

/** Every audited action and object type with its Chinese label, from all catalogues. */
export const auditActionLabel: Record<string, string> = {
  ...m.auditAction,
  ...groupsText.auditAction,
  ...engagementsText.auditAction,
  ...coverageText.auditAction,
  ...leadsText.auditAction,
  ...feedbackText.auditAction,
  ...findingsText.auditAction,
  ...rectificationText.auditAction,
  ...evaluationAudit.auditAction,
  ...sharingText.auditAction,
  ...figuresText.auditAction,
  ...campaignsAuditAction,
  ...importsText.auditAction,
};

export const auditObjectLabel: Record<string, string> = {
  ...m.auditObject,
  ...groupsText.auditObject,
  ...engagementsText.auditObject,
  ...coverageText.auditObject,
  ...leadsText.auditObject,
  ...feedbackText.auditObject,
  ...findingsText.auditObject,
  ...rectificationText.auditObject,
  ...evaluationAudit.auditObject,
  ...sharingText.auditObject,
  ...figuresText.auditObject,
  ...campaignsAuditObject,
  ...importsText.auditObject,
};
