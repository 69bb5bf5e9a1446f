// The ConfigMap and Secret rules on their own: what is stored, and each refusal's field and words.
import { describe, expect, test } from "vitest";
import { admitConfigMap, admitSecret, MAX_CONFIG_OBJECT_BYTES, redactedSecret } from "@/lib/engine/config-object-rules";
import { InvalidInputError } from "@/lib/errors";

const base64 = (text: string) => Buffer.from(text).toString("base64");

function refusal(admit: () => unknown): { field: string; message: string } {
  try {
    admit();
  } catch (error) {
    if (error instanceof InvalidInputError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error("admitted");
}

describe("ConfigMaps", () => {
  test("keeps data, binaryData and immutable, and drops what is empty", () => {
    expect(admitConfigMap({ data: { "app.properties": "a=1" }, binaryData: {}, immutable: false })).toEqual({ data: { "app.properties": "a=1" }, immutable: false });
  });

  test("a key of 254 characters, or with a slash, is refused by name", () => {
    expect(refusal(() => admitConfigMap({ data: { ["k".repeat(254)]: "v" } }))).toMatchObject({ field: `data[${"k".repeat(254)}]`, message: expect.stringContaining("must be no more than 253 characters") });
    expect(refusal(() => admitConfigMap({ binaryData: { "a/b": "AA==" } })).field).toBe("binaryData[a/b]");
  });

  test("the total counts keys and decoded values: exactly 1 MiB passes, a byte more does not", () => {
    const value = "x".repeat(MAX_CONFIG_OBJECT_BYTES - 1);
    expect(() => admitConfigMap({ data: { k: value } })).not.toThrow();
    expect(refusal(() => admitConfigMap({ data: { k: `${value}x` } }))).toEqual({ field: "data", message: `Too long: must have at most ${MAX_CONFIG_OBJECT_BYTES} bytes` });
  });

  test("an immutable one keeps its data and stays immutable; its metadata is not this module's", () => {
    const current = { data: { k: "v" }, immutable: true };
    expect(admitConfigMap({ data: { k: "v" }, immutable: true }, current)).toEqual(current);
    expect(refusal(() => admitConfigMap({ data: { k: "w" }, immutable: true }, current)).field).toBe("data");
    expect(refusal(() => admitConfigMap({ data: { k: "v" } }, current)).field).toBe("immutable");
  });
});

describe("Secrets", () => {
  test("stringData is merged into data as base64, overriding data's key, and the type defaults to Opaque", () => {
    expect(admitSecret({ data: { a: base64("old"), b: base64("kept") }, stringData: { a: "new" } }, {})).toEqual({ data: { a: base64("new"), b: base64("kept") }, type: "Opaque" });
  });

  test("each type's required keys", () => {
    expect(refusal(() => admitSecret({ type: "kubernetes.io/ssh-auth", data: {} }, {}))).toEqual({ field: "data[ssh-privatekey]", message: "Required value" });
    expect(refusal(() => admitSecret({ type: "kubernetes.io/basic-auth", data: {} }, {})).field).toBe("data[username]");
    expect(admitSecret({ type: "kubernetes.io/basic-auth", stringData: { password: "p" } }, {}).type).toBe("kubernetes.io/basic-auth");
    expect(refusal(() => admitSecret({ type: "kubernetes.io/service-account-token" }, {})).field).toBe("metadata.annotations[kubernetes.io/service-account.name]");
    expect(admitSecret({ type: "kubernetes.io/dockerconfigjson", stringData: { ".dockerconfigjson": '{"auths":{}}' } }, {}).data).toEqual({ ".dockerconfigjson": base64('{"auths":{}}') });
  });

  test("refusals never carry a value: bad base64, a non-string value", () => {
    for (const attempt of [() => admitSecret({ data: { k: "hunter2!" } }, {}), () => admitSecret({ data: { k: 42 as unknown as string } }, {})]) {
      const { field, message } = refusal(attempt);
      expect(field).toBe("data[k]");
      expect(message).not.toMatch(/hunter2|42/);
    }
  });

  test("the audit record is keys and sizes", () => {
    expect(redactedSecret({ data: { password: base64("hunter2") }, type: "Opaque" })).toEqual({ data: { password: "7 bytes" }, type: "Opaque" });
  });
});
