import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OPENAPI } from './openapi.ts';
import { startAdminHarness, type AdminHarness } from './testkit.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const CHECKED_IN = path.join(here, '../../openapi.json');

let h: AdminHarness;
beforeAll(async () => {
  h = await startAdminHarness();
});
afterAll(async () => h?.stop());

it('serves the checked-in document (regenerate: MIRRORBALL_WRITE_OPENAPI=1 npx vitest run apps/api/src/admin/openapi.test.ts)', async () => {
  const served = (await h.call('GET', '/api/v1/openapi.json')).json;
  if (process.env.MIRRORBALL_WRITE_OPENAPI) fs.writeFileSync(CHECKED_IN, JSON.stringify(served, null, 2) + '\n');
  expect(JSON.parse(fs.readFileSync(CHECKED_IN, 'utf8'))).toEqual(served);
});

it('documents every route the API answers, and nothing it does not', async () => {
  const src = fs.readdirSync(path.join(here, 'routes')).map((f) => fs.readFileSync(path.join(here, 'routes', f), 'utf8')).join('\n')
    + fs.readFileSync(path.join(here, 'index.ts'), 'utf8');
  const routes = new Set<string>();
  for (const m of src.matchAll(/app\.(get|post|patch|delete)\((['`])([^'`]+)\2/g)) routes.add(`${m[1]} ${m[3]}`);
  for (const m of src.matchAll(/api\.(get|post)\('([^']+)'/g)) routes.add(`${m[1]} ${m[2]}`);
  // enable/disable are registered in a loop.
  routes.delete('post /v1/mirrors/:ref/${path}');
  routes.add('post /v1/mirrors/:ref/enable').add('post /v1/mirrors/:ref/disable');
  const documented = new Set<string>();
  for (const [p, ops] of Object.entries(OPENAPI.paths)) for (const m of Object.keys(ops)) documented.add(`${m} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
  expect([...routes].sort()).toEqual([...documented].sort());
  // And each documented route answers (not the 404 of an unknown endpoint).
  for (const r of documented) {
    const [method, p] = r.split(' ') as [string, string];
    const res = await h.call(method.toUpperCase(), '/api' + p.replace(':ref', 'nope'), method === 'get' || method === 'delete' ? undefined : {});
    expect(res.json?.error ?? '', r).not.toMatch(/no such endpoint/);
  }
});
