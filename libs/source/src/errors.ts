/** Why a source could not be read; `kind` lets callers decide between retrying and stopping. */
export type SourceErrorKind =
  | 'missing-directory'
  | 'access-denied'
  | 'no-such-bucket'
  | 'wrong-region'
  | 'bad-credentials'
  | 'truncated'
  | 'transient'
  | 'other';

export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Worth retrying (throttling, 5xx, resets, truncated bodies) as opposed to a configuration problem. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'truncated';
  }
}
