"use server";
// Navigator › view tabs: remembers the view a user chose, so the console opens on it everywhere.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { NAVIGATOR_VIEWS, NAVIGATOR_VIEW_PREFERENCE } from "@/lib/inventory/navigator-views";
import { writeUserPreference } from "@/lib/preferences/user-preferences";

export const setNavigatorView = authenticatedAction
  .inputSchema(z.object({ view: z.enum(NAVIGATOR_VIEWS) }))
  .action(async ({ parsedInput, ctx }) => {
    await writeUserPreference(ctx.user.id, NAVIGATOR_VIEW_PREFERENCE, parsedInput.view);
  });
