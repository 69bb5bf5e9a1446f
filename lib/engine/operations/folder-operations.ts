// Folders of a datacenter, as the vSphere Client keeps them: VM folders (VMs and Templates view) and
// host folders (Hosts and Clusters view). New Folder, Rename, Move To (never into itself or below
// itself, never to another datacenter or into a folder of the other type), Delete (only when
// empty), and moving VMs into a VM folder, or a cluster into a host folder, or back out. A folder
// is a Folder object (spec: its datacenter, its type, and the uid of the folder that holds it,
// null at the datacenter); a VM or a cluster names its folder's uid in an engine-owned label.
// Folders are administrators' and operators' to manage.
import type pg from "pg";
import { z } from "zod";
import type { Db } from "@/lib/db/pool";
import { getObject, getObjects, type StoredObject } from "@/lib/engine/object-store";
import { writeObject, type ChangeRequest, type OperationActor, type OperationResult } from "@/lib/engine/operations/write-object";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { getPool } from "@/lib/db/pool";
import { FOLDER_MOVE_LIMIT, FOLDER_TYPE_WORDS, folderNameSchema, folderTypeOf, folderTypeSchema, type FolderPermission, type FolderType } from "@/lib/inventory/folder-rules";
import { SKYLIGHT_API_VERSION } from "@/lib/inventory/kinds";
import { CLUSTER_LABEL, FOLDER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

export interface FolderSpec {
  datacenter: string;
  /** Absent on folders made before host folders: those are VM folders. */
  type?: FolderType;
  /** The uid of the folder that holds this one; null directly under the datacenter. */
  parent: string | null;
  /** Who holds a role on it and every folder and VM below it (folder-permission-operations.ts). */
  permissions?: FolderPermission[];
}

const MANAGE = { permission: "inventory.operate" } as const;
const folderKey = (name: string) => ({ kind: "Folder" as const, namespace: "", name });
const versionSchema = z.string().regex(/^\d{1,20}$/, "must be a resourceVersion").optional();

/** The input under `schema`, or InvalidInputError naming the first field that breaks it. */
export function parsed<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join(".") || "input";
  throw new InvalidInputError(field, issue.message.includes(" ") && /^[A-Z]/.test(issue.message) ? issue.message : `${field} ${issue.message}`);
}

const takenName = (name: string) => ({ field: "name", message: `A folder named "${name}" already exists; folder names are unique in the inventory.` });

/** The folder a write is aimed at, locked so that it cannot be deleted while something moves in. */
async function lockFolder(tx: Db, name: string, field: string): Promise<StoredObject<FolderSpec>> {
  const folder = await getObject<FolderSpec, unknown>(tx, folderKey(name), { forUpdate: true });
  if (!folder || folder.deletionTimestamp) throw new InvalidInputError(field, `Folder "${name}" does not exist.`);
  return folder;
}

/** Refuses a folder of the other type, in words naming what each holds. */
function requireType(folder: StoredObject<FolderSpec>, type: FolderType, field: string, what: string) {
  const actual = folderTypeOf(folder.spec);
  if (actual === type) return;
  throw new InvalidInputError(field, `Folder "${folder.name}" is a ${FOLDER_TYPE_WORDS[actual].folder}: it holds ${FOLDER_TYPE_WORDS[actual].holds}, not ${what}.`);
}

const subfoldersOf = (type: FolderType) => `${FOLDER_TYPE_WORDS[type].folder}s`;

export const createFolderInputSchema = z.object({
  name: folderNameSchema,
  datacenter: z.string().min(1, "is required").max(253),
  /** The folder to create it in; absent or null: directly under the datacenter. */
  parent: z.string().min(1).max(80).nullish(),
  /** "vm" (VMs and Templates) unless asked otherwise. */
  type: folderTypeSchema.default("vm"),
});

/** Datacenter › New Folder › New VM and Template Folder or New Host and Cluster Folder, and Folder › New Folder. */
export async function createFolder(actor: OperationActor, input: z.input<typeof createFolderInputSchema>, pool?: pg.Pool) {
  const request = parsed(createFolderInputSchema, input);
  return writeObject<FolderSpec>({
    actor,
    key: folderKey(request.name),
    authority: MANAGE,
    operation: "Folder.create",
    description: `Create ${FOLDER_TYPE_WORDS[request.type].folder} ${request.name} in ${request.parent ?? request.datacenter}`,
    completesAtOnce: true,
    nameTaken: takenName(request.name),
    create: async (tx) => {
      if (!(await getObject(tx, { kind: "Datacenter", namespace: "", name: request.datacenter }))) {
        throw new InvalidInputError("datacenter", `Datacenter "${request.datacenter}" does not exist.`);
      }
      const parent = request.parent ? await lockFolder(tx, request.parent, "parent") : null;
      if (parent) requireType(parent, request.type, "parent", subfoldersOf(request.type));
      if (parent && parent.spec.datacenter !== request.datacenter) {
        throw new InvalidInputError("parent", `Folder "${parent.name}" belongs to datacenter ${parent.spec.datacenter}, not ${request.datacenter}.`);
      }
      return { apiVersion: SKYLIGHT_API_VERSION, kind: "Folder", namespace: "", name: request.name, spec: { datacenter: request.datacenter, type: request.type, parent: parent?.uid ?? null } };
    },
    pool,
  });
}

/** A change to one existing folder: administrators' and operators', done with the write, against the version the form read. */
function changeFolder(
  actor: OperationActor,
  request: { name: string; expectedResourceVersion?: string },
  intent: Pick<ChangeRequest<FolderSpec>, "operation" | "description" | "change" | "nameTaken">,
  pool?: pg.Pool,
) {
  return writeObject<FolderSpec>({ actor, key: folderKey(request.name), authority: MANAGE, expectedResourceVersion: request.expectedResourceVersion, completesAtOnce: true, ...intent, pool });
}

export const renameFolderInputSchema = z.object({ name: z.string().min(1).max(80), newName: folderNameSchema, expectedResourceVersion: versionSchema });

/** Folder › Rename: the folder keeps its uid, so what it holds stays in it. */
export async function renameFolder(actor: OperationActor, input: z.input<typeof renameFolderInputSchema>, pool?: pg.Pool) {
  const request = parsed(renameFolderInputSchema, input);
  return changeFolder(
    actor,
    request,
    {
      operation: "Folder.rename",
      description: `Rename folder ${request.name} to ${request.newName}`,
      nameTaken: { ...takenName(request.newName), field: "newName" },
      change: () => ({ name: request.newName }),
    },
    pool,
  );
}

export const moveFolderInputSchema = z.object({
  name: z.string().min(1).max(80),
  /** The folder to move it into; null: directly under its datacenter. */
  destination: z.string().min(1).max(80).nullable(),
  expectedResourceVersion: versionSchema,
});

/** Whether `folder` is `ancestor` or lies anywhere below it. */
async function isWithin(tx: Db, folder: StoredObject<FolderSpec>, ancestor: string): Promise<boolean> {
  const { rows } = await tx.query<{ inside: boolean }>(
    `WITH RECURSIVE up AS (
       SELECT uid, spec->>'parent' AS parent, 0 AS depth FROM resources WHERE uid = $1::uuid
       UNION ALL
       SELECT f.uid, f.spec->>'parent', up.depth + 1 FROM resources f JOIN up ON f.uid = up.parent::uuid WHERE f.kind = 'Folder' AND up.depth < 1000)
     SELECT EXISTS (SELECT 1 FROM up WHERE uid = $2::uuid) AS inside`,
    [folder.uid, ancestor],
  );
  return rows[0]!.inside;
}

/** Folder › Move To: another folder of the same datacenter, or the datacenter itself. */
export async function moveFolder(actor: OperationActor, input: z.input<typeof moveFolderInputSchema>, pool?: pg.Pool) {
  const request = parsed(moveFolderInputSchema, input);
  return changeFolder(actor, request, {
    operation: "Folder.move",
    description: `Move folder ${request.name} to ${request.destination ?? "its datacenter"}`,
    change: async (current, tx) => {
      if (request.destination === null) return { spec: { ...current.spec, parent: null } };
      const destination = await lockFolder(tx, request.destination, "destination");
      requireType(destination, folderTypeOf(current.spec), "destination", subfoldersOf(folderTypeOf(current.spec)));
      if (destination.spec.datacenter !== current.spec.datacenter) {
        throw new InvalidInputError("destination", `Folder "${destination.name}" is in datacenter ${destination.spec.datacenter}; a folder moves only within its own datacenter (${current.spec.datacenter}).`);
      }
      if (await isWithin(tx, destination, current.uid)) {
        throw new InvalidInputError("destination", destination.uid === current.uid ? `Folder "${current.name}" cannot be moved into itself.` : `Folder "${destination.name}" is inside "${current.name}": a folder cannot be moved into its own subfolder.`);
      }
      return { spec: { ...current.spec, parent: destination.uid } };
    },
  }, pool);
}

export const deleteFolderInputSchema = z.object({ name: z.string().min(1).max(80), expectedResourceVersion: versionSchema });

const listed = (names: string[], total: number, noun: string) =>
  `${total} ${noun}${total === 1 ? "" : "s"} (${names.map((name) => `"${name}"`).join(", ")}${total > names.length ? ", …" : ""})`;

/** What the folder holds, in words, or null when it is empty. */
async function contentsOf(tx: Db, folder: StoredObject<FolderSpec>): Promise<string | null> {
  const { rows } = await tx.query<{ kind: string; names: string[]; total: number }>(
    `SELECT kind, (array_agg(name ORDER BY name))[1:3] AS names, count(*)::int AS total FROM resources
      WHERE (kind = 'Folder' AND spec->>'parent' = $1) OR (kind IN ('VirtualMachine', 'Cluster') AND labels->>'${FOLDER_LABEL}' = $1)
      GROUP BY kind ORDER BY kind DESC`,
    [folder.uid],
  );
  if (rows.length === 0) return null;
  const nouns: Record<string, string> = { Folder: "folder", VirtualMachine: "VM", Cluster: "cluster" };
  return rows.map((row) => listed(row.names, row.total, nouns[row.kind]!)).join(" and ");
}

/** Folder › Delete: only an empty folder; the refusal names what it still holds. */
export async function deleteFolder(actor: OperationActor, input: z.input<typeof deleteFolderInputSchema>, pool?: pg.Pool) {
  const request = parsed(deleteFolderInputSchema, input);
  return changeFolder(actor, request, {
    operation: "Folder.delete",
    description: `Delete folder ${request.name}`,
    change: async (current, tx) => {
      const contents = await contentsOf(tx, current);
      if (contents) throw new InvalidInputError("name", `Folder "${current.name}" is not empty: it holds ${contents}. Move or delete them first.`);
      return { delete: "remove" };
    },
  }, pool);
}

const MEMBERS: Record<FolderType, string> = { vm: "VMs", host: "clusters" };

/**
 * The labels of an object (a VM, a cluster) moved into the folder named `folderName` of `type`,
 * once `check` accepts the folder (locked, so it cannot be deleted meanwhile); null: out of every folder.
 */
async function labelsInFolder(tx: Db, current: { labels: Record<string, string> }, folderName: string | null, type: FolderType, check: (folder: StoredObject<FolderSpec>) => Promise<void> | void) {
  const labels = { ...current.labels };
  if (folderName === null) {
    delete labels[FOLDER_LABEL];
    return { labels };
  }
  const folder = await lockFolder(tx, folderName, "folder");
  requireType(folder, type, "folder", MEMBERS[type]);
  await check(folder);
  return { labels: { ...labels, [FOLDER_LABEL]: folder.uid } };
}

export const moveVirtualMachinesInputSchema = z.object({
  vms: z
    .array(z.object({ namespace: z.string().min(1).max(253), name: z.string().min(1).max(253), expectedResourceVersion: versionSchema }))
    .min(1, "must name at least one VM")
    .max(FOLDER_MOVE_LIMIT, `must name at most ${FOLDER_MOVE_LIMIT} VMs`),
  /** The folder to move them into; null: out of every folder, back under their namespace. */
  folder: z.string().min(1).max(80).nullable(),
});

async function datacenterOf(tx: Db, vm: StoredObject): Promise<string | null> {
  const cluster = vm.labels[CLUSTER_LABEL];
  const found = cluster ? await getObject<{ datacenter?: string }, unknown>(tx, { kind: "Cluster", namespace: "", name: cluster }) : null;
  return found?.spec.datacenter ?? null;
}

/** Refuses the whole move before anything is written when one of the VMs is missing or in another datacenter. */
async function checkAllCanMove(db: Db, request: z.output<typeof moveVirtualMachinesInputSchema>) {
  if (request.folder === null) return;
  const folder = await getObject<FolderSpec, unknown>(db, folderKey(request.folder));
  if (!folder) throw new InvalidInputError("folder", `Folder "${request.folder}" does not exist.`);
  requireType(folder, "vm", "folder", MEMBERS.vm);
  const found = await getObjects(db, request.vms.map((vm) => ({ kind: "VirtualMachine" as const, ...vm })));
  for (const vm of request.vms) {
    const current = found.find((object) => object.namespace === vm.namespace && object.name === vm.name);
    if (!current) throw new NotFoundError(`VirtualMachine "${vm.name}" does not exist.`);
    await checkSameDatacenter(db, current, folder);
  }
}

async function checkSameDatacenter(db: Db, vm: StoredObject, folder: StoredObject<FolderSpec>) {
  const datacenter = await datacenterOf(db, vm);
  if (datacenter !== folder.spec.datacenter) {
    throw new InvalidInputError("folder", `VM ${vm.name} runs in datacenter ${datacenter ?? "(none yet)"}; folder "${folder.name}" is in ${folder.spec.datacenter}.`);
  }
}

/**
 * VM › Move To Folder and the VM list's "Move to folder…": each VM in its own write with its own
 * task, after every VM has been checked to be able to go there.
 */
export async function moveVirtualMachinesToFolder(actor: OperationActor, input: z.input<typeof moveVirtualMachinesInputSchema>, pool?: pg.Pool): Promise<OperationResult<unknown>[]> {
  const request = parsed(moveVirtualMachinesInputSchema, input);
  await checkAllCanMove(pool ?? getPool(), request);
  const results: OperationResult<unknown>[] = [];
  for (const vm of request.vms) {
    results.push(
      await writeObject({
        actor,
        key: { kind: "VirtualMachine", namespace: vm.namespace, name: vm.name },
        authority: MANAGE,
        operation: "VirtualMachine.moveToFolder",
        description: request.folder === null ? `Move virtual machine ${vm.name} out of its folder` : `Move virtual machine ${vm.name} to folder ${request.folder}`,
        expectedResourceVersion: vm.expectedResourceVersion,
        completesAtOnce: true,
        change: (current, tx) => labelsInFolder(tx, current, request.folder, "vm", (folder) => checkSameDatacenter(tx, current as StoredObject, folder)),
        pool,
      }),
    );
  }
  return results;
}

export const moveClusterInputSchema = z.object({
  name: z.string().min(1).max(253),
  /** The host folder to move it into; null: out of every folder, directly under its datacenter. */
  folder: z.string().min(1).max(80).nullable(),
  expectedResourceVersion: versionSchema,
});

/** Cluster › Move To Folder, and a cluster dropped onto a host folder: a host folder of its own datacenter, or the datacenter itself. */
export async function moveClusterToFolder(actor: OperationActor, input: z.input<typeof moveClusterInputSchema>, pool?: pg.Pool) {
  const request = parsed(moveClusterInputSchema, input);
  return writeObject<{ datacenter?: string }>({
    actor,
    key: { kind: "Cluster", namespace: "", name: request.name },
    authority: MANAGE,
    operation: "Cluster.moveToFolder",
    description: request.folder === null ? `Move cluster ${request.name} out of its folder` : `Move cluster ${request.name} to folder ${request.folder}`,
    expectedResourceVersion: request.expectedResourceVersion,
    completesAtOnce: true,
    change: (current, tx) =>
      labelsInFolder(tx, current, request.folder, "host", (folder) => {
        if (folder.spec.datacenter !== current.spec.datacenter) {
          throw new InvalidInputError("folder", `Cluster ${current.name} is in datacenter ${current.spec.datacenter ?? "(none)"}; folder "${folder.name}" is in ${folder.spec.datacenter}.`);
        }
      }),
    pool,
  });
}
