import { randomBytes } from "node:crypto";
import { inAnonContext, requestSql, type Tx } from "~/lib/db.server";
import type { DbRefusal } from "~/lib/form-actions.server";
import { rectificationText as t } from "~/lib/messages/rectification";
import type { DisclosureInput } from "~/lib/schemas/rectification";

/**
 * Public disclosure (公示) of a unit's rectification. The supervising office publishes
 * a summary; the database takes the snapshot of the counts at publication (never the
 * client's) and the public page reads it as `anon`, through the anon policy (not
 * withdrawn) and the anon column grant (no ids, no authors): names of responsible
 * persons are not in the table at all.
 */

export interface DisclosureSnapshot {
  fedBack: number;
  rectified: number;
  byCategory: { category: string; fedBack: number; rectified: number }[];
}

export interface DisclosureRow {
  id: number;
  slug: string;
  title: string;
  summary: string;
  snapshot: DisclosureSnapshot;
  publishedAt: Date;
  publishedBy: string | null;
  withdrawnAt: Date | null;
}

export const DISCLOSURE_REFUSALS: DbRefusal[] = [
  { code: "23514", match: /the unit has had feedback first/, field: null, message: t.refused.noFeedbackYet },
  { code: "23514", match: /a publication is withdrawn, not changed/, field: null, message: t.refused.publicationUnchanged },
  { code: "23514", match: /rectification_disclosures_summary_check/, field: "summary", message: t.summaryRequired },
  { code: "23514", match: /rectification_disclosures_title_check/, field: "title", message: t.disclosureTitleRequired },
  { code: "42501", field: null, message: t.refused.notAllowed },
];

/** The engagement's publications, newest first (RLS: the supervising office and its ancestors). */
export async function listDisclosures(db: Tx, engagementId: number): Promise<DisclosureRow[]> {
  return db<DisclosureRow[]>`
    select d.id::int as id, d.slug, d.title, d.summary, d.snapshot, d.published_at as "publishedAt",
           p.display_name as "publishedBy", d.withdrawn_at as "withdrawnAt"
      from public.rectification_disclosures d
      left join private.people_directory() p on p.user_id = d.published_by
     where d.engagement_id = ${engagementId}
     order by d.published_at desc, d.id desc`;
}

/** A slug nobody can guess: 24 lowercase hex characters (96 random bits). */
export const newSlug = () => randomBytes(12).toString("hex");

export async function publishDisclosure(db: Tx, engagementId: number, input: DisclosureInput): Promise<{ id: number; slug: string }> {
  const [row] = await db<{ id: number; slug: string }[]>`
    -- Unit, office, snapshot and scope are set by the trigger (the client's would be ignored).
    insert into public.rectification_disclosures (engagement_id, slug, title, summary)
    values (${engagementId}, ${newSlug()}, ${input.title}, ${input.summary})
    returning id::int as id, slug`;
  return row;
}

/** Withdraws a publication; false when it is not this engagement's, not visible, or withdrawn already. */
export async function withdrawDisclosure(db: Tx, engagementId: number, id: number): Promise<boolean> {
  const rows = await db`
    update public.rectification_disclosures set withdrawn_at = now()
     where id = ${id} and engagement_id = ${engagementId} and withdrawn_at is null`;
  return rows.count === 1;
}

export interface PublicDisclosure {
  title: string;
  unitName: string;
  officeName: string;
  summary: string;
  snapshot: DisclosureSnapshot;
  publishedAt: Date;
}

/** The public page's data, read as `anon` (no session, no claims): undefined when unknown or withdrawn. */
export async function getPublicDisclosure(slug: string): Promise<PublicDisclosure | undefined> {
  return inAnonContext(requestSql(), async (tx) => {
    const [row] = await tx<PublicDisclosure[]>`
      select d.title, d.unit_name as "unitName", d.office_name as "officeName", d.summary, d.snapshot,
             d.published_at as "publishedAt"
        from public.rectification_disclosures d
       where d.slug = ${slug} and d.withdrawn_at is null`;
    return row;
  });
}
