import { randomBytes } from "node:crypto";
import path from "node:path";
import { rm } from "node:fs/promises";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../../app/lib/embedded-postgres.server";
import { createPrivilegedSql } from "../../../app/lib/privileged.server";
import { migrate } from "../../../app/lib/migrate.server";
import { seedDemo } from "../../seed/demo";
import { enableAuthenticatorLogin } from "../../../app/lib/system.server";

/** One real PostgreSQL for the whole unit/database suite: migrated and seeded with the demo. */
export default async function setup(project: TestProject) {
  const dataDir = path.resolve(".data", `test-${process.pid}-${randomBytes(3).toString("hex")}`);
  const password = randomBytes(12).toString("hex");
  const cluster = await startEmbeddedPostgres({ dataDir, password, ephemeral: true });
  const sql = createPrivilegedSql(cluster.url);
  await migrate(sql);
  await seedDemo(sql);
  const authenticatorPassword = randomBytes(12).toString("hex");
  await enableAuthenticatorLogin(sql, authenticatorPassword);
  await sql.end();
  project.provide("databaseUrl", cluster.url);
  project.provide(
    "appDatabaseUrl",
    `postgres://authenticator:${authenticatorPassword}@127.0.0.1:${cluster.port}/postgres`,
  );
  return async () => {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    appDatabaseUrl: string;
  }
}
