import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The privileged (RLS-bypassing) connection lives in one module. Inside app/, only the
 * built-in auth service may import it; routes, models and components never do.
 */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : /\.(ts|tsx)$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
}

const importsPrivileged = (file: string) =>
  /from\s+["'][^"']*privileged\.server["']/.test(readFileSync(file, "utf8").replace(/import type[^;]+;/g, ""));

describe("server boundary", () => {
  it("lets only the auth service import the privileged connection at run time", () => {
    const offenders = files("app")
      .filter((f) => !f.endsWith(".test.ts"))
      .filter(importsPrivileged)
      .map((f) => f.split(path.sep).join("/"));
    expect(offenders).toEqual(["app/lib/auth.server.ts"]);
  });

  it("keeps routes free of any server-only module but the request gate, auth, toast and models", () => {
    for (const file of files("app/routes")) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(/privileged\.server|auth-store\.server|system\.server|migrate\.server/);
    }
  });
});
