-- The built-in "VM/Host rule violated" alarm: a cluster whose running VMs violate one of its
-- enabled VM/Host rules (status.ruleViolations, written by the cluster controller).
INSERT INTO "alarm_definitions" ("name", "description", "object_kind", "metric", "condition", "warning_threshold", "critical_threshold", "duration_seconds", "severity", "built_in", "event_cursor")
SELECT 'VM/Host rule violated', 'Running VMs break one of the cluster''s enabled VM/Host rules.', 'Cluster', 'cluster.ruleViolated', 'is', NULL, NULL, 0, 'warning', true,
       (SELECT COALESCE(max("id"), 0) FROM "events")
 WHERE NOT EXISTS (SELECT 1 FROM "alarm_definitions" WHERE "metric" = 'cluster.ruleViolated' AND "built_in");
