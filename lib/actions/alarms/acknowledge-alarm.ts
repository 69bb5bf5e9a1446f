"use server";
// Monitor › Issues and Alarms › Acknowledge: someone is looking at it; it stays triggered.
import { alarmTargetSchema } from "@/lib/actions/alarms/alarm-definition-schema";
import { actionRequiring } from "@/lib/actions/safe-action";
import { acknowledgeAlarm as acknowledgeInEngine } from "@/lib/engine/operations/alarm-operations";

export const acknowledgeAlarm = actionRequiring("inventory.operate")
  .inputSchema(alarmTargetSchema)
  .action(async ({ parsedInput, ctx }) => acknowledgeInEngine(ctx.user, parsedInput));
