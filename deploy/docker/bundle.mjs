#!/usr/bin/env node
/**
 * Bundles each app (apps/<app>/src/main.ts → apps/<app>/dist/main.js) for the container image.
 *
 * Why not plain `esbuild --packages=external`: the workspace libraries (@mirrorball/*) export
 * TypeScript source, which Node 20 cannot load, so they must be bundled; third-party packages
 * stay external and come from `npm ci --omit=dev` in the image.
 *
 * Usage: node deploy/docker/bundle.mjs [--out-root DIR] [app ...]   (default: every app with a main.ts)
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Bundle workspace packages (TypeScript source), keep every other bare import external. */
const workspaceOnly = {
  name: 'workspace-only',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@mirrorball/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

export function appsWithMain(repoRoot = root) {
  return readdirSync(path.join(repoRoot, 'apps'))
    .filter((a) => existsSync(path.join(repoRoot, 'apps', a, 'src', 'main.ts')))
    .sort();
}

export async function bundleApp(app, { repoRoot = root, outRoot = repoRoot } = {}) {
  const outfile = path.join(outRoot, 'apps', app, 'dist', 'main.js');
  await build({
    entryPoints: [path.join(repoRoot, 'apps', app, 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [workspaceOnly],
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let outRoot = root;
  const i = args.indexOf('--out-root');
  if (i >= 0) {
    outRoot = path.resolve(args[i + 1] ?? '.');
    args.splice(i, 2);
  }
  const apps = args.length > 0 ? args : appsWithMain();
  for (const app of apps) {
    if (!existsSync(path.join(root, 'apps', app, 'src', 'main.ts'))) {
      console.error(`bundle: apps/${app}/src/main.ts does not exist`);
      process.exit(1);
    }
    console.log(`bundle: ${path.relative(process.cwd(), await bundleApp(app, { outRoot }))}`);
  }
}
