import { Monitor } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { NewVmButton } from "@/components/vms/new-vm-launchers";
import { PrefetchedInventoryList } from "@/components/tables/prefetched-inventory-list";
import { can } from "@/lib/auth/authorize";
import { requirePermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Virtual Machines" };

export default async function VirtualMachinesPage({ searchParams }: PageProps<"/vms">) {
  const user = await requirePermission("inventory.read");
  return (
    <>
      <PageHeader icon={<Monitor className="size-5" />} title="Virtual Machines" description="Every virtual machine in the inventory" actions={can(user, "inventory.operate") ? <NewVmButton /> : undefined} />
      <div className="p-6">
        <PrefetchedInventoryList list="vms" searchParams={await searchParams} user={user} />
      </div>
    </>
  );
}
