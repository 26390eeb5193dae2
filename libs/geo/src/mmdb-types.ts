/**
 * Explicitly typed values for the MMDB writer, for fields whose on-disk type matters to
 * readers (e.g. `location.latitude` must be a double even when the value is a whole number,
 * `accuracy_radius` a uint16). Untagged values are inferred: see encodeValue().
 */
export type MmdbTypeName = 'double' | 'float' | 'uint16' | 'uint32' | 'uint64' | 'uint128' | 'int32' | 'bytes';

export class MmdbTyped {
  constructor(
    readonly type: MmdbTypeName,
    readonly value: number | bigint | Uint8Array,
  ) {}
}

export const mmdb = {
  double: (v: number) => new MmdbTyped('double', v),
  float: (v: number) => new MmdbTyped('float', v),
  uint16: (v: number) => new MmdbTyped('uint16', v),
  uint32: (v: number) => new MmdbTyped('uint32', v),
  uint64: (v: number | bigint) => new MmdbTyped('uint64', v),
  uint128: (v: number | bigint) => new MmdbTyped('uint128', v),
  int32: (v: number) => new MmdbTyped('int32', v),
  bytes: (v: Uint8Array) => new MmdbTyped('bytes', v),
};

export type MmdbValue =
  | string
  | number
  | bigint
  | boolean
  | MmdbTyped
  | MmdbValue[]
  | { [key: string]: MmdbValue };
