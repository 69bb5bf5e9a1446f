// Prisma CLI configuration. The CLI runs its WebAssembly engines over the pg driver adapter,
// because Prisma's native engines cannot be downloaded on our machines (see README).
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// With engine "js" the CLI still probes for a native query-engine library before generating and
// tries to download one when none is found; any existing file satisfies the probe.
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= new URL("./package.json", import.meta.url).pathname;
// No update checks or usage reports: Skylight builds and runs with no network.
process.env.CHECKPOINT_DISABLE ??= "1";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://localhost/skylight" }),
});
