// The agent's side of the pod routes of lib/spherelet/pod-protocol.ts: each list of the host's pods
// the long poll brings is handed to the PodRuntime (one sync at a time, the latest list next, so a
// slow image pull never holds up the poll), and each pod's report is PUT when it changes
// (one PUT per pod at a time; a change while one is under way sends the latest after it) and at
// least every USAGE_REPORT_MS while the pod runs, for its CPU and memory figures.
import { ApiError, type SkylightApi } from "@/lib/spherelet/agent/skylight-api";
import type { RegistryGet } from "@/lib/spherelet/agent/pod-images";
import type { PodRuntime } from "@/lib/spherelet/agent/pod-runtime";
import { SPHERELET_PATH_PREFIX } from "@/lib/spherelet/machine-protocol";
import { PODS_PATH_SEGMENT, type HostPod, type PodList } from "@/lib/spherelet/pod-protocol";

export const USAGE_REPORT_MS = 20_000;

export class PodWorkers {
  private readonly sending = new Map<string, { again: boolean }>();
  /** Pods the server no longer has (404): not reported again until it lists them. */
  private readonly gone = new Set<string>();
  private readonly stopListening: () => void;
  private listed: HostPod[] = [];
  private next: HostPod[] | null = null;
  private syncing: Promise<void> | null = null;

  constructor(
    private readonly api: SkylightApi,
    private readonly host: string,
    private readonly runtime: PodRuntime,
    private readonly log: (message: string) => void,
  ) {
    this.stopListening = runtime.onChange((uid) => this.report(uid));
  }

  /** The server's whole list of this host's pods. */
  update(list: PodList): void {
    for (const pod of list.pods) this.gone.delete(pod.uid);
    this.listed = list.pods;
    this.next = list.pods;
    this.syncing ??= (async () => {
      while (this.next) {
        const pods = this.next;
        this.next = null;
        await this.runtime.sync(pods).catch((error: Error) => this.log(`running the host's pods: ${error.message}`));
      }
    })().finally(() => (this.syncing = null));
  }

  /** The periodic report of every listed pod, for its usage. */
  reportAll(): void {
    for (const pod of this.listed) this.report(pod.uid);
  }

  /** Waits for the sync under way; the pods run on. */
  async stop(): Promise<void> {
    this.stopListening();
    await this.syncing;
    await this.runtime.close();
  }

  private report(uid: string): void {
    const sending = this.sending.get(uid);
    if (sending) {
      sending.again = true;
      return;
    }
    const state = { again: false };
    this.sending.set(uid, state);
    void (async () => {
      do {
        state.again = false;
        const report = this.runtime.report(uid);
        if (!report || this.gone.has(uid)) break;
        try {
          const response = await this.api.expect([204, 404], "PUT", `${SPHERELET_PATH_PREFIX}${encodeURIComponent(this.host)}/${PODS_PATH_SEGMENT}/${encodeURIComponent(uid)}/status`, { body: report });
          if (response.status === 404) this.gone.add(uid);
        } catch (error) {
          this.log(`pod ${uid}: reporting its status failed: ${(error as Error).message}`);
        }
      } while (state.again);
    })().finally(() => this.sending.delete(uid));
  }
}

/** The registry's GETs through the agent's connection to Skylight, with the host's token: how its pods' images are pulled. */
export function skylightRegistry(api: SkylightApi): RegistryGet {
  return async (urlPath, accept) => {
    try {
      const response = await api.download(urlPath, { accept, timeoutMs: 60_000 });
      return { status: 200, contentType: String(response.headers["content-type"] ?? ""), body: response };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { status: error.status, contentType: "", body: (async function* () {})() };
    }
  };
}
