// What the pod runtime asks of whatever runs one container: runc here (runc-engine.ts), or the
// crx RuntimeClass's microVM. An engine keeps nothing in memory that it cannot find again on disk:
// an agent restarted while containers run asks `observe` and gets the same answers.
export interface ContainerLaunch {
  podUid: string;
  container: string;
  /** The container's directory (pod-files.ts containerBundleDir), with the image unpacked in `rootfs/`. */
  bundleDir: string;
  process: { args: string[]; env: string[]; cwd: string };
  cpuMillis: number | null;
  memoryBytes: number | null;
  /** This run's log file, in the CRI format of pod-files.ts. */
  logFile: string;
  /** The pod's network namespace, `/run/netns/<name>`. */
  netnsPath: string;
  hostname: string;
  /** emptyDir volumes: a directory of the pod's, bound at a path in the container. */
  binds: { source: string; destination: string; readOnly: boolean }[];
  /** A FIFO for the container's stdin (kubectl attach), or null. */
  stdinFifo: string | null;
}

export type ContainerObservation =
  | { state: "running" }
  | { state: "exited"; exitCode: number; finishedAt: string; oomKilled: boolean }
  /** Nothing runs and no exit was recorded: never started, or already removed. */
  | { state: "absent" };

export interface ContainerEngine {
  /** Starts the container; it runs on without the agent. */
  start(launch: ContainerLaunch): Promise<void>;
  observe(podUid: string, container: string, bundleDir: string): Promise<ContainerObservation>;
  /** SIGTERM, then SIGKILL after the grace period; resolves once the container has ended. */
  stop(podUid: string, container: string, bundleDir: string, graceSeconds: number): Promise<void>;
  /** Forgets an ended container (its runtime state); the bundle's files are the runtime's to remove. */
  remove(podUid: string, container: string, bundleDir: string): Promise<void>;
}
