import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { ConsoleShell } from "@/components/shell/console-shell";
import { LiveUpdates } from "@/components/shell/live-updates";
import { Navigator } from "@/components/shell/navigator";
import { RecentTasksPane } from "@/components/shell/recent-tasks-pane";
import { can } from "@/lib/auth/authorize";
import { requireUser } from "@/lib/auth/session";
import { readNavigatorViewPreference } from "@/lib/inventory/navigator-reads";

// Every page below also checks the session itself: layouts do not re-render on every navigation.
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const canReadInventory = can(user, "inventory.read");
  return (
    <ConsoleShell
      header={<AppHeader user={user} canSearch={canReadInventory} />}
      navigator={
        <Navigator
          initialView={await readNavigatorViewPreference(user.id)}
          showInventory={canReadInventory}
          showAdministration={can(user, "users.manage")}
        />
      }
      recentTasks={<RecentTasksPane enabled={canReadInventory} />}
    >
      <LiveUpdates />
      {children}
    </ConsoleShell>
  );
}
