/**
 * Test fixture: runs one scanMirror in its own process so a test can SIGKILL it mid-scan.
 * argv: <redis port> <mirror id> <lock ttl s>. Prints "started" once the scan is under way.
 */
import { Redis } from 'ioredis';
import { decodeMirror } from '@mirrorball/redis';
import { scanMirror } from './scan.ts';

const [port, idText, ttl] = process.argv.slice(2);
const redis = new Redis(Number(port), '127.0.0.1');
const id = Number(idText);
const mirror = decodeMirror(id, await redis.hgetall(`MIRROR_${id}`));
if (!mirror) throw new Error('no such mirror');
process.stdout.write('started\n');
await scanMirror(redis, mirror, { batchSize: 50, lock: { ttlSec: Number(ttl), refreshMs: 500 } });
process.stdout.write('done\n');
redis.disconnect();
