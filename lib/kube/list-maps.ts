// The lists vm-operator v1alpha3 declares x-kubernetes-list-type: map (+listType=map), and core v1
// PodSpec's lists with a patch merge key (in a pod and in a workload's pod template), with their keys. A strategic merge patch and a
// server-side apply merge such a list item by item, matched by key, instead of replacing it; every
// other list is atomic. OpenAPI publishes the same marks.
// core v1 PodSpec's patch merge keys, as kube's strategic merge patch uses them.
const POD_SPEC_LISTS: Record<string, readonly string[]> = {
  containers: ["name"],
  "containers.env": ["name"],
  "containers.ports": ["containerPort"],
  "containers.volumeMounts": ["mountPath"],
  volumes: ["name"],
};
/** The same lists under a prefix: a pod's spec, or a Deployment's or ReplicaSet's pod template. */
const podSpecLists = (prefix: string) => Object.fromEntries(Object.entries(POD_SPEC_LISTS).map(([path, keys]) => [`${prefix}.${path}`, keys]));

const LIST_MAPS: Record<string, Record<string, readonly string[]>> = {
  Pod: podSpecLists("spec"),
  Deployment: podSpecLists("spec.template.spec"),
  ReplicaSet: podSpecLists("spec.template.spec"),
  VirtualMachine: {
    "spec.volumes": ["name"],
    "spec.network.interfaces": ["name"],
    "spec.cdrom": ["name"],
  },
};

/** The keys of the list at `path` (object fields only, no list items), or undefined for an atomic list. */
export function listMapKeys(kind: string, path: readonly string[]): readonly string[] | undefined {
  // Own properties only: a client's field named "hasOwnProperty" must not find Object.prototype's.
  const lists = Object.hasOwn(LIST_MAPS, kind) ? LIST_MAPS[kind]! : {};
  const field = path.join(".");
  return Object.hasOwn(lists, field) ? lists[field] : undefined;
}

/** An item's key values, as managedFields names them: k:{"name":"data"}. */
export function itemKey(keys: readonly string[], item: unknown): string | undefined {
  if (!item || typeof item !== "object" || Array.isArray(item)) return undefined;
  const values = keys.map((key) => [key, (item as Record<string, unknown>)[key]] as const);
  if (values.some(([, value]) => value === undefined)) return undefined;
  return `k:${JSON.stringify(Object.fromEntries(values))}`;
}
