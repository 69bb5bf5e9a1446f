// Per-user console preferences (the navigator's view, which columns a table shows), one JSON
// value per dotted key in `user_preferences`, so they follow the user to any browser and process.
import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { LIST_COLUMNS, LIST_NAMES, type ListName } from "@/lib/inventory/list-definitions";

export async function readUserPreference(userId: string, key: string): Promise<unknown> {
  const preference = await prisma.userPreference.findUnique({ where: { userId_key: { userId, key } } });
  return preference?.value ?? null;
}

export async function writeUserPreference(userId: string, key: string, value: Prisma.InputJsonValue): Promise<void> {
  await prisma.userPreference.upsert({
    where: { userId_key: { userId, key } },
    create: { userId, key, value },
    update: { value },
  });
}

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
  const parsed = z.array(z.string()).safeParse(await readUserPreference(userId, tableColumnsKey(list)));
  return parsed.success ? parsed.data : null;
}

export async function writeTableColumns(userId: string, input: z.input<typeof tableColumnsInputSchema>): Promise<void> {
  const { list, columns } = tableColumnsInputSchema.parse(input);
  // Name is always shown; storing it would let a stale preference hide it.
  await writeUserPreference(userId, tableColumnsKey(list), columns.filter((id) => id !== "name"));
}

const RECENT_TASKS_PANE_KEY = "recentTasks.pane";

export const recentTasksPaneSchema = z.object({
  height: z.number({ error: "must be a number of pixels" }).int("must be a whole number of pixels").min(36, "must be at least 36 pixels").max(4000, "must be at most 4000 pixels"),
  collapsed: z.boolean({ error: "must be true or false" }),
});

export type RecentTasksPane = z.infer<typeof recentTasksPaneSchema>;

/** How tall the user left the Recent Tasks pane, and whether collapsed; the console's default when never changed. */
export async function readRecentTasksPane(userId: string): Promise<RecentTasksPane> {
  const parsed = recentTasksPaneSchema.safeParse(await readUserPreference(userId, RECENT_TASKS_PANE_KEY));
  return parsed.success ? parsed.data : { height: 228, collapsed: false };
}

export async function writeRecentTasksPane(userId: string, pane: RecentTasksPane): Promise<void> {
  await writeUserPreference(userId, RECENT_TASKS_PANE_KEY, recentTasksPaneSchema.parse(pane));
}
