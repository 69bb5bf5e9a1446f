// Measures the pure CRD schema code on the prometheus-sized testdata CRD (lib/kube/crd/testdata):
// validating and compiling the CRD (the first time, as a fresh server does, and warm), and how
// many realistic objects per second go through default, prune and validate. Prints one JSON line.
// Usage: npm run -s bench:crd-schema -- [--seconds 3]
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { validateCustomResourceDefinition } from "@/lib/kube/crd/crd-validation";
import { compileSchema, defaultCustomResource, pruneCustomResource, validateCustomResource } from "@/lib/kube/crd/structural-schema";

const { values: args } = parseArgs({ options: { seconds: { type: "string", default: "3" } }, strict: true });
const seconds = Number(args.seconds);
if (!(seconds > 0)) {
  console.error("usage: npm run bench:crd-schema -- [--seconds S (> 0)]");
  process.exit(2);
}

const testdata = path.join(import.meta.dirname, "../lib/kube/crd/testdata");
const crdText = readFileSync(path.join(testdata, "metricsservers.yaml"), "utf8");
const objectText = readFileSync(path.join(testdata, "metricsserver.yaml"), "utf8");
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Validates and compiles a fresh copy of the CRD; fails loudly if the testdata stopped being valid. */
function validateAndCompile(): number {
  const crd = parse(crdText);
  const start = performance.now();
  const errors = validateCustomResourceDefinition(crd);
  compileSchema(crd.spec.versions[0].schema.openAPIV3Schema);
  const ms = performance.now() - start;
  if (errors.length > 0) throw new Error(`testdata CRD is invalid: ${JSON.stringify(errors.slice(0, 3))}`);
  return ms;
}

const coldMs = validateAndCompile();
const warm = Array.from({ length: 9 }, validateAndCompile).sort((a, b) => a - b);

const schema = compileSchema(parse(crdText).spec.versions[0].schema.openAPIV3Schema);
const template = parse(objectText);
/** Objects per second through `work` for `seconds`, each on its own copy of the object. */
function throughput(work: (object: Record<string, unknown>) => unknown): number {
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    work(structuredClone(template));
    count++;
  }
  return count / ((performance.now() - start) / 1000);
}

// As a create: an update that changes nothing skips what it did not change (ratcheting).
const validatePerSecond = throughput((object) => {
  const errors = validateCustomResource(schema, object);
  if (errors.length > 0) throw new Error(`testdata object is invalid: ${JSON.stringify(errors.slice(0, 3))}`);
});
const writePerSecond = throughput((object) => {
  defaultCustomResource(schema, object);
  pruneCustomResource(schema, object);
  validateCustomResource(schema, object);
});

console.log(
  JSON.stringify({
    crdLines: crdText.split("\n").length,
    validateAndCompileColdMs: round(coldMs),
    validateAndCompileWarmMedianMs: round(warm[Math.floor(warm.length / 2)] ?? 0),
    objectsValidatedPerSecond: Math.round(validatePerSecond),
    objectsDefaultedPrunedValidatedPerSecond: Math.round(writePerSecond),
  }),
);
