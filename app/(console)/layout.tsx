import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { ConsoleShell } from "@/components/shell/console-shell";
import { LiveUpdates } from "@/components/shell/live-updates";
import { Navigator } from "@/components/shell/navigator";
import { RecentTasksPane } from "@/components/shell/recent-tasks-pane";
import { can } from "@/lib/auth/authorize";
import { requireUser } from "@/lib/auth/session";
import { readHostsAndClustersTree } from "@/lib/inventory/inventory-reads";

// Every page below also checks the session itself: layouts do not re-render on every navigation.
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const canReadInventory = can(user, "inventory.read");
  const tree = canReadInventory ? await readHostsAndClustersTree() : null;
  return (
    <ConsoleShell
      header={<AppHeader user={user} canSearch={canReadInventory} />}
      navigator={<Navigator tree={tree} showAdministration={can(user, "users.manage")} />}
      recentTasks={<RecentTasksPane enabled={canReadInventory} />}
    >
      <LiveUpdates />
      {children}
    </ConsoleShell>
  );
}
