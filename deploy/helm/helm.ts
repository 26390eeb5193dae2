/** The real helm binary (scripts/fetch-helm.sh puts it in .tools/), with private cache/config dirs. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from './k8s-schema.ts';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHART = path.join(REPO, 'deploy/helm/mirrorball');
const HELM = path.join(REPO, '.tools/helm');

let env: NodeJS.ProcessEnv | undefined;

export function ensureHelm(): void {
  if (!existsSync(HELM)) execFileSync('bash', [path.join(REPO, 'scripts/fetch-helm.sh')], { stdio: 'inherit' });
  if (!env) {
    const home = mkdtempSync(path.join(tmpdir(), 'mb-helm-'));
    env = { ...process.env, HELM_CACHE_HOME: path.join(home, 'cache'), HELM_CONFIG_HOME: path.join(home, 'config'), HELM_DATA_HOME: path.join(home, 'data') };
  }
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): HelmResult {
  ensureHelm();
  const r = spawnSync(HELM, args, { cwd: REPO, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface RenderOptions {
  values?: string[];
  set?: string[];
  namespace?: string;
  release?: string;
}

function renderArgs(o: RenderOptions): string[] {
  const args = ['template', o.release ?? 'mb', CHART, '--namespace', o.namespace ?? 'downloads'];
  for (const v of o.values ?? []) args.push('-f', path.resolve(REPO, v));
  for (const s of o.set ?? []) args.push('--set', s);
  return args;
}

/** `helm template` → objects; throws with helm's message on failure. */
export function render(o: RenderOptions = {}): K8sObject[] {
  const r = helm(renderArgs(o));
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr.trim()}`);
  return parseAllDocuments(r.stdout)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`rendered YAML: ${d.errors[0]!.message}`);
      return d.toJS() as K8sObject | null;
    })
    .filter((d): d is K8sObject => d !== null);
}

/** helm's error text for values that must be rejected ('' when helm accepted them). */
export function renderError(o: RenderOptions): string {
  const r = helm(renderArgs(o));
  return r.status === 0 ? '' : r.stderr;
}
