import { headers } from "next/headers";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { ConsoleShell } from "@/components/shell/console-shell";
import { LiveUpdates } from "@/components/shell/live-updates";
import { Navigator } from "@/components/shell/navigator";
import { RecentTasksPane } from "@/components/shell/recent-tasks-pane";
import { can } from "@/lib/auth/authorize";
import { getAccessScope, requireUser } from "@/lib/auth/session";
import { consoleNameOf } from "@/lib/http/console-name";
import { readNavigatorViewPreference } from "@/lib/inventory/navigator-reads";
import { readRecentTasksPane } from "@/lib/preferences/user-preferences";

// Every page below also checks the session itself: layouts do not re-render on every navigation.
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const scope = await getAccessScope();
  return (
    <ConsoleShell
      header={<AppHeader user={user} />}
      navigator={
        <Navigator
          initialView={await readNavigatorViewPreference(user.id)}
          wholeInventory={can(user, "inventory.read")}
          seesFolders={!scope.all && scope.seenFolderUids.length > 0}
          showAdministration={can(user, "users.manage")}
          consoleName={consoleNameOf(await headers())}
        />
      }
      recentTasks={<RecentTasksPane initial={await readRecentTasksPane(user.id)} />}
    >
      <LiveUpdates />
      {children}
    </ConsoleShell>
  );
}
