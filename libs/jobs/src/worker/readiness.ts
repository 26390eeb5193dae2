/**
 * The worker's `/readyz`: Redis answers, and the database is at the schema version this worker
 * writes. The version is re-read at most every `recheckMs` (one GET), so a database replaced or
 * upgraded by a newer Mirrorbits/Mirrorball after start is reported, without a Redis round trip
 * per probe beyond the PING.
 */
import type { Logger } from '@mirrorball/logger';
import { DB_VERSION, readSchemaVersion, SchemaVersionError } from '@mirrorball/redis';
import type { Redis } from 'ioredis';

export interface ReadinessOptions {
  /** Default 30 s. */
  recheckMs?: number;
  log?: Pick<Logger, 'warn' | 'info'>;
  now?: () => number;
}

/** Why the schema is not usable, or null when it is. Throws on Redis errors. */
export async function schemaProblem(redis: Redis): Promise<string | null> {
  let version: number;
  try {
    version = await readSchemaVersion(redis);
  } catch (e) {
    if (e instanceof SchemaVersionError) return e.message;
    throw e;
  }
  if (version > DB_VERSION) return `unsupported database version ${version}, please upgrade Mirrorball`;
  if (version < DB_VERSION) return `database at schema version ${version}, expected ${DB_VERSION}: restart a worker to upgrade it`;
  return null;
}

export class WorkerReadiness {
  private schema: { at: number; problem: string | null } | null = null;
  private inflight: Promise<void> | null = null;
  private readonly recheckMs: number;
  private readonly now: () => number;

  constructor(private readonly redis: Redis, private readonly o: ReadinessOptions = {}) {
    this.recheckMs = o.recheckMs ?? 30_000;
    this.now = o.now ?? Date.now;
  }

  /** The startup check (ensureSchema) passed. */
  schemaChecked(): void {
    this.schema = { at: this.now(), problem: null };
  }

  async check(): Promise<true | string> {
    if (!this.schema) return 'database schema not checked yet';
    try {
      if ((await this.redis.ping()) !== 'PONG') return 'redis not answering';
      if (this.now() - this.schema.at >= this.recheckMs) await (this.inflight ??= this.recheck().finally(() => (this.inflight = null)));
    } catch (e) {
      // The schema stays due for a re-check: the next probe retries it.
      return `redis not answering: ${(e as Error).message}`;
    }
    return this.schema.problem ?? true;
  }

  private async recheck(): Promise<void> {
    const problem = await schemaProblem(this.redis);
    const before = this.schema?.problem ?? null;
    this.schema = { at: this.now(), problem };
    if (problem !== before) {
      if (problem) this.o.log?.warn(`worker not ready: ${problem}`);
      else this.o.log?.info('worker ready: database schema is usable again');
    }
  }
}
