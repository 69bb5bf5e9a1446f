"use server";
// Cluster › Configure › vSphere Availability › Edit: on or off, and host failures to tolerate.
import { configureHaInputSchema } from "@/lib/actions/clusters/cluster-settings-schemas";
import { actionRequiring } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { configureHa as configureHaInEngine } from "@/lib/engine/operations/cluster-operations";

export const configureHa = actionRequiring("inventory.operate")
  .inputSchema(configureHaInputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => configureHaInEngine(ctx.user, parsedInput)));
