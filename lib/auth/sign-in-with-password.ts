// Password sign-in as the sign-in form's action runs it: the attempt is counted against the
// limits (lib/auth/sign-in-throttle.ts) before better-auth checks the password, and failed and
// refused attempts are written to the server log with the username and address, never the
// password.
import { APIError } from "better-auth/api";
import { DISABLED_USER_MESSAGE, getAuth, type SkylightAuth } from "@/lib/auth/auth";
import { createSignInThrottle, type SignInLimits, type SignInRefusal, type SignInThrottle } from "@/lib/auth/sign-in-throttle";
import { readConfig } from "@/lib/config";
import { getPool } from "@/lib/db/pool";

export interface PasswordSignIn {
  username: string;
  password: string;
  /** The client's address, as the console server resolved it (lib/http/client-address.ts). */
  address: string;
  /** The request's headers, for better-auth (and through its Next.js plugin, the response's cookies). */
  headers: Headers;
}

export type SignInOutcome = { signedIn: true; responseHeaders: Headers } | { signedIn: false; message: string };

export const WRONG_CREDENTIALS_MESSAGE = "Incorrect username or password.";

export interface SignInDependencies {
  auth: SkylightAuth;
  throttle: SignInThrottle;
  limits: SignInLimits;
  log: (message: string) => void;
}

export async function signInWithPassword(input: PasswordSignIn, dependencies: SignInDependencies = defaultDependencies()): Promise<SignInOutcome> {
  const { auth, throttle, limits, log } = dependencies;
  const username = input.username.toLowerCase();
  const who = `${JSON.stringify(username)} from ${input.address}`;
  const admission = await throttle.admit({ username, address: input.address });
  if (!admission.admitted) {
    // Attempts at a locked account are bounded by the address limit; a flood over that limit is
    // logged once per window, not once per request.
    if (admission.reason === "account" || admission.first) log(`sign-in refused for ${who}: ${refusalReason(admission, limits)}`);
    return { signedIn: false, message: refusalMessage(admission) };
  }
  try {
    const { headers } = await auth.api.signInUsername({ body: { username, password: input.password }, headers: input.headers, returnHeaders: true });
    await admission.succeeded();
    return { signedIn: true, responseHeaders: headers };
  } catch (error) {
    if (error instanceof APIError && error.body?.code === "BANNED_USER") {
      await admission.abandoned();
      log(`sign-in refused for ${who}: the account is disabled`);
      return { signedIn: false, message: DISABLED_USER_MESSAGE };
    }
    if (error instanceof APIError && error.statusCode >= 400 && error.statusCode < 500) {
      // One message for an unknown user and a wrong password, so sign-in reveals nothing else.
      const { lockedForSeconds } = await admission.failed();
      log(`sign-in failed for ${who}: incorrect username or password${lockedForSeconds ? `; the account is locked at this address for ${lockedForSeconds} s` : ""}`);
      return {
        signedIn: false,
        message: lockedForSeconds
          ? `${WRONG_CREDENTIALS_MESSAGE} After ${limits.maxFailures} failed attempts, sign-in to this account is locked for ${waitText(lockedForSeconds)}.`
          : WRONG_CREDENTIALS_MESSAGE,
      };
    }
    await admission.abandoned();
    throw error;
  }
}

function refusalReason(refusal: SignInRefusal, limits: SignInLimits): string {
  return refusal.reason === "address"
    ? `more than ${limits.attemptsPerMinute} attempts a minute from this address; its attempts in the next ${refusal.retryAfterSeconds} s are refused and not logged`
    : `the account is locked after too many failed attempts; ${refusal.retryAfterSeconds} s to wait`;
}

function refusalMessage(refusal: SignInRefusal): string {
  return refusal.reason === "address"
    ? `Too many sign-in attempts from your address. Wait ${waitText(refusal.retryAfterSeconds)} and try again.`
    : `Sign-in to this account is locked after too many failed attempts. Wait ${waitText(refusal.retryAfterSeconds)} and try again.`;
}

function waitText(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

const processGlobal = globalThis as unknown as { skylightSignInThrottle?: SignInThrottle };

/** The process's throttle, on the shared pool, with the limits from the environment. */
export function getSignInThrottle(): SignInThrottle {
  processGlobal.skylightSignInThrottle ??= createSignInThrottle(getPool(), readConfig().signInLimits);
  return processGlobal.skylightSignInThrottle;
}

function defaultDependencies(): SignInDependencies {
  return {
    auth: getAuth(),
    throttle: getSignInThrottle(),
    limits: readConfig().signInLimits,
    log: (message) => console.warn(`[skylight] ${message}`),
  };
}
