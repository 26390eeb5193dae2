/** What the admin routes share: the operations object and small request helpers. */
import type { Admin } from '@mirrorball/admin';
import { InputError } from '@mirrorball/admin';
import type { Context, Hono } from 'hono';

export type AdminEnv = { Variables: { admin: Admin } };
export type AdminRoutes = Hono<AdminEnv>;

/** The JSON body; malformed JSON is a 400 naming the problem, not a 500. */
export async function jsonBody(c: Context<AdminEnv>, optional = false): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') {
    if (optional) return {};
    throw new InputError('a JSON body is required');
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new InputError(`malformed JSON: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError('the request body must be a JSON object');
  return v as Record<string, unknown>;
}

export function boolField(o: Record<string, unknown>, key: string, dflt: boolean): boolean {
  const v = o[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new InputError(`${key} must be true or false`, key);
  return v;
}

export function numberField(o: Record<string, unknown>, key: string, dflt: number): number {
  const v = o[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InputError(`${key} must be a number ≥ 0`, key);
  return v;
}

/** Query flags: `true/false/1/0`, absent → default. */
export function queryBool(c: Context<AdminEnv>, key: string, dflt: boolean): boolean {
  const v = c.req.query(key);
  if (v === undefined || v === '') return dflt;
  if (/^(1|true)$/i.test(v)) return true;
  if (/^(0|false)$/i.test(v)) return false;
  throw new InputError(`${key} must be true or false`, key);
}

export function onlyKeys(o: Record<string, unknown>, allowed: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new InputError(`unknown field ${JSON.stringify(k)}`, k);
}
