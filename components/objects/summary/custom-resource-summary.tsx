// A custom resource's Summary: the columns its definition prints (`kubectl get`'s, Age aside), and
// where it came from.
import { kindLabel } from "@/components/objects/kind-icon";
import { FactList, type Fact } from "@/components/objects/summary/summary-parts";
import { DateTime } from "@/components/ui/date-time";
import type { ObjectView } from "@/lib/inventory/object-view";

/** A printer column's cell as kubectl prints it: <none> for nothing found. */
function printed(value: unknown) {
  if (value === null || value === undefined) return <span className="text-muted-foreground">&lt;none&gt;</span>;
  return typeof value === "number" ? value.toLocaleString("en-US") : String(value);
}

export function CustomResourceSummary({ object }: { object: ObjectView }) {
  const facts: Fact[] = [
    ...object.printerFacts.map((fact): Fact => [fact.name, printed(fact.value)]),
    ["API version", <code key="api" className="font-mono text-xs">{object.apiVersion}</code>],
    ["Created", <DateTime key="created" value={object.creationTimestamp} />],
  ];
  return <FactList title={`${kindLabel(object.kind)} Details`} facts={facts} />;
}
