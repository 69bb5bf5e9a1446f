// What Skylight and a host's agent say to each other about a VM's screen and a pod's streams. The
// agent serves HTTPS and websockets on its own port (the kubelet's 10250), which it publishes in
// its Node's status.daemonEndpoints.kubeletEndpoint.Port, with a certificate it makes at start
// whose SHA-256 it publishes in the Node's SERVING_CERTIFICATE_ANNOTATION; Skylight pins that hash
// when it connects.
//
//   GET /consoles/<machine id>  (websocket)  Authorization: Bearer <ticket>
//       → the VM's VNC (RFB) stream, both ways, as binary messages.
//   GET /pods/<uid>/<container>/{log,exec,attach}: lib/spherelet/pod-stream-protocol.ts.
//
// A ticket is what lets one request in: Skylight signs it with HMAC-SHA256 keyed by the host
// token's SHA-256 (all Skylight keeps of the token, spherelet_hosts.token_hash; the agent computes
// it from its token). It names the host, the target (a machine id, or `<pod uid>/<container>`) and
// the purpose, expires within TICKET_LIFETIME_MS, and carries a nonce the agent remembers until
// then, so a ticket opens one socket or one log stream.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const DEFAULT_KUBELET_PORT = 10250;
export const SERVING_CERTIFICATE_ANNOTATION = "spherelet.skylight.io/serving-certificate-sha256";
export const CONSOLE_PATH_PREFIX = "/consoles/";
/** How long a ticket may take to be used: enough to cross a network, too short to keep. */
export const TICKET_LIFETIME_MS = 60_000;
/** How far the agent's clock may run behind Skylight's before a fresh ticket looks too long-lived. */
const CLOCK_SKEW_MS = 30_000;
/** The largest websocket message either side of a console accepts. */
export const MAX_CONSOLE_MESSAGE_BYTES = 1024 * 1024;

export const TICKET_PURPOSES = ["console", "logs", "exec", "attach", "portforward"] as const;
export type TicketPurpose = (typeof TICKET_PURPOSES)[number];

const ticketPayloadSchema = z.strictObject({
  host: z.string().max(253),
  /** A machine id for a console; `<pod uid>/<container>` for a pod's streams. */
  target: z.string().max(128),
  purpose: z.enum(TICKET_PURPOSES),
  /** Milliseconds since the epoch. */
  expires: z.number().int(),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
});
export type TicketPayload = z.infer<typeof ticketPayloadSchema>;

const signature = (tokenHash: string, encodedPayload: string) => createHmac("sha256", tokenHash).update(`skylight-ticket.v1.${encodedPayload}`).digest();

/** A ticket for one request to `host` about `target`, valid for TICKET_LIFETIME_MS from `now`. */
export function signTicket(tokenHash: string, ticket: { host: string; target: string; purpose: TicketPurpose }, now = Date.now()): string {
  const payload: TicketPayload = { ...ticket, expires: now + TICKET_LIFETIME_MS, nonce: randomBytes(16).toString("base64url") };
  const encoded = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${encoded}.${signature(tokenHash, encoded).toString("base64url")}`;
}

/** Why a ticket does not admit a request, in words for the agent's answer and log. */
export class TicketRefusal extends Error {}

/**
 * Checks a ticket for a request to this host about `target`: signed with this host's key, for
 * that host, target and purpose, not expired, never seen. Records its nonce until it expires.
 */
export class TicketVerifier {
  private readonly used = new Map<string, number>();

  constructor(
    private readonly tokenHash: string,
    private readonly host: string,
  ) {}

  verify(ticket: string, expected: { target: string; purpose: TicketPurpose }, now = Date.now()): TicketPayload {
    const [encoded, signed, ...rest] = ticket.split(".");
    if (!encoded || !signed || rest.length > 0) throw new TicketRefusal("the ticket is malformed");
    const given = Buffer.from(signed, "base64url");
    const wanted = signature(this.tokenHash, encoded);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new TicketRefusal("the ticket is not signed with this host's key");
    let parsed: TicketPayload;
    try {
      parsed = ticketPayloadSchema.parse(JSON.parse(Buffer.from(encoded, "base64url").toString("utf8")));
    } catch {
      throw new TicketRefusal("the ticket is malformed");
    }
    if (parsed.host !== this.host) throw new TicketRefusal(`the ticket is for host ${parsed.host}, not this one`);
    if (parsed.target !== expected.target || parsed.purpose !== expected.purpose) throw new TicketRefusal(`the ticket is for another ${parsed.purpose !== expected.purpose ? "purpose" : expected.purpose === "console" ? "machine" : "container"}`);
    if (parsed.expires <= now) throw new TicketRefusal("the ticket has expired");
    if (parsed.expires > now + TICKET_LIFETIME_MS + CLOCK_SKEW_MS) throw new TicketRefusal("the ticket is valid for longer than a ticket may be");
    this.forgetExpired(now);
    if (this.used.has(parsed.nonce)) throw new TicketRefusal("the ticket was used already");
    this.used.set(parsed.nonce, parsed.expires);
    return parsed;
  }

  private forgetExpired(now: number) {
    for (const [nonce, expires] of this.used) if (expires <= now) this.used.delete(nonce);
  }
}
