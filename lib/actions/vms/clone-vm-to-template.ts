"use server";
// VM › Actions › Clone › Clone to Template: the VM's disk published to the content library.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { cloneToTemplate } from "@/lib/engine/operations/vm-clone";

const inputSchema = z.object({
  namespace: z.string().min(1, "is required"),
  name: z.string().min(1, "is required"),
  // The engine checks the name's rule and says it; the dialog shows its words beside the field.
  templateName: z.string(),
});

export const cloneVmToTemplate = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => {
    const { object, taskId } = await cloneToTemplate(ctx.user, parsedInput);
    return { uid: object.uid, taskId };
  });
