// What an alarm definition can watch: a performance metric compared with thresholds, a state of
// the object, or an event that happened to it. Shared by the evaluator (lib/engine/alarm-evaluator.ts),
// the definitions' validation and the Administration form.
export type AlarmObjectKind = "Host" | "VirtualMachine" | "Cluster" | "Datastore" | "Namespace";

export type AlarmMetricType = "percent" | "state" | "event";

export interface AlarmMetric {
  id: string;
  label: string;
  type: AlarmMetricType;
  kinds: readonly AlarmObjectKind[];
  /** For events: the event reason that triggers it. */
  eventReason?: string;
}

export const ALARM_METRICS: readonly AlarmMetric[] = [
  { id: "cpu.usage", label: "CPU usage (%)", type: "percent", kinds: ["Host", "VirtualMachine", "Cluster"] },
  { id: "mem.usage", label: "Memory usage (%)", type: "percent", kinds: ["Host", "VirtualMachine", "Cluster"] },
  { id: "disk.used", label: "Disk space used (%)", type: "percent", kinds: ["Datastore"] },
  { id: "namespace.limitUsage", label: "Usage of its CPU, memory or storage limit (%)", type: "percent", kinds: ["Namespace"] },
  { id: "host.notResponding", label: "Connection state is Not responding", type: "state", kinds: ["Host"] },
  { id: "host.disconnected", label: "Connection state is Disconnected", type: "state", kinds: ["Host"] },
  { id: "host.maintenance", label: "In maintenance mode", type: "state", kinds: ["Host"] },
  { id: "vm.poweredOff", label: "Power state is Powered off", type: "state", kinds: ["VirtualMachine"] },
  { id: "cluster.ruleViolated", label: "A VM/Host rule is violated", type: "state", kinds: ["Cluster"] },
  { id: "event.haFailover", label: "vSphere HA restarted a VM", type: "event", kinds: ["Cluster"], eventReason: "HA.restartedVirtualMachine" },
  {
    id: "event.vmPoweredOffUnexpectedly",
    label: "Powered off outside Skylight",
    type: "event",
    kinds: ["VirtualMachine"],
    eventReason: "VirtualMachine.driftRepaired",
  },
];

export const ALARM_OBJECT_KINDS: readonly AlarmObjectKind[] = ["Host", "VirtualMachine", "Cluster", "Datastore", "Namespace"];

export function alarmMetric(id: string): AlarmMetric | undefined {
  return ALARM_METRICS.find((metric) => metric.id === id);
}

export type AlarmStatus = "green" | "yellow" | "red";

export const ALARM_STATUS_LABELS: Record<AlarmStatus, string> = { green: "Normal", yellow: "Warning", red: "Critical" };
