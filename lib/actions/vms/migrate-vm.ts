"use server";
// VM › Actions › Migrate: change host (vMotion when it runs), change storage, or both.
import { z } from "zod";
import { actionRequiring } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { migrateVirtualMachine } from "@/lib/engine/operations/vm-operations";

const inputSchema = z.object({
  namespace: z.string().min(1, "is required"),
  name: z.string().min(1, "is required"),
  host: z.string().min(1).optional(),
  datastore: z.string().min(1).optional(),
  expectedResourceVersion: z.string().min(1, "is required"),
});

export const migrateVm = actionRequiring("inventory.operate")
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => migrateVirtualMachine(ctx.user, parsedInput)));
