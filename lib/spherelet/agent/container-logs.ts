// Reads a container's CRI-format logs (pod-files.ts: one file per run, `<time> <stream> <F|P>
// <text>` per line) as kubelet answers `kubectl logs`: the current run or the previous one, the
// last lines, since a time, with or without timestamps, up to a number of bytes, and, when
// following, on into each later run's file as the container restarts. Attach reads the same lines
// from the end of the current file.
import { watch, type FSWatcher } from "node:fs";
import { open, readdir, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { containerLogFile } from "@/lib/spherelet/agent/pod-files";
import type { LogOptions } from "@/lib/spherelet/pod-stream-protocol";

const CHUNK_BYTES = 64 * 1024;
/** Longer than this without a newline, a line is passed on in pieces rather than held. */
const MAX_LINE_BYTES = 1024 * 1024;
/** How often an idle follower looks again when the file system said nothing. */
const IDLE_RECHECK_MS = 1000;

export interface LogLine {
  time: string;
  stream: "stdout" | "stderr";
  /** A partial line (tag P): its text continues in the next line. */
  partial: boolean;
  text: Buffer;
}

/** There is no log to show (no run yet, or no previous run): kubelet's 400 with this message. */
export class NoLogError extends Error {}

/** The runs a container's log directory holds, oldest first. */
async function runsOf(logDir: string): Promise<number[]> {
  const names = await readdir(logDir).catch(() => [] as string[]);
  return names
    .map((name) => /^(\d{1,9})\.log$/.exec(name)?.[1])
    .filter((run): run is string => run !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

function parseLine(line: Buffer): LogLine | null {
  const first = line.indexOf(32);
  const second = first < 0 ? -1 : line.indexOf(32, first + 1);
  const third = second < 0 ? -1 : line.indexOf(32, second + 1);
  if (third < 0) return null;
  const stream = line.subarray(first + 1, second).toString();
  if (stream !== "stdout" && stream !== "stderr") return null;
  return { time: line.subarray(0, first).toString(), stream, partial: line[second + 1] === 0x50 /* P */, text: line.subarray(third + 1) };
}

/** Where the last `lines` lines of the file begin. */
async function tailOffset(file: FileHandle, size: number, lines: number): Promise<number> {
  if (lines === 0) return size;
  let position = size;
  let newlines = 0;
  const buffer = Buffer.alloc(CHUNK_BYTES);
  while (position > 0) {
    const length = Math.min(CHUNK_BYTES, position);
    position -= length;
    await file.read(buffer, 0, length, position);
    for (let i = length - 1; i >= 0; i--) {
      // The file's final newline ends the last line; each one before it starts a line.
      if (buffer[i] === 10 && position + i !== size - 1 && ++newlines === lines) return position + i + 1;
    }
  }
  return 0;
}

export interface FollowOptions {
  logDir: string;
  options: Pick<LogOptions, "follow" | "previous" | "tailLines" | "sinceMs">;
  /** Start at the end of the current run's file (attach: only what comes next). */
  fromEnd?: boolean;
  signal: AbortSignal;
  /** Handed each line in order; the next waits for the promise it returns. */
  emit(line: LogLine): Promise<void> | void;
  /** Asked while following finds nothing new: true ends the stream (the pod is gone, the container stopped). */
  ended(): Promise<boolean>;
  /** Called once the place to start reading from is fixed: what is written after that is read. */
  started?(): void;
  /** Called each time the reader has read all there is so far, before it waits or returns. */
  caughtUp?(): Promise<void> | void;
}

/** Reads the lines the options select, following while asked to; returns when done or aborted. */
export async function readContainerLog(follow: FollowOptions): Promise<void> {
  const { options, signal } = follow;
  const runs = await runsOf(follow.logDir);
  if (runs.length === 0) throw new NoLogError("the container has not started yet");
  if (options.previous && runs.length < 2) throw new NoLogError("the container has no previous run");
  let run = runs[runs.length - (options.previous ? 2 : 1)]!;
  let watcher: FSWatcher | null = null;
  let wake: (() => void) | null = null;
  // Set by a change seen while reading, so the wait after that read does not sleep through it.
  let dirty = false;
  const changed = () => {
    dirty = true;
    wake?.();
  };
  try {
    watcher = options.follow ? watch(follow.logDir, changed) : null;
    watcher?.on("error", () => undefined);
    signal.addEventListener("abort", changed);
    let first = true;
    for (;;) {
      const file = await open(path.join(follow.logDir, `${run}.log`), "r");
      try {
        const { size } = await file.stat();
        let offset = !first ? 0 : follow.fromEnd ? size : options.tailLines !== null ? await tailOffset(file, size, options.tailLines) : 0;
        if (first) follow.started?.();
        first = false;
        let pending = Buffer.alloc(0);
        const buffer = Buffer.alloc(CHUNK_BYTES);
        for (;;) {
          if (signal.aborted) return;
          dirty = false;
          const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, offset);
          if (bytesRead > 0) {
            offset += bytesRead;
            pending = Buffer.concat([pending, buffer.subarray(0, bytesRead)]);
            let start = 0;
            for (let end = pending.indexOf(10); end >= 0; end = pending.indexOf(10, start)) {
              const line = parseLine(pending.subarray(start, end));
              start = end + 1;
              if (line && (options.sinceMs === null || Date.parse(line.time) >= options.sinceMs)) await follow.emit(line);
              if (signal.aborted) return;
            }
            pending = pending.subarray(start);
            if (pending.length > MAX_LINE_BYTES) pending = Buffer.alloc(0);
            continue;
          }
          await follow.caughtUp?.();
          if (!options.follow || options.previous) return;
          const newer = (await runsOf(follow.logDir)).find((later) => later > run);
          if (newer !== undefined) {
            run = newer;
            break;
          }
          if (await follow.ended()) return;
          if (!dirty) await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, IDLE_RECHECK_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
          dirty = false;
        }
      } finally {
        await file.close();
      }
    }
  } finally {
    watcher?.close();
    signal.removeEventListener("abort", changed);
  }
}

/** The bytes kubectl shows for a line: its text, a newline unless it continues, and the time before it when asked. */
export function renderLine(line: LogLine, timestamps: boolean): Buffer {
  const parts = [line.text];
  if (timestamps) parts.unshift(Buffer.from(`${line.time} `));
  if (!line.partial) parts.push(Buffer.from("\n"));
  return Buffer.concat(parts);
}

/** The log directory of a container of a pod this agent runs (the directory every run's file is in). */
export const containerLogDir = (runDir: string, podUid: string, container: string) => path.dirname(containerLogFile(runDir, podUid, container, 0));

/** Whether the pod still has files on this host (the runtime removes them when the pod is deleted). */
export const podFilesExist = (dir: string) => stat(dir).then(
  () => true,
  () => false,
);
