// A leader-election candidate as a process of its own, as an operator runs, for the test that kills
// the leader with -9: `node --import tsx lib/testing/leader-candidate-process.ts KUBECONFIG
// NAMESPACE LEASE IDENTITY LEASE_SECONDS RETRY_MS` runs lease-elector.ts against the API the
// kubeconfig names and prints {"identity","leader","at"} as a JSON line whenever it becomes or
// stops being the leader, until it is killed.
import { elector, leaseApi } from "@/lib/testing/lease-elector";

const [kubeconfig, namespace, name, identity, leaseSeconds, retryMs] = process.argv.slice(2);
elector({
  identity: identity!,
  api: leaseApi(kubeconfig!),
  namespace: namespace!,
  name: name!,
  leaseSeconds: Number(leaseSeconds),
  retryMs: Number(retryMs),
  onChange: (leader) => process.stdout.write(`${JSON.stringify({ identity, leader, at: Date.now() })}\n`),
});
