// crx containers in real microVMs under QEMU (TCG here), with a busybox rootfs unpacked from the
// checkout's OCI image: the container's output comes back as its CRI log and its exit code is read;
// a long-running one outlives the "agent" that started it, is adopted from its files and stopped;
// one that ignores SIGTERM is killed when its grace period ends. Needs root (virtiofsd).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutBusyboxImage } from "@/lib/containers/busybox-image";
import { pollUntil } from "@/lib/hypervisor/qemu-vm";
import { checkoutCrxImage } from "@/lib/spherelet/agent/crx-image";
import { CrxSpecError } from "@/lib/spherelet/agent/crx-spec";
import { adoptCrxContainer, startCrxContainer, type CrxSandbox, type CrxStart } from "@/lib/spherelet/agent/crx-sandbox";
import { containerLogFile } from "@/lib/spherelet/agent/pod-files";

const run = promisify(execFile);

let runDir: string;
let rootfs: string;
const started: CrxSandbox[] = [];

beforeAll(async () => {
  await checkoutCrxImage();
  const image = await checkoutBusyboxImage();
  runDir = await mkdtemp(path.join(tmpdir(), "skylight-crx-"));
  rootfs = path.join(runDir, "busybox-rootfs");
  await run("umoci", ["raw", "unpack", "--image", `${image.layout}:${image.tag}`, rootfs]);
}, 180_000);

afterAll(async () => {
  for (const sandbox of started) {
    const pid = await sandbox.pid();
    if (pid) process.kill(pid, "SIGKILL");
  }
  await rm(runDir, { recursive: true, force: true });
});

function container(podUid: string, args: string[], overrides: Partial<CrxStart> = {}): CrxStart {
  return {
    podUid,
    container: "main",
    rootfs,
    args,
    env: [{ name: "PATH", value: "/bin" }],
    cwd: "/",
    cpuMillis: 500,
    memoryBytes: 64 * 1024 * 1024,
    logFile: containerLogFile(runDir, podUid, "main", 0),
    runDir,
    ...overrides,
  };
}

async function start(spec: CrxStart): Promise<CrxSandbox> {
  const sandbox = await startCrxContainer(spec);
  started.push(sandbox);
  return sandbox;
}

const untilState = (sandbox: CrxSandbox, state: "running" | "exited") =>
  pollUntil(`the crx container to be ${state}`, 30_000, async () => {
    const status = await sandbox.status();
    return status.state === state ? status : undefined;
  });

const untilLine = (logFile: string, ending: string) =>
  pollUntil(`the container's line "${ending}"`, 30_000, async () => ((await readFile(logFile, "utf8").catch(() => "")).split("\n").some((line) => line.endsWith(ending)) ? true : undefined));

const CRI_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) F (.*)$/;
const logLines = async (file: string) => (await readFile(file, "utf8")).trimEnd().split("\n");

// Each test boots its own VM: they run at once, as an agent's containers would.
describe.concurrent("a crx container in its own microVM", () => {
  it("runs its process with its env and working directory; its output is its CRI log and its exit code is read", async () => {
    const hostile = `it's $HOME; \`id\` "quoted"`;
    const spec = container("pod-exit", ["sh", "-c", 'echo hello; echo "$GREETING from $(pwd)"; echo "$1"; echo oops >&2; exit 3', "sh", hostile], {
      env: [
        { name: "PATH", value: "/bin" },
        { name: "GREETING", value: "hi there" },
      ],
      cwd: "/tmp",
    });
    const before = Date.now();
    const sandbox = await start(spec);
    const exited = await untilState(sandbox, "exited");

    expect(exited).toMatchObject({ state: "exited", exitCode: 3, reason: "Error" });
    if (exited.state !== "exited") return;
    expect(Date.parse(exited.finishedAt)).toBeGreaterThanOrEqual(Date.parse(exited.startedAt!));
    // The guest's clock is within a second of the host's.
    expect(Date.parse(exited.startedAt!)).toBeGreaterThan(before - 1000);
    expect(Date.parse(exited.finishedAt)).toBeLessThan(Date.now() + 1000);

    const lines = await logLines(spec.logFile);
    expect(lines.every((line) => CRI_LINE.test(line))).toBe(true);
    // Each stream in its order; the two streams interleave as they arrive, as with runc.
    const stream = (name: string) => lines.map((line) => CRI_LINE.exec(line)!).filter((match) => match[1] === name).map((match) => match[2]);
    expect(stream("stdout")).toEqual(["hello", "hi there from /tmp", hostile]);
    expect(stream("stderr")).toEqual(["oops"]);
    // The kernel's and /init's chatter stays out of the container's log.
    expect(lines.join("\n")).not.toMatch(/virtio|crx:|kernel/i);
    expect(await sandbox.pid()).toBeNull();
  });

  it("outlives the agent that started it: a new agent adopts the running VM by its pid file, and stop() ends it", async () => {
    const spec = container("pod-adopt", ["sh", "-c", "echo up; while true; do sleep 1; done"]);
    const first = await start(spec);
    await untilState(first, "running");
    const pid = await first.pid();
    expect(pid).toBeGreaterThan(0);
    // QEMU daemonized: not this process's child, so the agent's exit leaves it running.
    const parent = Number(/PPid:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, "utf8"))?.[1]);
    expect(parent).not.toBe(process.pid);

    // The "agent" restarts: it keeps no handle, only the pod's uid and the container's name.
    const adopted = await adoptCrxContainer(runDir, "pod-adopt", "main");
    expect(adopted).not.toBeNull();
    expect(await adopted!.pid()).toBe(pid);
    expect(await adopted!.status()).toMatchObject({ state: "running" });
    await untilLine(spec.logFile, "stdout F up");

    // sh dies of the SIGTERM the power button sends it: 128 + 15.
    await adopted!.stop(10);
    expect(await adopted!.pid()).toBeNull();
    expect(await adopted!.status()).toMatchObject({ state: "exited", exitCode: 143, reason: "Error" });
    expect(await adoptCrxContainer(runDir, "pod-never-ran", "main")).toBeNull();
  });

  it("is killed when it ignores SIGTERM past its grace period, and reported killed (137)", async () => {
    const spec = container("pod-stubborn", ["sh", "-c", "trap '' TERM; echo up; while true; do sleep 1; done"]);
    const sandbox = await start(spec);
    // Its trap is set once it has said so.
    await untilLine(spec.logFile, "stdout F up");
    const stopping = Date.now();
    await sandbox.stop(1);
    expect(Date.now() - stopping).toBeGreaterThanOrEqual(1000);
    expect(await sandbox.pid()).toBeNull();
    expect(await sandbox.status()).toMatchObject({ state: "exited", exitCode: 137, reason: "Error" });
  });

  it("refuses a spec the guest could misread before booting anything, naming the field", async () => {
    const refusals: [Partial<CrxStart>, RegExp][] = [
      [{ env: [{ name: "-u", value: "PATH" }] }, /env\[0\]\.name "-u"/],
      [{ env: [{ name: "A", value: "a\0b" }] }, /env\[0\]\.value must not contain a NUL/],
      [{ args: ["sh", "-c", "a\0b"] }, /args\[2\] must not contain a NUL/],
      [{ args: [] }, /args must name the process/],
      [{ cwd: "tmp" }, /cwd "tmp" must be an absolute path/],
      [{ args: ["echo", "x".repeat(300 * 1024)] }, /under 256 KiB/],
      [{ container: "../../escape" }, /container "..\/..\/escape" must be an RFC 1123 label/],
      [{ podUid: "../pod" }, /podUid "..\/pod" must be/],
      [{ rootfs: "/tmp/a,b" }, /rootfs "\/tmp\/a,b" must not contain a comma/],
      [{ runDir: `/tmp/${"d".repeat(100)}` }, /is too long for the container's sockets/],
    ];
    for (const [overrides, message] of refusals) {
      const spec = container("pod-refused", ["true"], overrides);
      await expect(startCrxContainer(spec)).rejects.toThrow(CrxSpecError);
      await expect(startCrxContainer(spec)).rejects.toThrow(message);
    }
    expect(await adoptCrxContainer(runDir, "pod-refused", "main")).toBeNull();
  });
});
