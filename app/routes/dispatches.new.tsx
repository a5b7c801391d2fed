import { createHash } from "node:crypto";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { subject } from "@xunlian/permissions";
import { findingsText } from "~/lib/messages/findings";
import { dispatchesText as t } from "~/lib/messages/campaigns";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { dispatchSchema } from "~/lib/schemas/campaigns";
import { redirectWithToast } from "~/lib/toast.server";
import { descendantOffices, getCampaign, officeIds } from "~/models/campaigns.server";
import { createDispatch, DISPATCH_REFUSALS } from "~/models/dispatches.server";
import { generateThematicDocument } from "~/models/documents.server";
import { THEMATIC_ROLES } from "~/models/findings.server";

/**
 * 专题报告下发: the thematic builder posts its report (title, 主送, problems) with the
 * recipient offices and a note. The .docx is generated again here from what the caller
 * sees (every chosen problem must be visible), stored as sent with its recipients (the
 * database notifies their offices), and audited (dispatch.send). A refusal is a 400
 * with its Chinese message, which the builder shows; nothing is written then.
 */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  return requireUser(request, async (ctx) => {
    const { db, ability, activeOrg, role, audit } = ctx;
    if (!THEMATIC_ROLES.has(role) || !ability.can("read", "Problem")) notFound();
    if (!ability.can("create", subject("ThematicDispatch", { orgId: activeOrg.id }))) forbidden();
    const refuse = (error: string) => data({ error }, { status: 400 });
    const submission = parseWithZod(formData, { schema: dispatchSchema });
    if (submission.status !== "success") {
      const first = Object.values(submission.error ?? {}).flat().find(Boolean);
      return refuse(first ?? t.failed);
    }
    const input = submission.value;
    const below = new Set(officeIds(await descendantOffices(db, activeOrg.id)));
    if (input.recipient.some((o) => !below.has(o))) return refuse(t.recipientInvalid);
    if (input.campaign !== undefined) {
      const campaign = await getCampaign(db, input.campaign);
      if (!campaign || campaign.orgId !== activeOrg.id) return refuse(t.campaignNotLauncher);
    }
    try {
      return await db.savepoint(async (sp) => {
        const tx = sp as unknown as typeof db;
        const doc = await generateThematicDocument({ ...ctx, db: tx }, input, activeOrg.name);
        if (doc === "unknown") return refuse(findingsText.thematic.unknownProblems);
        const id = await createDispatch(
          tx,
          { orgId: activeOrg.id, campaignId: input.campaign ?? null, title: input.title, note: input.note, document: doc.bytes, problemCount: input.problem.length },
          input.recipient,
        );
        await audit({
          action: "dispatch.send",
          objectType: "thematic_dispatch",
          objectId: id,
          detail: {
            title: input.title,
            campaignId: input.campaign ?? null,
            recipients: input.recipient,
            problems: input.problem.length,
            sizeBytes: doc.bytes.byteLength,
            sha256: createHash("sha256").update(doc.bytes).digest("hex"),
          },
        });
        return redirectWithToast(`/dispatches/${id}`, t.sentToast(input.recipient.length));
      });
    } catch (error) {
      const e = error as { code?: string; message?: string; constraint_name?: string };
      const refusal = DISPATCH_REFUSALS.find((r) => r.code === e.code && (!r.match || r.match.test(`${e.constraint_name ?? ""} ${e.message ?? ""}`)));
      if (!refusal) throw error;
      return refuse(typeof refusal.message === "string" ? refusal.message : refusal.message(e));
    }
  });
}

export function loader() {
  notFound();
}
