// A stale edit as the forms show it ("changed by someone else" with Reload) rather than as an error.
import { ConflictError } from "@/lib/errors";

export async function savedOrConflict<T extends object>(work: () => Promise<T>): Promise<({ status: "saved" } & T) | { status: "conflict"; message: string }> {
  try {
    return { status: "saved" as const, ...(await work()) };
  } catch (error) {
    if (error instanceof ConflictError) return { status: "conflict" as const, message: error.message };
    throw error;
  }
}
