// The OCI Distribution API's errors: an HTTP status and `{"errors":[{"code","message","detail"}]}`
// with the spec's codes, so skopeo, docker and containerd print the message and branch on the code.
export type RegistryErrorCode =
  | "BLOB_UNKNOWN"
  | "BLOB_UPLOAD_INVALID"
  | "BLOB_UPLOAD_UNKNOWN"
  | "DIGEST_INVALID"
  | "MANIFEST_BLOB_UNKNOWN"
  | "MANIFEST_INVALID"
  | "MANIFEST_UNKNOWN"
  | "NAME_INVALID"
  | "NAME_UNKNOWN"
  | "SIZE_INVALID"
  | "UNAUTHORIZED"
  | "DENIED"
  | "UNSUPPORTED"
  | "TOOMANYREQUESTS"
  | "PAGINATION_NUMBER_INVALID"
  | "UNKNOWN";

export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: RegistryErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const registryErrorBody = (error: RegistryError) => ({ errors: [{ code: error.code, message: error.message, detail: null }] });

export const denied = (message: string) => new RegistryError(403, "DENIED", message);
export const unauthorized = () => new RegistryError(401, "UNAUTHORIZED", "authentication required: a Skylight API token as the bearer token, or as the password");
export const nameInvalid = (message: string) => new RegistryError(400, "NAME_INVALID", message);
export const digestInvalid = (message: string) => new RegistryError(400, "DIGEST_INVALID", message);
export const blobUnknown = (digest: string) => new RegistryError(404, "BLOB_UNKNOWN", `blob ${digest} is not in this repository`);
export const uploadUnknown = () => new RegistryError(404, "BLOB_UPLOAD_UNKNOWN", "no such upload in this repository (finished, cancelled or expired)");
export const manifestUnknown = (reference: string) => new RegistryError(404, "MANIFEST_UNKNOWN", `manifest ${reference} is not in this repository`);
