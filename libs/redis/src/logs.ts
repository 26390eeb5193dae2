/**
 * Mirror event log `MIRRORLOGS_<id>` (contract §4.8): JSON elements byte-compatible with Go's
 * encoding/json output, and the exact texts `mirrorbits logs` prints.
 */
import {
  formatGoDurationMs, formatRFC3339Nano, goJsonString, goTimeFromDate, localOffsetSec, parseRFC3339, type GoTime,
} from '@mirrorball/gofmt';
import type { Redis } from 'ioredis';
import { keys } from './keys.ts';

export const LOG_TYPE = {
  ERROR: 1, ADDED: 2, EDITED: 3, ENABLED: 4, DISABLED: 5, STATE_CHANGED: 6, SCAN_STARTED: 7, SCAN_COMPLETED: 8,
} as const;

/** `Proto` of a state-changed event. */
export const LOG_PROTO = { HTTP: 1, HTTPS: 2 } as const;

interface Common {
  mirrorId: number;
  timestamp: GoTime;
  /** Offset the timestamp is written/rendered with; defaults to the server's local offset. */
  offsetSec?: number;
  /** The stored text used `Z` (rendered as zone `UTC`). */
  utc?: boolean;
}

export type MirrorLogEvent =
  | (Common & { type: 1; err: string })
  | (Common & { type: 2 | 3 | 4 | 5 })
  | (Common & { type: 6; proto: number; up: boolean; reason: string })
  | (Common & { type: 7; typ: number })
  | (Common & { type: 8; filesIndexed: number; knownIndexed: number; removed: number; tzOffsetMs: number });

type Distribute<T> = T extends unknown ? Omit<T, 'timestamp' | 'mirrorId'> : never;

/** Build an event stamped `now` (default: the current time). */
export function mirrorLog(mirrorId: number, body: Distribute<MirrorLogEvent>, now: GoTime = goTimeFromDate(new Date())): MirrorLogEvent {
  return { ...body, mirrorId, timestamp: now } as MirrorLogEvent;
}

const int = (n: number) => String(Math.trunc(n));

/** Go's json.Marshal of the event struct: common keys first, then the type's own keys. */
export function encodeMirrorLog(e: MirrorLogEvent): string {
  const offset = e.utc ? 0 : (e.offsetSec ?? localOffsetSec(e.timestamp));
  let s = `{"Type":${e.type},"MirrorID":${int(e.mirrorId)},"Timestamp":"${formatRFC3339Nano(e.timestamp, offset)}"`;
  switch (e.type) {
    case 1: s += `,"Err":${goJsonString(e.err)}`; break;
    case 6: s += `,"Proto":${int(e.proto)},"Up":${e.up},"Reason":${goJsonString(e.reason)}`; break;
    case 7: s += `,"Typ":${int(e.typ)}`; break;
    case 8:
      s += `,"FilesIndexed":${int(e.filesIndexed)},"KnownIndexed":${int(e.knownIndexed)},"Removed":${int(e.removed)},"TZOffset":${int(e.tzOffsetMs)}`;
      break;
  }
  return s + '}';
}

/** Parse one list element; null when unparsable or of an unknown type (Mirrorbits skips those). */
export function decodeMirrorLog(text: string): MirrorLogEvent | null {
  let o: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    o = v as Record<string, unknown>;
  } catch {
    return null;
  }
  const type = typeof o.Type === 'number' ? Math.trunc(o.Type) : NaN;
  const ts = typeof o.Timestamp === 'string' ? parseRFC3339(o.Timestamp) : null;
  if (!ts || !(type >= 1 && type <= 8)) return null;
  const num = (k: string) => (typeof o[k] === 'number' ? Math.trunc(o[k] as number) : 0);
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');
  const common = { mirrorId: num('MirrorID'), timestamp: ts.time, offsetSec: ts.offsetSec, utc: ts.utc };
  switch (type) {
    case 1: return { ...common, type, err: str('Err') };
    case 6: return { ...common, type, proto: num('Proto'), up: o.Up === true, reason: str('Reason') };
    case 7: return { ...common, type, typ: num('Typ') };
    case 8: return {
      ...common, type, filesIndexed: num('FilesIndexed'), knownIndexed: num('KnownIndexed'), removed: num('Removed'), tzOffsetMs: num('TZOffset'),
    };
    default: return { ...common, type: type as 2 | 3 | 4 | 5 };
  }
}

/** The event's text, as Mirrorbits' GetOutput. */
export function mirrorLogText(e: MirrorLogEvent): string {
  switch (e.type) {
    case 1: return `Error: ${e.err}`;
    case 2: return 'Mirror added';
    case 3: return 'Mirror edited';
    case 4: return 'Mirror enabled';
    case 5: return 'Mirror disabled';
    case 6: {
      const who = e.proto === LOG_PROTO.HTTP ? 'HTTP mirror' : e.proto === LOG_PROTO.HTTPS ? 'HTTPS mirror' : 'Mirror';
      if (e.up) return `${who} is up`;
      return e.reason ? `${who} is down: ${e.reason}` : `${who} is down`;
    }
    case 7: return e.typ === 0 ? 'RSYNC scan started' : e.typ === 1 ? 'FTP scan started' : 'Scan started using a unknown protocol';
    case 8: {
      let s = `Scan completed: ${e.filesIndexed} files (${e.knownIndexed} known), ${e.removed} removed`;
      if (e.tzOffsetMs !== 0) s += ` (corrected timezone offset: ${formatGoDurationMs(e.tzOffsetMs)})`;
      return s;
    }
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Zone name as Go's `MST` layout prints it: `UTC` for Z, the local abbreviation when the offset is local, else `+hhmm`. */
function zoneName(e: MirrorLogEvent, offset: number): string {
  if (e.utc || (offset === 0 && e.offsetSec === undefined)) return 'UTC';
  if (offset === localOffsetSec(e.timestamp)) {
    const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
      .formatToParts(new Date(e.timestamp.sec * 1000)).find((p) => p.type === 'timeZoneName')?.value;
    if (part && /^[A-Z]{2,5}$/.test(part)) return part;
  }
  const a = Math.abs(offset);
  return `${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 3600))}${pad(Math.floor((a % 3600) / 60))}`;
}

/** `YYYY-MM-DD HH:MM:SS ZONE: <text>`, one line of `mirrorbits logs`. */
export function renderMirrorLog(e: MirrorLogEvent): string {
  const offset = e.utc ? 0 : (e.offsetSec ?? localOffsetSec(e.timestamp));
  const d = new Date((e.timestamp.sec + offset) * 1000);
  const when = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${when} ${zoneName(e, offset)}: ${mirrorLogText(e)}`;
}

/** Anything that can RPUSH: a client or a pipeline / MULTI. */
export interface LogPusher<R> {
  rpush(key: string, value: string): R;
}

/** `RPUSH MIRRORLOGS_<id> <json>`. */
export function pushMirrorLog<R>(p: LogPusher<R>, e: MirrorLogEvent): R {
  return p.rpush(keys.mirrorLogs(e.mirrorId), encodeMirrorLog(e));
}

/** The last `max` events (≤ 0 means 500), oldest first, skipping unparsable entries. */
export async function readMirrorLogs(redis: Redis, id: number, max = 500): Promise<MirrorLogEvent[]> {
  const n = max <= 0 ? 500 : Math.trunc(max);
  const lines = await redis.lrange(keys.mirrorLogs(id), -n, -1);
  return lines.map(decodeMirrorLog).filter((e): e is MirrorLogEvent => e !== null);
}
