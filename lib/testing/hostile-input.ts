// Hostile values for property-based tests (fast-check): trees with keys that name prototypes,
// huge and fractional numbers, long and unstorable strings, wrong types and nesting past the
// limits, written out as JSON or YAML text (so a "__proto__" key reaches the server as written) or
// built as JavaScript values with such keys as own properties. Also what such a test checks after
// each step: the prototypes, and the heap after a collection.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";

export type Hostile =
  | { object: [string, Hostile][] }
  | { array: Hostile[] }
  | { value: null | boolean | number | string }
  /** That many objects inside each other: {"a":{"a":…1…}}. */
  | { nested: number };

const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"];
const FIELD_NAMES = ["spec", "metadata", "labels", "annotations", "name", "namespace", "cpu", "memoryMiB", "limits", "permissions", "powerState", "className", "volumes", "$patch", "resourceVersion"];

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 4, arbitrary: fc.constantFrom(...FIELD_NAMES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom("\u0000", "a\ud800", "k".repeat(300)) },
);

export const hostileScalar: fc.Arbitrary<null | boolean | number | string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(null, true, false, 0, -1, 0.5, 1e21, -1e21, 1e308, 2 ** 53 + 2, 2 ** 63) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom("", "\u0000", "\ud800", "PoweredOn", "best-effort-small", "apps", "web-team", "skylight.io/x", "owner") },
  { weight: 1, arbitrary: fc.constant("x".repeat(70_000)) },
);

export const hostileTree: fc.Arbitrary<Hostile> = fc.letrec<{ node: Hostile; object: Hostile; array: Hostile }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 5, arbitrary: hostileScalar.map((value): Hostile => ({ value })) },
    { weight: 3, arbitrary: tie("object") },
    { weight: 2, arbitrary: tie("array") },
    { weight: 1, arbitrary: fc.integer({ min: 20, max: 150 }).map((nested): Hostile => ({ nested })) },
  ),
  object: fc.array(fc.tuple(hostileKey, tie("node")), { maxLength: 5 }).map((object): Hostile => ({ object })),
  array: fc.array(tie("node"), { maxLength: 5 }).map((array): Hostile => ({ array })),
})).node;

/** An object whose entries are hostile, some under the names a real body uses. */
export const hostileObject: fc.Arbitrary<Hostile> = fc.array(fc.tuple(hostileKey, hostileTree), { maxLength: 6 }).map((object): Hostile => ({ object }));

export function toJson(node: Hostile): string {
  if ("object" in node) return `{${node.object.map(([key, value]) => `${JSON.stringify(key)}:${toJson(value)}`).join(",")}}`;
  if ("array" in node) return `[${node.array.map(toJson).join(",")}]`;
  if ("nested" in node) return `${'{"a":'.repeat(node.nested)}1${"}".repeat(node.nested)}`;
  return JSON.stringify(node.value);
}

/** YAML in flow style (JSON is YAML); the comment first keeps a server from reading it as JSON. */
export const toYaml = (node: Hostile) => `# hostile\n${toJson(node)}\n`;

/** The tree as a JavaScript value, keys such as "__proto__" as own properties. */
export function toValue(node: Hostile): unknown {
  if ("array" in node) return node.array.map(toValue);
  if ("nested" in node) return JSON.parse(toJson(node));
  if ("value" in node) return node.value;
  const object: Record<string, unknown> = {};
  for (const [key, value] of node.object) Object.defineProperty(object, key, { value: toValue(value), enumerable: true, writable: true, configurable: true });
  return object;
}

/** The own properties of Object.prototype, Array.prototype and Function.prototype; any write to them shows. */
export const prototypeProperties = () => [Object.prototype, Array.prototype, Function.prototype].map((prototype) => Object.getOwnPropertyNames(prototype).sort().join(","));

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** The heap in use after a full collection. */
export function heapAfterCollection(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}
