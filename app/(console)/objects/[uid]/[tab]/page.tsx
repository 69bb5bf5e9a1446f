import { notFound } from "next/navigation";
import { YamlTab } from "@/components/objects/yaml-tab";
import { requirePermission } from "@/lib/auth/session";
import { tabsFor, type ObjectTab } from "@/lib/inventory/object-tabs";
import { readObjectView } from "@/lib/inventory/object-view";

export default async function ObjectTabPage({ params }: PageProps<"/objects/[uid]/[tab]">) {
  await requirePermission("inventory.read");
  const { uid, tab } = await params;
  const object = await readObjectView(uid);
  if (!object || tab === "summary" || !tabsFor(object.kind).includes(tab as ObjectTab)) notFound();
  switch (tab as Exclude<ObjectTab, "summary">) {
    case "yaml":
      return <YamlTab uid={uid} />;
    default:
      notFound();
  }
}
