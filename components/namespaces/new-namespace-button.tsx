"use client";
// Administration › Namespaces › New Namespace.
import { Plus } from "lucide-react";
import { useState } from "react";
import { NamespaceDialog } from "@/components/namespaces/namespace-dialog";
import { Button } from "@/components/ui/button";
import type { NamespaceFormChoices } from "@/lib/inventory/namespace-reads";

export function NewNamespaceButton({ choices }: { choices: NamespaceFormChoices }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)}>
        <Plus aria-hidden /> New Namespace
      </Button>
      <NamespaceDialog open={open} onOpenChange={setOpen} choices={choices} />
    </>
  );
}
