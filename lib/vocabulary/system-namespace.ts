// The `default` namespace every Kubernetes cluster has: Skylight's system namespace, made by the
// migration default_namespace on every database. Every signed-in user may read it (its permission
// names kube's group of all authenticated users, which namespace-access.ts gives everyone); only
// administrators change what is in it (lib/auth/authorize.ts). It belongs to no cluster.
export const SYSTEM_NAMESPACE = "default";

/** Kube's group of every authenticated user: a namespace permission naming it applies to everyone signed in. */
export const ALL_USERS_GROUP = "system:authenticated";
