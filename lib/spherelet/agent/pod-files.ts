// Where an agent keeps what it runs for a pod, in its host-local run directory: the runtime writes
// these, the kubelet endpoints (logs, exec, attach) read them. runc's state lives under the agent's
// own root, so two agents on one machine (as in the tests) never see each other's containers.
import path from "node:path";

export const podsDir = (runDir: string) => path.join(runDir, "pods");
export const podDir = (runDir: string, podUid: string) => path.join(podsDir(runDir), podUid);
/** The OCI bundle (config.json and rootfs/) of one container of the pod. */
export const containerBundleDir = (runDir: string, podUid: string, container: string) => path.join(podDir(runDir, podUid), "containers", container);

/**
 * A container's log, one file per run (restart), in the CRI log format kubelet writes:
 * `<RFC 3339 time with nanoseconds> <stdout|stderr> <F|P> <text>` per line.
 */
export const containerLogFile = (runDir: string, podUid: string, container: string, restartCount: number) =>
  path.join(podDir(runDir, podUid), "logs", container, `${restartCount}.log`);

/** The FIFO a container with `stdin: true` reads from, which attach writes to. */
export const containerStdinFifo = (runDir: string, podUid: string, container: string) => path.join(containerBundleDir(runDir, podUid, container), "stdin");

/** runc's --root for this agent's containers. */
export const runcRoot = (runDir: string) => path.join(runDir, "runc");

/** runc's id of a pod's container. */
export const runcContainerId = (podUid: string, container: string) => `${podUid}-${container}`;

/** The images the agent's pods were pulled from: an OCI image layout, one blob per digest. */
export const podImagesDir = (runDir: string) => path.join(runDir, "pod-images");

/** The entries of the agent's run directory that are the pods': the machines' side (one directory per VM) leaves them alone. */
export const POD_RUN_DIR_ENTRIES = new Set(["pods", "runc", "pod-images"]);
