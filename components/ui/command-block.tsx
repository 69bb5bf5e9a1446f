"use client";
// A shell command to copy: monospace, wrapped so nothing hides off to the side, with a Copy
// button. Where the browser offers no clipboard (a console reached over plain HTTP at a name other
// than localhost) Copy selects the command for Ctrl+C instead.
import { Check, Copy } from "lucide-react";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";

export function CommandBlock({ command, label }: { command: string; label: string }) {
  const text = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<"copied" | "selected" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied("copied");
    } catch {
      if (text.current) window.getSelection()?.selectAllChildren(text.current);
      setCopied("selected");
    }
    setTimeout(() => setCopied(null), 2000);
  };
  return (
    <div className="rounded-md border border-border bg-muted/50">
      <pre ref={text} aria-label={label} className="px-3 pt-2.5 pb-1 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap">
        {command}
      </pre>
      <div className="flex items-center justify-end gap-2 px-2 pb-2">
        {copied === "selected" && <span className="text-xs text-muted-foreground">Selected: press Ctrl+C to copy.</span>}
        <Button type="button" variant="outline" size="sm" onClick={() => void copy()}>
          {copied === "copied" ? <Check aria-hidden /> : <Copy aria-hidden />}
          {copied === "copied" ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}
