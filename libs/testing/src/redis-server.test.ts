import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { RedisServer } from './index.ts';

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    s.once('data', (d) => { resolve(d.toString()); s.destroy(); });
    s.once('error', reject);
  });
}

describe('RedisServer harness', () => {
  it('starts a private server, survives a restart and stops', async () => {
    const srv = await RedisServer.start();
    try {
      expect(await ping(srv.port)).toBe('+PONG\r\n');
      await srv.kill();
      await expect(ping(srv.port)).rejects.toThrow();
      await srv.restart();
      expect(await ping(srv.port)).toBe('+PONG\r\n');
    } finally {
      await srv.stop();
    }
  });
});
