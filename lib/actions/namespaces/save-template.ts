"use server";
// Administration › Self-Service › Save: one cluster's template.
import { revalidatePath } from "next/cache";
import { actionRequiring } from "@/lib/actions/safe-action";
import { templateFormSchema, toLimits } from "@/lib/actions/namespaces/namespace-form-schema";
import { saveTemplate as saveInStore } from "@/lib/namespaces/template-admin";

export const saveTemplate = actionRequiring("namespaces.manage")
  .inputSchema(templateFormSchema)
  .action(async ({ parsedInput: { defaults, max, perUser, ...rest }, ctx }) => {
    await saveInStore(ctx.user, { ...rest, defaults: toLimits(defaults), max: toLimits(max), perUser: toLimits(perUser) });
    revalidatePath("/admin/self-service");
  });
