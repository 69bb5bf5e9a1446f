// Discovery documents: /version, /api, /apis, each group-version's resource list, and aggregated
// discovery (apidiscovery.k8s.io v2 and v2beta1), which kubectl 1.27+ asks for first.
import { apiGroups, groupVersionOf, servedKind, servedResources, statusVerbs, type ApiResource } from "@/lib/kube/api-resources";
import { reviewDiscoveryItems, reviewGroupList, reviewResourceList } from "@/lib/kube/access-review-api";

export const VERSION_INFO = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-skylight",
  gitCommit: "skylight",
  gitTreeState: "clean",
  buildDate: "2026-11-25T00:00:00Z",
  goVersion: "go1.23",
  compiler: "gc",
  platform: "linux/amd64",
};

/** The scale subresource answers autoscaling/v1 Scale, which kubectl scale reads and patches. */
const SCALE_KIND = { group: "autoscaling", version: "v1", kind: "Scale" };
const SCALE_VERBS = ["get", "patch", "update"];

function resourceEntries(resource: ApiResource) {
  const main = {
    name: resource.plural,
    singularName: resource.singular,
    namespaced: resource.namespaced,
    kind: servedKind(resource),
    verbs: resource.verbs,
    shortNames: resource.shortNames,
    categories: resource.categories.length > 0 ? resource.categories : undefined,
  };
  return [
    main,
    ...(resource.hasStatus ? [{ name: `${resource.plural}/status`, singularName: "", namespaced: resource.namespaced, kind: servedKind(resource), verbs: statusVerbs(resource) }] : []),
    ...(resource.hasScale ? [{ name: `${resource.plural}/scale`, singularName: "", namespaced: resource.namespaced, ...SCALE_KIND, verbs: SCALE_VERBS }] : []),
  ];
}

export function coreVersions() {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "" }] };
}

export function groupList() {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: apiGroups().map((group) => {
      const versions = group.versions.map((version) => ({ groupVersion: `${group.name}/${version}`, version }));
      return { name: group.name, versions, preferredVersion: versions[0]! };
    }).concat(reviewGroupList()),
  };
}

export function resourceList(group: string, version: string) {
  const resources = servedResources().filter((resource) => resource.group === group && resource.version === version);
  if (resources.length === 0) return reviewResourceList(group, version);
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: groupVersionOf({ group, version }), resources: resources.flatMap(resourceEntries) };
}

export type AggregatedVersion = "v2" | "v2beta1";

/** The aggregated discovery version the Accept header asks for, if any. */
export function aggregatedDiscoveryVersion(accept: string | undefined): AggregatedVersion | null {
  if (!accept?.includes("as=APIGroupDiscoveryList")) return null;
  for (const candidate of accept.split(",")) {
    if (!candidate.includes("as=APIGroupDiscoveryList") || !candidate.includes("g=apidiscovery.k8s.io")) continue;
    if (candidate.includes("v=v2beta1")) return "v2beta1";
    if (candidate.includes("v=v2")) return "v2";
  }
  return null;
}

export const aggregatedContentType = (version: AggregatedVersion) => `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

/** Aggregated discovery for the core group (`legacy`) or every named group. */
export function aggregatedDiscovery(version: AggregatedVersion, legacy: boolean) {
  const groups = legacy ? [{ name: "", versions: ["v1"] }] : apiGroups();
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((group): Record<string, unknown> => ({
      metadata: group.name ? { name: group.name } : {},
      versions: group.versions.map((version) => ({
          version,
          freshness: "Current",
          resources: servedResources().filter((resource) => resource.group === group.name && resource.version === version).map((resource) => ({
            resource: resource.plural,
            responseKind: { group: resource.group, version: resource.version, kind: servedKind(resource) },
            scope: resource.namespaced ? "Namespaced" : "Cluster",
            singularResource: resource.singular,
            verbs: resource.verbs,
            shortNames: resource.shortNames,
            ...(resource.categories.length > 0 ? { categories: resource.categories } : {}),
            ...(resource.hasStatus || resource.hasScale
              ? {
                  subresources: [
                    ...(resource.hasStatus ? [{ subresource: "status", responseKind: { group: resource.group, version: resource.version, kind: servedKind(resource) }, verbs: statusVerbs(resource) }] : []),
                    ...(resource.hasScale ? [{ subresource: "scale", responseKind: SCALE_KIND, verbs: SCALE_VERBS }] : []),
                  ],
                }
              : {}),
          })),
        })),
    })).concat(legacy ? [] : reviewDiscoveryItems()),
  };
}
