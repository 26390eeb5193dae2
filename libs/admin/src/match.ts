/** Mirrorbits' MatchMirror: case-insensitive substring of the name (no preference for an exact name). */
export function matchNames(names: Iterable<[number, string]>, pattern: string): { ID: number; Name: string }[] {
  const p = pattern.toLowerCase();
  const out: { ID: number; Name: string }[] = [];
  for (const [id, name] of names) if (name.toLowerCase().includes(p)) out.push({ ID: id, Name: name });
  return out.sort((a, b) => a.ID - b.ID);
}
