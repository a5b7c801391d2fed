import { redirect } from "@remix-run/node";

/** One-shot notices shown after a redirect ("已保存"): a short-lived cookie read by the root loader. */
const TOAST_COOKIE = "xl_toast";

export function redirectWithToast(url: string, message: string, init: { headers?: Headers } = {}) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", `${TOAST_COOKIE}=${encodeURIComponent(message)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=30`);
  return redirect(url, { headers });
}

export function readToast(request: Request): { message: string | null; headers: Headers } {
  const raw = (request.headers.get("Cookie") ?? "")
    .split(/;\s*/)
    .find((c) => c.startsWith(`${TOAST_COOKIE}=`))
    ?.slice(TOAST_COOKIE.length + 1);
  const headers = new Headers();
  if (!raw) return { message: null, headers };
  headers.append("Set-Cookie", `${TOAST_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
  let message: string | null = null;
  try {
    message = decodeURIComponent(raw).slice(0, 200);
  } catch {
    message = null;
  }
  return { message, headers };
}
