-- The `default` namespace every Kubernetes cluster has (lib/vocabulary/system-namespace.ts): on no
-- cluster, using no VM class, image or datastore, readable by every signed-in user through kube's
-- group system:authenticated. An installation that already has a namespace of that name keeps it.
INSERT INTO "resources" ("api_version", "kind", "namespace", "name", "spec")
VALUES ('v1', 'Namespace', '', 'default',
        '{"limits": {}, "vmClasses": [], "images": [], "storageClasses": [], "permissions": [{"kind": "Group", "name": "system:authenticated", "role": "view"}]}')
ON CONFLICT ("kind", "namespace", "name") DO NOTHING;
