// A field as kube's validation names it: a zod issue's path written as spec.containers[0].image.
export function fieldPath(path: readonly PropertyKey[], prefix?: string): string {
  const parts = prefix === undefined ? path : [prefix, ...path];
  return parts.reduce<string>((joined, part, index) => (typeof part === "number" ? `${joined}[${part}]` : index === 0 ? String(part) : `${joined}.${String(part)}`), "");
}
