// Where this host mounts each of its datastores: the agent's `--datastore NAME=DIR` flags, and a
// bare `--datastore DIR` for the host's default datastore, whose name only Skylight knows (its
// machine list names the host's datastores, default first). A VM's files are in
// `<dir>/vms/<id>/` and an image's in `<dir>/images/<image>/` of the datastore they are on.
import { statfs } from "node:fs/promises";
import type { DatastoreReport } from "@/lib/spherelet/machine-protocol";

export interface MountedDatastore {
  name: string;
  dir: string;
}

const GIB = 1024 ** 3;

export class DatastoreDirs {
  /** Skylight's datastores for this host, its default one first; null until the first machine list. */
  private listed: string[] | null = null;

  constructor(
    /** A bare --datastore DIR: the directory of whichever datastore is the host's default. */
    private readonly defaultDir: string | null,
    /** --datastore NAME=DIR, by name. */
    private readonly named: Record<string, string> = {},
  ) {}

  /** Skylight's list of the host's datastores, default first; answers the names this host has no directory for. */
  configure(names: string[]): string[] {
    this.listed = names;
    return names.filter((name) => this.find(name) === undefined);
  }

  /** Names given a directory here that Skylight does not list for this host (their files are left alone). */
  unlisted(): string[] {
    return this.listed ? Object.keys(this.named).filter((name) => !this.listed!.includes(name)) : [];
  }

  private find(name: string): string | undefined {
    if (Object.hasOwn(this.named, name)) return this.named[name];
    return this.listed?.[0] === name ? (this.defaultDir ?? undefined) : undefined;
  }

  /** The directory of the datastore; an error that says how to mount it when this host has none. */
  dirOf(name: string): string {
    const dir = this.find(name);
    if (dir === undefined) throw new Error(`Datastore ${name} is not mounted on this host: start its agent with --datastore ${name}=DIR, DIR being where the datastore is mounted.`);
    return dir;
  }

  /** Every datastore of this host it has a directory for (until Skylight lists them, those named on the command line). */
  mounted(): MountedDatastore[] {
    const names = this.listed ?? Object.keys(this.named);
    return names.flatMap((name) => {
      const dir = this.find(name);
      return dir === undefined ? [] : [{ name, dir }];
    });
  }

  /** Each mounted datastore's size and space used, as statfs measures its directory; null until Skylight has named them. */
  async report(): Promise<DatastoreReport | null> {
    if (!this.listed) return null;
    const datastores = await Promise.all(
      this.mounted().map(async ({ name, dir }) => {
        const { blocks, bfree, bsize } = await statfs(dir);
        return { name, capacityGiB: (blocks * bsize) / GIB, usedGiB: ((blocks - bfree) * bsize) / GIB };
      }),
    );
    return { datastores };
  }
}
