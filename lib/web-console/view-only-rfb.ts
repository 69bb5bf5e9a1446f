// A view-only console: what a browser sends towards the VM's VNC server, reduced to what watching
// needs. The RFB handshake passes (RFC 6143 §7.1–7.3: protocol version 3.7 or 3.8, security type
// None, ClientInit forced to shared so no watcher can push others off); after it only the messages
// that choose how the screen is sent pass (SetPixelFormat, SetEncodings, FramebufferUpdateRequest).
// Keys, pointer, clipboard, QEMU's extended keys and audio, and desktop resizes are dropped
// whole; anything else is not understood, so the console is closed rather than guessed at.
// It reads the stream incrementally: messages may arrive split across websocket messages or
// several in one, and a dropped message's body is skipped without being held.

export class RefusedConsoleInput extends Error {}

/** Messages a watcher may send, by type: their length from the bytes read so far, or null until enough are there. */
type Measure = (message: Buffer) => number | null;

const fixed = (length: number): Measure => () => length;

/** SetEncodings may list at most this many; noVNC sends about twenty. */
const MAX_ENCODINGS = 256;

const PASSED: Record<number, Measure> = {
  0: fixed(20), // SetPixelFormat
  2: (message) => {
    if (message.length < 4) return null;
    const count = message.readUInt16BE(2);
    if (count > MAX_ENCODINGS) throw new RefusedConsoleInput(`SetEncodings lists ${count} encodings, more than ${MAX_ENCODINGS}`);
    return 4 + 4 * count;
  },
  3: fixed(10), // FramebufferUpdateRequest
};

const DROPPED: Record<number, Measure> = {
  4: fixed(8), // KeyEvent
  5: fixed(6), // PointerEvent
  6: (message) => (message.length < 8 ? null : 8 + (message.readInt32BE(4) < 0 ? -message.readInt32BE(4) : message.readUInt32BE(4))), // ClientCutText (a negative length: extended clipboard)
  251: (message) => (message.length < 8 ? null : 8 + 16 * message.readUInt8(6)), // SetDesktopSize
  255: (message) => {
    // QEMU's client messages: 0 extended key event; 1 audio (0 enable, 1 disable, 2 set format).
    if (message.length < 2) return null;
    if (message[1] === 0) return 12;
    if (message[1] !== 1) throw new RefusedConsoleInput(`QEMU client message ${message[1]} is not understood`);
    if (message.length < 4) return null;
    const operation = message.readUInt16BE(2);
    if (operation === 0 || operation === 1) return 4;
    if (operation === 2) return 10;
    throw new RefusedConsoleInput(`QEMU audio message ${operation} is not understood`);
  },
};

const VERSIONS = new Set(["RFB 003.007\n", "RFB 003.008\n"]);
const SECURITY_NONE = 1;

type Stage = "version" | "security" | "clientInit" | "messages";

export class ViewOnlyRfbFilter {
  private stage: Stage = "version";
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of a dropped message still to skip. */
  private skipping = 0;

  /** What of `chunk` may go on to the VNC server; throws RefusedConsoleInput for a stream it will not pass. */
  push(chunk: Buffer): Buffer {
    const passed: Buffer[] = [];
    let input = chunk;
    if (this.skipping > 0) {
      const skipped = Math.min(this.skipping, input.length);
      this.skipping -= skipped;
      input = input.subarray(skipped);
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, input]) : input;
    // A dropped message longer than what is here leaves nothing pending: the rest is skipped as it arrives.
    while (this.skipping === 0) {
      const taken = this.next(this.pending, passed);
      if (taken === null) break;
      this.pending = this.pending.subarray(taken);
    }
    // What is left is the start of one message, at most a SetEncodings' worth.
    this.pending = Buffer.from(this.pending);
    return Buffer.concat(passed);
  }

  /** Consumes one handshake step or message from the front of `bytes` (pushing what passes), or null when more bytes are needed. */
  private next(bytes: Buffer, passed: Buffer[]): number | null {
    switch (this.stage) {
      case "version": {
        if (bytes.length < 12) return null;
        const version = bytes.subarray(0, 12).toString("latin1");
        if (!VERSIONS.has(version)) throw new RefusedConsoleInput(`protocol version ${JSON.stringify(version.trim())} is not RFB 3.7 or 3.8`);
        passed.push(bytes.subarray(0, 12));
        this.stage = "security";
        return 12;
      }
      case "security":
        if (bytes.length < 1) return null;
        if (bytes[0] !== SECURITY_NONE) throw new RefusedConsoleInput(`security type ${bytes[0]} is not None`);
        passed.push(bytes.subarray(0, 1));
        this.stage = "clientInit";
        return 1;
      case "clientInit":
        if (bytes.length < 1) return null;
        passed.push(Buffer.from([1]));
        this.stage = "messages";
        return 1;
      case "messages": {
        if (bytes.length < 1) return null;
        const type = bytes[0]!;
        const measure = PASSED[type] ?? DROPPED[type];
        if (!measure) throw new RefusedConsoleInput(`message type ${type} is not one a view-only console sends`);
        const length = measure(bytes);
        if (length === null) return null;
        if (PASSED[type]) {
          if (bytes.length < length) return null;
          passed.push(bytes.subarray(0, length));
          return length;
        }
        // Dropped: what is here of it goes now, the rest as it arrives.
        const here = Math.min(length, bytes.length);
        this.skipping = length - here;
        return here;
      }
    }
  }
}
