/**
 * The admin API, mounted at `/api` on AdminListenAddress. Filled in by the admin-API work
 * (Bearer AdminToken, mirror CRUD, jobs); until then every route answers 404 JSON.
 */
import { Hono } from 'hono';

export function createAdminApi(): Hono {
  const api = new Hono();
  api.all('*', (c) => c.json({ error: 'not found', path: c.req.path }, 404));
  return api;
}
