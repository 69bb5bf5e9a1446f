"use client";
// One view of the inventory as a lazily loaded tree. The URL's object is selected, and a deep
// link expands the path down to it; the keyboard follows the WAI-ARIA tree pattern. In the
// infrastructure views a root node, the console itself, stands above the datacenters, as the
// vCenter Server does in the vSphere Client.
import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { NavigatorLevel } from "@/components/navigator/navigator-level";
import { NavigatorRootRow, ROOT_KEY } from "@/components/navigator/navigator-root-row";
import { NavigatorTreeContext, type NavigatorTreeState } from "@/components/navigator/navigator-tree-context";
import { useTreeKeyboard } from "@/components/navigator/use-tree-keyboard";
import { NAVIGATOR_VIEW_LABELS, type NavigatorView } from "@/lib/inventory/navigator-views";
import { navigatorPathQuery } from "@/lib/queries/navigator-queries";

// What each view had expanded, so switching views and back finds the tree as it was left (for as
// long as the tab lives). Written only in the browser: the server always renders trees collapsed.
const expandedByView = new Map<NavigatorView, ReadonlySet<string>>();

/** `rootName`: the root node's name; none in the Namespaces view, whose first level is clusters a developer may not open. */
export function NavigatorTree({ view, selectedUid, rootName }: { view: NavigatorView; selectedUid: string | null; rootName: string | null }) {
  const [expanded, setExpandedKeys] = useState<ReadonlySet<string>>(() => expandedByView.get(view) ?? new Set([ROOT_KEY]));
  useEffect(() => {
    expandedByView.set(view, expanded);
  }, [view, expanded]);
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<string | null>(null);
  const element = useRef<HTMLDivElement>(null);

  const { data: ancestors } = useQuery({ ...navigatorPathQuery(view, selectedUid ?? ""), enabled: selectedUid !== null });
  // Expand the path to a newly selected object once, while leaving the user free to collapse it.
  const revealKey = selectedUid && ancestors ? [...ancestors, selectedUid].join("/") : null;
  if (revealKey && revealKey !== revealed) {
    setRevealed(revealKey);
    const prefixes = [ROOT_KEY, ...ancestors!.map((_, index) => ancestors!.slice(0, index + 1).join("/"))];
    if (prefixes.some((key) => !expanded.has(key))) setExpandedKeys(new Set([...expanded, ...prefixes]));
    setFocusKey(revealKey);
  }

  // When the row holding the tab stop goes away (a live refresh removed it), the first row takes
  // the stop over, so Tab always reaches the tree.
  const releaseFocusKey = useCallback((key: string) => setFocusKey((current) => (current === key ? null : current)), []);

  const state = useMemo<NavigatorTreeState>(
    () => ({
      view,
      withRoot: rootName !== null,
      isExpanded: (key) => expanded.has(key),
      setExpanded: (key, open) => {
        setExpandedKeys((current) => {
          const next = new Set(current);
          if (open) next.add(key);
          else next.delete(key);
          return next;
        });
        // Collapsing a row that holds the tab stop below it moves the stop to the row itself.
        if (!open) setFocusKey((current) => (current?.startsWith(`${key}/`) ? key : current));
      },
      focusKey,
      setFocusKey,
      releaseFocusKey,
      selectedUid,
      selectedParentKey: selectedUid && ancestors ? ancestors.join("/") : null,
    }),
    [view, rootName, expanded, focusKey, selectedUid, ancestors, releaseFocusKey],
  );

  const onKeyDown = useTreeKeyboard(element, state.setExpanded);
  return (
    <NavigatorTreeContext value={state}>
      <div ref={element} role="tree" aria-label={NAVIGATOR_VIEW_LABELS[view]} onKeyDown={onKeyDown} className="flex flex-col gap-px">
        {rootName === null ? (
          <NavigatorLevel parent={null} parentKey="" level={1} />
        ) : (
          <>
            <NavigatorRootRow name={rootName} />
            {state.isExpanded(ROOT_KEY) && <NavigatorLevel parent={null} parentKey="" level={2} />}
          </>
        )}
      </div>
    </NavigatorTreeContext>
  );
}
