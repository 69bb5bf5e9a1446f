"use server";
// Cluster › Configure › VM/Host Rules: Add, Edit or Delete a rule, sent as the cluster's whole rule list.
import { configureDrsRulesInputSchema } from "@/lib/actions/clusters/cluster-settings-schemas";
import { actionRequiring } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { configureDrsRules as configureDrsRulesInEngine } from "@/lib/engine/operations/cluster-rule-operations";

export const configureDrsRules = actionRequiring("inventory.operate")
  .inputSchema(configureDrsRulesInputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => configureDrsRulesInEngine(ctx.user, parsedInput)));
