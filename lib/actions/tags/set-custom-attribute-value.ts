"use server";
// Summary › Custom Attributes › Edit: sets or clears one object's value, from the value the form opened with.
import { actionRequiring } from "@/lib/actions/safe-action";
import { savedOrConflict } from "@/lib/actions/tags/conflict-outcome";
import { setAttributeValueInputSchema } from "@/lib/actions/tags/tag-schemas";
import { setCustomAttributeValue as setInEngine } from "@/lib/engine/operations/tag-operations";

export const setCustomAttributeValue = actionRequiring("inventory.operate")
  .inputSchema(setAttributeValueInputSchema)
  .action(async ({ parsedInput, ctx }) =>
    savedOrConflict(async () => {
      await setInEngine(ctx.user, parsedInput);
      return {};
    }),
  );
