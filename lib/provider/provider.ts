// The contract between the engine and the infrastructure. The engine only ever calls these
// methods; the embedded default is the simulator (lib/simulator), and a real hypervisor driver
// can take its place. Long operations return at once and are observed to completion later, as
// Crossplane's managed resources are: observe, then create, update or delete.

export type PowerState = "PoweredOn" | "PoweredOff" | "Suspended";
export type PowerOpMode = "Hard" | "Soft" | "TrySoft";
export type HostConnectionState = "connected" | "disconnected" | "notResponding";

/** An operation the provider is still carrying out on a VM. */
export interface ProviderOperation {
  name:
    | "create"
    | "powerOn"
    | "powerOff"
    | "shutdownGuest"
    | "suspend"
    | "reconfigure"
    | "migrate"
    | "relocate"
    | "delete"
    | "createSnapshot"
    | "revertToSnapshot"
    | "removeSnapshot";
  /** 0–100. */
  progress: number;
  /** When the provider expects to finish; the engine looks again then. */
  completesAt: Date;
}

/** One point-in-time copy of a VM: its disks, and its memory when taken powered on with memory. */
export interface ProviderSnapshot {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  /** Whether the running memory was saved, so reverting resumes the VM powered on. */
  includesMemory: boolean;
  /** The snapshot it was taken on top of; null for a root. */
  parentId: string | null;
  powerState: PowerState;
  hardware: { cpus: number; memoryMiB: number; diskGiB: number };
}

export interface TakeSnapshotRequest {
  /** The new snapshot's id, also the request's idempotency key: asking twice takes one snapshot. */
  id: string;
  name: string;
  description: string;
  memory: boolean;
}

/** A hard disk added to a VM besides its boot disk, by its volume name. */
export interface AddedDisk {
  name: string;
  capacityGiB: number;
}

/** A CD/DVD drive backed by a content-library ISO image. */
export interface CdromDrive {
  name: string;
  image: string;
  connected: boolean;
}

/** What Edit Settings › Add New Device adds to a VM: hard disks and CD/DVD drives. */
export interface VmDevices {
  disks: AddedDisk[];
  cdroms: CdromDrive[];
}

export interface ProviderVm {
  /** The provider's identity for the VM (vm-operator's status.uniqueID). */
  id: string;
  /** The Skylight object that owns it, `namespace/name`; at most one VM per owner key. */
  ownerKey: string;
  host: string;
  datastore: string;
  powerState: PowerState;
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  /** The network of each adapter, in adapter order; null when the provider does not track adapters for this VM. */
  networks: string[] | null;
  /** Its added disks and CD/DVD drives; null when the provider cannot attach them. */
  devices: VmDevices | null;
  ipAddress: string | null;
  operation: ProviderOperation | null;
  /** False when creating it failed and the clone must be started again (createVm does that). */
  provisioned: boolean;
  /** Whether CPUs and memory can be added while it runs (ESXi's hot add); else they change at the next power-on. */
  cpuMemoryHotAdd: boolean;
  /** The last operation's failure, if it failed; cleared when the next one starts. */
  lastError: string | null;
  /** The snapshot tree, flat (each names its parent), oldest first. */
  snapshots: ProviderSnapshot[];
  /** "You are here": the snapshot the VM's current state builds on. */
  currentSnapshotId: string | null;
  /** The request id of the last snapshot operation that finished, succeeded or failed (see lastError). */
  lastSnapshotRequest: string | null;
  /** How the last live migration ended, where the provider measures it: its figures, or why it failed. */
  lastMigration?: { to: string; error: string | null; totalTimeMs: number | null; downtimeMs: number | null; transferredBytes: number | null } | null;
}

export interface ProviderHost {
  name: string;
  cluster: string;
  connectionState: HostConnectionState;
  /** Last time the host answered; a failed host stops heartbeating. */
  lastHeartbeat: Date;
  /**
   * A real host's Lease expiry (renewTime + leaseDurationSeconds): past it, the host is not
   * responding, as kube's node lifecycle decides. Null for a simulated host, which the engine's
   * HA grace period (in simulated time) judges instead.
   */
  heartbeatExpiresAt: Date | null;
  cpuCores: number;
  cpuMhz: number;
  memoryMiB: number;
  datastores: string[];
  version: string;
  /** Whether the host's own agent registers and reports its Node (a real host); else the Host controller keeps it. */
  reportsOwnNode: boolean;
  /** The address the host reports for itself (a real host's agent); a simulated host's is an inventory fact. */
  managementIP?: string;
  /** Whether its running VMs can move to another host of the cluster live (vMotion): DRS and maintenance mode need it. */
  liveMigration: boolean;
}

export interface CreateVmRequest {
  ownerKey: string;
  host: string;
  datastore: string;
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  imageName: string;
  networks?: string[];
  /** Clone to Virtual Machine: the provider id of the VM whose disk is copied instead of the image's. */
  cloneOf?: string;
}

/** A VM's disk copied into the content library as a template (Clone to Template). */
export interface ProviderTemplate {
  /** The request's id, also its idempotency key. */
  id: string;
  name: string;
  diskGiB: number;
  /** Whether the copy has finished. */
  ready: boolean;
  /** Why the copy failed, if it did. */
  error: string | null;
}

export interface VmHardware {
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  /** Omitted: the adapters stay as they are. */
  networks?: string[];
  /** Omitted: the added disks and CD/DVD drives stay as they are. */
  devices?: VmDevices;
}

export interface AddHostRequest {
  name: string;
  cluster: string;
  cpuCores: number;
  cpuMhz: number;
  memoryMiB: number;
  datastores: string[];
}

/** A datastore as the infrastructure sees it: its size and the space everything on it takes. */
export interface ProviderDatastore {
  name: string;
  capacityGiB: number;
  /** VMs' disks and snapshots, plus every other file on it; may exceed capacity when thin disks overcommit it. */
  usedGiB: number;
  /** The hosts that mount it, by name. */
  hosts: string[];
}

/** A file on a datastore, as Browse Files lists it. */
export interface DatastoreFile {
  name: string;
  sizeBytes: number;
  type: "Virtual disk" | "Snapshot disk" | "Snapshot memory" | "VM configuration" | "NVRAM" | "Log" | "Other";
}

/** A folder on a datastore: a VM's (named like the VM, `vmOwnerKey` its namespace/name) or other files. */
export interface DatastoreFolder {
  name: string;
  vmOwnerKey: string | null;
  files: DatastoreFile[];
}

export interface AddDatastoreRequest {
  name: string;
  capacityGiB: number;
  /** Space taken by files that are not the provider's VMs (ISO images, logs, other systems). */
  otherUsedGiB: number;
}

/** A VM's guest load at one instant, for placement and DRS. */
export interface GuestLoad {
  cpuMhz: number;
  memoryActiveMiB: number;
}

/** What an ESXi host reports for one object every 20 s (vSphere's real-time performance counters). */
export interface PerformanceCounters {
  cpuMhz: number;
  cpuPercent: number;
  memoryConsumedMiB: number;
  memoryActiveMiB: number;
  /** vSphere's mem.usage: active over granted for a VM, consumed over capacity for a host. */
  memoryPercent: number;
  diskKBps: number;
  networkKBps: number;
}

export interface PerformanceReport {
  /** Responding hosts, with their capacity so clusters can be rolled up from them. */
  hosts: (PerformanceCounters & { name: string; cluster: string; cpuCapacityMhz: number; memoryCapacityMiB: number })[];
  /** Powered-on VMs; a powered-off VM reports nothing. */
  vms: (PerformanceCounters & { ownerKey: string })[];
  /** Every datastore with its space used at that instant. */
  datastores: ProviderDatastore[];
}

export interface PowerChange {
  vmId: string;
  state: PowerState;
  mode: PowerOpMode;
}

/** A batch call carried out one request at a time, each failure kept in its request's place. */
export async function eachSettled<Request, Result>(requests: Request[], call: (request: Request) => Promise<Result>): Promise<(Result | Error)[]> {
  const results: (Result | Error)[] = [];
  for (const request of requests) {
    results.push(await call(request).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
  }
  return results;
}

export class ProviderError extends Error {
  constructor(
    message: string,
    /** Whether trying again could succeed; false for requests the provider will never accept. */
    readonly retryable = true,
  ) {
    super(message);
  }
}

export interface InfrastructureProvider {
  /** Observe: the VM that belongs to this owner key, or null when none exists. */
  findVm(ownerKey: string): Promise<ProviderVm | null>;
  /** Observe many at once: the VMs of these owner keys that exist, by owner key (the engine's batches). */
  findVms(ownerKeys: string[]): Promise<Map<string, ProviderVm>>;
  /** All VMs the provider knows, for drift detection and evacuation. */
  listVms(): Promise<ProviderVm[]>;
  /** Creates the VM powered off. Idempotent per owner key: a second call returns the first VM. */
  createVm(request: CreateVmRequest): Promise<ProviderVm>;
  /** createVm for each request; a request that fails gives its error in its place, the others go on. */
  createVms(requests: CreateVmRequest[]): Promise<(ProviderVm | Error)[]>;
  setPowerState(vmId: string, state: PowerState, mode: PowerOpMode): Promise<void>;
  /** setPowerState for each change; null where it was started, the error where it failed. */
  setPowerStates(changes: PowerChange[]): Promise<(Error | null)[]>;
  /**
   * Changes CPUs, memory, disk size and network adapters. A disk never shrinks; while the VM runs,
   * CPUs and memory can only be added and adapters only added or switched to another network.
   */
  reconfigureVm(vmId: string, hardware: VmHardware): Promise<void>;
  /** Moves the VM to another host; live when it is powered on. */
  migrateVm(vmId: string, targetHost: string): Promise<void>;
  /** Moves the VM's disks to another datastore its host mounts (Storage vMotion when it runs). */
  relocateVmStorage(vmId: string, datastore: string): Promise<void>;
  /** Starts copying the VM's disk into the content library; idempotent per request id. */
  publishVm(vmId: string, request: { id: string; name: string }): Promise<void>;
  /** Observe: the template of that request id, or null when none was started. */
  findTemplate(id: string): Promise<ProviderTemplate | null>;
  /** Removes the template of that request id from the content library, copying or not; done when there is none. */
  deleteTemplate(id: string): Promise<void>;
  /** Gives the VM a new owner key (its Skylight object was renamed); the VM itself is untouched. */
  renameVm(vmId: string, ownerKey: string): Promise<void>;
  /** Starts a VM that was running on a failed host on a healthy one (vSphere HA's restart). */
  restartVmOnHost(vmId: string, targetHost: string): Promise<void>;
  deleteVm(vmId: string): Promise<void>;
  /** Memory can be included only while the VM is powered on. */
  takeSnapshot(vmId: string, request: TakeSnapshotRequest): Promise<void>;
  /** Restores the snapshot's disks and hardware; powered on only when it includes memory. */
  revertToSnapshot(vmId: string, snapshotId: string, requestId: string): Promise<void>;
  /** Removes one snapshot (its children move to its parent), or every snapshot when snapshotId is null. */
  removeSnapshot(vmId: string, snapshotId: string | null, requestId: string): Promise<void>;

  listHosts(): Promise<ProviderHost[]>;
  /** Observe: the host of that name, or null when the provider has none. */
  findHost(name: string): Promise<ProviderHost | null>;
  /** Hosts whose last heartbeat is older than `since`: the few the HA monitor has to look at. */
  staleHosts(since: Date): Promise<ProviderHost[]>;
  addHost(request: AddHostRequest): Promise<ProviderHost>;
  removeHost(name: string): Promise<void>;
  /** Failure injection (administrators and tests): the host stops heartbeating and its VMs stop. */
  failHost(name: string): Promise<void>;
  recoverHost(name: string): Promise<void>;

  /** Observe: the datastore of that name with its space used now, or null when the provider has none. */
  findDatastore(name: string): Promise<ProviderDatastore | null>;
  addDatastore(request: AddDatastoreRequest): Promise<ProviderDatastore>;
  /** Browse Files: the datastore's folders and their files, or null when the provider has no such datastore. */
  browseDatastore(name: string): Promise<DatastoreFolder[] | null>;

  guestLoad(vmId: string, at: Date): Promise<GuestLoad>;
  /** One real-time sample of every responding host, powered-on VM and datastore, at that instant. */
  performance(at: Date): Promise<PerformanceReport>;
}
