// The database operator's process: reads its kubeconfig (a Skylight service account's), competes
// for the leader Lease in its namespace, and runs the PostgresInstance controller while it leads.
// Start two for availability: one leads, the other takes over when it goes.
import os from "node:os";
import { parseArgs } from "node:util";
import * as k8s from "@kubernetes/client-node";
import { InstanceController } from "./controller.js";
import { eventRecorder } from "./events.js";
import { LeaderElector } from "./leader-election.js";

const USAGE = `Usage: npm start -- [--kubeconfig FILE] [--namespace NS] [--storage-class NAME] [--image NAME]
  --kubeconfig      the service account's kubeconfig (default: $KUBECONFIG, then ~/.kube/config)
  --namespace       the namespace whose PostgresInstances it runs (default: the kubeconfig context's)
  --storage-class   the storage class of instances that name none
  --image           the VirtualMachineImage members are deployed from (default: ubuntu-24.04-server)
  --identity        this process's name in the leader Lease (default: host name and pid)
  --lease-seconds   how long a silent leader keeps the Lease (default: 15)`;

const { values } = parseArgs({
  options: {
    kubeconfig: { type: "string" },
    namespace: { type: "string" },
    "storage-class": { type: "string" },
    image: { type: "string", default: "ubuntu-24.04-server" },
    identity: { type: "string", default: `${os.hostname()}-${process.pid}` },
    "lease-seconds": { type: "string", default: "15" },
    help: { type: "boolean", default: false },
  },
});

const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const config = new k8s.KubeConfig();
if (values.kubeconfig) config.loadFromFile(values.kubeconfig);
else config.loadFromDefault();
const namespace = values.namespace ?? config.getContextObject(config.getCurrentContext())?.namespace;
if (!namespace) fail("No namespace: pass --namespace or use a kubeconfig whose context names one.");
const leaseSeconds = Number(values["lease-seconds"]);
if (!Number.isInteger(leaseSeconds) || leaseSeconds < 1 || leaseSeconds > 300) fail("--lease-seconds must be a whole number from 1 to 300.");

const identity = values.identity;
const record = eventRecorder(config.makeApiClient(k8s.CoreV1Api), identity, log);
const elector = new LeaderElector({
  api: config.makeApiClient(k8s.CoordinationV1Api),
  namespace,
  name: "database-operator",
  identity,
  leaseDurationSeconds: leaseSeconds,
  // client-go's proportions: renew well inside the lease, retry often.
  renewDeadlineMs: leaseSeconds * 666,
  retryPeriodMs: Math.max(200, leaseSeconds * 133),
  onNewLeader: (holder) => holder !== identity && log(`leader is ${holder}`),
  log,
  onStartedLeading: (signal) => {
    const controller = new InstanceController({ config, namespace, defaults: { image: values.image, storageClass: values["storage-class"] }, record, log, retryMs: 15_000 });
    controller.run(signal).catch((error: unknown) => {
      log(`controller stopped: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
  },
});

const shutdown = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => shutdown.abort());
log(`database operator ${identity} watching namespace ${namespace}`);
await elector.run(shutdown.signal);
log("stopped");
process.exit(0);
