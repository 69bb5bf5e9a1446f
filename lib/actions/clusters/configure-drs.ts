"use server";
// Cluster › Configure › vSphere DRS › Edit: automation level and migration threshold.
import { configureDrsInputSchema } from "@/lib/actions/clusters/cluster-settings-schemas";
import { actionRequiring } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { configureDrs as configureDrsInEngine } from "@/lib/engine/operations/cluster-operations";

export const configureDrs = actionRequiring("inventory.operate")
  .inputSchema(configureDrsInputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => configureDrsInEngine(ctx.user, parsedInput)));
