"use client";
// The web console on a VM's Summary, for a VM on a real host: a button that opens its screen in a
// tab of its own, and what the reader may do there (type, or only watch). A simulated VM has no
// screen, and no card.
import { useQuery } from "@tanstack/react-query";
import { Eye, Keyboard, MonitorPlay } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { webConsoleQuery } from "@/lib/queries/object-queries";

export function WebConsoleCard({ uid }: { uid: string }) {
  const webConsole = useQuery(webConsoleQuery(uid)).data?.console;
  if (!webConsole || webConsole.unavailable) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-sm">Web Console</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-wrap items-center justify-between gap-3">
        <p className="flex items-center gap-2 text-sm text-muted-foreground">
          {webConsole.canType ? <Keyboard aria-hidden className="size-4" /> : <Eye aria-hidden className="size-4" />}
          {webConsole.canType ? "The VM's screen, keyboard and mouse, in a tab of its own." : `View only: your role in ${webConsole.namespace} lets you watch the screen, not type.`}
        </p>
        <Button asChild size="sm">
          <a href={webConsole.path} target="_blank" rel="noopener">
            <MonitorPlay aria-hidden /> Launch Web Console
          </a>
        </Button>
      </CardContent>
    </Card>
  );
}
