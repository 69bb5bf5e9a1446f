"use server";
// Summary › Tags › Remove: takes one tag off one object.
import { actionRequiring } from "@/lib/actions/safe-action";
import { unassignTagInputSchema } from "@/lib/actions/tags/tag-schemas";
import { unassignTag as unassignInEngine } from "@/lib/engine/operations/tag-operations";

export const unassignTag = actionRequiring("inventory.operate")
  .inputSchema(unassignTagInputSchema)
  .action(async ({ parsedInput, ctx }) => unassignInEngine(ctx.user, parsedInput.tagId, parsedInput.uid));
