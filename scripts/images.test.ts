// `npm run images`: an import from the command line lands in the library's store and the
// inventory, as the console's Import does; usage mistakes exit 2 and change nothing.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { writeBootIso } from "@/lib/testing/boot-images";
import { IMAGE_KIND_ANNOTATION, IMPORTED_BY_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";

const run = promisify(execFile);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "skylight-images-cli-"));
});
afterAll(async () => {
  await pool.end();
  await rm(dataDir, { recursive: true, force: true });
});

const images = (args: string[]) => run("npx", ["tsx", "scripts/images.ts", ...args], { env: { ...process.env, SKYLIGHT_DATA_DIR: dataDir } });

test("import FILE --name NAME --os …: the ISO is in the library and its VirtualMachineImage names who imported it", async () => {
  await pool.query(`INSERT INTO users (id, name, email, username, role, "updatedAt") VALUES ('u-olivia', 'Olivia', 'olivia@skylight.test', 'olivia', 'operator', now())`);
  const iso = path.join(dataDir, "installer.iso");
  await writeBootIso(iso, "CLI");
  const { stdout } = await images(["import", iso, "--name", "cli-installer", "--os", "Installer", "--user", "olivia"]);
  expect(stdout).toMatch(/^Imported iso image cli-installer \(0\.0 MiB stored, sha256 [0-9a-f]{64}\)/);
  expect(await readdir(path.join(dataDir, "library", "cli-installer"))).toEqual(["cdrom.iso", "manifest.json"]);
  const { rows } = await pool.query<{ annotations: Record<string, string> }>(`SELECT annotations FROM resources WHERE kind = 'VirtualMachineImage' AND name = 'cli-installer'`);
  expect(rows[0]?.annotations).toMatchObject({ [IMAGE_KIND_ANNOTATION]: "iso", [IMPORTED_BY_ANNOTATION]: "olivia" });

  const taken = await images(["import", iso, "--name", "cli-installer", "--user", "olivia"]).catch((error: { stderr: string; code: number }) => error);
  expect(taken).toMatchObject({ code: 1, stderr: expect.stringContaining('name: The content library already has an image named "cli-installer".') });
  const usage = await images(["import", iso]).catch((error: { stderr: string; code: number }) => error);
  expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining("import needs --name NAME") });
});
