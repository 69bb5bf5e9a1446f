"use server";
// Namespace › Actions › Edit Namespace: limits and allowances, from the resourceVersion the form opened with.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionRequiring } from "@/lib/actions/safe-action";
import { namespaceAllowancesFormSchema, toAllowances } from "@/lib/actions/namespaces/namespace-form-schema";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { updateNamespace as updateInEngine } from "@/lib/engine/operations/namespace-operations";

export const updateNamespace = actionRequiring("namespaces.manage")
  .inputSchema(namespaceAllowancesFormSchema.extend({ name: z.string().min(1), expectedResourceVersion: z.string().min(1) }))
  .action(async ({ parsedInput: { name, expectedResourceVersion, ...values }, ctx }) => {
    const outcome = await saveOrReportConflict(() => updateInEngine(ctx.user, { name, expectedResourceVersion, ...toAllowances(values) }));
    revalidatePath("/admin/namespaces");
    return outcome;
  });
