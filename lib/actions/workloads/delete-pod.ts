"use server";
// A pod's Actions › Delete: the pod is marked deleted and goes once its host has stopped it.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { deletePod as deletePodOperation } from "@/lib/engine/operations/pod-operations";

const inputSchema = z.object({
  namespace: z.string().min(1, "is required"),
  name: z.string().min(1, "is required"),
  expectedResourceVersion: z.string().min(1, "is required"),
});

// The engine authorizes: administrators, operators, and the namespace's editors and owners.
export const deletePod = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => deletePodOperation(ctx.user, parsedInput)));
