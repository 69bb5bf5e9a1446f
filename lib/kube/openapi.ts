// OpenAPI v2 (/openapi/v2) and v3 (/openapi/v3, one document per group-version) for every
// served kind, so `kubectl explain` describes fields and kubectl can validate manifests. The VM
// follows vm-operator v1alpha3's field names; sub-objects Skylight stores without acting on them
// are declared with x-kubernetes-preserve-unknown-fields.
import { createHash } from "node:crypto";
import { groupVersionOf, servedKind, servedResources, type ApiResource } from "@/lib/kube/api-resources";
import { VERSION_INFO } from "@/lib/kube/discovery";
import { listMapKeys } from "@/lib/kube/list-maps";
import { PATCH_TYPES } from "@/lib/kube/patches";
import { reviewOpenApiV3Paths, reviewPaths, reviewSchemas } from "@/lib/kube/access-review-api";

type Schema = Record<string, unknown>;

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const string = (description: string, extra: Schema = {}): Schema => ({ type: "string", description, ...extra });
const integer = (description: string): Schema => ({ type: "integer", format: "int64", description });
const boolean = (description: string): Schema => ({ type: "boolean", description });
const object = (description: string, properties: Record<string, Schema>, extra: Schema = {}): Schema => ({ type: "object", description, properties, ...extra });
const open = (description: string): Schema => ({ type: "object", description, "x-kubernetes-preserve-unknown-fields": true });
const stringMap = (description: string): Schema => ({ type: "object", description, additionalProperties: { type: "string" } });
const list = (description: string, items: Schema): Schema => ({ type: "array", description, items });

/** A list merged by key (lib/kube/list-maps.ts): strategic merge patch and server-side apply merge its items by key. */
function listMap(kind: string, path: string[], description: string, items: Schema): Schema {
  const keys = listMapKeys(kind, path)!;
  return { ...list(description, items), "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": keys, "x-kubernetes-patch-merge-key": keys[0], "x-kubernetes-patch-strategy": "merge" };
}

/** A list vm-operator declares +listType=map. */
const vmListMap = (field: string, description: string, items: Schema) => listMap("VirtualMachine", ["spec", ...(field === "interfaces" ? ["network"] : []), field], description, items);

const conditions = list("Conditions describe the object's observed state: Ready, and per kind the steps toward it.", {
  type: "object",
  required: ["type", "status"],
  properties: {
    type: string("Type of condition, such as Ready."),
    status: string("True, False or Unknown."),
    reason: string("A CamelCase reason for the condition's last transition."),
    message: string("A human-readable message about the transition."),
    lastTransitionTime: string("When the condition last changed status.", { format: "date-time" }),
    observedGeneration: integer("The generation the condition was set for."),
  },
});

/** A PodSpec list with a patch merge key. */
const podListMap = (path: string[], description: string, items: Schema) => listMap("Pod", path, description, items);

/** kube's Quantity: a string, or a number as kubectl sends `cpu: 1`. */
const quantities = (description: string) => ({ type: "object", description, additionalProperties: string("A quantity: 500m or 2 CPUs, 128Mi or 1Gi of memory.", { format: "quantity" }) });

const container = object("A container in the pod.", {
  name: string("The container's name, a DNS label unique in the pod. Required."),
  image: string("The image to run, as Skylight's registry names it (busybox:1, web-team/busybox:1). Required; an update may change it."),
  command: list("The entrypoint, replacing the image's. Not run in a shell.", { type: "string" }),
  args: list("Arguments to the entrypoint, replacing the image's cmd.", { type: "string" }),
  env: podListMap(["spec", "containers", "env"], "Environment variables, merged by name.", object("A variable.", { name: string("Its name."), value: string("Its value."), valueFrom: open("Where the value comes from: fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef.") })),
  envFrom: list("Sources of variables: configMapRef, secretRef, with a prefix.", open("A source.")),
  workingDir: string("The container's working directory."),
  ports: podListMap(["spec", "containers", "ports"], "Ports the container listens on, merged by containerPort.", object("A port.", { containerPort: integer("The port number."), protocol: string("TCP, UDP or SCTP; default TCP."), name: string("A name for the port."), hostPort: integer("The host's port to expose it on."), hostIP: string("The host address to bind it to.") })),
  resources: object("CPU and memory the container requests (counted against the namespace's limits and the host's room) and may not exceed.", {
    requests: quantities("What the container is guaranteed: cpu, memory."),
    limits: quantities("What the container may use at most: cpu, memory."),
    claims: list("Dynamic resource claims the container uses.", open("A claim.")),
  }),
  resizePolicy: list("How each resource is resized in place.", open("A resize policy: resourceName, restartPolicy.")),
  restartPolicy: string("Always makes an init container a sidecar."),
  volumeMounts: podListMap(["spec", "containers", "volumeMounts"], "Volumes mounted into the container, merged by mountPath.", object("A mount.", {
    name: string("The volume's name."),
    mountPath: string("Where it is mounted."),
    readOnly: boolean("Mounted read-only."),
    recursiveReadOnly: string("Disabled, IfPossible or Enabled."),
    subPath: string("The path inside the volume to mount."),
    subPathExpr: string("subPath with $(VAR) expanded from the environment."),
    mountPropagation: string("None, HostToContainer or Bidirectional."),
  })),
  volumeDevices: list("Block devices the container uses.", open("A device: name, devicePath.")),
  livenessProbe: open("When the container is restarted: exec, httpGet, tcpSocket or grpc, with timings."),
  readinessProbe: open("When the container takes traffic: exec, httpGet, tcpSocket or grpc, with timings."),
  startupProbe: open("When the container has started: exec, httpGet, tcpSocket or grpc, with timings."),
  lifecycle: open("postStart and preStop handlers, stopSignal."),
  securityContext: open("The container's security settings: runAsUser, capabilities, privileged, …"),
  stdin: boolean("Keep stdin open for attach (kubectl run -i)."),
  stdinOnce: boolean("Close stdin after the first attach ends."),
  tty: boolean("Give the container a terminal (kubectl run -t)."),
  imagePullPolicy: string("Always, IfNotPresent or Never; default Always for :latest or no tag, IfNotPresent otherwise.", { enum: ["Always", "IfNotPresent", "Never"] }),
  terminationMessagePath: string("Where the container may write why it ended."),
  terminationMessagePolicy: string("File or FallbackToLogsOnError."),
}, { required: ["name"] });

const podSpec = object("PodSpec is the description of a pod.", {
    containers: podListMap(["spec", "containers"], "The pod's containers, merged by name. At least one.", container),
    restartPolicy: string("Always, OnFailure or Never; default Always.", { enum: ["Always", "OnFailure", "Never"] }),
    nodeName: string("The host the pod runs on: set by Skylight's scheduler, or by you to choose a host of the namespace's cluster."),
    nodeSelector: stringMap("Labels the host's Node must have."),
    runtimeClassName: string("crx runs the pod in its own microVM; absent: runc.", { enum: ["crx"] }),
    terminationGracePeriodSeconds: integer("Seconds between SIGTERM and SIGKILL when the pod is deleted; default 30."),
    activeDeadlineSeconds: integer("Seconds the pod may run before it is stopped; may be changed."),
    volumes: podListMap(["spec", "volumes"], "Volumes the containers may mount, merged by name.", object("A volume.", { name: string("Its name."), emptyDir: open("An empty directory that lives as long as the pod: medium, sizeLimit.") }, { "x-kubernetes-preserve-unknown-fields": true })),
    dnsPolicy: string("Kept as given; default ClusterFirst."),
    schedulerName: string("Kept as given; default default-scheduler."),
    // The rest of kube's PodSpec: kept as given.
    initContainers: list("Containers run one after another before the others start.", container),
    ephemeralContainers: list("Containers added to a running pod for debugging.", open("An ephemeral container.")),
    securityContext: open("The pod's security settings: runAsUser, fsGroup, seccompProfile, …"),
    serviceAccountName: string("The service account the pod runs as."),
    serviceAccount: string("Deprecated name of serviceAccountName."),
    automountServiceAccountToken: boolean("Whether the service account's token is mounted."),
    imagePullSecrets: list("Secrets for pulling the images.", open("A reference: name.")),
    hostNetwork: boolean("Use the host's network namespace."),
    hostPID: boolean("Use the host's process namespace."),
    hostIPC: boolean("Use the host's IPC namespace."),
    hostUsers: boolean("Use the host's user namespace."),
    shareProcessNamespace: boolean("One process namespace for all the pod's containers."),
    hostname: string("The pod's hostname."),
    subdomain: string("The pod's subdomain."),
    setHostnameAsFQDN: boolean("Set the hostname to the fully qualified domain name."),
    hostAliases: list("Entries for the pod's /etc/hosts.", open("A host alias: ip, hostnames.")),
    dnsConfig: open("DNS settings: nameservers, searches, options."),
    affinity: open("Node, pod and anti-pod affinity."),
    tolerations: list("Taints the pod tolerates.", open("A toleration.")),
    topologySpreadConstraints: list("How the pods spread across topology domains.", open("A constraint.")),
    priorityClassName: string("The pod's priority class."),
    priority: integer("The pod's priority; default 0."),
    preemptionPolicy: string("PreemptLowerPriority or Never."),
    enableServiceLinks: boolean("Whether services' addresses are set as environment variables; default true."),
    readinessGates: list("Conditions that must be True for the pod to be ready.", open("A gate: conditionType.")),
    overhead: quantities("Resources the pod's sandbox uses beside its containers."),
    os: open("The operating system the pod needs: name."),
    schedulingGates: list("Gates that hold the pod from being scheduled.", open("A gate: name.")),
    resourceClaims: list("Dynamic resource claims the pod uses.", open("A claim.")),
    resources: object("Resources for the whole pod.", { requests: quantities("Requests."), limits: quantities("Limits.") }),
  }, { required: ["containers"] });

const labelSelector = object("A label query over pods: matchLabels and matchExpressions, ANDed.", {
  matchLabels: stringMap("Labels a pod must have, each key with its value."),
  matchExpressions: list("Requirements: key, operator (In, NotIn, Exists, DoesNotExist) and values.", open("A requirement.")),
});

const podTemplate = object("The pods to make: their metadata (labels must match the selector) and spec (restartPolicy Always).", {
  metadata: object("The pods' labels and annotations.", { labels: stringMap("Labels; must match the selector."), annotations: stringMap("Annotations.") }, { "x-kubernetes-preserve-unknown-fields": true }),
  spec: podSpec,
});

const workloadSpec = (description: string, extra: Record<string, Schema>) =>
  object(description, {
    replicas: integer("Number of desired pods; default 1, at most 500."),
    minReadySeconds: integer("Seconds a new pod must be ready before it counts as available; default 0."),
    selector: labelSelector,
    template: podTemplate,
    ...extra,
  }, { required: ["selector", "template"] });

/** kube's IntOrString as its OpenAPI names it: a string of format int-or-string, which kubectl's validation takes either way. */
const intOrPercent = (description: string): Schema => ({ type: "string", format: "int-or-string", description });

const workloadCounts = {
  observedGeneration: integer("The generation the controller last acted on."),
  replicas: integer("Non-terminated pods."),
  readyReplicas: integer("Pods that are ready."),
  availableReplicas: integer("Pods ready for at least minReadySeconds."),
};

const powerOpMode = (what: string) => string(`How the VM is ${what}: Hard, Soft (through the guest OS) or TrySoft (Soft, then Hard if the guest does not respond).`, { enum: ["Hard", "Soft", "TrySoft"] });

const eventObjectReference = object("The object the event is about.", { kind: string("Kind."), apiVersion: string("The API version the kind is served in."), namespace: string("Namespace."), name: string("Name."), uid: string("UID.") });

/** Each kind's schema by kind, or by group and kind where two groups serve one kind. */
const KIND_SCHEMAS: Record<string, { description: string; spec?: Schema; status?: Schema; properties?: Record<string, Schema> }> = {
  Event: {
    description: "Event is a report of something that happened to an object: Skylight's audit and activity log.",
    properties: {
      involvedObject: eventObjectReference,
      reason: string("What happened, as a short CamelCase word such as VirtualMachine.powerOn."),
      message: string("What happened, in words."),
      type: string("Normal, or Warning for warnings and errors."),
      source: object("Who reported the event.", { component: string("skylight, with the user who acted.") }),
      reportingComponent: string("The controller that reported the event: skylight."),
      eventTime: string("When the event happened, to the microsecond.", { format: "date-time" }),
      firstTimestamp: string("When the event first happened.", { format: "date-time" }),
      lastTimestamp: string("When the event last happened.", { format: "date-time" }),
      count: integer("How many times it happened."),
    },
  },
  "events.k8s.io/Event": {
    description: "Event is a report of something that happened to an object (events.k8s.io/v1): Skylight's audit and activity log, the same events as core v1's.",
    properties: {
      eventTime: string("When the event happened, to the microsecond.", { format: "date-time" }),
      reportingController: string("The controller that reported the event: skylight."),
      regarding: eventObjectReference,
      reason: string("What happened, as a short CamelCase word such as VirtualMachine.powerOn."),
      note: string("What happened, in words."),
      type: string("Normal, or Warning for warnings and errors."),
      deprecatedSource: object("Who reported the event, as core v1's source.", { component: string("skylight, with the user who acted.") }),
      deprecatedFirstTimestamp: string("When the event first happened, as core v1's firstTimestamp.", { format: "date-time" }),
      deprecatedLastTimestamp: string("When the event last happened, as core v1's lastTimestamp.", { format: "date-time" }),
      deprecatedCount: integer("How many times it happened, as core v1's count."),
    },
  },
  Task: {
    description: "A task in Recent Tasks: one operation on one object, from queued to success or error.",
    spec: object("What the task does.", {
      operation: string("The operation, such as VirtualMachine.powerOn."),
      description: string("What the task does, in words."),
      target: object("The object the task acts on.", { kind: string("Kind."), namespace: string("Namespace."), name: string("Name."), uid: string("UID.") }),
      initiator: string("Who started the task."),
    }),
    status: object("How far the task is.", {
      state: string("queued, running, success or error."),
      progress: integer("Percent done."),
      progressMessage: string("What the task is doing now."),
      error: string("Why the task failed."),
      result: string("What the finished task measured, such as a live migration's duration, memory sent and downtime."),
      queuedAt: string("When the task was queued.", { format: "date-time" }),
      startedAt: string("When the task started.", { format: "date-time" }),
      completedAt: string("When the task finished.", { format: "date-time" }),
    }),
  },
  Namespace: {
    description: "A vSphere Namespace: a place for developers' VMs on one cluster, with resource limits.",
    spec: object("The namespace's cluster, limits, what its VMs may use and who may use it.", {
      cluster: string("The vSphere cluster the namespace's VMs run on; also the label skylight.io/cluster. Set at creation, then immutable."),
      limits: object("Resource limits for all VMs in the namespace; absent for unlimited.", { cpu: integer("vCPUs."), memoryMiB: integer("Memory in MiB."), storageGiB: integer("Storage in GiB.") }),
      vmClasses: list("The VM classes the namespace's VMs may use; absent for every class.", { type: "string" }),
      images: list("The images the namespace's VMs may use; absent for every image.", { type: "string" }),
      storageClasses: list("The datastores the namespace's VMs may use; absent for every datastore of the cluster.", { type: "string" }),
      permissions: list(
        "Who may use the namespace, each a User, Group or ServiceAccount with the role view, edit or owner.",
        object("A permission.", {
          kind: string("User, Group or ServiceAccount."),
          name: string("The user's, group's or service account's name."),
          namespace: string("A ServiceAccount's namespace, when not this one (administrators only)."),
          role: string("view, edit or owner."),
        }),
      ),
    }, { "x-kubernetes-preserve-unknown-fields": true }),
    status: object("Usage and phase.", { phase: string("Active, or Terminating while the namespace is deleted."), conditions }, { "x-kubernetes-preserve-unknown-fields": true }),
  },
  VirtualMachine: {
    description: "VirtualMachine is the schema for the virtualmachines API and represents the desired state and observed status of a virtual machine (vm-operator v1alpha3).",
    spec: object("VirtualMachineSpec defines the desired state of a VirtualMachine.", {
      className: string("The name of the VirtualMachineClass that describes the VM's virtual hardware and reservations."),
      imageName: string("The name of the VirtualMachineImage the VM is deployed from. Immutable."),
      image: open("A reference to the image the VM is deployed from (kind and name)."),
      storageClass: string("The storage class (datastore) for the VM's disks. Immutable."),
      powerState: string("The desired power state: PoweredOn, PoweredOff or Suspended. Defaults to PoweredOn.", { enum: ["PoweredOn", "PoweredOff", "Suspended"] }),
      powerOffMode: powerOpMode("powered off"),
      suspendMode: powerOpMode("suspended"),
      restartMode: powerOpMode("restarted"),
      nextRestartTime: string("Setting a new value (a timestamp, or \"now\") restarts a powered-on VM once."),
      minHardwareVersion: integer("The minimum virtual hardware version."),
      network: object(
        "The VM's network: hostName, domainName, disabled, nameservers, searchDomains and interfaces.",
        { interfaces: vmListMap("interfaces", "The VM's network interfaces, merged by name.", open("An interface: name, network, addresses, gateway4, nameservers …")) },
        { "x-kubernetes-preserve-unknown-fields": true },
      ),
      volumes: vmListMap("volumes", "Volumes attached to the VM, merged by name.", open("A volume: name and persistentVolumeClaim. A disk Skylight attaches gives persistentVolumeClaim.instanceVolumeClaim {storageClass (the VM's), size (1Gi to 16Ti)}; at most 15.")),
      bootstrap: open("Guest customization: cloudInit, linuxPrep, sysprep or vAppConfig."),
      cdrom: vmListMap("cdrom", "CD-ROM devices, merged by name.", open("A CD-ROM: name, image {kind, name} (a content-library ISO image the namespace may use), connected (default true), allowGuestControl; at most 4.")),
      readinessProbe: open("How to decide the guest is ready: tcpSocket or guestHeartbeat."),
      advanced: open("Advanced settings: bootDiskCapacity, defaultVolumeProvisioningMode, changeBlockTracking."),
      reserved: open("Fields reserved for the infrastructure provider."),
      instanceUUID: string("The VM's instance UUID."),
      biosUUID: string("The VM's BIOS UUID."),
      guestID: string("The guest operating system identifier."),
      crypto: open("Encryption: encryptionClassName, useDefaultKeyProvider."),
      promoteDisksMode: string("Disabled, Online or Offline."),
      bootOptions: open("Boot settings: firmware, bootDelay, bootRetry, efiSecureBootEnabled, network boot."),
      groupName: string("The VirtualMachineGroup the VM belongs to."),
      hardware: object("Skylight's own: CPUs and memory chosen in Edit Settings instead of the class's.", { cpus: integer("Virtual CPUs."), memory: string("Memory, as a quantity such as 4Gi.") }),
      snapshotRequest: open("Skylight's own: one snapshot operation (take, revert, delete, deleteAll) asked of the VM, carried out once per id."),
    }, { required: ["className", "imageName", "storageClass"] }),
    status: object("VirtualMachineStatus defines the observed state of a VirtualMachine.", {
      powerState: string("The observed power state."),
      host: string("The ESXi host the VM runs on."),
      uniqueID: string("The infrastructure's identifier for the VM."),
      network: object("The observed network.", { primaryIP4: string("The guest's primary IPv4 address."), primaryIP6: string("The guest's primary IPv6 address.") }, { "x-kubernetes-preserve-unknown-fields": true }),
      conditions,
      observedGeneration: integer("The generation the status reflects."),
    }, { "x-kubernetes-preserve-unknown-fields": true }),
  },
  Pod: {
    description: "Pod is a collection of containers that run on a host: bound to one by Skylight's scheduler, run by the host's agent (spherelet) through runc, or in its own microVM for the crx RuntimeClass.",
    spec: podSpec,
    status: object("PodStatus is what the pod's host last observed.", {
      phase: string("Pending, Running, Succeeded, Failed or Unknown."),
      conditions: list("PodScheduled, Initialized, ContainersReady, Ready, PodReadyToStartContainers.", open("A pod condition: type, status, reason, message, lastTransitionTime.")),
      hostIP: string("The host's address."),
      podIP: string("The pod's address."),
      startTime: string("When the host accepted the pod.", { format: "date-time" }),
      containerStatuses: list("Each container's state, last state, readiness, restart count and image.", open("A container status.")),
      qosClass: string("Guaranteed, Burstable or BestEffort."),
      reason: string("Why the pod is in its phase."),
      message: string("Details of reason."),
    }, { "x-kubernetes-preserve-unknown-fields": true }),
  },
  Deployment: {
    description: "Deployment keeps replicas of a pod template running through ReplicaSets and rolls out a changed template (apps/v1).",
    spec: workloadSpec("DeploymentSpec is the desired behavior of the Deployment.", {
      strategy: object("How a new template replaces the old pods.", {
        type: string("RollingUpdate (default) or Recreate.", { enum: ["RollingUpdate", "Recreate"] }),
        rollingUpdate: object("Bounds of a rolling update.", {
          maxSurge: intOrPercent("Pods over replicas allowed during the update: a number or a percent, rounded up; default 25%."),
          maxUnavailable: intOrPercent("Pods under replicas allowed during the update: a number or a percent, rounded down; default 25%."),
        }),
      }),
      revisionHistoryLimit: integer("Old ReplicaSets kept for rollback; default 10."),
      progressDeadlineSeconds: integer("Seconds a rollout may make no progress before Progressing turns False with ProgressDeadlineExceeded; default 600."),
      paused: boolean("While true, template changes do not roll out."),
    }),
    status: object("DeploymentStatus is the most recently observed status of the Deployment.", {
      ...workloadCounts,
      updatedReplicas: integer("Non-terminated pods with the current template."),
      unavailableReplicas: integer("Pods still needed for 100% available capacity."),
      conditions: list("Available, Progressing and ReplicaFailure.", open("A deployment condition: type, status, reason, message, lastUpdateTime, lastTransitionTime.")),
    }, { "x-kubernetes-preserve-unknown-fields": true }),
  },
  ReplicaSet: {
    description: "ReplicaSet keeps a number of pods of its template running (apps/v1); Deployments manage them.",
    spec: workloadSpec("ReplicaSetSpec is the specification of a ReplicaSet.", {}),
    status: object("ReplicaSetStatus is the most recently observed status of the ReplicaSet.", {
      ...workloadCounts,
      fullyLabeledReplicas: integer("Pods whose labels match the template's."),
      conditions: list("ReplicaFailure, when the namespace refused a pod.", open("A replica set condition: type, status, reason, message, lastTransitionTime.")),
    }, { "x-kubernetes-preserve-unknown-fields": true }),
  },
  PodMetrics: {
    description: "A pod's resource usage as its host last reported it (kubectl top pod).",
    properties: {
      timestamp: string("When the usage was observed.", { format: "date-time" }),
      window: string("The interval the usage was measured over."),
      containers: list("Each container's usage.", object("A container's usage.", { name: string("The container."), usage: stringMap("CPU (cores) and memory (bytes) in use.") })),
    },
  },
  VirtualMachineClass: {
    description: "VirtualMachineClass describes the virtual hardware and reservations of the VMs that name it.",
    spec: object("Hardware and policies.", {
      hardware: object("Virtual hardware.", { cpus: integer("Virtual CPUs."), memory: string("Memory, as a quantity such as 4Gi.") }, { "x-kubernetes-preserve-unknown-fields": true }),
      policies: open("Resource requests and limits; requests make the class guaranteed."),
    }, { "x-kubernetes-preserve-unknown-fields": true }),
    status: open("Observed state."),
  },
  VirtualMachineImage: {
    description: "VirtualMachineImage is an image VMs can be deployed from, from a content library.",
    spec: open("Where the image comes from: providerRef and contentLibrary."),
    status: open("The image's operating system and capabilities."),
  },
  Datacenter: { description: "A vSphere datacenter: the top of the inventory.", spec: open("Datacenter settings."), status: open("Conditions.") },
  Cluster: {
    description: "A vSphere cluster of hosts, with vSphere DRS and vSphere HA.",
    spec: object("The cluster's settings; drs and ha are writable.", {
      datacenter: string("The datacenter that holds the cluster."),
      drs: object("vSphere DRS.", {
        enabled: boolean("Whether DRS balances the cluster."),
        automationLevel: string("manual, partiallyAutomated or fullyAutomated.", { enum: ["manual", "partiallyAutomated", "fullyAutomated"] }),
        migrationThreshold: integer("1 (conservative) to 5 (aggressive)."),
      }),
      ha: object("vSphere HA.", { enabled: boolean("Whether VMs are restarted on other hosts when a host fails."), hostFailuresToTolerate: integer("Host failures admission control reserves capacity for.") }),
      overcommit: object("Overcommit ratios placement honours.", { cpu: { type: "number", description: "vCPUs per physical core." }, memory: { type: "number", description: "Memory overcommit ratio." } }),
      rules: list("VM/Host rules (read-only here; edited under Configure › VM/Host Rules).", open("A rule: name, enabled, type (affinity, antiAffinity, vmHost), vms, and for vmHost hosts and policy.")),
      vmOverrides: list("VM Overrides (read-only here): per VM, drsAutomationLevel and haRestartPriority.", open("An override: vm (namespace/name) and its settings.")),
    }),
    status: open("Capacity, usage, health, DRS recommendations and violated VM/Host rules."),
  },
  Host: {
    description: "An ESXi host in a cluster.",
    spec: object("The host's settings; maintenanceMode and disconnected are writable.", {
      cluster: string("The cluster the host belongs to."),
      maintenanceMode: boolean("Enter (true) or exit (false) maintenance mode; entering evacuates powered-on VMs."),
      disconnected: boolean("Disconnect (true) or connect (false) the host."),
    }),
    status: open("Connection state, capacity and maintenance progress."),
  },
  Node: {
    description: "A host as the Kubernetes API sees it: registered by its Skylight agent (spherelet) on a real host, kept by Skylight for a simulated one.",
    spec: object("The host's scheduling settings.", { unschedulable: boolean("True while the host takes no new VMs (maintenance mode, disconnected)."), providerID: string("The host's identity in Skylight.") }, { "x-kubernetes-preserve-unknown-fields": true }),
    status: object("What the host reports.", {
      capacity: stringMap("The host's resources: cpu, memory, pods."),
      allocatable: stringMap("What of the capacity VMs may use."),
      addresses: list("The host's addresses.", object("An address.", { type: string("InternalIP, ExternalIP or Hostname."), address: string("The address.") })),
      nodeInfo: open("Operating system, kernel, hypervisor (containerRuntimeVersion) and agent (kubeletVersion) versions."),
      conditions: list("The host's conditions; Ready is True while its agent heartbeats.", open("A node condition: type, status, reason, message, lastHeartbeatTime, lastTransitionTime.")),
    }, { "x-kubernetes-preserve-unknown-fields": true }),
  },
  NodeMetrics: {
    description: "A host's resource usage in its last performance sample (kubectl top node).",
    properties: {
      timestamp: string("When the sample was taken.", { format: "date-time" }),
      window: string("The interval the usage was measured over."),
      usage: stringMap("CPU (cores) and memory (bytes) in use."),
    },
  },
  Service: {
    description: "Service names a set of endpoints behind one address. Skylight serves only `kubernetes` in default, which describes this API server; it is read-only.",
    spec: object("The service's address and ports.", {
      type: string("How the service is exposed: ClusterIP."),
      clusterIP: string("The service's address inside the cluster."),
      clusterIPs: list("The service's addresses, one per IP family.", string("An address.")),
      ports: list("The ports the service serves.", object("A port.", { name: string("The port's name."), port: integer("The port the service serves."), protocol: string("TCP, UDP or SCTP."), targetPort: integer("The port on the endpoints traffic goes to.") })),
      selector: stringMap("The labels of the pods the service routes to; none for kubernetes, whose endpoint is the API server."),
    }, { "x-kubernetes-preserve-unknown-fields": true }),
    status: open("The load balancer's state: empty for a ClusterIP service."),
  },
  Lease: {
    description: "Lease defines a lease concept: leader election among a namespace's clients, and in kube-node-lease each host agent's heartbeat, renewed by its agent only.",
    spec: object("The lease.", {
      holderIdentity: string("Who holds the lease."),
      leaseDurationSeconds: integer("How long after renewTime the lease expires, in seconds."),
      renewTime: string("When the holder last renewed it.", { format: "date-time" }),
      acquireTime: string("When the holder acquired it.", { format: "date-time" }),
      leaseTransitions: integer("How many times the lease changed holders."),
      strategy: string("The strategy for picking the leader in coordinated leader election."),
      preferredHolder: string("The holder the lease is asked to go to next."),
    }),
  },
  ConfigMap: {
    description: "ConfigMap holds configuration data for pods to consume.",
    properties: {
      data: stringMap("Configuration data as UTF-8 strings. Keys consist of alphanumeric characters, '-', '_' or '.'; data and binaryData must not share a key."),
      binaryData: { type: "object", description: "Binary configuration data, each value base64-encoded.", additionalProperties: { type: "string", format: "byte" } },
      immutable: boolean("If true, data and binaryData cannot change (only the object's metadata can)."),
    },
  },
  Secret: {
    description: "Secret holds secret data of a certain type, at most 1 MiB in all. Only a namespace's editors and owners read it.",
    properties: {
      data: { type: "object", description: "The secret data, each value base64-encoded.", additionalProperties: { type: "string", format: "byte" } },
      stringData: stringMap("Write-only: values as strings, merged into data on write (overriding data's keys); never read back."),
      type: string("Used to ease programmatic handling of secret data (Opaque, kubernetes.io/tls, kubernetes.io/dockerconfigjson, …); immutable once created."),
      immutable: boolean("If true, data cannot change (only the object's metadata can)."),
    },
  },
  CustomResourceDefinition: {
    description: "CustomResourceDefinition represents a resource that should be exposed on the API server. Its name MUST be in the format <.spec.name>.<.spec.group>.",
    spec: object("The kind the definition adds: its group, names, scope and versions.", {
      group: string("The API group of the defined custom resource; its objects are served under /apis/<group>/..."),
      names: object("The resource and kind names of the custom resource.", {
        plural: string("The plural name of the resource to serve: /apis/<group>/<version>/.../<plural>. Must be all lowercase."),
        singular: string("The singular name of the resource. Must be all lowercase. Defaults to lowercased kind."),
        kind: string("The serialized kind of the resource. It is normally CamelCase and singular."),
        listKind: string("The serialized kind of the list for this resource. Defaults to `kind`List."),
        shortNames: list("Short names for the resource, for clients such as `kubectl get <shortname>`. Must be all lowercase.", { type: "string" }),
        categories: list("Grouped resources this custom resource belongs to (e.g. 'all'), for `kubectl get <category>`.", { type: "string" }),
      }),
      scope: string("Whether the defined custom resource is cluster- or namespace-scoped: Cluster or Namespaced.", { enum: ["Cluster", "Namespaced"] }),
      versions: list("All versions of the defined custom resource; exactly one is the storage version.", object("A version of the custom resource.", {
        name: string("The version name, e.g. v1, v2beta1: served under /apis/<group>/<version>/..."),
        served: boolean("Whether this version is served by REST APIs."),
        storage: boolean("Whether this version is the one objects are stored in. Exactly one version must be."),
        deprecated: boolean("Whether this version is deprecated; requests to it get a warning."),
        deprecationWarning: string("The warning returned to clients of a deprecated version."),
        schema: object("The schema used for validation, pruning and defaulting of this version.", {
          openAPIV3Schema: { type: "object", description: "The OpenAPI v3 schema for validation and pruning.", "x-kubernetes-preserve-unknown-fields": true },
        }),
        subresources: object("The subresources this version serves.", {
          status: { type: "object", description: "The status subresource: /status serves status, and the main resource ignores status changes.", "x-kubernetes-preserve-unknown-fields": true },
          scale: object("The scale subresource, served as autoscaling/v1 Scale.", {
            specReplicasPath: string("The JSON path inside the object of the desired replicas, e.g. .spec.replicas."),
            statusReplicasPath: string("The JSON path inside the object of the observed replicas, e.g. .status.replicas."),
            labelSelectorPath: string("The JSON path inside the object of the label selector in string form, e.g. .status.selector."),
          }),
        }),
        additionalPrinterColumns: list("Additional columns shown in table output (`kubectl get`).", object("A column.", {
          name: string("The column's name."),
          type: string("An OpenAPI type: integer, number, string, boolean or date."),
          format: string("An optional OpenAPI format for the column."),
          description: string("A human-readable description of the column."),
          priority: integer("0 for standard output; more than 0 for wide output only."),
          jsonPath: string("A simple JSON path evaluated against each object to produce the column's value."),
        })),
      })),
      conversion: open("How versions are converted: None (only apiVersion changes) is the one strategy served."),
      preserveUnknownFields: boolean("Must be false: unknown fields are pruned."),
    }),
    status: object("What the API server observed of the definition.", {
      conditions: list("NamesAccepted, Established and Terminating.", open("A condition.")),
      acceptedNames: open("The names actually being used to serve discovery."),
      storedVersions: list("Every version objects have been stored in.", { type: "string" }),
    }),
  },
  ServiceAccount: {
    description: "ServiceAccount is an identity for processes in a namespace: `kubectl create token` mints a bearer token for it (serviceaccounts/token), and the namespace's permissions may give it a role.",
    properties: {
      automountServiceAccountToken: boolean("Whether pods running as this service account get a token mounted (stored; Skylight mounts none)."),
      imagePullSecrets: list("Secrets in the same namespace to pull images with.", object("A secret by name.", { name: string("The secret's name.") })),
      secrets: list("Secrets pods running as this service account may use.", object("A secret.", { name: string("The secret's name."), namespace: string("Its namespace."), kind: string("Secret."), apiVersion: string("v1.") })),
    },
  },
  Datastore: { description: "A datastore holding VM disks; VMs name it as their storageClass.", spec: open("Type, datacenter and capacity."), status: open("Usage.") },
  Network: { description: "A network (port group) VMs connect to.", spec: open("Datacenter, port group and VLAN."), status: open("Conditions.") },
};

type RefStyle = "v2" | "v3";
/** Kubernetes' own groups: their kinds are named io.k8s.api.<group>, and kubectl patches them with strategic merge patches. */
const BUILT_IN_GROUPS = ["", "apps"];
const ref = (name: string, style: RefStyle) => ({ $ref: style === "v2" ? `#/definitions/${name}` : `#/components/schemas/${name}` });

export function definitionName(resource: Pick<ApiResource, "group" | "version" | "kind" | "custom">): string {
  if (BUILT_IN_GROUPS.includes(resource.group)) return `io.k8s.api.${resource.group || "core"}.${resource.version}.${resource.kind}`;
  const group = resource.group.split(".").reverse().join(".");
  return `${group}.${resource.version}.${servedKind(resource)}`;
}

function metaSchemas(style: RefStyle): Record<string, Schema> {
  return {
    [`${META}.ObjectMeta`]: object("Standard object metadata.", {
      name: string("Name must be unique within a namespace."),
      generateName: string("A prefix the server completes into a unique name when name is empty."),
      namespace: string("The namespace of a namespaced object."),
      uid: string("Unique in time and space for this object."),
      resourceVersion: string("An opaque version that changes on every write; send it back to update without overwriting someone else's change."),
      generation: integer("Changes each time the desired state (spec) changes."),
      creationTimestamp: string("When the object was created.", { format: "date-time" }),
      deletionTimestamp: string("When deletion was requested; the object stays until its finalizers are removed.", { format: "date-time" }),
      labels: stringMap("Labels for selecting objects."),
      annotations: stringMap("Unstructured key-value data."),
      finalizers: list("Controllers that must finish before the object is removed.", { type: "string" }),
      ownerReferences: list("Objects this one depends on.", ref(`${META}.OwnerReference`, style)),
      managedFields: list("Which field manager owns which fields: from server-side apply, and from creates, updates and patches.", ref(`${META}.ManagedFieldsEntry`, style)),
      deletionGracePeriodSeconds: integer("Seconds the object has left to end gracefully once deletionTimestamp is set."),
      selfLink: string("Deprecated; never set."),
    }),
    [`${META}.ManagedFieldsEntry`]: object("The fields one manager owns.", {
      manager: string("The field manager: kubectl's --field-manager, or the client's name."),
      operation: string("Apply, for fields set by server-side apply; Update, for fields a create, update or patch set or changed."),
      apiVersion: string("The API version the fields were set in."),
      time: string("When the manager last applied.", { format: "date-time" }),
      fieldsType: string("FieldsV1."),
      fieldsV1: { type: "object", description: "The owned fields as a tree: f:<field>, k:{<list-map key>} and . for the node itself." },
      subresource: string("The subresource the fields were set through; empty for the object itself."),
    }),
    [`${META}.OwnerReference`]: object("An owner of this object.", {
      apiVersion: string("API version of the owner."),
      kind: string("Kind of the owner."),
      name: string("Name of the owner."),
      uid: string("UID of the owner."),
      controller: boolean("Whether the owner is the managing controller."),
      blockOwnerDeletion: boolean("Whether the owner waits for this object on foreground deletion."),
    }),
    [`${META}.Patch`]: { type: "object", description: "A JSON patch, merge patch, strategic merge patch or server-side apply configuration." },
    [`${META}.ListMeta`]: object("Standard list metadata.", { resourceVersion: string("The list's version; watch from it."), continue: string("Token for the next page.") }),
  };
}

function builtInObjectSchema(resource: ApiResource, identity: Record<string, Schema>): Schema {
  const kind = (KIND_SCHEMAS[`${resource.group}/${resource.kind}`] ?? KIND_SCHEMAS[resource.kind])!;
  return object(kind.description, { ...identity, ...(kind.spec ? { spec: kind.spec } : {}), ...(kind.status ? { status: kind.status } : {}), ...kind.properties });
}

/** A custom kind's schema is its definition's openAPIV3Schema, with apiVersion, kind and metadata as every kind has them. */
function customObjectSchema(schema: Schema, identity: Record<string, Schema>): Schema {
  return { ...schema, type: "object", properties: { ...(schema.properties as Record<string, Schema> | undefined), ...identity } };
}

function kindSchemas(resources: readonly ApiResource[], style: RefStyle): Record<string, Schema> {
  const schemas: Record<string, Schema> = {};
  for (const resource of resources) {
    const gvk = [{ group: resource.group, version: resource.version, kind: servedKind(resource) }];
    const identity = {
      apiVersion: string(`APIVersion: ${groupVersionOf(resource)}.`),
      kind: string(`Kind: ${servedKind(resource)}.`),
      metadata: { ...ref(`${META}.ObjectMeta`, style), description: "Standard object metadata." },
    };
    schemas[definitionName(resource)] = { ...(resource.custom ? customObjectSchema(resource.custom.schema, identity) : builtInObjectSchema(resource, identity)), "x-kubernetes-group-version-kind": gvk };
    schemas[`${definitionName(resource)}List`] = {
      ...object(`A list of ${servedKind(resource)} objects.`, {
        apiVersion: string("APIVersion."),
        kind: string("Kind."),
        metadata: ref(`${META}.ListMeta`, style),
        items: list("The objects.", ref(definitionName(resource), style)),
      }),
      required: ["items"],
      "x-kubernetes-group-version-kind": [{ ...gvk[0], kind: `${resource.kind}List` }],
    };
  }
  return schemas;
}

const QUERY_PARAMETERS = ["dryRun", "fieldManager", "fieldValidation", "force"].map((name) => ({ name, in: "query", type: "string", schema: { type: "string" }, uniqueItems: true }));

function paths(resources: readonly ApiResource[], style: RefStyle): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const resource of resources) {
    const prefix = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
    const base = `${prefix}${resource.namespaced ? "/namespaces/{namespace}" : ""}/${resource.plural}`;
    const gvk = { group: resource.group, version: resource.version, kind: servedKind(resource) };
    const operation = (action: string, id: string) => ({
      operationId: `${id}${servedKind(resource)}`,
      "x-kubernetes-action": action,
      "x-kubernetes-group-version-kind": gvk,
      ...(style === "v3" ? { parameters: QUERY_PARAMETERS.map(({ type: _type, ...parameter }) => parameter) } : { parameters: QUERY_PARAMETERS.map(({ schema: _schema, ...parameter }) => parameter) }),
      responses: { "200": { description: "OK" } },
    });
    const writable = resource.verbs.includes("update");
    // kubectl apply computes a strategic merge patch for a built-in kind only if the patch operation
    // lists that media type; vm-operator's and Skylight's kinds, like custom resources, get merge patches.
    const patchTypes = [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply, ...(BUILT_IN_GROUPS.includes(resource.group) ? [PATCH_TYPES.strategic] : [])];
    const patchBody = style === "v3" ? { requestBody: { content: Object.fromEntries(patchTypes.map((type) => [type, { schema: ref(`${META}.Patch`, style) }])) } } : { consumes: patchTypes };
    result[base] = { get: operation("list", "list"), ...(resource.verbs.includes("create") ? { post: operation("post", "create") } : {}) };
    result[`${base}/{name}`] = {
      get: operation("get", "read"),
      ...(writable ? { put: operation("put", "replace"), patch: { ...operation("patch", "patch"), ...patchBody } } : {}),
      ...(resource.verbs.includes("delete") ? { delete: operation("delete", "delete") } : {}),
    };
  }
  return result;
}

/** A kind's object schema and the definitions its $refs name, as /openapi/v2 publishes them: what lib/kube/field-validation.ts checks writes against. */
export function objectSchemaOf(resource: ApiResource): { schema: Schema; definitions: Record<string, Schema> } {
  const definitions = { ...metaSchemas("v2"), ...kindSchemas([resource], "v2") };
  return { schema: definitions[definitionName(resource)]!, definitions };
}

export function openApiV2() {
  return {
    swagger: "2.0",
    info: { title: "Skylight", version: VERSION_INFO.gitVersion },
    paths: { ...paths(servedResources(), "v2"), ...reviewPaths(QUERY_PARAMETERS.map(({ schema: _schema, ...parameter }) => parameter)) },
    definitions: { ...metaSchemas("v2"), ...kindSchemas(servedResources(), "v2"), ...reviewSchemas(ref(`${META}.ObjectMeta`, "v2")) },
  };
}

function groupVersionPaths(): Map<string, ApiResource[]> {
  const byPath = new Map<string, ApiResource[]>();
  for (const resource of servedResources()) {
    const key = resource.group ? `apis/${resource.group}/${resource.version}` : `api/${resource.version}`;
    byPath.set(key, [...(byPath.get(key) ?? []), resource]);
  }
  return byPath;
}

export function openApiV3Document(groupVersionPath: string) {
  const resources = groupVersionPaths().get(groupVersionPath);
  if (!resources) return reviewOpenApiV3Document(groupVersionPath);
  return {
    openapi: "3.0.0",
    info: { title: "Skylight", version: VERSION_INFO.gitVersion },
    paths: paths(resources, "v3"),
    components: { schemas: { ...metaSchemas("v3"), ...kindSchemas(resources, "v3") } },
  };
}

export function openApiV3Index() {
  const entries = [...groupVersionPaths().keys(), ...reviewOpenApiV3Paths()].map((key) => {
    const hash = createHash("sha512").update(JSON.stringify(openApiV3Document(key))).digest("hex").slice(0, 128).toUpperCase();
    return [key, { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` }];
  });
  return { paths: Object.fromEntries(entries) };
}

/** The OpenAPI v3 document of an access review's group-version (access-review-api.ts), or null. */
function reviewOpenApiV3Document(groupVersionPath: string) {
  if (!reviewOpenApiV3Paths().includes(groupVersionPath)) return null;
  const [, group, version] = groupVersionPath.split("/");
  const only = { group: group!, version: version! };
  return {
    openapi: "3.0.0",
    info: { title: "Skylight", version: VERSION_INFO.gitVersion },
    paths: reviewPaths(QUERY_PARAMETERS.map(({ type: _type, ...parameter }) => parameter), only),
    components: { schemas: { ...metaSchemas("v3"), ...reviewSchemas(ref(`${META}.ObjectMeta`, "v3"), only) } },
  };
}
