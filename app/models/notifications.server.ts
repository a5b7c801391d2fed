import type { Tx } from "~/lib/db.server";
import type { NoticeLevel } from "~/lib/rectification";

/**
 * The to-do inbox (待办): notices written by the database (feedback given, reports
 * reviewed, items returned, deadline warnings). RLS shows each user only his own, and
 * the only column he may change is read_at.
 */

export const INBOX_LIMIT = 200;

export interface NotificationRow {
  id: number;
  kind: string;
  level: NoticeLevel;
  title: string;
  body: string | null;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

/** The newest notices, unread first. */
export async function listNotifications(db: Tx): Promise<{ rows: NotificationRow[]; unread: number }> {
  const rows = await db<NotificationRow[]>`
    select n.id::int as id, n.kind, n.level, n.title, n.body, n.link, n.created_at as "createdAt", n.read_at as "readAt"
      from public.notifications n
     order by (n.read_at is null) desc, n.created_at desc, n.id desc
     limit ${INBOX_LIMIT}`;
  const [{ unread }] = await db<{ unread: number }[]>`
    select count(*)::int as unread from public.notifications where read_at is null`;
  return { rows, unread };
}

/** Marks one of the caller's notices read (a second time keeps the first time); false when it is not his. */
export async function markRead(db: Tx, id: number): Promise<boolean> {
  const rows = await db`update public.notifications set read_at = coalesce(read_at, now()) where id = ${id}`;
  return rows.count === 1;
}

/** Marks all of the caller's unread notices read; how many. */
export async function markAllRead(db: Tx): Promise<number> {
  const rows = await db`update public.notifications set read_at = now() where read_at is null`;
  return rows.count;
}
