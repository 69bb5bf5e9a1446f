// The Summary facts of a custom resource: its definition's additionalPrinterColumns as the API
// serves them (lib/kube/served-custom-kinds.ts), evaluated as `kubectl get` evaluates them, so the
// console and kubectl show an operator's chosen columns alike. kubectl's Age is the page header's,
// so it is left out.
import "server-only";
import type { CustomResourceKind } from "@/lib/inventory/kinds";
import { groupVersionOf, servedResources } from "@/lib/kube/api-resources";
import { printerCells } from "@/lib/kube/crd/printer-columns";
import { refreshServedCustomKinds } from "@/lib/kube/served-custom-kinds";

export interface PrinterFact {
  name: string;
  description: string | null;
  /** As kubectl's Table cell: a string, number or boolean; null when the path finds nothing. */
  value: unknown;
}

/**
 * `object` (in the API's shape, lib/inventory/kubernetes-object.ts) of the stored custom kind `kind`,
 * through the printer columns of the served version it was written in (else the first served), as
 * the API's Table output evaluates them.
 */
export async function readPrinterFacts(kind: CustomResourceKind, object: { apiVersion: string }): Promise<PrinterFact[]> {
  // A definition changed through another process is served here as it is now.
  await refreshServedCustomKinds();
  const served = servedResources().filter((resource) => resource.kind === kind && resource.custom);
  const resource = served.find((candidate) => groupVersionOf(candidate) === object.apiVersion) ?? served[0];
  const columns = (resource?.custom?.printerColumns ?? []).filter((column) => column.jsonPath !== ".metadata.creationTimestamp");
  const cells = printerCells(columns, object);
  return columns.map((column, index) => ({ name: column.name, description: column.description ?? null, value: cells[index] ?? null }));
}
