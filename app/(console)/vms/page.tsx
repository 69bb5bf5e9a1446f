import { Monitor } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { PrefetchedInventoryList } from "@/components/tables/prefetched-inventory-list";
import { requirePermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Virtual Machines" };

export default async function VirtualMachinesPage({ searchParams }: PageProps<"/vms">) {
  const user = await requirePermission("inventory.read");
  return (
    <>
      <PageHeader icon={<Monitor className="size-5" />} title="Virtual Machines" description="Every virtual machine in the inventory" />
      <div className="p-6">
        <PrefetchedInventoryList list="vms" searchParams={await searchParams} user={user} />
      </div>
    </>
  );
}
