// Vitest setup file: gives each test file its own database, cloned from the migrated template,
// and points DATABASE_URL (and so the process's Prisma client) at it.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

const serverUrl = inject("postgresServerUrl");
const database = `test_${randomBytes(6).toString("hex")}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${database} TEMPLATE skylight_template`);
await admin.end();

const url = new URL(serverUrl);
url.pathname = `/${database}`;
process.env.DATABASE_URL = url.toString();
process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64url");
