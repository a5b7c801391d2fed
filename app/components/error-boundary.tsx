import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { Button, Callout, Flex, Heading, Text } from "@radix-ui/themes";
import { m } from "~/lib/messages";

/** One error boundary for every route: 400, 403, 404 and unexpected errors, in Chinese. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  let title = m.errors.serverTitle;
  let message = m.errors.server;
  let status = 500;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    if (status === 404) [title, message] = [m.errors.notFoundTitle, m.errors.notFound];
    else if (status === 403) [title, message] = [m.errors.forbiddenTitle, m.errors.forbidden];
    else if (status === 400) [title, message] = [m.errors.badRequestTitle, m.errors.badRequest];
  } else if (typeof console !== "undefined") {
    console.error(error);
  }
  return (
    <Flex direction="column" gap="4" align="start" data-testid={`error-${status}`}>
      <Heading as="h1" size="6">{title}</Heading>
      <Callout.Root color={status === 404 || status === 403 ? "amber" : "red"}>
        <Callout.Text>{message}</Callout.Text>
      </Callout.Root>
      <Text color="gray" size="2">HTTP {status}</Text>
      <Button asChild variant="soft"><Link to="/">{m.errors.backHome}</Link></Button>
    </Flex>
  );
}
