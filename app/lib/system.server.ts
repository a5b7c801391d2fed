import type { Sql } from "./privileged.server";

/**
 * System jobs that need the privileged connection. Callers pass that connection in;
 * nothing here is reachable from a route.
 */

/**
 * Lets the request pool log in as `authenticator` (PostgREST's role): it can do
 * nothing by itself except switch into anon/authenticated, so a request that forgot
 * to set its role reads nothing at all.
 */
export async function enableAuthenticatorLogin(sql: Sql, password: string): Promise<void> {
  await sql.unsafe(`alter role authenticator with login password '${password.replace(/'/g, "''")}'`);
}
