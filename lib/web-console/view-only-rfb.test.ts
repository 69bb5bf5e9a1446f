// The view-only filter reads a browser's RFB stream however the websocket cuts it: whatever the
// chunks, the same bytes pass (the handshake, SetPixelFormat, SetEncodings, FramebufferUpdateRequest)
// and no key, pointer or clipboard byte does; a stream it does not understand is refused.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RefusedConsoleInput, ViewOnlyRfbFilter } from "@/lib/web-console/view-only-rfb";

const HANDSHAKE = Buffer.concat([Buffer.from("RFB 003.008\n"), Buffer.from([1]), Buffer.from([0])]);
const SHARED_HANDSHAKE = Buffer.concat([Buffer.from("RFB 003.008\n"), Buffer.from([1]), Buffer.from([1])]);

const setPixelFormat = Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.alloc(16, 7)]);
const setEncodings = (count: number) => {
  const message = Buffer.alloc(4 + 4 * count);
  message[0] = 2;
  message.writeUInt16BE(count, 2);
  for (let index = 0; index < count; index++) message.writeInt32BE(index - 7, 4 + 4 * index);
  return message;
};
const updateRequest = Buffer.from([3, 1, 0, 0, 0, 0, 2, 128, 1, 128]);
const keyEvent = Buffer.from([4, 1, 0, 0, 0, 0, 0, 0x61]);
const pointerEvent = Buffer.from([5, 1, 0, 10, 0, 20]);
const cutText = (text: string) => {
  const header = Buffer.alloc(8);
  header[0] = 6;
  header.writeUInt32BE(text.length, 4);
  return Buffer.concat([header, Buffer.from(text)]);
};
const qemuKey = Buffer.from([255, 0, 0, 1, 0, 0, 0, 0x61, 0, 0, 0, 30]);

const MESSAGES = { setPixelFormat, setEncodings: setEncodings(20), updateRequest, keyEvent, pointerEvent, cutText: cutText("a pasted secret"), qemuKey };
const PASSED = new Set(["setPixelFormat", "setEncodings", "updateRequest"]);

/** What the filter lets through of `stream`, fed in the chunks that `cuts` (offsets) make. */
function filtered(stream: Buffer, cuts: number[]): Buffer {
  const filter = new ViewOnlyRfbFilter();
  const offsets = [0, ...[...new Set(cuts)].filter((cut) => cut > 0 && cut < stream.length).sort((a, b) => a - b), stream.length];
  return Buffer.concat(offsets.slice(1).map((end, index) => filter.push(stream.subarray(offsets[index], end))));
}

describe("a view-only console's input", () => {
  it("passes the handshake (made shared) and what asks for the screen, drops keys, pointer, clipboard and QEMU keys, however the stream is cut", () => {
    const names = Object.keys(MESSAGES) as (keyof typeof MESSAGES)[];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...names), { maxLength: 30 }), fc.array(fc.nat(2_000), { maxLength: 40 }), (sequence, cuts) => {
        const stream = Buffer.concat([HANDSHAKE, ...sequence.map((name) => MESSAGES[name])]);
        const expected = Buffer.concat([SHARED_HANDSHAKE, ...sequence.filter((name) => PASSED.has(name)).map((name) => MESSAGES[name])]);
        expect(filtered(stream, cuts).equals(expected)).toBe(true);
      }),
    );
  });

  it("skips a large pasted clipboard without holding it, and reads on after it", () => {
    const filter = new ViewOnlyRfbFilter();
    expect(filter.push(HANDSHAKE).equals(SHARED_HANDSHAKE)).toBe(true);
    const header = Buffer.from([6, 0, 0, 0, 0, 0x10, 0, 0]);
    expect(filter.push(header).length).toBe(0);
    for (let sent = 0; sent < 0x100000; sent += 0x10000) expect(filter.push(Buffer.alloc(0x10000, 0x41)).length).toBe(0);
    expect(filter.push(updateRequest).equals(updateRequest)).toBe(true);
  });

  it("refuses what it does not understand: another protocol version or security type, unknown messages, too many encodings", () => {
    expect(() => new ViewOnlyRfbFilter().push(Buffer.from("RFB 003.003\n"))).toThrow(new RefusedConsoleInput('protocol version "RFB 003.003" is not RFB 3.7 or 3.8'));
    expect(() => new ViewOnlyRfbFilter().push(Buffer.concat([Buffer.from("RFB 003.008\n"), Buffer.from([2])]))).toThrow("security type 2 is not None");
    expect(() => new ViewOnlyRfbFilter().push(Buffer.concat([HANDSHAKE, Buffer.from([250, 0, 0, 0])]))).toThrow("message type 250 is not one a view-only console sends");
    expect(() => new ViewOnlyRfbFilter().push(Buffer.concat([HANDSHAKE, Buffer.from([255, 9])]))).toThrow("QEMU client message 9 is not understood");
    expect(() => new ViewOnlyRfbFilter().push(Buffer.concat([HANDSHAKE, setEncodings(257)]))).toThrow("SetEncodings lists 257 encodings, more than 256");
  });
});
