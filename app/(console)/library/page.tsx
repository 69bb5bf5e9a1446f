import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { LibraryBig } from "lucide-react";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ContainerImagesTable } from "@/components/library/container-images-table";
import { ImportImageDialog } from "@/components/library/import-image-dialog";
import { LibraryImagesTable } from "@/components/library/library-images-table";
import { LibraryTemplatesTable } from "@/components/library/library-templates-table";
import { PageHeader } from "@/components/page-header";
import { can, readAccessScope } from "@/lib/auth/authorize";
import { requireUser } from "@/lib/auth/session";
import { readConfig } from "@/lib/config";
import { readContainerImages } from "@/lib/inventory/container-image-reads";
import { readLibraryImages, readLibraryTemplates } from "@/lib/inventory/library-reads";
import { containerImagesQuery, libraryImagesQuery, libraryTemplatesQuery } from "@/lib/queries/library-queries";
import { getQueryClient } from "@/lib/queries/query-client";

export const metadata: Metadata = { title: "Content Library" };

/** VM images for administrators and operators; container images for everyone, of the namespaces they may see. */
export default async function ContentLibraryPage() {
  const user = await requireUser();
  const wholeInventory = can(user, "inventory.read");
  const queryClient = getQueryClient();
  const scope = await readAccessScope(user);
  await Promise.all([
    wholeInventory ? queryClient.prefetchQuery({ ...libraryImagesQuery(), queryFn: readLibraryImages }) : null,
    wholeInventory ? queryClient.prefetchQuery({ ...libraryTemplatesQuery(), queryFn: readLibraryTemplates }) : null,
    queryClient.prefetchQuery({ ...containerImagesQuery(), queryFn: () => readContainerImages(scope) }),
  ]);
  return (
    <>
      <PageHeader
        icon={<LibraryBig className="size-5" />}
        title="Content Library"
        description={
          wholeInventory
            ? "The images New Virtual Machine deploys, which hosts running the Skylight agent fetch from here, and the container images pushed to the registry"
            : "The container images pushed to your namespaces' repositories in the registry"
        }
        actions={can(user, "inventory.operate") ? <ImportImageDialog maxUploadBytes={readConfig().libraryMaxUploadBytes} /> : undefined}
      />
      <div className="space-y-8 p-6">
        <HydrationBoundary state={dehydrate(queryClient)}>
          {wholeInventory && (
            <LibrarySection id="vm-images" title="VM images">
              <LibraryImagesTable />
            </LibrarySection>
          )}
          {wholeInventory && (
            <LibrarySection id="vm-templates" title="VM templates">
              <LibraryTemplatesTable />
            </LibrarySection>
          )}
          <LibrarySection id="container-images" title="Container images">
            <ContainerImagesTable />
          </LibrarySection>
        </HydrationBoundary>
      </div>
    </>
  );
}

function LibrarySection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-3">
      <h2 id={`${id}-heading`} className="text-sm font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
