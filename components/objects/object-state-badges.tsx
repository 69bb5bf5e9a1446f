// The state badges an object's header shows, chosen by kind.
import { HealthBadge, HostStateBadge, hostState, PodStatusBadge, PowerStateBadge, ReadyBadge } from "@/components/objects/state-badges";
import type { ObjectView } from "@/lib/inventory/object-view";
import { vmOverallStatus } from "@/lib/inventory/vm-overall-status";

type Condition = { type: string; status: string; reason?: string };

export function ObjectStateBadges({ object }: { object: Pick<ObjectView, "kind" | "status" | "podStatus"> }) {
  const conditions = object.status.conditions as Condition[] | undefined;
  const ready = conditions?.find((condition) => condition.type === "Ready")?.status;
  switch (object.kind) {
    case "VirtualMachine":
      return (
        <>
          <PowerStateBadge state={object.status.powerState as string | undefined} />
          <ReadyBadge ready={vmOverallStatus(conditions)} />
        </>
      );
    case "Host":
      return (
        <>
          <HostStateBadge state={hostState(object.status)} />
          <ReadyBadge ready={ready} />
        </>
      );
    case "Cluster":
      return <HealthBadge health={object.status.health as string | undefined} />;
    case "Pod":
      return <PodStatusBadge status={object.podStatus} />;
    default:
      return ready ? <ReadyBadge ready={ready} /> : null;
  }
}
