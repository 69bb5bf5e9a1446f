// How large an object the API lets a write produce: at most MAX_BODY_BYTES of JSON (as
// kube-apiserver and etcd refuse a larger one) and MAX_OBJECT_VALUES values (a
// CustomResourceDefinition MAX_DEFINITION_VALUES). The second bound is
// Skylight's own: server-side apply and field ownership cost a few microseconds per field, so an
// object of 3 MiB of tiny list items kept the process busy for seconds on every write to it.
import { MAX_BODY_BYTES, MAX_DEFINITION_VALUES, MAX_OBJECT_VALUES } from "@/lib/kube/api-limits";
import { KubeApiError } from "@/lib/kube/api-status";

const tooLarge = (message: string) => new KubeApiError(413, "RequestEntityTooLarge", `Request entity too large: ${message}`);

/** Values (scalars, objects and arrays) in `value`, counted until `limit` is passed. */
function valuesUpTo(value: unknown, limit: number): number {
  const stack: unknown[] = [value];
  let count = 0;
  while (stack.length > 0 && count <= limit) {
    const node = stack.pop();
    count++;
    if (node && typeof node === "object") for (const item of Array.isArray(node) ? node : Object.values(node)) stack.push(item);
  }
  return count;
}

/**
 * Refuses `object` (a body, a patched object, an applied configuration) of `resource` beyond the
 * bounds; `what` names it in the answer.
 */
export function refuseOversizedObject(object: unknown, what: string, resource?: { kind: string }): void {
  const values = resource?.kind === "CustomResourceDefinition" ? MAX_DEFINITION_VALUES : MAX_OBJECT_VALUES;
  if (valuesUpTo(object, values) > values) throw tooLarge(`${what} would hold more than ${values} values`);
  if (Buffer.byteLength(JSON.stringify(object)) > MAX_BODY_BYTES) throw tooLarge(`${what} would be larger than the limit of ${MAX_BODY_BYTES} bytes`);
}
