// The Take Snapshot dialog's fields, checked the same way in the browser and in the action.
import { z } from "zod";

export const takeSnapshotSchema = z.object({
  name: z.string().trim().min(1, "A snapshot needs a name.").max(80, "A snapshot name can be at most 80 characters long."),
  description: z.string().trim().max(500, "A snapshot description can be at most 500 characters long."),
  memory: z.boolean(),
});
export type TakeSnapshotValues = z.infer<typeof takeSnapshotSchema>;
