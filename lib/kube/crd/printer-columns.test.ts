import { describe, expect, it } from "vitest";
import { printerCells, type PrinterColumn } from "@/lib/kube/crd/printer-columns";

const now = Date.parse("2026-12-07T12:00:00Z");
const database = {
  metadata: { name: "main", creationTimestamp: "2026-12-05T09:00:00Z" },
  spec: { replicas: 3, ratio: 0.5, engine: "postgres", tags: ["a", "b"], tls: { enabled: true } },
  status: { conditions: [{ type: "Progressing", status: "False" }, { type: "Ready", status: "True", lastTransitionTime: "2026-12-07T11:58:30Z" }] },
};
const cells = (columns: Omit<PrinterColumn, "name">[], object: unknown = database) => printerCells(columns.map((column, index) => ({ name: `c${index}`, ...column })), object, now);

describe("printerCells", () => {
  it("evaluates kube's JSONPath subset: fields, filters and metadata", () => {
    expect(cells([
      { type: "integer", jsonPath: ".spec.replicas" },
      { type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { type: "date", jsonPath: ".metadata.creationTimestamp" },
      { type: "string", jsonPath: ".spec.tags[1]" },
    ])).toEqual([3, "True", "2d3h", "b"]);
  });

  it("leaves a cell empty (null, which kubectl prints as <none>) when nothing matches or the type is wrong", () => {
    expect(cells([
      { type: "string", jsonPath: ".spec.missing" },
      { type: "string", jsonPath: '.status.conditions[?(@.type=="Degraded")].status' },
      { type: "integer", jsonPath: ".spec.engine" },
      { type: "boolean", jsonPath: ".spec.replicas" },
      { type: "date", jsonPath: ".spec.replicas" },
    ])).toEqual([null, null, null, null, null]);
  });

  it("types values as kube does: integers truncated, numbers as they are, anything printed into a string column", () => {
    expect(cells([
      { type: "integer", jsonPath: ".spec.ratio" },
      { type: "number", jsonPath: ".spec.replicas" },
      { type: "string", jsonPath: ".spec.replicas" },
      { type: "string", jsonPath: ".spec.tls" },
      { type: "boolean", jsonPath: ".spec.tls.enabled" },
    ])).toEqual([0, 3, "3", '{"enabled":true}', true]);
  });

  it("gives ages as kube's HumanDuration, and <invalid> for a date that is not one or lies in the future", () => {
    const at = (creationTimestamp: string) => cells([{ type: "date", jsonPath: ".metadata.creationTimestamp" }], { metadata: { creationTimestamp } })[0];
    expect(at("2026-12-07T11:58:30Z")).toBe("90s");
    expect(at("2026-12-07T11:55:00Z")).toBe("5m");
    expect(at("2026-12-07T09:30:00Z")).toBe("150m");
    expect(at("2026-11-01T12:00:00Z")).toBe("36d");
    expect(at("yesterday")).toBe("<invalid>");
    expect(at("2026-12-07T12:05:00Z")).toBe("<invalid>");
  });

  it("refuses to run script in a filter: a hostile column only finds nothing", () => {
    expect(cells([{ type: "string", jsonPath: ".status.conditions[?(@.constructor.constructor('return process')().exit())]" }])).toEqual([null]);
  });
});
