-- CreateTable
CREATE TABLE "alarm_definitions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "object_kind" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "condition" TEXT NOT NULL,
    "warning_threshold" REAL,
    "critical_threshold" REAL,
    "duration_seconds" INTEGER NOT NULL DEFAULT 0,
    "severity" TEXT NOT NULL DEFAULT 'warning',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "built_in" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "event_cursor" BIGINT NOT NULL DEFAULT 0,
    "updated_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alarm_definitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alarm_states" (
    "definition_id" UUID NOT NULL,
    "object_uid" UUID NOT NULL,
    "object_kind" TEXT NOT NULL,
    "object_namespace" TEXT NOT NULL DEFAULT '',
    "object_name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'green',
    "pending_since" TIMESTAMPTZ(3),
    "pending_status" TEXT,
    "triggered_at" TIMESTAMPTZ(3),
    "value" REAL,
    "message" TEXT NOT NULL DEFAULT '',
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,

    CONSTRAINT "alarm_states_pkey" PRIMARY KEY ("definition_id","object_uid")
);

-- CreateTable
CREATE TABLE "metric_rollups" (
    "level" SMALLINT NOT NULL,
    "rolled_until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "metric_rollups_pkey" PRIMARY KEY ("level")
);

-- CreateIndex
CREATE UNIQUE INDEX "alarm_definitions_name_key" ON "alarm_definitions"("name");

-- CreateIndex
CREATE INDEX "alarm_states_object_uid_idx" ON "alarm_states"("object_uid");

-- CreateIndex
CREATE INDEX "alarm_states_status_triggered_at_idx" ON "alarm_states"("status", "triggered_at");

-- CreateIndex
CREATE INDEX "events_severity_time_idx" ON "events"("severity", "time");

-- CreateIndex
CREATE INDEX "events_reason_time_idx" ON "events"("reason", "time");

-- CreateIndex
CREATE INDEX "events_actor_time_idx" ON "events"("actor", "time");

-- AddForeignKey
ALTER TABLE "alarm_states" ADD CONSTRAINT "alarm_states_definition_id_fkey" FOREIGN KEY ("definition_id") REFERENCES "alarm_definitions"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Performance samples, one row per object per sample, partitioned by rollup level so each
-- level's purge and scans touch only its own table. Values are 4-byte reals; a column an object
-- does not report (a datastore's CPU) is NULL and costs one bit.
CREATE TABLE "metric_samples" (
    "level" SMALLINT NOT NULL,
    "object_uid" UUID NOT NULL,
    "time" TIMESTAMPTZ NOT NULL,
    "cpu_mhz" REAL,
    "cpu_pct" REAL,
    "mem_consumed_mib" REAL,
    "mem_active_mib" REAL,
    "mem_pct" REAL,
    "disk_kbps" REAL,
    "net_kbps" REAL,
    "storage_used_gib" REAL,
    "storage_pct" REAL,
    CONSTRAINT "metric_samples_pkey" PRIMARY KEY ("level", "object_uid", "time")
) PARTITION BY LIST ("level");
CREATE TABLE "metric_samples_20s" PARTITION OF "metric_samples" FOR VALUES IN (0);
CREATE TABLE "metric_samples_5min" PARTITION OF "metric_samples" FOR VALUES IN (1);
CREATE TABLE "metric_samples_30min" PARTITION OF "metric_samples" FOR VALUES IN (2);
CREATE TABLE "metric_samples_2h" PARTITION OF "metric_samples" FOR VALUES IN (3);
CREATE TABLE "metric_samples_1day" PARTITION OF "metric_samples" FOR VALUES IN (4);
-- Rollups and purges read a level by time range; charts read one object's range through the key.
CREATE INDEX "metric_samples_level_time_idx" ON "metric_samples" ("level", "time");

-- The built-in alarm definitions, as vSphere ships them (thresholds from the issue).
-- Event alarms start from the events recorded after them, never replaying history.
INSERT INTO "alarm_definitions" ("name", "description", "object_kind", "metric", "condition", "warning_threshold", "critical_threshold", "duration_seconds", "severity", "built_in", "event_cursor")
SELECT d.*, true, (SELECT COALESCE(max("id"), 0) FROM "events") FROM (VALUES
  ('Host connection lost', 'The host stopped answering heartbeats.', 'Host', 'host.notResponding', 'is', NULL::real, NULL::real, 0, 'critical'),
  ('Host CPU usage', 'CPU usage above 90 % for 5 minutes.', 'Host', 'cpu.usage', 'above', NULL, 90, 300, 'critical'),
  ('Host memory usage', 'Memory usage above 90 % for 5 minutes.', 'Host', 'mem.usage', 'above', NULL, 90, 300, 'critical'),
  ('Datastore usage on disk', 'Warning above 85 % used, critical above 95 %.', 'Datastore', 'disk.used', 'above', 85, 95, 0, 'warning'),
  ('vSphere HA failover happened', 'vSphere HA restarted virtual machines after a host failure.', 'Cluster', 'event.haFailover', 'is', NULL, NULL, 0, 'warning'),
  ('Namespace near its limits', 'CPU, memory or storage above 90 % of the namespace''s limit.', 'Namespace', 'namespace.limitUsage', 'above', 90, NULL, 0, 'warning'),
  ('Virtual machine powered off unexpectedly', 'The VM was powered off outside Skylight.', 'VirtualMachine', 'event.vmPoweredOffUnexpectedly', 'is', NULL, NULL, 0, 'warning')
) AS d;

-- Live updates: alarm states change the navigator's health icons and the alarm lists, so their
-- changes are announced like objects' (lib/live). Performance samples are not: the leader sends
-- one notice per sample round instead of one per row.
CREATE FUNCTION "skylight_notify_alarm_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payload jsonb;
BEGIN
  SELECT jsonb_build_object(
           'source', 'alarms',
           'kinds', COALESCE(jsonb_agg(DISTINCT object_kind), '[]'::jsonb),
           'uids', CASE WHEN count(*) <= 40 THEN jsonb_agg(object_uid) END,
           'count', count(*))
    INTO payload FROM changed;
  IF (payload->>'count')::int > 0 THEN
    PERFORM pg_notify('skylight_changes', payload::text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "alarm_states_notify_insert" AFTER INSERT ON "alarm_states" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_alarm_changes"();
CREATE TRIGGER "alarm_states_notify_update" AFTER UPDATE ON "alarm_states" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_alarm_changes"();
CREATE TRIGGER "alarm_states_notify_delete" AFTER DELETE ON "alarm_states" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_alarm_changes"();

-- The Events views' "object name contains" filter, as search does for objects.
CREATE INDEX "events_object_name_trgm_idx" ON "events" USING gin ("object_name" gin_trgm_ops);
