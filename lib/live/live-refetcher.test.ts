import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { live, type ChangeNotice } from "@/lib/live/live-dependencies";
import { createLiveRefetcher, type LiveRefetcher } from "@/lib/live/live-refetcher";

const notice = (uid: string): ChangeNotice => ({ source: "resources", kinds: ["Datastore"], uids: [uid], count: 1 });

/** A datastore "read" whose answer is the free space at the moment the read starts, and resolves when told. */
function datastoreReads() {
  let freeGiB = 100;
  const pending: (() => void)[] = [];
  return {
    set: (value: number) => (freeGiB = value),
    read: () => {
      const answer = freeGiB;
      return new Promise<number>((resolve) => pending.push(() => resolve(answer)));
    },
    finishAll: () => pending.splice(0).forEach((finish) => finish()),
    get inFlight() {
      return pending.length;
    },
  };
}

let refetcher: LiveRefetcher | undefined;
afterEach(() => refetcher?.stop());

describe("live refetcher", () => {
  it("reads again a query whose fetch was under way when a change it depends on arrived", async () => {
    const queryClient = new QueryClient();
    const reads = datastoreReads();
    const observer = new QueryObserver(queryClient, { queryKey: ["datastore", "ds-1"], queryFn: reads.read, meta: { live: [live.objects("Datastore")] } });
    const unsubscribe = observer.subscribe(() => undefined);
    refetcher = createLiveRefetcher(queryClient, 0);

    // The page's read starts, then the controller commits 40 GB free and its notice arrives.
    await vi.waitFor(() => expect(reads.inFlight).toBe(1));
    reads.set(40);
    refetcher.apply(notice("ds-1"));
    reads.finishAll();
    await vi.waitFor(() => expect(queryClient.getQueryData(["datastore", "ds-1"])).toBe(100));

    // The read that began before the commit is not the last word.
    await vi.waitFor(() => expect(reads.inFlight).toBe(1));
    reads.finishAll();
    await vi.waitFor(() => expect(queryClient.getQueryData(["datastore", "ds-1"])).toBe(40));
    unsubscribe();
  });

  it("refetches only the queries a notice touches", async () => {
    const queryClient = new QueryClient();
    const datastores = datastoreReads();
    const tasks = datastoreReads();
    const subscriptions = [
      new QueryObserver(queryClient, { queryKey: ["datastore"], queryFn: datastores.read, meta: { live: [live.objects("Datastore")] } }).subscribe(() => undefined),
      new QueryObserver(queryClient, { queryKey: ["tasks"], queryFn: tasks.read, meta: { live: [live.tasks()] } }).subscribe(() => undefined),
    ];
    refetcher = createLiveRefetcher(queryClient, 0);
    await vi.waitFor(() => expect(datastores.inFlight + tasks.inFlight).toBe(2));
    datastores.finishAll();
    tasks.finishAll();
    await vi.waitFor(() => expect(queryClient.getQueryData(["tasks"])).toBe(100));

    refetcher.apply(notice("ds-1"));
    await vi.waitFor(() => expect(datastores.inFlight).toBe(1));
    expect(tasks.inFlight).toBe(0);
    subscriptions.forEach((unsubscribe) => unsubscribe());
  });

  it("refetches a query that mounts on data read before a change it depends on, and reads a new query only once", async () => {
    const queryClient = new QueryClient();
    refetcher = createLiveRefetcher(queryClient, 0);
    // The server read the datastore at 100 GB free; the change to 40 arrives before the page mounts.
    const reads = datastoreReads();
    reads.set(40);
    refetcher.apply(notice("ds-1"));
    queryClient.setQueryData(["datastore", "ds-1"], 100);
    const options = { queryFn: reads.read, meta: { live: [live.objects("Datastore")] }, staleTime: 60_000 };
    const unsubscribe = new QueryObserver(queryClient, { ...options, queryKey: ["datastore", "ds-1"] }).subscribe(() => undefined);
    await vi.waitFor(() => expect(reads.inFlight).toBe(1));
    reads.finishAll();
    await vi.waitFor(() => expect(queryClient.getQueryData(["datastore", "ds-1"])).toBe(40));

    // A query with nothing cached reads as it mounts, and not again for the same notice.
    const unsubscribeNew = new QueryObserver(queryClient, { ...options, queryKey: ["datastore", "ds-2"] }).subscribe(() => undefined);
    await vi.waitFor(() => expect(reads.inFlight).toBe(1));
    reads.finishAll();
    await vi.waitFor(() => expect(queryClient.getQueryData(["datastore", "ds-2"])).toBe(40));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reads.inFlight).toBe(0);
    unsubscribe();
    unsubscribeNew();
  });
});
