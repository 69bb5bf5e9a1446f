// Errors whose message is written for the person who caused them. Anything else that escapes a
// server action or route handler is logged and replaced with a generic message.

export class UserFacingError extends Error {
  readonly status: number = 400;
}

export class NotAuthenticatedError extends UserFacingError {
  override readonly status = 401;
  constructor() {
    super("Your session has ended. Sign in again.");
  }
}

export class ForbiddenError extends UserFacingError {
  override readonly status = 403;
}

export class NotFoundError extends UserFacingError {
  override readonly status = 404;
}

/** Input that breaks a rule; names the field so forms can show the message beside it. */
export class InvalidInputError extends UserFacingError {
  override readonly status = 422;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A search param a GET route cannot honour (HTTP 400), named with the rule it breaks. */
export class InvalidParamError extends UserFacingError {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

/** A VM that would take its namespace over a limit: the limit, the usage and the ask, as quantities. */
export class QuotaExceededError extends InvalidInputError {
  constructor(
    field: string,
    message: string,
    readonly quota: { namespace: string; resource: "cpu" | "memory" | "storage"; limited: string; used: string; requested: string },
  ) {
    super(field, message);
  }

  /** kube-apiserver's ResourceQuota refusal of `name`, a `resource` ("pods"): Forbidden, with the quota's numbers. */
  forbiddenMessage(resource: string, name: string): string {
    const { namespace, resource: limit, requested, used, limited } = this.quota;
    return `${resource} "${name}" is forbidden: exceeded quota: ${namespace}, requested: ${limit}=${requested}, used: ${limit}=${used}, limited: ${limit}=${limited}: ${this.message}`;
  }
}

/** A write that named a resourceVersion someone else has since replaced; nothing was written. */
export class ConflictError extends UserFacingError {
  override readonly status = 409;
  constructor(
    readonly kind: string,
    readonly objectName: string,
    readonly currentResourceVersion: string,
  ) {
    super(`${kind} "${objectName}" was changed by someone else since you opened it. Reload to see the current state, then try again.`);
  }
}
