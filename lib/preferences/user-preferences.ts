// Per-user console preferences (which columns a table shows, …), stored in PostgreSQL so they
// follow the user to any browser and any app process.
import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db/prisma";
import { LIST_COLUMNS, LIST_NAMES, type ListName } from "@/lib/inventory/list-definitions";

const tableColumnsKey = (list: ListName) => `table.${list}.columns`;

export const tableColumnsInputSchema = z
  .object({
    list: z.enum(LIST_NAMES, { error: "must be one of the inventory lists" }),
    columns: z.array(z.string()).max(50),
  })
  .refine(({ list, columns }) => columns.every((id) => LIST_COLUMNS[list].some((column) => column.id === id)), {
    message: "names a column the list does not have",
    path: ["columns"],
  });

/** The columns the user chose to show, or null when they never chose. */
export async function readTableColumns(userId: string, list: ListName): Promise<string[] | null> {
  const row = await prisma.userPreference.findUnique({ where: { userId_key: { userId, key: tableColumnsKey(list) } } });
  const parsed = z.array(z.string()).safeParse(row?.value);
  return parsed.success ? parsed.data : null;
}

export async function writeTableColumns(userId: string, input: z.input<typeof tableColumnsInputSchema>): Promise<void> {
  const { list, columns } = tableColumnsInputSchema.parse(input);
  // Name is always shown; storing it would let a stale preference hide it.
  const value = columns.filter((id) => id !== "name");
  await prisma.userPreference.upsert({
    where: { userId_key: { userId, key: tableColumnsKey(list) } },
    create: { userId, key: tableColumnsKey(list), value },
    update: { value },
  });
}
