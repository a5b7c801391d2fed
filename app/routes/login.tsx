import { parseWithZod } from "@conform-to/zod";
import { getFormProps, getInputProps } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Box, Button, Callout, Card, Flex, Heading, Text, TextField } from "@radix-ui/themes";
import { z } from "zod";
import { authProvider } from "~/lib/auth.server";
import { useZodForm } from "~/lib/forms";
import { m } from "~/lib/messages";
import { requestIdOf } from "~/lib/request.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";

const loginSchema = z.object({
  email: z.string({ required_error: m.login.emailRequired }).trim().email(m.login.emailInvalid).max(255),
  password: z.string({ required_error: m.login.passwordRequired }).min(1, m.login.passwordRequired).max(200),
  redirectTo: z.string().optional(),
});

/** Only same-site paths; anything else (//evil, https://…) goes home. */
function safeRedirect(to: string | undefined | null): string {
  if (!to || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return "/";
  return to;
}

export const meta: MetaFunction = () => [{ title: `${m.login.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await authProvider().verify(request)) {
    const url = new URL(request.url);
    if (!url.searchParams.get("reason")) throw redirect(safeRedirect(url.searchParams.get("redirectTo")));
  }
  return { demo: process.env.XUNLIAN_DEMO === "1" };
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: loginSchema });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const result = await authProvider().signIn(request, email, password, requestIdOf(request));
  if (!result.ok) {
    const message =
      result.error === "locked"
        ? m.login.locked(result.lockedUntil!.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }))
        : result.error === "disabled"
          ? m.login.disabled
          : result.error === "no_membership"
            ? m.login.noMembership
            : m.login.invalid;
    return data(submission.reply({ formErrors: [message], hideFields: ["password"] }), { status: 400 });
  }
  return redirect(safeRedirect(redirectTo), { headers: result.headers });
}

const reasons: Record<string, string> = { idle: m.login.idle, revoked: m.login.revoked, logout: m.login.loggedOut };

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const { demo } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useZodForm(loginSchema, { lastResult });
  const reason = reasons[params.get("reason") ?? ""];
  return (
    <div className="login-page">
      <Card size="4" variant="classic" className="login-card">
        <Flex direction="column" gap="4">
          <Box>
            <Heading as="h1" size="7" color="crimson">{m.appName}</Heading>
            <Text color="gray">{m.login.subtitle}</Text>
          </Box>
          {reason ? (
            <Callout.Root color="blue" role="status"><Callout.Text>{reason}</Callout.Text></Callout.Root>
          ) : null}
          {form.errors?.length ? (
            <Callout.Root color="red" role="alert" id={form.errorId}><Callout.Text>{form.errors.join(" ")}</Callout.Text></Callout.Root>
          ) : null}
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
            <Flex direction="column" gap="3">
              <label htmlFor={fields.email.id}><Text size="2" weight="medium">{m.login.email}</Text></label>
              <TextField.Root {...getInputProps(fields.email, { type: "email" })} key={fields.email.key} autoComplete="username" size="3" />
              {fields.email.errors ? <Text className="field-error" id={fields.email.errorId}>{fields.email.errors.join(" ")}</Text> : null}
              <label htmlFor={fields.password.id}><Text size="2" weight="medium">{m.login.password}</Text></label>
              <TextField.Root {...getInputProps(fields.password, { type: "password" })} key={fields.password.key} autoComplete="current-password" size="3" />
              {fields.password.errors ? <Text className="field-error" id={fields.password.errorId}>{fields.password.errors.join(" ")}</Text> : null}
              <Button type="submit" size="3" mt="2" loading={navigation.state !== "idle"}>{m.login.submit}</Button>
            </Flex>
          </Form>
          {demo ? <Text size="1" color="gray">{m.login.demoHint} Xunlian@2026</Text> : null}
        </Flex>
      </Card>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
