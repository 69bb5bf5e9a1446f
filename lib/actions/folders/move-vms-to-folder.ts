"use server";
// VM › Move To Folder, a VM dropped on a folder in the navigator, and the VM list's "Move to
// folder…": the chosen VMs (by uid, as the list selects them) into one folder, or out of every
// folder, in one engine call with a task per VM. A VM the user may not see counts as not found.
import { z } from "zod";
import { actionRequiring } from "@/lib/actions/safe-action";
import { readAccessScope } from "@/lib/auth/authorize";
import { moveVirtualMachinesToFolder } from "@/lib/engine/operations/folder-operations";
import { NotFoundError } from "@/lib/errors";
import { FOLDER_MOVE_LIMIT } from "@/lib/inventory/folder-rules";
import { readVmKeys } from "@/lib/inventory/vm-keys";

const inputSchema = z.object({
  uids: z.array(z.uuid({ error: "must be VM ids" })).min(1, "select at least one VM").max(FOLDER_MOVE_LIMIT, `at most ${FOLDER_MOVE_LIMIT} VMs at once`),
  /** The folder's name; null: out of every folder, back under the VMs' namespaces. */
  folder: z.string().min(1).max(80).nullable(),
});

export const moveVmsToFolder = actionRequiring("inventory.operate")
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => {
    const vms = await readVmKeys([...new Set(parsedInput.uids)], await readAccessScope(ctx.user));
    if (vms.length === 0) throw new NotFoundError("None of the selected VMs exists any more.");
    const moved = await moveVirtualMachinesToFolder(ctx.user, { vms: vms.map(({ namespace, name }) => ({ namespace, name })), folder: parsedInput.folder });
    return { moved: moved.length, notFound: parsedInput.uids.length - vms.length };
  });
