"use client";
// Network › Actions › Edit Settings: the port group's name and VLAN ID, with the VMs connected to
// it named first, since a VLAN change moves their traffic. Sent with the version the dialog opened
// with: a stale one is refused with Reload, never saved over someone else's change.
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import Link from "next/link";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { DropdownMenuItem } from "@/components/ui/dropdown-menu";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { configureNetwork } from "@/lib/actions/networks/configure-network";
import { DEFAULT_PORT_GROUP, networkSettingsSchema, type NetworkSettings } from "@/lib/engine/network-settings-schema";
import { parseListParams } from "@/lib/inventory/list-definitions";
import type { ObjectView } from "@/lib/inventory/object-view";
import { listPageQuery, objectKeys, objectViewQuery } from "@/lib/queries/object-queries";

const VMS_SHOWN = 8;

export function NetworkActionsMenu({ uid }: { uid: string }) {
  const { data: network } = useQuery(objectViewQuery(uid, "Network"));
  const [editing, setEditing] = useState(false);
  return (
    <>
      <ActionsMenu disabled={!network}>
        <DropdownMenuItem onSelect={() => setEditing(true)}>
          <Pencil /> Edit Settings…
        </DropdownMenuItem>
      </ActionsMenu>
      <Dialog open={editing} onOpenChange={setEditing}>
        <DialogContent className="sm:max-w-lg">{editing && network && <NetworkSettingsForm network={network} onDone={() => setEditing(false)} />}</DialogContent>
      </Dialog>
    </>
  );
}

function NetworkSettingsForm({ network, onDone }: { network: ObjectView; onDone: () => void }) {
  const queryClient = useQueryClient();
  const vms = useQuery(listPageQuery("vms", network.uid, parseListParams("vms", { size: "25" })));
  const { executeAsync, isPending } = useAction(configureNetwork);
  const [conflict, setConflict] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const isDefault = network.spec.portGroup === DEFAULT_PORT_GROUP;
  const form = useForm<NetworkSettings>({
    resolver: zodResolver(networkSettingsSchema),
    defaultValues: { name: network.name, portGroup: String(network.spec.portGroup ?? ""), vlanId: Number(network.spec.vlanId ?? 0), expectedResourceVersion: network.resourceVersion },
  });
  const errors = form.formState.errors;
  const vlanId = useWatch({ control: form.control, name: "vlanId" });

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await executeAsync(values);
    if (result?.data?.status === "saved") {
      toast.success(`Network ${network.name} saved`);
      onDone();
    } else if (result?.data?.status === "conflict") setConflict(result.data.message);
    else if (result?.serverError?.field === "portGroup") form.setError("portGroup", { type: "server", message: result.serverError.message });
    else setFormError(result?.serverError?.message ?? "The settings could not be saved. Try again.");
  });

  const total = vms.data?.total;
  return (
    <>
      <DialogHeader>
        <DialogTitle>Edit Settings — {network.name}</DialogTitle>
        <DialogDescription>The port group VMs connect to on this network. VMs keep their adapters: they name the network, not its port group.</DialogDescription>
      </DialogHeader>
      <form id="network-settings-form" aria-label="Edit network settings" noValidate className="space-y-4" onSubmit={submit}>
        {conflict && (
          <Alert variant="destructive">
            <AlertDescription className="flex items-center justify-between gap-3">
              {conflict}
              <Button type="button" size="sm" variant="outline" onClick={() => void queryClient.invalidateQueries({ queryKey: objectKeys.view(network.uid) }).then(onDone)}>
                Reload
              </Button>
            </AlertDescription>
          </Alert>
        )}
        {formError && (
          <Alert variant="destructive">
            <AlertDescription>{formError}</AlertDescription>
          </Alert>
        )}
        <FormField
          label="Port group name"
          htmlFor="network-port-group"
          error={errors.portGroup?.message}
          description={isDefault ? `"${DEFAULT_PORT_GROUP}" is the datacenter's default port group: its name stays.` : "At most 80 characters."}
        >
          <Input id="network-port-group" autoComplete="off" readOnly={isDefault} {...form.register("portGroup")} />
        </FormField>
        <FormField label="VLAN ID" htmlFor="network-vlan" error={errors.vlanId?.message} description="0 for none, or 1 to 4094.">
          <Input id="network-vlan" type="number" inputMode="numeric" className="w-36" {...form.register("vlanId", { valueAsNumber: true })} />
        </FormField>
        <section aria-label="Connected VMs" className="space-y-1.5 rounded-md border bg-muted/40 p-3 text-sm">
          {total === undefined ? (
            <p className="text-muted-foreground">Finding the VMs on this network…</p>
          ) : total === 0 ? (
            <p className="text-muted-foreground">No VMs are connected to this network.</p>
          ) : (
            <>
              <p>
                {total} {total === 1 ? "VM is" : "VMs are"} connected to this network{vlanId !== Number(network.spec.vlanId ?? 0) ? "; a new VLAN ID moves their traffic" : ""}:
              </p>
              <ul className="flex flex-wrap gap-x-3 gap-y-1">
                {vms.data!.rows.slice(0, VMS_SHOWN).map((row) => (
                  <li key={row.uid}>
                    <Link href={`/objects/${row.uid}`} className="text-primary underline-offset-4 hover:underline">
                      {String(row.cells.namespace)}/{row.name}
                    </Link>
                  </li>
                ))}
                {total > VMS_SHOWN && (
                  <li>
                    <Link href={`/objects/${network.uid}/vms`} className="text-primary underline-offset-4 hover:underline">
                      and {total - VMS_SHOWN} more
                    </Link>
                  </li>
                )}
              </ul>
            </>
          )}
        </section>
      </form>
      <DialogFooter>
        <Button variant="outline" type="button" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" form="network-settings-form" disabled={isPending || conflict !== null}>
          {isPending ? "Saving…" : "Save"}
        </Button>
      </DialogFooter>
    </>
  );
}
