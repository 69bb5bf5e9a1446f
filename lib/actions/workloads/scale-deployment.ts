"use server";
// A Deployment's Actions › Scale: the number of pods it should run (0 or more).
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { scaleWorkload } from "@/lib/engine/operations/workload-operations";

const inputSchema = z.object({
  namespace: z.string().min(1, "is required"),
  name: z.string().min(1, "is required"),
  // The engine checks the bounds and names them; the form shows its words beside the field.
  replicas: z.number(),
  expectedResourceVersion: z.string().min(1, "is required"),
});

// The engine authorizes: administrators, operators, and the namespace's editors and owners.
export const scaleDeployment = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => scaleWorkload(ctx.user, { kind: "Deployment", ...parsedInput })));
