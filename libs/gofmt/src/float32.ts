/**
 * Go's shortest float32 text (strconv.FormatFloat(f, 'f'|'g', -1, 32) and encoding/json for
 * float32): the fewest significant digits that read back as the same float32.
 * 48.85820007324219 (the float64 expansion) prints as `48.8582`.
 */
export function formatFloat32(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return String(f);
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  if (Number.isInteger(f) && Math.abs(f) < 1e21) return String(f);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return String(candidate);
  }
  return String(f);
}

/** Round a number to float32 the way a Go float32 field would hold it. */
export const toFloat32 = Math.fround;

/**
 * Go's JSON float64 formatting (encoding/json): shortest round-trip, exponent form below 1e-6
 * or from 1e21 on; JavaScript's Number#toString uses the same thresholds.
 */
export function formatFloat64(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(x);
}
