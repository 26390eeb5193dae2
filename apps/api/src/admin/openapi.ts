/**
 * The admin API's OpenAPI 3.1 document. Served at /api/v1/openapi.json and checked in as
 * apps/api/openapi.json (a test keeps the two equal and every route documented).
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const err = (description: string) => ({ description, ...json(ref('Error')) });
const mirrorRef = { name: 'ref', in: 'path', required: true, description: 'Mirror id or exact name', schema: { type: 'string' } };
const q = (name: string, description: string, type = 'string', required = false) => ({ name, in: 'query', required, description, schema: { type } });
const common = { 401: err('Missing or wrong bearer token'), 503: err('Admin API disabled (no AdminToken) or dependency unavailable') };
const withMirror = { ...common, 404: err('No such mirror') };
const writeErrors = { ...withMirror, 400: err('Invalid input (malformed JSON, bad field); `field` names it'), 409: err('Name already taken') };

const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const num = { type: 'number' };

const mirrorInput = {
  type: 'object', additionalProperties: false,
  properties: {
    Name: str, HttpURL: { type: 'string', description: 'http://, https:// or scheme-less (both protocols); a port is accepted' },
    RsyncURL: { type: 'string', description: 'rsync:// or rsyncs://' }, FtpURL: { type: 'string', description: 'ftp://' },
    SponsorName: str, SponsorURL: str, SponsorLogoURL: str, AdminName: str, AdminEmail: str, CustomData: str,
    ContinentOnly: bool, CountryOnly: bool, ASOnly: bool, Score: { type: 'integer', minimum: -100, maximum: 1000 },
    Latitude: { type: 'number', minimum: -90, maximum: 90 }, Longitude: { type: 'number', minimum: -180, maximum: 180 },
    ContinentCode: str, CountryCodes: str, ExcludedCountryCodes: str, Asnum: int, ASNum: int, Comment: str, Enabled: bool,
    AllowRedirects: { description: '0/null = follow DisallowRedirects, 1/true = allowed, 2/false = forbidden', type: ['integer', 'boolean', 'null'] },
  },
};

export const OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'Mirrorball admin API', version: '1', description: 'Mirrorbits operations over HTTP. Every call needs `Authorization: Bearer <AdminToken>`.' },
  servers: [{ url: '/api' }],
  security: [{ bearer: [] }],
  paths: {
    '/v1/version': { get: { operationId: 'version', summary: 'Server version', responses: { 200: { description: 'Version', ...json(ref('Version')) }, ...common } } },
    '/v1/reload': { post: { operationId: 'reload', summary: 'Reload configuration and GeoIP (SIGHUP)', responses: { 200: { description: 'Reloaded', ...json(ref('Ok')) }, ...common } } },
    '/v1/mirrors': {
      get: { operationId: 'list', summary: 'Every mirror', responses: { 200: { description: 'Mirrors', ...json({ type: 'object', properties: { mirrors: { type: 'array', items: ref('Mirror') } } }) }, ...common } },
      post: {
        operationId: 'add', summary: 'Add a mirror (disabled), located by DNS + GeoIP of its HTTP host',
        requestBody: { required: true, ...json({ ...mirrorInput, required: ['Name', 'HttpURL'] }) },
        responses: { 201: { description: 'Added', ...json(ref('AddReply')) }, ...writeErrors },
      },
    },
    '/v1/mirrors/match': {
      get: { operationId: 'match', summary: 'Mirrors whose name contains a pattern (case-insensitive)', parameters: [q('pattern', 'Substring', 'string', true)],
        responses: { 200: { description: 'Matches', ...json({ type: 'object', properties: { mirrors: { type: 'array', items: { type: 'object', properties: { ID: int, Name: str } } } } }) }, ...common, 400: err('No pattern') } },
    },
    '/v1/mirrors/{ref}': {
      get: { operationId: 'show', summary: 'One mirror', parameters: [mirrorRef], responses: { 200: { description: 'Mirror', ...json(ref('Mirror')) }, ...withMirror } },
      patch: {
        operationId: 'update', summary: 'Change fields of a mirror (renaming allowed)', parameters: [mirrorRef], requestBody: { required: true, ...json(mirrorInput) },
        responses: { 200: { description: 'Saved; `diff` lists changed YAML lines', ...json({ type: 'object', properties: { mirror: ref('Mirror'), diff: str } }) }, ...writeErrors },
      },
      delete: { operationId: 'remove', summary: 'Remove a mirror and its file records', parameters: [mirrorRef], responses: { 200: { description: 'Removed', ...json({ type: 'object', properties: { removed: int, name: str } }) }, ...withMirror } },
    },
    '/v1/mirrors/{ref}/enable': { post: { operationId: 'enable', summary: 'Enable a mirror', parameters: [mirrorRef], responses: { 200: { description: 'Enabled', ...json({ type: 'object', properties: { mirror: ref('Mirror') } }) }, ...withMirror } } },
    '/v1/mirrors/{ref}/disable': { post: { operationId: 'disable', summary: 'Disable a mirror', parameters: [mirrorRef], responses: { 200: { description: 'Disabled', ...json({ type: 'object', properties: { mirror: ref('Mirror') } }) }, ...withMirror } } },
    '/v1/mirrors/{ref}/geoupdate': {
      post: {
        operationId: 'geoupdate', summary: 'Re-geolocate a mirror; saves only with save=true', parameters: [mirrorRef],
        requestBody: { required: false, ...json({ type: 'object', additionalProperties: false, properties: { save: bool } }) },
        responses: { 200: { description: 'Proposed (or saved) record and diff', ...json({ type: 'object', properties: { mirror: ref('Mirror'), diff: str, warnings: { type: 'array', items: str }, saved: bool } }) }, ...writeErrors },
      },
    },
    '/v1/mirrors/{ref}/scan': {
      post: {
        operationId: 'scan', summary: 'Scan a mirror (worker job) and wait for the result', parameters: [mirrorRef],
        requestBody: { required: false, ...json({ type: 'object', additionalProperties: false, properties: { protocol: { enum: ['all', 'rsync', 'ftp'] }, enable: bool, timeout: { type: 'number', minimum: 0, description: 'seconds, 0 = none' } } }) },
        responses: { 200: { description: 'Scan result', ...json(ref('ScanReply')) }, ...writeErrors, 502: err('The scan failed'), 504: err('The scan did not finish in time') },
      },
    },
    '/v1/mirrors/{ref}/stats': {
      get: { operationId: 'statsMirror', summary: 'Download requests and bytes of a mirror over a date range', parameters: [mirrorRef, q('start', 'YYYY-MM-DD (default today)'), q('end', 'YYYY-MM-DD (default today)')],
        responses: { 200: { description: 'Totals', ...json({ type: 'object', properties: { mirror: ref('Mirror'), requests: int, bytes: int } }) }, ...withMirror, 400: err('Bad date') } },
    },
    '/v1/mirrors/{ref}/logs': {
      get: { operationId: 'logs', summary: 'The last events of a mirror', parameters: [mirrorRef, q('max', 'Number of lines (default 500)', 'integer')],
        responses: { 200: { description: 'Lines, oldest first', ...json({ type: 'object', properties: { name: str, lines: { type: 'array', items: str } } }) }, ...withMirror, 400: err('Bad max') } },
    },
    '/v1/stats/files': {
      get: { operationId: 'statsFile', summary: 'Download counts of files matching a regular expression over a date range', parameters: [q('pattern', 'Regular expression', 'string', true), q('start', 'YYYY-MM-DD (default today)'), q('end', 'YYYY-MM-DD (default today)')],
        responses: { 200: { description: 'Counts per path', ...json({ type: 'object', properties: { files: { type: 'object', additionalProperties: int }, total: int } }) }, ...common, 400: err('Bad pattern or date') } },
    },
    '/v1/refresh': {
      post: {
        operationId: 'refresh', summary: 'Index the repository again (scanner job) and wait',
        requestBody: { required: false, ...json({ type: 'object', additionalProperties: false, properties: { rehash: bool, timeout: { type: 'number', minimum: 0 } } }) },
        responses: { 200: { description: 'Done', ...json(ref('Ok')) }, ...common, 400: err('Bad input'), 502: err('The job failed'), 504: err('Timed out') },
      },
    },
    '/v1/export/mirmon': {
      get: { operationId: 'exportMirmon', summary: 'mirmon mirror list', parameters: [q('http', 'Export HTTP URLs (default true)', 'boolean'), q('rsync', 'Export rsync URLs (default true)', 'boolean'), q('ftp', 'Export FTP URLs (default true)', 'boolean'), q('disabled', 'Include disabled mirrors (default true)', 'boolean')],
        responses: { 200: { description: '`<country>\\t<url>\\t<email>` lines', content: { 'text/plain': { schema: str } } }, ...common, 400: err('Bad flag') } },
    },
    '/v1/openapi.json': { get: { operationId: 'openapi', summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', ...json({ type: 'object' }) }, ...common } } },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: { type: 'object', required: ['error'], properties: { error: str, field: str } },
      Ok: { type: 'object', properties: { ok: bool } },
      Version: { type: 'object', properties: { Version: str, Build: str, GoVersion: str, OS: str, Arch: str, GoMaxProcs: int } },
      Mirror: {
        type: 'object',
        properties: {
          ID: int, ...mirrorInput.properties, Up: bool, HttpUp: bool, HttpsUp: bool, HttpDownReason: str, HttpsDownReason: str,
          StateSince: { type: 'integer', description: 'Unix seconds' }, AllowRedirects: int, TZOffsetMs: int, LastSync: int, LastSuccessfulSync: int,
          LastSuccessfulSyncProtocol: int, LastSuccessfulSyncPrecision: int, LastModTime: int,
        },
      },
      AddReply: {
        type: 'object',
        properties: {
          mirror: ref('Mirror'), warnings: { type: 'array', items: str },
          location: { type: 'object', properties: { Latitude: num, Longitude: num, Country: str, Continent: str, ASN: str } },
        },
      },
      ScanReply: { type: 'object', properties: { Name: str, FilesIndexed: int, KnownIndexed: int, Removed: int, TZOffsetMs: int, Enabled: bool } },
    },
  },
} as const;
