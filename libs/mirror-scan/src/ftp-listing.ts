/** One entry of an FTP directory listing. */
export interface FtpEntry {
  name: string;
  type: 'file' | 'dir' | 'link' | 'skip';
  size: number;
  /** MLSD `modify` fact as Unix seconds; undefined when absent or unparsable. */
  modify?: number;
  /** True when a `modify` fact was present but did not parse (the entry is then dropped, as Mirrorbits). */
  badModify?: boolean;
}

/** RFC 3659 MLSD line: `fact=value;fact=value; name`. */
export function parseMlsdLine(line: string): FtpEntry | null {
  const sp = line.indexOf(' ');
  if (sp < 0) return null;
  const name = line.slice(sp + 1);
  const facts = new Map<string, string>();
  for (const f of line.slice(0, sp).split(';')) {
    const eq = f.indexOf('=');
    if (eq > 0) facts.set(f.slice(0, eq).toLowerCase(), f.slice(eq + 1));
  }
  const t = (facts.get('type') ?? '').toLowerCase();
  const type: FtpEntry['type'] =
    t === 'file' ? 'file' : t === 'dir' ? 'dir' : t === 'os.unix=symlink' || t.startsWith('os.unix=slink') ? 'link' : 'skip';
  const size = Number(facts.get('size') ?? '0');
  const entry: FtpEntry = { name, type, size: Number.isSafeInteger(size) ? size : 0 };
  const modify = facts.get('modify');
  if (modify !== undefined) {
    // Mirrorbits parses `modify` with a seconds-only layout: fractional seconds fail.
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(modify);
    const ms = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
    if (Number.isFinite(ms)) entry.modify = ms / 1000;
    else entry.badModify = true;
  }
  return entry;
}

const UNIX_RE = /^([-dlbcps])[-rwxsStTl+.@]{9,10}\s+\d+\s+(?:\S+\s+){1,2}(\d+)\s+[A-Za-z]{3}\s+\d{1,2}\s+(?:\d{1,2}:\d{2}|\d{4})\s+(.+)$/;
const DOS_RE = /^\d{2}-\d{2}-\d{2,4}\s+\d{1,2}:\d{2}(?:[AaPp][Mm])?\s+(<DIR>|\d+)\s+(.+)$/;

/** `ls -l` style (Unix) or DOS style LIST line; null when neither shape matches. */
export function parseListLine(line: string): FtpEntry | null {
  let m = UNIX_RE.exec(line);
  if (m) {
    const kind = m[1]!;
    let name = m[3]!;
    if (kind === 'l') name = name.replace(/ -> .*$/, '');
    return { name, type: kind === '-' ? 'file' : kind === 'd' ? 'dir' : kind === 'l' ? 'link' : 'skip', size: Number(m[2]) };
  }
  m = DOS_RE.exec(line);
  if (m) return { name: m[2]!, type: m[1] === '<DIR>' ? 'dir' : 'file', size: m[1] === '<DIR>' ? 0 : Number(m[1]) };
  return null;
}

/** MDTM reply `YYYYMMDDHHMMSS[.fff]` (GMT) → {sec, nsec}; null when unparsable. */
export function parseMdtm(text: string): { sec: number; nsec: number } | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!m) return null;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (!Number.isFinite(ms)) return null;
  return { sec: ms / 1000, nsec: m[7] ? Number(m[7].padEnd(9, '0')) : 0 };
}
