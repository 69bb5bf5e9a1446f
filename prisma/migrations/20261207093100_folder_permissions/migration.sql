-- Folder permissions (lib/auth/folder-access.ts) live in each Folder's spec and hold on everything
-- below it, so a change to them, to where a folder sits, or to which folder a VM is in may widen or
-- narrow anyone's access: tell the long-lived streams at once (lib/auth/access-changes.ts), as for
-- a namespace's permissions. PostgreSQL folds the identical notices of one transaction (a bulk
-- Move To Folder of 500 VMs) into one.
CREATE TRIGGER "resources_notify_folder_access_update" AFTER UPDATE ON "resources" FOR EACH ROW
  WHEN ((OLD.kind = 'Folder' AND (OLD.spec -> 'permissions' IS DISTINCT FROM NEW.spec -> 'permissions' OR OLD.spec -> 'parent' IS DISTINCT FROM NEW.spec -> 'parent'))
     OR (OLD.kind = 'VirtualMachine' AND OLD.labels -> 'skylight.io/folder' IS DISTINCT FROM NEW.labels -> 'skylight.io/folder'))
  EXECUTE FUNCTION "skylight_notify_namespace_access"();
CREATE TRIGGER "resources_notify_folder_access_delete" AFTER DELETE ON "resources" FOR EACH ROW
  WHEN (OLD.kind = 'Folder')
  EXECUTE FUNCTION "skylight_notify_namespace_access"();

-- The VMs of the folders a reader holds a role on, looked up once per statement by visibility.
CREATE INDEX "resources_vm_folder_idx" ON "resources" ((labels->>'skylight.io/folder')) WHERE kind = 'VirtualMachine';
