// YAML from a client (the Kubernetes API's apply bodies, the console's YAML tab), bounded before
// the `yaml` package builds anything: its parser needs seconds and gigabytes for a few megabytes
// of deep or wide input (3 MB of "[" exhausts the heap), so one pass of its lexer first refuses
// documents over MAX_YAML_BYTES, MAX_YAML_NODES values or MAX_INPUT_DEPTH levels. Aliases are
// bounded by the package's maxAliasCount; duplicate keys are refused, as kube-apiserver refuses
// them; the result goes through the same checks as JSON (lib/http/untrusted-input.ts).
import { CST, isMap, isPair, isScalar, isSeq, Lexer, parseDocument, type Node } from "yaml";
import { assertSafeInput, MAX_INPUT_DEPTH, UntrustedInputError } from "@/lib/http/untrusted-input";

export const MAX_YAML_BYTES = 1024 * 1024;
/** Scalars, collections and entries in one document; one object's manifest holds a few hundred. */
export const MAX_YAML_NODES = 5_000;
/** How many times aliases may repeat what their anchors hold (the `yaml` package's own guard against "billion laughs"). */
export const MAX_YAML_ALIAS_COUNT = 100;

const NODE_TOKENS: ReadonlySet<string> = new Set(["scalar", "single-quoted-scalar", "double-quoted-scalar", "block-scalar-header", "alias", "flow-map-start", "flow-seq-start", "seq-item-ind", "explicit-key-ind"]);
const NESTING_INDICATORS: ReadonlySet<string> = new Set(["seq-item-ind", "explicit-key-ind", "map-value-ind"]);

const tooBig = (message: string) => new UntrustedInputError("", `the YAML ${message}`);

/**
 * Counts values and measures nesting from the lexer's tokens, which cost a few microseconds each:
 * flow collections by their brackets, block collections by the indentation of each line plus the
 * indicators that open one more level on the same line ("- - x", "- a: 1").
 * It over-counts a little, never under-counts.
 */
function measure(text: string): void {
  let nodes = 0;
  let flow = 0;
  const indents: number[] = [];
  let lineIndent = 0;
  let lineStarted = false;
  let onLine = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === "newline") {
      lineIndent = 0;
      lineStarted = false;
      onLine = 0;
      continue;
    }
    if (type === "space" && !lineStarted) {
      lineIndent = token.length;
      continue;
    }
    if (type === null || type === "space" || type === "comment" || type === "doc-mode") continue;
    if (!lineStarted && flow === 0) {
      lineStarted = true;
      while (indents.length > 0 && indents.at(-1)! >= lineIndent) indents.pop();
      indents.push(lineIndent);
    }
    if (NODE_TOKENS.has(type) && ++nodes > MAX_YAML_NODES) throw tooBig(`holds more than ${MAX_YAML_NODES} values`);
    if (type === "flow-map-start" || type === "flow-seq-start") flow++;
    else if (type === "flow-map-end" || type === "flow-seq-end") flow = Math.max(0, flow - 1);
    else if (flow === 0 && NESTING_INDICATORS.has(type)) onLine++;
    if (indents.length + onLine + flow > MAX_INPUT_DEPTH) throw tooBig(`nests deeper than ${MAX_INPUT_DEPTH} levels`);
  }
}

const keyText = (key: unknown) => (isScalar(key) ? String(key.value) : String(key));

/** Refuses a mapping that names a key twice, with the key's path; iterative, the depth is already bounded. */
function refuseDuplicateKeys(root: unknown): void {
  const stack: { node: unknown; path: string }[] = [{ node: root, path: "" }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = keyText(pair.key);
        const at = path ? `${path}.${key}` : key;
        if (seen.has(key)) throw new UntrustedInputError(at, `${at}: the key "${key}" appears twice in one mapping`);
        seen.add(key);
        stack.push({ node: pair.value, path: at });
      }
    } else if (isSeq(node)) node.items.forEach((item, index) => stack.push({ node: item, path: `${path}[${index}]` }));
  }
}

/** One YAML document from a client, as plain JSON values; UntrustedInputError names what was wrong. */
export function parseUntrustedYaml(text: string): unknown {
  // Without Buffer, as the browser checks a form's YAML (New Virtual Machine's user data) with this
  // too: UTF-8 takes at least a byte per UTF-16 unit, so only text that may fit is encoded.
  if (text.length > MAX_YAML_BYTES || new TextEncoder().encode(text).length > MAX_YAML_BYTES) throw tooBig(`is larger than ${MAX_YAML_BYTES} bytes`);
  measure(text);
  const document = parseDocument(text, { uniqueKeys: false });
  const error = document.errors[0];
  // The parser's message ends with the offending lines; a refusal gives the line and column, never a value (a Secret's).
  if (error) throw new UntrustedInputError("", error.message.replace(/:\n[\s\S]*$/, ""));
  refuseDuplicateKeys(document.contents as Node | null);
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (failure) {
    throw new UntrustedInputError("", (failure as Error).message);
  }
  assertSafeInput(value);
  return value;
}
