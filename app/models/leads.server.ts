import type { Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { leadsText as t } from "~/lib/messages/leads";
import type { CadreLevel } from "~/lib/schemas/petition";
import type { HandleLeadInput, RegisterLeadInput, TransferLeadInput } from "~/lib/schemas/leads";

/**
 * Problem leads (问题线索). No request role holds any privilege on private.leads: every
 * query here calls one of the audited security-definer functions of migration
 * 20261121001600 (ADR 011), which applies the scope itself and writes the audit rows
 * (lead.read for every lead returned, lead.person.read whenever the person concerned
 * is asked for) in the caller's transaction, tagged with the request id.
 */

export type LeadStage =
  | "registered" | "transferred" | "initial_check" | "case_opened" | "concluded" | "shelved" | "judicial";
export type LeadReceiver = "discipline" | "organization" | "other";

/** A lead as lists show it: never the person concerned. */
export interface LeadRow {
  id: number;
  engagementId: number;
  seq: number;
  unitName: string;
  executingOrgName: string;
  problemId: number | null;
  petitionId: number | null;
  summary: string;
  receiver: LeadReceiver | null;
  receivingOrgId: number | null;
  receivingOrgName: string | null;
  transferredOn: string | null;
  documentNo: string | null;
  stage: LeadStage;
  sanctionedPersons: number;
  judicialPersons: number;
  createdAt: Date;
}

export interface LeadHandling {
  stage: LeadStage;
  occurredOn: string;
  note: string | null;
  sanctioned: number;
  judicial: number;
  recordedAt: string;
}

export interface LeadPerson {
  personName: string | null;
  personPost: string | null;
  personLevel: CadreLevel | null;
}

export interface LeadDetail extends LeadRow {
  executingOrgId: number;
  /** Whether the session may see the person concerned (the database's answer). */
  personVisible: boolean;
  /** Only when asked for and visible; otherwise all null. */
  person: LeadPerson;
  handlings: LeadHandling[];
}

const rowColumns = `
  id::int as id, engagement_id::int as "engagementId", seq, unit_name as "unitName",
  executing_org_name as "executingOrgName", problem_id::int as "problemId", petition_id::int as "petitionId", summary,
  receiver, receiving_org_id as "receivingOrgId", receiving_org_name as "receivingOrgName",
  transferred_on::text as "transferredOn", document_no as "documentNo", stage, sanctioned_persons as "sanctionedPersons",
  judicial_persons as "judicialPersons", created_at as "createdAt"`;

/**
 * Today as the database counts it (current_date): transfer_lead and record_lead_handling
 * refuse a later date, so the forms offer and check exactly that day.
 */
export async function dbToday(db: Tx): Promise<string> {
  const [row] = await db<{ today: string }[]>`select current_date::text as today`;
  return row.today;
}

/** The leads the session may see, of one engagement or all; each one is audited as read. */
export async function listLeads(db: Tx, engagementId: number | null, requestId: string): Promise<LeadRow[]> {
  return db<LeadRow[]>`select ${db.unsafe(rowColumns)} from public.list_leads(${engagementId}::bigint, ${requestId}::text)`;
}

/**
 * One lead with its handling, or undefined when the session may not see it (the refusal
 * is audited too). With `withPerson`, the person concerned where the database allows it.
 */
export async function getLead(db: Tx, id: number, requestId: string, withPerson = false): Promise<LeadDetail | undefined> {
  const [row] = await db<(LeadRow & LeadPerson & { executingOrgId: number; personVisible: boolean; handlings: LeadHandling[] })[]>`
    select ${db.unsafe(rowColumns)}, executing_org_id as "executingOrgId", person_visible as "personVisible",
           person_name as "personName", person_post as "personPost", person_level as "personLevel", handlings
      from public.get_lead(${id}::bigint, ${requestId}::text, ${withPerson}::boolean)`;
  if (!row) return undefined;
  const { personName, personPost, personLevel, ...rest } = row;
  return { ...rest, person: { personName, personPost, personLevel } };
}

export async function registerLead(db: Tx, engagementId: number, input: RegisterLeadInput, requestId: string): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    select public.register_lead(${engagementId}, ${input.summary}, ${input.personName}, ${input.personPost || null},
                                ${input.personLevel ?? null}::public.cadre_level, ${input.problemId ?? null},
                                ${input.petitionId ?? null}, ${requestId})::int as id`;
  return row.id;
}

export async function transferLead(db: Tx, input: TransferLeadInput, requestId: string): Promise<void> {
  await db`select public.transfer_lead(${input.leadId}, ${input.receivingOrgId}, ${input.transferredOn},
                                       ${input.documentNo || null}, ${requestId})`;
}

export async function recordLeadHandling(db: Tx, leadId: number, input: HandleLeadInput, requestId: string): Promise<void> {
  await db`select public.record_lead_handling(${leadId}, ${input.stage}::public.lead_stage, ${input.occurredOn},
                                              ${input.note || null}, ${input.sanctioned}, ${input.judicial}, ${requestId})`;
}

/** The partners the executing office may transfer to (attached to the executing or supervising office). */
export async function leadPartners(db: Tx, engagementId: number): Promise<{ id: number; name: string }[]> {
  const rows = await db<{ id: number; name: string }[]>`select id, name from public.lead_partners(${engagementId})`;
  // The discipline commission (纪委监委) first: most leads go there.
  const rank = (name: string) => (/纪委|监委/.test(name) ? 0 : 1);
  return [...rows].sort((a, b) => rank(a.name) - rank(b.name));
}

export interface LeadSources {
  problems: { id: number; seq: number; title: string }[];
  petitions: { id: number; seq: number; channel: string; receivedAt: Date; classification: string | null }[];
}

/**
 * What a lead may come from: the engagement's problem list and its petitions (by 登记号),
 * as RLS shows them to the office and the group. Nothing about who reported.
 */
export async function leadSources(db: Tx, engagementId: number): Promise<LeadSources> {
  const problems = await db<LeadSources["problems"]>`
    select p.id::int as id, p.seq, p.title from public.problems p
     where p.engagement_id = ${engagementId} order by p.seq limit 1000`;
  const petitions = await db<LeadSources["petitions"]>`
    select p.id::int as id, p.seq, p.channel, p.received_at as "receivedAt", p.classification from public.petitions p
     where p.engagement_id = ${engagementId} order by p.seq limit 2000`;
  return { problems, petitions };
}

/** For CASL (subject "Lead"): the fields its rules look at. */
export function leadSubject(
  l: { id?: number; receivingOrgId: number | null; transferredOn: string | null },
  e: { groupId: number; executingOrgId: number },
) {
  return { id: l.id, groupId: e.groupId, executingOrgId: e.executingOrgId, receivingOrgId: l.receivingOrgId, transferredOn: l.transferredOn };
}

export const REGISTER_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /one problem or one petition/, field: "sourceKind", message: t.sourceRequired },
  { code: "23503", match: /another engagement/, field: "sourceKind", message: t.sourceOtherEngagement },
  { code: "23514", match: /summary/, field: "summary", message: t.summaryRequired },
  { code: "23514", match: /person_name/, field: "personName", message: t.personNameRequired },
  { code: "23514", match: /person_post/, field: "personPost", message: t.personPostTooLong },
];

export const TRANSFER_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /not a partner of this office/, field: "receivingOrgId", message: t.notPartner },
  { code: "23514", match: /transferred already/, field: null, message: t.alreadyTransferred },
  { code: "22007", match: /lead transfer/, field: "transferredOn", message: t.transferDateFuture },
  { code: "23514", match: /document_no/, field: "documentNo", message: t.documentNoTooLong },
];

export const HANDLING_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /not a handling stage/, field: "stage", message: t.notHandlingStage },
  { code: "22007", match: /lead handling/, field: "occurredOn", message: t.handlingDate },
  { code: "23514", match: /sanctioned_persons/, field: "sanctioned", message: t.personsInvalid },
  { code: "23514", match: /judicial_persons/, field: "judicial", message: t.personsInvalid },
  { code: "23514", match: /note/, field: "note", message: t.noteTooLong },
];
