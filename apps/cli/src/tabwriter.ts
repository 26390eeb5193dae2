/**
 * Go's text/tabwriter as `mirrorbits list` configures it (minwidth 0, tabwidth 8, padding 0,
 * padchar '\t'): each tab-terminated cell is padded with tabs to the column's width rounded up
 * to a multiple of 8; text after a line's last tab is not aligned.
 */
const width = (s: string) => [...s].length;

export function tabwrite(text: string, tabwidth = 8): string {
  const lines = text.split('\n');
  const cells = lines.map((l) => l.split('\t'));
  // Column j is made of the j-th tab-terminated cell of consecutive lines that have one (Go's column blocks).
  const out = cells.map((c) => c.slice());
  const pad = (j: number, from: number, to: number) => {
    let w = 0;
    for (let i = from; i < to; i++) w = Math.max(w, width(cells[i]![j]!));
    const cellw = Math.ceil(w / tabwidth) * tabwidth;
    for (let i = from; i < to; i++) {
      const n = cellw - width(cells[i]![j]!);
      out[i]![j] = cells[i]![j]! + '\t'.repeat(Math.ceil(n / tabwidth));
    }
  };
  const maxCols = Math.max(...cells.map((c) => c.length - 1));
  for (let j = 0; j < maxCols; j++) {
    let i = 0;
    while (i < cells.length) {
      if (cells[i]!.length - 1 <= j) {
        i++;
        continue;
      }
      const start = i;
      while (i < cells.length && cells[i]!.length - 1 > j) i++;
      pad(j, start, i);
    }
  }
  return out.map((c) => c.join('')).join('\n');
}
