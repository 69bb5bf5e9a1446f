"use server";
// Administration › Alarm Definitions › Enable or Disable.
import { z } from "zod";
import { alarmDefinitionRefSchema } from "@/lib/actions/alarms/alarm-definition-schema";
import { actionRequiring } from "@/lib/actions/safe-action";
import { setAlarmDefinitionEnabled as setInEngine } from "@/lib/engine/operations/alarm-operations";
import { ConflictError } from "@/lib/errors";

export const setAlarmDefinitionEnabled = actionRequiring("alarms.manage")
  .inputSchema(alarmDefinitionRefSchema.extend({ enabled: z.boolean() }))
  .action(async ({ parsedInput, ctx }) => {
    try {
      return { status: "saved" as const, ...(await setInEngine(ctx.user, parsedInput)) };
    } catch (error) {
      if (error instanceof ConflictError) return { status: "conflict" as const, message: error.message };
      throw error;
    }
  });
