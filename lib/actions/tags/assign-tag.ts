"use server";
// Summary › Tags › Assign, and the VM list's Assign Tag… for its selection: one tag to up to 1,000 objects in one call.
import { actionRequiring } from "@/lib/actions/safe-action";
import { assignTagInputSchema } from "@/lib/actions/tags/tag-schemas";
import { assignTag as assignInEngine } from "@/lib/engine/operations/tag-operations";

export const assignTag = actionRequiring("inventory.operate")
  .inputSchema(assignTagInputSchema)
  .action(async ({ parsedInput, ctx }) => assignInEngine(ctx.user, parsedInput.tagId, parsedInput.uids));
