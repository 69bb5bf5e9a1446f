// Request bodies in Kubernetes' protobuf encoding (application/vnd.kubernetes.protobuf). kubectl's
// typed clients send built-in kinds this way (`kubectl create namespace`), and kube-apiserver
// always accepts it; Skylight reads the one built-in kind it lets clients create, a Namespace:
// the "k8s\0" envelope (runtime.Unknown), then the object's name, labels and annotations.
import { KubeApiError } from "@/lib/kube/api-status";

export const PROTOBUF_CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Field = { number: number; value: bigint | Buffer };

function unreadable(why: string): KubeApiError {
  return new KubeApiError(400, "BadRequest", `the server rejected our request due to an error in our request: cannot read the protobuf body: ${why}`);
}

/** The fields of one protobuf message, in order (a repeated field appears once per value). */
function readFields(bytes: Buffer): Field[] {
  const fields: Field[] = [];
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (offset >= bytes.length) throw unreadable("a number runs past the end");
      // A varint holds at most 64 bits in 10 bytes; longer ones would only grow a BigInt for nothing.
      if (shift > 63n) throw unreadable("a number is longer than 10 bytes");
      const byte = bytes[offset++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (offset < bytes.length) {
    const tag = Number(varint());
    const number = tag >> 3;
    switch (tag & 7) {
      case 0:
        fields.push({ number, value: varint() });
        break;
      case 1:
        offset += 8;
        break;
      case 2: {
        const length = Number(varint());
        if (offset + length > bytes.length) throw unreadable("a field runs past the end");
        fields.push({ number, value: bytes.subarray(offset, offset + length) });
        offset += length;
        break;
      }
      case 5:
        offset += 4;
        break;
      default:
        throw unreadable(`unknown wire type ${tag & 7}`);
    }
  }
  return fields;
}

const bytesOf = (fields: Field[], number: number) => fields.filter((field) => field.number === number && Buffer.isBuffer(field.value)).map((field) => field.value as Buffer);
const stringOf = (fields: Field[], number: number) => bytesOf(fields, number)[0]?.toString("utf8");

function mapOf(fields: Field[], number: number): Record<string, string> | undefined {
  const entries = bytesOf(fields, number).map((entry) => {
    const pair = readFields(entry);
    return [stringOf(pair, 1) ?? "", stringOf(pair, 2) ?? ""] as const;
  });
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** The object in a protobuf body as the JSON kubectl would otherwise have sent (only a Namespace). */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(MAGIC)) throw unreadable('it does not start with "k8s\\0"');
  const unknown = readFields(body.subarray(4));
  const typeMeta = readFields(bytesOf(unknown, 1)[0] ?? Buffer.alloc(0));
  const apiVersion = stringOf(typeMeta, 1) ?? "";
  const kind = stringOf(typeMeta, 2) ?? "";
  if (apiVersion !== "v1" || kind !== "Namespace") {
    throw new KubeApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (protobuf only for v1 Namespace, not ${apiVersion} ${kind})`);
  }
  const object = readFields(bytesOf(unknown, 2)[0] ?? Buffer.alloc(0));
  const meta = readFields(bytesOf(object, 1)[0] ?? Buffer.alloc(0));
  const metadata = Object.fromEntries(
    Object.entries({
      name: stringOf(meta, 1),
      generateName: stringOf(meta, 2),
      resourceVersion: stringOf(meta, 6),
      labels: mapOf(meta, 11),
      annotations: mapOf(meta, 12),
    }).filter(([, value]) => value !== undefined),
  );
  return { apiVersion, kind, metadata, spec: {} };
}
