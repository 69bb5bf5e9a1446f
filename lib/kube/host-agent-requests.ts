// The Kubernetes API as a host's agent may use it: get, register and report the status of its
// own Node, and get, create and renew its own Lease in kube-node-lease — nothing else, as kube's
// Node authorizer and NodeRestriction admission allow a kubelet. Every refusal comes before the
// body is read; every body is checked against the fields an agent may write (its status, and on
// its Node the annotation with its endpoint's certificate hash), and the rest of the object (the
// labels tying it to a cluster, its spec) is Skylight's.
import type { IncomingMessage } from "node:http";
import type pg from "pg";
import type { z } from "zod";
import { ConflictError } from "@/lib/errors";
import { AlreadyExistsError } from "@/lib/engine/object-store";
import {
  agentNodeAnnotationsSchema,
  agentNodeLabelsSchema,
  createLease,
  leaseSpecSchema,
  NODE_LEASE_NAMESPACE,
  nodeStatusSchema,
  readLease,
  readNode,
  registerNode,
  renewLease,
  reportNodeStatus,
} from "@/lib/engine/operations/node-operations";
import type { ApiResource, Verb } from "@/lib/kube/api-resources";
import { alreadyExists, badRequest, conflict, forbidden, invalid, notFound, type StatusCause } from "@/lib/kube/api-status";
import { toKubeObject } from "@/lib/kube/kube-objects";
import { resourceRef } from "@/lib/kube/kube-reads";
import { readObject } from "@/lib/kube/request-body";
import type { SphereletHost } from "@/lib/spherelet/host-tokens";

export const hostUsername = (host: string) => `system:node:${host}`;

export interface HostAgentRequest {
  verb: Verb;
  resource: ApiResource;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Which of its own objects the request is about, or a Forbidden naming what a host token may do. */
function authorizeHostAgent(host: SphereletHost, request: HostAgentRequest): "Node" | "Lease" {
  const { verb, resource, namespace, name, subresource } = request;
  const refuse = () =>
    forbidden(hostUsername(host.name), verb, resourceRef(resource, name), namespace, `a host's token reaches only its own Node (get, create, update of status), its Lease in ${NODE_LEASE_NAMESPACE} (get, create, update) and its machines`);
  const ownName = name === host.name || (name === undefined && verb === "create");
  if (resource.kind === "Node" && ownName && namespace === undefined) {
    if ((verb === "get" && subresource === undefined) || (verb === "create" && subresource === undefined) || (verb === "update" && subresource === "status")) return "Node";
  }
  if (resource.kind === "Lease" && ownName && namespace === NODE_LEASE_NAMESPACE && subresource === undefined && ["get", "create", "update"].includes(verb)) return "Lease";
  throw refuse();
}

interface IncomingObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; resourceVersion?: unknown; labels?: unknown; annotations?: unknown };
  spec?: unknown;
  status?: unknown;
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, field: string, causes: StatusCause[]): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) causes.push({ field: [field, ...issue.path].join("."), message: issue.message, reason: "FieldValueInvalid" });
  return undefined;
}

const definedOnly = (values: Record<string, string | undefined>) => Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));

/** Serves one request of a host's agent; the caller authenticated the host's token. */
export async function serveHostAgentRequest(pool: pg.Pool, host: SphereletHost, request: HostAgentRequest, http: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const kind = authorizeHostAgent(host, request);
  const ref = resourceRef(request.resource, host.name);
  const current = kind === "Node" ? await readNode(pool, host.name) : await readLease(pool, host.name);
  if (request.verb === "get") {
    if (!current) throw notFound(ref);
    return { status: 200, body: toKubeObject(current) };
  }

  const body = (await readObject(http)) as IncomingObject;
  if (body.metadata?.name !== host.name) throw badRequest(`the object's name must be the host's own, ${host.name}`);
  const apiVersion = request.resource.group ? `${request.resource.group}/${request.resource.version}` : request.resource.version;
  const causes: StatusCause[] = [];
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) causes.push({ field: "apiVersion", message: `must be ${apiVersion}` });
  if (body.kind !== undefined && body.kind !== kind) causes.push({ field: "kind", message: `must be ${kind}` });
  const expected = typeof body.metadata.resourceVersion === "string" && body.metadata.resourceVersion ? body.metadata.resourceVersion : undefined;

  try {
    if (kind === "Node") {
      const status = parsed(nodeStatusSchema, body.status ?? {}, "status", causes);
      // As kube-apiserver's status subresource does, an update of the status ignores metadata: only a registration names labels.
      const labels = request.verb === "create" ? parsed(agentNodeLabelsSchema, body.metadata.labels ?? {}, "metadata.labels", causes) : {};
      // Only the agent's own annotation is taken; the others it sends are dropped, and those stored stay as they are.
      const annotations = parsed(agentNodeAnnotationsSchema, body.metadata.annotations ?? {}, "metadata.annotations", causes);
      if (causes.length > 0 || !status || !labels || !annotations) throw invalid(ref, causes);
      if (request.verb === "create") {
        if (current) throw alreadyExists(ref);
        return { status: 201, body: toKubeObject(await registerNode(pool, host, { labels, annotations: definedOnly(annotations), status })) };
      }
      if (!current) throw notFound(ref);
      return { status: 200, body: toKubeObject(await reportNodeStatus(pool, current, status, definedOnly(annotations), expected)) };
    }
    const spec = parsed(leaseSpecSchema, body.spec, "spec", causes);
    if (spec && spec.holderIdentity !== host.name) causes.push({ field: "spec.holderIdentity", message: `must be the host's own name, ${host.name}` });
    if (causes.length > 0 || !spec) throw invalid(ref, causes);
    if (request.verb === "create") {
      if (current) throw alreadyExists(ref);
      return { status: 201, body: toKubeObject(await createLease(pool, host, spec)) };
    }
    if (!current) throw notFound(ref);
    return { status: 200, body: toKubeObject(await renewLease(pool, current, spec, expected)) };
  } catch (error) {
    if (error instanceof ConflictError) throw conflict(ref);
    if (error instanceof AlreadyExistsError) throw alreadyExists(ref);
    throw error;
  }
}
