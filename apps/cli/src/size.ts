/** Mirrorbits' human size (`%3.1f` with bytes/KiB/MiB/GiB/TiB): 0 → `0.0 bytes`, 1024 → `1.0 KiB`. */
export function readableSize(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
