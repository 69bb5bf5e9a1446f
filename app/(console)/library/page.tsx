import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { LibraryBig } from "lucide-react";
import type { Metadata } from "next";
import { ImportImageDialog } from "@/components/library/import-image-dialog";
import { LibraryImagesTable } from "@/components/library/library-images-table";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/auth/authorize";
import { requirePermission } from "@/lib/auth/session";
import { readConfig } from "@/lib/config";
import { readLibraryImages } from "@/lib/inventory/library-reads";
import { libraryImagesQuery } from "@/lib/queries/library-queries";
import { getQueryClient } from "@/lib/queries/query-client";

export const metadata: Metadata = { title: "Content Library" };

export default async function ContentLibraryPage() {
  const user = await requirePermission("inventory.read");
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ ...libraryImagesQuery(), queryFn: readLibraryImages });
  return (
    <>
      <PageHeader
        icon={<LibraryBig className="size-5" />}
        title="Content Library"
        description="The images New Virtual Machine deploys; hosts running the Skylight agent fetch them from here"
        actions={can(user, "inventory.operate") ? <ImportImageDialog maxUploadBytes={readConfig().libraryMaxUploadBytes} /> : undefined}
      />
      <div className="p-6">
        <HydrationBoundary state={dehydrate(queryClient)}>
          <LibraryImagesTable />
        </HydrationBoundary>
      </div>
    </>
  );
}
