// The console header: product name, global search, the triggered alarms indicator, and the user menu.
import Link from "next/link";
import { BrandMark } from "@/components/brand-mark";
import { AlarmIndicator } from "@/components/shell/alarm-indicator";
import { GlobalSearch } from "@/components/shell/global-search";
import { UserMenu } from "@/components/shell/user-menu";
import type { Role } from "@/lib/auth/roles";

export function AppHeader({ user }: { user: { name: string; username: string; role: Role } }) {
  return (
    <header className="flex h-12 shrink-0 items-center gap-2 bg-header px-3 text-header-foreground">
      <Link href="/" className="flex items-center gap-2 rounded-md px-1 font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-header-foreground">
        <BrandMark />
        <span>Skylight</span>
      </Link>
      <div className="flex flex-1 justify-center"><GlobalSearch /></div>
      <AlarmIndicator />
      <UserMenu user={user} />
    </header>
  );
}
