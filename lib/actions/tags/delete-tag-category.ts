"use server";
// Administration › Tags & Custom Attributes › Delete Category: removes it with its tags, from every object.
import { actionRequiring } from "@/lib/actions/safe-action";
import { savedOrConflict } from "@/lib/actions/tags/conflict-outcome";
import { versionedRefSchema } from "@/lib/actions/tags/tag-schemas";
import { deleteTagCategory as deleteInEngine } from "@/lib/engine/operations/tag-operations";

export const deleteTagCategory = actionRequiring("tags.manage")
  .inputSchema(versionedRefSchema)
  .action(async ({ parsedInput, ctx }) =>
    savedOrConflict(async () => {
      await deleteInEngine(ctx.user, parsedInput);
      return {};
    }),
  );
