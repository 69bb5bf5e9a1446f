"use client";
// The YAML tab: the object as the Kubernetes API serves it, live, with a copy button. Whoever the
// API would let change the object (operators; a VM's namespace editors; a namespace's owners, its
// labels and annotations) can Edit the kinds the API lets them change (VMs, namespaces, a host's
// maintenance mode, a cluster's DRS and HA) and Apply: the server checks it exactly as `kubectl apply` does, and an edit opened before
// someone else changed the desired state is refused with Reload, never overwritten.
import { useQueryClient, useQuery } from "@tanstack/react-query";
import { Check, Copy, Pencil, RotateCw } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { stringify } from "yaml";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { applyObjectYaml } from "@/lib/actions/objects/apply-object-yaml";
import { isCustomResourceKind, isInventoryKind } from "@/lib/inventory/kinds";
import { toKubernetesObject } from "@/lib/inventory/kubernetes-object";
import type { ObjectView } from "@/lib/inventory/object-view";
import { objectKeys, objectViewQuery } from "@/lib/queries/object-queries";

const yamlOf = (object: ObjectView) => stringify(toKubernetesObject(object), { lineWidth: 0 });

export function YamlTab({ uid, canEdit }: { uid: string; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const { data: object } = useQuery(objectViewQuery(uid));
  const [copied, setCopied] = useState(false);
  const [draft, setDraft] = useState<string | null>(null);
  const [opened, setOpened] = useState("");
  const [conflict, setConflict] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const apply = useAction(applyObjectYaml, {
    onSuccess: async ({ data }) => {
      if (data?.status === "conflict") {
        setConflict(data.message);
        return;
      }
      toast.success(`Applied ${object?.kind} ${object?.name}`);
      setDraft(null);
      await queryClient.invalidateQueries({ queryKey: objectKeys.view(uid) });
    },
    onError: ({ error: failure }) => {
      const validation = failure.validationErrors ? "The YAML is missing or too long." : null;
      setError(failure.serverError?.message ?? validation ?? "The YAML could not be applied. Try again.");
    },
  });
  if (!object) return null;
  const text = yamlOf(object);
  const lines = text.trimEnd().split("\n");
  const edit = (current: ObjectView) => {
    setOpened(yamlOf(current));
    setDraft(yamlOf(current));
    setConflict(null);
    setError(null);
  };
  const reload = async () => edit(await queryClient.fetchQuery({ ...objectViewQuery(uid), staleTime: 0 }));
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };

  if (draft !== null) {
    return (
      <form
        className="space-y-3 p-6"
        aria-label={`Edit YAML of ${object.name}`}
        onSubmit={(event) => {
          event.preventDefault();
          setConflict(null);
          setError(null);
          // The page offers Edit only for an inventory kind (app/(console)/objects/[uid]/[tab]/page.tsx).
          if (isInventoryKind(object.kind) || isCustomResourceKind(object.kind)) apply.execute({ kind: object.kind, namespace: object.namespace, name: object.name, openedYaml: opened, yaml: draft });
        }}
      >
        <p className="text-sm text-muted-foreground">
          Editing {object.apiVersion} {object.kind}. Apply checks the change as <code className="font-mono">kubectl apply</code> does; status is observed state and is ignored.
        </p>
        {conflict && (
          <Alert variant="destructive">
            <AlertTitle>Changed by someone else</AlertTitle>
            <AlertDescription>
              <p>{conflict}</p>
              <Button type="button" variant="outline" size="sm" className="mt-1" onClick={() => void reload()}>
                <RotateCw aria-hidden /> Reload
              </Button>
            </AlertDescription>
          </Alert>
        )}
        {error && (
          <Alert variant="destructive">
            <AlertTitle>Not applied</AlertTitle>
            <AlertDescription>{error}</AlertDescription>
          </Alert>
        )}
        <Textarea
          aria-label="YAML"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          spellCheck={false}
          className="h-[60vh] min-h-64 field-sizing-fixed font-mono text-xs leading-5"
        />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="outline" onClick={() => setDraft(null)}>
            Cancel
          </Button>
          <Button type="submit" disabled={apply.isPending}>
            {apply.isPending ? "Applying…" : "Apply"}
          </Button>
        </div>
      </form>
    );
  }

  return (
    <div className="space-y-3 p-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground">
          {object.apiVersion} {object.kind}, resourceVersion {object.resourceVersion}.{canEdit ? "" : " Read-only."}
        </p>
        <div className="flex gap-2">
          {canEdit && (
            <Button variant="outline" size="sm" onClick={() => edit(object)}>
              <Pencil aria-hidden /> Edit
            </Button>
          )}
          <Button variant="outline" size="sm" onClick={copy}>
            {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
            {copied ? "Copied" : "Copy YAML"}
          </Button>
        </div>
      </div>
      <div className="overflow-auto rounded-lg border border-border bg-surface">
        <pre aria-label={`YAML of ${object.name}`} className="py-3 font-mono text-xs leading-5">
          {lines.map((line, index) => (
            <div key={index} className="flex">
              <span aria-hidden className="w-12 shrink-0 pr-3 text-right text-muted-foreground/60 select-none">{index + 1}</span>
              <code className="pr-4 whitespace-pre">{line || " "}</code>
            </div>
          ))}
        </pre>
      </div>
    </div>
  );
}
