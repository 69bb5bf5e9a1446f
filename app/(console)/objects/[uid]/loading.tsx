import { TabContentSkeleton } from "@/components/objects/object-page-skeleton";

export default function ObjectTabLoading() {
  return <TabContentSkeleton />;
}
