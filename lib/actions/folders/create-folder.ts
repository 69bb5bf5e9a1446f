"use server";
// Datacenter › New Folder and Folder › New Folder: the dialog's Create.
import { actionRequiring } from "@/lib/actions/safe-action";
import { createFolder as createInEngine, createFolderInputSchema } from "@/lib/engine/operations/folder-operations";

export const createFolder = actionRequiring("inventory.operate")
  .inputSchema(createFolderInputSchema)
  .action(async ({ parsedInput, ctx }) => {
    const { object, taskId } = await createInEngine(ctx.user, parsedInput);
    return { uid: object.uid, taskId };
  });
