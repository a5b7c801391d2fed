import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Badge, Button, Callout, Flex, Table, Text } from "@radix-ui/themes";
import { subject } from "@xunlian/permissions";
import { saveSubmission } from "~/lib/form-actions.server";
import { m, roleLabel, specialPermissionLabel } from "~/lib/messages";
import { coverageText as t } from "~/lib/messages/coverage";
import { forbidden, notFound, requireUser } from "~/lib/request.server";
import { leadsText } from "~/lib/messages/leads";
import { GRANTABLE_ROLES } from "~/lib/schemas/coverage";
import { permissionGrantSchema } from "~/lib/schemas/leads";
import { redirectWithToast } from "~/lib/toast.server";
import {
  getAdministeredMembership,
  grantPermission,
  listMemberships,
  revokePermission,
  type SpecialPermission,
} from "~/models/people.server";
import { PageHeader } from "~/components/page-header";
import { DataTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${m.memberships.title} · ${m.appName}` }];

/** The grantable permissions, in the order their buttons show. */
const PERMISSIONS: SpecialPermission[] = ["view_reporter_identity", "view_lead_person"];
const permissionLabel: Record<SpecialPermission, string> = {
  ...specialPermissionLabel,
  view_lead_person: leadsText.permissionLabel,
};

export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db, ability, user }) => {
    if (!ability.can("create", "Membership")) forbidden();
    const rows = await listMemberships(db);
    return {
      rows: rows.map((r) => {
        const grant = subject("PermissionGrant", { userId: r.userId, orgId: r.orgId });
        const own = r.userId === user.id;
        return {
          ...r,
          own,
          // Separation of duties: never on one's own memberships (CASL here, RLS underneath).
          canChange: !own && (GRANTABLE_ROLES as readonly string[]).includes(r.role) &&
            ability.can("create", grant) && ability.can("delete", grant),
        };
      }),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  return requireUser(request, async ({ db, ability, user, audit }) => {
    const intent = formData.get("intent");
    if (intent !== "grant" && intent !== "revoke") throw new Response("Bad Request", { status: 400 });
    return saveSubmission(
      db,
      formData,
      permissionGrantSchema,
      async ({ membershipId, permission }, tx) => {
        const target = await getAdministeredMembership(tx, membershipId);
        if (!target) notFound();
        const grant = subject("PermissionGrant", { userId: target.userId, orgId: target.orgId });
        if (target.userId === user.id || !ability.can(intent === "grant" ? "create" : "delete", grant)) forbidden();
        if (!(GRANTABLE_ROLES as readonly string[]).includes(target.role)) forbidden();
        const who = target.displayName ?? target.email ?? "";
        if (intent === "grant") {
          await grantPermission(tx, target, permission);
        } else if (!(await revokePermission(tx, target.id, permission))) {
          notFound();
        }
        await audit({
          action: intent === "grant" ? "permission.grant" : "permission.revoke",
          objectType: "membership",
          objectId: target.id,
          detail: { permission, userId: target.userId, orgId: target.orgId, role: target.role },
        });
        const label = permissionLabel[permission];
        return redirectWithToast("/memberships", intent === "grant" ? t.granted(label, who) : t.revoked(label, who));
      },
      [{ code: "23505", field: null, message: t.alreadyGranted }],
    );
  });
}

type Reply = SubmissionResult<string[]>;

export default function Memberships() {
  const { rows } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const formErrors = reply?.error?.[""];
  return (
    <>
      <PageHeader title={m.memberships.title} description={m.memberships.description} />
      <Text as="p" size="2" color="gray" mb="1">{t.grantsNote}</Text>
      <Text as="p" size="2" color="gray" mb="3">{leadsText.grantsNote}</Text>
      {formErrors?.length ? (
        <Callout.Root color="red" mb="3" role="alert"><Callout.Text>{formErrors.join(" ")}</Callout.Text></Callout.Root>
      ) : null}
      <DataTable
        label={m.memberships.title}
        columns={[
          { label: m.memberships.user }, { label: m.memberships.email }, { label: m.memberships.org }, { label: m.memberships.role },
          { label: m.memberships.since }, { label: t.specialPermissions },
        ]}
      >
        {rows.map((r) => (
          <Table.Row key={r.id} data-testid="membership-row" data-email={r.email ?? ""} data-role={r.role}>
            <Table.RowHeaderCell style={{ whiteSpace: "nowrap" }}>{r.displayName}</Table.RowHeaderCell>
            <Table.Cell><Text color="gray">{r.email}</Text></Table.Cell>
            <Table.Cell>{r.orgName}</Table.Cell>
            <Table.Cell style={{ whiteSpace: "nowrap" }}>{roleLabel[r.role]}</Table.Cell>
            <Table.Cell style={{ whiteSpace: "nowrap" }}>{new Date(r.createdAt).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" })}</Table.Cell>
            <Table.Cell data-testid="special-permissions">
              <Flex direction="column" gap="1" align="start">
                {r.permissions.length ? (
                  <Flex gap="1" wrap="wrap">
                    {r.permissions.map((p) => (
                      <Badge key={p} color="green" variant="surface">{permissionLabel[p] ?? p}</Badge>
                    ))}
                  </Flex>
                ) : null}
                {r.canChange ? (
                  <Flex gap="2" wrap="wrap">
                    {PERMISSIONS.map((p) => {
                      const has = r.permissions.includes(p);
                      return (
                        <Form method="post" key={p}>
                          <input type="hidden" name="intent" value={has ? "revoke" : "grant"} />
                          <input type="hidden" name="membershipId" value={r.id} />
                          <input type="hidden" name="permission" value={p} />
                          <Button type="submit" size="1" variant={has ? "ghost" : "soft"} color={has ? "red" : undefined}>
                            {has ? t.revoke(permissionLabel[p]) : t.grant(permissionLabel[p])}
                          </Button>
                        </Form>
                      );
                    })}
                  </Flex>
                ) : r.own ? (
                  <Text size="1" color="gray">{t.ownMembership}</Text>
                ) : !r.permissions.length ? (
                  <Text color="gray">{t.notApplicable}</Text>
                ) : null}
              </Flex>
            </Table.Cell>
          </Table.Row>
        ))}
      </DataTable>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
