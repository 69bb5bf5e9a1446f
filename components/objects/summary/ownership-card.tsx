// Who owns the object and what it owns, through ownerReferences: an operator's custom resource
// lists the VMs it made, and each VM links back to it. Deleting an owner deletes its dependents.
import { kindLabel } from "@/components/objects/kind-icon";
import { ObjectLinkText } from "@/components/objects/summary/summary-parts";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { ObjectLink, ObjectView } from "@/lib/inventory/object-view";

function Links({ label, links }: { label: string; links: ObjectLink[] }) {
  return (
    <div>
      <h3 className="mb-1.5 text-xs font-medium uppercase tracking-wide text-muted-foreground">{label}</h3>
      <ul className="space-y-1.5 text-sm">
        {links.map((link) => (
          <li key={link.uid} className="flex items-center justify-between gap-4">
            <ObjectLinkText link={link} />
            <span className="text-muted-foreground">{kindLabel(link.kind)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function OwnershipCard({ object }: { object: ObjectView }) {
  if (object.owners.length === 0 && object.dependentCount === 0) return null;
  const more = object.dependentCount - object.dependents.length;
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-sm">Owners and Dependents</CardTitle>
      </CardHeader>
      <CardContent className="space-y-4">
        {object.owners.length > 0 && <Links label="Owned by" links={object.owners} />}
        {object.dependents.length > 0 && <Links label={`Owns (${object.dependentCount})`} links={object.dependents} />}
        {more > 0 && <p className="text-xs text-muted-foreground">and {more.toLocaleString("en-US")} more, not listed here.</p>}
        {object.dependentCount > 0 && <p className="text-xs text-muted-foreground">Deleting this object deletes what it owns.</p>}
      </CardContent>
    </Card>
  );
}
