-- Tags & Custom Attributes: console metadata about inventory objects, as vSphere keeps it (not
-- Kubernetes labels). An object's assignments and attribute values go with it (ON DELETE CASCADE).

CREATE TABLE "tag_categories" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "cardinality" TEXT NOT NULL,
    "object_kinds" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tag_categories_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tag_categories_cardinality_check" CHECK ("cardinality" IN ('single', 'multiple'))
);
CREATE UNIQUE INDEX "tag_categories_name_key" ON "tag_categories"("name");

CREATE TABLE "tags" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "category_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tags_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tags_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "tag_categories"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "tags_category_id_name_key" ON "tags"("category_id", "name");
CREATE INDEX "tags_name_idx" ON "tags"(lower("name"));

-- The primary key (tag, object) serves "the objects with this tag" (the lists' tag filter);
-- the object index serves "this object's tags" and the cascade from resources.
CREATE TABLE "tag_assignments" (
    "tag_id" UUID NOT NULL,
    "object_uid" UUID NOT NULL,
    "assigned_by" TEXT,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tag_assignments_pkey" PRIMARY KEY ("tag_id", "object_uid"),
    CONSTRAINT "tag_assignments_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "tag_assignments_object_uid_fkey" FOREIGN KEY ("object_uid") REFERENCES "resources"("uid") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "tag_assignments_object_uid_idx" ON "tag_assignments"("object_uid");

CREATE TABLE "custom_attributes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "object_kind" TEXT,
    "updated_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "custom_attributes_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "custom_attributes_name_key" ON "custom_attributes"("name");

CREATE TABLE "custom_attribute_values" (
    "attribute_id" UUID NOT NULL,
    "object_uid" UUID NOT NULL,
    "value" TEXT NOT NULL,
    "updated_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "custom_attribute_values_pkey" PRIMARY KEY ("attribute_id", "object_uid"),
    CONSTRAINT "custom_attribute_values_attribute_id_fkey" FOREIGN KEY ("attribute_id") REFERENCES "custom_attributes"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "custom_attribute_values_object_uid_fkey" FOREIGN KEY ("object_uid") REFERENCES "resources"("uid") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "custom_attribute_values_object_uid_idx" ON "custom_attribute_values"("object_uid");
