export interface ScannerArgs {
  /** `--once`: one index run, then exit (Kubernetes CronJob); exit code ≠ 0 on failure. */
  once: boolean;
  /** `--rehash` (with --once): hash every file again. */
  rehash: boolean;
  /** Arguments for loadConfig (`--config f`). */
  configArgv: string[];
  /** `rsync-filter …` subcommand arguments, when given. */
  rsyncFilter?: string[];
}

/** `main.ts [--config f] [--once [--rehash]]` or `main.ts [--config f] rsync-filter …`. */
export function parseScannerArgs(argv: readonly string[]): ScannerArgs {
  const out: ScannerArgs = { once: false, rehash: false, configArgv: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === 'rsync-filter') {
      out.rsyncFilter = argv.slice(i + 1);
      break;
    }
    if (a === '--once' || a === '-once') out.once = true;
    else if (a === '--rehash' || a === '-rehash') out.rehash = true;
    else if (/^--?config$/.test(a)) {
      out.configArgv.push(a, argv[i + 1] ?? '');
      i++;
    } else if (/^--?config=/.test(a)) out.configArgv.push(a);
    else throw new Error(`unknown argument ${JSON.stringify(a)} (usage: scanner [--config file] [--once [--rehash]] | rsync-filter --prefix P --keep N [--order version|name] [--output file])`);
  }
  if (out.rehash && !out.once) throw new Error('--rehash applies to --once; a running scanner gets `refresh -rehash` jobs from the admin API');
  return out;
}
