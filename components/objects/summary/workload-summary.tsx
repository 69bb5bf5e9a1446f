// The Summary of a Deployment and of a ReplicaSet: replicas wanted and reached as kubectl counts
// them, the images its pods run, its selector and, for a Deployment, how it rolls out.
import { FactList, formatCount } from "@/components/objects/summary/summary-parts";
import { DateTime } from "@/components/ui/date-time";
import type { ObjectView } from "@/lib/inventory/object-view";

interface WorkloadSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string> };
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: string | number; maxUnavailable?: string | number } };
  template?: { spec?: { containers?: { name: string; image: string }[] } };
}

interface WorkloadStatus {
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
}

const images = (spec: WorkloadSpec) => (spec.template?.spec?.containers ?? []).map((container) => `${container.name}: ${container.image}`).join(", ") || "—";
const selector = (spec: WorkloadSpec) =>
  Object.entries(spec.selector?.matchLabels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(", ") || "—";

function strategy(spec: WorkloadSpec): string {
  const type = spec.strategy?.type ?? "RollingUpdate";
  if (type !== "RollingUpdate") return type;
  const rolling = spec.strategy?.rollingUpdate;
  return `RollingUpdate (max surge ${rolling?.maxSurge ?? "25%"}, max unavailable ${rolling?.maxUnavailable ?? "25%"})`;
}

export function WorkloadSummary({ object }: { object: ObjectView }) {
  const spec = object.spec as WorkloadSpec;
  const status = object.status as WorkloadStatus;
  const desired = spec.replicas ?? 1;
  const deployment = object.kind === "Deployment";
  return (
    <FactList
      title={deployment ? "Deployment Details" : "ReplicaSet Details"}
      facts={[
        ["Ready", `${formatCount(status.readyReplicas ?? 0)} of ${formatCount(desired)}`],
        ...(deployment
          ? ([
              ["Up-to-date", formatCount(status.updatedReplicas ?? 0)],
              ["Available", formatCount(status.availableReplicas ?? 0)],
              ["Strategy", strategy(spec)],
            ] as [string, string][])
          : ([["Current", formatCount(status.replicas ?? 0)]] as [string, string][])),
        ["Images", <span key="images" className="font-mono text-xs break-all">{images(spec)}</span>],
        ["Selector", <span key="selector" className="font-mono text-xs">{selector(spec)}</span>],
        ["Created", <DateTime key="created" value={object.creationTimestamp} />],
      ]}
    />
  );
}
