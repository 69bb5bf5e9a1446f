// Request bodies in Kubernetes' protobuf encoding (application/vnd.kubernetes.protobuf). kubectl's
// typed clients send built-in kinds this way (`kubectl create namespace`), and kube-apiserver
// always accepts it; Skylight reads the built-in kinds it lets clients create through typed
// clients (`kubectl create namespace`, `kubectl create deployment`, `kubectl create configmap`
// and `secret`): the "k8s\0" envelope (runtime.Unknown), then the object's metadata and, for a
// Deployment or ReplicaSet, its spec (a ConfigMap's or Secret's top-level fields),
// each message read by a table of its field numbers from k8s.io/api's generated.proto.
import { KubeApiError } from "@/lib/kube/api-status";
import { topLevelStateFields } from "@/lib/vocabulary/config-object-fields";

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

/** How one message's fields read as JSON: field number → JSON name and type (k8s.io/api's generated.proto). */
type FieldType = "string" | "int" | "bool" | "strings" | "map" | "bytesMap" | "quantity" | "quantities" | "intOrString" | { message: Descriptor } | { messages: Descriptor };
interface Descriptor {
  [number: number]: readonly [string, FieldType];
}

const OBJECT_META: Descriptor = { 1: ["name", "string"], 2: ["generateName", "string"], 3: ["namespace", "string"], 6: ["resourceVersion", "string"], 11: ["labels", "map"], 12: ["annotations", "map"] };
const CONTAINER: Descriptor = {
  1: ["name", "string"],
  2: ["image", "string"],
  3: ["command", "strings"],
  4: ["args", "strings"],
  5: ["workingDir", "string"],
  6: ["ports", { messages: { 1: ["name", "string"], 3: ["containerPort", "int"], 4: ["protocol", "string"] } }],
  7: ["env", { messages: { 1: ["name", "string"], 2: ["value", "string"] } }],
  8: ["resources", { message: { 1: ["limits", "quantities"], 2: ["requests", "quantities"] } }],
  9: ["volumeMounts", { messages: { 1: ["name", "string"], 2: ["readOnly", "bool"], 3: ["mountPath", "string"] } }],
  13: ["terminationMessagePath", "string"],
  14: ["imagePullPolicy", "string"],
  16: ["stdin", "bool"],
  17: ["stdinOnce", "bool"],
  18: ["tty", "bool"],
  20: ["terminationMessagePolicy", "string"],
};
const POD_SPEC: Descriptor = {
  2: ["containers", { messages: CONTAINER }],
  3: ["restartPolicy", "string"],
  4: ["terminationGracePeriodSeconds", "int"],
  5: ["activeDeadlineSeconds", "int"],
  6: ["dnsPolicy", "string"],
  7: ["nodeSelector", "map"],
  10: ["nodeName", "string"],
  19: ["schedulerName", "string"],
  29: ["runtimeClassName", "string"],
};
const LABEL_SELECTOR: Descriptor = { 1: ["matchLabels", "map"], 2: ["matchExpressions", { messages: { 1: ["key", "string"], 2: ["operator", "string"], 3: ["values", "strings"] } }] };
const POD_TEMPLATE: Descriptor = { 1: ["metadata", { message: OBJECT_META }], 2: ["spec", { message: POD_SPEC }] };
const REPLICA_SET_SPEC: Descriptor = { 1: ["replicas", "int"], 2: ["selector", { message: LABEL_SELECTOR }], 3: ["template", { message: POD_TEMPLATE }], 4: ["minReadySeconds", "int"] };
const DEPLOYMENT_SPEC: Descriptor = {
  1: ["replicas", "int"],
  2: ["selector", { message: LABEL_SELECTOR }],
  3: ["template", { message: POD_TEMPLATE }],
  4: ["strategy", { message: { 1: ["type", "string"], 2: ["rollingUpdate", { message: { 1: ["maxUnavailable", "intOrString"], 2: ["maxSurge", "intOrString"] } }] } }],
  5: ["minReadySeconds", "int"],
  6: ["revisionHistoryLimit", "int"],
  7: ["paused", "bool"],
  9: ["progressDeadlineSeconds", "int"],
};

const RESOURCE_ATTRIBUTES: Descriptor = { 1: ["namespace", "string"], 2: ["verb", "string"], 3: ["group", "string"], 4: ["version", "string"], 5: ["resource", "string"], 6: ["subresource", "string"], 7: ["name", "string"] };
const NON_RESOURCE_ATTRIBUTES: Descriptor = { 1: ["path", "string"], 2: ["verb", "string"] };
/** An access review's attributes (lib/kube/access-reviews.ts); a SubjectAccessReview's extra grants nothing in Skylight and is not read. */
const ACCESS_ATTRIBUTES: Descriptor = { 1: ["resourceAttributes", { message: RESOURCE_ATTRIBUTES }], 2: ["nonResourceAttributes", { message: NON_RESOURCE_ATTRIBUTES }] };
const SELF_SUBJECT_REVIEW: Descriptor = { 1: ["metadata", { message: OBJECT_META }] };

/** The built-in kinds Skylight reads from protobuf, each as its object's message. */
const OBJECTS: Record<string, Descriptor> = {
  "v1 Namespace": { 1: ["metadata", { message: OBJECT_META }] },
  "authorization.k8s.io/v1 SelfSubjectAccessReview": { 1: ["metadata", { message: OBJECT_META }], 2: ["spec", { message: ACCESS_ATTRIBUTES }] },
  "authorization.k8s.io/v1 SelfSubjectRulesReview": { 1: ["metadata", { message: OBJECT_META }], 2: ["spec", { message: { 1: ["namespace", "string"] } }] },
  "authorization.k8s.io/v1 SubjectAccessReview": {
    1: ["metadata", { message: OBJECT_META }],
    2: ["spec", { message: { ...ACCESS_ATTRIBUTES, 3: ["user", "string"], 4: ["groups", "strings"], 6: ["uid", "string"] } }],
  },
  "authentication.k8s.io/v1 SelfSubjectReview": SELF_SUBJECT_REVIEW,
  "authentication.k8s.io/v1beta1 SelfSubjectReview": SELF_SUBJECT_REVIEW,
  "apps/v1 Deployment": { 1: ["metadata", { message: OBJECT_META }], 2: ["spec", { message: DEPLOYMENT_SPEC }] },
  "apps/v1 ReplicaSet": { 1: ["metadata", { message: OBJECT_META }], 2: ["spec", { message: REPLICA_SET_SPEC }] },
  // `kubectl create configmap` and `kubectl create secret`: their state is at the top level, a Secret's data as bytes.
  "v1 ConfigMap": { 1: ["metadata", { message: OBJECT_META }], 2: ["data", "map"], 3: ["binaryData", "bytesMap"], 4: ["immutable", "bool"] },
  // `kubectl create serviceaccount` and `kubectl create token` (the TokenRequest to serviceaccounts/<name>/token).
  "v1 ServiceAccount": {
    1: ["metadata", { message: OBJECT_META }],
    2: ["secrets", { messages: { 1: ["kind", "string"], 2: ["namespace", "string"], 3: ["name", "string"], 5: ["apiVersion", "string"] } }],
    3: ["imagePullSecrets", { messages: { 1: ["name", "string"] } }],
    4: ["automountServiceAccountToken", "bool"],
  },
  "authentication.k8s.io/v1 TokenRequest": {
    1: ["metadata", { message: OBJECT_META }],
    2: ["spec", { message: { 1: ["audiences", "strings"], 3: ["boundObjectRef", { message: { 1: ["kind", "string"], 2: ["apiVersion", "string"], 3: ["name", "string"], 4: ["uid", "string"] } }], 4: ["expirationSeconds", "int"] } }],
  },
  "v1 Secret": { 1: ["metadata", { message: OBJECT_META }], 2: ["data", "bytesMap"], 3: ["type", "string"], 4: ["stringData", "map"], 5: ["immutable", "bool"] },
};

const numberOf = (value: bigint | Buffer) => (typeof value === "bigint" ? Number(BigInt.asIntN(64, value)) : 0);

function decodeField(type: FieldType, values: (bigint | Buffer)[]): unknown {
  const buffers = values.filter(Buffer.isBuffer);
  const last = values[values.length - 1]!;
  switch (type) {
    case "string":
      // Go's protobuf writes every string field, empty or not; JSON leaves an empty one out (omitempty).
      return Buffer.isBuffer(last) && last.length > 0 ? last.toString("utf8") : undefined;
    case "int":
      return numberOf(last);
    case "bool":
      // The bools read here are Go values, not pointers: JSON leaves a false one out, and so does this.
      return numberOf(last) !== 0 ? true : undefined;
    case "strings":
      return buffers.map((value) => value.toString("utf8"));
    case "map":
    case "quantities":
      return Object.fromEntries(
        buffers.map((entry) => {
          const pair = readFields(entry);
          const value = type === "map" ? stringOf(pair, 2) : stringOf(readFields(bytesOf(pair, 2)[0] ?? Buffer.alloc(0)), 1);
          return [stringOf(pair, 1) ?? "", value ?? ""];
        }),
      );
    case "bytesMap":
      // JSON carries bytes as base64.
      return Object.fromEntries(buffers.map((entry) => readFields(entry)).map((pair) => [stringOf(pair, 1) ?? "", (bytesOf(pair, 2)[0] ?? Buffer.alloc(0)).toString("base64")]));
    case "quantity":
      return Buffer.isBuffer(last) ? stringOf(readFields(last), 1) : undefined;
    case "intOrString": {
      if (!Buffer.isBuffer(last)) return undefined;
      const fields = readFields(last);
      const isString = numberOf(fields.find((field) => field.number === 1)?.value ?? 0n) === 1;
      return isString ? (stringOf(fields, 3) ?? "") : numberOf(fields.find((field) => field.number === 2)?.value ?? 0n);
    }
    default:
      if ("message" in type) return Buffer.isBuffer(last) ? decodeMessage(last, type.message) : undefined;
      return buffers.map((value) => decodeMessage(value, type.messages));
  }
}

function decodeMessage(bytes: Buffer, descriptor: Descriptor): Record<string, unknown> {
  const fields = readFields(bytes);
  const result: Record<string, unknown> = {};
  for (const number of new Set(fields.map((field) => field.number))) {
    const known = descriptor[number];
    if (!known) continue;
    const value = decodeField(known[1], fields.filter((field) => field.number === number).map((field) => field.value));
    if (value !== undefined) result[known[0]] = value;
  }
  return result;
}

/** The object in a protobuf body as the JSON kubectl would otherwise have sent (a Namespace, a Deployment, a ReplicaSet). */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(MAGIC)) throw unreadable('it does not start with "k8s\\0"');
  const unknown = readFields(body.subarray(4));
  const typeMeta = readFields(bytesOf(unknown, 1)[0] ?? Buffer.alloc(0));
  const apiVersion = stringOf(typeMeta, 1) ?? "";
  const kind = stringOf(typeMeta, 2) ?? "";
  const descriptor = OBJECTS[`${apiVersion} ${kind}`];
  if (!descriptor) {
    throw new KubeApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (protobuf only for ${Object.keys(OBJECTS).join(", ")}, not ${apiVersion} ${kind})`);
  }
  const object = decodeMessage(bytesOf(unknown, 2)[0] ?? Buffer.alloc(0), descriptor);
  return { apiVersion, kind, metadata: {}, ...(topLevelStateFields(kind).length > 0 ? {} : { spec: {} }), ...object };
}
