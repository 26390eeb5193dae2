import { readFile } from 'node:fs/promises';
import { EMPTY_GEO, type GeoRecord } from '@mirrorball/model';
import { maxmindAsn, maxmindCity, type AsnFields, type CityFields, type GeoDatabase } from './databases.ts';
import { ASN_ATTRIBUTION, DBIP_ATTRIBUTION, loadEmbedded } from './embedded.ts';
import { ASN_FILES, CITY_FILES, filesSignature, resolveDbFile } from './files.ts';
import { dottedQuad, parseIp } from './ip.ts';
import { IpCache } from './ip-cache.ts';

export const DEFAULT_GEOIP_PATH = '/usr/share/GeoIP/';
export const DEFAULT_CACHE_SIZE = 10_000;

export interface GeoIPOptions {
  /** `GeoipDatabasePath`; a trailing `/` is optional. */
  path?: string;
  /** Use the embedded DB-IP data when the directory holds neither City nor ASN file (default true). */
  embedded?: boolean;
  /** IPv4 entries in the IP → record cache (default 10 000, rounded up to a power of two; 0 disables it). */
  cacheSize?: number;
  /** Told about loads, swaps and failures (one line each). */
  onEvent?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export type GeoSource = 'maxmind' | 'embedded' | 'none';

export interface GeoInfo {
  source: GeoSource;
  /** Unix seconds, null when the database is not loaded. */
  cityBuildEpoch: number | null;
  asnBuildEpoch: number | null;
  cityFile: string | null;
  asnFile: string | null;
  /** Exactly one of the two databases is loaded. */
  degraded: boolean;
  /** Problems met by the last open/reload (a failed file keeps the previous database). */
  errors: string[];
  /** Text to show on HTML pages when the data requires it (DB-IP, CC BY 4.0). */
  attribution?: string;
  asnAttribution?: string;
}

export interface CacheStats {
  size: number;
  capacity: number;
  hits: number;
  misses: number;
}

export interface ReloadResult {
  /** A database was swapped (and the cache cleared). */
  changed: boolean;
  errors: string[];
}

/**
 * Client and host geolocation (contract §2.4): GeoLite2/GeoIP2 City + GeoLite2 ASN from
 * `GeoipDatabasePath`, or the embedded DB-IP default when that directory holds neither.
 */
export class GeoIP {
  #city: GeoDatabase<CityFields> | null = null;
  #asn: GeoDatabase<AsnFields> | null = null;
  #source: GeoSource = 'none';
  #errors: string[] = [];
  readonly #path: string;
  readonly #embedded: boolean;
  readonly #cache: IpCache<GeoRecord>;
  readonly #onEvent: NonNullable<GeoIPOptions['onEvent']>;
  #reloading: Promise<ReloadResult> = Promise.resolve({ changed: false, errors: [] });
  #watchTimer: NodeJS.Timeout | undefined;

  private constructor(options: GeoIPOptions) {
    this.#path = options.path ?? DEFAULT_GEOIP_PATH;
    this.#embedded = options.embedded ?? true;
    this.#cache = new IpCache(options.cacheSize ?? DEFAULT_CACHE_SIZE);
    this.#onEvent = options.onEvent ?? (() => {});
  }

  /** Loads the databases. Never throws for missing or broken files: see info().errors. */
  static async open(options: GeoIPOptions = {}): Promise<GeoIP> {
    const geo = new GeoIP(options);
    await geo.reload();
    return geo;
  }

  /** An instance with no database: every client is un-geolocated. */
  static empty(): GeoIP {
    return new GeoIP({ embedded: false, cacheSize: 0 });
  }

  /** Never throws; EMPTY_GEO for anything that is not a plain IPv4/IPv6 address. */
  lookup(ip: string): GeoRecord {
    if (typeof ip !== 'string') return EMPTY_GEO;
    const v4 = dottedQuad(ip);
    const cached = v4 !== -1 ? this.#cache.getV4(v4) : this.#cache.get(ip);
    if (cached !== undefined) return cached;
    const parsed = parseIp(ip);
    if (parsed === null) return EMPTY_GEO;
    const record = this.#compute(parsed);
    if (v4 !== -1) this.#cache.setV4(v4, record);
    else this.#cache.set(ip, record);
    return record;
  }

  #compute(ip: NonNullable<ReturnType<typeof parseIp>>): GeoRecord {
    const cityDb = this.#city;
    const asnDb = this.#asn;
    let city: CityFields | null = null;
    let asn: AsnFields | null = null;
    try {
      // Both lookups read `ip` before anything else can reuse the parse buffer.
      city = cityDb?.lookup(ip) ?? null;
      asn = asnDb?.lookup(ip) ?? null;
    } catch {
      // Contract: a lookup error in either database yields an entirely empty record.
      return EMPTY_GEO;
    }
    if (city === null && asn === null) return EMPTY_GEO;
    return Object.freeze({
      countryCode: city?.countryCode ?? '',
      continentCode: city?.continentCode ?? '',
      city: city?.city ?? '',
      country: city?.country ?? '',
      latitude: city?.latitude ?? 0,
      longitude: city?.longitude ?? 0,
      asName: asn?.asName ?? '',
      asNum: asn?.asNum ?? 0,
    });
  }

  info(): GeoInfo {
    const info: GeoInfo = {
      source: this.#source,
      cityBuildEpoch: this.#city?.buildEpoch ?? null,
      asnBuildEpoch: this.#asn?.buildEpoch ?? null,
      cityFile: this.#city?.file ?? null,
      asnFile: this.#asn?.file ?? null,
      degraded: (this.#city === null) !== (this.#asn === null),
      errors: [...this.#errors],
    };
    if (this.#source === 'embedded') {
      info.attribution = DBIP_ATTRIBUTION;
      info.asnAttribution = ASN_ATTRIBUTION;
    }
    return info;
  }

  /** Bytes held by the loaded databases (file buffers and tables). */
  memoryBytes(): number {
    return (this.#city?.bytes ?? 0) + (this.#asn?.bytes ?? 0);
  }

  cacheStats(): CacheStats {
    return { size: this.#cache.size, capacity: this.#cache.capacity, hits: this.#cache.hits, misses: this.#cache.misses };
  }

  /**
   * Re-opens the files. A database is swapped only if its build epoch changed (Mirrorbits);
   * a file that fails to open keeps the previous database. Calls are serialised.
   */
  reload(): Promise<ReloadResult> {
    this.#reloading = this.#reloading.then(() => this.#reload(), () => this.#reload());
    return this.#reloading;
  }

  async #reload(): Promise<ReloadResult> {
    const errors: string[] = [];
    let changed = false;
    const [cityFile, asnFile] = await Promise.all([
      resolveDbFile(this.#path, CITY_FILES),
      resolveDbFile(this.#path, ASN_FILES),
    ]);

    if (cityFile === undefined && asnFile === undefined) {
      if (this.#source === 'maxmind') {
        errors.push(`no GeoIP database in ${this.#path} any more; keeping the loaded ones`);
      } else if (this.#source === 'none' && this.#embedded) {
        try {
          const db = await loadEmbedded();
          this.#city = db.city;
          this.#asn = db.asn;
          this.#source = 'embedded';
          changed = true;
          this.#onEvent('info', `no GeoIP database in ${this.#path}: using the embedded DB-IP Lite data`);
        } catch (err) {
          errors.push(`embedded GeoIP data: ${(err as Error).message}`);
        }
      } else if (this.#source === 'none') {
        errors.push(`no GeoIP database in ${this.#path}`);
      }
    } else {
      // Leaving the embedded data: its other half must not linger next to a MaxMind file.
      const fromEmbedded = this.#source !== 'maxmind';
      const city = await this.#openOne(cityFile, maxmindCity, fromEmbedded ? null : this.#city, 'City', errors);
      const asn = await this.#openOne(asnFile, maxmindAsn, fromEmbedded ? null : this.#asn, 'ASN', errors);
      if (fromEmbedded && city === null && asn === null) {
        // Nothing usable in the directory: keep what we have (embedded data or nothing).
      } else {
        if (city !== this.#city || asn !== this.#asn) changed = true;
        this.#city = city;
        this.#asn = asn;
        this.#source = 'maxmind';
      }
    }

    if (changed) this.#cache.clear();
    this.#errors = errors;
    for (const e of errors) this.#onEvent('error', e);
    if (this.#source !== 'none' && (this.#city === null || this.#asn === null)) {
      this.#onEvent('warn', `GeoIP running degraded: ${this.#city ? 'ASN' : 'City'} database not loaded`);
    }
    return { changed, errors };
  }

  async #openOne<T>(
    file: string | undefined,
    open: (buffer: Buffer, file: string) => GeoDatabase<T>,
    current: GeoDatabase<T> | null,
    kind: string,
    errors: string[],
  ): Promise<GeoDatabase<T> | null> {
    if (file === undefined) {
      if (current === null) errors.push(`${kind} database not found in ${this.#path}`);
      return current;
    }
    try {
      const db = open(await readFile(file), file);
      if (current !== null && current.buildEpoch === db.buildEpoch) return current;
      this.#onEvent('info', `loading ${file} (built ${new Date(db.buildEpoch * 1000).toISOString()})`);
      return db;
    } catch (err) {
      errors.push(`${kind} database: ${(err as Error).message}`);
      return current;
    }
  }

  /**
   * Polls the candidate files' mtimes every `intervalSeconds` and reloads on a change.
   * Returns a function that stops polling (close() does too).
   */
  watch(intervalSeconds: number): () => void {
    this.unwatch();
    let last: string | undefined;
    let busy = false;
    const tick = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        const sig = await filesSignature(this.#path);
        if (last !== undefined && sig !== last) await this.reload();
        last = sig;
      } catch (err) {
        this.#onEvent('error', `GeoIP watch: ${(err as Error).message}`);
      } finally {
        busy = false;
      }
    };
    void tick();
    this.#watchTimer = setInterval(() => void tick(), Math.max(0.01, intervalSeconds) * 1000);
    this.#watchTimer.unref();
    return () => this.unwatch();
  }

  unwatch(): void {
    if (this.#watchTimer !== undefined) clearInterval(this.#watchTimer);
    this.#watchTimer = undefined;
  }

  close(): void {
    this.unwatch();
    this.#cache.clear();
  }
}
