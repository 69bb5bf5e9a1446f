import { ObjectHeaderSkeleton, TabContentSkeleton } from "@/components/objects/object-page-skeleton";

export default function ObjectLoading() {
  return (
    <>
      <ObjectHeaderSkeleton />
      <TabContentSkeleton />
    </>
  );
}
