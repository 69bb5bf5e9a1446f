// The web console end to end below the browser: two real host agents (`npm run spherelet`, as
// processes) with a tiny VM booted on one, Skylight's websocket route on a real HTTP server, and
// RFB spoken over the sockets as noVNC would. The agent's endpoint lets a ticket open one socket
// for its host and machine only; Skylight pins the agent's certificate; the route authorizes
// before anything else, types for editors and only shows the screen to viewers, bounds what a user
// and a message may take, ends with the session, and audits each opening and refusal.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import WebSocket from "ws";
import { accessChangesReady } from "@/lib/auth/access-changes";
import { prisma } from "@/lib/db/prisma";
import { createCluster } from "@/lib/engine/operations/cluster-operations";
import { addAgentHost } from "@/lib/engine/operations/host-operations";
import { createNamespace, setNamespacePermissions } from "@/lib/engine/operations/namespace-operations";
import { createVirtualMachine, migrateVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { runningPid } from "@/lib/hypervisor/qemu-vm";
import { hashToken } from "@/lib/kube/api-tokens";
import { TINY_IMAGE_NAME } from "@/lib/seed/demo-inventory";
import { caCertHash } from "@/lib/spherelet/agent-command";
import { signTicket, SERVING_CERTIFICATE_ANNOTATION } from "@/lib/spherelet/console-protocol";
import { DATASTORE, NAMESPACE, OPERATOR, vmSpec, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";
import { agentLab, type AgentLab } from "@/lib/testing/qemu-guests";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";
import { AgentConsoleError, openAgentConsole } from "@/lib/web-console/agent-console";
import { createWebConsoleRoute, MAX_BROWSER_MESSAGE_BYTES, MAX_CONSOLES_PER_USER, type WebConsoleRoute } from "@/lib/web-console/console-route";
import { readConsoleTarget, type ConsoleEndpoint } from "@/lib/web-console/console-target";
import { CONSOLE_CLOSE, webConsoleSocketPath } from "@/lib/vocabulary/web-console";

const CLUSTER = "lab-cluster";
const LAB = "lab";
const VM = "lab-vm";
const HOSTS = ["lab-a", "lab-b"];
const ADMIN = { id: "user-admin", username: "admin", role: "administrator" as const };

let kube: KubeHarness;
let lab: AgentLab;
let datastoreDir: string;
let runRoot: string;
const tokens: Record<string, string> = {};
const agents: ChildProcess[] = [];
let server: Server;
let route: WebConsoleRoute;
let origin: string;
/** Session cookies: an editor and a viewer of the lab namespace, a developer without access to it, and an operator. */
const cookies: Record<"editor" | "viewer" | "stranger" | "operator", string> = { editor: "", viewer: "", stranger: "", operator: "" };
let machine: { id: string; host: string; tokenHash: string; endpoint: ConsoleEndpoint };
let otherHost: { name: string; tokenHash: string; endpoint: ConsoleEndpoint };

function startAgent(name: string) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/spherelet.ts", "--server", `https://127.0.0.1:${kube.server.port}`, "--token", tokens[name]!, "--name", name, "--datastore", datastoreDir, "--run-dir", path.join(runRoot, name), "--cpus", "2", "--memory", "4", "--port", "0", "--ca-cert-hash", caCertHash(kube.server.certificateAuthorityPem)],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  agents.push(child);
}

async function hostEndpoint(host: string): Promise<ConsoleEndpoint> {
  const { rows } = await kube.pool.query<{ port: number; hash: string }>(
    `SELECT (status->'daemonEndpoints'->'kubeletEndpoint'->>'Port')::int AS port, annotations->>$2 AS hash FROM resources WHERE kind = 'Node' AND name = $1`,
    [host, SERVING_CERTIFICATE_ANNOTATION],
  );
  return { address: "127.0.0.1", port: rows[0]!.port, certificateHash: rows[0]!.hash };
}

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0, hosts: 1 });
  kube.startEngine();
  lab = await agentLab(kube.pool);
  ({ datastoreDir, runRoot } = lab);
  await createCluster(OPERATOR, { name: CLUSTER, datacenter: "dc-test" }, kube.pool);
  for (const name of HOSTS) {
    tokens[name] = (await addAgentHost(OPERATOR, { name, cluster: CLUSTER, datastore: "lab-shared" }, kube.pool)).token;
    startAgent(name);
  }
  for (const [username, role] of [["eddie", "developer"], ["vicky", "developer"], ["nora", "developer"], ["otto", "operator"]] as const) {
    await createUser("system", { username, name: username, role, password: `${username}-password` });
  }
  await createNamespace(ADMIN, { name: LAB, cluster: CLUSTER, permissions: [{ kind: "User", name: "eddie", role: "edit" }, { kind: "User", name: "vicky", role: "view" }] }, kube.pool);
  await createVirtualMachine(OPERATOR, { namespace: LAB, name: VM, spec: vmSpec({ imageName: TINY_IMAGE_NAME, storageClass: "lab-shared", className: "best-effort-xsmall", powerState: "PoweredOn" }) }, kube.pool);
  await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "simulated-vm", spec: vmSpec({ storageClass: DATASTORE, powerState: "PoweredOn" }) }, kube.pool);
  cookies.editor = (await signInAs("eddie", "eddie-password")).get("cookie")!;
  cookies.viewer = (await signInAs("vicky", "vicky-password")).get("cookie")!;
  cookies.stranger = (await signInAs("nora", "nora-password")).get("cookie")!;
  cookies.operator = (await signInAs("otto", "otto-password")).get("cookie")!;
  await accessChangesReady();

  await waitFor(async () => {
    const target = await readConsoleTarget(kube.pool, { namespace: LAB, name: VM });
    return target?.kind === "agent" && target.machine?.powerState === "PoweredOn" && target.machine.endpoint !== null && (await serialLog(target.machine.id)).includes("# ");
  }, "the VM's shell prompt on a host with a console endpoint", 90_000);
  const target = await readConsoleTarget(kube.pool, { namespace: LAB, name: VM });
  if (target?.kind !== "agent" || !target.machine?.endpoint || !target.machine.tokenHash) throw new Error("no console target");
  machine = { id: target.machine.id, host: target.machine.host, tokenHash: target.machine.tokenHash, endpoint: target.machine.endpoint };
  const other = HOSTS.find((host) => host !== machine.host)!;
  await waitFor(async () => (await hostEndpoint(other)).port > 0, "the other agent's endpoint", 30_000);
  otherHost = { name: other, tokenHash: hashToken(tokens[other]!), endpoint: await hostEndpoint(other) };

  server = createServer((_request, response) => response.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  route = createWebConsoleRoute({ publicUrl: origin, db: kube.pool, sessionCheckMs: 200 });
  server.on("upgrade", (request, socket, head) => route.upgrade(request, socket, head));
}, 180_000);

afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  for (const child of agents) child.kill("SIGKILL");
  for (const host of HOSTS) {
    const pid = machine && (await runningPid(path.join(runRoot, host, machine.id)));
    if (pid) process.kill(pid, "SIGKILL");
  }
  await lab?.remove();
  await kube?.stopKube();
});

const serialLog = (id: string) => readFile(path.join(datastoreDir, "vms", id, "serial.log"), "utf8").catch(() => "");

/** Bytes of one websocket, read as RFB reads them: so many at a time, whatever the messages' boundaries. */
class RfbReader {
  private buffered = Buffer.alloc(0);
  private waiting: (() => void) | null = null;

  /** `subscribe`: the socket's messages from the first one on (the server speaks first). */
  constructor(
    readonly ws: WebSocket,
    subscribe: (handler: (data: Buffer) => void) => void = (handler) => ws.on("message", handler),
  ) {
    subscribe((data) => {
      this.buffered = Buffer.concat([this.buffered, data]);
      this.waiting?.();
    });
  }

  async read(count: number): Promise<Buffer> {
    while (this.buffered.length < count) {
      await Promise.race([new Promise<void>((resolve) => (this.waiting = resolve)), once(this.ws, "close").then(([code, reason]) => Promise.reject(new Error(`closed ${code} ${reason}`)))]);
    }
    const bytes = this.buffered.subarray(0, count);
    this.buffered = this.buffered.subarray(count);
    return bytes;
  }
}

/** The RFB handshake as noVNC makes it (3.8, security None, shared); resolves with the desktop's name. */
async function handshake(reader: RfbReader): Promise<{ width: number; desktop: string }> {
  const { ws } = reader;
  expect((await reader.read(12)).toString()).toBe("RFB 003.008\n");
  ws.send(Buffer.from("RFB 003.008\n"));
  const count = (await reader.read(1))[0]!;
  expect([...(await reader.read(count))]).toContain(1);
  ws.send(Buffer.from([1]));
  expect((await reader.read(4)).readUInt32BE(0)).toBe(0);
  ws.send(Buffer.from([1]));
  const init = await reader.read(24);
  const desktop = (await reader.read(init.readUInt32BE(20))).toString();
  return { width: init.readUInt16BE(0), desktop };
}

/**
 * KeyEvents, down and up, for each character (lowercase, digits and unshifted punctuation), then
 * Return, at a fast typist's pace: QEMU's text console holds only 16 keys the guest has not read
 * yet, so a burst typed into a guest slowed by a busy host would lose keys.
 */
async function typeLine(ws: WebSocket, text: string) {
  for (const keysym of [...[...text].map((character) => character.charCodeAt(0)), 0xff0d]) {
    for (const down of [1, 0]) {
      const event = Buffer.alloc(8);
      event[0] = 4;
      event[1] = down;
      event.writeUInt32BE(keysym, 4);
      ws.send(event);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const ticketFor = (target: { host: string; id: string }, tokenHash = machine.tokenHash, now?: number) => signTicket(tokenHash, { host: target.host, target: target.id, purpose: "console" }, now);

/** The agent's answer to a console request with this ticket: "open", or the refusal it gave. */
async function agentAnswer(endpoint: ConsoleEndpoint, id: string, ticket: string): Promise<string> {
  try {
    (await openAgentConsole(endpoint, id, ticket)).socket.terminate();
    return "open";
  } catch (error) {
    return (error as Error).message;
  }
}

/** Skylight's route: the socket (and its reader) once open, or the HTTP refusal of the upgrade. */
function connect(as: keyof typeof cookies | null, options: { vm?: string; namespace?: string; origin?: string; at?: string } = {}): Promise<{ ws: WebSocket; reader: RfbReader } | { status: number; message: string }> {
  const url = `${(options.at ?? origin).replace("http", "ws")}${webConsoleSocketPath(options.namespace ?? LAB, options.vm ?? VM)}`;
  const ws = new WebSocket(url, { origin: options.origin ?? origin, headers: as ? { cookie: cookies[as] } : {} });
  const reader = new RfbReader(ws);
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve({ ws, reader }));
    ws.once("unexpected-response", (_request, response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode!, message: (JSON.parse(body) as { error: { message: string } }).error.message }));
    });
    ws.once("error", reject);
  });
}

async function opened(as: keyof typeof cookies) {
  const result = await connect(as);
  if (!("ws" in result)) throw new Error(`refused ${result.status}: ${result.message}`);
  return result;
}

const closed = (ws: WebSocket) => once(ws, "close").then(([code, reason]) => ({ code: code as number, reason: String(reason) }));

const events = async (reason: string) =>
  (await kube.pool.query<{ message: string; actor: string; object_uid: string | null }>(`SELECT message, actor, object_uid::text FROM events WHERE reason = $1 ORDER BY id`, [reason])).rows;

describe("the agent's console endpoint", () => {
  test("a ticket opens one socket to its machine's screen, once", async () => {
    const ticket = ticketFor({ host: machine.host, id: machine.id });
    const agentConsole = await openAgentConsole(machine.endpoint, machine.id, ticket);
    const reader = new RfbReader(agentConsole.socket, agentConsole.onMessage);
    expect((await reader.read(12)).toString()).toBe("RFB 003.008\n");
    agentConsole.socket.terminate();
    expect(await agentAnswer(machine.endpoint, machine.id, ticket)).toMatch(/refused the console \(401\): The ticket was refused: the ticket was used already/);
  });

  test("expired, forged, other hosts' and other machines' tickets are refused; a machine not listed for the host is not found", async () => {
    const target = { host: machine.host, id: machine.id };
    expect(await agentAnswer(machine.endpoint, machine.id, ticketFor(target, machine.tokenHash, Date.now() - 61_000))).toMatch(/\(401\).*the ticket has expired/);
    expect(await agentAnswer(machine.endpoint, machine.id, ticketFor(target, machine.tokenHash, Date.now() + 120_000))).toMatch(/\(401\).*valid for longer than a ticket may be/);
    expect(await agentAnswer(machine.endpoint, machine.id, ticketFor(target, hashToken("skylight-host_forged")))).toMatch(/\(401\).*not signed with this host's key/);
    expect(await agentAnswer(machine.endpoint, machine.id, ticketFor(target, otherHost.tokenHash))).toMatch(/\(401\).*not signed with this host's key/);
    expect(await agentAnswer(machine.endpoint, machine.id, ticketFor({ host: otherHost.name, id: machine.id }))).toMatch(new RegExp(`\\(401\\).*the ticket is for host ${otherHost.name}`));
    expect(await agentAnswer(machine.endpoint, machine.id, ticketFor({ host: machine.host, id: "qm-other" }))).toMatch(/\(401\).*for another machine/);
    const [encoded, signature] = ticketFor(target).split(".");
    const stretched = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(encoded!, "base64url").toString()), expires: Date.now() + 3_600_000 })).toString("base64url");
    expect(await agentAnswer(machine.endpoint, machine.id, `${stretched}.${signature}`)).toMatch(/\(401\).*not signed with this host's key/);
    // A valid ticket of the other host, for this VM, which the server does not list there.
    expect(await agentAnswer(otherHost.endpoint, machine.id, ticketFor({ host: otherHost.name, id: machine.id }, otherHost.tokenHash))).toMatch(new RegExp(`\\(404\\): Machine ${machine.id} is not on this host`));
  });

  test("Skylight refuses an agent whose certificate is not the one its Node names, and the ticket never reaches it", async () => {
    const ticket = ticketFor({ host: machine.host, id: machine.id });
    const impostor = { ...machine.endpoint, certificateHash: otherHost.endpoint.certificateHash };
    await expect(openAgentConsole(impostor, machine.id, ticket)).rejects.toThrow(AgentConsoleError);
    await expect(openAgentConsole(impostor, machine.id, ticket)).rejects.toThrow(/is not the host's agent: its certificate is not the one the host's Node names/);
    expect(await agentAnswer(machine.endpoint, machine.id, ticket)).toBe("open");
  });
});

describe("Skylight's console route", () => {
  test("refuses without a session, from another origin, without access to the namespace, for a missing VM and for a simulated one; no socket opens", async () => {
    expect(await connect(null)).toEqual({ status: 401, message: "Sign in to open a web console." });
    const refusal = `A web console opens only from this console's own pages (${origin}, SKYLIGHT_URL, or the address the request came to).`;
    expect(await connect("editor", { origin: "https://evil.example" })).toEqual({ status: 403, message: refusal });
    // Another site's page, even when the request comes to an address other than SKYLIGHT_URL's.
    const byAddress = origin.replace("localhost", "127.0.0.1");
    expect(await connect("editor", { at: byAddress, origin: "https://evil.example" })).toEqual({ status: 403, message: refusal });
    expect(await connect("stranger")).toEqual({ status: 403, message: `You have no access to namespace ${LAB}.` });
    // The same answer whether or not the VM exists: authorization comes first.
    expect(await connect("stranger", { vm: "no-such-vm" })).toEqual({ status: 403, message: `You have no access to namespace ${LAB}.` });
    expect(await connect("editor", { vm: "no-such-vm" })).toEqual({ status: 404, message: `There is no VM no-such-vm in namespace ${LAB}.` });
    expect(await connect("operator", { namespace: NAMESPACE, vm: "simulated-vm" })).toEqual({ status: 409, message: "simulated-vm runs on a simulated host, which has no screen to show." });
    expect(route.openConsoles((await prisma.user.findFirstOrThrow({ where: { username: "nora" } })).id)).toBe(0);
    const refusals = await events("VirtualMachine.consoleRefused");
    expect(refusals).toContainEqual(expect.objectContaining({ actor: "nora", message: `Web console of ${LAB}/${VM} refused to nora: You have no access to namespace ${LAB}.`, object_uid: expect.any(String) }));
    // Refused again at once: audited once a minute, not once a try.
    expect(refusals.filter((event) => event.message.includes(`${LAB}/${VM}`))).toHaveLength(1);
  });

  test("opens from the console's own page reached by another address than SKYLIGHT_URL's (its IP address)", async () => {
    const byAddress = origin.replace("localhost", "127.0.0.1");
    const result = await connect("editor", { at: byAddress, origin: byAddress });
    expect("ws" in result ? "open" : result).toBe("open");
    if ("ws" in result) result.ws.close();
  });

  test("an editor's keys reach the guest: a command typed shows its output; the opening is audited", async () => {
    const { ws, reader } = await opened("editor");
    const { width, desktop } = await handshake(reader);
    expect(width).toBeGreaterThan(0);
    expect(desktop).toMatch(/^QEMU/);
    await typeLine(ws, "echo typed-by-editor");
    await waitFor(async () => /\r\ntyped-by-editor\r\n/.test(await serialLog(machine.id)), "the command's output", 20_000);
    ws.close();
    expect(await events("VirtualMachine.consoleOpened")).toContainEqual(expect.objectContaining({ actor: "eddie", message: `eddie opened the web console of ${VM} on host ${machine.host}` }));
  });

  test("a viewer sees the screen but cannot type: its keys never reach the guest, and what it may not send closes its console", async () => {
    const { ws: viewer, reader } = await opened("viewer");
    await handshake(reader);
    await typeLine(viewer, "echo peeking");
    // Still open and served: it asks for the screen and gets a framebuffer update.
    viewer.send(Buffer.from([3, 0, 0, 0, 0, 0, 2, 128, 1, 128]));
    expect((await reader.read(1))[0]).toBe(0);
    const { ws: editor, reader: editorReader } = await opened("editor");
    await handshake(editorReader);
    await typeLine(editor, "echo after-the-viewer");
    await waitFor(async () => /\r\nafter-the-viewer\r\n/.test(await serialLog(machine.id)), "the editor's output", 20_000);
    expect(await serialLog(machine.id)).not.toContain("peeking");
    editor.close();

    const ended = closed(viewer);
    viewer.send(Buffer.from([250, 0, 1, 2]));
    expect(await ended).toEqual({ code: CONSOLE_CLOSE.inputRefused, reason: "This console is view only: message type 250 is not one a view-only console sends." });
    expect(await events("VirtualMachine.consoleOpened")).toContainEqual(expect.objectContaining({ actor: "vicky", message: `vicky opened the web console of ${VM} on host ${machine.host} (view only)` }));
  });

  test(`a user may hold ${MAX_CONSOLES_PER_USER} consoles at once, and a message may be ${MAX_BROWSER_MESSAGE_BYTES / 1024} KiB`, async () => {
    // The earlier tests' consoles are closed by their clients; the server frees their places when it sees them go.
    const eddie = (await prisma.user.findFirstOrThrow({ where: { username: "eddie" } })).id;
    await waitFor(async () => route.openConsoles(eddie) === 0, "the earlier consoles freed", 10_000);
    const sockets = (await Promise.all(Array.from({ length: MAX_CONSOLES_PER_USER }, () => opened("editor")))).map(({ ws }) => ws);
    expect(route.openConsoles(eddie)).toBe(MAX_CONSOLES_PER_USER);
    expect(await connect("editor")).toEqual({ status: 429, message: `You have ${MAX_CONSOLES_PER_USER} web consoles open already; close one first.` });
    const ended = closed(sockets[0]!);
    sockets[0]!.send(Buffer.alloc(MAX_BROWSER_MESSAGE_BYTES + 1));
    expect((await ended).code).toBe(1009);
    const { ws: again } = await opened("editor");
    for (const ws of [again, ...sockets]) ws.close();
  });

  test("the console ends when the user's rights over the VM change, and when the session ends; each closing is audited", async () => {
    const permissions = [{ kind: "User" as const, name: "eddie", role: "edit" as const }, { kind: "User" as const, name: "vicky", role: "view" as const }];
    const { ws: editor } = await opened("editor");
    const demoted = closed(editor);
    await setNamespacePermissions(ADMIN, { name: LAB, permissions: [{ ...permissions[0]!, role: "view" }, permissions[1]!] }, kube.pool);
    expect(await demoted).toEqual({ code: CONSOLE_CLOSE.accessChanged, reason: "Your rights over this VM changed." });
    await setNamespacePermissions(ADMIN, { name: LAB, permissions }, kube.pool);

    const { ws } = await opened("viewer");
    const ended = closed(ws);
    await prisma.session.updateMany({ where: { user: { username: "vicky" } }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await ended).toEqual({ code: CONSOLE_CLOSE.sessionEnded, reason: "Your session ended: sign in again." });
    expect(await connect("viewer")).toMatchObject({ status: 401 });
    await expect.poll(async () => (await events("VirtualMachine.consoleClosed")).map((event) => event.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^eddie closed the web console of lab-vm after \d+ s$/), expect.stringMatching(/^vicky closed the web console of lab-vm after \d+ s$/)]),
    );
  });

  test("an agent whose certificate is not the one its Node names is refused: the console closes saying so", async () => {
    const node = await kube.pool.query<{ annotations: Record<string, string> }>(`SELECT annotations FROM resources WHERE kind = 'Node' AND name = $1`, [machine.host]);
    await kube.pool.query(`UPDATE resources SET annotations = annotations || $2::jsonb WHERE kind = 'Node' AND name = $1`, [machine.host, JSON.stringify({ [SERVING_CERTIFICATE_ANNOTATION]: otherHost.endpoint.certificateHash })]);
    try {
      const { ws } = await opened("editor");
      expect(await closed(ws)).toEqual({ code: CONSOLE_CLOSE.hostUnavailable, reason: expect.stringMatching(/is not the host's agent/) });
    } finally {
      await kube.pool.query(`UPDATE resources SET annotations = $2::jsonb WHERE kind = 'Node' AND name = $1`, [machine.host, JSON.stringify(node.rows[0]!.annotations)]);
    }
  });

  test("the console follows the VM across a vMotion: the open one closes when the source's QEMU quits, and the next connects to the VM on its new host, where typing works", async () => {
    const { ws, reader } = await opened("editor");
    await handshake(reader);
    const dropped = closed(ws);
    const { taskId } = await migrateVirtualMachine(OPERATOR, { namespace: LAB, name: VM, host: otherHost.name }, kube.pool);
    await waitFor(async () => (await kube.pool.query(`SELECT 1 FROM tasks WHERE id = $1 AND state = 'success'`, [taskId])).rowCount === 1, "the live migration", 90_000);
    await dropped;

    // As the page does, connect again until the new host's agent lists the VM as its own (its next machine list, within a second or so).
    const again = await waitFor(async () => {
      const attempt = await opened("editor");
      return handshake(attempt.reader).then(
        () => attempt,
        () => void attempt.ws.terminate(),
      );
    }, "a console on the new host", 30_000);
    await typeLine(again.ws, "echo typed-after-vmotion");
    await waitFor(async () => /\r\ntyped-after-vmotion\r\n/.test(await serialLog(machine.id)), "the command's output from the new host", 20_000);
    again.ws.close();
    expect(await events("VirtualMachine.consoleOpened")).toContainEqual(expect.objectContaining({ actor: "eddie", message: `eddie opened the web console of ${VM} on host ${otherHost.name}` }));
  }, 120_000);
});
