"use server";
// Monitor › Issues and Alarms › Reset to Green.
import { alarmTargetSchema } from "@/lib/actions/alarms/alarm-definition-schema";
import { actionRequiring } from "@/lib/actions/safe-action";
import { resetAlarmToGreen } from "@/lib/engine/operations/alarm-operations";

export const resetAlarm = actionRequiring("inventory.operate")
  .inputSchema(alarmTargetSchema)
  .action(async ({ parsedInput, ctx }) => resetAlarmToGreen(ctx.user, parsedInput));
