// Administration › Extensions: the installed CustomResourceDefinitions, as `kubectl get crd` would
// list them with what an administrator asks next: is it served, how many objects, is anything
// looking after them.
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ExtensionRow } from "@/lib/inventory/extension-reads";

function Versions({ versions }: { versions: ExtensionRow["versions"] }) {
  return (
    <div className="flex flex-wrap gap-1">
      {versions.map((version) => (
        <Badge
          key={version.name}
          variant={version.storage ? "default" : "outline"}
          title={`${version.name}: ${version.served ? "served" : "not served"}${version.storage ? ", the version objects are stored in" : ""}`}
        >
          {version.name}
          {!version.served && " (not served)"}
        </Badge>
      ))}
    </div>
  );
}

export function ExtensionsTable({ extensions }: { extensions: ExtensionRow[] }) {
  if (extensions.length === 0) {
    return (
      <div className="rounded-lg border border-border bg-surface p-6 text-sm text-muted-foreground">
        No CustomResourceDefinitions are installed. An administrator installs one with <code className="font-mono">kubectl apply -f crd.yaml</code>; its kind is then
        served by the Kubernetes API and its objects show under their namespaces here.
      </div>
    );
  }
  return (
    <div className="overflow-hidden rounded-lg border border-border bg-surface">
      <Table aria-label="Extensions">
        <TableHeader>
          <TableRow>
            <TableHead className="px-3">Kind</TableHead>
            <TableHead className="px-3">Group</TableHead>
            <TableHead className="px-3">Versions</TableHead>
            <TableHead className="px-3">Scope</TableHead>
            <TableHead className="px-3">State</TableHead>
            <TableHead className="px-3 text-right">Objects</TableHead>
            <TableHead className="px-3">Controller</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {extensions.map((extension) => (
            <TableRow key={extension.uid} className="h-11">
              <TableCell className="px-3">
                <div className="font-medium">{extension.kind}</div>
                <div className="font-mono text-xs text-muted-foreground">{extension.name}</div>
              </TableCell>
              <TableCell className="px-3 font-mono text-xs">{extension.group}</TableCell>
              <TableCell className="px-3">
                <Versions versions={extension.versions} />
              </TableCell>
              <TableCell className="px-3">{extension.scope}</TableCell>
              <TableCell className="px-3">
                <Badge variant={extension.state.established ? "success" : "warning"} className="max-w-72 truncate" title={extension.state.text}>
                  {extension.state.text}
                </Badge>
              </TableCell>
              <TableCell className="px-3 text-right tabular-nums">{extension.objects.toLocaleString("en-US")}</TableCell>
              <TableCell className="px-3 whitespace-normal">
                {extension.controllers.length === 0 ? (
                  <span className="text-muted-foreground">None seen</span>
                ) : (
                  <ul className="space-y-1">
                    {extension.controllers.map((controller) => (
                      <li key={`${controller.who}/${controller.how}`} className="flex flex-wrap items-center gap-x-1.5 text-sm">
                        <Badge variant="success">Active</Badge>
                        <span className="font-medium">{controller.who}</span>
                        <span className="text-xs text-muted-foreground">{controller.how}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
