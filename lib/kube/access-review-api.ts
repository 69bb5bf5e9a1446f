// Where the access reviews are served and how discovery and OpenAPI describe them:
// authorization.k8s.io/v1 SelfSubjectAccessReview, SelfSubjectRulesReview and SubjectAccessReview
// (`kubectl auth can-i`, `can-i --list`), and authentication.k8s.io SelfSubjectReview
// (`kubectl auth whoami`) in v1, which kubectl 1.28+ asks for first, and v1beta1, which kubectl
// 1.27 asks for. Each is a create-only, cluster-scoped resource that stores nothing.
export interface ReviewResource {
  group: string;
  version: string;
  kind: "SelfSubjectAccessReview" | "SelfSubjectRulesReview" | "SubjectAccessReview" | "SelfSubjectReview";
  plural: string;
}

const AUTHORIZATION = "authorization.k8s.io";
const AUTHENTICATION = "authentication.k8s.io";

export const REVIEW_RESOURCES: readonly ReviewResource[] = [
  { group: AUTHORIZATION, version: "v1", kind: "SelfSubjectAccessReview", plural: "selfsubjectaccessreviews" },
  { group: AUTHORIZATION, version: "v1", kind: "SelfSubjectRulesReview", plural: "selfsubjectrulesreviews" },
  { group: AUTHORIZATION, version: "v1", kind: "SubjectAccessReview", plural: "subjectaccessreviews" },
  { group: AUTHENTICATION, version: "v1", kind: "SelfSubjectReview", plural: "selfsubjectreviews" },
  { group: AUTHENTICATION, version: "v1beta1", kind: "SelfSubjectReview", plural: "selfsubjectreviews" },
];

const VERBS = ["create"];

/** The review a request path names (`/apis/<group>/<version>/<plural>`), or null. */
export function reviewResourceAt(path: string): ReviewResource | null {
  const [, apis, group, version, plural, ...rest] = path.split("/");
  if (apis !== "apis" || rest.length > 0) return null;
  return REVIEW_RESOURCES.find((resource) => resource.group === group && resource.version === version && resource.plural === plural) ?? null;
}

/** The review groups with their versions, the newest (preferred) first. */
function reviewGroups(): { name: string; versions: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const resource of REVIEW_RESOURCES) {
    const versions = groups.get(resource.group) ?? [];
    if (!versions.includes(resource.version)) groups.set(resource.group, [...versions, resource.version]);
  }
  return [...groups].map(([name, versions]) => ({ name, versions }));
}

const apiResource = (resource: ReviewResource) => ({ name: resource.plural, singularName: resource.kind.toLowerCase(), namespaced: false, kind: resource.kind, verbs: VERBS });

/** The groups for /apis (APIGroupList). */
export function reviewGroupList() {
  return reviewGroups().map((group) => {
    const versions = group.versions.map((version) => ({ groupVersion: `${group.name}/${version}`, version }));
    return { name: group.name, versions, preferredVersion: versions[0]! };
  });
}

/** /apis/<group>/<version> (APIResourceList), or null when no review is served there. */
export function reviewResourceList(group: string, version: string) {
  const resources = REVIEW_RESOURCES.filter((resource) => resource.group === group && resource.version === version);
  if (resources.length === 0) return null;
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: `${group}/${version}`, resources: resources.map(apiResource) };
}

/** The review groups' items of aggregated discovery (APIGroupDiscoveryList). */
export function reviewDiscoveryItems() {
  return reviewGroups().map((group) => ({
    metadata: { name: group.name },
    versions: group.versions.map((version) => ({
      version,
      freshness: "Current",
      resources: REVIEW_RESOURCES.filter((resource) => resource.group === group.name && resource.version === version).map((resource) => ({
        resource: resource.plural,
        responseKind: { group: resource.group, version: resource.version, kind: resource.kind },
        scope: "Cluster",
        singularResource: resource.kind.toLowerCase(),
        verbs: VERBS,
      })),
    })),
  }));
}

type Schema = Record<string, unknown>;
const string = (description: string): Schema => ({ type: "string", description });
const boolean = (description: string): Schema => ({ type: "boolean", description });
const strings = (description: string): Schema => ({ type: "array", description, items: { type: "string" } });
const object = (description: string, properties: Record<string, Schema>): Schema => ({ type: "object", description, properties });
const extra = { type: "object", description: "Extra attributes of the user; Skylight's users carry none.", additionalProperties: { type: "array", items: { type: "string" } } };

const resourceAttributes = object("A request to a resource, as authorization sees it.", {
  namespace: string("The namespace; empty for all namespaces or a cluster-scoped resource."),
  verb: string("get, list, watch, create, update, patch or delete; * for every verb."),
  group: string("The API group; * for every group."),
  version: string("The API version."),
  resource: string("The resource's plural name; * for every resource."),
  subresource: string("A subresource: status, scale, or a pod's log, exec, attach, portforward."),
  name: string("The object's name; empty for any."),
});
const nonResourceAttributes = object("A request to a path that is not a resource.", { path: string("The URL path."), verb: string("The HTTP verb, lowercase.") });
const accessSpec = (subject: Record<string, Schema>) =>
  object("The request to decide: one of resourceAttributes and nonResourceAttributes.", { resourceAttributes, nonResourceAttributes, ...subject });
const accessStatus = object("The decision, by the rules every request is decided by.", {
  allowed: boolean("Whether the request would be allowed."),
  denied: boolean("Whether it would be refused."),
  reason: string("Why not, in Skylight's words."),
  evaluationError: string("Why the question could not be answered."),
});
const userInfo = object("A user as the API knows them.", {
  username: string("The user's name."),
  uid: string("The user's id."),
  groups: strings("system:authenticated, the user's role (skylight:administrators, skylight:operators, skylight:developers), their Skylight groups; system:nodes for a host agent."),
  extra,
});
const rule = (description: string, properties: Record<string, Schema>) => ({ type: "array", description, items: object("A rule.", properties) });

const REVIEW_SCHEMAS: Record<ReviewResource["kind"], { description: string; spec?: Schema; status: Schema }> = {
  SelfSubjectAccessReview: { description: "Asks whether the caller may make a request (kubectl auth can-i).", spec: accessSpec({}), status: accessStatus },
  SubjectAccessReview: {
    description: "Asks whether a user may make a request; administrators only.",
    spec: accessSpec({ user: string("The user's name."), uid: string("The user's id."), groups: strings("Groups the user must be in."), extra }),
    status: accessStatus,
  },
  SelfSubjectRulesReview: {
    description: "Lists what the caller may do in a namespace (kubectl auth can-i --list).",
    spec: object("The namespace to list the rules for.", { namespace: string("The namespace.") }),
    status: object("The rules.", {
      resourceRules: rule("What the caller may do to resources.", { verbs: strings("Verbs."), apiGroups: strings("API groups."), resources: strings("Resources."), resourceNames: strings("Names, when limited to some.") }),
      nonResourceRules: rule("What the caller may do to other paths.", { verbs: strings("Verbs."), nonResourceURLs: strings("Paths; a trailing * matches any rest.") }),
      incomplete: boolean("Whether the list may leave something out; false: it is complete."),
      evaluationError: string("Why the rules could not be listed."),
    }),
  },
  SelfSubjectReview: { description: "Says who the caller is (kubectl auth whoami).", status: object("Who the caller is.", { userInfo }) },
};

const definitionName = (resource: ReviewResource) => `io.k8s.api.${resource.group.split(".")[0]}.${resource.version}.${resource.kind}`;

/** OpenAPI definitions (v2) or component schemas (v3) of the reviews, optionally of one group-version. */
export function reviewSchemas(metaRef: Schema, only?: { group: string; version: string }): Record<string, Schema> {
  const schemas: Record<string, Schema> = {};
  for (const resource of REVIEW_RESOURCES.filter((candidate) => !only || (candidate.group === only.group && candidate.version === only.version))) {
    const kind = REVIEW_SCHEMAS[resource.kind];
    schemas[definitionName(resource)] = {
      ...object(kind.description, {
        apiVersion: string(`APIVersion: ${resource.group}/${resource.version}.`),
        kind: string(`Kind: ${resource.kind}.`),
        metadata: { ...metaRef, description: "Standard object metadata." },
        ...(kind.spec ? { spec: kind.spec } : {}),
        status: kind.status,
      }),
      ...(kind.spec ? { required: ["spec"] } : {}),
      "x-kubernetes-group-version-kind": [{ group: resource.group, version: resource.version, kind: resource.kind }],
    };
  }
  return schemas;
}

/** OpenAPI paths of the reviews (POST only), optionally of one group-version. */
export function reviewPaths(parameters: unknown[], only?: { group: string; version: string }): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const resource of REVIEW_RESOURCES.filter((candidate) => !only || (candidate.group === only.group && candidate.version === only.version))) {
    paths[`/apis/${resource.group}/${resource.version}/${resource.plural}`] = {
      post: {
        operationId: `create${resource.kind}`,
        "x-kubernetes-action": "post",
        "x-kubernetes-group-version-kind": { group: resource.group, version: resource.version, kind: resource.kind },
        parameters,
        responses: { "201": { description: "Created" } },
      },
    };
  }
  return paths;
}

/** The OpenAPI v3 document paths (`apis/<group>/<version>`) the reviews add. */
export const reviewOpenApiV3Paths = () => [...new Set(REVIEW_RESOURCES.map((resource) => `apis/${resource.group}/${resource.version}`))];
