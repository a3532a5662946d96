import { z } from 'zod';
import { clusterSchema } from './schema.ts';

/** File name of the checked-in JSON Schema, at the root of this package. */
export const JSON_SCHEMA_FILE = 'cluster.schema.json';

/**
 * The JSON Schema of cluster.yaml, for editors (`# yaml-language-server: $schema=...`). Draft 7, which
 * yaml-language-server and most editors understand; generated from the zod model so the two cannot drift.
 */
export function clusterJsonSchema(): string {
  const schema = z.toJSONSchema(clusterSchema, { target: 'draft-07', io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'cluster.yaml' }, null, 2)}\n`;
}
