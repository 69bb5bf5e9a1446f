import { mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDatabase, type RunningPostgres } from "@/lib/db/embedded-postgres";
import { superviseEmbeddedPostgres, type SupervisorOptions } from "@/lib/db/postgres-supervisor";
import { createPool } from "@/lib/db/pool";
import { createPrismaClient } from "@/lib/db/prisma";
import { waitFor } from "@/lib/testing/engine-harness";

const dataDir = mkdtempSync(path.join(tmpdir(), "skylight-supervised-"));
const postmasterPid = () => Number(readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
const port = 19000 + Math.floor(Math.random() * 1000);
const running: RunningPostgres[] = [];
afterAll(async () => {
  for (const server of running) await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function supervise(overrides: Partial<SupervisorOptions> = {}) {
  const reports: string[] = [];
  const gaveUp: Error[] = [];
  const started = superviseEmbeddedPostgres({
    dataDir,
    port,
    restartWithinMs: 20_000,
    report: (line) => reports.push(line),
    onGiveUp: (error) => gaveUp.push(error),
    ...overrides,
  }).then((server) => {
    running.push(server);
    return server;
  });
  return { started, reports, gaveUp };
}

describe("the supervised embedded PostgreSQL", () => {
  it("starts again on its port after kill -9 of its postmaster; pools and Prisma reconnect and committed rows are kept", async () => {
    const { started, reports } = supervise();
    const server = await started;
    await ensureDatabase(server.serverUrl, "skylight");
    const pool = createPool(server.urlFor("skylight"), 4);
    const prisma = createPrismaClient(server.urlFor("skylight"), 2);
    try {
      await pool.query("CREATE TABLE acknowledged (id int PRIMARY KEY)");
      for (let id = 1; id <= 20; id++) await pool.query("INSERT INTO acknowledged VALUES ($1)", [id]);
      // Every pooled connection in use, so each is cut by the crash rather than idle.
      await Promise.all([pool.query("SELECT pg_sleep(0.05)"), pool.query("SELECT pg_sleep(0.05)"), prisma.$queryRaw`SELECT 1`]);

      const crashed = postmasterPid();
      process.kill(crashed, "SIGKILL");

      // Until they notice the postmaster is gone, its backends may still answer: wait for the new one.
      await waitFor(async () => reports.length === 2, "the supervisor to start the server again", 20_000);
      await waitFor(async () => (await pool.query("SELECT 1").then(() => true, () => false)), "the pool to reach the restarted server", 20_000);
      await waitFor(async () => (await prisma.$queryRaw`SELECT 1`.then(() => true, () => false)), "Prisma to reach the restarted server", 20_000);
      expect(postmasterPid()).not.toBe(crashed);
      expect(new URL(server.serverUrl).port).toBe(String(port));
      const { rows } = await pool.query<{ count: number }>("SELECT count(*)::int AS count FROM acknowledged");
      expect(rows[0]!.count).toBe(20);
      expect(reports).toEqual([
        `the embedded PostgreSQL (pid ${crashed}) exited on SIGKILL; starting it again on port ${port}`,
        expect.stringMatching(/^the embedded PostgreSQL is running again \(pid \d+\) after \d+\.\d s$/),
      ]);
    } finally {
      await prisma.$disconnect();
      await pool.end();
      await server.stop();
    }
  });

  it("is started again by a process that shares it when the process that started it goes away", async () => {
    const owner = await supervise().started;
    const sharer = supervise();
    const shared = await sharer.started;
    const ownerPid = postmasterPid();

    await owner.stop();
    const pool = createPool(shared.serverUrl, 2);
    try {
      await waitFor(async () => (await pool.query("SELECT 1").then(() => true, () => false)), "the sharer to start the server again", 20_000);
      expect(postmasterPid()).not.toBe(ownerPid);
      expect(sharer.reports[0]).toBe(`the embedded PostgreSQL is no longer running; starting it again on port ${port}`);
    } finally {
      await pool.end();
      await shared.stop();
    }
  });

  it("gives up with PostgreSQL's reason when the server cannot start again", async () => {
    const { started, gaveUp } = supervise({ restartWithinMs: 2_000 });
    const server = await started;
    const versionFile = path.join(dataDir, "postgres", "PG_VERSION");
    // PostgreSQL reads PG_VERSION only when it starts: the running server does not notice.
    renameSync(versionFile, `${versionFile}.hidden`);
    try {
      process.kill(postmasterPid(), "SIGKILL");
      await waitFor(async () => gaveUp.length > 0, "the supervisor to give up", 15_000);
      expect(gaveUp[0]!.message).toContain(`The embedded PostgreSQL in ${path.join(dataDir, "postgres")} stopped and did not start again within 2 s.`);
      expect(gaveUp[0]!.message).toMatch(/is not a valid data directory/);
      expect(gaveUp[0]!.message).toMatch(/PG_VERSION" is missing/);
    } finally {
      renameSync(`${versionFile}.hidden`, versionFile);
      await server.stop();
    }
  });
});
