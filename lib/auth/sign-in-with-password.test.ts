import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAuth } from "@/lib/auth/auth";
import { createSignInThrottle, type SignInLimits } from "@/lib/auth/sign-in-throttle";
import { signInWithPassword, WRONG_CREDENTIALS_MESSAGE, type SignInDependencies } from "@/lib/auth/sign-in-with-password";
import { sessionUsername } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";

const limits: SignInLimits = { attemptsPerMinute: 30, maxFailures: 3, maxAccountFailures: 6, failureWindowSeconds: 60, lockoutSeconds: 2 };
const pools: pg.Pool[] = [];
const logged: string[] = [];

/** Sign-in as one app process runs it: its own pool and throttle on the shared database. */
function appProcess(overrides: Partial<SignInLimits> = {}): SignInDependencies {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  pools.push(pool);
  const processLimits = { ...limits, ...overrides };
  return { auth: getAuth(), throttle: createSignInThrottle(pool, processLimits), limits: processLimits, log: (line) => logged.push(line) };
}

const attempt = (app: SignInDependencies, username: string, password: string, address = "192.0.2.10") =>
  signInWithPassword({ username, password, address, headers: new Headers() }, app);

const sessionOf = (outcome: Awaited<ReturnType<typeof attempt>>) => {
  if (!outcome.signedIn) throw new Error(`not signed in: ${outcome.message}`);
  return new Headers({ cookie: outcome.responseHeaders.getSetCookie().map((line) => line.split(";")[0]).join("; ") });
};

beforeAll(async () => {
  for (const username of ["lena", "omar", "pia", "quinn", "rosa", "sam"]) {
    await createUser("system", { username, name: username, role: "developer", password: `${username}-password` });
  }
});

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
});

describe("sign-in limits", () => {
  it("locks an account after too many failures, refuses even the right password while locked, and accepts it after", async () => {
    const app = appProcess();
    expect(await attempt(app, "lena", "guess-1")).toEqual({ signedIn: false, message: WRONG_CREDENTIALS_MESSAGE });
    await attempt(app, "lena", "guess-2");
    const third = await attempt(app, "lena", "guess-3");
    expect(third).toEqual({ signedIn: false, message: `${WRONG_CREDENTIALS_MESSAGE} After 3 failed attempts, sign-in to this account is locked for 2 seconds.` });

    const refused = await attempt(app, "lena", "lena-password");
    expect(refused).toEqual({ signedIn: false, message: expect.stringMatching(/^Sign-in to this account is locked after too many failed attempts\. Wait [12] seconds? and try again\.$/) });

    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(await sessionUsername(sessionOf(await attempt(app, "lena", "lena-password")))).toBe("lena");
  });

  it("shares the count between app processes", async () => {
    const first = appProcess();
    const second = appProcess();
    await attempt(first, "omar", "guess-1");
    await attempt(second, "omar", "guess-2");
    await attempt(first, "omar", "guess-3");
    expect(await attempt(second, "omar", "omar-password")).toMatchObject({ signedIn: false, message: expect.stringMatching(/locked/) });
  });

  it("locks the account only at the failing address, until failures from many addresses lock it everywhere", async () => {
    const app = appProcess({ lockoutSeconds: 60 });
    for (const guess of ["a", "b", "c"]) await attempt(app, "pia", `guess-${guess}`, "198.51.100.1");
    expect(await attempt(app, "pia", "pia-password", "198.51.100.1")).toMatchObject({ signedIn: false, message: expect.stringMatching(/locked/) });
    // The owner, elsewhere, is not locked out by someone guessing from that address.
    expect((await attempt(app, "pia", "pia-password", "203.0.113.7")).signedIn).toBe(true);

    for (const address of ["198.51.100.2", "198.51.100.3"]) {
      for (const guess of ["a", "b", "c"]) await attempt(app, "pia", `guess-${guess}`, address);
    }
    expect(await attempt(app, "pia", "pia-password", "203.0.113.7")).toMatchObject({ signedIn: false, message: expect.stringMatching(/locked/) });
  });

  it("a success forgets the failures before it", async () => {
    const app = appProcess();
    await attempt(app, "quinn", "guess-1");
    await attempt(app, "quinn", "guess-2");
    expect((await attempt(app, "quinn", "quinn-password")).signedIn).toBe(true);
    await attempt(app, "quinn", "guess-3");
    await attempt(app, "quinn", "guess-4");
    expect((await attempt(app, "quinn", "quinn-password")).signedIn).toBe(true);
  });

  it("limits attempts per address across accounts, whether or not they exist", async () => {
    const app = appProcess({ attemptsPerMinute: 4 });
    const address = "192.0.2.99";
    for (const username of ["nobody-1", "nobody-2", "nobody-3", "nobody-4"]) {
      expect(await attempt(app, username, "whatever", address)).toEqual({ signedIn: false, message: WRONG_CREDENTIALS_MESSAGE });
    }
    expect(await attempt(app, "rosa", "rosa-password", address)).toMatchObject({
      signedIn: false,
      message: expect.stringMatching(/^Too many sign-in attempts from your address\. Wait (\d+ seconds|1 minute) and try again\.$/),
    });
    expect((await attempt(app, "rosa", "rosa-password", "192.0.2.100")).signedIn).toBe(true);
    // A flood past the limit is logged once, not once per request.
    for (let flood = 0; flood < 20; flood += 1) await attempt(app, "rosa", "rosa-password", address);
    expect(logged.filter((line) => line.includes(`from ${address}: more than 4 attempts a minute`))).toHaveLength(1);
  });

  it("checks no more passwords than the limit allows when guesses arrive all at once", async () => {
    const app = appProcess();
    const before = logged.length;
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, index) => attempt(app, "sam", `guess-${index}`)));
    const checked = logged.slice(before).filter((line) => line.startsWith('sign-in failed for "sam"'));
    expect(checked).toHaveLength(limits.maxFailures);
    expect(outcomes.filter((outcome) => !outcome.signedIn && /locked after too many/.test(outcome.message))).toHaveLength(12 - limits.maxFailures);
  });

  it("logs failures and refusals with username and address, never the password", async () => {
    const app = appProcess();
    await attempt(app, "lena", "a-secret-guess", "192.0.2.55");
    expect(logged).toContain('sign-in failed for "lena" from 192.0.2.55: incorrect username or password');
    expect(logged.some((line) => line.startsWith('sign-in refused for "lena" from 192.0.2.10: the account is locked'))).toBe(true);
    expect(logged.join("\n")).not.toMatch(/guess|secret|-password/);
  });
});
