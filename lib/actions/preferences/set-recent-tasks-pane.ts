"use server";
// Recent Tasks › resize or collapse: remembers the pane's height and whether it is collapsed, so the console opens with it everywhere.
import { authenticatedAction } from "@/lib/actions/safe-action";
import { recentTasksPaneSchema, writeRecentTasksPane } from "@/lib/preferences/user-preferences";

export const setRecentTasksPane = authenticatedAction.inputSchema(recentTasksPaneSchema).action(async ({ parsedInput, ctx }) => {
  await writeRecentTasksPane(ctx.user.id, parsedInput);
});
