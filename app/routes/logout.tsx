import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { authProvider } from "~/lib/auth.server";
import { requestSql, inUserContext } from "~/lib/db.server";
import { requestIdOf } from "~/lib/request.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const auth = authProvider();
  const verified = await auth.verify(request);
  if (verified) {
    // Record the logout while the session is still live, then revoke it.
    await inUserContext(requestSql(), verified.claims, async (db) => {
      await db`insert into public.audit_log (user_id, org_id, action, object_type, success, request_id)
               select ${verified.claims.sub}, private.active_org_id(), 'auth.logout', 'session', true, ${requestIdOf(request)}
                where private.active_org_id() is not null`;
    });
  }
  const headers = await auth.signOut(request, verified?.claims ?? null);
  return redirect("/login?reason=logout", { headers });
}
