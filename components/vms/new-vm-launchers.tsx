"use client";
// Where the New Virtual Machine wizard starts from the Virtual Machines page header (a cluster's
// and a namespace's Actions menus open it too).
import { Plus } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { NewVmWizard } from "@/components/vms/new-vm-wizard";

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
