// Writes lib/kube/crd/testdata/metricsservers.yaml and metricsserver.yaml: a CustomResourceDefinition
// of the size and shape of prometheus-operator's prometheuses.monitoring.coreos.com (thousands of
// lines: containers, volumes, affinity and probes inlined at every use as controller-gen inlines
// them, several versions, list-type=map lists, embedded resources, preserve-unknown-fields at
// several depths, CEL rules) and a realistic object of it, for the CRD schema tests and benchmark.
// Run: npx tsx scripts/generate-crd-testdata.ts
import { writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";

type Schema = Record<string, unknown>;

const described = (description: string, schema: Schema): Schema => ({ description, ...schema });
const str = (description: string, extra: Schema = {}): Schema => described(description, { type: "string", ...extra });
const int = (description: string, extra: Schema = {}): Schema => described(description, { type: "integer", format: "int32", ...extra });
const int64 = (description: string, extra: Schema = {}): Schema => described(description, { type: "integer", format: "int64", ...extra });
const bool = (description: string): Schema => described(description, { type: "boolean" });
const obj = (description: string, properties: Record<string, Schema>, extra: Schema = {}): Schema => described(description, { type: "object", properties, ...extra });
const list = (description: string, items: Schema, extra: Schema = {}): Schema => described(description, { type: "array", items, ...extra });
const listMap = (description: string, items: Schema, keys: string[], extra: Schema = {}): Schema => list(description, items, { "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": keys, ...extra });
const strings = (description: string, extra: Schema = {}): Schema => list(description, { type: "string" }, extra);
const stringMap = (description: string): Schema => described(description, { type: "object", additionalProperties: { type: "string" } });
const intOrString = (description: string): Schema => described(description, { anyOf: [{ type: "integer" }, { type: "string" }], "x-kubernetes-int-or-string": true });
const quantity = (description: string): Schema => ({
  ...intOrString(description),
  pattern: "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$",
});
const enumOf = (description: string, values: string[], extra: Schema = {}): Schema => str(description, { enum: values, ...extra });
const duration = (description: string): Schema => str(description, { pattern: "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$" });

const keySelector = (what: string) =>
  obj(`Selects a key of a ${what}.`, { key: str("The key to select."), name: str("Name of the referent.", { default: "" }), optional: bool(`Specify whether the ${what} or its key must be defined`) }, { required: ["key"], "x-kubernetes-map-type": "atomic" });

const labelSelector = (description: string) =>
  obj(description, {
    matchExpressions: list("matchExpressions is a list of label selector requirements. The requirements are ANDed.", obj("A label selector requirement.", {
      key: str("key is the label key that the selector applies to."),
      operator: enumOf("operator represents a key's relationship to a set of values.", ["In", "NotIn", "Exists", "DoesNotExist"]),
      values: strings("values is an array of string values.", { "x-kubernetes-list-type": "atomic" }),
    }, { required: ["key", "operator"] }), { "x-kubernetes-list-type": "atomic" }),
    matchLabels: stringMap("matchLabels is a map of {key,value} pairs."),
  }, { "x-kubernetes-map-type": "atomic" });

const resources = () =>
  obj("Compute Resources required by this container.", {
    claims: listMap("Claims lists the names of resources used by this container.", obj("A resource claim.", { name: str("Name must match the name of one entry in pod.spec.resourceClaims."), request: str("Request is the name chosen for a request.") }, { required: ["name"] }), ["name"]),
    limits: described("Limits describes the maximum amount of compute resources allowed.", { type: "object", additionalProperties: quantity("A quantity.") }),
    requests: described("Requests describes the minimum amount of compute resources required.", { type: "object", additionalProperties: quantity("A quantity.") }),
  });

const handler = (description: string) =>
  obj(description, {
    exec: obj("Exec specifies a command to execute in the container.", { command: strings("Command is the command line to execute.", { "x-kubernetes-list-type": "atomic" }) }),
    httpGet: obj("HTTPGet specifies an HTTP GET request to perform.", {
      host: str("Host name to connect to."),
      httpHeaders: list("Custom headers to set in the request.", obj("An HTTP header.", { name: str("The header field name."), value: str("The header field value.") }, { required: ["name", "value"] }), { "x-kubernetes-list-type": "atomic" }),
      path: str("Path to access on the HTTP server."),
      port: intOrString("Name or number of the port to access on the container."),
      scheme: enumOf("Scheme to use for connecting to the host.", ["HTTP", "HTTPS"]),
    }, { required: ["port"] }),
    sleep: obj("Sleep represents a duration that the container should sleep.", { seconds: int64("Seconds is the number of seconds to sleep.") }, { required: ["seconds"] }),
    tcpSocket: obj("TCPSocket specifies a connection to a TCP port.", { host: str("Optional: Host name to connect to."), port: intOrString("Number or name of the port to access on the container.") }, { required: ["port"] }),
  });

const probe = (description: string) => {
  const base = handler(description);
  return {
    ...base,
    properties: {
      ...(base.properties as Record<string, Schema>),
      failureThreshold: int("Minimum consecutive failures for the probe to be considered failed.", { minimum: 1 }),
      grpc: obj("GRPC specifies a GRPC HealthCheckRequest.", { port: int("Port number of the gRPC service."), service: str("Service is the name of the service.", { default: "" }) }, { required: ["port"] }),
      initialDelaySeconds: int("Number of seconds after the container has started before probes are initiated."),
      periodSeconds: int("How often (in seconds) to perform the probe.", { minimum: 1 }),
      successThreshold: int("Minimum consecutive successes for the probe to be considered successful."),
      terminationGracePeriodSeconds: int64("Optional duration in seconds the pod needs to terminate gracefully."),
      timeoutSeconds: int("Number of seconds after which the probe times out."),
    },
  };
};

const securityContext = () =>
  obj("SecurityContext defines the security options the container should be run with.", {
    allowPrivilegeEscalation: bool("AllowPrivilegeEscalation controls whether a process can gain more privileges than its parent process."),
    appArmorProfile: obj("appArmorProfile is the AppArmor options to use by this container.", { localhostProfile: str("The profile loaded on the node."), type: enumOf("type indicates which kind of AppArmor profile will be applied.", ["Localhost", "RuntimeDefault", "Unconfined"]) }, { required: ["type"] }),
    capabilities: obj("The capabilities to add/drop when running containers.", { add: strings("Added capabilities", { "x-kubernetes-list-type": "atomic" }), drop: strings("Removed capabilities", { "x-kubernetes-list-type": "atomic" }) }),
    privileged: bool("Run container in privileged mode."),
    procMount: str("procMount denotes the type of proc mount to use for the containers."),
    readOnlyRootFilesystem: bool("Whether this container has a read-only root filesystem."),
    runAsGroup: int64("The GID to run the entrypoint of the container process."),
    runAsNonRoot: bool("Indicates that the container must run as a non-root user."),
    runAsUser: int64("The UID to run the entrypoint of the container process.", { minimum: 0 }),
    seLinuxOptions: obj("The SELinux context to be applied to the container.", { level: str("Level is SELinux level label."), role: str("Role is a SELinux role label."), type: str("Type is a SELinux type label."), user: str("User is a SELinux user label.") }),
    seccompProfile: obj("The seccomp options to use by this container.", { localhostProfile: str("localhostProfile indicates a profile defined in a file on the node."), type: enumOf("type indicates which kind of seccomp profile will be applied.", ["Localhost", "RuntimeDefault", "Unconfined"]) }, { required: ["type"] }),
    windowsOptions: obj("The Windows specific settings.", { gmsaCredentialSpec: str("GMSA credential spec."), gmsaCredentialSpecName: str("GMSA credential spec name."), hostProcess: bool("HostProcess determines if a container should be run as a 'Host Process' container."), runAsUserName: str("The UserName in Windows to run the entrypoint.") }),
  });

const container = () =>
  obj("A single application container that you want to run within a pod.", {
    args: strings("Arguments to the entrypoint.", { "x-kubernetes-list-type": "atomic" }),
    command: strings("Entrypoint array.", { "x-kubernetes-list-type": "atomic" }),
    env: listMap("List of environment variables to set in the container.", obj("EnvVar represents an environment variable present in a Container.", {
      name: str("Name of the environment variable.", { minLength: 1 }),
      value: str("Variable references $(VAR_NAME) are expanded using the previously defined environment variables."),
      valueFrom: obj("Source for the environment variable's value.", {
        configMapKeyRef: keySelector("ConfigMap"),
        fieldRef: obj("Selects a field of the pod.", { apiVersion: str("Version of the schema the FieldPath is written in terms of."), fieldPath: str("Path of the field to select in the specified API version.") }, { required: ["fieldPath"], "x-kubernetes-map-type": "atomic" }),
        resourceFieldRef: obj("Selects a resource of the container.", { containerName: str("Container name."), divisor: quantity("Specifies the output format of the exposed resources."), resource: str("Required: resource to select") }, { required: ["resource"], "x-kubernetes-map-type": "atomic" }),
        secretKeyRef: keySelector("Secret"),
      }),
    }, { required: ["name"] }), ["name"]),
    envFrom: list("List of sources to populate environment variables in the container.", obj("EnvFromSource represents the source of a set of ConfigMaps or Secrets", {
      configMapRef: obj("The ConfigMap to select from", { name: str("Name of the referent.", { default: "" }), optional: bool("Specify whether the ConfigMap must be defined") }, { "x-kubernetes-map-type": "atomic" }),
      prefix: str("Optional text to prepend to the name of each environment variable."),
      secretRef: obj("The Secret to select from", { name: str("Name of the referent.", { default: "" }), optional: bool("Specify whether the Secret must be defined") }, { "x-kubernetes-map-type": "atomic" }),
    }), { "x-kubernetes-list-type": "atomic" }),
    image: str("Container image name."),
    imagePullPolicy: enumOf("Image pull policy.", ["Always", "Never", "IfNotPresent"]),
    lifecycle: obj("Actions that the management system should take in response to container lifecycle events.", { postStart: handler("PostStart is called immediately after a container is created."), preStop: handler("PreStop is called immediately before a container is terminated."), stopSignal: str("StopSignal defines which signal will be sent to a container when it is being stopped.") }),
    livenessProbe: probe("Periodic probe of container liveness."),
    name: str("Name of the container specified as a DNS_LABEL.", { maxLength: 63, pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" }),
    ports: listMap("List of ports to expose from the container.", obj("ContainerPort represents a network port in a single container.", {
      containerPort: int("Number of port to expose on the pod's IP address.", { minimum: 1, maximum: 65535 }),
      hostIP: str("What host IP to bind the external port to."),
      hostPort: int("Number of port to expose on the host."),
      name: str("If specified, this must be an IANA_SVC_NAME and unique within the pod."),
      protocol: enumOf("Protocol for port.", ["TCP", "UDP", "SCTP"], { default: "TCP" }),
    }, { required: ["containerPort"] }), ["containerPort", "protocol"]),
    readinessProbe: probe("Periodic probe of container service readiness."),
    resizePolicy: list("Resources resize policy for the container.", obj("ContainerResizePolicy represents resource resize policy for the container.", { resourceName: str("Name of the resource to which this resource resize policy applies."), restartPolicy: str("Restart policy to apply when specified resource is resized.") }, { required: ["resourceName", "restartPolicy"] }), { "x-kubernetes-list-type": "atomic" }),
    resources: resources(),
    restartPolicy: str("RestartPolicy defines the restart behavior of individual containers in a pod."),
    securityContext: securityContext(),
    startupProbe: probe("StartupProbe indicates that the Pod has successfully initialized."),
    stdin: bool("Whether this container should allocate a buffer for stdin in the container runtime."),
    stdinOnce: bool("Whether the container runtime should close the stdin channel after it has been opened by a single attach."),
    terminationMessagePath: str("Path at which the file to which the container's termination message will be written is mounted."),
    terminationMessagePolicy: enumOf("Indicate how the termination message should be populated.", ["File", "FallbackToLogsOnError"]),
    tty: bool("Whether this container should allocate a TTY for itself."),
    volumeDevices: listMap("volumeDevices is the list of block devices to be used by the container.", obj("volumeDevice describes a mapping of a raw block device within a container.", { devicePath: str("devicePath is the path inside of the container that the device will be mapped to."), name: str("name must match the name of a persistentVolumeClaim in the pod") }, { required: ["devicePath", "name"] }), ["devicePath"]),
    volumeMounts: listMap("Pod volumes to mount into the container's filesystem.", obj("VolumeMount describes a mounting of a Volume within a container.", {
      mountPath: str("Path within the container at which the volume should be mounted."),
      mountPropagation: str("mountPropagation determines how mounts are propagated from the host to container and the other way around."),
      name: str("This must match the Name of a Volume."),
      readOnly: bool("Mounted read-only if true, read-write otherwise (false or unspecified)."),
      recursiveReadOnly: str("RecursiveReadOnly specifies whether read-only mounts should be handled recursively."),
      subPath: str("Path within the volume from which the container's volume should be mounted."),
      subPathExpr: str("Expanded path within the volume from which the container's volume should be mounted."),
    }, { required: ["mountPath", "name"] }), ["mountPath"]),
    workingDir: str("Container's working directory."),
  }, { required: ["name"], "x-kubernetes-validations": [{ rule: "!has(self.stdinOnce) || !self.stdinOnce || (has(self.stdin) && self.stdin)", message: "stdinOnce requires stdin" }] });

const keyToPaths = () => list("Items of the source to project into the volume.", obj("Maps a string key to a path within a volume.", { key: str("key is the key to project."), mode: int("mode is Optional: mode bits used to set permissions on this file."), path: str("path is the relative path of the file to map the key to.") }, { required: ["key", "path"] }), { "x-kubernetes-list-type": "atomic" });

const volume = () =>
  obj("Volume represents a named volume in a pod.", {
    awsElasticBlockStore: obj("awsElasticBlockStore represents an AWS Disk resource.", { fsType: str("fsType is the filesystem type of the volume."), partition: int("partition is the partition in the volume that you want to mount."), readOnly: bool("readOnly value true will force the readOnly setting in VolumeMounts."), volumeID: str("volumeID is unique ID of the persistent disk resource in AWS.") }, { required: ["volumeID"] }),
    azureDisk: obj("azureDisk represents an Azure Data Disk mount on the host and bind mount to the pod.", { cachingMode: str("cachingMode is the Host Caching mode."), diskName: str("diskName is the Name of the data disk in the blob storage"), diskURI: str("diskURI is the URI of data disk in the blob storage"), fsType: str("fsType is Filesystem type to mount.", { default: "ext4" }), kind: str("kind expected values are Shared, Dedicated, Managed"), readOnly: bool("readOnly Defaults to false (read/write).", ) }, { required: ["diskName", "diskURI"] }),
    configMap: obj("configMap represents a configMap that should populate this volume", { defaultMode: int("defaultMode is optional: mode bits used to set permissions on created files by default."), items: keyToPaths(), name: str("Name of the referent.", { default: "" }), optional: bool("optional specify whether the ConfigMap or its keys must be defined") }, { "x-kubernetes-map-type": "atomic" }),
    csi: obj("csi represents ephemeral storage that is handled by certain external CSI drivers.", { driver: str("driver is the name of the CSI driver that handles this volume."), fsType: str("fsType to mount."), nodePublishSecretRef: obj("nodePublishSecretRef is a reference to the secret object.", { name: str("Name of the referent.", { default: "" }) }, { "x-kubernetes-map-type": "atomic" }), readOnly: bool("readOnly specifies a read-only configuration for the volume."), volumeAttributes: stringMap("volumeAttributes stores driver-specific properties.") }, { required: ["driver"] }),
    downwardAPI: obj("downwardAPI represents downward API about the pod that should populate this volume", { defaultMode: int("Optional: mode bits to use on created files by default."), items: list("Items is a list of downward API volume file", obj("DownwardAPIVolumeFile represents information to create the file containing the pod field", { fieldRef: obj("Required: Selects a field of the pod.", { apiVersion: str("Version of the schema the FieldPath is written in terms of."), fieldPath: str("Path of the field to select.") }, { required: ["fieldPath"], "x-kubernetes-map-type": "atomic" }), mode: int("Optional: mode bits used to set permissions on this file."), path: str("Required: Path is the relative path name of the file to be created.") }, { required: ["path"] }), { "x-kubernetes-list-type": "atomic" }) }),
    emptyDir: obj("emptyDir represents a temporary directory that shares a pod's lifetime.", { medium: str("medium represents what type of storage medium should back this directory."), sizeLimit: quantity("sizeLimit is the total amount of local storage required for this EmptyDir volume.") }),
    ephemeral: obj("ephemeral represents a volume that is handled by a cluster storage driver.", {
      volumeClaimTemplate: obj("Will be used to create a stand-alone PVC to provision the volume.", {
        metadata: described("May contain labels and annotations that will be copied into the PVC.", { type: "object", "x-kubernetes-preserve-unknown-fields": true }),
        spec: obj("The specification for the PersistentVolumeClaim.", { accessModes: strings("accessModes contains the desired access modes the volume should have.", { "x-kubernetes-list-type": "atomic" }), resources: obj("resources represents the minimum resources the volume should have.", { limits: described("Limits", { type: "object", additionalProperties: quantity("A quantity.") }), requests: described("Requests", { type: "object", additionalProperties: quantity("A quantity.") }) }), storageClassName: str("storageClassName is the name of the StorageClass required by the claim."), volumeMode: str("volumeMode defines what type of volume is required by the claim.") }),
      }, { required: ["spec"] }),
    }),
    fc: obj("fc represents a Fibre Channel resource.", { fsType: str("fsType is the filesystem type to mount."), lun: int("lun is Optional: FC target lun number"), readOnly: bool("readOnly is Optional."), targetWWNs: strings("targetWWNs is Optional: FC target worldwide names (WWNs)", { "x-kubernetes-list-type": "atomic" }), wwids: strings("wwids Optional: FC volume world wide identifiers (wwids)", { "x-kubernetes-list-type": "atomic" }) }),
    hostPath: obj("hostPath represents a pre-existing file or directory on the host machine.", { path: str("path of the directory on the host."), type: str("type for HostPath Volume", { default: "" }) }, { required: ["path"] }),
    image: obj("image represents an OCI object (a container image or artifact) pulled and mounted on the kubelet's host machine.", { pullPolicy: enumOf("Policy for pulling OCI objects.", ["Always", "Never", "IfNotPresent"]), reference: str("Required: Image or artifact reference to be used.") }),
    iscsi: obj("iscsi represents an ISCSI Disk resource.", { chapAuthDiscovery: bool("chapAuthDiscovery defines whether support iSCSI Discovery CHAP authentication"), iqn: str("iqn is the target iSCSI Qualified Name."), iscsiInterface: str("iscsiInterface is the interface Name that uses an iSCSI transport.", { default: "default" }), lun: int("lun represents iSCSI Target Lun number."), portals: strings("portals is the iSCSI Target Portal List.", { "x-kubernetes-list-type": "atomic" }), targetPortal: str("targetPortal is iSCSI Target Portal.") }, { required: ["iqn", "lun", "targetPortal"] }),
    name: str("name of the volume. Must be a DNS_LABEL and unique within the pod.", { maxLength: 63 }),
    nfs: obj("nfs represents an NFS mount on the host that shares a pod's lifetime", { path: str("path that is exported by the NFS server."), readOnly: bool("readOnly here will force the NFS export to be mounted with read-only permissions."), server: str("server is the hostname or IP address of the NFS server.") }, { required: ["path", "server"] }),
    persistentVolumeClaim: obj("persistentVolumeClaimVolumeSource represents a reference to a PersistentVolumeClaim in the same namespace.", { claimName: str("claimName is the name of a PersistentVolumeClaim in the same namespace as the pod using this volume."), readOnly: bool("readOnly Will force the ReadOnly setting in VolumeMounts.") }, { required: ["claimName"] }),
    projected: obj("projected items for all in one resources secrets, configmaps, and downward API", {
      defaultMode: int("defaultMode are the mode bits used to set permissions on created files by default."),
      sources: list("sources is the list of volume projections.", obj("Projection that may be projected along with other supported volume types.", {
        configMap: obj("configMap information about the configMap data to project", { items: keyToPaths(), name: str("Name of the referent.", { default: "" }), optional: bool("optional specify whether the ConfigMap or its keys must be defined") }, { "x-kubernetes-map-type": "atomic" }),
        secret: obj("secret information about the secret data to project", { items: keyToPaths(), name: str("Name of the referent.", { default: "" }), optional: bool("optional field specify whether the Secret or its key must be defined") }, { "x-kubernetes-map-type": "atomic" }),
        serviceAccountToken: obj("serviceAccountToken is information about the serviceAccountToken data to project", { audience: str("audience is the intended audience of the token."), expirationSeconds: int64("expirationSeconds is the requested duration of validity of the service account token."), path: str("path is the path relative to the mount point of the file to project the token into.") }, { required: ["path"] }),
      }), { "x-kubernetes-list-type": "atomic" }),
    }),
    secret: obj("secret represents a secret that should populate this volume.", { defaultMode: int("defaultMode is Optional: mode bits used to set permissions on created files by default."), items: keyToPaths(), optional: bool("optional field specify whether the Secret or its keys must be defined"), secretName: str("secretName is the name of the secret in the pod's namespace to use.") }),
  }, { required: ["name"] });

const nodeSelectorTerm = () =>
  obj("A null or empty node selector term matches no objects.", {
    matchExpressions: list("A list of node selector requirements by node's labels.", obj("A node selector requirement.", { key: str("The label key that the selector applies to."), operator: enumOf("Represents a key's relationship to a set of values.", ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]), values: strings("An array of string values.", { "x-kubernetes-list-type": "atomic" }) }, { required: ["key", "operator"] }), { "x-kubernetes-list-type": "atomic" }),
    matchFields: list("A list of node selector requirements by node's fields.", obj("A node selector requirement.", { key: str("The label key that the selector applies to."), operator: str("Represents a key's relationship to a set of values."), values: strings("An array of string values.", { "x-kubernetes-list-type": "atomic" }) }, { required: ["key", "operator"] }), { "x-kubernetes-list-type": "atomic" }),
  }, { "x-kubernetes-map-type": "atomic" });

const podAffinityTerm = () =>
  obj("Defines a set of pods that this pod should be co-located (affinity) or not co-located (anti-affinity) with.", {
    labelSelector: labelSelector("A label query over a set of resources, in this case pods."),
    matchLabelKeys: strings("MatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration.", { "x-kubernetes-list-type": "atomic" }),
    namespaceSelector: labelSelector("A label query over the set of namespaces that the term applies to."),
    namespaces: strings("namespaces specifies a static list of namespace names that the term applies to.", { "x-kubernetes-list-type": "atomic" }),
    topologyKey: str("This pod should be co-located (affinity) or not co-located (anti-affinity) with the pods matching the labelSelector.", { minLength: 1 }),
  }, { required: ["topologyKey"] });

const podAffinity = (description: string) =>
  obj(description, {
    preferredDuringSchedulingIgnoredDuringExecution: list("The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions.", obj("The weights of all of the matched WeightedPodAffinityTerm fields are added per-node.", { podAffinityTerm: podAffinityTerm(), weight: int("weight associated with matching the corresponding podAffinityTerm, in the range 1-100.", { minimum: 1, maximum: 100 }) }, { required: ["podAffinityTerm", "weight"] }), { "x-kubernetes-list-type": "atomic" }),
    requiredDuringSchedulingIgnoredDuringExecution: list("If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.", podAffinityTerm(), { "x-kubernetes-list-type": "atomic" }),
  });

const affinity = () =>
  obj("Defines the Pods' affinity scheduling rules if specified.", {
    nodeAffinity: obj("Describes node affinity scheduling rules for the pod.", {
      preferredDuringSchedulingIgnoredDuringExecution: list("The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions.", obj("An empty preferred scheduling term matches all objects with implicit weight 0.", { preference: nodeSelectorTerm(), weight: int("Weight associated with matching the corresponding nodeSelectorTerm, in the range 1-100.", { minimum: 1, maximum: 100 }) }, { required: ["preference", "weight"] }), { "x-kubernetes-list-type": "atomic" }),
      requiredDuringSchedulingIgnoredDuringExecution: obj("If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.", { nodeSelectorTerms: list("Required. A list of node selector terms. The terms are ORed.", nodeSelectorTerm(), { "x-kubernetes-list-type": "atomic" }) }, { required: ["nodeSelectorTerms"], "x-kubernetes-map-type": "atomic" }),
    }),
    podAffinity: podAffinity("Describes pod affinity scheduling rules."),
    podAntiAffinity: podAffinity("Describes pod anti-affinity scheduling rules."),
  });

const secretKey = (description: string) => ({ ...keySelector("Secret"), description });

const tlsConfig = () =>
  obj("TLS Config to use for the endpoint.", {
    ca: obj("Certificate authority used when verifying server certificates.", { configMap: keySelector("ConfigMap"), secret: secretKey("Secret containing data to use for the targets.") }),
    cert: obj("Client certificate to present when doing client-authentication.", { configMap: keySelector("ConfigMap"), secret: secretKey("Secret containing data to use for the targets.") }),
    insecureSkipVerify: bool("Disable target certificate validation."),
    keySecret: secretKey("Secret containing the client key file for the targets."),
    maxVersion: enumOf("Maximum acceptable TLS version.", ["TLS10", "TLS11", "TLS12", "TLS13"]),
    minVersion: enumOf("Minimum acceptable TLS version.", ["TLS10", "TLS11", "TLS12", "TLS13"]),
    serverName: str("Used to verify the hostname for the targets."),
  });

const relabelConfig = () =>
  obj("RelabelConfig allows dynamic rewriting of the label set for targets, alerts, scraped samples and remote write samples.", {
    action: enumOf("Action to perform based on the regex matching.", ["replace", "Replace", "keep", "Keep", "drop", "Drop", "hashmod", "HashMod", "labelmap", "LabelMap", "labeldrop", "LabelDrop", "labelkeep", "LabelKeep", "lowercase", "Lowercase", "uppercase", "Uppercase", "keepequal", "KeepEqual", "dropequal", "DropEqual"], { default: "replace" }),
    modulus: described("Modulus to take of the hash of the source label values.", { type: "integer", format: "int64" }),
    regex: str("Regular expression against which the extracted value is matched."),
    replacement: str("Replacement value against which a Replace action is performed if the regular expression matches."),
    separator: str("Separator is the string between concatenated SourceLabels."),
    sourceLabels: strings("The source labels select values from existing labels.", { items: { type: "string", pattern: "^[a-zA-Z_][a-zA-Z0-9_]*$" } }),
    targetLabel: str("Label to which the resulting string is written in a replacement."),
  });

const remoteWrite = () =>
  obj("RemoteWriteSpec defines the configuration to write samples from Prometheus to a remote endpoint.", {
    authorization: obj("Authorization section for the URL.", { credentials: secretKey("Selects a key of a Secret in the namespace that contains the credentials for authentication."), credentialsFile: str("File to read a secret from, mutually exclusive with `credentials`."), type: str("Defines the authentication type.") }),
    basicAuth: obj("BasicAuth configuration for the URL.", { password: secretKey("The secret in the service monitor namespace that contains the password for authentication."), username: secretKey("The secret in the service monitor namespace that contains the username for authentication.") }),
    bearerTokenFile: str("File from which to read bearer token for the URL."),
    headers: stringMap("Custom HTTP headers to be sent along with each remote write request."),
    metadataConfig: obj("MetadataConfig configures the sending of series metadata to the remote storage.", { send: bool("Defines whether metric metadata is sent to the remote storage or not."), sendInterval: duration("Defines how frequently metric metadata is sent to the remote storage.") }),
    name: str("The name of the remote write queue, it must be unique if specified."),
    queueConfig: obj("QueueConfig allows tuning of the remote write queue parameters.", { batchSendDeadline: duration("BatchSendDeadline is the maximum time a sample will wait in buffer."), capacity: int("Capacity is the number of samples to buffer per shard before we start dropping them."), maxBackoff: duration("MaxBackoff is the maximum retry delay."), maxSamplesPerSend: int("MaxSamplesPerSend is the maximum number of samples per send."), maxShards: int("MaxShards is the maximum number of shards, i.e. amount of concurrency."), minBackoff: duration("MinBackoff is the initial retry delay."), minShards: int("MinShards is the minimum number of shards, i.e. amount of concurrency."), retryOnRateLimit: bool("Retry upon receiving a 429 status code from the remote-write storage.") }),
    remoteTimeout: duration("Timeout for requests to the remote write endpoint."),
    sendExemplars: bool("Enables sending of exemplars over remote write."),
    tlsConfig: tlsConfig(),
    url: str("The URL of the endpoint to send samples to.", { minLength: 1, format: "uri" }),
    writeRelabelConfigs: list("The list of remote write relabel configurations.", relabelConfig()),
  }, {
    required: ["url"],
    "x-kubernetes-validations": [
      { rule: "!(has(self.bearerTokenFile) && has(self.authorization))", message: "bearerTokenFile and authorization cannot be set at the same time" },
      { rule: "!(has(self.basicAuth) && has(self.authorization))", message: "basicAuth and authorization cannot be set at the same time" },
    ],
  });

const condition = () =>
  obj("Condition represents the state of the resources associated with the Prometheus, Alertmanager or ThanosRuler resource.", {
    lastTransitionTime: str("lastTransitionTime is the time of the last update to the current status property.", { format: "date-time" }),
    message: str("Human-readable message indicating details for the condition's last transition."),
    observedGeneration: described("ObservedGeneration represents the .metadata.generation that the condition was set based upon.", { type: "integer", format: "int64" }),
    reason: str("Reason for the condition's last transition."),
    status: enumOf("Status of the condition.", ["True", "False", "Unknown"]),
    type: str("Type of the condition being reported.", { minLength: 1 }),
  }, { required: ["lastTransitionTime", "status", "type"] });

function specSchema(): Schema {
  return obj("Specification of the desired behavior of the MetricsServer cluster.", {
    additionalArgs: list("AdditionalArgs allows setting additional arguments for the server container.", obj("Argument as part of the AdditionalArgs list.", { name: str("Name of the argument, e.g. \"scrape.discovery-reload-interval\".", { minLength: 1 }), value: str("Argument value, e.g. 30s. Can be empty for name-only arguments (e.g. --storage.tsdb.no-lockfile)") }, { required: ["name"] })),
    additionalObjects: list("Objects created beside the server, as they are written (embedded resources of any kind).", described("An embedded object.", { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true }), { maxItems: 32 }),
    additionalScrapeConfigs: described("Scrape configurations appended to the generated ones, kept as written.", { type: "object", "x-kubernetes-preserve-unknown-fields": true }),
    affinity: affinity(),
    containers: listMap("Containers allows injecting additional containers or modifying operator generated containers.", container(), ["name"], { maxItems: 16 }),
    enableFeatures: strings("Enable access to experimental features.", { "x-kubernetes-list-type": "set", maxItems: 32 }),
    evaluationInterval: { ...duration("Interval between rule evaluations."), default: "30s" },
    externalLabels: stringMap("The labels to add to any time series or alerts when communicating with external systems."),
    image: str("Container image name for the server."),
    imagePullSecrets: list("An optional list of references to Secrets in the same namespace to use for pulling images from registries.", obj("LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.", { name: str("Name of the referent.", { default: "" }) }, { "x-kubernetes-map-type": "atomic" })),
    initContainers: listMap("InitContainers allows injecting initContainers to the Pod definition.", container(), ["name"], { maxItems: 16 }),
    listenLocal: bool("When true, the server listens on the loopback address instead of the Pod IP's address."),
    logLevel: enumOf("Log level for the server and the config-reloader sidecar.", ["", "debug", "info", "warn", "error"]),
    nodeSelector: stringMap("Defines on which Nodes the Pods are scheduled."),
    paused: bool("When a MetricsServer deployment is paused, no actions except for deletion will be performed on the underlying objects."),
    podMetadata: obj("PodMetadata configures labels and annotations which are propagated to the pods.", { annotations: stringMap("Annotations is an unstructured key value map."), labels: stringMap("Map of string keys and values that can be used to organize and categorize objects."), name: str("Name must be unique within a namespace.") }),
    remoteWrite: list("Defines the list of remote write configurations.", remoteWrite(), { maxItems: 64 }),
    replicas: int("Number of replicas of each shard to deploy.", { minimum: 0, default: 1 }),
    resources: resources(),
    retention: { ...duration("How long to retain the samples in storage."), default: "24h" },
    retentionSize: str("Maximum number of bytes used by the samples.", { pattern: "(^0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$" }),
    ruleSelector: labelSelector("PrometheusRule objects to be selected for rule evaluation."),
    scrapeInterval: { ...duration("Interval between consecutive scrapes."), default: "30s" },
    securityContext: obj("SecurityContext holds pod-level security attributes and common container settings.", { fsGroup: int64("A special supplemental group that applies to all containers in a pod."), runAsGroup: int64("The GID to run the entrypoint of the container process."), runAsNonRoot: bool("Indicates that the container must run as a non-root user."), runAsUser: int64("The UID to run the entrypoint of the container process."), supplementalGroups: list("A list of groups applied to the first process run in each container.", { type: "integer", format: "int64" }, { "x-kubernetes-list-type": "atomic" }) }),
    serviceAccountName: str("ServiceAccountName is the name of the ServiceAccount to use to run the Pods."),
    shards: int("Number of shards to distribute scraped targets onto.", { minimum: 1 }),
    storage: obj("Storage defines the storage used by the server.", {
      disableMountSubPath: bool("Deprecated: subPath usage will be removed in a future release."),
      emptyDir: obj("EmptyDirVolumeSource to be used by the StatefulSet.", { medium: str("medium represents what type of storage medium should back this directory."), sizeLimit: quantity("sizeLimit is the total amount of local storage required for this EmptyDir volume.") }),
      volumeClaimTemplate: obj("Defines the PVC spec to be used by the server StatefulSets.", {
        apiVersion: str("APIVersion defines the versioned schema of this representation of an object."),
        kind: str("Kind is a string value representing the REST resource this object represents."),
        metadata: obj("EmbeddedMetadata contains metadata relevant to an EmbeddedResource.", { annotations: stringMap("Annotations is an unstructured key value map."), labels: stringMap("Map of string keys and values."), name: str("Name must be unique within a namespace.") }),
        spec: obj("Defines the desired characteristics of a volume requested by a pod author.", {
          accessModes: strings("accessModes contains the desired access modes the volume should have.", { "x-kubernetes-list-type": "atomic" }),
          resources: obj("resources represents the minimum resources the volume should have.", { limits: described("Limits", { type: "object", additionalProperties: quantity("A quantity.") }), requests: described("Requests", { type: "object", additionalProperties: quantity("A quantity.") }) }),
          selector: labelSelector("selector is a label query over volumes to consider for binding."),
          storageClassName: str("storageClassName is the name of the StorageClass required by the claim.", { "x-kubernetes-validations": [{ rule: "self == oldSelf", message: "storageClassName is immutable" }] }),
          volumeMode: str("volumeMode defines what type of volume is required by the claim."),
          volumeName: str("volumeName is the binding reference to the PersistentVolume backing this claim."),
        }),
      }, { "x-kubernetes-embedded-resource": true }),
    }),
    tolerations: list("Defines the Pods' tolerations if specified.", obj("The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect>.", { effect: enumOf("Effect indicates the taint effect to match.", ["NoSchedule", "PreferNoSchedule", "NoExecute"]), key: str("Key is the taint key that the toleration applies to."), operator: enumOf("Operator represents a key's relationship to the value.", ["Exists", "Equal"]), tolerationSeconds: int64("TolerationSeconds represents the period of time the toleration tolerates the taint."), value: str("Value is the taint value the toleration matches to.") })),
    topologySpreadConstraints: listMap("Defines the pod's topology spread constraints if specified.", obj("TopologySpreadConstraint specifies how to spread matching pods among the given topology.", { labelSelector: labelSelector("LabelSelector is used to find matching pods."), maxSkew: int("MaxSkew describes the degree to which pods may be unevenly distributed.", { minimum: 1 }), minDomains: int("MinDomains indicates a minimum number of eligible domains."), topologyKey: str("TopologyKey is the key of node labels."), whenUnsatisfiable: enumOf("WhenUnsatisfiable indicates how to deal with a pod if it doesn't satisfy the spread constraint.", ["DoNotSchedule", "ScheduleAnyway"]) }, { required: ["maxSkew", "topologyKey", "whenUnsatisfiable"] }), ["topologyKey", "whenUnsatisfiable"]),
    version: str("Version of the server being deployed."),
    volumeMounts: list("VolumeMounts allows configuration of additional VolumeMounts.", obj("VolumeMount describes a mounting of a Volume within a container.", { mountPath: str("Path within the container at which the volume should be mounted."), name: str("This must match the Name of a Volume."), readOnly: bool("Mounted read-only if true."), subPath: str("Path within the volume from which the container's volume should be mounted.") }, { required: ["mountPath", "name"] })),
    volumes: list("Volumes allows the configuration of additional volumes on the output StatefulSet definition.", volume(), { maxItems: 64 }),
    web: obj("Defines the configuration of the web server.", { httpConfig: obj("Defines HTTP parameters for web server.", { headers: obj("List of headers that can be added to HTTP responses.", { contentSecurityPolicy: str("Set the Content-Security-Policy header to HTTP responses."), strictTransportSecurity: str("Set the Strict-Transport-Security header to HTTP responses."), xFrameOptions: enumOf("Set the X-Frame-Options header to HTTP responses.", ["Deny", "SameOrigin"]) }), http2: bool("Enable HTTP/2 support.") }), maxConnections: int("Defines the maximum number of simultaneous connections.", { minimum: 0 }), pageTitle: str("The server page title."), tlsConfig: tlsConfig() }),
  }, {
    "x-kubernetes-validations": [
      { rule: "!has(self.shards) || self.shards <= 64", message: "at most 64 shards" },
      { rule: "!has(self.retentionSize) || has(self.storage)", message: "retentionSize requires storage", fieldPath: ".retentionSize" },
      { rule: "self.containers.all(c, c.name != 'config-reloader' || has(c.image))", messageExpression: "'container config-reloader needs an image'" },
    ],
  });
}

function statusSchema(): Schema {
  return obj("Most recent observed status of the MetricsServer cluster.", {
    availableReplicas: int("Total number of available pods (ready for at least minReadySeconds) targeted by this server deployment."),
    conditions: listMap("The current state of the MetricsServer deployment.", condition(), ["type"]),
    extensions: described("Status reported by extensions, kept as written.", { type: "object", "x-kubernetes-preserve-unknown-fields": true }),
    paused: bool("Represents whether any actions on the underlying managed objects are being performed."),
    replicas: int("Total number of non-terminated pods targeted by this deployment (their labels match the selector)."),
    selector: str("The selector used to match the pods targeted by this resource."),
    shardStatuses: listMap("The list has one entry per shard.", obj("Status of one shard.", { availableReplicas: int("Total number of available pods targeted by this shard."), replicas: int("Total number of pods targeted by this shard."), shardID: str("Identifier of the shard."), unavailableReplicas: int("Total number of unavailable pods targeted by this shard."), updatedReplicas: int("Total number of non-terminated pods targeted by this shard that have the desired spec.") }, { required: ["availableReplicas", "replicas", "shardID", "unavailableReplicas", "updatedReplicas"] }), ["shardID"]),
    shards: int("Shards is the most recently observed number of shards."),
    unavailableReplicas: int("Total number of unavailable pods targeted by this deployment."),
    updatedReplicas: int("Total number of non-terminated pods targeted by this deployment that have the desired version spec."),
  });
}

function version(name: string, storage: boolean, served: boolean): Schema {
  return {
    name,
    served,
    storage,
    ...(served ? {} : { deprecated: true, deprecationWarning: `monitoring.skylight.example/${name} MetricsServer is deprecated` }),
    additionalPrinterColumns: [
      { name: "Version", type: "string", jsonPath: ".spec.version", description: "The version of the server" },
      { name: "Desired", type: "integer", jsonPath: ".spec.replicas", description: "The number of desired replicas" },
      { name: "Ready", type: "integer", jsonPath: ".status.availableReplicas", description: "The number of ready replicas" },
      { name: "Reconciled", type: "string", jsonPath: ".status.conditions[?(@.type == 'Reconciled')].status" },
      { name: "Available", type: "string", jsonPath: ".status.conditions[?(@.type == 'Available')].status" },
      { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
      { name: "Paused", type: "boolean", jsonPath: ".status.paused", priority: 1 },
    ],
    schema: { openAPIV3Schema: obj("MetricsServer defines a metrics server deployment.", { apiVersion: str("APIVersion defines the versioned schema of this representation of an object."), kind: str("Kind is a string value representing the REST resource this object represents."), metadata: { type: "object" }, spec: specSchema(), status: statusSchema() }, { required: ["spec"] }) },
    subresources: { scale: { labelSelectorPath: ".status.selector", specReplicasPath: ".spec.shards", statusReplicasPath: ".status.shards" }, status: {} },
  };
}

const crd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "metricsservers.monitoring.skylight.example", annotations: { "skylight.example/generated-by": "scripts/generate-crd-testdata.ts" } },
  spec: {
    group: "monitoring.skylight.example",
    names: { categories: ["monitoring"], kind: "MetricsServer", listKind: "MetricsServerList", plural: "metricsservers", shortNames: ["ms"], singular: "metricsserver" },
    scope: "Namespaced",
    versions: [version("v1", true, true), version("v1beta1", false, true), version("v1alpha1", false, false)],
  },
};

const serverContainer = (name: string, image: string) => ({
  name,
  image,
  args: ["--config.file=/etc/metrics/config.yaml", "--storage.tsdb.path=/metrics", "--web.enable-lifecycle"],
  env: [{ name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } }, { name: "SHARD", value: "0" }, { name: "TOKEN", valueFrom: { secretKeyRef: { name: "tokens", key: "metrics" } } }],
  ports: [{ containerPort: 9090, name: "web" }, { containerPort: 9091, name: "reloader", protocol: "TCP" }],
  resources: { limits: { cpu: "2", memory: "4Gi" }, requests: { cpu: "500m", memory: "2Gi" } },
  livenessProbe: { httpGet: { path: "/-/healthy", port: "web", scheme: "HTTP" }, failureThreshold: 6, periodSeconds: 5, timeoutSeconds: 3 },
  readinessProbe: { httpGet: { path: "/-/ready", port: 9090 }, periodSeconds: 5 },
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
  volumeMounts: [{ mountPath: "/etc/metrics", name: "config", readOnly: true }, { mountPath: "/metrics", name: "data" }],
});

const object = {
  apiVersion: "monitoring.skylight.example/v1",
  kind: "MetricsServer",
  metadata: { name: "main", namespace: "monitoring", labels: { "app.kubernetes.io/name": "metrics-server" }, creationTimestamp: "2026-12-01T08:00:00Z" },
  spec: {
    version: "v3.1.0",
    image: "registry.example/metrics-server:v3.1.0",
    replicas: 2,
    shards: 2,
    retention: "15d",
    retentionSize: "40GiB",
    externalLabels: { cluster: "prod-1", region: "eu-west" },
    enableFeatures: ["exemplar-storage", "memory-snapshot-on-shutdown"],
    containers: [serverContainer("server", "registry.example/metrics-server:v3.1.0"), serverContainer("config-reloader", "registry.example/config-reloader:v0.9.0")],
    initContainers: [{ name: "init-config", image: "registry.example/config-reloader:v0.9.0", command: ["/bin/reloader", "--init"], resources: { requests: { cpu: "10m", memory: "16Mi" } } }],
    additionalArgs: [{ name: "scrape.discovery-reload-interval", value: "30s" }],
    additionalObjects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "extra-rules", labels: { role: "rules" } }, data: { "rules.yaml": "groups: []" } }],
    additionalScrapeConfigs: { jobs: [{ job_name: "node", static_configs: [{ targets: ["10.0.0.1:9100", "10.0.0.2:9100"] }], relabel: { deep: { deeper: { deepest: true } } } }] },
    affinity: {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "node-role.kubernetes.io/monitoring", operator: "Exists" }] }] } },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { "app.kubernetes.io/name": "metrics-server" } } } }] },
    },
    tolerations: [{ key: "dedicated", operator: "Equal", value: "monitoring", effect: "NoSchedule" }],
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { "app.kubernetes.io/name": "metrics-server" } } }],
    remoteWrite: Array.from({ length: 4 }, (_, index) => ({
      url: `https://remote-${index}.example/api/v1/write`,
      name: `remote-${index}`,
      basicAuth: { username: { name: "remote-auth", key: "username" }, password: { name: "remote-auth", key: "password" } },
      queueConfig: { capacity: 10000, maxShards: 50, batchSendDeadline: "5s" },
      writeRelabelConfigs: [{ sourceLabels: ["__name__"], regex: "go_.*", action: "drop" }, { sourceLabels: ["job", "instance"], separator: ";", targetLabel: "origin" }],
      tlsConfig: { insecureSkipVerify: false, ca: { configMap: { name: "ca", key: "ca.crt" } } },
    })),
    resources: { requests: { memory: "2Gi" } },
    ruleSelector: { matchLabels: { role: "alert-rules" } },
    securityContext: { fsGroup: 2000, runAsNonRoot: true, runAsUser: 1000 },
    serviceAccountName: "metrics-server",
    storage: { volumeClaimTemplate: { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data" }, spec: { storageClassName: "fast-ssd", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "50Gi" } } } } },
    volumes: [{ name: "config", configMap: { name: "metrics-config", items: [{ key: "config.yaml", path: "config.yaml" }] } }, { name: "tokens", projected: { sources: [{ serviceAccountToken: { path: "token", expirationSeconds: 3600 } }, { secret: { name: "tokens" } }] } }],
    web: { pageTitle: "Metrics", tlsConfig: { minVersion: "TLS12" } },
  },
  status: {
    availableReplicas: 2,
    replicas: 2,
    shards: 2,
    selector: "app.kubernetes.io/name=metrics-server",
    paused: false,
    conditions: [{ type: "Available", status: "True", lastTransitionTime: "2026-12-01T08:05:00Z" }, { type: "Reconciled", status: "True", lastTransitionTime: "2026-12-01T08:05:00Z", observedGeneration: 3 }],
    shardStatuses: [0, 1].map((shard) => ({ shardID: String(shard), replicas: 1, availableReplicas: 1, unavailableReplicas: 0, updatedReplicas: 1 })),
    extensions: { vendor: { anything: ["kept", { as: "written" }] } },
  },
};

const directory = path.join(import.meta.dirname, "../lib/kube/crd/testdata");
const header = "# Generated by scripts/generate-crd-testdata.ts; edit that script, not this file.\n";
writeFileSync(path.join(directory, "metricsservers.yaml"), header + stringify(crd, { lineWidth: 0 }));
writeFileSync(path.join(directory, "metricsserver.yaml"), header + stringify(object, { lineWidth: 0 }));
