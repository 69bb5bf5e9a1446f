import { notFound } from "next/navigation";
import { YamlTab } from "@/components/objects/yaml-tab";
import { PrefetchedInventoryList } from "@/components/tables/prefetched-inventory-list";
import { requirePermission } from "@/lib/auth/session";
import { isListTab, tabsFor, type ObjectTab } from "@/lib/inventory/object-tabs";
import { readObjectView } from "@/lib/inventory/object-view";

export default async function ObjectTabPage({ params, searchParams }: PageProps<"/objects/[uid]/[tab]">) {
  const user = await requirePermission("inventory.read");
  const { uid, tab } = await params;
  const object = await readObjectView(uid);
  if (!object || tab === "summary" || !tabsFor(object.kind).includes(tab as ObjectTab)) notFound();
  if (isListTab(tab as ObjectTab)) {
    return (
      <div className="p-6">
        <PrefetchedInventoryList list={tab as Extract<ObjectTab, "vms">} scopeUid={uid} searchParams={await searchParams} user={user} />
      </div>
    );
  }
  switch (tab as Exclude<ObjectTab, "summary">) {
    case "yaml":
      return <YamlTab uid={uid} />;
    default:
      notFound();
  }
}
