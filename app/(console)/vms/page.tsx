import { Monitor } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { NewVmButton } from "@/components/vms/new-vm-launchers";
import { PrefetchedInventoryList } from "@/components/tables/prefetched-inventory-list";
import { deploysVms } from "@/lib/auth/authorize";
import { getAccessScope, requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Virtual Machines" };

export default async function VirtualMachinesPage({ searchParams }: PageProps<"/vms">) {
  const user = await requireUser();
  const access = await getAccessScope();
  return (
    <>
      <PageHeader icon={<Monitor className="size-5" />} title="Virtual Machines" description={access.all ? "Every virtual machine in the inventory" : `The virtual machines of your namespaces${access.folders.size > 0 ? " and folders" : ""}`} actions={deploysVms(user, access) ? <NewVmButton /> : undefined} />
      <div className="p-6">
        <PrefetchedInventoryList list="vms" searchParams={await searchParams} user={user} />
      </div>
    </>
  );
}
