// Client input, checked once where it enters Skylight and before anything interprets it: a key
// that names a prototype (__proto__, constructor, prototype) anywhere in it is refused, as is
// nesting deeper than MAX_INPUT_DEPTH or more than MAX_INPUT_NODES values, and text PostgreSQL
// cannot store (a NUL character, half of a surrogate pair), each with the path of the first
// offence. Every parser of client bodies (the Kubernetes API's JSON, YAML and protobuf
// bodies, the console's YAML tab) and the server-action chain run their input through here, so
// code that walks client keys never meets one that reaches Object.prototype.
import { InvalidInputError } from "@/lib/errors";

export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Objects and arrays inside each other; Skylight's own objects nest about ten deep. */
export const MAX_INPUT_DEPTH = 100;

/** Values in one input, counted as walked (a YAML alias counts each time it is used). */
export const MAX_INPUT_NODES = 1_000_000;

export const isPrototypeKey = (key: string) => PROTOTYPE_KEYS.has(key);

/** Text PostgreSQL can store in text and jsonb: well-formed Unicode without NUL. */
// With the u flag a surrogate pair is one code point, so \p{Cs} finds only the halves left alone.
const UNSTORABLE_CHARACTER = /[\0\p{Cs}]/u;
export const isStorableText = (text: string) => !UNSTORABLE_CHARACTER.test(text);
const UNSTORABLE = "contains a NUL character or half of a surrogate pair, which cannot be stored";

/** Input that breaks one of the rules above; `field` is the path of the offending key or value. */
export class UntrustedInputError extends InvalidInputError {}

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | null;
  key: string | number | null;
}

/** spec.volumes[0].name */
function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let at: Frame | null = frame; at && at.key !== null; at = at.parent) keys.push(at.key);
  return keys.reverse().reduce<string>((path, key) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key), "");
}

const refuse = (frame: Frame, message: string) => new UntrustedInputError(pathOf(frame), `${pathOf(frame) || "the input"}: ${message}`);

/** Own keys of what a client can send: plain objects, and the keys of a Map or FormData. */
function entriesOf(value: object): Iterable<[string | number, unknown]> {
  if (Array.isArray(value)) return value.entries();
  if (value instanceof Map) return [...value.entries()].map(([key, item]) => [String(key), item] as [string, unknown]);
  if (typeof FormData !== "undefined" && value instanceof FormData) return value.entries();
  return Object.entries(value);
}

/** Throws an UntrustedInputError naming the first prototype key, too-deep nesting or excess of values. Iterative, so any depth is safe to walk. */
export function assertSafeInput(value: unknown): void {
  const stack: Frame[] = [{ value, depth: 0, parent: null, key: null }];
  let nodes = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (++nodes > MAX_INPUT_NODES) throw refuse(frame, `the input holds more than ${MAX_INPUT_NODES} values`);
    if (typeof frame.value === "string" && !isStorableText(frame.value)) throw refuse(frame, UNSTORABLE);
    if (frame.value === null || typeof frame.value !== "object") continue;
    if (frame.depth >= MAX_INPUT_DEPTH) throw refuse(frame, `nests deeper than ${MAX_INPUT_DEPTH} levels`);
    for (const [key, item] of entriesOf(frame.value)) {
      const child: Frame = { value: item, depth: frame.depth + 1, parent: frame, key };
      if (typeof key === "string" && isPrototypeKey(key)) throw refuse(child, `"${key}" is not allowed as a key`);
      if (typeof key === "string" && !isStorableText(key)) throw refuse(frame, `a key ${UNSTORABLE}`);
      stack.push(child);
    }
  }
}

/** Whether JSON text nests objects and arrays deeper than `limit`, found in one pass over the text and before parsing it. */
export function jsonNestsDeeper(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 92 /* \ */) index++;
      else if (code === 34 /* " */) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 91 /* [ */ || code === 123 /* { */) {
      if (++depth > limit) return true;
    } else if (code === 93 /* ] */ || code === 125 /* } */) depth--;
  }
  return false;
}

/** JSON from a client: its nesting is measured before parsing, its keys and size checked after. */
export function parseUntrustedJson(text: string): unknown {
  if (jsonNestsDeeper(text, MAX_INPUT_DEPTH)) throw new UntrustedInputError("", `the input nests deeper than ${MAX_INPUT_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8 quotes the input around the fault; a refusal names the fault, never echoes a value (a Secret's).
    throw new UntrustedInputError("", (error as Error).message.replace(/, (?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, ": the input is not valid JSON"));
  }
  assertSafeInput(value);
  return value;
}
