"use server";
// Administration › Alarm Definitions › Delete: removes a definition someone added, with its alarms.
import { alarmDefinitionRefSchema } from "@/lib/actions/alarms/alarm-definition-schema";
import { actionRequiring } from "@/lib/actions/safe-action";
import { deleteAlarmDefinition as deleteInEngine } from "@/lib/engine/operations/alarm-operations";
import { ConflictError } from "@/lib/errors";

export const deleteAlarmDefinition = actionRequiring("alarms.manage")
  .inputSchema(alarmDefinitionRefSchema)
  .action(async ({ parsedInput, ctx }) => {
    try {
      await deleteInEngine(ctx.user, parsedInput);
      return { status: "deleted" as const };
    } catch (error) {
      if (error instanceof ConflictError) return { status: "conflict" as const, message: error.message };
      throw error;
    }
  });
