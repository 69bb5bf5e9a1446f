"use server";
// Namespace › Permissions › Save: who may use the namespace and with which role. The engine
// decides who may change it (owners, administrators, operators).
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { setNamespacePermissions as setInEngine } from "@/lib/engine/operations/namespace-operations";
import { namespacePermissionSchema } from "@/lib/engine/schemas";

export const setNamespacePermissions = authenticatedAction
  .inputSchema(z.object({ name: z.string().min(1), permissions: z.array(namespacePermissionSchema), expectedResourceVersion: z.string().min(1) }))
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => setInEngine(ctx.user, parsedInput)));
