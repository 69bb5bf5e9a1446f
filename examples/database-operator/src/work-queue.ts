// A deduplicating queue of instance names, worked one at a time: a name added while it waits is
// worked once; one added while it is being worked is worked again after.
export class WorkQueue {
  private readonly waiting = new Set<string>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private wake: (() => void) | undefined;

  add(name: string) {
    this.waiting.add(name);
    this.wake?.();
  }

  addAfter(name: string, ms: number) {
    clearTimeout(this.delayed.get(name));
    this.delayed.set(name, setTimeout(() => (this.delayed.delete(name), this.add(name)), ms));
  }

  /** Works names until `signal` aborts. */
  async run(work: (name: string) => Promise<void>, signal: AbortSignal) {
    signal.addEventListener("abort", () => this.wake?.(), { once: true });
    while (!signal.aborted) {
      const next = this.waiting.values().next();
      if (next.done) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      this.waiting.delete(next.value);
      await work(next.value);
    }
    for (const timer of this.delayed.values()) clearTimeout(timer);
  }
}
