/**
 * The tree of known keys, read from the zod schema itself so it cannot drift: used to warn
 * about unknown keys (typos) and to derive the environment variable names.
 */
import type { z } from 'zod';
import { formatKeyPath } from './errors.ts';
import { closest } from './suggest.ts';

export type KeyNode = { kind: 'scalar' } | { kind: 'list'; item: KeyNode } | { kind: 'map'; children: Record<string, KeyNode> };

interface Def {
  type: string;
  in?: z.ZodType;
  out?: z.ZodType;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

export function keyTree(schema: z.ZodType): KeyNode {
  const def = defOf(schema);
  switch (def.type) {
    case 'pipe':
      // preprocess = pipe(transform, target); .transform() = pipe(target, transform).
      return defOf(def.out!).type === 'transform' ? keyTree(def.in!) : keyTree(def.out!);
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'optional':
      return keyTree(def.innerType!);
    case 'object': {
      const children: Record<string, KeyNode> = {};
      for (const [k, v] of Object.entries(def.shape!)) children[k] = keyTree(v);
      return { kind: 'map', children };
    }
    case 'array':
      return { kind: 'list', item: keyTree(def.element!) };
    default:
      return { kind: 'scalar' };
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Paths of keys present in `raw` that the tree does not know (case-sensitive, like yaml.v3). */
export function unknownKeys(tree: KeyNode, raw: unknown, path: (string | number)[] = []): string[] {
  const out: string[] = [];
  if (tree.kind === 'map' && isMap(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      const child = tree.children[k];
      if (child) out.push(...unknownKeys(child, v, [...path, k]));
      else {
        const hint = closest(k, Object.keys(tree.children));
        out.push(formatKeyPath([...path, k]) + (hint ? ` (did you mean ${hint}?)` : ''));
      }
    }
  } else if (tree.kind === 'list' && Array.isArray(raw)) {
    raw.forEach((v, i) => out.push(...unknownKeys(tree.item, v, [...path, i])));
  }
  return out;
}

/** RedisAddress → REDIS_ADDRESS, AllowHTTPToHTTPSRedirects → ALLOW_HTTP_TO_HTTPS_REDIRECTS, SHA256 → SHA256. */
export function upperSnake(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

export interface EnvKey {
  name: string;
  path: string[];
  node: KeyNode;
}

/** Every settable key (maps recursed with `__`; lists set whole). */
export function envKeys(tree: KeyNode, prefix = 'MIRRORBALL_', path: string[] = []): EnvKey[] {
  if (tree.kind !== 'map') return [];
  const out: EnvKey[] = [];
  for (const [k, node] of Object.entries(tree.children)) {
    const p = [...path, k];
    const name = prefix + p.map(upperSnake).join('__');
    out.push({ name, path: p, node });
    out.push(...envKeys(node, prefix, p));
  }
  return out;
}
