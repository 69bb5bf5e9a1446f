"use server";
// Host › Actions: Enter or Exit Maintenance Mode, Disconnect or Connect, against the version of
// the host the operator was looking at.
import { z } from "zod";
import { actionRequiring } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { connectHost, disconnectHost, enterMaintenanceMode, exitMaintenanceMode } from "@/lib/engine/operations/host-operations";

const OPERATIONS = { enterMaintenanceMode, exitMaintenanceMode, disconnect: disconnectHost, connect: connectHost };

const inputSchema = z.object({
  name: z.string().min(1, "is required"),
  expectedResourceVersion: z.string().min(1, "is required"),
  change: z.enum(["enterMaintenanceMode", "exitMaintenanceMode", "disconnect", "connect"], {
    error: "must be enterMaintenanceMode, exitMaintenanceMode, disconnect or connect",
  }),
  /** Enter Maintenance Mode's "Move powered-off and suspended virtual machines to other hosts". */
  evacuatePoweredOffVms: z.boolean().optional(),
});

export const changeHostState = actionRequiring("inventory.operate")
  .inputSchema(inputSchema)
  .action(async ({ parsedInput: { change, evacuatePoweredOffVms, ...host }, ctx }) =>
    saveOrReportConflict(() => (change === "enterMaintenanceMode" ? enterMaintenanceMode(ctx.user, { ...host, evacuatePoweredOffVms }) : OPERATIONS[change](ctx.user, host))),
  );
