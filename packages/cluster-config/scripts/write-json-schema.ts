// Regenerates packages/cluster-config/cluster.schema.json from the zod model: `npm run schema`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterJsonSchema, JSON_SCHEMA_FILE } from '../src/json-schema.ts';

const target = join(import.meta.dirname, '..', JSON_SCHEMA_FILE);
writeFileSync(target, clusterJsonSchema());
console.log(`wrote ${target}`);
