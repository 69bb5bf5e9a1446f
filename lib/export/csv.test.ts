// The CSV writer: RFC 4180 quoting that a spreadsheet reads back to the same text, and OWASP's
// guard that keeps a hostile object name from running as a formula when the file is opened.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell, csvFilename, csvLine } from "@/lib/export/csv";
import { readCsv } from "@/lib/testing/read-csv";

describe("csvCell / csvLine: RFC 4180", () => {
  it("leaves plain text and numbers as they are, and an absent value empty", () => {
    expect(csvLine(["web-01", 4096, null, undefined, "10.0.0.5"])).toBe("web-01,4096,,,10.0.0.5\r\n");
  });

  it("quotes a field holding a comma, a quote or a line break, doubling its quotes", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line one\nline two")).toBe('"line one\nline two"');
    expect(csvCell("cr\r\nlf")).toBe('"cr\r\nlf"');
  });

  it("keeps text outside ASCII as it is (the file is UTF-8)", () => {
    expect(csvLine(["Zürich – 東京", "😀"])).toBe("Zürich – 東京,😀\r\n");
  });
});

describe("csvCell: formula injection (OWASP)", () => {
  it("puts an apostrophe before text a spreadsheet would run as a formula", () => {
    for (const hostile of ["=HYPERLINK(\"http://evil\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]) {
      const cell = csvCell(hostile);
      expect(cell.replace(/^"/, "").startsWith("'"), hostile).toBe(true);
    }
    expect(csvCell("=1+1")).toBe("'=1+1");
    // Guarded, then quoted: the apostrophe sits inside the quotes, where the spreadsheet reads it.
    expect(csvCell('=cmd|"/C calc",A1')).toBe(`"'=cmd|""/C calc"",A1"`);
  });

  it("leaves a number alone, negative or not, and text with a formula character further in", () => {
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell("web=01")).toBe("web=01");
    expect(csvCell("a-b@c")).toBe("a-b@c");
  });

  it("writes a number that is not finite as an empty cell", () => {
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe("");
  });
});

describe("csvLine: any text", () => {
  it("reads back as the same cells (a guarded one with its apostrophe), none starting a formula", () => {
    const text = fc.oneof(fc.string({ unit: "grapheme" }), fc.constantFrom("=1+1", "-", "@", "\t", "\r", '"', ",", "\r\n", ""));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), (cells) => {
        const [read] = readCsv(csvLine(cells));
        expect(read).toEqual(cells.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)));
        for (const cell of read!) expect(/^[=+\-@\t\r]/.test(cell)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe("csvFilename", () => {
  it("names the list and the day, in characters every file system takes", () => {
    const day = new Date("2026-12-07T23:59:00Z");
    expect(csvFilename("vms", day)).toBe("vms-2026-12-07.csv");
    expect(csvFilename("../Events \"x\"", day)).toBe("events-x-2026-12-07.csv");
  });
});
