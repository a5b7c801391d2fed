import type { LoaderFunctionArgs } from "@remix-run/node";
import { subject } from "@xunlian/permissions";
import { contentDisposition } from "~/lib/download";
import { parseId } from "~/lib/params.server";
import { notFound, requireUser } from "~/lib/request.server";
import { applySecurityHeaders } from "~/lib/security-headers.server";
import { attachmentStream, getAttachmentMeta } from "~/models/attachments.server";

/**
 * Downloads an attachment (a resource route: no component). The row is checked (RLS and
 * CASL; anything hidden is a 404) and the download audited in one transaction; the bytes
 * then stream in 256 KB slices, each read in its own short transaction in the user's RLS
 * context (attachmentStream).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const { meta, claims } = await requireUser(request, async ({ db, ability, audit, claims }) => {
    const row = await getAttachmentMeta(db, id);
    if (!row || !ability.can("read", subject("Attachment", row))) notFound();
    await audit({
      action: "attachment.download",
      objectType: "attachment",
      objectId: id,
      detail: { engagementId: row.engagementId, sizeBytes: row.sizeBytes, sha256: row.sha256 },
    });
    return { meta: row, claims };
  });

  const headers = new Headers();
  applySecurityHeaders(headers);
  // The type sniffed at upload, never the browser's claim; and no second guessing by the browser.
  headers.set("Content-Type", meta.contentType === "text/plain" ? "text/plain; charset=utf-8" : meta.contentType);
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Content-Length", String(meta.sizeBytes));
  headers.set("Content-Disposition", contentDisposition(meta.fileName));
  // Opened in a tab by mistake, the file still cannot run anything in our origin.
  headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
  headers.set("Repr-Digest", `sha-256=:${Buffer.from(meta.sha256, "hex").toString("base64")}:`);
  return new Response(attachmentStream(claims, meta), { status: 200, headers });
}
