"use client";
// The Summary's Tags card: the object's tags with their categories, Assign… and Remove for
// administrators and operators. Live: an assignment anywhere is an event on the object.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, X } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { AssignTagDialog } from "@/components/tags/assign-tag-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { unassignTag } from "@/lib/actions/tags/unassign-tag";
import type { AssignedTag } from "@/lib/inventory/tag-reads";
import { objectTaggingQuery, tagKeys } from "@/lib/queries/tag-queries";

export function TagsCard({ uid, kind, name, canOperate }: { uid: string; kind: string; name: string; canOperate: boolean }) {
  const queryClient = useQueryClient();
  const { data } = useQuery(objectTaggingQuery(uid));
  const [assigning, setAssigning] = useState(false);
  const remove = useAction(unassignTag);

  const removeTag = async (tag: AssignedTag) => {
    const outcome = await remove.executeAsync({ tagId: tag.id, uid });
    if (outcome?.serverError) toast.error(outcome.serverError.message);
    else toast.success(`Removed tag '${tag.category}: ${tag.name}' from ${name}.`);
    await queryClient.invalidateQueries({ queryKey: tagKeys.object(uid) });
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-sm">Tags</CardTitle>
        {canOperate && (
          <CardAction>
            <Button size="sm" variant="outline" onClick={() => setAssigning(true)}>
              <Plus aria-hidden /> Assign…
            </Button>
          </CardAction>
        )}
      </CardHeader>
      <CardContent>
        {data && data.tags.length === 0 && <p className="text-sm text-muted-foreground">No tags assigned.</p>}
        {data && data.tags.length > 0 && (
          <Table aria-label="Assigned tags">
            <TableHeader>
              <TableRow>
                <TableHead>Tag</TableHead>
                <TableHead>Category</TableHead>
                <TableHead className="w-full">Description</TableHead>
                {canOperate && (
                  <TableHead>
                    <span className="sr-only">Remove</span>
                  </TableHead>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.tags.map((tag) => (
                <TableRow key={tag.id}>
                  <TableCell className="font-medium">{tag.name}</TableCell>
                  <TableCell>{tag.category}</TableCell>
                  <TableCell className="max-w-0 truncate text-muted-foreground" title={tag.description}>
                    {tag.description}
                  </TableCell>
                  {canOperate && (
                    <TableCell>
                      <Button variant="ghost" size="icon" aria-label={`Remove tag ${tag.category}: ${tag.name}`} title="Remove" disabled={remove.isPending} onClick={() => void removeTag(tag)}>
                        <X aria-hidden />
                      </Button>
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
      {canOperate && <AssignTagDialog uids={[uid]} kind={kind} subject={name} open={assigning} onOpenChange={setAssigning} />}
    </Card>
  );
}
