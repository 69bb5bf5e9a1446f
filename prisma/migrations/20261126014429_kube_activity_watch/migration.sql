-- AlterTable
ALTER TABLE "tasks" ADD COLUMN     "created_version" BIGINT,
ADD COLUMN     "resource_version" BIGINT;

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "resource_version" BIGINT;

-- CreateIndex
CREATE INDEX "tasks_resource_version_idx" ON "tasks"("resource_version");

-- CreateIndex
CREATE INDEX "events_resource_version_idx" ON "events"("resource_version");

-- Tasks and events take their resourceVersion from the same sequence as resources, drawn after the
-- writer holds its transaction id, so the watch frontier (lib/kube/watch-frontier.ts) covers them
-- too. A task keeps the version it was created at, so a watch tells ADDED from MODIFIED.
CREATE FUNCTION "skylight_next_task_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_current_xact_id();
  NEW.resource_version := nextval('resource_version_seq');
  IF TG_OP = 'INSERT' THEN
    NEW.created_version := NEW.resource_version;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "tasks_next_version" BEFORE INSERT OR UPDATE ON "tasks" FOR EACH ROW EXECUTE FUNCTION "skylight_next_task_version"();
CREATE TRIGGER "events_next_version" BEFORE INSERT ON "events" FOR EACH ROW EXECUTE FUNCTION "skylight_next_resource_version"();
