"use server";
// Cluster › Configure › VM Overrides: Add, Edit or Delete a VM's override, sent as the cluster's whole override list.
import { configureVmOverridesInputSchema } from "@/lib/actions/clusters/cluster-settings-schemas";
import { actionRequiring } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { configureVmOverrides as configureVmOverridesInEngine } from "@/lib/engine/operations/cluster-rule-operations";

export const configureVmOverrides = actionRequiring("inventory.operate")
  .inputSchema(configureVmOverridesInputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => configureVmOverridesInEngine(ctx.user, parsedInput)));
