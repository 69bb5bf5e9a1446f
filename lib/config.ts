// Skylight's settings, read once from the environment and validated, so a typo in a variable
// fails at start with the variable's name instead of misbehaving later.
import path from "node:path";
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
  SKYLIGHT_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SKYLIGHT_KUBE_PORT: z.coerce.number().int().min(0).max(65535).default(6443),
  SKYLIGHT_KUBE_HOSTNAMES: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((name) => name.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9.:-]+$/, "must be host names or IP addresses separated by commas"))),
});

export type SkylightConfig = ReturnType<typeof readConfig>;

export function readConfig(environment: Record<string, string | undefined> = process.env) {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid Skylight environment:\n${problems.join("\n")}`);
  }
  const values = parsed.data;
  return {
    databaseUrl: values.DATABASE_URL,
    dataDir: path.resolve(values.SKYLIGHT_DATA_DIR),
    embeddedPostgresPort: values.SKYLIGHT_EMBEDDED_PG_PORT,
    embeddedPostgresRestartMs: values.SKYLIGHT_EMBEDDED_PG_RESTART_SECONDS * 1000,
    seedDemoInventory: values.SKYLIGHT_DEMO,
    adminPassword: values.SKYLIGHT_ADMIN_PASSWORD,
    sessionIdleMinutes: values.SKYLIGHT_SESSION_IDLE_MINUTES,
    signInAttemptsPerMinute: values.SKYLIGHT_SIGN_IN_ATTEMPTS_PER_MINUTE,
    publicUrl: values.SKYLIGHT_URL ?? `http://localhost:${values.PORT}`,
    port: values.PORT,
    kubePort: values.SKYLIGHT_KUBE_PORT,
    kubeHostnames: values.SKYLIGHT_KUBE_HOSTNAMES,
  };
}
