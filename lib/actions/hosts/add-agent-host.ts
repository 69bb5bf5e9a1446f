"use server";
// Cluster › Actions › Add Host › "Host running the Skylight agent": the wizard's Finish. Answers
// the command to run on the host, with its new token (shown this once) and the API at the host
// name the console was reached at.
import { addAgentHostInputSchema } from "@/lib/actions/hosts/add-host-schema";
import { actionRequiring } from "@/lib/actions/safe-action";
import { addAgentHost as addAgentHostInEngine } from "@/lib/engine/operations/host-operations";
import { requestHostname } from "@/lib/http/request-hostname";
import { hostJoinCommand } from "@/lib/spherelet/host-join-command";

export const addAgentHost = actionRequiring("inventory.operate")
  .inputSchema(addAgentHostInputSchema)
  .action(async ({ parsedInput, ctx }) => {
    const { object, taskId, token, datastore, otherDatastores } = await addAgentHostInEngine(ctx.user, parsedInput);
    return { uid: object.uid, taskId, datastore, command: await hostJoinCommand(await requestHostname(), { name: object.name, token, otherDatastores }) };
  });
