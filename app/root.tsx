import { useEffect, useMemo, useState } from "react";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  data,
  useLoaderData,
  useLocation,
  useNavigation,
  useRouteLoaderData,
} from "@remix-run/react";
import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Badge, Box, Button, Callout, Container, DropdownMenu, Flex, Text, Theme } from "@radix-ui/themes";
import radixStyles from "@radix-ui/themes/styles.css?url";
import appStyles from "./styles/app.css?url";
import { packAbility, unpackAbility } from "@xunlian/permissions";
import { AbilityContextProvider, Can } from "./lib/ability";
import { m, orgLevelLabel, roleLabel } from "./lib/messages";
import { optionalUser } from "./lib/request.server";
import { readToast } from "./lib/toast.server";
import { useNonce } from "./lib/nonce";
import { GeneralErrorBoundary } from "./components/error-boundary";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: radixStyles },
  { rel: "stylesheet", href: appStyles },
];

export const meta: MetaFunction = () => [{ title: m.appFullName }];

export async function loader({ request }: LoaderFunctionArgs) {
  const toast = readToast(request);
  const shell = await optionalUser(request, async ({ db, user, role, activeOrg, memberships, ability }) => ({
    user: { displayName: user.displayName, email: user.email },
    role,
    activeOrg,
    memberships,
    rules: packAbility(ability),
    // The to-do inbox's badge (RLS: the user's own notices only).
    unread: (await db<{ n: number }[]>`select count(*)::int as n from public.notifications where read_at is null`)[0].n,
  }));
  return data({ shell, toast: toast.message }, { headers: toast.headers });
}

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const h = new Headers();
  const cookie = loaderHeaders.get("Set-Cookie");
  if (cookie) h.set("Set-Cookie", cookie);
  return h;
};

export type RootLoader = typeof loader;

/** Roles of a patrol office (business data of the subtree): the figures and supervision pages. */
const officeRoles = new Set<string>(["office_director", "office_staff", "leadership"]);

export function useShell() {
  return useRouteLoaderData<RootLoader>("root")?.shell ?? null;
}

/**
 * A notice lives until the next submission: a refused form (4xx) does not reload the
 * page's data, so without this the previous success would stand next to the error.
 */
function useToast(data: { toast: string | null }) {
  const navigation = useNavigation();
  const [shown, setShown] = useState(data.toast);
  // Keyed on the loader data object, not the text: the same notice twice must show twice.
  useEffect(() => setShown(data.toast), [data]);
  useEffect(() => {
    if (navigation.state === "submitting") setShown(null);
  }, [navigation.state]);
  return shown;
}

function Shell({ children }: { children: React.ReactNode }) {
  const rootData = useLoaderData<typeof loader>();
  const { shell } = rootData;
  const toast = useToast(rootData);
  const location = useLocation();
  const ability = useMemo(() => unpackAbility(shell?.rules ?? []), [shell?.rules]);
  if (!shell) return <>{children}</>;
  const others = shell.memberships.filter((x) => !x.active);
  return (
    <AbilityContextProvider value={ability}>
      <a className="skip-link" href="#main">{m.shell.skipToContent}</a>
      <header className="app-header">
        <Flex align="center" justify="between" gap="4" px="5" py="3">
          <Flex align="center" gap="4">
            <Link to="/" className="brand">{m.appName}</Link>
            <Flex direction="column" gap="0" data-testid="active-org">
              <Text size="1" color="gray">{m.shell.activeOrg}</Text>
              <Flex align="center" gap="2">
                <Text size="3" weight="bold">{shell.activeOrg.name}</Text>
                <Badge color="crimson" variant="soft">{orgLevelLabel[shell.activeOrg.level]}</Badge>
                <Badge color="gray" variant="soft">{roleLabel[shell.role]}</Badge>
                {shell.activeOrg.unitName ? <Badge color="blue" variant="soft">{shell.activeOrg.unitName}</Badge> : null}
              </Flex>
            </Flex>
          </Flex>
          <Flex align="center" gap="3">
            <Link to="/inbox" className="inbox-link" data-testid="inbox-link"
              aria-label={shell.unread > 0 ? `${m.nav.inbox}（${shell.unread} ${m.shell.unread}）` : m.nav.inbox}>
              {m.nav.inbox}
              {shell.unread > 0 ? <Badge color="red" variant="solid" radius="full" data-testid="unread-count">{shell.unread}</Badge> : null}
            </Link>
            {others.length > 0 ? (
              <DropdownMenu.Root>
                <DropdownMenu.Trigger>
                  <Button variant="soft" color="gray">{m.shell.switchOrg}<DropdownMenu.TriggerIcon /></Button>
                </DropdownMenu.Trigger>
                <DropdownMenu.Content>
                  {others.map((x) => (
                    <Form method="post" action="/switch-org" key={x.id}>
                      <input type="hidden" name="membershipId" value={x.id} />
                      <input type="hidden" name="redirectTo" value={location.pathname} />
                      <DropdownMenu.Item asChild>
                        <button type="submit" className="menu-button">{x.orgName} · {roleLabel[x.role]}</button>
                      </DropdownMenu.Item>
                    </Form>
                  ))}
                </DropdownMenu.Content>
              </DropdownMenu.Root>
            ) : null}
            <DropdownMenu.Root>
              <DropdownMenu.Trigger>
                <Button variant="ghost" color="gray" data-testid="user-menu">{shell.user.displayName}<DropdownMenu.TriggerIcon /></Button>
              </DropdownMenu.Trigger>
              <DropdownMenu.Content>
                <DropdownMenu.Item asChild><Link to="/account/password">{m.shell.changePassword}</Link></DropdownMenu.Item>
              </DropdownMenu.Content>
            </DropdownMenu.Root>
            <Form method="post" action="/logout">
              <Button type="submit" variant="outline" color="gray">{m.shell.logout}</Button>
            </Form>
          </Flex>
        </Flex>
        <nav aria-label="主导航" className="app-nav">
          <Flex gap="1" px="4" wrap="wrap">
            <NavLink to="/" end className="nav-link">{m.nav.home}</NavLink>
            <NavLink to="/orgs" className="nav-link">{m.nav.orgs}</NavLink>
            <Can I="read" a="Unit"><NavLink to="/units" className="nav-link">{m.nav.units}</NavLink></Can>
            <Can I="read" a="TermObject"><NavLink to="/coverage" className="nav-link">{m.nav.coverage}</NavLink></Can>
            <Can I="read" a="Round"><NavLink to="/rounds" className="nav-link">{m.nav.rounds}</NavLink></Can>
            <Can I="read" a="Engagement"><NavLink to="/engagements" className="nav-link">{m.nav.engagements}</NavLink></Can>
            <Can I="read" a="Lead"><NavLink to="/leads" className="nav-link">{m.nav.leads}</NavLink></Can>
            <Can I="read" a="RectificationItem"><NavLink to="/rectification" className="nav-link">{m.nav.rectification}</NavLink></Can>
            <Can I="read" a="SharedResult"><NavLink to="/shared" className="nav-link">{m.nav.shared}</NavLink></Can>
            {officeRoles.has(shell.role) ? (
              <>
                <NavLink to="/supervision" className="nav-link">{m.nav.supervision}</NavLink>
                <NavLink to="/figures" className="nav-link">{m.nav.figures}</NavLink>
                <NavLink to="/campaigns" className="nav-link">{m.nav.campaigns}</NavLink>
                <NavLink to="/reports/thematic" className="nav-link">{m.nav.thematic}</NavLink>
                <NavLink to="/dispatches" className="nav-link">{m.nav.dispatches}</NavLink>
                <NavLink to="/sharing" className="nav-link">{m.nav.sharing}</NavLink>
                <NavLink to="/evaluation-templates" className="nav-link">{m.nav.evaluationTemplates}</NavLink>
              </>
            ) : null}
            <Can I="create" a="Unit"><NavLink to="/imports" className="nav-link">{m.nav.imports}</NavLink></Can>
            <Can I="read" a="Cadre"><NavLink to="/cadres" className="nav-link">{m.nav.cadres}</NavLink></Can>
            <Can I="create" a="Membership"><NavLink to="/memberships" className="nav-link">{m.nav.memberships}</NavLink></Can>
            <Can I="read" a="AuditLog"><NavLink to="/audit" className="nav-link">{m.nav.audit}</NavLink></Can>
          </Flex>
        </nav>
      </header>
      <Container size="4" px="5" py="5" id="main">
        {toast ? (
          <Box mb="4">
            <Callout.Root color="green" role="status"><Callout.Text>{toast}</Callout.Text></Callout.Root>
          </Box>
        ) : null}
        {children}
      </Container>
    </AbilityContextProvider>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <Theme accentColor="crimson" grayColor="sand" radius="small" scaling="100%">
          {children}
        </Theme>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <Shell>
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  return (
    <Container size="2" px="5" py="9">
      <GeneralErrorBoundary />
    </Container>
  );
}
