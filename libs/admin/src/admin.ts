/**
 * Every Mirrorbits administration operation as a plain method over Redis (+ GeoIP + jobs),
 * shared by the HTTP admin API and the gRPC `CLI` service. Writes go through libs/redis, which
 * issues the contract §4.4 sequences (one MULTI/EXEC, PUBLISH, mirror log).
 */
import { countryName, HostLookupError, locateHost } from '@mirrorball/geo';
import { emptyMirror, isValidGeo, splitCodes, type GeoRecord, type Mirror } from '@mirrorball/model';
import {
  addMirror, getMirror, normalizeMirror, listMirrors, mirrorNames, MirrorNotFoundError, NameTakenError, readMirrorLogs, removeMirror,
  renderMirrorLog, setMirrorEnabled, updateMirror,
} from '@mirrorball/redis';
import type { Redis } from 'ioredis';
import { AdminError, ConflictError, InputError, NotFoundError, UnavailableError } from './errors.ts';
import { checkMirror, httpHost, type MirrorPatch } from './input.ts';
import type { AdminJobs, ScanOutcome, ScanProtocol } from './jobs.ts';
import { matchNames } from './match.ts';
import { statsFiles, statsMirror, statsPeriod } from './stats.ts';
import type { VersionInfo } from './version.ts';
import { lineDiff, mirrorToYaml } from './yaml.ts';

export interface AdminDeps {
  redis: Redis;
  geo: { lookup(ip: string): GeoRecord };
  version: VersionInfo;
  /** Host name resolver for add/geoupdate (default: the system resolver). */
  resolve?: (host: string) => Promise<string[]>;
  /** Scan and refresh jobs; without them those operations answer 503. */
  jobs?: AdminJobs;
  /** Reload configuration and GeoIP (the api wires SIGHUP's handler here). */
  reload?: () => void | Promise<void>;
  now?: () => Date;
}

export interface AddResult {
  mirror: Mirror;
  location: { Latitude: number; Longitude: number; Country: string; Continent: string; ASN: string };
  warnings: string[];
}


export class Admin {
  constructor(readonly deps: AdminDeps) {}

  private get redis(): Redis {
    return this.deps.redis;
  }

  async list(): Promise<Mirror[]> {
    return listMirrors(this.redis);
  }

  async get(id: number): Promise<Mirror> {
    if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError(`no mirror with id ${id}`);
    const m = await getMirror(this.redis, id);
    if (!m) throw new NotFoundError(`no mirror with id ${id}`);
    return m;
  }

  /** A mirror by numeric id or exact name. */
  async resolve(ref: string): Promise<Mirror> {
    if (/^\d+$/.test(ref)) return this.get(Number(ref));
    for (const [id, name] of await mirrorNames(this.redis)) if (name === ref) return this.get(id);
    throw new NotFoundError(`no mirror named ${JSON.stringify(ref)}`);
  }

  async match(pattern: string): Promise<{ ID: number; Name: string }[]> {
    return matchNames(await mirrorNames(this.redis), pattern);
  }

  private async locate(m: Mirror): Promise<{ record: GeoRecord; warnings: string[] }> {
    const host = httpHost(m.httpURL.trim());
    try {
      const loc = await locateHost(host, this.deps.geo, { resolve: this.deps.resolve });
      return { record: loc.record, warnings: loc.warnings };
    } catch (err) {
      if (err instanceof HostLookupError) throw new InputError(`HttpURL: ${err.message}`, 'HttpURL');
      throw err;
    }
  }

  /** Add a mirror (created disabled), located by DNS + GeoIP of its HTTP host. */
  async add(patch: MirrorPatch): Promise<AddResult> {
    if (patch.name === undefined) throw new InputError('Name is required', 'Name');
    if (patch.httpURL === undefined) throw new InputError('HttpURL is required', 'HttpURL');
    const draft: Mirror = { ...emptyMirror(0), ...patch, enabled: false };
    checkMirror(draft);
    const { record, warnings } = await this.locate(draft);
    if (isValidGeo(record)) {
      Object.assign(draft, {
        latitude: record.latitude, longitude: record.longitude, continentCode: record.continentCode,
        countryCodes: record.countryCode, asnum: record.asNum,
      });
    }
    // Explicit location fields given by the caller win over GeoIP.
    for (const k of ['latitude', 'longitude', 'continentCode', 'countryCodes', 'asnum'] as const) {
      if (patch[k] !== undefined) (draft as unknown as Record<string, unknown>)[k] = patch[k];
    }
    const id = await this.write(() => addMirror(this.redis, draft));
    return {
      mirror: await this.get(id as number),
      location: {
        Latitude: record.latitude, Longitude: record.longitude,
        Country: isValidGeo(record) ? record.country || countryName(record.countryCode) || record.countryCode : '',
        Continent: record.continentCode,
        ASN: record.asNum ? `${record.asName} (${record.asNum})` : '',
      },
      warnings,
    };
  }

  /** Apply a patch (renaming allowed); returns the saved record and the YAML line diff. */
  async update(id: number, patch: MirrorPatch): Promise<{ mirror: Mirror; diff: string }> {
    const before = await this.get(id);
    const draft: Mirror = { ...before, ...patch };
    checkMirror(draft);
    const after = normalizeMirror(draft);
    const diff = lineDiff(mirrorToYaml(before), mirrorToYaml(after));
    const commentChanged = before.comment !== after.comment;
    if (diff !== '' || commentChanged) await this.write(() => updateMirror(this.redis, after));
    return { mirror: await this.get(id), diff };
  }

  async remove(id: number): Promise<void> {
    await this.get(id);
    await this.write(() => removeMirror(this.redis, id));
  }

  async setEnabled(id: number, enabled: boolean): Promise<Mirror> {
    await this.get(id);
    await this.write(() => setMirrorEnabled(this.redis, id, enabled));
    return this.get(id);
  }

  /**
   * Re-geolocate (lat/long, ASN, continent; the country only when GeoIP's is not already in the
   * list). Saves only with `save`; returns the proposed record and the diff either way.
   */
  async geoUpdate(id: number, save: boolean): Promise<{ mirror: Mirror; diff: string; warnings: string[] }> {
    const before = await this.get(id);
    const { record, warnings } = await this.locate(before);
    if (!isValidGeo(record)) return { mirror: before, diff: '', warnings };
    const after: Mirror = {
      ...before, latitude: record.latitude, longitude: record.longitude, continentCode: record.continentCode, asnum: record.asNum,
    };
    if (!splitCodes(before.countryCodes).includes(record.countryCode)) after.countryCodes = record.countryCode;
    const diff = lineDiff(mirrorToYaml(before), mirrorToYaml(after));
    if (save && diff !== '') await this.write(() => updateMirror(this.redis, after));
    return { mirror: save ? await this.get(id) : after, diff, warnings };
  }

  /** Scan one mirror through the worker's queue and wait for the result. */
  async scan(id: number, opts: { protocol: ScanProtocol; autoEnable: boolean; timeoutSec: number }): Promise<ScanOutcome> {
    const before = await this.get(id);
    if (!this.deps.jobs) throw new UnavailableError('scans are not available: no job queue configured');
    if (!Number.isFinite(opts.timeoutSec) || opts.timeoutSec < 0) throw new InputError('timeout must be a number of seconds ≥ 0', 'timeout');
    const out = await this.deps.jobs.scan({ id, ...opts });
    // `Enabled` means "this scan enabled it" (the CLI prints `∟ Enabled`), not the current state.
    return { ...out, enabled: out.enabled && opts.autoEnable && !before.enabled };
  }

  async refresh(rehash: boolean, timeoutSec = 0): Promise<void> {
    if (!this.deps.jobs) throw new UnavailableError('refresh is not available: no job queue configured');
    await this.deps.jobs.refresh({ rehash, timeoutSec });
  }

  async statsFile(pattern: string, start?: string | Date, end?: string | Date): Promise<Record<string, number>> {
    const p = statsPeriod(start, end, this.now());
    return statsFiles(this.redis, pattern, p.start, p.end);
  }

  async statsMirror(id: number, start?: string | Date, end?: string | Date): Promise<{ mirror: Mirror; requests: number; bytes: number }> {
    const mirror = await this.get(id);
    const p = statsPeriod(start, end, this.now());
    return { mirror, ...(await statsMirror(this.redis, id, p.start, p.end)) };
  }

  /** The last `max` log lines, rendered as `mirrorbits logs` prints them. */
  async logs(id: number, max = 500): Promise<string[]> {
    await this.get(id);
    return (await readMirrorLogs(this.redis, id, max)).map(renderMirrorLog);
  }

  /** mirmon's mirror list: `<country>\t<url>\t<admin email>` per URL. */
  async exportMirmon(o: { http: boolean; rsync: boolean; ftp: boolean; disabled: boolean }): Promise<string> {
    let out = '';
    for (const m of await this.list()) {
      if (!m.enabled && !o.disabled) continue;
      const cc = splitCodes(m.countryCodes)[0] ?? '';
      const urls: string[] = [];
      if (o.http && m.httpURL) {
        if (/^https?:\/\//.test(m.httpURL)) urls.push(m.httpURL);
        else urls.push('http://' + m.httpURL, 'https://' + m.httpURL);
      }
      if (o.rsync && m.rsyncURL) urls.push(m.rsyncURL);
      if (o.ftp && m.ftpURL) urls.push(m.ftpURL);
      for (const u of urls) out += `${cc}\t${u}\t${m.adminEmail}\n`;
    }
    return out;
  }

  version(): VersionInfo {
    return this.deps.version;
  }

  async reload(): Promise<void> {
    if (!this.deps.reload) throw new UnavailableError('reload is not available in this process');
    await this.deps.reload();
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Map libs/redis errors to admin errors. */
  private async write<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      if (err instanceof AdminError) throw err;
      if (err instanceof NameTakenError) throw new ConflictError('name already taken', 'Name');
      if (err instanceof MirrorNotFoundError) throw new NotFoundError(err.message);
      if ((err as Error)?.name === 'MirrorValidationError') throw new InputError((err as Error).message);
      throw err;
    }
  }
}
