/** YAML → plain tree of strings/lists/maps (failsafe schema; typing is done per key by the schema). */
import { parseDocument } from 'yaml';
import { ConfigError } from './errors.ts';

export function parseYamlTree(text: string, source: string): unknown {
  const doc = parseDocument(text, { schema: 'failsafe', prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    // The library's message carries a code excerpt after the first line; keep one line.
    const reason = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${source}: YAML syntax error${where}: ${reason}`);
  }
  return doc.toJS();
}
