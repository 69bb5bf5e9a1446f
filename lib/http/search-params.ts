// The console's URL search params as its route handlers (lib/http/route-handler.ts) and pages
// (proxy.ts) take them: text PostgreSQL can store (a NUL character or half a surrogate pair
// reached SQL and answered 500), and timestamps within its range (year 0000 is valid ISO 8601 but
// not a PostgreSQL timestamp).
import { z } from "zod";
import { InvalidParamError } from "@/lib/errors";
import { isStorableText } from "@/lib/http/untrusted-input";

/** The name of the first param whose value PostgreSQL could not store, or null. */
export function unstorableParam(search: URLSearchParams): string | null {
  for (const [name, value] of search) if (!isStorableText(value)) return name;
  return null;
}

/** An ISO 8601 timestamp with an offset, in year 1 or later. */
export const timestampParam = z.iso.datetime({ offset: true }).refine((value) => new Date(value).getUTCFullYear() >= 1, "must be in year 1 or later");

/**
 * Search params read strictly, for routes that must not guess (an export of "what I filtered"):
 * an unknown, repeated or malformed param is refused, naming it and the rule.
 */
export function strictSearchParams<Schema extends z.ZodObject>(schema: Schema, search: URLSearchParams): z.infer<Schema> {
  const raw: Record<string, string> = {};
  for (const [name, value] of search) {
    if (!Object.hasOwn(schema.shape, name)) throw new InvalidParamError(name, `Unknown parameter "${name}": this route takes ${Object.keys(schema.shape).join(", ")}.`);
    if (Object.hasOwn(raw, name)) throw new InvalidParamError(name, `Parameter "${name}" is given more than once.`);
    raw[name] = value;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? "");
  throw new InvalidParamError(name, `Parameter "${name}": ${issue.message}.`);
}
