// How Kubernetes names a service account as a user, and the groups it is in:
// system:serviceaccount:<namespace>:<name>, in system:serviceaccounts and
// system:serviceaccounts:<namespace>. Skylight's usernames cannot contain ":", so no user can
// take a service account's name.
export const SERVICE_ACCOUNT_USER_PREFIX = "system:serviceaccount:";
export const SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";

export const serviceAccountUsername = (namespace: string, name: string) => `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`;

/** The namespace and name in a service account's username, or null for any other user. */
export function serviceAccountOf(username: string): { namespace: string; name: string } | null {
  if (!username.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) return null;
  const [namespace, name, ...rest] = username.slice(SERVICE_ACCOUNT_USER_PREFIX.length).split(":");
  return namespace && name && rest.length === 0 ? { namespace, name } : null;
}

export const serviceAccountGroups = (namespace: string) => [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`];
