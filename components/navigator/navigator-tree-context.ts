// What every row of one navigator tree shares: the view, which rows are expanded, which row
// holds the tree's single tab stop, and the object the URL has selected.
import { createContext, useContext } from "react";
import type { NavigatorView } from "@/lib/inventory/navigator-views";

export interface NavigatorTreeState {
  view: NavigatorView;
  /** Whether a root node (the console itself) stands above the view's first level. */
  withRoot: boolean;
  /** Rows are keyed by the uids from the root down to them, joined by "/". */
  isExpanded: (key: string) => boolean;
  setExpanded: (key: string, expanded: boolean) => void;
  /** The row with tabindex 0; null means the first row. */
  focusKey: string | null;
  setFocusKey: (key: string) => void;
  /** A row that unmounts gives the tab stop back to the first row. */
  releaseFocusKey: (key: string) => void;
  selectedUid: string | null;
  /** The key of the selected object's parent row, once its path in this view is known. */
  selectedParentKey: string | null;
}

export const NavigatorTreeContext = createContext<NavigatorTreeState | null>(null);

export function useNavigatorTree(): NavigatorTreeState {
  const state = useContext(NavigatorTreeContext);
  if (!state) throw new Error("useNavigatorTree must be used inside a NavigatorTree.");
  return state;
}
