"use server";
// Administration › Tags & Custom Attributes › New Attribute: a name, for one object type or every type.
import { actionRequiring } from "@/lib/actions/safe-action";
import { saveCustomAttributeInputSchema } from "@/lib/actions/tags/tag-schemas";
import { createCustomAttribute } from "@/lib/engine/operations/tag-operations";

export const saveCustomAttribute = actionRequiring("tags.manage")
  .inputSchema(saveCustomAttributeInputSchema)
  .action(async ({ parsedInput, ctx }) => ({ status: "saved" as const, ...(await createCustomAttribute(ctx.user, parsedInput)) }));
