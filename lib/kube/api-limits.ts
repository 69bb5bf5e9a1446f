// The bounds on the work one request to the Kubernetes API can cause, in one place (README ›
// Security › Kubernetes API limits lists them with the answers a client gets). Where
// kube-apiserver has the same limit, the number and the answer are kube-apiserver's.

/** A request body, and an object after a patch is applied (kube-apiserver's --max-request-bytes default). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Values (scalars, objects, arrays) in one object a write produces; a VM's manifest holds about a hundred. */
export const MAX_OBJECT_VALUES = 10_000;

/**
 * Values in one CustomResourceDefinition: real ones install as published (prometheus-operator's
 * Prometheus kind holds about 15,000, the largest well-known ones several times that), and only
 * administrators write them, rarely. MAX_BODY_BYTES still bounds them.
 */
export const MAX_DEFINITION_VALUES = 200_000;

/** Operations in one JSON patch (kube-apiserver's maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

/** What a JSON patch's copy operations may add up to (kube-apiserver's JSONPatchMaxCopyBytes). */
export const MAX_JSON_PATCH_COPY_BYTES = MAX_BODY_BYTES;

/** The JSON a patch's operations may measure, compare and copy in all, so no list of small operations on a large object runs long. */
export const MAX_JSON_PATCH_WORK_BYTES = 10 * MAX_BODY_BYTES;

/** Objects in one page of a list; a larger `limit` gets this many and a continue token, as kube-apiserver may return fewer than asked. */
export const MAX_LIST_PAGE = 10_000;

/** Watches one user may hold open at once in one Skylight process; one more is answered 429 TooManyRequests. */
export const MAX_WATCHES_PER_USER = 50;

/** Seconds a client is told to wait (Retry-After) after 429, as kube-apiserver's priority and fairness answers. */
export const RETRY_AFTER_SECONDS = 1;

/** How long a request for a resourceVersion the server has not reached yet waits for it before "Too large resource version" (kube-apiserver waits 3 s). */
export const FUTURE_RESOURCE_VERSION_WAIT_MS = 3_000;

/** A watch's longest timeoutSeconds; a larger one is cut to this, and the client watches again. */
export const MAX_WATCH_TIMEOUT_SECONDS = 60 * 60;

/** ownerReferences on one object; Skylight's bound (kube has none), since each is looked up and may be authorized on write. */
export const MAX_OWNER_REFERENCES = 64;
