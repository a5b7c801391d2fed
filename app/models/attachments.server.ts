import { inUserContext, requestSql, type JwtClaims, type Tx } from "~/lib/db.server";
import type { UserContext } from "~/lib/request.server";
import type { AttachmentContentType } from "~/lib/sniff";
import type { FieldworkKind } from "~/lib/schemas/engagement";
import type { AttachmentRecord } from "@xunlian/permissions";

/**
 * Attachments of fieldwork records and petitions, stored in PostgreSQL under the
 * conduct-record policies (ADR 010). Lists never read the bytes; a download reads them
 * slice by slice.
 */

/** One slice of a download: 256 KB, each read in its own short transaction. */
export const DOWNLOAD_SLICE_BYTES = 256 * 1024;

export interface AttachmentRow {
  id: number;
  engagementId: number;
  fieldworkRecordId: number | null;
  petitionId: number | null;
  groupId: number;
  executingOrgId: number;
  fileName: string;
  contentType: AttachmentContentType;
  sizeBytes: number;
  sha256: string;
  createdAt: Date;
  createdBy: string | null;
  /** What it belongs to, for the engagement's attachment list. */
  fieldworkKind: FieldworkKind | null;
  fieldworkDate: string | null;
  petitionSeq: number | null;
}

const columns = (db: Tx) => db`
  a.id::int as id, a.engagement_id::int as "engagementId", a.fieldwork_record_id::int as "fieldworkRecordId",
  a.petition_id::int as "petitionId", a.group_id::int as "groupId", a.executing_org_id as "executingOrgId",
  a.file_name as "fileName", a.content_type as "contentType", a.size_bytes as "sizeBytes", a.sha256,
  a.created_at as "createdAt", d.display_name as "createdBy",
  f.kind as "fieldworkKind", f.occurred_on::text as "fieldworkDate", p.seq as "petitionSeq"`;

export async function listAttachments(
  db: Tx,
  owner: { engagementId: number } | { petitionId: number },
): Promise<AttachmentRow[]> {
  return db<AttachmentRow[]>`
    select ${columns(db)}
      from public.attachments a
      left join public.fieldwork_records f on f.id = a.fieldwork_record_id
      left join public.petitions p on p.id = a.petition_id
      left join private.people_directory() d on d.user_id = a.created_by
     where ${"petitionId" in owner ? db`a.petition_id = ${owner.petitionId}` : db`a.engagement_id = ${owner.engagementId} and a.conduct_org_id is not null`}
     order by a.created_at desc, a.id desc
     limit 1000`;
}

export type AttachmentMeta = Pick<
  AttachmentRow,
  "id" | "engagementId" | "groupId" | "executingOrgId" | "fileName" | "contentType" | "sizeBytes" | "sha256"
> & AttachmentRecord;

/** The policy columns of public.attachments, for CASL (AttachmentRecord). */
export const attachmentPolicyColumns = (db: Tx, alias = "a") => db`
  ${db(alias)}.group_id::int as "groupId", ${db(alias)}.executing_org_id as "executingOrgId",
  ${db(alias)}.conduct_org_id as "conductOrgId", ${db(alias)}.conduct_group_id::int as "conductGroupId",
  ${db(alias)}.evidence_org_id as "evidenceOrgId", ${db(alias)}.evidence_target_org_id as "evidenceTargetOrgId",
  ${db(alias)}.evidence_unit_id::int as "evidenceUnitId"`;

/** A conduct file of an engagement (fieldwork, petition, working paper), for CASL. */
export function conductAttachmentSubject(e: { groupId: number; executingOrgId: number }): AttachmentRecord {
  return {
    groupId: e.groupId, executingOrgId: e.executingOrgId, conductOrgId: e.executingOrgId, conductGroupId: e.groupId,
    evidenceOrgId: null, evidenceTargetOrgId: null, evidenceUnitId: null,
  };
}

/** Rectification evidence (a progress update's or a report's file), for CASL. */
export function evidenceAttachmentSubject(r: {
  groupId: number; executingOrgId: number; supervisingOrgId: number; targetVisibleOrgId: number | null; unitId: number;
}): AttachmentRecord {
  return {
    groupId: r.groupId, executingOrgId: r.executingOrgId, conductOrgId: null, conductGroupId: null,
    evidenceOrgId: r.supervisingOrgId, evidenceTargetOrgId: r.targetVisibleOrgId, evidenceUnitId: r.unitId,
  };
}

export async function getAttachmentMeta(db: Tx, id: number): Promise<AttachmentMeta | undefined> {
  const [row] = await db<AttachmentMeta[]>`
    select a.id::int as id, a.engagement_id::int as "engagementId", ${attachmentPolicyColumns(db)},
           a.file_name as "fileName", a.content_type as "contentType", a.size_bytes as "sizeBytes", a.sha256
      from public.attachments a
     where a.id = ${id}`;
  return row;
}

/**
 * Bytes [offset, offset + length) of the content, or null when RLS no longer shows the
 * row (a revoked session, a membership removed mid-download). `storage external` keeps
 * substring from reading more than the slice.
 */
export async function readAttachmentSlice(db: Tx, id: number, offset: number, length: number): Promise<Uint8Array | null> {
  const [row] = await db<{ chunk: Buffer }[]>`
    select substring(a.content from ${offset + 1}::int for ${length}::int) as chunk
      from public.attachments a
     where a.id = ${id}`;
  return row ? new Uint8Array(row.chunk.buffer, row.chunk.byteOffset, row.chunk.byteLength) : null;
}

export interface NewAttachment {
  engagementId: number;
  fieldworkRecordId?: number;
  petitionId?: number;
  workingPaperId?: number;
  rectificationUpdateId?: number;
  rectificationReportId?: number;
  fileName: string;
  contentType: AttachmentContentType;
  sha256: string;
  bytes: Uint8Array;
}

async function createAttachment(db: Tx, a: NewAttachment): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into public.attachments (engagement_id, fieldwork_record_id, petition_id, working_paper_id,
                                    rectification_update_id, rectification_report_id, file_name, content_type,
                                    size_bytes, sha256, content)
    values (${a.engagementId}, ${a.fieldworkRecordId ?? null}, ${a.petitionId ?? null}, ${a.workingPaperId ?? null},
            ${a.rectificationUpdateId ?? null}, ${a.rectificationReportId ?? null}, ${a.fileName}, ${a.contentType},
            ${a.bytes.byteLength}, ${a.sha256}, ${Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength)})
    returning id::int as id`;
  return row.id;
}

/**
 * The record an attachment belongs to: a fieldwork record, a petition or a working paper
 * of the engagement (conduct files), or a rectification progress update or report (evidence).
 */
export type AttachmentOwner =
  | { fieldworkRecordId: number }
  | { petitionId: number }
  | { workingPaperId: number }
  | { rectificationUpdateId: number }
  | { rectificationReportId: number };

/** Files of one owner record (a paper, a progress update, a report), newest first. */
export async function listOwnerAttachments(db: Tx, owner: AttachmentOwner): Promise<AttachmentMeta[]> {
  const [column, id] = Object.entries(owner)[0] as [string, number];
  const col = { fieldworkRecordId: "fieldwork_record_id", petitionId: "petition_id", workingPaperId: "working_paper_id",
    rectificationUpdateId: "rectification_update_id", rectificationReportId: "rectification_report_id" }[column]!;
  return db<AttachmentMeta[]>`
    select a.id::int as id, a.engagement_id::int as "engagementId", ${attachmentPolicyColumns(db)},
           a.file_name as "fileName", a.content_type as "contentType", a.size_bytes as "sizeBytes", a.sha256
      from public.attachments a
     where ${db("a")}.${db(col)} = ${id}
     order by a.created_at desc, a.id desc`;
}

/**
 * Stores a checked upload on one of an engagement's records and audits it, in the
 * caller's transaction: the audit row says what was stored, never the bytes.
 */
export async function attachFile(
  db: Tx,
  audit: UserContext["audit"],
  engagementId: number,
  owner: AttachmentOwner,
  file: Pick<NewAttachment, "fileName" | "contentType" | "sha256" | "bytes">,
): Promise<number> {
  const attachmentId = await createAttachment(db, {
    engagementId,
    ...owner,
    fileName: file.fileName,
    contentType: file.contentType,
    sha256: file.sha256,
    bytes: file.bytes,
  });
  await audit({
    action: "attachment.upload",
    objectType: "attachment",
    objectId: attachmentId,
    detail: { engagementId, ...owner, contentType: file.contentType, sizeBytes: file.bytes.byteLength, sha256: file.sha256 },
  });
  return attachmentId;
}

export async function deleteAttachment(db: Tx, engagementId: number, id: number): Promise<boolean> {
  const rows = await db`delete from public.attachments where id = ${id} and engagement_id = ${engagementId}`;
  return rows.count === 1;
}

/**
 * The content as a stream: each slice is read when the client has taken the previous
 * one, in its own short transaction with the user's claims, so RLS decides every slice,
 * no connection is held while a slow client reads, and a session revoked mid-download
 * stops at the next slice (ADR 010).
 */
export function attachmentStream(claims: JwtClaims, meta: Pick<AttachmentMeta, "id" | "sizeBytes">): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const slice = await inUserContext(requestSql(), claims, (tx) =>
          readAttachmentSlice(tx, meta.id, offset, Math.min(DOWNLOAD_SLICE_BYTES, meta.sizeBytes - offset)),
        );
        if (!slice || slice.byteLength === 0) {
          // RLS no longer shows the row: end the download short (the client sees it fail).
          controller.error(new Error("attachment no longer readable"));
          return;
        }
        offset += slice.byteLength;
        controller.enqueue(slice);
        if (offset >= meta.sizeBytes) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}
