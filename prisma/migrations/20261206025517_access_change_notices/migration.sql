-- Access changes: every committed statement that can end or narrow someone's access sends one
-- NOTIFY on skylight_access naming the users concerned, so long-lived streams (the console's
-- /api/live, the Kubernetes API's watches) re-check their credential at once instead of at their
-- next periodic check (lib/auth/access-changes.ts). `userIds` is null when anyone may be
-- concerned (a namespace's permissions changed) or too many users to list.
CREATE FUNCTION "skylight_notify_access_change"(user_ids jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF user_ids IS NULL OR jsonb_array_length(user_ids) = 0 THEN
    RETURN;
  END IF;
  PERFORM pg_notify('skylight_access', jsonb_build_object('userIds', CASE WHEN jsonb_array_length(user_ids) <= 100 THEN user_ids END)::text);
END $$;

-- A role changed or a user was disabled or enabled.
CREATE FUNCTION "skylight_notify_user_access_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "skylight_notify_access_change"((
    SELECT jsonb_agg(DISTINCT n.id) FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE n.role IS DISTINCT FROM o.role OR n.banned IS DISTINCT FROM o.banned));
  RETURN NULL;
END $$;

-- A password changed.
CREATE FUNCTION "skylight_notify_account_access_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "skylight_notify_access_change"((
    SELECT jsonb_agg(DISTINCT n."userId") FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE n.password IS DISTINCT FROM o.password));
  RETURN NULL;
END $$;

-- Users, sessions, API tokens or group memberships went away, or memberships were added.
CREATE FUNCTION "skylight_notify_access_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "skylight_notify_access_change"((SELECT jsonb_agg(DISTINCT to_jsonb(changed) -> TG_ARGV[0]) FROM changed));
  RETURN NULL;
END $$;

-- Permissions live in each Namespace's spec; a change to them may concern anyone.
CREATE FUNCTION "skylight_notify_namespace_access"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('skylight_access', '{"userIds":null}');
  RETURN NULL;
END $$;

CREATE TRIGGER "users_notify_access_update" AFTER UPDATE ON "users" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_user_access_update"();
CREATE TRIGGER "users_notify_access_delete" AFTER DELETE ON "users" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_access_rows"('id');
CREATE TRIGGER "accounts_notify_access_update" AFTER UPDATE ON "accounts" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_account_access_update"();
CREATE TRIGGER "sessions_notify_access_delete" AFTER DELETE ON "sessions" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_access_rows"('userId');
CREATE TRIGGER "api_tokens_notify_access_delete" AFTER DELETE ON "api_tokens" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_access_rows"('user_id');
CREATE TRIGGER "user_group_members_notify_access_insert" AFTER INSERT ON "user_group_members" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_access_rows"('user_id');
CREATE TRIGGER "user_group_members_notify_access_delete" AFTER DELETE ON "user_group_members" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "skylight_notify_access_rows"('user_id');
-- Row triggers with a WHEN clause: the engine's many updates of other kinds pay one comparison each, and queue nothing.
CREATE TRIGGER "resources_notify_namespace_access_update" AFTER UPDATE ON "resources" FOR EACH ROW
  WHEN (OLD.kind = 'Namespace' AND OLD.spec -> 'permissions' IS DISTINCT FROM NEW.spec -> 'permissions')
  EXECUTE FUNCTION "skylight_notify_namespace_access"();
CREATE TRIGGER "resources_notify_namespace_access_delete" AFTER DELETE ON "resources" FOR EACH ROW
  WHEN (OLD.kind = 'Namespace')
  EXECUTE FUNCTION "skylight_notify_namespace_access"();
