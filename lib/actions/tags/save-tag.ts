"use server";
// Administration › Tags & Custom Attributes › New or Edit Tag: creates one in a category, or edits one from the version the form opened.
import { actionRequiring } from "@/lib/actions/safe-action";
import { savedOrConflict } from "@/lib/actions/tags/conflict-outcome";
import { saveTagInputSchema } from "@/lib/actions/tags/tag-schemas";
import { createTag, updateTag } from "@/lib/engine/operations/tag-operations";

export const saveTag = actionRequiring("tags.manage")
  .inputSchema(saveTagInputSchema)
  .action(async ({ parsedInput: { id, categoryId, expectedVersion, ...tag }, ctx }) =>
    savedOrConflict(() => (id ? updateTag(ctx.user, id, expectedVersion ?? -1, tag) : createTag(ctx.user, categoryId, tag))),
  );
