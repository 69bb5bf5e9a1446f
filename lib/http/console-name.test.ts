import { describe, expect, it } from "vitest";
import { consoleName, consoleNameOf, REQUEST_HOST_HEADER } from "@/lib/http/console-name";

describe("consoleName", () => {
  it("is the host the console was reached by, without the port", () => {
    expect(consoleName("vcsa-01.Lab.local:3000")).toBe("vcsa-01.lab.local");
    expect(consoleName("127.0.0.1:3200")).toBe("127.0.0.1");
    expect(consoleName("[::1]:3000")).toBe("[::1]");
    expect(consoleName("localhost")).toBe("localhost");
  });

  it("falls back to skylight for a missing or malformed Host header", () => {
    expect(consoleName(null)).toBe("skylight");
    expect(consoleName("")).toBe("skylight");
    expect(consoleName("<script>alert(1)</script>")).toBe("skylight");
    expect(consoleName(`${"a".repeat(300)}.lab`)).toBe("skylight");
  });

  it("takes the Host the browser sent, as the console server recorded it, over the one Next.js passes on", () => {
    expect(consoleNameOf(new Headers({ host: "localhost:3000", [REQUEST_HOST_HEADER]: "192.0.2.2:3000" }))).toBe("192.0.2.2");
    expect(consoleNameOf(new Headers({ host: "vcsa.lab:3000" }))).toBe("vcsa.lab");
  });
});
