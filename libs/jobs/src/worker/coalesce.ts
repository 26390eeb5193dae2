/**
 * A pass that must not run twice at once: calls made while one runs share its promise, and if any
 * were made, exactly one more pass follows (so a change seen mid-pass is never missed).
 * Errors of that follow-up pass go to `onError`; the caller's own promise rejects as usual.
 */
export class CoalescedPass<T> {
  private running: Promise<T> | null = null;
  private again = false;

  constructor(
    private readonly pass: () => Promise<T>,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  run(): Promise<T> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.run().catch(this.onError);
      }
    });
    return this.running;
  }

  /** The pass in progress, if any (for shutdown). */
  get current(): Promise<T> | null {
    return this.running;
  }
}
