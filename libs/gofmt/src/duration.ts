/** Go's time.Duration.String(), from nanoseconds (bigint for exactness, number accepted). */
export function formatGoDuration(d: bigint | number): string {
  let ns = typeof d === 'bigint' ? d : BigInt(Math.trunc(d));
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  if (neg) ns = -ns;
  let out: string;
  if (ns < 1_000_000_000n) {
    // Sub-second: the largest unit that fits, with a trimmed decimal fraction.
    const [unit, scale] = ns < 1_000n ? ['ns', 1n] : ns < 1_000_000n ? ['µs', 1_000n] : ['ms', 1_000_000n];
    out = decimal(ns, scale) + unit;
  } else {
    const h = ns / 3_600_000_000_000n;
    const rem = ns % 3_600_000_000_000n;
    const m = rem / 60_000_000_000n;
    const s = rem % 60_000_000_000n;
    out = (h > 0n ? `${h}h` : '') + (h > 0n || m > 0n ? `${m}m` : '') + decimal(s, 1_000_000_000n) + 's';
  }
  return neg ? '-' + out : out;
}

function decimal(v: bigint, scale: bigint): string {
  const whole = v / scale;
  const frac = v % scale;
  if (frac === 0n) return String(whole);
  const digits = String(scale).length - 1;
  return `${whole}.${String(frac).padStart(digits, '0').replace(/0+$/, '')}`;
}

/** Milliseconds as a Go duration string (`tzoffset` is stored in ms). */
export function formatGoDurationMs(ms: number): string {
  return formatGoDuration(BigInt(Math.trunc(ms)) * 1_000_000n);
}
