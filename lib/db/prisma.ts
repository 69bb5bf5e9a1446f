// The Prisma client every server module reads and writes through: one per process, over a pg
// pool through the driver adapter (no native query engine).
import { createPool } from "@/lib/db/pool";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  // Our own pool, with createPool's error handler: `$disconnect` can leave its idle connections
  // open for a while, and the server cutting them (the embedded PostgreSQL stopping) must not
  // crash the process as an unhandled 'error' event.
  return new PrismaClient({ adapter: new PrismaPg(createPool(databaseUrl, poolSize)) });
}

const processGlobal = globalThis as unknown as { skylightPrisma?: PrismaClient };

function databaseUrlFromEnvironment(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start Skylight with `npm run dev` or `npm start`.");
  return url;
}

// Created on first use, so importing a module never opens a connection.
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    processGlobal.skylightPrisma ??= createPrismaClient(databaseUrlFromEnvironment());
    const value = Reflect.get(processGlobal.skylightPrisma, property);
    return typeof value === "function" ? value.bind(processGlobal.skylightPrisma) : value;
  },
});
