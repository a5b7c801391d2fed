import type { Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { dispatchesText as t } from "~/lib/messages/campaigns";
import { descendantOffices, getCampaign, listParticipants, type OfficeNode } from "./campaigns.server";
import { orgNames } from "./engagements.server";

/**
 * Thematic reports sent down (专题报告下发, ADR 014): the .docx as it was sent and the
 * recipient offices (below the sender; each hears of it by trigger). The sender's line
 * and the recipients (and their ancestors) read it; everything through RLS.
 */

export const DISPATCH_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /office below the sender/, field: "recipient", message: t.recipientInvalid },
  { code: "23514", match: /sent by its launcher/, field: null, message: t.campaignNotLauncher },
];

export interface DispatchRow {
  id: number;
  orgId: number;
  senderName: string;
  campaignId: number | null;
  /** Null when the reader does not see the campaign. */
  campaignTitle: string | null;
  title: string;
  note: string | null;
  problemCount: number;
  sizeBytes: number;
  createdAt: Date;
  /** The recipient offices the reader sees (all of them for the sender's line). */
  recipients: { orgId: number; name: string }[];
}

type DbRow = Omit<DispatchRow, "senderName" | "recipients"> & { recipientIds: number[] };

const columns = (db: Tx) => db`
  d.id::int as id, d.org_id as "orgId", d.campaign_id::int as "campaignId", c.title as "campaignTitle", d.title, d.note,
  d.problem_count as "problemCount", octet_length(d.document) as "sizeBytes", d.created_at as "createdAt",
  array(select r.org_id from public.thematic_dispatch_recipients r
         join public.orgs o on o.id = r.org_id
        where r.dispatch_id = d.id order by o.level, o.region_code) as "recipientIds"`;

async function named(db: Tx, rows: DbRow[]): Promise<DispatchRow[]> {
  // The sender of a report received is above the reader, outside public.orgs' RLS: public.org_names.
  const names = await orgNames(db, rows.flatMap((r) => [r.orgId, ...r.recipientIds]));
  return rows.map(({ recipientIds, ...r }) => ({
    ...r,
    senderName: names[r.orgId] ?? "—",
    recipients: recipientIds.map((id) => ({ orgId: id, name: names[id] ?? "—" })),
  }));
}

/** Sent by the reader's office or its subtree, newest first. */
export async function listSentDispatches(db: Tx, readerOrgId: number): Promise<DispatchRow[]> {
  const rows = await db<DbRow[]>`
    select ${columns(db)}
      from public.thematic_dispatches d
      left join public.campaigns c on c.id = d.campaign_id
     where exists (select 1 from public.org_closure k where k.ancestor_id = ${readerOrgId} and k.descendant_id = d.org_id)
     order by d.created_at desc, d.id desc
     limit 200`;
  return named(db, rows);
}

/** Received by the reader's office or its subtree from above, newest first. */
export async function listReceivedDispatches(db: Tx, readerOrgId: number): Promise<DispatchRow[]> {
  const rows = await db<DbRow[]>`
    select ${columns(db)}
      from public.thematic_dispatches d
      left join public.campaigns c on c.id = d.campaign_id
     where not exists (select 1 from public.org_closure k where k.ancestor_id = ${readerOrgId} and k.descendant_id = d.org_id)
       and exists (select 1 from public.thematic_dispatch_recipients r
                     join public.org_closure k on k.descendant_id = r.org_id and k.ancestor_id = ${readerOrgId}
                    where r.dispatch_id = d.id)
     order by d.created_at desc, d.id desc
     limit 200`;
  return named(db, rows);
}

export async function getDispatch(db: Tx, id: number): Promise<DispatchRow | undefined> {
  const rows = await db<DbRow[]>`
    select ${columns(db)}
      from public.thematic_dispatches d
      left join public.campaigns c on c.id = d.campaign_id
     where d.id = ${id}`;
  return (await named(db, rows))[0];
}

/** The stored document; undefined when RLS hides the dispatch. */
export async function dispatchDocument(db: Tx, id: number): Promise<{ title: string; orgId: number; bytes: Buffer } | undefined> {
  const [row] = await db<{ title: string; orgId: number; bytes: Buffer }[]>`
    select d.title, d.org_id as "orgId", d.document as bytes from public.thematic_dispatches d where d.id = ${id}`;
  return row;
}

/** The dispatches of a campaign the reader sees. */
export async function campaignDispatches(db: Tx, campaignId: number): Promise<DispatchRow[]> {
  const rows = await db<DbRow[]>`
    select ${columns(db)}
      from public.thematic_dispatches d
      left join public.campaigns c on c.id = d.campaign_id
     where d.campaign_id = ${campaignId}
     order by d.created_at desc, d.id desc`;
  return named(db, rows);
}

/** Stores the report as sent, and its recipients (whose offices the trigger notifies). */
export async function createDispatch(
  tx: Tx,
  d: { orgId: number; campaignId: number | null; title: string; note: string | null; document: Buffer; problemCount: number },
  recipients: number[],
): Promise<number> {
  const [row] = await tx<{ id: number }[]>`
    insert into public.thematic_dispatches (org_id, campaign_id, title, note, document, problem_count)
    values (${d.orgId}, ${d.campaignId}, ${d.title}, ${d.note}, ${d.document}, ${d.problemCount})
    returning id::int as id`;
  await tx`
    insert into public.thematic_dispatch_recipients (dispatch_id, org_id)
    select ${row.id}, o from unnest(${[...new Set(recipients)]}::int[]) o`;
  return row.id;
}

export interface DispatchContext {
  offices: OfficeNode[];
  /** The campaign the report is sent for: only its launcher sends in its name. */
  campaign: { id: number; title: string } | null;
  /** Chosen at first: the campaign's participants. */
  defaultRecipients: number[];
}

/** What the thematic builder needs to send a report down from the caller's office. */
export async function dispatchContext(db: Tx, orgId: number, campaignId?: number): Promise<DispatchContext> {
  const offices = await descendantOffices(db, orgId);
  const campaign = campaignId ? await getCampaign(db, campaignId) : undefined;
  if (!campaign || campaign.orgId !== orgId) return { offices, campaign: null, defaultRecipients: [] };
  const participants = await listParticipants(db, campaign.id);
  return { offices, campaign: { id: campaign.id, title: campaign.title }, defaultRecipients: participants.map((p) => p.orgId) };
}
