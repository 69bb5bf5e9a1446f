"use client";
// Datastore › Files, as the vSphere Client's datastore browser: its folders on the left (a VM's
// folder links to the VM), the chosen folder's files with size and type on the right. The chosen
// folder is kept in the URL (`?folder=`), so a view of a folder has a link.
import { useQuery } from "@tanstack/react-query";
import { File, FileCog, FileText, Folder, HardDrive, Layers } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import { formatBytes } from "@/components/objects/summary/summary-parts";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { DatastoreFile } from "@/lib/provider/provider";
import { datastoreFilesQuery } from "@/lib/queries/object-queries";
import { cn } from "@/lib/utils";

const FILE_ICONS: Record<DatastoreFile["type"], ReactNode> = {
  "Virtual disk": <HardDrive className="size-4" aria-hidden />,
  "Snapshot disk": <Layers className="size-4" aria-hidden />,
  "Snapshot memory": <Layers className="size-4" aria-hidden />,
  "VM configuration": <FileCog className="size-4" aria-hidden />,
  NVRAM: <FileCog className="size-4" aria-hidden />,
  Log: <FileText className="size-4" aria-hidden />,
  Other: <File className="size-4" aria-hidden />,
};

export function DatastoreFilesTab({ uid }: { uid: string }) {
  const { data, error } = useQuery(datastoreFilesQuery(uid));
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  if (error) return <p className="p-6 text-sm text-destructive">{error.message}</p>;
  if (!data) return <Skeleton className="m-6 h-64" aria-label="Loading the datastore's files" />;
  const chosen = data.folders.find((folder) => folder.name === search.get("folder")) ?? data.folders[0];
  const choose = (name: string) => router.replace(`${pathname}?folder=${encodeURIComponent(name)}`, { scroll: false });

  return (
    <div className="space-y-3 p-6">
      <p className="text-sm text-muted-foreground">
        {data.folders.length} {data.folders.length === 1 ? "folder" : "folders"}, {formatBytes(data.totalBytes)} in all on {data.datastore}.
      </p>
      {data.folders.length === 0 ? (
        <p className="text-sm">The datastore holds no files yet.</p>
      ) : (
        <div className="grid gap-4 lg:grid-cols-[minmax(16rem,22rem)_1fr]">
          <nav aria-label="Folders" className="max-h-[32rem] overflow-y-auto rounded-md border bg-surface">
            <ul>
              {data.folders.map((folder) => (
                <li key={folder.name}>
                  <button
                    type="button"
                    aria-current={folder === chosen ? "true" : undefined}
                    onClick={() => choose(folder.name)}
                    className={cn("flex w-full items-center gap-2 px-3 py-1.5 text-left text-sm hover:bg-accent", folder === chosen && "bg-accent font-medium")}
                  >
                    <Folder className="size-4 shrink-0 text-muted-foreground" aria-hidden />
                    <span className="min-w-0 flex-1 truncate" title={folder.name}>{folder.name}</span>
                    <span className="shrink-0 text-xs tabular-nums text-muted-foreground">{formatBytes(folder.sizeBytes)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          {chosen && (
            <section aria-label={`Files in ${chosen.name}`} className="min-w-0 space-y-2">
              <h2 className="flex flex-wrap items-center gap-x-2 text-sm font-medium">
                <Folder className="size-4 text-muted-foreground" aria-hidden /> [{data.datastore}] {chosen.name}
                {chosen.vm && (
                  <span className="font-normal text-muted-foreground">
                    — files of VM{" "}
                    <Link href={`/objects/${chosen.vm.uid}`} className="text-primary underline-offset-4 hover:underline">
                      {chosen.vm.namespace}/{chosen.vm.name}
                    </Link>
                  </span>
                )}
              </h2>
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Name</TableHead>
                    <TableHead className="text-right">Size</TableHead>
                    <TableHead>Type</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {chosen.files.map((file) => (
                    <TableRow key={file.name}>
                      <TableCell>
                        <span className="inline-flex items-center gap-2">
                          <span className="text-muted-foreground">{FILE_ICONS[file.type]}</span>
                          {file.name}
                        </span>
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{formatBytes(file.sizeBytes)}</TableCell>
                      <TableCell>{file.type}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </section>
          )}
        </div>
      )}
    </div>
  );
}
