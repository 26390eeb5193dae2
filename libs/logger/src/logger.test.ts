import { describe, expect, it } from 'vitest';
import { createLogger, parseLevel } from './index.ts';

function capture() {
  const lines: string[] = [];
  return { lines, stream: { write: (s: string) => lines.push(s) } };
}
const fixed = () => new Date(2024, 0, 2, 3, 4, 5, 67);

describe('logger', () => {
  it('writes Go-log-like text lines with key=value fields', () => {
    const { lines, stream } = capture();
    const log = createLogger('scanner', { stream, now: fixed, level: 'info', format: 'text' });
    log.info('scan done', { mirror: 'ftp.example', files: 12, note: 'two words', err: new Error('boom') });
    expect(lines).toEqual([
      '2024/01/02 03:04:05.067 INFO [scanner] scan done mirror=ftp.example files=12 note="two words" err=boom\n',
    ]);
  });

  it('filters below the level and keeps messages on one line', () => {
    const { lines, stream } = capture();
    const log = createLogger('api', { stream, now: fixed, level: 'warn', format: 'text' });
    log.debug('hidden');
    log.info('hidden');
    log.warn('multi\nline');
    log.error('bad');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('2024/01/02 03:04:05.067 WARN [api] multi\\nline\n');
    expect(lines[1]).toContain(' ERROR [api] bad');
    expect(log.enabled('debug')).toBe(false);
    expect(log.enabled('error')).toBe(true);
  });

  it('writes JSON lines whose reserved keys cannot be overridden', () => {
    const { lines, stream } = capture();
    const log = createLogger('worker', { stream, now: fixed, level: 'debug', format: 'json' });
    log.debug('job', { level: 'error', id: 3 });
    const obj = JSON.parse(lines[0]!);
    expect(obj).toMatchObject({ level: 'debug', component: 'worker', msg: 'job', id: 3 });
    expect(obj.time).toBe(fixed().toISOString());
  });

  it('reads level and format from the environment', () => {
    const saved = { l: process.env.MIRRORBALL_LOG_LEVEL, f: process.env.LOG_FORMAT };
    try {
      process.env.MIRRORBALL_LOG_LEVEL = 'ERROR';
      process.env.LOG_FORMAT = 'json';
      const { lines, stream } = capture();
      const log = createLogger('x', { stream });
      log.warn('no');
      log.error('yes');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!).msg).toBe('yes');
    } finally {
      for (const [k, v] of [['MIRRORBALL_LOG_LEVEL', saved.l], ['LOG_FORMAT', saved.f]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('parses levels leniently', () => {
    expect(parseLevel('warning')).toBe('warn');
    expect(parseLevel('nonsense')).toBe('info');
    expect(parseLevel(undefined)).toBe('info');
  });
});
