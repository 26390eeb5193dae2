/**
 * `mirrorball`: Mirrorbits' command set over the admin API.
 *   mirrorball [-h host] [-p port] [--token T | -P T] [--url URL] <command> [flags] [args]
 * Environment: MIRRORBALL_ADMIN_URL, MIRRORBALL_ADMIN_TOKEN. Exit codes: see context.ts EXIT.
 */
import { createInterface } from 'node:readline/promises';
import { versionInfo } from '@mirrorball/admin/version';
import { flagHelp, parseArgs, UsageError, type FlagSpec } from './args.ts';
import { AdminClient, ApiError } from './client.ts';
import { edit, editFlags } from './commands/edit.ts';
import { refresh, scan, scanFlags } from './commands/jobs.ts';
import { list, listFlags } from './commands/list.ts';
import { add, addFlags, changeStatus, geoupdate, remove } from './commands/mirror-writes.ts';
import { exportCmd, exportFlags, logs, reload, stats, statsFlags, version } from './commands/reads.ts';
import { show } from './commands/show.ts';
import { CliExit, EXIT, oneArg, type Cli } from './context.ts';
import { CLI_VERSION } from './version.ts';

const COMMANDS: Record<string, string> = {
  add: 'Add a new mirror', disable: 'Disable a mirror', edit: 'Edit a mirror', enable: 'Enable a mirror',
  export: 'Export the mirror database', geoupdate: 'Update geolocation of a mirror', list: 'List all mirrors',
  logs: 'Print logs of a mirror', refresh: 'Refresh the local repository', reload: 'Reload configuration',
  remove: 'Remove a mirror', scan: '(Re-)Scan a mirror', show: 'Print a mirror configuration', stats: 'Show download stats',
  version: 'Print version information',
};

function usage(): string {
  return 'Usage: mirrorball [OPTIONS] COMMAND [arg...]\n\nOptions:\n'
    + '  -h HOST        admin API host (default 127.0.0.1)\n  -p PORT        admin API port (default 8081)\n'
    + '  --url URL      admin API base URL (env MIRRORBALL_ADMIN_URL)\n  --token TOKEN  admin token, also -P (env MIRRORBALL_ADMIN_TOKEN)\n\nCommands:\n'
    + Object.entries(COMMANDS).map(([k, v]) => `    ${k.padEnd(12)}${v}\n`).join('');
}

const noFlags: FlagSpec = { json: { type: 'bool', default: false, help: 'JSON output' } };
const forceFlags: FlagSpec = { f: { type: 'bool', default: false, alias: ['force'], help: 'Never prompt for confirmation' } };

function parseGlobal(argv: string[], env: NodeJS.ProcessEnv): { url: string; token: string; rest: string[] } {
  let host = '127.0.0.1';
  let port = '8081';
  let url = env.MIRRORBALL_ADMIN_URL ?? '';
  let token = env.MIRRORBALL_ADMIN_TOKEN ?? '';
  let i = 0;
  const value = (name: string, inline: string | undefined) => {
    if (inline !== undefined) return inline;
    if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: -${name}`);
    return argv[++i]!;
  };
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--?([\w-]+)(?:=(.*))?$/.exec(a);
    if (!m) break;
    const [, name, inline] = m;
    if (name === 'h' || name === 'host') { host = value(name, inline); url = ''; }
    else if (name === 'p' || name === 'port') { port = value(name, inline); url = ''; }
    else if (name === 'url') url = value(name, inline);
    else if (name === 'token' || name === 'P') token = value(name, inline);
    else if (name === 'help') throw new UsageError('');
    else throw new UsageError(`flag provided but not defined: -${name}`);
  }
  if (!/^\d+$/.test(port)) throw new UsageError(`invalid port ${JSON.stringify(port)}`);
  if (!url) url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { url, token, rest: argv.slice(i) };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const out = (s: string) => void process.stdout.write(s);
  const err = (s: string) => void process.stderr.write(s);
  let cmd = '';
  let spec: FlagSpec = noFlags;
  try {
    const g = parseGlobal(argv, env);
    if (g.rest.length === 0 || g.rest[0] === 'help') {
      err(usage());
      return g.rest.length === 0 ? EXIT.USAGE : EXIT.OK;
    }
    cmd = g.rest[0]!.toLowerCase();
    if (!COMMANDS[cmd]) {
      err(`Error: Command not found: ${g.rest[0]}\n${usage()}`);
      return EXIT.USAGE;
    }
    const cli: Cli = {
      client: new AdminClient({ url: g.url, token: g.token }), out, err, isTTY: Boolean(process.stdout.isTTY), env,
      ask(q) {
        // End of input (a script, /dev/null) answers the default instead of hanging.
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        return new Promise<string>((resolve) => {
          rl.once('close', () => resolve(''));
          rl.question(q + ' ').then((a) => {
            resolve(a);
            rl.close();
          }, () => resolve(''));
        });
      },
    };
    spec = ({
      list: listFlags, add: addFlags, edit: editFlags, scan: scanFlags, stats: statsFlags, export: exportFlags,
      remove: forceFlags, geoupdate: forceFlags, refresh: { rehash: { type: 'bool', default: false, help: 'Force a rehash of the files' } },
      logs: { l: { type: 'int', default: 500, help: 'Maximum number of logs to return' }, json: noFlags.json! },
    } as Record<string, FlagSpec>)[cmd] ?? noFlags;
    const { flags: f, args } = parseArgs(g.rest.slice(1), spec);
    const usageOf = `usage: mirrorball ${cmd} [flags] IDENTIFIER`;
    switch (cmd) {
      case 'list': await list(cli, f); break;
      case 'show': await show(cli, oneArg(args, usageOf), Boolean(f.json)); break;
      case 'add': await add(cli, oneArg(args, usageOf), f); break;
      case 'edit': await edit(cli, oneArg(args, usageOf), f, readStdin); break;
      case 'remove': await remove(cli, oneArg(args, usageOf), Boolean(f.f)); break;
      case 'enable': await changeStatus(cli, oneArg(args, usageOf), true); break;
      case 'disable': await changeStatus(cli, oneArg(args, usageOf), false); break;
      case 'geoupdate': await geoupdate(cli, oneArg(args, usageOf), Boolean(f.f)); break;
      case 'scan': await scan(cli, args, f); break;
      case 'refresh': await refresh(cli, f); break;
      case 'stats': await stats(cli, args, f); break;
      case 'logs': await logs(cli, oneArg(args, usageOf), f); break;
      case 'export': await exportCmd(cli, args, f, `\nUsage: mirrorball export [format]\n\nExport the mirror database.\n\nAvailable formats: mirmon\n\n${flagHelp(exportFlags)}`); break;
      case 'version': await version(cli, versionInfo(CLI_VERSION, env.MIRRORBALL_BUILD ?? ''), Boolean(f.json)); break;
      case 'reload': await reload(cli); break;
    }
    return EXIT.OK;
  } catch (e) {
    if (e instanceof CliExit) {
      if (e.message) err(e.message.endsWith('\n') ? e.message : e.message + '\n');
      return e.code;
    }
    if (e instanceof UsageError) {
      if (e.message) err(`${e.message}\n`);
      err(cmd ? `Usage of ${cmd}:\n${flagHelp(spec)}\n` : usage());
      return EXIT.USAGE;
    }
    if (e instanceof ApiError) {
      err(`Error: ${e.message}${e.field ? ` (field ${e.field})` : ''}\n`);
      if (e.status === 0) return EXIT.UNREACHABLE;
      if (e.status === 401 || e.status === 503 && /AdminToken/.test(e.message)) return EXIT.AUTH;
      if (e.status === 404) return EXIT.NOT_FOUND;
      if (e.status === 409) return EXIT.CONFLICT;
      if (e.status === 400) return EXIT.USAGE;
      return EXIT.ERROR;
    }
    err(`Error: ${(e as Error)?.message ?? String(e)}\n`);
    return EXIT.ERROR;
  }
}

process.exitCode = await run(process.argv.slice(2), process.env);
