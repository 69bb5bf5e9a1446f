"use server";
// Object › YAML › Apply: the edited object, validated and written as `kubectl apply` would.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { applyObjectYaml as applyYaml } from "@/lib/kube/console-yaml";
import { KIND_API_VERSIONS, type Kind } from "@/lib/inventory/kinds";

const inputSchema = z.object({
  kind: z.enum(Object.keys(KIND_API_VERSIONS) as [Kind, ...Kind[]]),
  namespace: z.string(),
  name: z.string().min(1, "is required"),
  openedYaml: z.string().max(1_000_000, "is too long"),
  yaml: z.string().min(1, "is required").max(1_000_000, "is too long"),
});

// The engine operations the update path calls authorize: a namespace's editors may apply their VMs.
export const applyObjectYaml = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => applyYaml(ctx.user, parsedInput)));
