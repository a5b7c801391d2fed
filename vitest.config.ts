import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Deliberately not the Remix vite config: tests run plain TypeScript against a real
// PostgreSQL started once by the global setup.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.ts", "packages/**/*.test.ts", "supabase/tests/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["supabase/tests/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
