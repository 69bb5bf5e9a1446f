// What one registry request, upload and namespace may cost. The blob and namespace limits come
// from the environment (lib/config.ts); the rest are fixed.
export interface RegistryLimits {
  maxBlobBytes: number;
  /** A namespace's images in all: blobs once each, manifests and open uploads (a limit of its own, not the namespace's storage limit, which is datastore space). */
  namespaceQuotaBytes: number;
  /** The OCI spec asks registries to take manifests of at least 4 MiB. */
  maxManifestBytes: number;
  maxUploadsPerNamespace: number;
  /** An upload untouched this long is abandoned: removed at the next upload's start. */
  uploadExpirySeconds: number;
  /** The most tags or repositories one list answers (`n` above it is cut to it). */
  maxListEntries: number;
}

export function registryLimits(config: { registryMaxBlobBytes: number; registryNamespaceQuotaBytes: number }): RegistryLimits {
  return {
    maxBlobBytes: config.registryMaxBlobBytes,
    namespaceQuotaBytes: config.registryNamespaceQuotaBytes,
    maxManifestBytes: 4 * 1024 * 1024,
    maxUploadsPerNamespace: 32,
    uploadExpirySeconds: 60 * 60,
    maxListEntries: 1000,
  };
}
