// Request bodies of the Kubernetes API, read and parsed once, before anything interprets them: at
// most MAX_BODY_BYTES, in JSON, YAML (apply patches and application/yaml) or, for a Namespace,
// protobuf, and each through the same checks (lib/http/untrusted-input.ts): a key that names a
// prototype or nesting deeper than MAX_INPUT_DEPTH is 400 BadRequest naming the path.
import type { IncomingMessage } from "node:http";
import { assertSafeInput, parseUntrustedJson, UntrustedInputError } from "@/lib/http/untrusted-input";
import { parseUntrustedYaml } from "@/lib/http/untrusted-yaml";
import { MAX_BODY_BYTES } from "@/lib/kube/api-limits";
import { badRequest, KubeApiError } from "@/lib/kube/api-status";
import { PATCH_TYPES } from "@/lib/kube/patches";
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from "@/lib/kube/protobuf-body";

async function readBytes(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new KubeApiError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${MAX_BODY_BYTES}`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    // The client went away, or broke HTTP's framing, before its body arrived: its error, not the server's.
    if (request.destroyed && !(error instanceof KubeApiError)) throw badRequest("the request's body did not arrive: the client closed the connection");
    throw error;
  }
  return Buffer.concat(chunks);
}

const rejected = (message: string) => badRequest(`the server rejected our request due to an error in our request: ${message}`);

/** kubectl sends apply configurations as JSON, which is YAML too and which JSON.parse reads far faster; other clients send YAML. */
function parseApplyConfiguration(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return parseUntrustedYaml(text);
  try {
    return parseUntrustedJson(text);
  } catch (error) {
    // Not JSON after all (a YAML flow mapping); a key or a path it refused is refused as YAML too.
    if (error instanceof UntrustedInputError && error.field === "") return parseUntrustedYaml(text);
    throw error;
  }
}

/** The body as JSON values; an empty body is an empty object, as kube-apiserver reads a DELETE without options. */
export async function readRequestBody(request: IncomingMessage): Promise<unknown> {
  const contentType = request.headers["content-type"] ?? "";
  const bytes = await readBytes(request);
  try {
    if (contentType.startsWith(PROTOBUF_CONTENT_TYPE)) {
      const object = decodeProtobufObject(bytes);
      assertSafeInput(object);
      return object;
    }
    const text = bytes.toString("utf8");
    if (!text.trim()) return {};
    if (contentType.startsWith("application/yaml")) return parseUntrustedYaml(text);
    if (contentType.startsWith(PATCH_TYPES.apply)) return parseApplyConfiguration(text);
    return parseUntrustedJson(text);
  } catch (error) {
    if (error instanceof UntrustedInputError) throw rejected(error.message);
    throw error;
  }
}

/** A created or replaced object, or DeleteOptions: a JSON object, whatever the encoding. */
export async function readObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readRequestBody(request);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("the server rejected our request due to an error in our request: the body must be an object");
  return body as Record<string, unknown>;
}
