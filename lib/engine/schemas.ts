// The shapes of desired state (spec) per kind, validated with zod on every write. The VM follows
// vm-operator's v1alpha3 VirtualMachine and keeps fields Skylight does not act on untouched; its
// bootstrap (guest customization) is checked for shape and size, not acted on; its added disks
// (spec.volumes) and CD/DVD drives (spec.cdrom) are checked for shape and bounds here and against
// the catalog by admission (lib/engine/vm-admission.ts).
import { z } from "zod";

export const dns1123LabelSchema = z
  .string()
  .min(1, "is required")
  .max(63, "must be at most 63 characters")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be lowercase letters, digits and '-', starting and ending with a letter or digit (RFC 1123)");

export const dns1123SubdomainSchema = z
  .string()
  .min(1, "is required")
  .max(253, "must be at most 253 characters")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "must be lowercase RFC 1123 labels separated by '.'");

/** How many datastores besides its default one a host running the Skylight agent may mount. */
export const MAX_OTHER_DATASTORES = 16;

export const POWER_STATES = ["PoweredOn", "PoweredOff", "Suspended"] as const;
export const powerStateSchema = z.enum(POWER_STATES, { error: "must be PoweredOn, PoweredOff or Suspended" });
export const powerOpModeSchema = z.enum(["Hard", "Soft", "TrySoft"], { error: "must be Hard, Soft or TrySoft" });

/**
 * One snapshot operation asked of the VM, carried out once per id: a request by value, as
 * vm-operator's spec.nextRestartTime asks for one restart. Skylight's own field; vm-operator
 * v1alpha3 models snapshots as VirtualMachineSnapshot objects named by spec.currentSnapshot.
 */
export const snapshotRequestSchema = z.discriminatedUnion("action", [
  z.object({ id: z.string().min(1), action: z.literal("take"), name: z.string(), description: z.string(), memory: z.boolean() }),
  z.object({ id: z.string().min(1), action: z.literal("revert"), snapshotId: z.string().min(1) }),
  z.object({ id: z.string().min(1), action: z.literal("delete"), snapshotId: z.string().min(1) }),
  z.object({ id: z.string().min(1), action: z.literal("deleteAll") }),
]);
export type SnapshotRequest = z.infer<typeof snapshotRequestSchema>;

/** vSphere hands a guest its bootstrap data through guestinfo, which holds at most 64 KiB. */
export const MAX_BOOTSTRAP_BYTES = 64 * 1024;

/** vm-operator's SecretKeySelector: a key of a Secret in the VM's namespace. */
const secretKeySelectorSchema = z.looseObject({ name: dns1123SubdomainSchema, key: z.string().min(1, "is required") });

/** vm-operator v1alpha3's cloudinit.CloudConfig: the subset of a cloud-config it carries inline. */
export const CLOUD_CONFIG_KEYS = ["timezone", "defaultUserEnabled", "users", "runcmd", "write_files", "ssh_pwauth"] as const;
export const cloudConfigSchema = z.looseObject({
  timezone: z.string().optional(),
  defaultUserEnabled: z.boolean().optional(),
  users: z.array(z.looseObject({ name: z.string().min(1, "is required"), ssh_authorized_keys: z.array(z.string()).optional() })).optional(),
  runcmd: z.array(z.union([z.string(), z.array(z.string())], { error: "must be a command line, or a list of a command and its arguments" })).optional(),
  write_files: z.array(z.looseObject({ path: z.string().min(1, "is required") })).optional(),
  ssh_pwauth: z.boolean().optional(),
});

/**
 * vm-operator v1alpha3's spec.bootstrap: cloud-init (an inline cloudConfig or a Secret's raw one,
 * plus SSH keys for the default user) or Sysprep for Windows (an inline answer file or a Secret's
 * raw one), never both; linuxPrep and vAppConfig are kept as given.
 */
const bootstrapSchema = z
  .looseObject({
    cloudInit: z
      .looseObject({ cloudConfig: cloudConfigSchema.optional(), rawCloudConfig: secretKeySelectorSchema.optional(), sshAuthorizedKeys: z.array(z.string().min(1, "may not be empty")).optional() })
      .refine((cloudInit) => !(cloudInit.cloudConfig && cloudInit.rawCloudConfig), { message: "cloudConfig and rawCloudConfig are mutually exclusive: give one" })
      .optional(),
    sysprep: z
      .looseObject({
        sysprep: z.looseObject({ userData: z.looseObject({ fullName: z.string().min(1, "is required"), orgName: z.string().min(1, "is required") }) }).optional(),
        rawSysprep: secretKeySelectorSchema.optional(),
      })
      .refine((sysprep) => !(sysprep.sysprep && sysprep.rawSysprep), { message: "sysprep and rawSysprep are mutually exclusive: give one" })
      .optional(),
  })
  .superRefine((bootstrap, context) => {
    if (bootstrap.cloudInit && bootstrap.sysprep) context.addIssue({ code: "custom", path: ["sysprep"], message: "may not be combined with cloudInit: a guest is bootstrapped by one of them" });
    const tooBig = bootstrapSizeRefusal(bootstrap);
    if (tooBig) context.addIssue({ code: "custom", message: tooBig });
  });

/** Why a bootstrap (or user data) is too big for guestinfo, measured as JSON, or null when it fits. */
export function bootstrapSizeRefusal(value: unknown): string | null {
  const bytes = new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value)).length;
  return bytes > MAX_BOOTSTRAP_BYTES ? `must be at most 64 KiB, vSphere's guestinfo limit; it is ${Math.ceil(bytes / 1024)} KiB` : null;
}

/** Edit Settings' bounds on added devices: vSphere's 15 disks on a SCSI controller besides the boot disk, 16 TiB a disk, four CD/DVD drives. */
export const MAX_ADDED_DISKS = 15;
export const MAX_DISK_GIB = 16 * 1024;
export const MAX_CDROMS = 4;

/** "20Gi", "2Ti" → 20, 2048; null for anything that is not a whole number of GiB or TiB. */
export function wholeGiB(quantity: string): number | null {
  const match = /^([1-9]\d{0,6})(Gi|Ti)$/.exec(quantity);
  return match ? Number(match[1]) * (match[2] === "Ti" ? 1024 : 1) : null;
}

const diskSizeSchema = z.string().refine((size) => {
  const gib = wholeGiB(size);
  return gib !== null && gib <= MAX_DISK_GIB;
}, `must be a whole number of GiB from 1Gi to ${MAX_DISK_GIB}Gi (16 TiB), such as 20Gi`);

/**
 * vm-operator v1alpha3 attaches disks only as PersistentVolumeClaims, which Skylight does not have.
 * An added disk is written in the one v1alpha3 volume shape that carries its size inline, the
 * instance-storage claim: persistentVolumeClaim.instanceVolumeClaim {storageClass, size}. A volume
 * naming only a claim is kept as given, and its status says it is not attached.
 */
export const vmVolumeSchema = z.looseObject({
  name: dns1123LabelSchema,
  persistentVolumeClaim: z
    .looseObject({
      claimName: z.string({ error: "is required" }).min(1, "is required"),
      instanceVolumeClaim: z.looseObject({ storageClass: z.string({ error: "is required" }).min(1, "is required"), size: diskSizeSchema }).optional(),
    })
    .optional(),
});
export type VmVolume = z.infer<typeof vmVolumeSchema>;

/** vm-operator v1alpha3's VirtualMachineCdromSpec: a CD/DVD drive backed by a content-library ISO image. */
export const vmCdromSchema = z.looseObject({
  name: dns1123LabelSchema,
  image: z.looseObject(
    {
      kind: z.enum(["VirtualMachineImage", "ClusterVirtualMachineImage"], { error: "must be VirtualMachineImage or ClusterVirtualMachineImage" }),
      name: z.string({ error: "is required" }).min(1, "is required"),
    },
    { error: "is required: the ISO image the drive is backed by" },
  ),
  /** Absent: connected, as vm-operator defaults it. */
  connected: z.boolean().optional(),
  allowGuestControl: z.boolean().optional(),
});
export type VmCdrom = z.infer<typeof vmCdromSchema>;

/** A list of named items: at most `max`, each name and (when `same` is given) each such value once. */
function namedList<T extends z.ZodType<{ name: string }>>(item: T, max: number, same?: (entry: z.infer<T>) => string) {
  return z
    .array(item)
    .max(max, `must have at most ${max} items`)
    .superRefine((entries, context) => {
      const names = new Set<string>();
      const values = new Set<string>();
      entries.forEach((entry, index) => {
        if (names.has(entry.name)) context.addIssue({ code: "custom", path: [index, "name"], message: `Duplicate value: "${entry.name}"` });
        names.add(entry.name);
        const value = same?.(entry);
        if (value !== undefined && values.has(value)) context.addIssue({ code: "custom", path: [index, "image", "name"], message: `Duplicate value: "${value}": each drive has its own image` });
        if (value !== undefined) values.add(value);
      });
    });
}

export const virtualMachineSpecSchema = z.looseObject({
  className: z.string().min(1, "is required"),
  imageName: z.string().min(1, "is required"),
  storageClass: z.string().min(1, "is required"),
  powerState: powerStateSchema.default("PoweredOn"),
  powerOffMode: powerOpModeSchema.default("TrySoft"),
  suspendMode: powerOpModeSchema.default("TrySoft"),
  restartMode: powerOpModeSchema.default("TrySoft"),
  nextRestartTime: z.string().optional(),
  snapshotRequest: snapshotRequestSchema.optional(),
  /**
   * Skylight's own field: CPUs and memory chosen in Edit Settings instead of the class's, which the
   * VM keeps for its reservation policy. vm-operator sizes a VM only through its class.
   */
  hardware: z.object({ cpus: z.number().int().positive(), memory: z.string().min(1) }).optional(),
  /** vm-operator's advanced.bootDiskCapacity: the boot disk grown beyond the image's size. */
  advanced: z.looseObject({ bootDiskCapacity: z.string().optional() }).optional(),
  bootstrap: bootstrapSchema.optional(),
  network: z
    .looseObject({
      /** The guest's host name (a Windows guest's computer name), as vm-operator sets it through bootstrap. */
      hostName: dns1123LabelSchema.optional(),
      interfaces: z.array(z.looseObject({ name: z.string(), network: z.looseObject({ kind: z.string().optional(), name: z.string() }).optional() })).optional(),
    })
    .optional(),
  volumes: namedList(vmVolumeSchema, MAX_ADDED_DISKS).optional(),
  cdrom: namedList(vmCdromSchema, MAX_CDROMS, (cdrom) => cdrom.image.name).optional(),
}).superRefine((spec, context) => {
  spec.volumes?.forEach((volume, index) => {
    const claim = volume.persistentVolumeClaim?.instanceVolumeClaim;
    if (claim && claim.storageClass !== spec.storageClass) {
      context.addIssue({
        code: "custom",
        path: ["volumes", index, "persistentVolumeClaim", "instanceVolumeClaim", "storageClass"],
        message: `must be the VM's storageClass "${spec.storageClass}": an added disk lives on the VM's datastore`,
      });
    }
  });
});
export type VirtualMachineSpec = z.infer<typeof virtualMachineSpecSchema>;

export const DRS_AUTOMATION_LEVELS = ["manual", "partiallyAutomated", "fullyAutomated"] as const;

/** vSphere's VM/Host rule types: Keep Virtual Machines Together, Separate Virtual Machines, Virtual Machines to Hosts. */
export const DRS_RULE_TYPES = ["affinity", "antiAffinity", "vmHost"] as const;
export const VM_HOST_POLICIES = ["mustRunOn", "shouldRunOn", "mustNotRunOn", "shouldNotRunOn"] as const;
/** A VM override's DRS automation level: the cluster's levels, or disabled (DRS never moves the VM). */
export const VM_DRS_AUTOMATION_LEVELS = ["disabled", ...DRS_AUTOMATION_LEVELS] as const;
/** vSphere HA's VM restart priorities, lowest first; disabled: HA does not restart the VM. */
export const HA_RESTART_PRIORITIES = ["disabled", "lowest", "low", "medium", "high", "highest"] as const;
export const MAX_DRS_RULES = 200;
export const MAX_RULE_MEMBERS = 100;
export const MAX_VM_OVERRIDES = 2000;

/** A VM is named in rules and overrides as "namespace/name". */
const vmReferenceSchema = z.string().regex(/^[a-z0-9-]{1,63}\/[a-z0-9.-]{1,253}$/, "must name VMs as namespace/name");

export const drsRuleSchema = z.object({
  name: z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"),
  enabled: z.boolean(),
  type: z.enum(DRS_RULE_TYPES, { error: "must be affinity, antiAffinity or vmHost" }),
  vms: z.array(vmReferenceSchema).max(MAX_RULE_MEMBERS, `must list at most ${MAX_RULE_MEMBERS} VMs`),
  /** Virtual Machines to Hosts only: the host group and how its VMs relate to it. */
  hosts: z.array(z.string().min(1).max(253)).max(MAX_RULE_MEMBERS, `must list at most ${MAX_RULE_MEMBERS} hosts`).optional(),
  policy: z.enum(VM_HOST_POLICIES, { error: "must be mustRunOn, shouldRunOn, mustNotRunOn or shouldNotRunOn" }).optional(),
});
export type DrsRule = z.infer<typeof drsRuleSchema>;

export const vmOverrideSchema = z.object({
  vm: vmReferenceSchema,
  /** Absent: the cluster's automation level. */
  drsAutomationLevel: z.enum(VM_DRS_AUTOMATION_LEVELS, { error: "must be disabled, manual, partiallyAutomated or fullyAutomated" }).optional(),
  /** Absent: the cluster's default, medium. */
  haRestartPriority: z.enum(HA_RESTART_PRIORITIES, { error: "must be disabled, lowest, low, medium, high or highest" }).optional(),
});
export type VmOverride = z.infer<typeof vmOverrideSchema>;

export const clusterSpecSchema = z.object({
  datacenter: z.string().min(1),
  drs: z.object({
    enabled: z.boolean().default(true),
    automationLevel: z.enum(DRS_AUTOMATION_LEVELS, { error: "must be manual, partiallyAutomated or fullyAutomated" }).default("fullyAutomated"),
    migrationThreshold: z.number().int().min(1, "must be 1 to 5").max(5, "must be 1 to 5").default(3),
  }),
  ha: z.object({
    enabled: z.boolean().default(true),
    hostFailuresToTolerate: z.number().int().min(0, "must be 0 or more").max(31, "must be at most 31").default(1),
  }),
  overcommit: z
    .object({
      cpu: z.number().min(1, "must be at least 1").max(32, "must be at most 32").default(4),
      memory: z.number().min(1, "must be at least 1").max(4, "must be at most 4").default(1.25),
    })
    .default({ cpu: 4, memory: 1.25 }),
  /** VM/Host rules, written only through configureDrsRules. */
  rules: z.array(drsRuleSchema).max(MAX_DRS_RULES, `must hold at most ${MAX_DRS_RULES} rules`).optional(),
  /** VM Overrides, written only through configureVmOverrides. */
  vmOverrides: z.array(vmOverrideSchema).max(MAX_VM_OVERRIDES, `must hold at most ${MAX_VM_OVERRIDES} overrides`).optional(),
});
export type ClusterSpec = z.infer<typeof clusterSpecSchema>;

export const hostSpecSchema = z.object({
  cluster: z.string().min(1),
  maintenanceMode: z.boolean().default(false),
  /** vSphere's "Move powered-off and suspended virtual machines to other hosts" for this maintenance mode. */
  evacuatePoweredOffVms: z.boolean().optional(),
  /** vSphere's Disconnect: Skylight stops managing the host; its VMs keep running, unmanaged. */
  disconnected: z.boolean().optional(),
});
export type HostSpec = z.infer<typeof hostSpecSchema>;

export const NAMESPACE_ROLES = ["view", "edit", "owner"] as const;
export const namespaceRoleSchema = z.enum(NAMESPACE_ROLES, { error: "must be view, edit or owner" });
export type NamespaceRole = z.infer<typeof namespaceRoleSchema>;

/**
 * Who may use a namespace: a user (by username), a group (by name) or a service account (by name,
 * of this namespace unless `namespace` names another), with a role inside it.
 */
export const namespacePermissionSchema = z
  .object({
    kind: z.enum(["User", "Group", "ServiceAccount"], { error: "must be User, Group or ServiceAccount" }),
    name: z.string().min(1, "is required"),
    namespace: z.string().min(1, "is required").max(63, "must be at most 63 characters").optional(),
    role: namespaceRoleSchema,
  })
  .refine((permission) => permission.namespace === undefined || permission.kind === "ServiceAccount", { message: "only a ServiceAccount names a namespace", path: ["namespace"] });
export type NamespacePermission = z.infer<typeof namespacePermissionSchema>;

const limitSchema = (unit: string) => z.number({ error: `must be a number of ${unit}` }).int(`must be a whole number of ${unit}`).positive(`must be at least 1 ${unit}, or empty for unlimited`);

export const namespaceLimitsSchema = z.object({
  cpu: limitSchema("vCPUs").optional(),
  memoryMiB: limitSchema("MiB").optional(),
  storageGiB: limitSchema("GiB").optional(),
});
export type NamespaceLimits = z.infer<typeof namespaceLimitsSchema>;

/**
 * A vSphere with Tanzu namespace: its cluster, limits (absent: unlimited), what its VMs may use
 * (absent: every VM class, image or storage class) and who may use it.
 */
export const namespaceSpecSchema = z.looseObject({
  cluster: z.string().min(1, "is required"),
  limits: namespaceLimitsSchema.default({}),
  vmClasses: z.array(z.string().min(1)).optional(),
  images: z.array(z.string().min(1)).optional(),
  storageClasses: z.array(z.string().min(1)).optional(),
  permissions: z.array(namespacePermissionSchema).default([]),
});
export type NamespaceSpec = z.infer<typeof namespaceSpecSchema>;

/** "16Gi", "512Mi" → MiB. */
export function quantityToMiB(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Mi|Gi|Ti)?$/.exec(quantity.trim());
  if (!match) throw new Error(`Cannot read the quantity "${quantity}".`);
  const factor = { Mi: 1, Gi: 1024, Ti: 1024 * 1024 }[match[2] as "Mi" | "Gi" | "Ti"] ?? 1 / (1024 * 1024);
  return Math.round(Number(match[1]) * factor);
}

/** "2000m", "2" → millicores. */
export function cpuToMillicores(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}
