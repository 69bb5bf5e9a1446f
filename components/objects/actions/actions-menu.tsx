"use client";
// An object's Actions menu as every kind's menu draws it: on the object's page behind its
// "Actions" button, or, inside a context-menu anchor, opened at the pointer (right-click,
// Shift+F10 or the context-menu key on a navigator node or list row) with the very same items.
import { ChevronDown } from "lucide-react";
import { createContext, useContext, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { cn } from "@/lib/utils";

export interface MenuAnchor {
  x: number;
  y: number;
  open: boolean;
  close: () => void;
  /** The row the menu was opened on, which takes focus back when the menu closes. */
  returnFocus: HTMLElement | null;
  /** Opened by Shift+F10 or the context-menu key: the first action takes focus, as a menu button's does. */
  fromKeyboard: boolean;
}

export const MenuAnchorContext = createContext<MenuAnchor | null>(null);

/** `disabled`: the object is busy or going away, so none of its actions can be started. */
export function ActionsMenu({ disabled, className = "w-56", children }: { disabled?: boolean; className?: string; children: ReactNode }) {
  const anchor = useContext(MenuAnchorContext);
  if (!anchor) {
    return (
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm" disabled={disabled}>
            Actions <ChevronDown className="size-4" aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className={className}>
          {children}
        </DropdownMenuContent>
      </DropdownMenu>
    );
  }
  return (
    <DropdownMenu open={anchor.open} onOpenChange={(open) => !open && anchor.close()}>
      <DropdownMenuTrigger asChild>
        <span aria-hidden className="pointer-events-none fixed size-0" style={{ left: anchor.x, top: anchor.y }} />
      </DropdownMenuTrigger>
      <DropdownMenuContent
        align="start"
        sideOffset={2}
        collisionPadding={8}
        className={cn(className, "shadow-lg")}
        ref={(content) => {
          // After the menu has focused itself on opening.
          if (content && anchor.fromKeyboard) requestAnimationFrame(() => content.querySelector<HTMLElement>('[role="menuitem"]:not([data-disabled])')?.focus());
        }}
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          anchor.returnFocus?.focus();
        }}
      >
        {disabled ? <DropdownMenuItem disabled>Actions are unavailable while the object is busy or being deleted.</DropdownMenuItem> : children}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
