// Sign-in and sessions, through better-auth: username and password (hashed by better-auth),
// sliding sessions that end after SKYLIGHT_SESSION_IDLE_MINUTES without use, and the admin
// plugin for user management, where a disabled user is a banned one (banning ends their sessions).
// Skylight signs in through its own server action, never better-auth's HTTP router, so the
// router's rate limiter has nothing to limit: sign-in attempts are counted by
// lib/auth/sign-in-throttle.ts instead.
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { admin, username } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements, userAc } from "better-auth/plugins/admin/access";
import { readConfig } from "@/lib/config";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db/prisma";
import { USERNAME_PATTERN } from "@/lib/users/user-schemas";

const accessControl = createAccessControl(defaultStatements);
const roleGrants = {
  administrator: accessControl.newRole(adminAc.statements),
  operator: accessControl.newRole(userAc.statements),
  developer: accessControl.newRole(userAc.statements),
};

export const DISABLED_USER_MESSAGE = "This account is disabled. Ask an administrator to enable it.";

export function createAuth(options: {
  database: PrismaClient;
  secret: string;
  baseURL: string;
  idleMinutes: number;
}) {
  const idleSeconds = options.idleMinutes * 60;
  return betterAuth({
    appName: "Skylight",
    secret: options.secret,
    baseURL: options.baseURL,
    database: prismaAdapter(options.database, { provider: "postgresql" }),
    telemetry: { enabled: false },
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8, maxPasswordLength: 128 },
    session: {
      expiresIn: idleSeconds,
      // Each use older than this pushes expiry forward again, so expiry measures inactivity.
      updateAge: Math.min(idleSeconds / 4, 5 * 60),
    },
    rateLimit: { enabled: false },
    advanced: {
      // Sessions record the address the console server resolved, not a header a client can set.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
      useSecureCookies: options.baseURL.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
    },
    plugins: [
      username({ minUsernameLength: 2, maxUsernameLength: 64, usernameValidator: (name) => USERNAME_PATTERN.test(name) }),
      admin({
        ac: accessControl,
        roles: roleGrants,
        defaultRole: "developer",
        adminRoles: ["administrator"],
        bannedUserMessage: DISABLED_USER_MESSAGE,
      }),
      nextCookies(),
    ],
  });
}

export type SkylightAuth = ReturnType<typeof createAuth>;

const processGlobal = globalThis as unknown as { skylightAuth?: SkylightAuth };

/** The process's auth instance; the launcher puts the installation's secret in the environment. */
export function getAuth(): SkylightAuth {
  if (!processGlobal.skylightAuth) {
    const config = readConfig();
    const secret = process.env.BETTER_AUTH_SECRET;
    if (!secret) throw new Error("BETTER_AUTH_SECRET is not set: start Skylight with `npm run dev` or `npm start`.");
    processGlobal.skylightAuth = createAuth({
      database: prisma,
      secret,
      baseURL: config.publicUrl,
      idleMinutes: config.sessionIdleMinutes,
    });
  }
  return processGlobal.skylightAuth;
}
