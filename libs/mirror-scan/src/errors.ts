/** A scan of this mirror is already running somewhere in the cluster (`SCANNING_<id>` is held). */
export class ScanLockedError extends Error {
  override readonly name = 'ScanLockedError';
  constructor(readonly mirrorId: number) {
    super('scan already in progress');
  }
}

/** The scan was cancelled through its AbortSignal (Mirrorbits' "scan aborted"). */
export class ScanAbortedError extends Error {
  override readonly name = 'ScanAbortedError';
  constructor() {
    super('scan aborted');
  }
}

/** A listing failed; `message` is the text recorded in the mirror log (contract §8.3/§8.4 wording). */
export class ScanError extends Error {
  override readonly name = 'ScanError';
  constructor(message: string, readonly permanent = false) {
    super(message);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ScanAbortedError();
}
