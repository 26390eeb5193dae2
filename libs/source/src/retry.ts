import { SourceError } from './errors.ts';

export interface RetryPolicy {
  /** Attempts in total (1 = no retry). */
  attempts: number;
  /** First back-off in ms; doubles each attempt, with jitter, capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };

/** Run fn, retrying retryable SourceErrors (throttling, 5xx, resets) with exponential back-off. */
export async function withRetry<T>(
  policy: RetryPolicy,
  what: string,
  fn: () => Promise<T>,
  classify: (e: unknown) => SourceError,
  onRetry?: (err: SourceError, attempt: number, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const err = classify(e);
      if (!err.retryable || attempt >= policy.attempts) {
        if (err.retryable) err.message = `${err.message} (gave up after ${attempt} attempts: ${what})`;
        throw err;
      }
      const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      onRetry?.(err, attempt, delay);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
