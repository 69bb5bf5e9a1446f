-- CreateTable
CREATE TABLE "user_preferences" (
    "user_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_preferences_pkey" PRIMARY KEY ("user_id","key")
);

-- AddForeignKey
ALTER TABLE "user_preferences" ADD CONSTRAINT "user_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Search: trigram indexes make "name contains" and "IP contains" index scans at 45,000 VMs.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "resources_name_trgm_idx" ON "resources" USING gin ("name" gin_trgm_ops);
CREATE INDEX "resources_vm_ip_trgm_idx" ON "resources" USING gin ((status->'network'->>'primaryIP4') gin_trgm_ops) WHERE kind = 'VirtualMachine';
CREATE INDEX "resources_labels_idx" ON "resources" USING gin ("labels" jsonb_path_ops);

-- Lists and the navigator: the columns VM lists sort by, and each host's cluster.
CREATE INDEX "resources_kind_name_idx" ON "resources" ("kind", "name");
CREATE INDEX "resources_vm_power_idx" ON "resources" ((status->>'powerState'), "name") WHERE kind = 'VirtualMachine';
CREATE INDEX "resources_vm_cluster_idx" ON "resources" ((labels->>'skylight.io/cluster'), "name") WHERE kind = 'VirtualMachine';
CREATE INDEX "resources_host_cluster_idx" ON "resources" ((spec->>'cluster'), "name") WHERE kind = 'Host';
CREATE INDEX "tasks_target_queued_idx" ON "tasks" ("target_uid", "queued_at");
CREATE INDEX "tasks_initiator_queued_idx" ON "tasks" ("initiator", "queued_at");

-- Live updates: every committed statement that changes objects, tasks or events sends one
-- NOTIFY naming what changed, so every app process can push it to its browsers. A statement
-- that touches many rows sends the kinds only (uids null) to stay under NOTIFY's 8000 bytes.
CREATE FUNCTION "skylight_notify_resource_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payload jsonb;
BEGIN
  SELECT jsonb_build_object(
           'source', 'resources',
           'kinds', COALESCE(jsonb_agg(DISTINCT kind), '[]'::jsonb),
           'uids', CASE WHEN count(*) <= 40 THEN jsonb_agg(uid) END,
           'count', count(*))
    INTO payload FROM changed;
  IF (payload->>'count')::int > 0 THEN
    PERFORM pg_notify('skylight_changes', payload::text);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "skylight_notify_task_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payload jsonb;
BEGIN
  SELECT jsonb_build_object(
           'source', 'tasks',
           'kinds', COALESCE(jsonb_agg(DISTINCT target_kind), '[]'::jsonb),
           'uids', CASE WHEN count(*) <= 40 THEN COALESCE(jsonb_agg(target_uid) FILTER (WHERE target_uid IS NOT NULL), '[]'::jsonb) END,
           'ids', CASE WHEN count(*) <= 40 THEN jsonb_agg(id) END,
           'count', count(*))
    INTO payload FROM changed;
  IF (payload->>'count')::int > 0 THEN
    PERFORM pg_notify('skylight_changes', payload::text);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "skylight_notify_event_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payload jsonb;
BEGIN
  SELECT jsonb_build_object(
           'source', 'events',
           'kinds', COALESCE(jsonb_agg(DISTINCT object_kind), '[]'::jsonb),
           'uids', CASE WHEN count(*) <= 40 THEN COALESCE(jsonb_agg(object_uid) FILTER (WHERE object_uid IS NOT NULL), '[]'::jsonb) END,
           'count', count(*))
    INTO payload FROM changed;
  IF (payload->>'count')::int > 0 THEN
    PERFORM pg_notify('skylight_changes', payload::text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "resources_notify_insert" AFTER INSERT ON "resources" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_resource_changes"();
CREATE TRIGGER "resources_notify_update" AFTER UPDATE ON "resources" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_resource_changes"();
CREATE TRIGGER "resources_notify_delete" AFTER DELETE ON "resources" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_resource_changes"();
CREATE TRIGGER "tasks_notify_insert" AFTER INSERT ON "tasks" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_task_changes"();
CREATE TRIGGER "tasks_notify_update" AFTER UPDATE ON "tasks" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_task_changes"();
CREATE TRIGGER "events_notify_insert" AFTER INSERT ON "events" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_event_changes"();
