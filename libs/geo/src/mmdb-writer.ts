import { isIP } from 'node:net';
import { parseV6Into } from './ip.ts';
import { encodeValue } from './mmdb-encode.ts';
import { mmdb, type MmdbValue } from './mmdb-types.ts';

export interface MmdbEntry {
  /** CIDR, IPv4 or IPv6 (`81.2.69.0/24`, `2001:db8::/32`); host bits are ignored. */
  network: string;
  data: { [key: string]: MmdbValue };
}

export interface MmdbWriteOptions {
  databaseType: string;
  /** 6 (default) also answers IPv4 under `::/96` and `::ffff:0:0/96`. */
  ipVersion?: 4 | 6;
  recordSize?: 24 | 28 | 32;
  languages?: string[];
  description?: Record<string, string>;
  /** Unix seconds (default: now). */
  buildEpoch?: number;
  entries: MmdbEntry[];
}

const METADATA_MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'); // "\xAB\xCD\xEFMaxMind.com"
const SEPARATOR = 16; // zero bytes between the search tree and the data section

interface DataLeaf {
  offset: number;
}

type Child = TreeNode | DataLeaf | null;

class TreeNode {
  children: [Child, Child];
  constructor(left: Child = null, right: Child = null) {
    this.children = [left, right];
  }
}

/** Network bits (big-endian bytes) and prefix length inside the tree of `ipVersion`. */
function parseNetwork(network: string, ipVersion: 4 | 6): { bytes: Uint8Array; prefix: number } {
  const slash = network.indexOf('/');
  const addr = slash === -1 ? network : network.slice(0, slash);
  const family = isIP(addr);
  const bits = family === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(bits) : network.slice(slash + 1);
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (family === 0 || addr.includes('%') || !(prefix >= 0 && prefix <= bits)) {
    throw new Error(`MMDB writer: bad network '${network}'`);
  }
  if (family === 4) {
    const v4 = addr.split('.').map(Number);
    if (ipVersion === 4) return { bytes: Uint8Array.from(v4), prefix };
    const bytes = new Uint8Array(16);
    bytes.set(v4, 12);
    return { bytes, prefix: 96 + prefix };
  }
  if (ipVersion === 4) throw new Error(`MMDB writer: IPv6 network '${network}' in an IPv4 database`);
  const words = new Uint32Array(4);
  parseV6Into(addr, words);
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff && prefix >= 96) {
    // That subtree is an alias of ::/96: write IPv4 networks in dotted form instead.
    throw new Error(`MMDB writer: '${network}' is IPv4-mapped; use the IPv4 form`);
  }
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 4; i++) {
    bytes[i * 4] = words[i]! >>> 24;
    bytes[i * 4 + 1] = (words[i]! >>> 16) & 255;
    bytes[i * 4 + 2] = (words[i]! >>> 8) & 255;
    bytes[i * 4 + 3] = words[i]! & 255;
  }
  return { bytes, prefix };
}

function bitAt(bytes: Uint8Array, i: number): 0 | 1 {
  return ((bytes[i >> 3]! >> (7 - (i & 7))) & 1) as 0 | 1;
}

/** Sets `leaf` for the first `prefix` bits of `bytes`, splitting less specific leaves on the way. */
function insert(root: TreeNode, bytes: Uint8Array, prefix: number, leaf: DataLeaf): void {
  if (prefix === 0) {
    root.children = [leaf, leaf];
    return;
  }
  let node = root;
  for (let i = 0; i < prefix - 1; i++) {
    const b = bitAt(bytes, i);
    const child = node.children[b];
    if (child instanceof TreeNode) {
      node = child;
    } else {
      const split = new TreeNode(child, child);
      node.children[b] = split;
      node = split;
    }
  }
  node.children[bitAt(bytes, prefix - 1)] = leaf;
}

/** Points `::ffff:0:0/96` at whatever `::/96` holds, as MaxMind's own databases do. */
function aliasMappedIpv4(root: TreeNode): void {
  let node: Child = root;
  for (let i = 0; i < 96 && node instanceof TreeNode; i++) node = node.children[0];
  const target = node;
  if (target === null) return;
  const mapped = new Uint8Array(16);
  mapped[10] = 0xff;
  mapped[11] = 0xff;
  let cur = root;
  for (let i = 0; i < 95; i++) {
    const b = bitAt(mapped, i);
    const child = cur.children[b];
    if (child instanceof TreeNode) {
      cur = child;
    } else {
      const split = new TreeNode(child, child);
      cur.children[b] = split;
      cur = split;
    }
  }
  cur.children[1] = target;
}

/**
 * Writes a MaxMind DB (format 2.0, https://maxmind.github.io/MaxMind-DB/): search tree,
 * 16-byte separator, data section (identical records stored once), metadata.
 * More specific networks win over less specific ones whatever the entry order.
 */
export function writeMmdb(options: MmdbWriteOptions): Buffer {
  const ipVersion = options.ipVersion ?? 6;
  const recordSize = options.recordSize ?? 28;
  if (![24, 28, 32].includes(recordSize)) throw new Error(`MMDB writer: record size ${recordSize} is not 24, 28 or 32`);
  if (ipVersion !== 4 && ipVersion !== 6) throw new Error(`MMDB writer: ip version ${String(ipVersion)} is not 4 or 6`);

  // Data section, deduplicated on the encoded bytes.
  const data: number[] = [];
  const byBytes = new Map<string, DataLeaf>();
  const parsed = options.entries.map((entry, order) => {
    const bytes: number[] = [];
    encodeValue(entry.data, bytes);
    const key = Buffer.from(bytes).toString('latin1');
    let leaf = byBytes.get(key);
    if (!leaf) {
      leaf = { offset: data.length };
      byBytes.set(key, leaf);
      for (const b of bytes) data.push(b);
    }
    return { ...parseNetwork(entry.network, ipVersion), leaf, order };
  });

  const root = new TreeNode();
  parsed.sort((a, b) => a.prefix - b.prefix || a.order - b.order);
  let hasIpv4 = false;
  for (const p of parsed) {
    insert(root, p.bytes, p.prefix, p.leaf);
    if (ipVersion === 6 && p.prefix >= 96 && p.bytes.subarray(0, 12).every((x) => x === 0)) hasIpv4 = true;
  }
  if (hasIpv4) aliasMappedIpv4(root);

  // Number nodes breadth-first; shared (aliased) nodes get one number.
  const numbers = new Map<TreeNode, number>([[root, 0]]);
  const order: TreeNode[] = [root];
  for (let i = 0; i < order.length; i++) {
    for (const child of order[i]!.children) {
      if (child instanceof TreeNode && !numbers.has(child)) {
        numbers.set(child, order.length);
        order.push(child);
      }
    }
  }
  const nodeCount = order.length;
  const maxRecord = 2 ** recordSize - 1;
  const recordValue = (c: Child): number => {
    const v = c === null ? nodeCount : c instanceof TreeNode ? numbers.get(c)! : nodeCount + SEPARATOR + c.offset;
    if (v > maxRecord) throw new Error(`MMDB writer: database too large for ${recordSize}-bit records`);
    return v;
  };

  const nodeBytes = recordSize / 4;
  const tree = Buffer.alloc(nodeCount * nodeBytes);
  order.forEach((node, n) => {
    const off = n * nodeBytes;
    const left = recordValue(node.children[0]);
    const right = recordValue(node.children[1]);
    if (recordSize === 24) {
      tree.writeUIntBE(left, off, 3);
      tree.writeUIntBE(right, off + 3, 3);
    } else if (recordSize === 28) {
      // The middle byte holds the top 4 bits of the left record, then of the right one.
      tree.writeUIntBE(left & 0xffffff, off, 3);
      tree[off + 3] = ((left >>> 24) << 4) | (right >>> 24);
      tree.writeUIntBE(right & 0xffffff, off + 4, 3);
    } else {
      tree.writeUInt32BE(left, off);
      tree.writeUInt32BE(right, off + 4);
    }
  });

  const metadata: number[] = [];
  encodeValue(
    {
      node_count: mmdb.uint32(nodeCount),
      record_size: mmdb.uint16(recordSize),
      ip_version: mmdb.uint16(ipVersion),
      database_type: options.databaseType,
      languages: options.languages ?? ['en'],
      binary_format_major_version: mmdb.uint16(2),
      binary_format_minor_version: mmdb.uint16(0),
      build_epoch: mmdb.uint64(options.buildEpoch ?? Math.floor(Date.now() / 1000)),
      description: options.description ?? { en: `${options.databaseType} (Mirrorball test database)` },
    },
    metadata,
  );

  return Buffer.concat([tree, Buffer.alloc(SEPARATOR), Buffer.from(data), METADATA_MARKER, Buffer.from(metadata)]);
}
