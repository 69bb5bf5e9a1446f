"use client";
// The YAML tab: the object as the Kubernetes API serves it, read-only here, live, with a copy
// button. Line numbers help when people discuss a field.
import { useQuery } from "@tanstack/react-query";
import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { stringify } from "yaml";
import { Button } from "@/components/ui/button";
import { toKubernetesObject } from "@/lib/inventory/kubernetes-object";
import { objectViewQuery } from "@/lib/queries/object-queries";

export function YamlTab({ uid }: { uid: string }) {
  const { data: object } = useQuery(objectViewQuery(uid));
  const [copied, setCopied] = useState(false);
  if (!object) return null;
  const text = stringify(toKubernetesObject(object), { lineWidth: 0 });
  const lines = text.trimEnd().split("\n");
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="space-y-3 p-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground">
          {object.apiVersion} {object.kind}, resourceVersion {object.resourceVersion}. Read-only: edit through the engine&apos;s actions.
        </p>
        <Button variant="outline" size="sm" onClick={copy}>
          {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
          {copied ? "Copied" : "Copy YAML"}
        </Button>
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
