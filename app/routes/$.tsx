import { GeneralErrorBoundary } from "~/components/error-boundary";

/** Unknown paths: the shared boundary renders the Chinese 404 page inside the shell. */
export async function loader() {
  throw new Response("Not Found", { status: 404 });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
