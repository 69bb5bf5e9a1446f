"use server";
// Object › YAML › Apply: the edited object, validated and written as `kubectl apply` would.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { applyObjectYaml as applyYaml } from "@/lib/kube/console-yaml";
import { KIND_API_VERSIONS, type Kind } from "@/lib/inventory/kinds";

const inputSchema = z.object({
  kind: z.union([
    z.enum(Object.keys(KIND_API_VERSIONS) as [Kind, ...Kind[]]),
    // A custom resource's stored kind, `<Kind>.<group>`; whether it is served is the API's to say.
    z.templateLiteral([z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,62}$/), ".", z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/)]),
  ]),
  namespace: z.string(),
  name: z.string().min(1, "is required"),
  openedYaml: z.string().max(1_000_000, "is too long"),
  yaml: z.string().min(1, "is required").max(1_000_000, "is too long"),
});

// The engine operations the update path calls authorize: a namespace's editors may apply their VMs.
export const applyObjectYaml = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => applyYaml(ctx.user, parsedInput)));
