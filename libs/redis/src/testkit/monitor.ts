/** Test helper: record the commands a block of code sends to Redis, via MONITOR on a second connection. */
import { Redis } from 'ioredis';

export interface CommandRecorder {
  /** Commands seen so far (PING/SELECT/INFO/CLIENT/ECHO noise removed), e.g. ['HGET', 'MIRROR_1', 'httpUp']. */
  commands(): string[][];
  /** Wait until an ECHO marker arrives, so every earlier command has been seen; returns commands before it. */
  flush(sender: Redis): Promise<string[][]>;
  stop(): Promise<void>;
}

const NOISE = new Set(['PING', 'SELECT', 'INFO', 'CLIENT', 'ECHO', 'ROLE', 'HELLO', 'AUTH']);

export async function recordCommands(url: string): Promise<CommandRecorder> {
  const client = new Redis(url, { protocol: 2, lazyConnect: true });
  await client.connect();
  const monitor = await client.monitor();
  const seen: string[][] = [];
  const markers = new Map<string, () => void>();
  monitor.on('monitor', (_time: string, args: string[]) => {
    const cmd = args[0]?.toUpperCase() ?? '';
    if (cmd === 'ECHO' && markers.has(args[1]!)) {
      markers.get(args[1]!)!();
      return;
    }
    if (!NOISE.has(cmd)) seen.push([cmd, ...args.slice(1)]);
  });
  let n = 0;
  return {
    commands: () => seen.slice(),
    async flush(sender: Redis) {
      const marker = `marker-${++n}`;
      const arrived = new Promise<void>((r) => markers.set(marker, r));
      await sender.echo(marker);
      await arrived;
      return seen.splice(0, seen.length);
    },
    async stop() {
      monitor.disconnect();
      client.disconnect();
    },
  };
}

/** Parse a MONITOR capture line (`"HSET" "MIRROR_3" "lastSync" "1"`) into its arguments. */
export function parseMonitorLine(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
}
