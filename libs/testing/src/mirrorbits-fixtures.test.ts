import { describe, expect, it } from 'vitest';
import { parseRedisDump } from './mirrorbits-fixtures.ts';

describe('parseRedisDump', () => {
  it('reads strings, hashes (tab-separated pairs), sets and escaped JSON list items', () => {
    const text = [
      '### LAST_MID  (type=string ttl=-1)',
      '    "3"',
      '### MIRROR_1  (type=hash ttl=-1)',
      '     1) "ID"\t 2) "1"',
      '     3) "comment"\t 4) "GB test mirror"',
      '### FILES  (type=set ttl=-1)',
      '     1) "/dir with space/file name+plus.txt"',
      '### MIRRORLOGS_1  (type=list ttl=-1)',
      '    1) "{\\"Type\\":2,\\"MirrorID\\":1}"',
    ].join('\n');
    expect(parseRedisDump(text)).toEqual([
      { key: 'LAST_MID', type: 'string', values: ['3'] },
      { key: 'MIRROR_1', type: 'hash', values: ['ID', '1', 'comment', 'GB test mirror'] },
      { key: 'FILES', type: 'set', values: ['/dir with space/file name+plus.txt'] },
      { key: 'MIRRORLOGS_1', type: 'list', values: ['{"Type":2,"MirrorID":1}'] },
    ]);
  });
});
