"use server";
// Administration › Tags & Custom Attributes › New or Edit Category: creates one, or edits one from the version the form opened.
import { actionRequiring } from "@/lib/actions/safe-action";
import { savedOrConflict } from "@/lib/actions/tags/conflict-outcome";
import { saveTagCategoryInputSchema } from "@/lib/actions/tags/tag-schemas";
import { createTagCategory, updateTagCategory } from "@/lib/engine/operations/tag-operations";

export const saveTagCategory = actionRequiring("tags.manage")
  .inputSchema(saveTagCategoryInputSchema)
  .action(async ({ parsedInput: { id, expectedVersion, ...category }, ctx }) =>
    savedOrConflict(() => (id ? updateTagCategory(ctx.user, id, expectedVersion ?? -1, category) : createTagCategory(ctx.user, category))),
  );
