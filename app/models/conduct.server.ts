import type { Tx } from "~/lib/db.server";
import type { FieldworkInput, FieldworkKind } from "~/lib/schemas/engagement";
import type {
  CadreLevel,
  PetitionChannel,
  PetitionDisposition,
  PetitionInput,
  PetitionUpdateInput,
} from "~/lib/schemas/petition";

/**
 * The conduct of an engagement: fieldwork records (谈话与调研记录) and petitions
 * (信访举报). RLS shows them to the executing office, its ancestors and the group,
 * never to the target of an elevated or cross patrol.
 *
 * The reporter's identity is not in any of these queries: it lives in
 * private.petition_reporters and is reached only through set_reporter_identity and
 * the audited reporter_identity (ADR 009).
 */

export interface FieldworkRow {
  id: number;
  engagementId: number;
  groupId: number;
  executingOrgId: number;
  kind: FieldworkKind;
  occurredOn: string;
  participants: string;
  subject: string | null;
  summary: string;
  createdBy: string | null;
  createdAt: Date;
}

const fieldworkColumns = (db: Tx) => db`
  f.id::int as id, f.engagement_id::int as "engagementId", f.group_id::int as "groupId",
  f.executing_org_id as "executingOrgId", f.kind, f.occurred_on::text as "occurredOn", f.participants, f.subject,
  f.summary, p.display_name as "createdBy", f.created_at as "createdAt"`;

export async function listFieldwork(db: Tx, engagementId: number): Promise<FieldworkRow[]> {
  return db<FieldworkRow[]>`
    select ${fieldworkColumns(db)}
      from public.fieldwork_records f
      left join private.people_directory() p on p.user_id = f.created_by
     where f.engagement_id = ${engagementId}
     order by f.occurred_on desc, f.id desc
     limit 500`;
}

export async function getFieldwork(db: Tx, engagementId: number, id: number): Promise<FieldworkRow | undefined> {
  const [row] = await db<FieldworkRow[]>`
    select ${fieldworkColumns(db)}
      from public.fieldwork_records f
      left join private.people_directory() p on p.user_id = f.created_by
     where f.id = ${id} and f.engagement_id = ${engagementId}`;
  return row;
}

export async function createFieldwork(db: Tx, engagementId: number, input: FieldworkInput): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into public.fieldwork_records (engagement_id, kind, occurred_on, participants, subject, summary)
    values (${engagementId}, ${input.kind}, ${input.occurredOn}, ${input.participants},
            ${input.subject || null}, ${input.summary})
    returning id::int as id`;
  return row.id;
}

export async function updateFieldwork(db: Tx, engagementId: number, id: number, input: FieldworkInput): Promise<boolean> {
  const rows = await db`
    update public.fieldwork_records
       set kind = ${input.kind}, occurred_on = ${input.occurredOn}, participants = ${input.participants},
           subject = ${input.subject || null}, summary = ${input.summary}
     where id = ${id} and engagement_id = ${engagementId}`;
  return rows.count === 1;
}

/** What a petition list shows: never who reported. */
export interface PetitionRow {
  id: number;
  engagementId: number;
  groupId: number;
  executingOrgId: number;
  seq: number;
  channel: PetitionChannel;
  receivedAt: Date;
  anonymous: boolean;
  reportedName: string | null;
  reportedPost: string | null;
  reportedLevel: CadreLevel | null;
  classification: string | null;
  disposition: PetitionDisposition | null;
}

export interface PetitionDetail extends PetitionRow {
  content: string;
  result: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const petitionColumns = (db: Tx) => db`
  p.id::int as id, p.engagement_id::int as "engagementId", p.group_id::int as "groupId",
  p.executing_org_id as "executingOrgId", p.seq, p.channel, p.received_at as "receivedAt", p.anonymous,
  p.reported_name as "reportedName", p.reported_post as "reportedPost", p.reported_level as "reportedLevel",
  p.classification, p.disposition`;

export async function listPetitions(db: Tx, engagementId: number): Promise<PetitionRow[]> {
  return db<PetitionRow[]>`
    select ${petitionColumns(db)}
      from public.petitions p
     where p.engagement_id = ${engagementId}
     order by p.seq desc
     limit 1000`;
}

export async function getPetition(db: Tx, id: number): Promise<PetitionDetail | undefined> {
  const [row] = await db<PetitionDetail[]>`
    select ${petitionColumns(db)}, p.content, p.result, d.display_name as "createdBy", p.created_at as "createdAt",
           p.updated_at as "updatedAt"
      from public.petitions p
      left join private.people_directory() d on d.user_id = p.created_by
     where p.id = ${id}`;
  return row;
}

/**
 * Registers a petition and, for a signed one, its reporter, in the caller's transaction
 * (a savepoint from saveSubmission): either both are written or neither is.
 */
export async function createPetition(db: Tx, engagementId: number, input: PetitionInput): Promise<{ id: number; seq: number }> {
  const [row] = await db<{ id: number; seq: number }[]>`
    insert into public.petitions (engagement_id, channel, received_at, anonymous, reported_name, reported_post,
                                  reported_level, content, classification, disposition, result)
    values (${engagementId}, ${input.channel}, ${`${input.receivedAt}+08:00`}, ${input.anonymous},
            ${input.reportedName || null}, ${input.reportedPost || null}, ${input.reportedLevel ?? null}, ${input.content},
            ${input.classification ?? null}, ${input.disposition ?? null}, ${input.result || null})
    returning id::int as id, seq`;
  if (!input.anonymous && (input.reporterName || input.reporterContact)) {
    await db`select public.set_reporter_identity(${row.id}, ${input.reporterName ?? null}, ${input.reporterContact ?? null})`;
  }
  return row;
}

export async function updatePetition(db: Tx, id: number, input: PetitionUpdateInput): Promise<boolean> {
  const rows = await db`
    update public.petitions
       set channel = ${input.channel}, received_at = ${`${input.receivedAt}+08:00`},
           reported_name = ${input.reportedName || null}, reported_post = ${input.reportedPost || null},
           reported_level = ${input.reportedLevel ?? null}, content = ${input.content},
           classification = ${input.classification ?? null}, disposition = ${input.disposition ?? null},
           result = ${input.result || null}
     where id = ${id}`;
  return rows.count === 1;
}

/** Whether an identity was recorded (已登记), never what it is. */
export async function petitionHasReporter(db: Tx, id: number): Promise<boolean> {
  const [row] = await db<{ has: boolean }[]>`select public.petition_has_reporter(${id}) as has`;
  return row.has;
}

/**
 * Who reported, for a holder of view_reporter_identity. The database function writes
 * the audit row itself (allowed or refused) in this transaction, tagged with the request.
 */
export async function readReporterIdentity(
  db: Tx,
  id: number,
  requestId: string,
): Promise<{ reporterName: string | null; reporterContact: string | null } | null> {
  const [row] = await db<{ reporterName: string | null; reporterContact: string | null }[]>`
    select reporter_name as "reporterName", reporter_contact as "reporterContact"
      from public.reporter_identity(${id}, ${requestId})`;
  return row ?? null;
}

/** How many records each section holds, for the section tabs. */
export async function conductCounts(db: Tx, engagementId: number): Promise<{ fieldwork: number; petitions: number; attachments: number }> {
  const [row] = await db<{ fieldwork: number; petitions: number; attachments: number }[]>`
    select (select count(*)::int from public.fieldwork_records f where f.engagement_id = ${engagementId}) as fieldwork,
           (select count(*)::int from public.petitions p where p.engagement_id = ${engagementId}) as petitions,
           (select count(*)::int from public.attachments a where a.engagement_id = ${engagementId}) as attachments`;
  return row;
}
