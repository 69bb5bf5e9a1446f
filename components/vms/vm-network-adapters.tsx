"use client";
// The network adapters of Edit Settings: one row per adapter with its network and Remove, and Add
// Network Adapter. Networks are those of the VM's cluster's datacenter.
import { Plus, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { adapterLabel, MAX_NETWORK_ADAPTERS, type VmAdapter } from "@/lib/engine/vm-settings-rules";
import type { NetworkChoice } from "@/lib/inventory/new-vm-choices";

export function VmNetworkAdapters({
  adapters,
  networks,
  onChange,
  error,
  hint,
}: {
  adapters: VmAdapter[];
  networks: NetworkChoice[];
  onChange: (adapters: VmAdapter[]) => void;
  error?: string;
  hint?: string;
}) {
  const set = (index: number, adapter: VmAdapter | null) => onChange(adapter ? adapters.map((current, at) => (at === index ? adapter : current)) : adapters.filter((_, at) => at !== index));
  return (
    <div className="grid gap-2" role="group" aria-labelledby="adapters-heading">
      <div className="flex items-center justify-between">
        <h3 id="adapters-heading" className="text-sm font-medium">
          Network adapters
        </h3>
        <Button type="button" size="sm" variant="outline" disabled={adapters.length >= MAX_NETWORK_ADAPTERS} onClick={() => onChange([...adapters, { name: "", network: networks[0]?.name ?? "" }])}>
          <Plus aria-hidden /> Add Network Adapter
        </Button>
      </div>
      {adapters.length === 0 && <p className="text-sm text-muted-foreground">No network adapters: the VM has no network connection.</p>}
      {adapters.map((adapter, index) => (
        <div key={`${adapter.name || "new"}-${index}`} className="grid grid-cols-[10rem_1fr_auto] items-center gap-2">
          <label htmlFor={`adapter-${index}`} className="text-sm">
            {adapterLabel(index)}
            {!adapter.name && <span className="ml-1 text-xs text-muted-foreground">(new)</span>}
          </label>
          <Select value={adapter.network} onValueChange={(network) => set(index, { ...adapter, network })}>
            <SelectTrigger id={`adapter-${index}`} className="w-full">
              <SelectValue placeholder="Choose a network" />
            </SelectTrigger>
            <SelectContent>
              {networks.map((network) => (
                <SelectItem key={network.name} value={network.name}>
                  {network.portGroup} <span className="text-muted-foreground">— {network.name}</span>
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <Button type="button" size="icon" variant="ghost" aria-label={`Remove ${adapterLabel(index)}`} onClick={() => set(index, null)}>
            <X aria-hidden />
          </Button>
        </div>
      ))}
      {hint && !error && <p className="text-xs text-amber-700 dark:text-amber-400">{hint}</p>}
      {error && (
        <p role="alert" className="text-xs text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}
