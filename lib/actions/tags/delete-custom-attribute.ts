"use server";
// Administration › Tags & Custom Attributes › Delete Attribute: removes it with its value on every object.
import { actionRequiring } from "@/lib/actions/safe-action";
import { deleteCustomAttributeInputSchema } from "@/lib/actions/tags/tag-schemas";
import { deleteCustomAttribute as deleteInEngine } from "@/lib/engine/operations/tag-operations";

export const deleteCustomAttribute = actionRequiring("tags.manage")
  .inputSchema(deleteCustomAttributeInputSchema)
  .action(async ({ parsedInput, ctx }) => {
    await deleteInEngine(ctx.user, parsedInput.id);
    return { status: "deleted" as const };
  });
