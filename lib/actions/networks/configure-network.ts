"use server";
// Network › Actions › Edit Settings: port group name and VLAN ID, against the version the form opened with.
import { actionRequiring } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { networkSettingsSchema } from "@/lib/engine/network-settings-schema";
import { configureNetwork as configureInEngine } from "@/lib/engine/operations/network-operations";

export const configureNetwork = actionRequiring("inventory.operate")
  .inputSchema(networkSettingsSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => configureInEngine(ctx.user, parsedInput)));
