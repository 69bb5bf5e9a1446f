"use client";
// The header's user menu: who is signed in, their profile, a kubeconfig for kubectl, the theme
// (light, dark, system), and sign-out.
import { ChevronDown, Download, LogOut, Monitor, Moon, Sun, UserRound } from "lucide-react";
import Link from "next/link";
import { useAction } from "next-safe-action/hooks";
import { useTheme } from "next-themes";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { useDownloadKubeconfig } from "@/components/profile/use-download-kubeconfig";
import { signOut } from "@/lib/actions/auth/sign-out";
import { ROLE_LABELS, type Role } from "@/lib/auth/roles";

export function UserMenu({ user }: { user: { name: string; username: string; role: Role } }) {
  const { theme, setTheme } = useTheme();
  const { execute: executeSignOut, isPending } = useAction(signOut);
  const kubeconfig = useDownloadKubeconfig();

  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex h-8 items-center gap-2 rounded-md px-2 text-sm text-header-foreground hover:bg-header-muted focus-visible:outline-2 focus-visible:outline-header-foreground"
        aria-label={`User menu for ${user.username}`}
      >
        <span className="flex size-6 items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground">
          {user.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="hidden sm:inline">{user.username}</span>
        <ChevronDown className="size-3.5 opacity-70" aria-hidden />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-56">
        <DropdownMenuLabel className="font-normal">
          <div className="font-medium">{user.name}</div>
          <div className="text-xs text-muted-foreground">
            {user.username} · {ROLE_LABELS[user.role]}
          </div>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/profile">
            <UserRound className="size-4" aria-hidden /> Profile and API tokens
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem disabled={kubeconfig.isPending} onSelect={() => kubeconfig.execute()}>
          <Download className="size-4" aria-hidden /> Download kubeconfig
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuLabel className="text-xs font-normal text-muted-foreground">Theme</DropdownMenuLabel>
        <DropdownMenuRadioGroup value={theme ?? "system"} onValueChange={setTheme}>
          <DropdownMenuRadioItem value="light">
            <Sun className="size-4" aria-hidden /> Light
          </DropdownMenuRadioItem>
          <DropdownMenuRadioItem value="dark">
            <Moon className="size-4" aria-hidden /> Dark
          </DropdownMenuRadioItem>
          <DropdownMenuRadioItem value="system">
            <Monitor className="size-4" aria-hidden /> System
          </DropdownMenuRadioItem>
        </DropdownMenuRadioGroup>
        <DropdownMenuSeparator />
        <DropdownMenuItem disabled={isPending} onSelect={() => executeSignOut()}>
          <LogOut className="size-4" aria-hidden /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
