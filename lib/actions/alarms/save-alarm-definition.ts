"use server";
// Administration › Alarm Definitions › New or Edit: creates a definition, or edits one from the version the form opened.
import { saveAlarmDefinitionInputSchema } from "@/lib/actions/alarms/alarm-definition-schema";
import { actionRequiring } from "@/lib/actions/safe-action";
import { createAlarmDefinition, updateAlarmDefinition } from "@/lib/engine/operations/alarm-operations";
import { ConflictError } from "@/lib/errors";

export const saveAlarmDefinition = actionRequiring("alarms.manage")
  .inputSchema(saveAlarmDefinitionInputSchema)
  .action(async ({ parsedInput, ctx }) => {
    const { id, expectedVersion, definition } = parsedInput;
    if (!id) return { status: "saved" as const, ...(await createAlarmDefinition(ctx.user, definition)) };
    try {
      return { status: "saved" as const, ...(await updateAlarmDefinition(ctx.user, id, expectedVersion ?? -1, definition)) };
    } catch (error) {
      if (error instanceof ConflictError) return { status: "conflict" as const, message: error.message };
      throw error;
    }
  });
