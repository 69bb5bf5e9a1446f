-- Live updates for a VM's serial console (Monitor tab): a host's agent reports each machine's
-- status every few seconds, and its serial log and guest address are not copied into the VM's own
-- status, so a change of either sends its own notice (source "machines") under the VM's uid.
-- Counters alone change on every report and send nothing.
CREATE FUNCTION "skylight_notify_machine_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  payload jsonb;
BEGIN
  SELECT jsonb_build_object(
           'source', 'machines',
           'kinds', CASE WHEN count(*) > 0 THEN '["VirtualMachine"]'::jsonb ELSE '[]'::jsonb END,
           'uids', CASE WHEN count(*) <= 40 THEN COALESCE(jsonb_agg(vm.uid), '[]'::jsonb) END,
           'count', count(*))
    INTO payload
    FROM changed_new n
    JOIN changed_old o ON o.id = n.id
    JOIN resources vm ON vm.kind = 'VirtualMachine' AND vm.namespace = split_part(n.owner_key, '/', 1) AND vm.name = split_part(n.owner_key, '/', 2)
   WHERE n.status->'serialTail' IS DISTINCT FROM o.status->'serialTail' OR n.status->'ipAddress' IS DISTINCT FROM o.status->'ipAddress';
  IF (payload->>'count')::int > 0 THEN
    PERFORM pg_notify('skylight_changes', payload::text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "agent_machines_notify_update" AFTER UPDATE ON "agent_machines" REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_machine_changes"();
