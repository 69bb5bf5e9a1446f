// The access reviews' requests: POST a SelfSubjectAccessReview, SelfSubjectRulesReview,
// SubjectAccessReview or SelfSubjectReview, get it back with its status, nothing stored. Who may
// ask is decided before the body is read (a SubjectAccessReview is for administrators; a host
// agent may only ask who it is); a body that is not a review is 422 naming the field. The answers
// come from access-decisions.ts and kube-identity.ts.
import type { IncomingMessage } from "node:http";
import { can } from "@/lib/auth/authorize";
import type { Db } from "@/lib/db/pool";
import { decideNonResource, decideResource, rulesFor, type Decision, type NonResourceAttributes, type ResourceAttributes } from "@/lib/kube/access-decisions";
import type { ReviewResource } from "@/lib/kube/access-review-api";
import { forbidden, invalid, methodNotAllowed, type StatusCause } from "@/lib/kube/api-status";
import { hostUserInfo, NODE_USER_PREFIX, userInfoOf, userNamed } from "@/lib/kube/kube-identity";
import type { Impersonation } from "@/lib/kube/impersonation";
import type { KubeActor } from "@/lib/kube/kube-access";
import { readObject } from "@/lib/kube/request-body";

export interface ReviewCaller {
  actor: KubeActor;
  /** Set for a host agent. */
  host: unknown;
  /** What an administrator's Impersonate-* headers asked for: its extra attributes are part of who the caller now is. */
  impersonation?: Impersonation | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads a review's body; each field that breaks its rule is a cause of one 422. */
class ReviewBody {
  readonly causes: StatusCause[] = [];
  constructor(
    readonly resource: ReviewResource,
    readonly body: Json,
  ) {
    if (body.kind !== undefined && body.kind !== resource.kind) this.fail("kind", `must be ${resource.kind}`);
    if (body.apiVersion !== undefined && body.apiVersion !== `${resource.group}/${resource.version}`) this.fail("apiVersion", `must be ${resource.group}/${resource.version}`);
  }

  fail(field: string, message: string) {
    this.causes.push({ field, message, reason: "FieldValueInvalid" });
  }

  object(field: string, value: unknown): Json | undefined {
    if (value === undefined || value === null) return undefined;
    if (isObject(value)) return value;
    this.fail(field, "must be an object");
    return undefined;
  }

  string(field: string, value: unknown): string {
    if (value === undefined || value === null) return "";
    if (typeof value === "string") return value;
    this.fail(field, "must be a string");
    return "";
  }

  strings(field: string, value: unknown): string[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
    this.fail(field, "must be a list of strings");
    return [];
  }

  /** Throws the 422 if any field broke its rule. */
  check() {
    if (this.causes.length > 0) throw invalid({ group: this.resource.group, plural: this.resource.plural, kind: this.resource.kind, name: "" }, this.causes);
  }
}

/** One of resourceAttributes and nonResourceAttributes, as kube-apiserver requires. */
function attributesOf(review: ReviewBody, spec: Json): ResourceAttributes | NonResourceAttributes | null {
  const resource = review.object("spec.resourceAttributes", spec.resourceAttributes);
  const nonResource = review.object("spec.nonResourceAttributes", spec.nonResourceAttributes);
  if ((resource === undefined) === (nonResource === undefined)) {
    review.fail("spec.resourceAttributes", "exactly one of nonResourceAttributes or resourceAttributes must be specified");
    return null;
  }
  if (nonResource) return { path: review.string("spec.nonResourceAttributes.path", nonResource.path), verb: review.string("spec.nonResourceAttributes.verb", nonResource.verb) };
  const field = (name: keyof ResourceAttributes) => review.string(`spec.resourceAttributes.${name}`, resource![name]);
  return { namespace: field("namespace"), verb: field("verb"), group: field("group"), resource: field("resource"), subresource: field("subresource"), name: field("name") };
}

const decide = (db: Db, actor: KubeActor, attributes: ResourceAttributes | NonResourceAttributes): Promise<Decision> =>
  "path" in attributes ? Promise.resolve(decideNonResource(attributes)) : decideResource(db, actor, attributes);

const accessStatus = (decision: Decision, evaluationError?: string) => ({ allowed: decision.allowed, ...(decision.allowed ? {} : { denied: true }), ...(decision.reason ? { reason: decision.reason } : {}), ...(evaluationError ? { evaluationError } : {}) });

/** The user a SubjectAccessReview asks about, or why it cannot be answered. */
async function subjectOf(db: Db, review: ReviewBody, spec: Json): Promise<KubeActor | string> {
  const username = review.string("spec.user", spec.user);
  const uid = review.string("spec.uid", spec.uid);
  const groups = review.strings("spec.groups", spec.groups);
  review.object("spec.extra", spec.extra);
  if (!username) review.fail("spec.user", "Required value: the user to ask about");
  review.check();
  if (username.startsWith(NODE_USER_PREFIX)) return `${username} is a host agent: its node's own rules decide for it, not a user's`;
  const user = await userNamed(db, username);
  if (!user) return `there is no enabled Skylight user ${username}`;
  if (uid && uid !== user.id) return `${uid} is not the uid of ${username}`;
  const held = new Set((await userInfoOf(db, user)).groups);
  const foreign = groups.find((group) => !held.has(group));
  if (foreign !== undefined) return `${username} is not in group ${foreign}, and Skylight decides by a user's own groups`;
  return user;
}

/** Answers a review POSTed to its resource. */
export async function serveAccessReview(db: Db, caller: ReviewCaller, resource: ReviewResource, request: IncomingMessage): Promise<{ status: number; body: unknown }> {
  if (request.method !== "POST") throw methodNotAllowed(`${resource.plural}.${resource.group} are only created: POST one and read the answer in its status`);
  const refuse = (why: string) => forbidden(caller.actor.username, "create", { group: resource.group, plural: resource.plural, kind: resource.kind }, undefined, why);
  if (caller.host && resource.kind !== "SelfSubjectReview") throw refuse("a host agent may only ask who it is (selfsubjectreviews)");
  if (resource.kind === "SubjectAccessReview" && !can(caller.actor, "users.manage")) throw refuse("only administrators may ask what others may do");
  const review = new ReviewBody(resource, await readObject(request));
  const spec = review.object("spec", review.body.spec) ?? {};
  const answer = (status: Json) => ({ status: 201, body: { kind: resource.kind, apiVersion: `${resource.group}/${resource.version}`, metadata: { creationTimestamp: null }, spec: review.body.spec ?? {}, status } });
  switch (resource.kind) {
    case "SelfSubjectReview":
      review.check();
      const extra = caller.impersonation?.extra ?? {};
      const userInfo = caller.host ? hostUserInfo(caller.actor) : await userInfoOf(db, caller.actor);
      return answer({ userInfo: { ...userInfo, ...(Object.keys(extra).length > 0 ? { extra } : {}) } });
    case "SelfSubjectRulesReview": {
      const namespace = review.string("spec.namespace", spec.namespace);
      review.check();
      return answer({ ...(await rulesFor(db, caller.actor, namespace)), incomplete: false });
    }
    case "SelfSubjectAccessReview": {
      const attributes = attributesOf(review, spec);
      review.check();
      return answer(accessStatus(await decide(db, caller.actor, attributes!)));
    }
    case "SubjectAccessReview": {
      const attributes = attributesOf(review, spec);
      const subject = await subjectOf(db, review, spec);
      if (typeof subject === "string") return answer(accessStatus({ allowed: false, reason: subject }, subject));
      return answer(accessStatus(await decide(db, subject, attributes!)));
    }
  }
}
