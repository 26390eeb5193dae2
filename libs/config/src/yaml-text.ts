/** YAML → plain tree of strings/lists/maps (failsafe schema; typing is done per key by the schema). */
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from './errors.ts';

export function parseYamlTree(text: string, source?: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: 'failsafe', prettyErrors: false, uniqueKeys: true, lineCounter });
  const err = doc.errors[0];
  if (err) {
    const pos = lineCounter.linePos(err.pos[0]);
    // Keep one line: the library may append a code excerpt.
    const reason = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${source ? source + ': ' : ''}YAML syntax error at line ${pos.line}, column ${pos.col}: ${reason}`);
  }
  return doc.toJS();
}
