"use client";
// The fields of each New Virtual Machine step. Each step reads the choices the server offers
// (classes, images, and the chosen namespace's cluster's hosts, datastores and networks).
import { Controller, type UseFormReturn } from "react-hook-form";
import { FactList, formatMiB, type Fact } from "@/components/objects/summary/summary-parts";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { NewVmValues } from "@/lib/actions/vms/new-vm-schema";
import { CLOUD_CONFIG_KEYS } from "@/lib/engine/schemas";
import type { NewVmChoices } from "@/lib/inventory/new-vm-choices";
import type { CloneSource } from "@/components/vms/new-vm-wizard";

type Form = UseFormReturn<NewVmValues>;
type ChoiceField = "namespace" | "className" | "imageName" | "storageClass" | "network";
interface Option {
  value: string;
  label: string;
  detail?: string;
  disabled?: boolean;
}

// Radix Select has no empty value; this stands for "no host chosen" and is no valid host name.
const DRS_PLACES = "(drs)";

function ChoiceSelect({ form, name, id, label, placeholder, options, description }: { form: Form; name: ChoiceField; id: string; label: string; placeholder: string; options: Option[]; description?: string }) {
  return (
    <FormField label={label} htmlFor={id} error={form.formState.errors[name]?.message} description={description}>
      <Controller
        control={form.control}
        name={name}
        render={({ field }) => (
          <Select value={field.value} onValueChange={field.onChange}>
            <SelectTrigger id={id} className="w-full" aria-invalid={form.formState.errors[name] ? true : undefined}>
              <SelectValue placeholder={placeholder} />
            </SelectTrigger>
            <SelectContent>
              {options.map((option) => (
                <SelectItem key={option.value} value={option.value} disabled={option.disabled}>
                  {option.label}
                  {option.detail && <span className="text-muted-foreground"> — {option.detail}</span>}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        )}
      />
    </FormField>
  );
}

export function NameStep({ form, choices }: { form: Form; choices: NewVmChoices | undefined }) {
  const placement = choices?.placement;
  return (
    <div className="space-y-4">
      <FormField label="Virtual machine name" htmlFor="vm-name" error={form.formState.errors.name?.message} description="Lowercase letters, digits and '-'; unique in its namespace.">
        <Input id="vm-name" autoComplete="off" autoFocus {...form.register("name")} />
      </FormField>
      <ChoiceSelect
        form={form}
        name="namespace"
        id="vm-namespace"
        label="Namespace"
        placeholder="Choose a namespace"
        options={(choices?.namespaces ?? []).map((namespace) => ({ value: namespace.name, label: namespace.name, detail: `cluster ${namespace.cluster}` }))}
        description={choices?.namespaces.length === 0 ? "There is no namespace here you may deploy into: create one with New Namespace, or ask an administrator for one." : undefined}
      />
      <FormField label="Cluster" htmlFor="vm-cluster" description="Follows from the namespace.">
        <Input id="vm-cluster" readOnly value={placement ? `${placement.cluster} (datacenter ${placement.datacenter})` : "—"} className="bg-muted/40" />
      </FormField>
      {choices?.canChooseHost !== false && <FormField label="Host" htmlFor="vm-host" error={form.formState.errors.host?.message} description="By default vSphere DRS picks the host; choose one to place the VM yourself.">
        <Controller
          control={form.control}
          name="host"
          render={({ field }) => (
            <Select value={field.value || DRS_PLACES} onValueChange={(value) => field.onChange(value === DRS_PLACES ? "" : value)} disabled={!placement}>
              <SelectTrigger id="vm-host" className="w-full">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={DRS_PLACES}>DRS places it</SelectItem>
                {(placement?.hosts ?? []).map((host) => (
                  <SelectItem key={host.name} value={host.name} disabled={host.unavailable !== null}>
                    {host.name}
                    {host.unavailable && <span className="text-muted-foreground"> — {host.unavailable}</span>}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        />
      </FormField>}
    </div>
  );
}

export function ClassStep({ form, choices }: { form: Form; choices: NewVmChoices | undefined }) {
  const classes = choices?.classes ?? [];
  const options = classes.map((vmClass) => ({
    value: vmClass.name,
    label: vmClass.name,
    detail: `${vmClass.cpus} vCPU, ${formatMiB(vmClass.memoryMiB)} memory${vmClass.reserved ? ", reserved" : ""}${vmClass.shortfall ? ` (${vmClass.shortfall})` : ""}`,
    disabled: vmClass.shortfall !== null,
  }));
  const held = classes.filter((vmClass) => vmClass.shortfall !== null).length;
  const namespace = form.getValues("namespace");
  return (
    <ChoiceSelect
      form={form}
      name="className"
      id="vm-class"
      label="VM class"
      placeholder="Choose a class"
      options={options}
      description={`The class sizes the VM: its CPUs and memory, and whether they are reserved.${held ? ` ${held} of ${classes.length} classes do not fit in what is left of ${namespace}'s CPU and memory limits and cannot be chosen.` : ""}`}
    />
  );
}

export function ImageStep({ form, choices }: { form: Form; choices: NewVmChoices | undefined }) {
  const options = (choices?.images ?? []).map((image) => ({
    value: image.name,
    label: image.name,
    detail: [image.template ? "template" : "", image.os, image.diskGiB ? `${image.diskGiB} GiB disk` : ""].filter(Boolean).join(", "),
  }));
  return <ChoiceSelect form={form} name="imageName" id="vm-image" label="Image" placeholder="Choose an image" options={options} description="The VM is cloned from this content library item: an image, or a template made from a VM." />;
}

export function StorageStep({ form, choices }: { form: Form; choices: NewVmChoices | undefined }) {
  const options = (choices?.placement?.datastores ?? []).map((datastore) => ({
    value: datastore.name,
    label: datastore.name,
    detail: [datastore.type, datastore.freeGiB !== null && datastore.capacityGiB !== null ? `${formatMiB(datastore.freeGiB * 1024)} free of ${formatMiB(datastore.capacityGiB * 1024)}` : ""].filter(Boolean).join(", "),
  }));
  return <ChoiceSelect form={form} name="storageClass" id="vm-storage" label="Datastore" placeholder="Choose a datastore" options={options} description={`Datastores of cluster ${choices?.placement?.cluster ?? "—"}.`} />;
}

export function NetworkStep({ form, choices }: { form: Form; choices: NewVmChoices | undefined }) {
  const options = (choices?.placement?.networks ?? []).map((network) => ({ value: network.name, label: network.portGroup, detail: `${network.name}${network.vlanId ? `, VLAN ${network.vlanId}` : ""}` }));
  return <ChoiceSelect form={form} name="network" id="vm-network" label="Network adapter 1" placeholder="Choose a network" options={options} description={`Networks of datacenter ${choices?.placement?.datacenter ?? "—"}.`} />;
}

const USER_DATA_EXAMPLE = `#cloud-config
users:
  - name: ops
    sudo: ALL=(ALL) NOPASSWD:ALL
runcmd:
  - systemctl enable --now nginx`;

type TextFieldName = "hostName" | "sshAuthorizedKey" | "sysprepFullName" | "sysprepOrgName" | "sysprepPasswordSecret";

function TextField({ form, name, id, label, description, className, placeholder }: { form: Form; name: TextFieldName; id: string; label: string; description?: string; className?: string; placeholder?: string }) {
  return (
    <FormField label={label} htmlFor={id} error={form.formState.errors[name]?.message} description={description}>
      <Input id={id} autoComplete="off" spellCheck={false} placeholder={placeholder} className={className} {...form.register(name)} />
    </FormField>
  );
}

/** Customize guest OS: cloud-init for a Linux image, Sysprep for a Windows one; every field may stay empty. */
export function CustomizeStep({ form }: { form: Form }) {
  if (form.getValues("guestCustomization") === "sysprep") {
    return (
      <div className="space-y-4">
        <p className="text-sm text-muted-foreground">Sysprep customizes this Windows image on first boot. Leave the fields empty to keep the image as it is.</p>
        <TextField form={form} name="hostName" id="vm-computer-name" label="Computer name" description="Up to 15 lowercase letters, digits and '-'." />
        <div className="grid items-start gap-4 sm:grid-cols-2">
          <TextField form={form} name="sysprepFullName" id="vm-sysprep-full-name" label="Owner name" />
          <TextField form={form} name="sysprepOrgName" id="vm-sysprep-org-name" label="Organization" />
        </div>
        <TextField
          form={form}
          name="sysprepPasswordSecret"
          id="vm-sysprep-password"
          label="Administrator password Secret"
          description="The name of a Secret in the namespace whose key 'password' holds it; the password itself never enters the VM's spec."
        />
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <p className="text-sm text-muted-foreground">Cloud-init configures the guest on first boot. Every field is optional.</p>
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <TextField form={form} name="hostName" id="vm-host-name" label="Host name" description="Lowercase letters, digits and '-'." />
        <TextField form={form} name="sshAuthorizedKey" id="vm-ssh-key" label="SSH public key" description="For the image's default user." placeholder="ssh-ed25519 AAAA… you@laptop" className="font-mono text-xs" />
      </div>
      <FormField label="User data (cloud-config)" htmlFor="vm-user-data" error={form.formState.errors.userData?.message} description={`YAML with ${CLOUD_CONFIG_KEYS.join(", ")}, as vm-operator carries them; at most 64 KiB.`}>
        <Textarea id="vm-user-data" rows={7} spellCheck={false} placeholder={USER_DATA_EXAMPLE} className="min-h-36 max-h-56 font-mono text-xs" {...form.register("userData")} />
      </FormField>
    </div>
  );
}

/** The Customize step in a sentence, for the review. */
function customizationSummary(values: NewVmValues): string {
  if (values.guestCustomization === "sysprep") {
    if (!values.sysprepFullName && !values.hostName) return "None";
    return ["Sysprep", values.hostName && `computer name ${values.hostName}`, values.sysprepFullName && `owner ${values.sysprepFullName}, ${values.sysprepOrgName}`, values.sysprepPasswordSecret && `password from Secret ${values.sysprepPasswordSecret}`]
      .filter(Boolean)
      .join(", ");
  }
  const lines = values.userData.trim() ? values.userData.trim().split("\n").length : 0;
  const parts = [values.hostName && `host name ${values.hostName}`, values.sshAuthorizedKey && "SSH key", lines && `user data (${lines} line${lines === 1 ? "" : "s"})`].filter(Boolean);
  return parts.length ? `cloud-init: ${parts.join(", ")}` : "None";
}

export function ReviewStep({ form, choices, source }: { form: Form; choices: NewVmChoices | undefined; source?: CloneSource }) {
  const values = form.getValues();
  const vmClass = choices?.classes.find((candidate) => candidate.name === values.className);
  const network = choices?.placement?.networks.find((candidate) => candidate.name === values.network);
  const rows: Fact[] = [
    ["Name", values.name],
    ["Namespace", values.namespace],
    ["Cluster", choices?.placement?.cluster ?? "—"],
    ["Host", values.host || "DRS places it"],
    [
      "VM class",
      source?.hardware
        ? `${values.className}, with ${source.name}'s custom size (${source.hardware.cpus} vCPU, ${formatMiB(source.hardware.memoryMiB)} memory)`
        : vmClass
          ? `${vmClass.name} (${vmClass.cpus} vCPU, ${formatMiB(vmClass.memoryMiB)} memory)`
          : values.className,
    ],
    ["Image", values.imageName],
    ["Datastore", values.storageClass],
    source
      ? ["Network adapters", source.networks.length ? source.networks.join(", ") : "None"]
      : ["Network", network ? `${network.portGroup} (${network.name})` : values.network],
  ];
  if (!source) rows.push(["Guest customization", customizationSummary(values)]);
  if (source) rows.unshift(["Clone of", `${source.namespace}/${source.name} (its disk, size and adapters)`]);
  return (
    <div className="space-y-4">
      <FactList title="Your choices" facts={rows} />
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" className="size-4 accent-primary" {...form.register("powerOn")} />
        Power on virtual machine after creation
      </label>
    </div>
  );
}
