import os from 'node:os';

/** `mirrorbits version` fields; Node stands where Go stood. */
export interface VersionInfo {
  Version: string;
  Build: string;
  GoVersion: string;
  OS: string;
  Arch: string;
  GoMaxProcs: number;
}

export function versionInfo(version: string, build = process.env.MIRRORBALL_BUILD ?? ''): VersionInfo {
  return {
    Version: version,
    Build: build,
    GoVersion: `node${process.versions.node}`,
    OS: process.platform,
    Arch: process.arch === 'x64' ? 'amd64' : process.arch,
    GoMaxProcs: os.availableParallelism(),
  };
}
