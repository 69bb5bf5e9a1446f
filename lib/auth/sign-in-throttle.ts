// Sign-in limits, counted in PostgreSQL (rate-limiter-flexible over the sign_in_throttle table) so
// that every app process shares them:
// - a client address may make `attemptsPerMinute` attempts a minute, at any accounts;
// - `maxFailures` failed attempts at one account from one address within the window lock that
//   account at that address for `lockoutSeconds`, even for the right password;
// - `maxAccountFailures` failures at one account from all addresses together lock it everywhere,
//   against guessing spread over many addresses.
// Locking per address first means someone guessing from elsewhere cannot lock the owner out, and
// a lock never grows while it holds. Every attempt is counted before its password is checked, so
// a burst of simultaneous guesses gets no more than the limit. Keys hold the username as typed,
// whether or not such a user exists, so a lockout reveals nothing about which accounts exist.
import type pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { escapeLike } from "@/lib/db/like-pattern";

export interface SignInLimits {
  attemptsPerMinute: number;
  maxFailures: number;
  maxAccountFailures: number;
  failureWindowSeconds: number;
  lockoutSeconds: number;
}

export interface SignInAttempt {
  username: string;
  address: string;
}

export interface SignInRefusal {
  admitted: false;
  reason: "address" | "account";
  retryAfterSeconds: number;
  /** The first refusal of its window (for an address: the attempt just over the limit). */
  first: boolean;
}

export interface AdmittedSignIn {
  admitted: true;
  /** The password was right: the account's failures from this address are forgotten. */
  succeeded(): Promise<void>;
  /** The password was wrong. Returns the lockout this failure started, if it was the last one allowed. */
  failed(): Promise<{ lockedForSeconds: number | null }>;
  /** The attempt ended without a verdict on the password (a server error): it counts as no failure. */
  abandoned(): Promise<void>;
}

export interface SignInThrottle {
  /** Counts the attempt; when refused, the password must not be checked. */
  admit(attempt: SignInAttempt): Promise<AdmittedSignIn | SignInRefusal>;
  /** Ends an account's lockout and forgets its failures, from every address (after a password reset). */
  unlockAccount(username: string): Promise<void>;
}

const TABLE = "sign_in_throttle";
const ADDRESS_PREFIX = "address";
const ACCOUNT_AT_ADDRESS_PREFIX = "account-at-address";
const ACCOUNT_PREFIX = "account";

export function createSignInThrottle(pool: pg.Pool, limits: SignInLimits): SignInThrottle {
  const common = { storeClient: pool, storeType: "pool", tableName: TABLE, tableCreated: true };
  const byAddress = new RateLimiterPostgres({
    ...common,
    keyPrefix: ADDRESS_PREFIX,
    points: limits.attemptsPerMinute,
    duration: 60,
    // A flood from one address is refused from memory instead of a query per request.
    inMemoryBlockOnConsumed: limits.attemptsPerMinute + 1,
  });
  const failureLimiter = (keyPrefix: string, points: number) =>
    new RateLimiterPostgres({
      ...common,
      keyPrefix,
      points,
      duration: limits.failureWindowSeconds,
      blockDuration: limits.lockoutSeconds,
      clearExpiredByTimeout: false,
    });
  const byAccountAtAddress = failureLimiter(ACCOUNT_AT_ADDRESS_PREFIX, limits.maxFailures);
  const byAccount = failureLimiter(ACCOUNT_PREFIX, limits.maxAccountFailures);

  return {
    async admit({ username, address }) {
      const account = username.toLowerCase();
      const accountAtAddress = `${account}|${address}`;
      const addressCount = await consume(byAddress, address);
      if (addressCount.limited) return refusal("address", addressCount.result, limits.attemptsPerMinute);
      const pairCount = await consume(byAccountAtAddress, accountAtAddress);
      if (pairCount.limited) return refusal("account", pairCount.result, limits.maxFailures);
      const accountCount = await consume(byAccount, account);
      if (accountCount.limited) {
        // Refused before any password was tried: this address's count for the account stays as it was.
        await byAccountAtAddress.reward(accountAtAddress, 1);
        return refusal("account", accountCount.result, limits.maxAccountFailures);
      }
      return {
        admitted: true,
        async succeeded() {
          await Promise.all([byAccountAtAddress.delete(accountAtAddress), byAccount.reward(account, 1)]);
        },
        async failed() {
          // The last failure allowed starts the lockout now, so the next attempt is refused.
          const locks = [];
          if (pairCount.result.remainingPoints === 0) locks.push(byAccountAtAddress.block(accountAtAddress, limits.lockoutSeconds));
          if (accountCount.result.remainingPoints === 0) locks.push(byAccount.block(account, limits.lockoutSeconds));
          await Promise.all(locks);
          return { lockedForSeconds: locks.length > 0 ? limits.lockoutSeconds : null };
        },
        async abandoned() {
          await Promise.all([byAccountAtAddress.reward(accountAtAddress, 1), byAccount.reward(account, 1)]);
        },
      };
    },

    async unlockAccount(username) {
      const account = username.toLowerCase();
      const escaped = escapeLike(account);
      await pool.query(`DELETE FROM ${TABLE} WHERE key = $1 OR key LIKE $2`, [
        `${ACCOUNT_PREFIX}:${account}`,
        `${ACCOUNT_AT_ADDRESS_PREFIX}:${escaped}|%`,
      ]);
    },
  };
}

type Count = { limited: false; result: RateLimiterRes } | { limited: true; result: RateLimiterRes };

/** The library rejects with its result when over the limit, and with an Error when the database fails. */
async function consume(limiter: RateLimiterPostgres, key: string): Promise<Count> {
  try {
    return { limited: false, result: await limiter.consume(key, 1) };
  } catch (outcome) {
    if (outcome instanceof RateLimiterRes) return { limited: true, result: outcome };
    throw outcome;
  }
}

function refusal(reason: SignInRefusal["reason"], result: RateLimiterRes, limit: number): SignInRefusal {
  return { admitted: false, reason, retryAfterSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)), first: result.consumedPoints === limit + 1 };
}
