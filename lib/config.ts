// Skylight's settings, read once from the environment and validated, so a typo in a variable
// fails at start with the variable's name instead of misbehaving later.
import path from "node:path";
import proxyAddr from "proxy-addr";
import { z } from "zod";

const flag = (fallback: boolean) =>
  z
    .enum(["0", "1", "true", "false", "on", "off"])
    .optional()
    .transform((value) => (value === undefined ? fallback : ["1", "true", "on"].includes(value)));

const environmentSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  SKYLIGHT_DATA_DIR: z.string().min(1).default(".data"),
  SKYLIGHT_EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(5488),
  SKYLIGHT_EMBEDDED_PG_RESTART_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  SKYLIGHT_DEMO: flag(true),
  SKYLIGHT_ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  SKYLIGHT_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(120),
  SKYLIGHT_SIGN_IN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  // vCenter Single Sign-On's default lockout policy: 5 failures within 180 s lock for 300 s.
  SKYLIGHT_SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  SKYLIGHT_SIGN_IN_MAX_ACCOUNT_FAILURES: z.coerce.number().int().min(1).max(10_000).default(20),
  SKYLIGHT_SIGN_IN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(24 * 60 * 60).default(180),
  SKYLIGHT_SIGN_IN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(24 * 60 * 60).default(300),
  SKYLIGHT_TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((entry) => entry.trim()).filter(Boolean))
    .refine(compilesAsTrust, "must be IP addresses, CIDR ranges or the names loopback, linklocal, uniquelocal, separated by commas"),
  SKYLIGHT_URL: z.url().optional(),
  // 16 GiB: a server distribution's qcow2 or ISO fits; an upload over it is refused with 413.
  SKYLIGHT_LIBRARY_MAX_UPLOAD_MIB: z.coerce.number().int().min(1).max(1024 * 1024).default(16 * 1024),
  // A container image's layer rarely passes 2 GiB; a namespace's images, 20 GiB in all by default.
  SKYLIGHT_REGISTRY_MAX_BLOB_MIB: z.coerce.number().int().min(1).max(1024 * 1024).default(2 * 1024),
  SKYLIGHT_REGISTRY_NAMESPACE_MIB: z.coerce.number().int().min(1).max(1024 * 1024 * 1024).default(20 * 1024),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SKYLIGHT_KUBE_PORT: z.coerce.number().int().min(0).max(65535).default(6443),
  SKYLIGHT_KUBE_HOSTNAMES: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((name) => name.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9.:-]+$/, "must be host names or IP addresses separated by commas"))),
});

function compilesAsTrust(entries: string[]): boolean {
  try {
    proxyAddr.compile(entries);
    return true;
  } catch {
    return false;
  }
}

export type SkylightConfig = ReturnType<typeof readConfig>;

export function readConfig(environment: Record<string, string | undefined> = process.env) {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid Skylight environment:\n${problems.join("\n")}`);
  }
  const values = parsed.data;
  if (values.SKYLIGHT_SIGN_IN_MAX_ACCOUNT_FAILURES < values.SKYLIGHT_SIGN_IN_MAX_FAILURES) {
    throw new Error("Invalid Skylight environment:\n  SKYLIGHT_SIGN_IN_MAX_ACCOUNT_FAILURES: must be at least SKYLIGHT_SIGN_IN_MAX_FAILURES");
  }
  return {
    databaseUrl: values.DATABASE_URL,
    dataDir: path.resolve(values.SKYLIGHT_DATA_DIR),
    embeddedPostgresPort: values.SKYLIGHT_EMBEDDED_PG_PORT,
    embeddedPostgresRestartMs: values.SKYLIGHT_EMBEDDED_PG_RESTART_SECONDS * 1000,
    seedDemoInventory: values.SKYLIGHT_DEMO,
    adminPassword: values.SKYLIGHT_ADMIN_PASSWORD,
    sessionIdleMinutes: values.SKYLIGHT_SESSION_IDLE_MINUTES,
    signInLimits: {
      attemptsPerMinute: values.SKYLIGHT_SIGN_IN_ATTEMPTS_PER_MINUTE,
      maxFailures: values.SKYLIGHT_SIGN_IN_MAX_FAILURES,
      maxAccountFailures: values.SKYLIGHT_SIGN_IN_MAX_ACCOUNT_FAILURES,
      failureWindowSeconds: values.SKYLIGHT_SIGN_IN_FAILURE_WINDOW_SECONDS,
      lockoutSeconds: values.SKYLIGHT_SIGN_IN_LOCKOUT_SECONDS,
    },
    trustedProxies: values.SKYLIGHT_TRUSTED_PROXIES,
    publicUrl: values.SKYLIGHT_URL ?? `http://localhost:${values.PORT}`,
    port: values.PORT,
    kubePort: values.SKYLIGHT_KUBE_PORT,
    kubeHostnames: values.SKYLIGHT_KUBE_HOSTNAMES,
    libraryMaxUploadBytes: values.SKYLIGHT_LIBRARY_MAX_UPLOAD_MIB * 1024 * 1024,
    registryMaxBlobBytes: values.SKYLIGHT_REGISTRY_MAX_BLOB_MIB * 1024 * 1024,
    registryNamespaceQuotaBytes: values.SKYLIGHT_REGISTRY_NAMESPACE_MIB * 1024 * 1024,
  };
}
