// Read model of the VirtualMachineClass objects a VM can be given: name, size and whether its
// resources are reserved (vm-operator's "guaranteed" classes request what they size), smallest first.
import "server-only";
import { getPool } from "@/lib/db/pool";
import { quantityToMiB } from "@/lib/engine/schemas";

export interface VmClassOption {
  name: string;
  cpus: number;
  memoryMiB: number;
  reserved: boolean;
}

export async function readVmClassOptions(): Promise<VmClassOption[]> {
  const { rows } = await getPool().query<{ name: string; cpus: number | null; memory: string | null; reserved: boolean }>(
    `SELECT name, (spec->'hardware'->>'cpus')::int AS cpus, spec->'hardware'->>'memory' AS memory,
            COALESCE(spec->'policies'->'resources'->'requests', '{}'::jsonb) <> '{}'::jsonb AS reserved
       FROM resources WHERE kind = 'VirtualMachineClass' AND deletion_timestamp IS NULL
      ORDER BY name`,
  );
  // By size, as the vSphere Client lists classes: CPUs, then memory (a quantity, compared in MiB).
  return rows
    .map((row) => ({ name: row.name, cpus: row.cpus ?? 0, memoryMiB: row.memory ? quantityToMiB(row.memory) : 0, reserved: row.reserved }))
    .sort((a, b) => a.cpus - b.cpus || a.memoryMiB - b.memoryMiB);
}
