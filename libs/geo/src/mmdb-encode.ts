import { MmdbTyped, type MmdbValue } from './mmdb-types.ts';

// Data-section type numbers (MaxMind DB spec v2.0, "Output Data Section").
const T = {
  utf8: 2, double: 3, bytes: 4, uint16: 5, uint32: 6, map: 7,
  int32: 8, uint64: 9, uint128: 10, array: 11, boolean: 14, float: 15,
} as const;

/** Control byte(s) for `type` with payload size `size`. Types > 7 use the extended form. */
function control(type: number, size: number): number[] {
  const out: number[] = [];
  const typeBits = type <= 7 ? type << 5 : 0;
  let sizeBits: number;
  const extra: number[] = [];
  if (size < 29) {
    sizeBits = size;
  } else if (size < 29 + 256) {
    sizeBits = 29;
    extra.push(size - 29);
  } else if (size < 285 + 65536) {
    sizeBits = 30;
    const v = size - 285;
    extra.push(v >>> 8, v & 255);
  } else if (size < 65821 + 16777216) {
    sizeBits = 31;
    const v = size - 65821;
    extra.push(v >>> 16, (v >>> 8) & 255, v & 255);
  } else {
    throw new RangeError(`MMDB value too large (${size})`);
  }
  out.push(typeBits | sizeBits);
  if (type > 7) out.push(type - 7);
  out.push(...extra);
  return out;
}

/** Big-endian unsigned integer with leading zero bytes dropped (the spec allows it). */
function uintBytes(v: bigint, maxBytes: number, what: string): number[] {
  if (v < 0n || v >= 1n << BigInt(maxBytes * 8)) throw new RangeError(`${what} out of range: ${v}`);
  const bytes: number[] = [];
  while (v > 0n) {
    bytes.unshift(Number(v & 255n));
    v >>= 8n;
  }
  return bytes;
}

function typedUint(type: number, value: number | bigint, maxBytes: number, what: string): number[] {
  if (typeof value === 'number' && !Number.isInteger(value)) throw new RangeError(`${what} must be an integer: ${value}`);
  const bytes = uintBytes(BigInt(value), maxBytes, what);
  return [...control(type, bytes.length), ...bytes];
}

function encodeTyped(t: MmdbTyped): number[] {
  const v = t.value;
  switch (t.type) {
    case 'double': {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(Number(v));
      return [...control(T.double, 8), ...b];
    }
    case 'float': {
      const b = Buffer.alloc(4);
      b.writeFloatBE(Number(v));
      return [...control(T.float, 4), ...b];
    }
    case 'uint16':
      return typedUint(T.uint16, v as number, 2, 'uint16');
    case 'uint32':
      return typedUint(T.uint32, v as number, 4, 'uint32');
    case 'uint64':
      return typedUint(T.uint64, v as number | bigint, 8, 'uint64');
    case 'uint128':
      return typedUint(T.uint128, v as number | bigint, 16, 'uint128');
    case 'int32': {
      const n = Number(v);
      if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new RangeError(`int32 out of range: ${n}`);
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      return [...control(T.int32, 4), ...b];
    }
    case 'bytes': {
      const b = v as Uint8Array;
      return [...control(T.bytes, b.length), ...b];
    }
  }
}

/**
 * Encodes one value of the data section. Inference for untagged values: string → utf8,
 * boolean → boolean, non-negative integer → uint32 (uint64 above 2^32-1), negative integer →
 * int32, other numbers → double, bigint → uint64 (uint128 if larger), array → array,
 * plain object → map.
 */
export function encodeValue(value: MmdbValue, out: number[]): void {
  if (value instanceof MmdbTyped) {
    pushAll(out, encodeTyped(value));
  } else if (typeof value === 'string') {
    const b = Buffer.from(value, 'utf8');
    pushAll(out, control(T.utf8, b.length));
    pushAll(out, b);
  } else if (typeof value === 'boolean') {
    pushAll(out, control(T.boolean, value ? 1 : 0));
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) pushAll(out, typedUint(T.uint32, value, 4, 'uint32'));
    else if (Number.isInteger(value) && value > 0 && Number.isSafeInteger(value)) pushAll(out, typedUint(T.uint64, value, 8, 'uint64'));
    else if (Number.isInteger(value) && value < 0 && value >= -0x80000000) pushAll(out, encodeTyped(new MmdbTyped('int32', value)));
    else pushAll(out, encodeTyped(new MmdbTyped('double', value)));
  } else if (typeof value === 'bigint') {
    pushAll(out, value < 1n << 64n ? typedUint(T.uint64, value, 8, 'uint64') : typedUint(T.uint128, value, 16, 'uint128'));
  } else if (Array.isArray(value)) {
    pushAll(out, control(T.array, value.length));
    for (const v of value) encodeValue(v, out);
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    pushAll(out, control(T.map, entries.length));
    for (const [k, v] of entries) {
      encodeValue(k, out);
      encodeValue(v, out);
    }
  } else {
    throw new TypeError(`cannot encode ${String(value)} in an MMDB data section`);
  }
}

function pushAll(out: number[], bytes: ArrayLike<number>): void {
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i]!);
}
