// The WAI-ARIA tree pattern's keys over the rows a tree has rendered, in DOM order: Up/Down,
// Home/End, Right (expand, then first child), Left (collapse, then parent), Enter (open), and
// type-ahead. Rows are found by role, so lazily loaded levels need no registration.
import { useRef, type KeyboardEvent, type RefObject } from "react";

const TYPE_AHEAD_RESET_MS = 500;

function rows(tree: HTMLElement): HTMLElement[] {
  return [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]')];
}

const levelOf = (row: HTMLElement) => Number(row.getAttribute("aria-level"));

export function useTreeKeyboard(tree: RefObject<HTMLElement | null>, setExpanded: (key: string, expanded: boolean) => void) {
  const typed = useRef({ text: "", at: 0 });

  return (event: KeyboardEvent<HTMLElement>) => {
    if (!tree.current || event.altKey || event.ctrlKey || event.metaKey) return;
    const all = rows(tree.current);
    const current = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    const index = current ? all.indexOf(current) : -1;
    if (!current || index < 0) return;
    const focus = (row: HTMLElement | undefined) => {
      if (!row) return;
      row.focus();
      row.scrollIntoView({ block: "nearest" });
    };
    const expanded = current.getAttribute("aria-expanded");
    const key = current.dataset.key;

    switch (event.key) {
      case "ArrowDown":
        focus(all[index + 1]);
        break;
      case "ArrowUp":
        focus(all[index - 1]);
        break;
      case "Home":
        focus(all[0]);
        break;
      case "End":
        focus(all.at(-1));
        break;
      case "ArrowRight":
        if (expanded === "false" && key) setExpanded(key, true);
        else if (expanded === "true" && all[index + 1] && levelOf(all[index + 1]!) > levelOf(current)) focus(all[index + 1]);
        break;
      case "ArrowLeft":
        if (expanded === "true" && key) setExpanded(key, false);
        else focus(all.slice(0, index).findLast((row) => levelOf(row) < levelOf(current)));
        break;
      case "Enter":
      case " ":
        // Object rows are links and open themselves on Enter; status rows (retry) act on click.
        if (current.tagName === "A" && event.key === "Enter") return;
        current.click();
        break;
      default: {
        // "?" is the shortcuts sheet's, not a name's first letter.
        if (event.key.length !== 1 || event.key === " " || event.key === "?") return;
        const now = Date.now();
        const text = (now - typed.current.at > TYPE_AHEAD_RESET_MS ? "" : typed.current.text) + event.key.toLowerCase();
        typed.current = { text, at: now };
        // A repeated first letter cycles through the rows that start with it, as in a file manager.
        const repeated = text.length > 1 && [...text].every((character) => character === text[0]);
        const prefix = repeated ? text[0]! : text;
        const start = text.length === 1 || repeated ? index + 1 : index;
        const ordered = [...all.slice(start), ...all.slice(0, start)];
        focus(ordered.find((row) => row.dataset.name?.toLowerCase().startsWith(prefix)));
        break;
      }
    }
    event.preventDefault();
  };
}
