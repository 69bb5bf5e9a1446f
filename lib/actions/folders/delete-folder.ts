"use server";
// Folder › Delete: only an empty folder, against the version the confirmation opened with.
import { actionRequiring } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { deleteFolder as deleteInEngine, deleteFolderInputSchema } from "@/lib/engine/operations/folder-operations";

export const deleteFolder = actionRequiring("inventory.operate")
  .inputSchema(deleteFolderInputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => deleteInEngine(ctx.user, parsedInput)));
