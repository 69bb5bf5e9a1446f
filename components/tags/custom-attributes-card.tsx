"use client";
// The Summary's Custom Attributes card: every attribute defined for the object's type (or for all
// types) with this object's value; Edit for administrators and operators, from the value shown,
// so a value someone changed meanwhile is refused with Reload rather than overwritten.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";
import { setCustomAttributeValue } from "@/lib/actions/tags/set-custom-attribute-value";
import { attributeValueSchema, MAX_ATTRIBUTE_VALUE } from "@/lib/actions/tags/tag-schemas";
import type { AttributeValueView } from "@/lib/inventory/tag-reads";
import { objectTaggingQuery, tagKeys } from "@/lib/queries/tag-queries";

export function CustomAttributesCard({ uid, name, canOperate }: { uid: string; name: string; canOperate: boolean }) {
  const { data } = useQuery(objectTaggingQuery(uid));
  const [editing, setEditing] = useState<AttributeValueView | null>(null);
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-sm">Custom Attributes</CardTitle>
      </CardHeader>
      <CardContent>
        {data && data.attributes.length === 0 && <p className="text-sm text-muted-foreground">No custom attributes are defined for this object type. Administrators add them in Administration › Tags & Custom Attributes.</p>}
        {data && data.attributes.length > 0 && (
          <dl className="divide-y divide-border text-sm">
            {data.attributes.map((attribute) => (
              <div key={attribute.id} className="flex items-start gap-3 py-1.5">
                <dt className="w-40 shrink-0 pt-1.5 text-muted-foreground">{attribute.name}</dt>
                <dd className="min-w-0 flex-1 pt-1.5 break-words whitespace-pre-line">{attribute.value ?? <span className="text-muted-foreground">—</span>}</dd>
                {canOperate && (
                  <Button variant="ghost" size="icon" aria-label={`Edit ${attribute.name}`} title="Edit" onClick={() => setEditing(attribute)}>
                    <Pencil aria-hidden />
                  </Button>
                )}
              </div>
            ))}
          </dl>
        )}
      </CardContent>
      {editing && <AttributeValueDialog uid={uid} objectName={name} attribute={editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function AttributeValueDialog({ uid, objectName, attribute, onClose }: { uid: string; objectName: string; attribute: AttributeValueView; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [value, setValue] = useState(attribute.value ?? "");
  const [conflict, setConflict] = useState<string | null>(null);
  const { executeAsync, isPending, result } = useAction(setCustomAttributeValue);
  const parsed = attributeValueSchema.safeParse(value);
  const error = parsed.success ? (result.serverError?.message ?? null) : `Value ${parsed.error.issues[0]!.message}`;
  const refresh = () => queryClient.invalidateQueries({ queryKey: tagKeys.object(uid) });

  const save = async () => {
    const outcome = await executeAsync({ attributeId: attribute.id, uid, value, expectedValue: attribute.value });
    if (outcome?.data?.status === "conflict") setConflict(outcome.data.message);
    if (outcome?.data?.status !== "saved") return;
    toast.success(value === "" ? `Cleared ${attribute.name} of ${objectName}.` : `Set ${attribute.name} of ${objectName}.`);
    await refresh();
    onClose();
  };

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Edit {attribute.name}</DialogTitle>
          <DialogDescription>The value of {objectName}. Leave it empty to clear it.</DialogDescription>
        </DialogHeader>
        {conflict && (
          <Alert variant="destructive">
            <AlertDescription className="flex items-center justify-between gap-3">
              {conflict}
              <Button type="button" size="sm" variant="outline" onClick={() => void refresh().then(onClose)}>
                Reload
              </Button>
            </AlertDescription>
          </Alert>
        )}
        <FormField label="Value" htmlFor="attribute-value" error={error ?? undefined} description={`${value.length.toLocaleString("en-US")} / ${MAX_ATTRIBUTE_VALUE.toLocaleString("en-US")} characters`}>
          <Textarea id="attribute-value" rows={4} value={value} aria-invalid={!parsed.success} onChange={(event) => setValue(event.target.value)} />
        </FormField>
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={!parsed.success || isPending} onClick={() => void save()}>
            Save
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
