// /openapi/v2 in protobuf, the only form kubectl before 1.28 reads (client-go's OpenAPISchema asks
// for it and has no JSON fallback, so `kubectl apply` and `explain` failed with "proto: cannot
// parse invalid wire-format data"). The message is gnostic's openapi.v2.Document. kubectl reads
// its models from the definitions, and from the paths only which media types each kind's PATCH
// consumes (a built-in kind gets a strategic merge patch computed from the server's schema only
// if it lists one), so operations carry their id, consumes and extensions and nothing more.
// Vendor extensions, defaults and enum values travel as YAML text, as gnostic writes them: JSON
// is YAML, so JSON text it is.

/** The reply's Content-Type: the mime kubectl asks for has an "@" that Go's mime parser refuses. */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = "application/octet-stream";

/** Whether the client asked for the protobuf document (kubectl does; a browser or curl does not). */
export function wantsOpenApiV2Protobuf(accept: string | undefined): boolean {
  return accept?.includes("com.github.proto-openapi.spec.v2") ?? false;
}

type JsonSchema = Record<string, unknown>;

/** A protobuf message being written: fields in order, each tagged with its number and wire type. */
class Message {
  private readonly parts: Buffer[] = [];

  private varint(value: bigint): Buffer {
    const bytes: number[] = [];
    let rest = BigInt.asUintN(64, value);
    do {
      let byte = Number(rest & 0x7fn);
      rest >>= 7n;
      if (rest > 0n) byte |= 0x80;
      bytes.push(byte);
    } while (rest > 0n);
    return Buffer.from(bytes);
  }

  private tag(field: number, wireType: 0 | 1 | 2) {
    this.parts.push(this.varint(BigInt((field << 3) | wireType)));
  }

  string(field: number, value: unknown): this {
    if (typeof value !== "string" || value === "") return this;
    return this.bytes(field, Buffer.from(value, "utf8"));
  }

  bytes(field: number, value: Buffer): this {
    this.tag(field, 2);
    this.parts.push(this.varint(BigInt(value.length)), value);
    return this;
  }

  message(field: number, value: Message): this {
    return this.bytes(field, value.toBuffer());
  }

  bool(field: number, value: unknown): this {
    if (value !== true) return this;
    this.tag(field, 0);
    this.parts.push(this.varint(1n));
    return this;
  }

  int64(field: number, value: unknown): this {
    if (typeof value !== "number" || !Number.isInteger(value)) return this;
    this.tag(field, 0);
    this.parts.push(this.varint(BigInt(value)));
    return this;
  }

  double(field: number, value: unknown): this {
    if (typeof value !== "number") return this;
    this.tag(field, 1);
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(value);
    this.parts.push(bytes);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** gnostic's Any: a value as YAML text (field 2). */
const anyValue = (value: unknown) => new Message().string(2, JSON.stringify(value));

/** gnostic's NamedAny: an x- extension's name and value. */
const namedAny = (name: string, value: unknown) => new Message().string(1, name).message(2, anyValue(value));

function schema(json: JsonSchema): Message {
  const message = new Message()
    .string(1, json.$ref)
    .string(2, json.format)
    .string(3, json.title)
    .string(4, json.description);
  if (json.default !== undefined) message.message(5, anyValue(json.default));
  message
    .double(6, json.multipleOf)
    .double(7, json.maximum)
    .bool(8, json.exclusiveMaximum)
    .double(9, json.minimum)
    .bool(10, json.exclusiveMinimum)
    .int64(11, json.maxLength)
    .int64(12, json.minLength)
    .string(13, json.pattern)
    .int64(14, json.maxItems)
    .int64(15, json.minItems)
    .bool(16, json.uniqueItems)
    .int64(17, json.maxProperties)
    .int64(18, json.minProperties);
  for (const name of (json.required as string[] | undefined) ?? []) message.string(19, name);
  for (const value of (json.enum as unknown[] | undefined) ?? []) message.message(20, anyValue(value));
  const additional = json.additionalProperties;
  if (typeof additional === "boolean") message.message(21, new Message().bool(2, additional));
  else if (additional && typeof additional === "object") message.message(21, new Message().message(1, schema(additional as JsonSchema)));
  const types = typeof json.type === "string" ? [json.type] : ((json.type as string[] | undefined) ?? []);
  if (types.length > 0) {
    const typeItem = new Message();
    for (const type of types) typeItem.string(1, type);
    message.message(22, typeItem);
  }
  if (json.items && typeof json.items === "object") {
    const itemsItem = new Message();
    for (const item of Array.isArray(json.items) ? json.items : [json.items]) itemsItem.message(1, schema(item as JsonSchema));
    message.message(23, itemsItem);
  }
  for (const part of (json.allOf as JsonSchema[] | undefined) ?? []) message.message(24, schema(part));
  if (json.properties && typeof json.properties === "object") message.message(25, namedSchemas(json.properties as Record<string, JsonSchema>));
  message.bool(27, json.readOnly);
  if (json.example !== undefined) message.message(30, anyValue(json.example));
  for (const [key, value] of Object.entries(json)) {
    if (key.startsWith("x-")) message.message(31, namedAny(key, value));
  }
  return message;
}

/** gnostic's Properties and Definitions: named schemas in order (field 1, each a NamedSchema). */
function namedSchemas(schemas: Record<string, JsonSchema>): Message {
  const message = new Message();
  for (const [name, value] of Object.entries(schemas)) message.message(1, new Message().string(1, name).message(2, schema(value)));
  return message;
}

/** gnostic's PathItem field numbers for the methods a path can have. */
const METHOD_FIELDS = { get: 2, put: 3, post: 4, delete: 5, patch: 8 } as const;

function operation(json: JsonSchema): Message {
  const message = new Message().string(5, json.operationId);
  for (const type of (json.consumes as string[] | undefined) ?? []) message.string(7, type);
  for (const [key, value] of Object.entries(json)) {
    if (key.startsWith("x-")) message.message(13, namedAny(key, value));
  }
  return message;
}

function paths(json: Record<string, Record<string, JsonSchema>>): Message {
  const message = new Message();
  for (const [path, methods] of Object.entries(json)) {
    const item = new Message();
    for (const [method, field] of Object.entries(METHOD_FIELDS)) {
      if (methods[method]) item.message(field, operation(methods[method]));
    }
    message.message(2, new Message().string(1, path).message(2, item));
  }
  return message;
}

/** The OpenAPI v2 document (as lib/kube/openapi.ts builds it) as gnostic's protobuf Document. */
export function openApiV2Protobuf(document: {
  swagger: string;
  info: { title: string; version: string };
  paths: Record<string, unknown>;
  definitions: Record<string, JsonSchema>;
}): Buffer {
  return new Message()
    .string(1, document.swagger)
    .message(2, new Message().string(1, document.info.title).string(2, document.info.version))
    .message(8, paths(document.paths as Record<string, Record<string, JsonSchema>>))
    .message(9, namedSchemas(document.definitions))
    .toBuffer();
}
