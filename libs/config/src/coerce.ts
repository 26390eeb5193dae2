/**
 * Scalar schemas that read YAML text. The file is parsed with YAML's failsafe schema (every
 * scalar a string), so each key decides how its text is read, as yaml.v3 does when decoding
 * into a typed Go field: `RedisPassword: 1234` stays the string "1234", `Gzip: On` is true.
 */
import { z } from 'zod';

// yaml.v3 accepts exactly these spellings when decoding into a bool.
const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);

/** Empty values mean "use the default" (an empty `Key:` line is the common case). */
export const isNullish = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && NULLS.has(v));

export function show(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'a map';
  return JSON.stringify(v) ?? String(v);
}

const got = (input: unknown) => (input === undefined ? '' : ` (got ${show(input)})`);

export function parseBoolText(v: string): boolean | undefined {
  return TRUE.has(v) ? true : FALSE.has(v) ? false : undefined;
}

const INT_RE = /^[-+]?(?:0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*)$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/;

export function parseIntText(v: string): number | undefined {
  if (!INT_RE.test(v)) return undefined;
  const neg = v.startsWith('-');
  const body = v.replace(/^[-+]/, '').replace(/_/g, '');
  const n = body.startsWith('0x') || body.startsWith('0o') || body.startsWith('0b') ? Number(body) : Number.parseInt(body, 10);
  if (!Number.isSafeInteger(n)) return undefined;
  return neg ? -n : n;
}

export function parseFloatText(v: string): number | undefined {
  if (!FLOAT_RE.test(v)) return undefined;
  const n = Number(v.replace(/_/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

const pre = (read: (s: string) => unknown) => (v: unknown) => {
  if (isNullish(v)) return undefined;
  if (typeof v === 'string') {
    const r = read(v);
    return r === undefined ? v : r;
  }
  return v;
};

export const bool = (def: boolean) =>
  z.preprocess(
    pre(parseBoolText),
    z.boolean({ error: (i) => `must be a boolean (true/false, yes/no, on/off)${got(i.input)}` }).default(def),
  );

/** Tri-state: empty = null (auto). */
export const optionalBool = () =>
  z.preprocess(
    pre(parseBoolText),
    z.boolean({ error: (i) => `must be a boolean (true/false, yes/no, on/off) or empty for auto${got(i.input)}` }).nullable().default(null),
  );

export interface IntOpts {
  min?: number;
  max?: number;
  /** Values below min are raised to min instead of rejected (Mirrorbits quirks we smooth). */
  clampMin?: boolean;
}

export const int = (def: number, o: IntOpts = {}) => {
  let s = z.number({ error: (i) => `must be an integer${got(i.input)}` }).int({ error: (i) => `must be an integer${got(i.input)}` });
  if (o.min !== undefined && !o.clampMin) s = s.min(o.min, { error: (i) => `must be ≥ ${o.min}${got(i.input)}` });
  if (o.max !== undefined) s = s.max(o.max, { error: (i) => `must be ≤ ${o.max}${got(i.input)}` });
  const clamped = o.clampMin && o.min !== undefined ? s.transform((n) => Math.max(o.min!, n)) : s;
  return z.preprocess(pre(parseIntText), clamped.default(def));
};

/** A number > 0 (or ≥ min). */
export const positiveNumber = (def: number, opts: { float32?: boolean } = {}) =>
  z.preprocess(
    pre(parseFloatText),
    z
      .number({ error: (i) => `must be a number${got(i.input)}` })
      .refine((n) => Number.isFinite(n), { error: (i) => `must be a finite number${got(i.input)}` })
      .refine((n) => n > 0, { error: (i) => `must be > 0${got(i.input)}` })
      .transform((n) => (opts.float32 ? Math.fround(n) : n))
      .default(def),
  );

export const str = (def = '') =>
  z.preprocess((v) => (isNullish(v) ? undefined : v), z.string({ error: (i) => `must be a string${got(i.input)}` }).default(def));

/** A string that must be present and non-empty (inside list items). */
export const requiredStr = () =>
  z.preprocess(
    (v) => (isNullish(v) ? undefined : v),
    z.string({ error: (i) => (i.input === undefined ? 'required' : `must be a string${got(i.input)}`) }),
  );

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, def: T[number]) =>
  z.preprocess(
    (v) => (isNullish(v) ? undefined : v),
    z.enum(values, { error: (i) => `must be one of ${values.join(', ')}${got(i.input)}` }).default(def as never),
  );

/** A list; empty value = default (usually none). */
export const list = <T extends z.ZodType>(item: T, def: z.output<T>[] = []) =>
  z.preprocess(
    (v) => (isNullish(v) ? undefined : v),
    // A fresh copy each time: callers may mutate their Config without touching the defaults.
    z.array(item, { error: (i) => `must be a list${got(i.input)}` }).default((() => structuredClone(def)) as never),
  );

/** A nested map: missing/empty = every inner default. */
export const map = <S extends z.ZodRawShape>(shape: S) =>
  z.preprocess(
    (v) => (isNullish(v) ? undefined : v),
    z.object(shape, { error: (i) => `must be a map${got(i.input)}` }).prefault({} as never),
  );

/** A map that is a list item: must be a map, not empty. */
export const item = <S extends z.ZodRawShape>(shape: S) =>
  z.object(shape, { error: (i) => `must be a map${got(i.input)}` });
