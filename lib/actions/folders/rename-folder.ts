"use server";
// Folder › Rename, against the version the dialog opened with.
import { actionRequiring } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { renameFolder as renameInEngine, renameFolderInputSchema } from "@/lib/engine/operations/folder-operations";

export const renameFolder = actionRequiring("inventory.operate")
  .inputSchema(renameFolderInputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => renameInEngine(ctx.user, parsedInput)));
