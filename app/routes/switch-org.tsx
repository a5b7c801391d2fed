import { type ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { requireUser } from "~/lib/request.server";
import { redirectWithToast } from "~/lib/toast.server";

const schema = z.object({ membershipId: z.coerce.number().int().positive(), redirectTo: z.string().optional() });

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("Bad Request", { status: 400 });
  return requireUser(request, async ({ db, audit, memberships }) => {
    const target = memberships.find((x) => x.id === parsed.data.membershipId);
    // Recorded under the org being left (the insert policy requires the active org),
    // then switched; the database re-checks that the membership is the caller's (42501 otherwise).
    await audit({ action: "session.switch_org", objectType: "membership", objectId: parsed.data.membershipId });
    await db`select private.switch_active_membership(${parsed.data.membershipId})`;
    // A page of the old org may not exist in the new one: go to the section root.
    const section = (parsed.data.redirectTo ?? "/").split("/")[1] ?? "";
    const to = ["orgs", "units", "rounds", "terms", "cadres", "memberships", "audit"].includes(section) ? `/${section}` : "/";
    return redirectWithToast(to, `已切换到 ${target?.orgName ?? ""}`);
  });
}
