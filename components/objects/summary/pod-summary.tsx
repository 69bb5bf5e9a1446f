// A pod's Summary: its state as kubectl says it, where it runs, its QoS class and usage, and each
// container's image, state, restarts, last termination, requests and limits.
import { PodStatusBadge } from "@/components/objects/state-badges";
import { CapacityCard, FactList, formatMiB, ObjectLinkText, type CapacityFigure, type Fact } from "@/components/objects/summary/summary-parts";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { parseQuantity } from "@/lib/engine/pod-spec";
import type { ObjectView } from "@/lib/inventory/object-view";

interface ContainerSpec {
  name: string;
  image: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

interface Terminated {
  reason?: string;
  exitCode?: number;
  signal?: number;
  finishedAt?: string;
}

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: Terminated;
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

function termination(terminated: Terminated): string {
  const code = terminated.signal ? `signal ${terminated.signal}` : `exit code ${terminated.exitCode ?? 0}`;
  return `${terminated.reason ?? "Terminated"} (${code})`;
}

function ContainerStateText({ state }: { state: ContainerState | undefined }) {
  if (state?.running) {
    return (
      <span>
        Running since <DateTime value={state.running.startedAt} />
      </span>
    );
  }
  if (state?.waiting) return <span title={state.waiting.message}>Waiting: {state.waiting.reason ?? "—"}</span>;
  if (state?.terminated) return <span>{termination(state.terminated)}</span>;
  return <span className="text-muted-foreground">Not started</span>;
}

/** The pod's total limit of a resource in base units, or null unless every container states one. */
function totalLimit(containers: ContainerSpec[], resource: "cpu" | "memory"): number | null {
  const limits = containers.map((container) => parseQuantity(container.resources?.limits?.[resource] ?? ""));
  return limits.length > 0 && limits.every((limit) => limit !== null) ? limits.reduce<number>((sum, limit) => sum + limit!, 0) : null;
}

/** What the pod uses, as its host last measured it, against its limits. */
function UsageCard({ object, containers }: { object: ObjectView; containers: ContainerSpec[] }) {
  const cpuLimit = totalLimit(containers, "cpu");
  const memoryLimit = totalLimit(containers, "memory");
  const measured = object.stats.cpuMillicores !== undefined;
  const figures: CapacityFigure[] = [];
  if (measured && cpuLimit !== null) figures.push({ label: "CPU", used: object.stats.cpuMillicores!, capacity: Math.round(cpuLimit * 1000), format: (value) => `${value}m` });
  if (measured && memoryLimit !== null) figures.push({ label: "Memory", used: object.stats.memoryMiB ?? 0, capacity: Math.round(memoryLimit / 2 ** 20), format: formatMiB });
  const note = !measured
    ? "Not measured yet: its host reports usage once the pod runs."
    : figures.length < 2
      ? `Using CPU ${object.stats.cpuMillicores}m and memory ${formatMiB(object.stats.memoryMiB ?? 0)}; without a limit on ${cpuLimit === null && memoryLimit === null ? "CPU and memory" : cpuLimit === null ? "CPU" : "memory"} it may use what its host has free.`
      : undefined;
  return <CapacityCard title="Usage against Limits" figures={figures} note={note} />;
}

const quantities = (list: Record<string, string> | undefined) =>
  list && Object.keys(list).length > 0 ? Object.entries(list).map(([name, value]) => `${name} ${value}`).join(", ") : "—";

export function PodSummary({ object }: { object: ObjectView }) {
  const status = object.status as { podIP?: string; hostIP?: string; qosClass?: string; startTime?: string; message?: string; containerStatuses?: ContainerStatus[] };
  const spec = object.spec as { containers?: ContainerSpec[]; restartPolicy?: string; nodeName?: string };
  const statuses = new Map((status.containerStatuses ?? []).map((entry) => [entry.name, entry]));
  const containers = spec.containers ?? [];
  return (
    <>
      <FactList
        title="Pod Details"
        facts={[
          ["Status", <PodStatusBadge key="status" status={object.podStatus} />],
          ...(status.message ? [["Message", status.message] as Fact] : []),
          ["Node", spec.nodeName ? <ObjectLinkText key="node" link={object.related.host} fallback={spec.nodeName} /> : "Not scheduled yet"],
          ["Pod IP", <span key="ip" className="font-mono text-xs">{status.podIP ?? "—"}</span>],
          ["Host IP", <span key="host-ip" className="font-mono text-xs">{status.hostIP ?? "—"}</span>],
          ["QoS class", status.qosClass ?? "—"],
          ["Restart policy", spec.restartPolicy ?? "Always"],
          ["Started", <DateTime key="started" value={status.startTime} />],
          ["Created", <DateTime key="created" value={object.creationTimestamp} />],
        ]}
      />
      <UsageCard object={object} containers={containers} />
      <Card className="xl:col-span-2">
        <CardHeader>
          <CardTitle className="text-sm">Containers</CardTitle>
        </CardHeader>
        <CardContent>
          <Table aria-label="Containers">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Image</TableHead>
                <TableHead>State</TableHead>
                <TableHead className="text-right">Restarts</TableHead>
                <TableHead>Last termination</TableHead>
                <TableHead>Requests</TableHead>
                <TableHead>Limits</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {containers.map((container) => {
                const current = statuses.get(container.name);
                const last = current?.lastState?.terminated;
                return (
                  <TableRow key={container.name}>
                    <TableCell className="font-medium">{container.name}</TableCell>
                    <TableCell className="font-mono text-xs break-all">{container.image}</TableCell>
                    <TableCell>
                      <ContainerStateText state={current?.state} />
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{current?.restartCount ?? 0}</TableCell>
                    <TableCell>
                      {last ? (
                        <span>
                          {termination(last)}, <DateTime value={last.finishedAt} />
                        </span>
                      ) : (
                        <span className="text-muted-foreground">—</span>
                      )}
                    </TableCell>
                    <TableCell className="text-xs">{quantities(container.resources?.requests)}</TableCell>
                    <TableCell className="text-xs">{quantities(container.resources?.limits)}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </>
  );
}
