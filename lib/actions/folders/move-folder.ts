"use server";
// Folder › Move To, against the version the dialog opened with.
import { actionRequiring } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { moveFolder as moveInEngine, moveFolderInputSchema } from "@/lib/engine/operations/folder-operations";

export const moveFolder = actionRequiring("inventory.operate")
  .inputSchema(moveFolderInputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => moveInEngine(ctx.user, parsedInput)));
