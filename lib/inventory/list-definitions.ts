// The inventory lists the console shows (VMs, hosts, clusters, datastores, networks, and a
// namespace's pods, Deployments and ReplicaSets): their
// columns, and the URL search params that drive filtering, sorting and paging. Shared by the
// server (which turns them into SQL) and the browser (which renders headers and the URL).
import { z } from "zod";

export const LIST_NAMES = ["vms", "hosts", "clusters", "datastores", "networks", "pods", "deployments", "replicasets"] as const;
export type ListName = (typeof LIST_NAMES)[number];

export interface ColumnDefinition {
  id: string;
  label: string;
  sortable: boolean;
  /** Shown until the user chooses otherwise in the column chooser. */
  defaultVisible: boolean;
  numeric?: boolean;
  /** The unit of a numeric value, named in an exported CSV's header. */
  unit?: "MiB" | "GiB" | "seconds";
}

const column = (id: string, label: string, options: Partial<Omit<ColumnDefinition, "id" | "label">> = {}): ColumnDefinition => ({
  id,
  label,
  sortable: true,
  defaultVisible: true,
  ...options,
});

export const LIST_COLUMNS: Record<ListName, ColumnDefinition[]> = {
  vms: [
    column("name", "Name"),
    column("powerState", "State"),
    column("status", "Status", { sortable: false }),
    column("host", "Host"),
    column("cluster", "Cluster"),
    column("namespace", "Namespace"),
    column("ip", "IP Address"),
    column("className", "VM Class"),
    column("image", "Image", { defaultVisible: false }),
    column("cpus", "CPUs", { numeric: true }),
    column("memoryMiB", "Memory", { numeric: true, unit: "MiB" }),
    column("diskGiB", "Provisioned Space", { numeric: true, unit: "GiB", defaultVisible: false }),
    column("datastore", "Datastore", { defaultVisible: false }),
    column("created", "Created", { defaultVisible: false }),
  ],
  hosts: [
    column("name", "Name"),
    column("state", "State"),
    column("status", "Status", { sortable: false }),
    column("cluster", "Cluster"),
    column("vms", "VMs", { numeric: true }),
    column("cpuCores", "CPU Cores", { numeric: true }),
    column("memoryMiB", "Memory", { numeric: true, unit: "MiB" }),
    column("managementIP", "Management IP"),
    column("version", "ESXi Version", { defaultVisible: false }),
  ],
  clusters: [
    column("name", "Name"),
    column("health", "Health"),
    column("datacenter", "Datacenter"),
    column("hosts", "Hosts", { numeric: true }),
    column("vms", "VMs", { numeric: true }),
    column("drs", "vSphere DRS"),
    column("ha", "vSphere HA"),
  ],
  datastores: [
    column("name", "Name"),
    column("type", "Type"),
    column("datacenter", "Datacenter"),
    column("capacityGiB", "Capacity", { numeric: true, unit: "GiB" }),
    column("freeGiB", "Free", { numeric: true, unit: "GiB" }),
    column("hosts", "Hosts", { numeric: true }),
  ],
  networks: [
    column("name", "Name"),
    column("portGroup", "Port Group"),
    column("vlanId", "VLAN ID", { numeric: true }),
    column("datacenter", "Datacenter"),
  ],
  // The columns `kubectl get pods -o wide` prints, as it computes them.
  pods: [
    column("name", "Name"),
    column("podStatus", "Status"),
    column("ready", "Ready", { sortable: false }),
    column("restarts", "Restarts", { numeric: true }),
    column("node", "Node"),
    column("podIP", "IP"),
    column("namespace", "Namespace", { defaultVisible: false }),
    column("age", "Age", { unit: "seconds" }),
  ],
  // `kubectl get deployments -o wide`: READY, UP-TO-DATE, AVAILABLE, IMAGES.
  deployments: [
    column("name", "Name"),
    column("ready", "Ready", { sortable: false }),
    column("upToDate", "Up-to-date", { numeric: true }),
    column("available", "Available", { numeric: true }),
    column("images", "Images", { sortable: false }),
    column("age", "Age", { unit: "seconds" }),
  ],
  replicasets: [
    column("name", "Name"),
    column("desired", "Desired", { numeric: true }),
    column("current", "Current", { numeric: true }),
    column("readyReplicas", "Ready", { numeric: true }),
    column("images", "Images", { sortable: false }),
    column("age", "Age", { unit: "seconds" }),
  ],
};

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;
export const VM_POWER_FILTERS = ["PoweredOn", "PoweredOff", "Suspended"] as const;

const firstValue = (value: unknown) => (Array.isArray(value) ? value[0] : value);

/** The rules each filter and sort param must keep; the list page forgives a broken one, an export refuses it. */
export function listParamRules(list: ListName) {
  const sortable = LIST_COLUMNS[list].filter((candidate) => candidate.sortable).map((candidate) => candidate.id);
  return {
    q: z.string().trim().max(200),
    sort: z.string().refine((value) => sortable.includes(value), `must be one of ${sortable.join(", ")}`),
    dir: z.enum(["asc", "desc"]),
    power: z.enum(VM_POWER_FILTERS),
    namespace: z.string().max(63),
    /** A tag by id, `Category:Tag` or tag name (lib/inventory/tag-filter-sql.ts). */
    tag: z.string().trim().min(1, "must name a tag").max(200, "must be at most 200 characters"),
  };
}

/** Search params as they arrive in a URL; anything unknown or malformed falls back to the default. */
export function parseListParams(list: ListName, raw: Record<string, string | string[] | undefined>) {
  const rules = listParamRules(list);
  const schema = z.object({
    q: rules.q.catch("").default(""),
    sort: rules.sort.catch("name").default("name"),
    dir: rules.dir.catch("asc").default("asc"),
    page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
    size: z.coerce.number().refine((value) => (PAGE_SIZES as readonly number[]).includes(value)).catch(DEFAULT_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
    power: rules.power.optional().catch(undefined),
    namespace: rules.namespace.optional().catch(undefined),
    tag: rules.tag.optional().catch(undefined),
  });
  return schema.parse(Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, firstValue(value)])));
}

export type ListParams = ReturnType<typeof parseListParams>;

/** The URL search string for params, leaving out defaults so links stay short. */
export function listSearchString(params: ListParams): string {
  const search = new URLSearchParams();
  if (params.q) search.set("q", params.q);
  if (params.sort !== "name") search.set("sort", params.sort);
  if (params.dir !== "asc") search.set("dir", params.dir);
  if (params.page !== 1) search.set("page", String(params.page));
  if (params.size !== DEFAULT_PAGE_SIZE) search.set("size", String(params.size));
  if (params.power) search.set("power", params.power);
  if (params.namespace) search.set("namespace", params.namespace);
  if (params.tag) search.set("tag", params.tag);
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** The object a list is scoped to ("the VMs of this host"), or none for the whole inventory. */
export interface ListScope {
  uid: string;
}

export interface ListRow {
  uid: string;
  name: string;
  /** Cell values by column id. */
  cells: Record<string, string | number | null>;
  /** Uids of objects named in cells, by column id, for links. */
  links: Record<string, string>;
}

export interface ListPage {
  rows: ListRow[];
  total: number;
  page: number;
  size: number;
}
