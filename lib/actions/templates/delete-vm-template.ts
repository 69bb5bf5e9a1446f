"use server";
// A template's Actions › Delete from Disk: the template goes once its disk has left the content
// library.
import { z } from "zod";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { actionRequiring } from "@/lib/actions/safe-action";
import { deleteTemplate } from "@/lib/engine/operations/template-operations";

const inputSchema = z.object({ name: z.string().min(1, "is required"), expectedResourceVersion: z.string().min(1, "is required") });

export const deleteVmTemplate = actionRequiring("inventory.operate")
  .inputSchema(inputSchema)
  .action(({ parsedInput, ctx }) => saveOrReportConflict(() => deleteTemplate(ctx.user, parsedInput)));
