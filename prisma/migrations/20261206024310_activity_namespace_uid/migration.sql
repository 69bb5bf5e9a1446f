-- AlterTable
ALTER TABLE "tasks" ADD COLUMN     "target_namespace_uid" UUID;

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "object_namespace_uid" UUID;

-- CreateIndex
CREATE INDEX "tasks_target_namespace_uid_queued_at_idx" ON "tasks"("target_namespace_uid", "queued_at");

-- CreateIndex
CREATE INDEX "events_object_namespace_uid_time_idx" ON "events"("object_namespace_uid", "time");


-- Tasks and events record the uid of the namespace their object lived in, so that who sees them is
-- decided by identity: a namespace deleted and re-created under the same name is another namespace,
-- and its new members never see the old one's history. Filled on insert when the writer did not.
CREATE FUNCTION "skylight_task_namespace_uid"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.target_namespace_uid := (SELECT uid FROM resources WHERE kind = 'Namespace' AND namespace = '' AND name = NEW.target_namespace);
  RETURN NEW;
END $$;

CREATE FUNCTION "skylight_event_namespace_uid"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.object_namespace_uid := (SELECT uid FROM resources WHERE kind = 'Namespace' AND namespace = '' AND name = NEW.object_namespace);
  RETURN NEW;
END $$;

CREATE TRIGGER "tasks_namespace_uid" BEFORE INSERT ON "tasks" FOR EACH ROW
  WHEN (NEW.target_namespace <> '' AND NEW.target_namespace_uid IS NULL) EXECUTE FUNCTION "skylight_task_namespace_uid"();
CREATE TRIGGER "events_namespace_uid" BEFORE INSERT ON "events" FOR EACH ROW
  WHEN (NEW.object_namespace <> '' AND NEW.object_namespace_uid IS NULL) EXECUTE FUNCTION "skylight_event_namespace_uid"();

-- Rows written before: the namespace that has the name now, unless it was created after the row was
-- written (then the row belonged to an earlier namespace of that name and stays visible only to
-- administrators and operators).
UPDATE "tasks" t SET "target_namespace_uid" = n.uid FROM "resources" n
 WHERE n.kind = 'Namespace' AND n.namespace = '' AND n.name = t.target_namespace AND t.target_namespace <> '' AND n.creation_timestamp <= t.queued_at;
UPDATE "events" e SET "object_namespace_uid" = n.uid FROM "resources" n
 WHERE n.kind = 'Namespace' AND n.namespace = '' AND n.name = e.object_namespace AND e.object_namespace <> '' AND n.creation_timestamp <= e.time;
