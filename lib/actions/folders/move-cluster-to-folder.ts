"use server";
// Cluster › Move To Folder and a cluster dropped on a host folder in the navigator, against the
// version the menu read.
import { actionRequiring } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { moveClusterInputSchema, moveClusterToFolder as moveInEngine } from "@/lib/engine/operations/folder-operations";

export const moveClusterToFolder = actionRequiring("inventory.operate")
  .inputSchema(moveClusterInputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => moveInEngine(ctx.user, parsedInput)));
