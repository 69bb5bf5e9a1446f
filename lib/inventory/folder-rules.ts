// What a VM folder's name may be, shared by the New Folder and Rename dialogs and the engine, so
// the form refuses in the same words the engine does.
import { z } from "zod";

export const FOLDER_NAME_MAX = 80;

export const folderNameSchema = z
  .string()
  .trim()
  .min(1, "Folder name is required.")
  .max(FOLDER_NAME_MAX, `Folder name must be at most ${FOLDER_NAME_MAX} characters.`)
  .regex(/^[^/\\%]*$/, "Folder name must not contain / \\ or %.");

/** The most VMs one Move To Folder moves, so one request bounds the work it causes. */
export const FOLDER_MOVE_LIMIT = 500;
