/**
 * Errors of admin operations, each carrying the HTTP status the admin API answers with (the
 * gRPC service maps them to status codes too).
 */
export class AdminError extends Error {
  override name = 'AdminError';
  constructor(message: string, readonly status: number, readonly field?: string) {
    super(message);
  }
}

/** Bad input: 400 with the offending field. */
export class InputError extends AdminError {
  override name = 'InputError';
  constructor(message: string, field?: string) {
    super(message, 400, field);
  }
}

export class NotFoundError extends AdminError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super(message, 404);
  }
}

export class ConflictError extends AdminError {
  override name = 'ConflictError';
  constructor(message: string, field?: string) {
    super(message, 409, field);
  }
}

/** A dependency (job runner, reload hook) is not available in this process: 503. */
export class UnavailableError extends AdminError {
  override name = 'UnavailableError';
  constructor(message: string) {
    super(message, 503);
  }
}

/** A job did not finish in time: 504. */
export class TimeoutError extends AdminError {
  override name = 'TimeoutError';
  constructor(message: string) {
    super(message, 504);
  }
}
