/** One link of a directory listing page, with whatever date/size the page printed next to it. */
export interface ListingLink {
  href: string;
  /** Unix seconds, read as UTC; undefined when the page showed no recognisable date. */
  date?: number;
  /** 1e9 when the date had seconds, 60e9 for minute dates. */
  datePrecisionNs?: number;
  /** Exact byte size when printed as plain digits; undefined for `-`, human sizes (`1.2K`) or none. */
  size?: number;
}

const ANCHOR_RE = /<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>/gi;
const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

// Date shapes of common autoindex modules, each followed by an optional size column.
const DATE_RES: Array<{ re: RegExp; parts: (m: RegExpExecArray) => [number, number, number, number, number, string | undefined] }> = [
  { // nginx: 01-Jan-2025 12:00
    re: /(\d{2})-([A-Z][a-z]{2})-(\d{4}) (\d{2}):(\d{2})(?::(\d{2}))?/,
    parts: (m) => [Number(m[3]), MONTHS[m[2]!] ?? -1, Number(m[1]), Number(m[4]), Number(m[5]), m[6]],
  },
  { // Apache: 2025-01-01 12:00
    re: /(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?/,
    parts: (m) => [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), m[6]],
  },
  { // lighttpd: 2025-Jan-01 12:00:00
    re: /(\d{4})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?/,
    parts: (m) => [Number(m[1]), MONTHS[m[2]!] ?? -1, Number(m[3]), Number(m[4]), Number(m[5]), m[6]],
  },
];

function decodeEntities(s: string): string {
  return s
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

/**
 * Extract links from an autoindex page (nginx, Apache table or `<pre>`, lighttpd and look-alikes).
 * The text between a link and the next one (or the end of its line/row) is searched for a date
 * and a size column. Filtering of which links to follow is the crawler's business.
 */
export function parseListing(html: string): ListingLink[] {
  const out: ListingLink[] = [];
  const anchors: Array<{ href: string; end: number; start: number }> = [];
  for (const m of html.matchAll(ANCHOR_RE)) {
    anchors.push({ href: decodeEntities(m[1] ?? m[2] ?? m[3] ?? ''), start: m.index!, end: m.index! + m[0].length });
  }
  for (let i = 0; i < anchors.length; i++) {
    const a = anchors[i]!;
    const closeIdx = html.indexOf('</a>', a.end);
    const tailStart = closeIdx >= 0 ? closeIdx + 4 : a.end;
    let tailEnd = i + 1 < anchors.length ? anchors[i + 1]!.start : html.length;
    const nl = html.indexOf('\n', tailStart);
    if (nl >= 0 && nl < tailEnd) tailEnd = nl;
    const rowEnd = html.indexOf('</tr>', tailStart);
    if (rowEnd >= 0 && rowEnd < tailEnd) tailEnd = rowEnd;
    const tail = decodeEntities(html.slice(tailStart, Math.max(tailStart, tailEnd)).replace(/<[^>]*>/g, ' '));
    const link: ListingLink = { href: a.href };
    for (const { re, parts } of DATE_RES) {
      const m = re.exec(tail);
      if (!m) continue;
      const [y, mo, d, h, mi, s] = parts(m);
      if (mo < 0) continue;
      const ms = Date.UTC(y, mo, d, h, mi, s ? Number(s) : 0);
      if (!Number.isFinite(ms) || new Date(ms).getUTCDate() !== d) continue;
      link.date = ms / 1000;
      link.datePrecisionNs = s ? 1_000_000_000 : 60_000_000_000;
      const sizeM = /^\s+(\d+)\s*$/.exec(tail.slice(m.index + m[0].length));
      if (sizeM) link.size = Number(sizeM[1]);
      break;
    }
    out.push(link);
  }
  return out;
}
