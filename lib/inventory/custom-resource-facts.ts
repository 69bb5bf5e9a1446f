// The Summary facts of a custom resource: its definition's additionalPrinterColumns (of the version
// the object was written in), evaluated as `kubectl get` evaluates them, so the console and kubectl
// show an operator's chosen columns alike. kubectl's Age is the page header's, so it is left out.
import "server-only";
import { getPool } from "@/lib/db/pool";
import { clientKindOf, type CustomResourceKind } from "@/lib/inventory/kinds";
import { printerCells, type PrinterColumn } from "@/lib/kube/crd/printer-columns";
import type { DefinitionSpec } from "@/lib/vocabulary/custom-resource-definition";

export interface PrinterFact {
  name: string;
  description: string | null;
  /** As kubectl's Table cell: a string, number or boolean; null when the path finds nothing. */
  value: unknown;
}

interface StoredCustomResource {
  apiVersion: string;
  kind: CustomResourceKind;
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generation: number;
  creationTimestamp: string;
  /** Every top-level field but apiVersion, kind, metadata and status (lib/engine/operations/custom-resource-operations.ts). */
  content: Record<string, unknown>;
  status: Record<string, unknown>;
}

export async function readPrinterFacts(object: StoredCustomResource): Promise<PrinterFact[]> {
  const group = object.kind.slice(object.kind.indexOf(".") + 1);
  const { rows } = await getPool().query<{ spec: DefinitionSpec }>(
    `SELECT spec FROM resources WHERE kind = 'CustomResourceDefinition' AND spec->>'group' = $1 AND spec->'names'->>'kind' = $2`,
    [group, clientKindOf(object.kind)],
  );
  const definition = rows[0]?.spec;
  if (!definition) return [];
  const version = definition.versions.find((candidate) => `${group}/${candidate.name}` === object.apiVersion) ?? definition.versions.find((candidate) => candidate.storage);
  const columns: (PrinterColumn & { description?: string })[] = (version?.additionalPrinterColumns ?? []).filter((column) => column.jsonPath !== ".metadata.creationTimestamp");
  const kube = {
    apiVersion: object.apiVersion,
    kind: clientKindOf(object.kind),
    metadata: { name: object.name, namespace: object.namespace || undefined, uid: object.uid, labels: object.labels, annotations: object.annotations, generation: object.generation, creationTimestamp: object.creationTimestamp },
    ...object.content,
    status: object.status,
  };
  const cells = printerCells(columns, kube);
  return columns.map((column, index) => ({ name: column.name, description: column.description ?? null, value: cells[index] ?? null }));
}
