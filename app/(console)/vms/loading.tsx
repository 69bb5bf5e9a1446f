import { Monitor } from "lucide-react";
import { PageHeader } from "@/components/page-header";
import { ListSkeleton } from "@/components/tables/list-skeleton";

export default function VirtualMachinesLoading() {
  return (
    <>
      <PageHeader icon={<Monitor className="size-5" />} title="Virtual Machines" description="Every virtual machine in the inventory" />
      <div className="p-6">
        <ListSkeleton />
      </div>
    </>
  );
}
