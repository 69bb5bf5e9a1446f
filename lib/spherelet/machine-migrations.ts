// The server's half of a live migration between two hosts' agents (lib/spherelet/machine-protocol.ts):
// once both ends have reported, the migration is settled in one transaction. The VM changes host
// only when the destination runs it AND the source says its QEMU has stopped, so a VM never runs
// on two hosts as far as Skylight knows; a failure at either end ends the migration with the VM
// where it was. The outcome stays in last_migration for the engine's task.
import type pg from "pg";
import type { IncomingStatus, MachineSpec, MachineStatus } from "@/lib/spherelet/machine-protocol";

/** How a live migration ended, as the agent provider hands it to the engine. */
export interface MigrationResult {
  id: string;
  from: string;
  to: string;
  /** Null when it succeeded. */
  error: string | null;
  totalTimeMs: number | null;
  downtimeMs: number | null;
  transferredBytes: number | null;
}

interface Row {
  host: string;
  generation: number;
  spec: MachineSpec;
  status: Partial<MachineStatus>;
  incoming: IncomingStatus | null;
}

/** Settles the machine's migration if both ends have said enough; true when it did. Call inside a transaction. */
export async function settleMigration(tx: pg.PoolClient, id: string): Promise<boolean> {
  const { rows } = await tx.query<Row>(`SELECT host, generation, spec, status, incoming FROM agent_machines WHERE id = $1 FOR UPDATE`, [id]);
  const row = rows[0];
  const migration = row?.spec.migration;
  if (!row || !migration) return false;
  const source = row.status.migration?.id === migration.id ? row.status.migration : null;
  const incoming = row.incoming?.migrationId === migration.id ? row.incoming : null;
  const result = (error: string | null): MigrationResult => ({
    id: migration.id,
    from: row.host,
    to: migration.to,
    error,
    totalTimeMs: source?.totalTimeMs ?? null,
    downtimeMs: source?.downtimeMs ?? null,
    transferredBytes: source?.transferredBytes ?? null,
  });
  if (source?.state === "failed" || incoming?.state === "failed") {
    await abandonMigration(tx, id, result((source?.state === "failed" ? source.error : incoming?.error) ?? "the live migration failed"));
    return true;
  }
  if (source?.state !== "completed" || incoming?.state !== "running" || !incoming.status) return false;
  // The destination's observation is the machine's status now, answering the generation this write makes.
  const status: MachineStatus = { ...incoming.status, observedGeneration: row.generation + 1, migration: null };
  await tx.query(
    `UPDATE agent_machines SET host = $2, spec = spec - 'migration', status = $3, generation = generation + 1, version = nextval('agent_machine_version_seq'), migration_target = NULL, incoming = NULL, last_migration = $4 WHERE id = $1`,
    [id, migration.to, status, result(null)],
  );
  return true;
}

/**
 * Ends the machine's migration as failed: the VM stays on its host, and the destination stops
 * listing it. The generation stays: the source has nothing new to do, and what it last reported
 * still answers the spec.
 */
export async function abandonMigration(db: Pick<pg.PoolClient, "query">, id: string, result: MigrationResult): Promise<void> {
  await db.query(
    `UPDATE agent_machines SET spec = spec - 'migration', version = nextval('agent_machine_version_seq'),
            migration_target = NULL, incoming = NULL, last_migration = $2
      WHERE id = $1 AND spec->'migration'->>'id' = $3`,
    [id, result, result.id],
  );
}
