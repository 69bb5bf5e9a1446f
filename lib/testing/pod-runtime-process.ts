// An agent's pod runtime alone, as a process the pod runtime's test can kill with -9:
// `node --import tsx lib/testing/pod-runtime-process.ts RUN_DIR POD_CIDR IMAGE_LAYOUT PODS_JSON`
// runs the pods (their images from the layout, as repository dev/busybox), prints each pod's
// report as a JSON line whenever it changes, and runs until it is killed.
import path from "node:path";
import { PodImages } from "@/lib/spherelet/agent/pod-images";
import { PodRuntime } from "@/lib/spherelet/agent/pod-runtime";
import { layoutRegistry } from "@/lib/testing/oci-layout-registry";
import type { HostPod } from "@/lib/spherelet/pod-protocol";

const [runDir, podCidr, layout, podsJson] = process.argv.slice(2);
const runtime = new PodRuntime({
  runDir: runDir!,
  podCidr: podCidr!,
  images: new PodImages(path.join(runDir!, "pod-images"), layoutRegistry({ "dev/busybox": layout! })),
  log: () => undefined,
  tickMs: 200,
});
runtime.onChange((uid) => process.stdout.write(`${JSON.stringify({ uid, report: runtime.report(uid) })}\n`));
await runtime.sync(JSON.parse(podsJson!) as HostPod[]);
// The runtime's own timer does not hold a process open (an agent's loops do): this one lives until it is killed.
setInterval(() => undefined, 60_000);
