-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "resource_changes" (
    "resource_version" BIGINT NOT NULL,
    "type" TEXT NOT NULL,
    "uid" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "object" JSONB,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "resource_changes_pkey" PRIMARY KEY ("resource_version")
);

-- CreateTable
CREATE TABLE "kube_applied_configurations" (
    "uid" UUID NOT NULL,
    "manager" TEXT NOT NULL,
    "configuration" JSONB NOT NULL,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kube_applied_configurations_pkey" PRIMARY KEY ("uid","manager")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");

-- CreateIndex
CREATE INDEX "resource_changes_kind_resource_version_idx" ON "resource_changes"("kind", "resource_version");

-- CreateIndex
CREATE INDEX "resource_changes_recorded_at_idx" ON "resource_changes"("recorded_at");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The change log behind Kubernetes watches: a row per created object (at its first
-- resourceVersion) and per removed object (at a resourceVersion of its own, with its last state).
-- A removed object's server-side apply configurations go with it.
CREATE FUNCTION "skylight_log_resource_created"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO resource_changes (resource_version, type, uid, kind, namespace, name)
  VALUES (NEW.resource_version, 'ADDED', NEW.uid, NEW.kind, NEW.namespace, NEW.name);
  RETURN NULL;
END $$;

CREATE FUNCTION "skylight_log_resource_removed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO resource_changes (resource_version, type, uid, kind, namespace, name, object)
  VALUES (nextval('resource_version_seq'), 'DELETED', OLD.uid, OLD.kind, OLD.namespace, OLD.name, to_jsonb(OLD));
  DELETE FROM kube_applied_configurations WHERE uid = OLD.uid;
  RETURN NULL;
END $$;

CREATE TRIGGER "resources_log_insert" AFTER INSERT ON "resources" FOR EACH ROW EXECUTE FUNCTION "skylight_log_resource_created"();
CREATE TRIGGER "resources_log_delete" AFTER DELETE ON "resources" FOR EACH ROW EXECUTE FUNCTION "skylight_log_resource_removed"();

-- Watches read changes in resourceVersion order up to a frontier below which every transaction
-- has ended (lib/kube/watch-frontier.ts). That needs a writer to hold its transaction id before it
-- takes a resourceVersion, so the version is drawn here, after pg_current_xact_id() has assigned
-- one (a column default or SET expression would draw it first).
CREATE FUNCTION "skylight_next_resource_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_current_xact_id();
  NEW.resource_version := nextval('resource_version_seq');
  RETURN NEW;
END $$;

CREATE TRIGGER "resources_next_version" BEFORE INSERT OR UPDATE ON "resources" FOR EACH ROW EXECUTE FUNCTION "skylight_next_resource_version"();
