import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { clusterJsonSchema, JSON_SCHEMA_FILE } from './json-schema.ts';

const PACKAGE_ROOT = join(import.meta.dirname, '..');
const REPO_ROOT = join(PACKAGE_ROOT, '..', '..');
const EXAMPLE = join(REPO_ROOT, 'clusters', 'example', 'cluster.yaml');

/** The keywords this file's checker understands; the schema may use no other (else the checks below would lie). */
const KEYWORDS = new Set([
  '$schema',
  'title',
  'description',
  'default',
  'type',
  'const',
  'enum',
  'pattern',
  'minLength',
  'minimum',
  'maximum',
  'minItems',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'anyOf',
]);

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  [keyword: string]: unknown;
}

const checkedIn = (): unknown => JSON.parse(readFileSync(join(PACKAGE_ROOT, JSON_SCHEMA_FILE), 'utf8'));
const generated = (): JsonSchema => JSON.parse(clusterJsonSchema()) as JsonSchema;

/** Every subschema with the path that leads to it, e.g. `properties.platform.properties.zones.items`. */
function subschemas(schema: JsonSchema, path = '(root)'): { path: string; schema: JsonSchema }[] {
  const children = [
    ...Object.entries(schema.properties ?? {}).map(([key, s]) => [`${path}.properties.${key}`, s] as const),
    ...(schema.items ? [[`${path}.items`, schema.items] as const] : []),
    ...(schema.anyOf ?? []).map((s, i) => [`${path}.anyOf.${i}`, s] as const),
    ...(typeof schema.additionalProperties === 'object'
      ? [[`${path}.additionalProperties`, schema.additionalProperties] as const]
      : []),
  ];
  return [{ path, schema }, ...children.flatMap(([p, s]) => subschemas(s, p))];
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  return typeOf(value) === type;
}

/** A small JSON Schema (draft 7) checker for the keywords in KEYWORDS: one line per violation. */
function violations(schema: JsonSchema, value: unknown, path = '(root)'): string[] {
  if (schema.anyOf) {
    const branches = schema.anyOf.map((s) => violations(s, value, path));
    if (branches.every((v) => v.length)) return [`${path}: matches no branch of anyOf (${branches.flat().join('; ')})`];
  }
  const types = schema.type === undefined ? [] : [schema.type].flat();
  if (types.length && !types.some((t) => hasType(value, t))) {
    return [`${path}: expected type ${types.join(' or ')}, got ${typeOf(value)}`];
  }
  const out: string[] = [];
  if ('const' in schema && !isDeepStrictEqual(schema.const, value))
    out.push(`${path}: expected ${String(schema.const)}`);
  if (schema.enum && !schema.enum.some((e) => isDeepStrictEqual(e, value))) out.push(`${path}: not in enum`);
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      out.push(`${path}: does not match ${schema.pattern}`);
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) out.push(`${path}: too short`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) out.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.minItems !== undefined && value.length < schema.minItems) {
    out.push(`${path}: fewer than ${schema.minItems} items`);
  }
  if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((item, i) => out.push(...violations(items, item, `${path}.${i}`)));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in object)) out.push(`${path}.${key}: required`);
    }
    for (const [key, child] of Object.entries(object)) {
      const known = schema.properties?.[key];
      if (known) out.push(...violations(known, child, `${path}.${key}`));
      else if (schema.additionalProperties === false) out.push(`${path}.${key}: not allowed`);
      else if (typeof schema.additionalProperties === 'object') {
        out.push(...violations(schema.additionalProperties, child, `${path}.${key}`));
      }
    }
  }
  return out;
}

/** Where two JSON values first differ, for a readable failure. */
function firstDifference(a: unknown, b: unknown, path = '(root)'): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (typeOf(a) === 'object' && typeOf(b) === 'object') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const diff = firstDifference(x[key], y[key], `${path}.${key}`);
      if (diff) return diff;
    }
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (const [i, item] of a.entries()) {
      const diff = firstDifference(item, b[i], `${path}.${i}`);
      if (diff) return diff;
    }
  }
  return `${path}: checked in ${JSON.stringify(a)}, model says ${JSON.stringify(b)}`;
}

const SEED_SAMPLE = `
name: prod-east
env: prod
platform: { type: aws, account_id: "123456789012", region: us-east-1, zones: [us-east-1a, us-east-1b, us-east-1c] }
dns: { base_domain: example.com, hosted_zone_id: Z0123456789ABCDEFGHIJ }
openshift:
  version: "4.16.3"
  release_image: quay.io/openshift-release-dev/ocp-release@sha256:${'0f'.repeat(32)}
  max_minor: "4.18"
  control_plane_replicas: 3
  compute_replicas: 3
  instance_type_control_plane: m6i.xlarge
  instance_type_compute: m6i.xlarge
  compute_market: on-demand
credentials:
  cco_mode: manual-sts
  aws_profile: prod
  sts_name: prod-east-k3x9q
  create_private_s3_bucket: false
  permissions_boundary_arn: null
secrets:
  pull_secret_file: secrets/prod-east/pull-secret.json
  ssh_public_key_file: secrets/prod-east/ssh.pub
gitops:
  repo_url: https://github.com/org/fleet.git
  repo_ref: main
  env: prod
`;

describe('cluster.schema.json', () => {
  it('is up to date with the zod model', () => {
    // Compared as JSON: the checked-in file is formatted by Prettier, the generator writes JSON.stringify's layout.
    const difference = firstDifference(checkedIn(), generated());
    if (difference) {
      throw new Error(
        `packages/cluster-config/${JSON_SCHEMA_FILE} is stale: run \`npm run schema\` ` +
          `(then \`npx prettier --write packages/cluster-config/${JSON_SCHEMA_FILE}\`). First difference: ${difference}`,
      );
    }
  });

  it('is what the example cluster.yaml points its editor at', () => {
    const header = readFileSync(EXAMPLE, 'utf8').split('\n')[0]!;
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(header);
    expect(match).not.toBeNull();
    expect(resolve(dirname(EXAMPLE), match![1]!)).toBe(join(PACKAGE_ROOT, JSON_SCHEMA_FILE));
  });

  it('uses only the keywords that these tests check', () => {
    const unknown = subschemas(generated()).flatMap(({ path, schema }) =>
      Object.keys(schema)
        .filter((k) => !KEYWORDS.has(k))
        .map((k) => `${path}.${k}`),
    );
    expect(unknown).toEqual([]);
  });

  it('refuses unknown keys in every mapping but tags (keys of the user, each a string)', () => {
    const all = subschemas(generated()).filter(({ schema }) => schema.type === 'object');
    const tags = all.find(({ path }) => path === '(root).properties.tags');
    expect(tags?.schema.additionalProperties).toEqual({ type: 'string' });
    const objects = all.filter((object) => object !== tags);
    expect(objects.map(({ path }) => path)).toEqual([
      '(root)',
      '(root).properties.platform',
      '(root).properties.dns',
      '(root).properties.openshift',
      '(root).properties.openshift.properties.capabilities',
      '(root).properties.credentials',
      '(root).properties.secrets',
      '(root).properties.gitops',
      '(root).properties.state',
      '(root).properties.machines',
      '(root).properties.machines.properties.root_volume',
    ]);
    for (const { path, schema } of objects) {
      expect({ path, additionalProperties: schema.additionalProperties }).toEqual({
        path,
        additionalProperties: false,
      });
    }
  });

  it('requires the keys without a default', () => {
    const schema = generated();
    const required = (section?: string) =>
      section === undefined ? schema.required : schema.properties?.[section]?.required;
    expect(required()).toEqual(['name', 'platform', 'dns', 'openshift']);
    expect(required('platform')).toEqual(['type', 'account_id', 'region']);
    expect(required('dns')).toEqual(['base_domain']);
    expect(required('openshift')).toEqual(['version']);
    expect(required('credentials')).toBeUndefined();
    expect(required('secrets')).toBeUndefined();
    expect(required('gitops')).toEqual(['repo_url', 'repo_ref', 'env']);
  });

  it('describes every key, for editor hovers', () => {
    const undescribed = subschemas(generated())
      .filter(({ path }) => /\.properties\.[^.]+$/.test(path))
      .filter(({ schema }) => typeof schema.description !== 'string')
      .map(({ path }) => path);
    expect(undescribed).toEqual([]);
  });

  it('accepts the example cluster.yaml', () => {
    expect(violations(generated(), parse(readFileSync(EXAMPLE, 'utf8')))).toEqual([]);
  });

  it('accepts a sample with every key of the seed format', () => {
    expect(violations(generated(), parse(SEED_SAMPLE))).toEqual([]);
  });

  it('refuses what the model refuses, so the checks above are not vacuous', () => {
    const schema = generated();
    const sample = parse(SEED_SAMPLE) as Record<string, Record<string, unknown>>;
    const broken = (edit: (s: typeof sample) => void) => {
      const copy = structuredClone(sample);
      edit(copy);
      return violations(schema, copy);
    };
    expect(broken((s) => (s['dns']!['baseDomain'] = 'example.com'))).toEqual(['(root).dns.baseDomain: not allowed']);
    expect(broken((s) => (s['colour'] = {}))).toEqual(['(root).colour: not allowed']);
    expect(broken((s) => delete s['platform']!['region'])).toEqual(['(root).platform.region: required']);
    expect(broken((s) => (s['platform']!['account_id'] = 123456789012))).toEqual([
      '(root).platform.account_id: expected type string, got number',
    ]);
    expect(broken((s) => (s['openshift']!['control_plane_replicas'] = 2))).toHaveLength(1);
    expect(broken((s) => (s['platform']!['zones'] = []))).toEqual(['(root).platform.zones: fewer than 1 items']);
    expect(broken((s) => (s['credentials']!['cco_mode'] = 'manual-st'))).toEqual([
      '(root).credentials.cco_mode: not in enum',
    ]);
    expect(broken((s) => (s['gitops']!['repo_url'] = 'github.com/org/fleet'))).toHaveLength(1);
  });
});
