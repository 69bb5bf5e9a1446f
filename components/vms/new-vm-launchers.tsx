"use client";
// Where the New Virtual Machine wizard starts: a button in the Virtual Machines page header, and
// the "Actions" menu of a cluster's or a namespace's page.
import { ChevronDown, Plus } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { NewVmWizard, type NewVmStart } from "@/components/vms/new-vm-wizard";

export function NewVmButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)}>
        <Plus aria-hidden /> New Virtual Machine
      </Button>
      <NewVmWizard open={open} onOpenChange={setOpen} start={{}} />
    </>
  );
}

export function NewVmActionsMenu({ start }: { start: NewVmStart }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm">
            Actions <ChevronDown aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-56">
          <DropdownMenuItem onSelect={() => setOpen(true)}>
            <Plus aria-hidden /> New Virtual Machine…
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <NewVmWizard open={open} onOpenChange={setOpen} start={start} />
    </>
  );
}
