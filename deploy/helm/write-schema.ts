/** Regenerates `properties.config` of values.schema.json: `npx tsx deploy/helm/write-schema.ts`. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configValuesSchema } from './config-schema.ts';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'mirrorball', 'values.schema.json');
const schema = JSON.parse(readFileSync(file, 'utf8')) as { properties: Record<string, unknown> };
schema.properties.config = configValuesSchema();
writeFileSync(file, JSON.stringify(schema, null, 2) + '\n');
console.log(`wrote ${file}`);
