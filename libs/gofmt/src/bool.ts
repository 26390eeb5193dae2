const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/**
 * Go's strconv.ParseBool as Mirrorbits' Redis reader uses it: `1 t T TRUE true True` are true,
 * everything else (including the false spellings, empty and garbage) is false.
 */
export function parseGoBool(v: string | null | undefined): boolean {
  return v != null && TRUE.has(v);
}

/** Mirrorbits writes booleans as `1` / `0`. */
export function formatRedisBool(b: boolean): '1' | '0' {
  return b ? '1' : '0';
}
