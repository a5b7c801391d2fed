import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Box, Button, Card, Flex, Text } from "@radix-ui/themes";
import { m } from "~/lib/messages";
import { rectificationText as t } from "~/lib/messages/rectification";
import { parseId } from "~/lib/params.server";
import { safeAppLink } from "~/lib/rectification";
import { notFound, requireUser } from "~/lib/request.server";
import { redirectWithToast } from "~/lib/toast.server";
import { listNotifications, markAllRead, markRead } from "~/models/notifications.server";
import { PageHeader } from "~/components/page-header";
import { NoticeLevelBadge } from "~/components/rectification-badges";
import { when } from "~/components/rectification-reports";
import { GeneralErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: `${t.inbox} · ${m.appName}` }];

/** Every signed-in user has an inbox (RLS: his own notices only). */
export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async ({ db }) => {
    const { rows, unread } = await listNotifications(db);
    return { unread, rows: rows.map((n) => ({ ...n, link: safeAppLink(n.link) })) };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  return requireUser(request, async ({ db }) => {
    switch (formData.get("intent")) {
      case "read":
        // Someone else's notice is not there to mark (RLS).
        if (!(await markRead(db, parseId(formData.get("id"))))) notFound();
        return redirectWithToast("/inbox", t.marked);
      case "read-all":
        await markAllRead(db);
        return redirectWithToast("/inbox", t.allRead);
      default:
        throw new Response("Bad Request", { status: 400 });
    }
  });
}

export default function Inbox() {
  const { rows, unread } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <>
      <PageHeader
        title={t.inbox}
        description={t.inboxDescription}
        actions={
          unread > 0 ? (
            <Form method="post">
              <input type="hidden" name="intent" value="read-all" />
              <Button type="submit" variant="soft" loading={busy && navigation.formData?.get("intent") === "read-all"}>{t.markAllRead}</Button>
            </Form>
          ) : null
        }
      />
      <Text as="p" size="2" color="gray" mb="2" data-testid="inbox-unread">{t.unreadCount(unread)}</Text>
      {rows.length === 0 ? (
        <Card size="1"><Text as="p" color="gray" m="4">{t.inboxEmpty}</Text></Card>
      ) : (
        <Flex direction="column" gap="2" role="list" aria-label={t.inbox}>
          {rows.map((n) => (
            <Card key={n.id} size="2" role="listitem" data-testid="notice" data-read={n.readAt ? "1" : "0"}
              style={n.readAt ? { opacity: 0.75 } : { borderLeft: "3px solid var(--crimson-9)" }}>
              <Flex justify="between" align="start" gap="3">
                <Flex gap="3" align="start">
                  <Box pt="1"><NoticeLevelBadge level={n.level} /></Box>
                  <Flex direction="column" gap="1">
                    <Text weight={n.readAt ? "regular" : "bold"}>
                      {n.link ? <Link className="table-link" to={n.link}>{n.title}</Link> : n.title}
                    </Text>
                    {n.body ? <Text size="2" color="gray" className="pre-wrap">{n.body}</Text> : null}
                    <Text size="1" color="gray">{when(n.createdAt)} · {n.readAt ? t.read : t.unread}</Text>
                  </Flex>
                </Flex>
                {n.readAt ? null : (
                  <Form method="post" style={{ flexShrink: 0 }}>
                    <input type="hidden" name="intent" value="read" />
                    <input type="hidden" name="id" value={n.id} />
                    <Button type="submit" size="1" variant="ghost" aria-label={`${t.markRead}：${n.title}`}>{t.markRead}</Button>
                  </Form>
                )}
              </Flex>
            </Card>
          ))}
        </Flex>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
