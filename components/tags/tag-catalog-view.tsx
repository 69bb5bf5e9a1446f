"use client";
// Administration › Tags & Custom Attributes: categories (with how many tags per object and the
// types they apply to), their tags (with how many objects carry each), and custom attributes.
// Edits name the version the page showed; deleting a category with tags, or a tag in use, asks first.
import { Pencil, Plus, Trash2 } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { KIND_LABELS } from "@/components/objects/kind-icon";
import { CustomAttributeDialog } from "@/components/tags/custom-attribute-dialog";
import { TagCategoryDialog } from "@/components/tags/tag-category-dialog";
import { TagDialog } from "@/components/tags/tag-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { VmConfirmDialog, type VmConfirmation } from "@/components/vms/vm-confirm-dialog";
import { deleteCustomAttribute } from "@/lib/actions/tags/delete-custom-attribute";
import { deleteTag } from "@/lib/actions/tags/delete-tag";
import { deleteTagCategory } from "@/lib/actions/tags/delete-tag-category";
import { CARDINALITY_LABELS } from "@/lib/actions/tags/tag-schemas";
import type { TagCatalog } from "@/lib/inventory/tag-reads";

const kinds = (objectKinds: readonly string[]) => (objectKinds.length === 0 ? "All object types" : objectKinds.map((kind) => KIND_LABELS[kind] ?? kind).join(", "));
const objects = (count: number) => `${count.toLocaleString("en-US")} object${count === 1 ? "" : "s"}`;

const newButton = (label: string) => (
  <Button size="sm">
    <Plus aria-hidden /> {label}
  </Button>
);

/** One of the page's three cards: a title, what it holds, its New button, and its table or what to do when it is empty. */
function CatalogSection({ title, description, action, empty, label, headings, children }: {
  title: string;
  description: string;
  action?: ReactNode;
  /** Shown instead of the table when there is nothing to list. */
  empty: string | null;
  label: string;
  headings: { label: string; className?: string }[];
  children: ReactNode;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
        {action && <CardAction>{action}</CardAction>}
      </CardHeader>
      <CardContent>
        {empty !== null ? (
          <p className="text-sm text-muted-foreground">{empty}</p>
        ) : (
          <Table aria-label={label}>
            <TableHeader>
              <TableRow>
                {headings.map((heading) => (
                  <TableHead key={heading.label} className={heading.className}>
                    {heading.label}
                  </TableHead>
                ))}
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>{children}</TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

/** A row's Edit (when it has a dialog) and Delete buttons. */
function RowActions({ name, edit, onDelete }: { name: string; edit?: (trigger: ReactNode) => ReactNode; onDelete: () => void }) {
  return (
    <TableCell>
      <div className="flex justify-end gap-1">
        {edit?.(
          <Button variant="ghost" size="icon" aria-label={`Edit ${name}`} title="Edit">
            <Pencil aria-hidden />
          </Button>,
        )}
        <Button variant="ghost" size="icon" aria-label={`Delete ${name}`} title="Delete" onClick={onDelete}>
          <Trash2 aria-hidden />
        </Button>
      </div>
    </TableCell>
  );
}

export function TagCatalogView({ catalog }: { catalog: TagCatalog }) {
  const router = useRouter();
  const [confirmation, setConfirmation] = useState<VmConfirmation | null>(null);
  const removeCategory = useAction(deleteTagCategory);
  const removeTag = useAction(deleteTag);
  const removeAttribute = useAction(deleteCustomAttribute);
  const tags = catalog.categories.flatMap((category) => category.tags.map((tag) => ({ ...tag, category })));

  const settle = (outcome: { data?: { status?: string; message?: string }; serverError?: { message: string } } | undefined, done: string) => {
    if (outcome?.serverError) toast.error(outcome.serverError.message);
    else if (outcome?.data?.status === "conflict") toast.error(outcome.data.message, { action: { label: "Reload", onClick: () => router.refresh() } });
    else toast.success(done);
    router.refresh();
  };

  const confirmDeleteCategory = (category: TagCatalog["categories"][number]) => {
    const run = async () => settle(await removeCategory.executeAsync({ id: category.id, expectedVersion: category.version }), `Category ${category.name} deleted`);
    if (category.tags.length === 0) return void run();
    const assigned = category.tags.reduce((sum, tag) => sum + tag.assigned, 0);
    setConfirmation({
      title: `Delete category ${category.name} and its ${category.tags.length} tag${category.tags.length === 1 ? "" : "s"}?`,
      description: `Its tags are removed from the ${objects(assigned)} that carry them. This cannot be undone.`,
      confirm: "Delete",
      run,
    });
  };

  return (
    <div className="space-y-4 p-6">
      <CatalogSection
        title="Categories"
        description="Each tag belongs to one category, which says how many of its tags one object may carry and which object types it applies to."
        action={<TagCategoryDialog trigger={newButton("New Category")} />}
        empty={catalog.categories.length === 0 ? "No categories yet. Create one, then add its tags." : null}
        label="Tag categories"
        headings={[{ label: "Category" }, { label: "Tags per object" }, { label: "Applies to", className: "w-full" }, { label: "Tags", className: "text-right" }]}
      >
        {catalog.categories.map((category) => (
          <TableRow key={category.id}>
            <TableCell>
              <div className="font-medium">{category.name}</div>
              {category.description && <div className="text-xs text-muted-foreground">{category.description}</div>}
            </TableCell>
            <TableCell className="whitespace-nowrap">{CARDINALITY_LABELS[category.cardinality]}</TableCell>
            <TableCell className="max-w-0 truncate" title={kinds(category.objectKinds)}>
              {kinds(category.objectKinds)}
            </TableCell>
            <TableCell className="text-right tabular-nums">{category.tags.length}</TableCell>
            <RowActions name={category.name} edit={(trigger) => <TagCategoryDialog category={category} trigger={trigger} />} onDelete={() => confirmDeleteCategory(category)} />
          </TableRow>
        ))}
      </CatalogSection>

      <CatalogSection
        title="Tags"
        description="Filter any inventory list by a tag, or search for tag:name in the header."
        action={
          catalog.categories.length > 0 && (
            <TagDialog categories={catalog.categories} trigger={newButton("New Tag")} />
          )
        }
        empty={tags.length > 0 ? null : catalog.categories.length === 0 ? "Create a category first." : "No tags yet."}
        label="Tags"
        headings={[{ label: "Tag" }, { label: "Category" }, { label: "Description", className: "w-full" }, { label: "Assigned to", className: "text-right" }]}
      >
        {tags.map((tag) => (
          <TableRow key={tag.id}>
            <TableCell className="font-medium whitespace-nowrap">{tag.name}</TableCell>
            <TableCell className="whitespace-nowrap">{tag.category.name}</TableCell>
            <TableCell className="max-w-0 truncate text-muted-foreground" title={tag.description}>
              {tag.description}
            </TableCell>
            <TableCell className="text-right whitespace-nowrap tabular-nums">{objects(tag.assigned)}</TableCell>
            <RowActions
              name={`${tag.category.name}: ${tag.name}`}
              edit={(trigger) => <TagDialog categories={catalog.categories} categoryId={tag.category.id} tag={tag} trigger={trigger} />}
              onDelete={() =>
                setConfirmation({
                  title: `Delete tag ${tag.category.name}: ${tag.name}?`,
                  description: tag.assigned > 0 ? `It is removed from the ${objects(tag.assigned)} that carry it. This cannot be undone.` : "No object carries it. This cannot be undone.",
                  confirm: "Delete",
                  run: async () => settle(await removeTag.executeAsync({ id: tag.id, expectedVersion: tag.version }), `Tag ${tag.name} deleted`),
                })
              }
            />
          </TableRow>
        ))}
      </CatalogSection>

      <CatalogSection
        title="Custom Attributes"
        description="Named values per object (up to 1,024 characters), set by operators on the object's Summary."
        action={<CustomAttributeDialog trigger={newButton("New Attribute")} />}
        empty={catalog.attributes.length === 0 ? "No custom attributes yet." : null}
        label="Custom attributes"
        headings={[{ label: "Attribute" }, { label: "Object type", className: "w-full" }, { label: "Values", className: "text-right" }]}
      >
        {catalog.attributes.map((attribute) => (
          <TableRow key={attribute.id}>
            <TableCell className="font-medium whitespace-nowrap">{attribute.name}</TableCell>
            <TableCell>{attribute.objectKind ? (KIND_LABELS[attribute.objectKind] ?? attribute.objectKind) : "Every object type (global)"}</TableCell>
            <TableCell className="text-right whitespace-nowrap tabular-nums">{objects(attribute.values)}</TableCell>
            <RowActions
              name={attribute.name}
              onDelete={() =>
                setConfirmation({
                  title: `Delete custom attribute ${attribute.name}?`,
                  description: attribute.values > 0 ? `Its value on ${objects(attribute.values)} is deleted with it. This cannot be undone.` : "No object has a value for it. This cannot be undone.",
                  confirm: "Delete",
                  run: async () => settle(await removeAttribute.executeAsync({ id: attribute.id }), `Custom attribute ${attribute.name} deleted`),
                })
              }
            />
          </TableRow>
        ))}
      </CatalogSection>
      <VmConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
    </div>
  );
}
