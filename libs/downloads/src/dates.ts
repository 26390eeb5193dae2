/** UTC date suffix of the stats keys, `YYYY_MM_DD` (contract §4.2: zero-padded UTC). */
export function utcDaySuffix(ms: number): string {
  const d = new Date(ms);
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return `${d.getUTCFullYear()}_${m < 10 ? '0' : ''}${m}_${day < 10 ? '0' : ''}${day}`;
}
