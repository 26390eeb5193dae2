/** What a command gets: the API client, output streams, and the shared helpers. */
import type { AdminClient } from './client.ts';

export class CliExit extends Error {
  override name = 'CliExit';
  constructor(readonly code: number, message = '') {
    super(message);
  }
}

/** Exit codes (documented in apps/cli/README.md). */
export const EXIT = { OK: 0, ERROR: 1, USAGE: 2, NOT_FOUND: 3, AUTH: 4, UNREACHABLE: 5, CONFLICT: 6, ABORTED: 7 } as const;

export interface Cli {
  client: AdminClient;
  out(s: string): void;
  err(s: string): void;
  /** Reads a line from stdin (confirmations). */
  ask(question: string): Promise<string>;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** Mirrorbits' identifier resolution: exactly one case-insensitive substring match. */
export async function matchMirror(cli: Cli, pattern: string): Promise<{ ID: number; Name: string }> {
  const r = await cli.client.request<{ mirrors: { ID: number; Name: string }[] }>('GET', `/v1/mirrors/match?pattern=${encodeURIComponent(pattern)}`);
  if (r.mirrors.length === 0) {
    cli.err(`No match for '${pattern}'\n`);
    throw new CliExit(EXIT.NOT_FOUND);
  }
  if (r.mirrors.length > 1) {
    cli.err('Multiple match:\n' + r.mirrors.map((m) => `  ${m.Name}\n`).join(''));
    throw new CliExit(EXIT.NOT_FOUND);
  }
  return r.mirrors[0]!;
}

export function oneArg(args: string[], usage: string): string {
  if (args.length !== 1) throw new CliExit(EXIT.USAGE, usage);
  return args[0]!;
}
