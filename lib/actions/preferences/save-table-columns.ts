"use server";
// Column chooser: remember which columns of an inventory list this user shows.
import { authenticatedAction } from "@/lib/actions/safe-action";
import { tableColumnsInputSchema, writeTableColumns } from "@/lib/preferences/user-preferences";

export const saveTableColumns = authenticatedAction.inputSchema(tableColumnsInputSchema).action(async ({ parsedInput, ctx }) => {
  await writeTableColumns(ctx.user.id, parsedInput);
});
