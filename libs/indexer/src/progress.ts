/** Counters of one index run, read by the progress log and by metrics. */
export class IndexProgress {
  readonly startedAt = Date.now();
  phase: 'listing' | 'hashing' | 'writing' | 'done' = 'listing';
  listed = 0;
  toHash = 0;
  toHashBytes = 0;
  hashed = 0;
  hashedBytes = 0;
  private hashStartedAt = 0;

  startHashing(count: number, bytes: number): void {
    this.phase = 'hashing';
    this.toHash = count;
    this.toHashBytes = bytes;
    this.hashStartedAt = Date.now();
  }

  /** One log line: objects listed, bytes hashed, rate, ETA. */
  line(now = Date.now()): string {
    if (this.phase === 'listing') {
      const s = (now - this.startedAt) / 1000;
      return `[source] listing: ${this.listed} objects listed (${s > 0 ? Math.round(this.listed / s) : 0}/s)`;
    }
    const s = Math.max(0.001, (now - this.hashStartedAt) / 1000);
    const rate = this.hashedBytes / s;
    const left = this.toHashBytes - this.hashedBytes;
    const eta = rate > 0 && left > 0 ? formatSeconds(left / rate) : this.phase === 'hashing' ? '?' : '0s';
    return `[source] ${this.phase}: ${this.listed} objects listed, ${this.hashed}/${this.toHash} hashed, ` +
      `${formatBytes(this.hashedBytes)}/${formatBytes(this.toHashBytes)} (${formatBytes(rate)}/s), ETA ${eta}`;
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${Math.ceil(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
}
