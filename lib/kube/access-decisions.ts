// Answers to "may this user make this request?" and "what may they do in this namespace?", taken
// from the very functions that decide real requests — authorizeKube and visibilityFor
// (kube-access.ts), authorizeStream for a pod's streams — never from a second copy of the rules.
// A verb a resource does not serve is "no" (the request would be refused, 405), as is a resource
// Skylight does not serve. The answers feed SelfSubjectAccessReview, SubjectAccessReview and
// SelfSubjectRulesReview (access-reviews.ts).
import { can } from "@/lib/auth/authorize";
import type { Db } from "@/lib/db/pool";
import { REVIEW_RESOURCES } from "@/lib/kube/access-review-api";
import { READ_VERBS, servedResources, statusVerbs, type ApiResource, type Verb } from "@/lib/kube/api-resources";
import { KubeApiError } from "@/lib/kube/api-status";
import { authorizeKube, visibilityFor, type KubeActor } from "@/lib/kube/kube-access";
import { resourceRef } from "@/lib/kube/kube-reads";
import { authorizeStream, type PodStreamSubresource } from "@/lib/kube/pod-streams/pod-stream-route";

export interface ResourceAttributes {
  namespace: string;
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  name: string;
}

export interface NonResourceAttributes {
  path: string;
  verb: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

const YES: Decision = { allowed: true, reason: "" };
const no = (reason: string): Decision => ({ allowed: false, reason });

const POD_STREAMS: Record<string, string> = { log: "get", exec: "create", attach: "create", portforward: "create" };
const SCALE_VERBS = ["get", "update", "patch"];
/** What only administrators do beyond the served resources: ask for others, and act as them. */
const ADMINISTRATOR_RULES = [
  { apiGroups: ["authorization.k8s.io"], resources: ["subjectaccessreviews"], verbs: ["create"] },
  { apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] },
  { apiGroups: ["authentication.k8s.io"], resources: ["uids", "userextras"], verbs: ["impersonate"] },
];
/** The paths that are no resource, which every authenticated caller may GET. */
const NON_RESOURCE_URLS = ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz", "/openapi", "/openapi/*", "/version"];

const served = (url: string, path: string) => (url.endsWith("*") ? path.startsWith(url.slice(0, -1)) : path === url);

/** A Forbidden's reason without kube's preamble (`… is forbidden: User "dev" cannot get resource "pods" … in the namespace "x": `), which the review already says. */
const reasonOf = (message: string) => message.replace(/^.*? (?:in the namespace "[^"]*"|at the cluster scope): /s, "");

/** Whether a refused request is refused for this actor (a Status), or the server failed (rethrown). */
async function verdict(decision: Promise<void>): Promise<Decision> {
  try {
    await decision;
    return YES;
  } catch (error) {
    if (error instanceof KubeApiError && (error.code === 403 || error.code === 404)) return no(reasonOf(error.message));
    throw error;
  }
}

const plainRefusal = (attributes: ResourceAttributes, why: string) => no(`Skylight does not serve ${attributes.verb} on ${attributes.resource}${attributes.subresource ? `/${attributes.subresource}` : ""}${attributes.group ? `.${attributes.group}` : ""}: ${why}`);

/** The decision for one served resource and one verb, as a real request would get it. */
async function decideServed(db: Db, actor: KubeActor, resource: ApiResource, attributes: ResourceAttributes): Promise<Decision> {
  const { verb, subresource, name } = attributes;
  const namespace = resource.namespaced && attributes.namespace ? attributes.namespace : undefined;
  if (subresource && resource.kind === "Pod" && POD_STREAMS[subresource]) {
    if (POD_STREAMS[subresource] !== verb) return plainRefusal(attributes, `pods/${subresource} answers ${POD_STREAMS[subresource]} only`);
    if (!namespace) return plainRefusal(attributes, "a pod's streams are opened in a namespace");
    return verdict(authorizeStream({ actor, token: "", host: null }, { namespace, name, subresource: subresource as PodStreamSubresource }, db));
  }
  const verbs: readonly string[] | null = subresource === "" ? resource.verbs : subresource === "status" && resource.hasStatus ? statusVerbs(resource) : subresource === "scale" && resource.hasScale ? SCALE_VERBS : null;
  if (!verbs) return plainRefusal(attributes, "no such subresource");
  if (!verbs.includes(verb)) return plainRefusal(attributes, `it answers ${verbs.join(", ")}`);
  return verdict(authorizeKube(actor, verb as Verb, resourceRef(resource, name || undefined), namespace, db));
}

const matches = (wanted: string, actual: string) => wanted === "*" || wanted === actual;

/** May the actor make the request these attributes describe? `*` in verb, group or resource means every one. */
export async function decideResource(db: Db, actor: KubeActor, attributes: ResourceAttributes): Promise<Decision> {
  const resources = servedResources().filter((resource) => matches(attributes.group, resource.group) && matches(attributes.resource, resource.plural));
  if (attributes.verb === "*" || attributes.group === "*" || attributes.resource === "*") {
    if (resources.length === 0) return no(`Skylight serves no resource ${attributes.resource} in API group "${attributes.group}"`);
    // Every verb on every matching resource: the first refusal answers.
    for (const resource of resources) {
      for (const verb of attributes.verb === "*" ? (resource.verbs as readonly string[]) : [attributes.verb]) {
        const decision = await decideServed(db, actor, resource, { ...attributes, verb, resource: resource.plural, group: resource.group });
        if (!decision.allowed) return decision;
      }
    }
    return YES;
  }
  const resource = resources[0];
  if (resource) return decideServed(db, actor, resource, attributes);
  const review = REVIEW_RESOURCES.find((candidate) => candidate.group === attributes.group && candidate.plural === attributes.resource);
  if (review) {
    if (attributes.verb !== "create") return plainRefusal(attributes, "reviews are only created");
    return review.kind === "SubjectAccessReview" && !can(actor, "users.manage") ? no("only administrators may ask what others may do") : YES;
  }
  const administratorOnly = ADMINISTRATOR_RULES.find((rule) => rule.apiGroups.includes(attributes.group) && rule.resources.includes(attributes.resource) && rule.verbs.includes(attributes.verb));
  if (administratorOnly) return can(actor, "users.manage") ? YES : no("only administrators may act as another user");
  return no(`Skylight serves no resource "${attributes.resource}" in API group "${attributes.group}"`);
}

/** May the actor make a request to this path, which names no resource? Every authenticated caller may read discovery, OpenAPI, health and version. */
export function decideNonResource(attributes: NonResourceAttributes): Decision {
  if (attributes.verb !== "get") return no(`Skylight answers only get on paths that name no resource`);
  return NON_RESOURCE_URLS.some((url) => served(url, attributes.path)) ? YES : no(`Skylight serves nothing at ${attributes.path}`);
}

export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
}

const ruleOf = (group: string, resource: string, verbs: string[], resourceNames?: string[]): ResourceRule => ({ verbs, apiGroups: [group], resources: [resource], ...(resourceNames ? { resourceNames } : {}) });

/** The verbs of `verbs` the actor may use on the resource (and subresource) in the namespace, or on one name. */
async function allowedVerbs(db: Db, actor: KubeActor, resource: ApiResource, namespace: string, verbs: readonly string[], subresource = "", name = ""): Promise<string[]> {
  const decisions = await Promise.all(verbs.map((verb) => decideServed(db, actor, resource, { namespace, verb, group: resource.group, resource: resource.plural, subresource, name })));
  return verbs.filter((_, index) => decisions[index]!.allowed);
}

/**
 * Everything the actor may do in `namespace` (and to cluster-scoped resources), complete: per
 * served resource the verbs a request would be allowed, its subresources likewise, and where
 * visibility is narrowed to some names (a developer's clusters, classes, namespaces), the names.
 */
export async function rulesFor(db: Db, actor: KubeActor, namespace: string): Promise<{ resourceRules: ResourceRule[]; nonResourceRules: { verbs: string[]; nonResourceURLs: string[] }[] }> {
  const perResource = await Promise.all(
    servedResources().map(async (resource): Promise<ResourceRule[]> => {
      const rules: ResourceRule[] = [];
      const verbs = await allowedVerbs(db, actor, resource, namespace, resource.verbs);
      const narrowed = resource.namespaced ? null : (await visibilityFor(actor, resource, db)).names;
      // A cluster-scoped object the actor sees only by name: a nameless get or write says nothing of it.
      const blanket = narrowed === null ? verbs : verbs.filter((verb) => verb === "list" || verb === "watch" || verb === "create");
      if (blanket.length > 0) rules.push(ruleOf(resource.group, resource.plural, blanket));
      if (resource.hasStatus && blanket.includes("get")) rules.push(ruleOf(resource.group, `${resource.plural}/status`, await allowedVerbs(db, actor, resource, namespace, statusVerbs(resource), "status")));
      // What visibility names, the actor may get (the same scope authorize reads); writes are asked per name.
      const writes = resource.verbs.filter((verb) => !(READ_VERBS as readonly string[]).includes(verb) && !blanket.includes(verb));
      const byVerbs = new Map<string, string[]>();
      for (const name of narrowed ?? []) {
        const named = ["get", ...(writes.length > 0 ? await allowedVerbs(db, actor, resource, namespace, writes, "", name) : [])].join(" ");
        byVerbs.set(named, [...(byVerbs.get(named) ?? []), name]);
      }
      for (const [named, resourceNames] of byVerbs) {
        rules.push(ruleOf(resource.group, resource.plural, named.split(" "), resourceNames));
        if (resource.hasStatus) rules.push(ruleOf(resource.group, `${resource.plural}/status`, [...statusVerbs(resource)], resourceNames));
      }
      if (resource.hasScale) {
        const scale = await allowedVerbs(db, actor, resource, namespace, SCALE_VERBS, "scale");
        if (scale.length > 0) rules.push(ruleOf(resource.group, `${resource.plural}/scale`, scale));
      }
      if (resource.kind === "Pod") {
        for (const [subresource, verb] of Object.entries(POD_STREAMS)) {
          if ((await allowedVerbs(db, actor, resource, namespace, [verb], subresource)).length > 0) rules.push(ruleOf("", `pods/${subresource}`, [verb]));
        }
      }
      return rules;
    }),
  );
  const reviews = [ruleOf("authorization.k8s.io", "selfsubjectaccessreviews", ["create"]), ruleOf("authorization.k8s.io", "selfsubjectrulesreviews", ["create"]), ruleOf("authentication.k8s.io", "selfsubjectreviews", ["create"])];
  return {
    resourceRules: [...perResource.flat(), ...reviews, ...(can(actor, "users.manage") ? ADMINISTRATOR_RULES : [])],
    nonResourceRules: [{ verbs: ["get"], nonResourceURLs: NON_RESOURCE_URLS }],
  };
}
