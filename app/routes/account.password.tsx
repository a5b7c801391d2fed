import { parseWithZod } from "@conform-to/zod";
import { getFormProps, getInputProps } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Button, Callout, Card, Flex, TextField } from "@radix-ui/themes";
import { z } from "zod";
import { authProvider } from "~/lib/auth.server";
import { useZodForm } from "~/lib/forms";
import { m } from "~/lib/messages";
import { requireUser } from "~/lib/request.server";
import { redirectWithToast } from "~/lib/toast.server";
import { PageHeader } from "~/components/page-header";
import { Field } from "~/components/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";

// 等保 password rule: length and four character classes.
const passwordSchema = z
  .object({
    current: z.string({ required_error: m.login.passwordRequired }).min(1, m.login.passwordRequired).max(200),
    next: z
      .string({ required_error: m.password.rule })
      .min(10, m.password.rule)
      .max(200, m.password.rule)
      .refine((v) => /[a-z]/.test(v) && /[A-Z]/.test(v) && /[0-9]/.test(v) && /[^A-Za-z0-9]/.test(v), m.password.rule),
    confirm: z.string({ required_error: m.password.mismatch }),
  })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: m.password.mismatch })
  .refine((v) => v.next !== v.current, { path: ["next"], message: m.password.sameAsOld });

export const meta: MetaFunction = () => [{ title: `${m.password.title} · ${m.appName}` }];

export async function loader({ request }: LoaderFunctionArgs) {
  return requireUser(request, async () => ({}), { allowExpiredPassword: true });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: passwordSchema });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["current", "next", "confirm"] }), { status: 400 });
  }
  return requireUser(
    request,
    async ({ claims, audit }) => {
      const result = await authProvider().changePassword(request, claims, submission.value.current, submission.value.next);
      await audit({ action: "auth.password_change", objectType: "user", objectId: claims.sub, success: result.ok });
      if (!result.ok) {
        return data(
          submission.reply({ fieldErrors: { current: [m.password.wrongCurrent] }, hideFields: ["current", "next", "confirm"] }),
          { status: 400 },
        );
      }
      return redirectWithToast("/", m.password.changed, { headers: result.headers });
    },
    { allowExpiredPassword: true },
  );
}

export default function ChangePassword() {
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useZodForm(passwordSchema, { lastResult });
  const field = (f: typeof fields.current, label: string, autoComplete: string) => (
    <Field id={f.id} label={label} errors={f.errors} errorId={f.errorId}>
      <TextField.Root {...getInputProps(f, { type: "password" })} key={f.key} autoComplete={autoComplete} />
    </Field>
  );
  return (
    <>
      <PageHeader title={m.password.title} description={m.password.rule} />
      {params.get("reason") === "expired" ? (
        <Callout.Root color="amber" mb="4"><Callout.Text>{m.password.expired}</Callout.Text></Callout.Root>
      ) : null}
      <Card size="3" style={{ maxWidth: 480 }}>
        <Form method="post" {...getFormProps(form)}>
          <Flex direction="column" gap="3">
            {field(fields.current, m.password.current, "current-password")}
            {field(fields.next, m.password.next, "new-password")}
            {field(fields.confirm, m.password.confirm, "new-password")}
            <Button type="submit" loading={navigation.state !== "idle"}>{m.password.submit}</Button>
          </Flex>
        </Form>
      </Card>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
