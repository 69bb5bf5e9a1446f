// Query keys and the browser-side fetcher for the Content Library page; an import (or any change
// of a VirtualMachineImage) refetches the list through the live notices.
import { queryOptions } from "@tanstack/react-query";
import type { ContainerImage } from "@/lib/inventory/container-image-reads";
import type { LibraryImage, LibraryTemplate } from "@/lib/inventory/library-reads";
import { live } from "@/lib/live/live-dependencies";
import { fetchJson } from "@/lib/queries/inventory-queries";

export const LIBRARY_IMAGES_URL = "/api/library/images";
export const CONTAINER_IMAGES_URL = "/api/library/container-images";
export const LIBRARY_TEMPLATES_URL = "/api/library/templates";

export const libraryKeys = {
  images: () => ["library", "images"] as const,
  templates: () => ["library", "templates"] as const,
  containerImages: () => ["library", "container-images"] as const,
};

export const libraryImagesQuery = () =>
  queryOptions({
    queryKey: libraryKeys.images(),
    queryFn: async () => (await fetchJson<{ images: LibraryImage[] }>(LIBRARY_IMAGES_URL)).images,
    // A VM deployed from an image, or deleted, changes its use count.
    meta: { live: [live.objects("VirtualMachineImage"), live.objects("VirtualMachine")] },
  });

export const libraryTemplatesQuery = () =>
  queryOptions({
    queryKey: libraryKeys.templates(),
    queryFn: async () => (await fetchJson<{ templates: LibraryTemplate[] }>(LIBRARY_TEMPLATES_URL)).templates,
    meta: { live: [live.objects("VirtualMachineImage"), live.objects("VirtualMachine")] },
  });

/**
 * The registry sends no change notices: a push shows when the page is opened again or the window
 * regains focus; a namespace's change (its removal takes its images) refetches at once.
 */
export const containerImagesQuery = () =>
  queryOptions({
    queryKey: libraryKeys.containerImages(),
    queryFn: async () => (await fetchJson<{ images: ContainerImage[] }>(CONTAINER_IMAGES_URL)).images,
    meta: { live: [live.objects("Namespace")] },
  });
