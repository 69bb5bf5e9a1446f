"use client";
// A VM's screen in a full window: noVNC (loaded only here, in the browser) over Skylight's console
// websocket, under a toolbar with the connection's state, Send Ctrl+Alt+Del and Fullscreen. When
// the socket ends because the VM's screen went away (a reset, a power cycle, a move to another
// host: the server finds the VM's host again on each connect), or the host could not be reached,
// it connects again by itself and says so; a VM that is off is tried again every few seconds.
import { Expand, Eye, Loader2, Minimize, RotateCw } from "lucide-react";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import type RFB from "@novnc/novnc";
import { BrandMark } from "@/components/brand-mark";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { CONSOLE_CLOSE, RECONNECTING_CLOSE_CODES, webConsoleSocketPath } from "@/lib/vocabulary/web-console";

type Status =
  | { phase: "connecting" }
  | { phase: "connected" }
  | { phase: "reconnecting"; reason: string }
  | { phase: "disconnected"; reason: string; retrying: boolean; signIn?: boolean };

/** Handshakes refused in a row before the page stops trying by itself. */
const MAX_REFUSED_HANDSHAKES = 3;

/** What to do after the socket closed: the status to show, and when to connect again (null: not by itself). */
async function afterClose(code: number, reason: string, opened: boolean, refusedBefore: number): Promise<{ status: Status; retryInMs: number | null }> {
  if (!opened) {
    // The server refused the upgrade; a browser is not told why, so ask whether the session is still there.
    const session = await fetch("/api/session", { cache: "no-store" }).then((response) => response.status, () => 0);
    if (session === 401) return { status: { phase: "disconnected", reason: "Your session ended: sign in again.", retrying: false, signIn: true }, retryInMs: null };
    if (refusedBefore + 1 >= MAX_REFUSED_HANDSHAKES) return { status: { phase: "disconnected", reason: "The console could not be opened.", retrying: false }, retryInMs: null };
    return { status: { phase: "reconnecting", reason: "The console could not be opened." }, retryInMs: 2_000 };
  }
  if (code === CONSOLE_CLOSE.sessionEnded) return { status: { phase: "disconnected", reason, retrying: false, signIn: true }, retryInMs: null };
  if (code === CONSOLE_CLOSE.notRunning) return { status: { phase: "disconnected", reason, retrying: true }, retryInMs: 5_000 };
  if (code === CONSOLE_CLOSE.screenClosed || code === CONSOLE_CLOSE.accessChanged) return { status: { phase: "reconnecting", reason }, retryInMs: 500 };
  if (RECONNECTING_CLOSE_CODES.includes(code) || code === 1001 || code === 1006 || code === 1011) return { status: { phase: "reconnecting", reason: reason || "The connection was lost." }, retryInMs: 3_000 };
  return { status: { phase: "disconnected", reason: reason || "The console closed.", retrying: false }, retryInMs: null };
}

export function WebConsoleScreen({ namespace, name, canType }: { namespace: string; name: string; canType: boolean }) {
  const frame = useRef<HTMLDivElement>(null);
  const screen = useRef<HTMLDivElement>(null);
  const client = useRef<RFB | null>(null);
  const refused = useRef(0);
  const [status, setStatus] = useState<Status>({ phase: "connecting" });
  const [attempt, setAttempt] = useState(0);
  const [fullscreen, setFullscreen] = useState(false);

  useEffect(() => {
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let rfb: RFB | null = null;
    void (async () => {
      // noVNC is ES modules for the browser only (it reads window at load): imported here, never on the server.
      const { default: Client } = await import("@novnc/novnc");
      if (cancelled || !screen.current) return;
      const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${webConsoleSocketPath(namespace, name)}`);
      let opened = false;
      socket.addEventListener("open", () => (opened = true));
      socket.addEventListener("close", (event) => {
        if (cancelled) return;
        client.current = null;
        void afterClose(event.code, event.reason, opened, refused.current).then(({ status: next, retryInMs }) => {
          if (cancelled) return;
          refused.current = opened ? 0 : refused.current + 1;
          setStatus(next);
          if (retryInMs !== null) retry = setTimeout(() => setAttempt((count) => count + 1), retryInMs);
        });
      });
      rfb = new Client(screen.current, socket, { shared: true });
      rfb.viewOnly = !canType;
      rfb.scaleViewport = true;
      rfb.background = "rgb(9 9 11)";
      rfb.addEventListener("connect", () => {
        refused.current = 0;
        setStatus({ phase: "connected" });
        rfb?.focus();
      });
      client.current = rfb;
    })();
    return () => {
      cancelled = true;
      clearTimeout(retry);
      rfb?.disconnect();
      client.current = null;
    };
  }, [namespace, name, canType, attempt]);

  useEffect(() => {
    const follow = () => setFullscreen(document.fullscreenElement !== null);
    document.addEventListener("fullscreenchange", follow);
    return () => document.removeEventListener("fullscreenchange", follow);
  }, []);

  const toggleFullscreen = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void frame.current?.requestFullscreen();
  }, []);

  const reconnect = () => {
    refused.current = 0;
    setStatus({ phase: "connecting" });
    setAttempt((count) => count + 1);
  };

  const connected = status.phase === "connected";
  return (
    <div ref={frame} className="flex h-dvh flex-col bg-zinc-950 text-zinc-100">
      <header className="flex h-12 shrink-0 items-center gap-3 bg-header px-3 text-header-foreground">
        <BrandMark />
        <h1 className="truncate font-semibold tracking-tight">{name}</h1>
        <span className="hidden text-sm opacity-75 sm:inline">{namespace}</span>
        <ConnectionStatus status={status} />
        <div className="ml-auto flex items-center gap-2">
          {!canType && (
            <Badge variant="outline" className="border-header-foreground/40 text-header-foreground" title={`Your role in ${namespace} lets you watch the screen, not type.`}>
              <Eye aria-hidden /> View only
            </Badge>
          )}
          {status.phase === "disconnected" && !status.retrying && !status.signIn && (
            <Button size="sm" variant="secondary" onClick={reconnect}>
              <RotateCw aria-hidden /> Reconnect
            </Button>
          )}
          {status.phase === "disconnected" && status.signIn && (
            <Button size="sm" variant="secondary" asChild>
              <Link href={`/login?next=${encodeURIComponent(`/vms/${namespace}/${name}/console`)}`}>Sign in</Link>
            </Button>
          )}
          <Tooltip>
            <TooltipTrigger asChild>
              {/* A disabled button takes no pointer events: the tooltip hangs on a wrapper. */}
              <span tabIndex={canType ? -1 : 0}>
                <Button size="sm" variant="secondary" disabled={!canType || !connected} onClick={() => client.current?.sendCtrlAltDel()}>
                  Send Ctrl+Alt+Del
                </Button>
              </span>
            </TooltipTrigger>
            {!canType && <TooltipContent>View only: your role in {namespace} lets you watch, not type.</TooltipContent>}
          </Tooltip>
          <Button size="sm" variant="secondary" onClick={toggleFullscreen} aria-pressed={fullscreen}>
            {fullscreen ? <Minimize aria-hidden /> : <Expand aria-hidden />} {fullscreen ? "Exit Fullscreen" : "Fullscreen"}
          </Button>
        </div>
      </header>
      <div className="relative min-h-0 flex-1">
        <div ref={screen} role="application" aria-label={`Screen of ${name}`} className="absolute inset-0" />
        {!connected && (
          <div className="pointer-events-none absolute inset-0 flex items-center justify-center p-6 text-center text-sm text-zinc-300">
            {status.phase === "connecting" ? `Connecting to ${name}…` : status.phase === "reconnecting" ? `Reconnecting to ${name}…` : status.reason}
          </div>
        )}
      </div>
    </div>
  );
}

function ConnectionStatus({ status }: { status: Status }) {
  const [variant, text] =
    status.phase === "connected"
      ? (["success", "Connected"] as const)
      : status.phase === "connecting"
        ? (["secondary", "Connecting"] as const)
        : status.phase === "reconnecting"
          ? (["warning", "Reconnecting…"] as const)
          : ([status.retrying ? "warning" : "destructive", `Disconnected — ${status.reason}${status.retrying ? " Trying again…" : ""}`] as const);
  return (
    <span role="status" aria-live="polite" className="min-w-0">
      <Badge variant={variant} className="max-w-[40vw] truncate text-header-foreground">
        {(status.phase === "connecting" || status.phase === "reconnecting") && <Loader2 aria-hidden className="animate-spin" />}
        {text}
      </Badge>
      {status.phase === "reconnecting" && <span className="sr-only"> {status.reason}</span>}
    </span>
  );
}
