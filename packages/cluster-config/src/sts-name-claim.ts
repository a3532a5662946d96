import { basename, dirname } from 'node:path';
import { MAX_CONFIG_FILE_BYTES } from './layout.ts';
import { isPlainObject } from './merge.ts';
import { locate, MAX_ALIASES, parseYamlSource, positionAt, type Position } from './yaml-source.ts';

/** The sts name one cluster.yaml claims, and where it says so. */
export interface StsNameClaim extends Position {
  stsName: string;
  /** `credentials.sts_name`, or `name` when the file sets no sts_name and the cluster name stands for it. */
  key: 'credentials.sts_name' | 'name';
}

/**
 * The sts name the cluster.yaml `file` (workspace-relative, `clusters/<name>/cluster.yaml`) with content `text`
 * claims: `credentials.sts_name` when it is a string, else the cluster's name (its folder, which `name` must equal),
 * located at the key that says so (`name`, or the top of the file). Undefined when the file is over the size limit,
 * does not parse, is not a mapping, or sets sts_name to something other than a string: its own render reports that,
 * and it claims a name once it is fixed. The reference for scanStsName (sts-name-scan.ts). Never throws.
 */
export function stsNameClaim(file: string, text: string): StsNameClaim | undefined {
  if (Buffer.byteLength(text) > MAX_CONFIG_FILE_BYTES) return undefined;
  const src = parseYamlSource(file, text);
  if (src.doc.errors.length) return undefined;
  let value: unknown;
  try {
    value = src.doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch {
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  const credentials = value['credentials'];
  if (isPlainObject(credentials) && Object.hasOwn(credentials, 'sts_name')) {
    const stsName = credentials['sts_name'];
    if (typeof stsName !== 'string') return undefined;
    const { node } = locate(src, ['credentials', 'sts_name']);
    return { ...positionAt(src, node?.range?.[0] ?? 0), key: 'credentials.sts_name', stsName };
  }
  const { node, depth } = locate(src, ['name']);
  return {
    ...positionAt(src, depth === 1 ? (node?.range?.[0] ?? 0) : 0),
    key: 'name',
    stsName: basename(dirname(file)),
  };
}
