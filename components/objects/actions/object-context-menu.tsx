"use client";
// Context menus on inventory objects, as in the vSphere Client: right-click, Shift+F10 or the
// context-menu key on a navigator node or a list row opens that object's Actions menu (the page's
// own menu, see actions-menu.tsx) at the pointer, or under the row from the keyboard. What the
// menu needs is read when it opens, so it shows what applies now and only what the user may do.
import { useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { createContext, useCallback, useContext, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from "react";
import { ActionsMenu, MenuAnchorContext, type MenuAnchor } from "@/components/objects/actions/actions-menu";
import { ObjectActionsMenu } from "@/components/objects/actions/object-actions-menu";
import { DropdownMenuItem } from "@/components/ui/dropdown-menu";
import type { ObjectActions } from "@/lib/inventory/object-actions";
import { objectActionsQuery, objectViewQuery } from "@/lib/queries/object-queries";

type Opened = { uid: string; name: string; actions: ObjectActions | null } | { uid: string; error: string } | { uid: string; loading: true };

interface MenuState {
  /** Each opening mounts a fresh menu, so one object's dialogs never carry over to the next. */
  serial: number;
  x: number;
  y: number;
  open: boolean;
  returnFocus: HTMLElement | null;
  fromKeyboard: boolean;
  opened: Opened;
}

type OpenObjectMenu = (uid: string, at: { x: number; y: number; fromKeyboard: boolean }, returnFocus: HTMLElement | null) => void;

const ObjectContextMenuContext = createContext<OpenObjectMenu | null>(null);

export function ObjectContextMenuProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<MenuState | null>(null);
  const openings = useRef(0);

  const openMenu = useCallback<OpenObjectMenu>(
    (uid, at, returnFocus) => {
      const serial = ++openings.current;
      setState({ serial, ...at, open: true, returnFocus, opened: { uid, loading: true } });
      const settle = (opened: Opened) => setState((current) => (current?.serial === serial ? { ...current, opened } : current));
      queryClient.fetchQuery(objectActionsQuery(uid)).then(
        ({ object, actions }) => {
          queryClient.setQueryData(objectViewQuery(uid).queryKey, object);
          settle({ uid, name: object.name, actions });
        },
        (error: Error) => settle({ uid, error: error.message }),
      );
    },
    [queryClient],
  );

  const close = useCallback(() => setState((current) => current && { ...current, open: false }), []);
  const anchor = useMemo<MenuAnchor | null>(
    () => state && { x: state.x, y: state.y, open: state.open, close, returnFocus: state.returnFocus, fromKeyboard: state.fromKeyboard },
    [state, close],
  );

  return (
    <ObjectContextMenuContext value={openMenu}>
      {children}
      {state && anchor && (
        <MenuAnchorContext value={anchor}>
          <OpenedMenu key={state.serial} opened={state.opened} />
        </MenuAnchorContext>
      )}
    </ObjectContextMenuContext>
  );
}

function OpenedMenu({ opened }: { opened: Opened }) {
  if ("loading" in opened) {
    return (
      <ActionsMenu>
        <DropdownMenuItem disabled aria-busy>
          <Loader2 className="animate-spin motion-reduce:animate-none" aria-hidden /> Loading actions…
        </DropdownMenuItem>
      </ActionsMenu>
    );
  }
  if ("error" in opened) {
    return (
      <ActionsMenu className="w-72">
        <DropdownMenuItem disabled className="whitespace-normal">
          The actions could not be loaded: {opened.error}
        </DropdownMenuItem>
      </ActionsMenu>
    );
  }
  if (!opened.actions) {
    return (
      <ActionsMenu className="w-64">
        <DropdownMenuItem disabled className="whitespace-normal">
          You have no actions on {opened.name}.
        </DropdownMenuItem>
      </ActionsMenu>
    );
  }
  return <ObjectActionsMenu uid={opened.uid} name={opened.name} actions={opened.actions} />;
}

/**
 * Handlers that open an object's context menu from its row: right-click, Shift+F10 or the
 * context-menu key. Outside the console's frame (no provider) a row has no context menu.
 */
export function useObjectContextMenu(): (uid: string) => { onContextMenu?: (event: MouseEvent<HTMLElement>) => void; onKeyDown?: (event: KeyboardEvent<HTMLElement>) => void } {
  const openMenu = useContext(ObjectContextMenuContext);
  return useCallback(
    (uid: string) => {
      if (!openMenu) return {};
      return {
        onContextMenu: (event: MouseEvent<HTMLElement>) => {
          event.preventDefault();
          // The context-menu key fires this event too, with no pointer position: open under the row then.
          const fromKeyboard = event.clientX === 0 && event.clientY === 0;
          openMenu(uid, fromKeyboard ? belowRow(event.currentTarget) : { x: event.clientX, y: event.clientY, fromKeyboard }, focusTarget(event.currentTarget));
        },
        onKeyDown: (event: KeyboardEvent<HTMLElement>) => {
          if (!((event.shiftKey && event.key === "F10") || event.key === "ContextMenu")) return;
          event.preventDefault();
          event.stopPropagation();
          openMenu(uid, belowRow(event.currentTarget), focusTarget(event.currentTarget));
        },
      };
    },
    [openMenu],
  );
}

/** Focus goes back where it was inside the row (a list row's link), or to the row itself. */
function focusTarget(row: HTMLElement): HTMLElement {
  const active = document.activeElement;
  return active instanceof HTMLElement && row.contains(active) ? active : row;
}

function belowRow(row: HTMLElement) {
  const box = row.getBoundingClientRect();
  return { x: box.left + Math.min(32, box.width / 2), y: box.bottom, fromKeyboard: true };
}
