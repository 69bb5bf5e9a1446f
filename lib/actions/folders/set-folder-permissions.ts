"use server";
// Folder › Permissions › Save: who holds which role on the folder and everything below it. The
// engine decides who may change it (the folder's owners, administrators, operators).
import { authenticatedAction } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { setFolderPermissions as setInEngine, setFolderPermissionsInputSchema } from "@/lib/engine/operations/folder-permission-operations";

export const setFolderPermissions = authenticatedAction
  .inputSchema(setFolderPermissionsInputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => setInEngine(ctx.user, parsedInput)));
