import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Overridable so two checkouts can run their suites side by side.
const PORT = Number(process.env.E2E_PORT ?? 3100);
export const PG_PORT = process.env.E2E_PG_PORT ?? "5489";
export const DATA_DIR = ".data-e2e";
export const ADMIN_PASSWORD = "e2e-admin-password";
/** A second app process on the same database, as when Skylight is scaled out behind a balancer. */
export const SECOND_APP_URL = `http://localhost:${PORT + 1}`;
/** A third process on its own database filled by `seed:scale`, for lists too large for the demo. */
export const LARGE_INVENTORY_URL = `http://localhost:${PORT + 2}`;
export const LARGE_INVENTORY_VMS = 6_000;
export const SIGN_IN_LOCKOUT_SECONDS = 5;
/** The first process's Kubernetes API (the others get the next two ports). */
export const KUBE_PORT = Number(process.env.E2E_KUBE_PORT ?? 6450);

const serverEnvironment = {
  SKYLIGHT_DATA_DIR: DATA_DIR,
  SKYLIGHT_EMBEDDED_PG_PORT: PG_PORT,
  SKYLIGHT_ADMIN_PASSWORD: ADMIN_PASSWORD,
  SKYLIGHT_SESSION_IDLE_MINUTES: "120",
  // The suite signs in far more often than a person would, all from one address.
  SKYLIGHT_SIGN_IN_ATTEMPTS_PER_MINUTE: "1000",
  // Short, so the lockout test sees a lockout end.
  SKYLIGHT_SIGN_IN_LOCKOUT_SECONDS: String(SIGN_IN_LOCKOUT_SECONDS),
  // Simulated time ten times faster: a failed host is declared not responding after 3 s.
  SKYLIGHT_SIM_SPEED: "10",
};

// Debian's Chromium where it is installed (CI installs it); Playwright's own browser elsewhere.
const systemChromium = "/usr/bin/chromium";
const launchOptions = existsSync(systemChromium)
  ? {
      executablePath: systemChromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }
  : {};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  // Generous for a 2-core machine: a journey of fifty steps takes 20–40 s there, and a slower
  // moment must not turn into a red run.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://localhost:${PORT}`,
    // Recording a trace costs every test a fifth of its time on a 2-core machine, and CI keeps
    // only what the run prints; E2E_TRACE=1 records them for a local investigation.
    trace: process.env.E2E_TRACE === "1" ? "retain-on-failure" : "off",
    screenshot: "only-on-failure",
    launchOptions,
  },
  projects: [
    { name: "chromium", testIgnore: /large-inventory/, use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } } },
    {
      name: "large-inventory",
      testMatch: /large-inventory/,
      use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 }, baseURL: LARGE_INVENTORY_URL },
    },
  ],
  // Playwright starts these in order and waits for each URL, so the second process starts after
  // the first has prepared the database and shares its embedded PostgreSQL (scripts/skylight.ts).
  webServer: [
    {
      // The production build (`next build` runs before this in `npm test`) on a fresh embedded database.
      command: `rm -rf ${DATA_DIR} && npm start`,
      url: `http://localhost:${PORT}/login`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: { ...serverEnvironment, PORT: String(PORT), SKYLIGHT_KUBE_PORT: String(KUBE_PORT) },
    },
    {
      // A web-only process, as the README's scale-out advises: the first process's engine does
      // all reconciling, so the suite's timings do not depend on which engine wins a key.
      command: "npm start",
      url: `${SECOND_APP_URL}/login`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: { ...serverEnvironment, PORT: String(PORT + 1), SKYLIGHT_ENGINE: "off", SKYLIGHT_KUBE_PORT: String(KUBE_PORT + 1) },
    },
    {
      // Read-only journeys over a seeded inventory: no engine, whose passes over 6,000 VMs would
      // take CPU from the other processes for the whole run.
      command: `rm -rf ${DATA_DIR}-large && npm run -s seed:scale -- --datacenters 1 --clusters 2 --hosts 128 --vms ${LARGE_INVENTORY_VMS} --namespaces 6 --events 2000 --tasks 50 && npm start`,
      url: `${LARGE_INVENTORY_URL}/login`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: { ...serverEnvironment, PORT: String(PORT + 2), SKYLIGHT_DATA_DIR: `${DATA_DIR}-large`, SKYLIGHT_EMBEDDED_PG_PORT: String(Number(PG_PORT) + 1), SKYLIGHT_DEMO: "0", SKYLIGHT_ENGINE: "off", SKYLIGHT_KUBE_PORT: String(KUBE_PORT + 2) },
    },
  ],
});
