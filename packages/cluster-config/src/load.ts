import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { z } from 'zod';
import { deepMerge, isPlainObject } from './merge.ts';
import { clusterSchema, newStsName, STS_NAME_MAX, type ParsedCluster } from './schema.ts';
import { nearest } from './suggest.ts';
import {
  aliasesOf,
  MAX_ALIASES,
  duplicateKeys,
  locate,
  parseYamlSource,
  positionAt,
  sourceText,
  type Path,
  type YamlSource,
} from './yaml-source.ts';
import { CLUSTER_FILE, defaultSecretFiles, DEFAULTS_FILE, MAX_CONFIG_FILE_BYTES } from './layout.ts';

/** One thing wrong with a cluster's configuration, located in the file that says it. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  /** Dotted key path, e.g. `openshift.compute_replicas`; `yaml` for syntax errors. */
  key: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col} ${p.key}: ${p.message}`;
}

/** At most a screenful of problems is reported, then `and N more`: fixing the first ones often clears the rest. */
export const MAX_REPORTED_PROBLEMS = 20;

/** Declared in layout.ts, which the graph plugin reads too; exported here as before. */
export { MAX_CONFIG_FILE_BYTES };

/** Declared in yaml-source.ts, which stsNameClaim shares; exported here as before. */
export { MAX_ALIASES };

/** A cluster.yaml (or defaults.yaml) that cannot be used. Carries every problem found, not just the first. */
export class ClusterConfigError extends Error {
  /** Executors print the message alone, without a stack trace (see toolchain's isUserError). */
  readonly userFacing = true;
  /** The problems reported, at most MAX_REPORTED_PROBLEMS of them. */
  readonly problems: Problem[];
  /** How many more were found but not reported. */
  readonly more: number;
  constructor(problems: Problem[], more: { count: number; files: string[] } = { count: 0, files: [] }) {
    const total = problems.length + more.count;
    const files = [...new Set([...problems.map((p) => p.file), ...more.files])].join(', ');
    super(
      `${total} problem${total === 1 ? '' : 's'} in ${files}:\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n') +
        (more.count ? `\n  and ${more.count} more` : ''),
    );
    this.name = 'ClusterConfigError';
    this.problems = problems;
    this.more = more.count;
  }
}

/** A problem whose message is composed only if it is reported: a suggestion costs an edit distance per known key. */
type Found = Omit<Problem, 'message'> & { message: string | (() => string) };

/** The error for `found`: sorted by file and position, the first MAX_REPORTED_PROBLEMS of them, then the count. */
function configError(found: Found[]): ClusterConfigError {
  const sorted = [...found].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.col - b.col,
  );
  const shown = sorted.slice(0, MAX_REPORTED_PROBLEMS).map((p) => ({
    ...p,
    message: typeof p.message === 'string' ? p.message : p.message(),
  }));
  const hidden = sorted.slice(MAX_REPORTED_PROBLEMS);
  return new ClusterConfigError(shown, { count: hidden.length, files: [...new Set(hidden.map((p) => p.file))] });
}

/** The problem of a file over MAX_CONFIG_FILE_BYTES, if it is. */
function sizeProblem(file: string, bytes: number): Problem | undefined {
  if (bytes <= MAX_CONFIG_FILE_BYTES) return undefined;
  const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;
  return {
    file,
    line: 1,
    col: 1,
    key: '(file)',
    message: `is ${kib(bytes)} (${bytes} bytes), over the limit of ${kib(MAX_CONFIG_FILE_BYTES)} for a cluster configuration (a real one is a few KB); check that it is the right file`,
  };
}

export interface LoadedCluster {
  /** Validated, with clusters/defaults.yaml merged underneath and schema defaults applied. */
  cluster: ParsedCluster;
  /** ccoctl --name: credentials.sts_name, or the cluster name. */
  stsName: string;
  /** Absolute paths of the secret files (not read here). */
  secretFiles: { pullSecret: string; sshPublicKey: string };
  /** Things that work but deserve attention, each a full sentence. */
  warnings: string[];
  /** Workspace-relative paths of the files that were read. */
  sources: string[];
}

export interface LoadOptions {
  workspaceRoot: string;
  /** Workspace-relative folder of the cluster, e.g. `clusters/prod-east`. */
  projectRoot: string;
}

/**
 * Reads clusters/<name>/cluster.yaml with clusters/defaults.yaml merged under it, and validates the result.
 * Throws ClusterConfigError listing every problem as file:line:col key: message.
 */
export function loadClusterConfig({ workspaceRoot, projectRoot }: LoadOptions): LoadedCluster {
  // Sizes first: a huge file is refused before it is even read.
  const tooLarge = [join(projectRoot, CLUSTER_FILE), join(dirname(projectRoot), DEFAULTS_FILE)].flatMap((file) => {
    const absolute = join(workspaceRoot, file);
    const problem = existsSync(absolute) ? sizeProblem(file, statSync(absolute).size) : undefined;
    return problem ? [problem] : [];
  });
  if (tooLarge.length) throw new ClusterConfigError(tooLarge);
  const read = (file: string) => {
    const absolute = join(workspaceRoot, file);
    return existsSync(absolute) ? readFileSync(absolute, 'utf8') : undefined;
  };
  return parseClusterConfig({ workspaceRoot, projectRoot, read });
}

export interface ParseOptions extends LoadOptions {
  /** Returns a workspace-relative file's text, or undefined when it does not exist (disk, or an Nx Tree). */
  read: (file: string) => string | undefined;
}

/** loadClusterConfig on any file source: the generators validate what they write through their Tree. */
export function parseClusterConfig({ workspaceRoot, projectRoot, read }: ParseOptions): LoadedCluster {
  const clusterFile = join(projectRoot, CLUSTER_FILE);
  const defaultsFile = join(dirname(projectRoot), DEFAULTS_FILE);
  const clusterText = read(clusterFile);
  if (clusterText === undefined) {
    throw new ClusterConfigError([
      {
        file: clusterFile,
        line: 1,
        col: 1,
        key: '(file)',
        message: 'not found; scaffold one with `nx g @ocp-sts/nx-plugin:cluster`',
      },
    ]);
  }
  const defaultsText = read(defaultsFile);
  const tooLarge = [
    sizeProblem(clusterFile, Buffer.byteLength(clusterText)),
    defaultsText === undefined ? undefined : sizeProblem(defaultsFile, Buffer.byteLength(defaultsText)),
  ].filter((p): p is Problem => p !== undefined);
  if (tooLarge.length) throw new ClusterConfigError(tooLarge);
  const cluster = parseYamlSource(clusterFile, clusterText);
  const defaults = defaultsText === undefined ? undefined : parseYamlSource(defaultsFile, defaultsText);
  const sources = [cluster, defaults].filter((s): s is YamlSource => s !== undefined);

  const syntax = sources.flatMap(syntaxProblems);
  if (syntax.length) throw configError(syntax);

  const problems: Found[] = [];
  const values = sources.map((src) => {
    const aliases = aliasesOf(src);
    const beyond = aliases[MAX_ALIASES];
    if (beyond) {
      problems.push({
        ...positionAt(src, beyond.offset),
        key: dotted(beyond.path),
        message: `is alias number ${MAX_ALIASES + 1} of ${aliases.length}; at most ${MAX_ALIASES} are allowed (write the values out)`,
      });
      return {};
    }
    let value: unknown;
    try {
      value = src.doc.contents === null ? {} : src.doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (error) {
      // An alias without its anchor, or too many expansions of aliases: yaml throws on conversion, not while parsing.
      problems.push(...aliasProblems(src, aliases, error));
      return {};
    }
    if (!isPlainObject(value)) {
      problems.push({
        ...positionAt(src, src.doc.contents?.range[0] ?? 0),
        key: '(top level)',
        message: 'expected a mapping of keys (name, platform, dns, openshift, ...)',
      });
      return {};
    }
    return value;
  });
  if (problems.length) throw configError(problems);
  const [own, shared = {}] = values as [Record<string, unknown>, Record<string, unknown>?];

  if (defaults) problems.push(...clusterOnlyKeys(defaults));
  const merged = deepMerge(shared, own);
  const parsed = clusterSchema.safeParse(merged);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.flatMap((issue) => describeIssue(issue, merged, sources)));
  }

  const folder = basename(projectRoot);
  if (typeof own.name === 'string' && own.name !== folder) {
    problems.push(
      at(cluster, ['name'], `expected "${folder}", the name of the folder (rename the folder or the cluster)`),
    );
  }
  if (!parsed.success) throw configError(problems);
  const config = parsed.data;

  const warnings: string[] = [];
  const stsName = config.credentials.sts_name ?? config.name;
  if (config.credentials.cco_mode === 'manual-sts' && !config.credentials.sts_name) {
    if (config.name.length > STS_NAME_MAX) {
      problems.push(
        at(
          cluster,
          ['name'],
          `is longer than ${STS_NAME_MAX} characters, so it cannot serve as credentials.sts_name (the bucket "<sts_name>-oidc" may have 63); set credentials.sts_name`,
        ),
      );
    } else {
      warnings.push(
        `${clusterFile}: credentials.sts_name is not set, so ccoctl uses the cluster name "${config.name}". ` +
          `S3 bucket names are global: "${config.name}-oidc" may already be taken in another account. ` +
          `Set credentials.sts_name to something unique, e.g. "${newStsName(config.name)}".`,
      );
    }
  }
  if (problems.length) throw configError(problems);

  const secretPath = (p: string) => (isAbsolute(p) ? p : join(workspaceRoot, p));
  const byDefault = defaultSecretFiles(config.name);
  return {
    cluster: config,
    stsName,
    secretFiles: {
      pullSecret: secretPath(config.secrets?.pull_secret_file ?? byDefault.pullSecret),
      sshPublicKey: secretPath(config.secrets?.ssh_public_key_file ?? byDefault.sshPublicKey),
    },
    warnings,
    sources: sources.map((s) => s.file),
  };
}

function syntaxProblems(src: YamlSource): Problem[] {
  const problems: Problem[] = src.doc.errors.map((e) => {
    const pos = positionAt(src, e.pos[0]);
    const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    if (e.code === 'MULTIPLE_DOCS') {
      return { ...pos, key: 'yaml', message: 'a second YAML document starts here (---); the file must hold one' };
    }
    return { ...pos, key: 'yaml', message: `${message} (fix the YAML syntax here)` };
  });
  // A document with syntax errors may not hold together enough to look for duplicates in.
  if (problems.length) return problems;
  return duplicateKeys(src).map(({ path, offset }) => ({
    ...positionAt(src, offset),
    key: dotted(path),
    message: 'appears twice in the same mapping; keep one',
  }));
}

const dotted = (path: Path) => (path.length ? path.join('.') : '(top level)');

function aliasProblems(src: YamlSource, aliases: ReturnType<typeof aliasesOf>, error: unknown): Problem[] {
  const problems = aliases
    .filter((alias) => !alias.resolved)
    .map(({ path, offset, source }) => ({
      ...positionAt(src, offset),
      key: dotted(path),
      message: `alias *${source} has no anchor &${source} before it (fix the YAML syntax here)`,
    }));
  if (problems.length) return problems;
  const message = error instanceof Error ? error.message : String(error);
  return [{ ...positionAt(src, 0), key: 'yaml', message: `${message} (fix the YAML here)` }];
}

/** Keys that must differ per cluster and so may not come from defaults.yaml. */
export const CLUSTER_ONLY_KEYS: readonly Path[] = [['name'], ['credentials', 'sts_name']];

function clusterOnlyKeys(defaults: YamlSource): Problem[] {
  return CLUSTER_ONLY_KEYS.filter((path) => locate(defaults, path).depth === path.length).map((path) =>
    at(defaults, path, 'must be set in each cluster.yaml, not in defaults.yaml (it has to be unique per cluster)'),
  );
}

function at(src: YamlSource, path: Path, message: string): Problem {
  const { node } = locate(src, path);
  return { ...positionAt(src, node?.range?.[0] ?? 0), key: path.join('.'), message };
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue, merged: unknown, sources: YamlSource[]): Found[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(path);
    return issue.keys.map((key) => {
      const message = () => {
        const suggestion = nearest(key, known);
        return `unknown key; ${suggestion ? `did you mean "${suggestion}"?` : `expected one of: ${known.join(', ')}`}`;
      };
      return { ...locateProblem([...path, key], '', sources), message };
    });
  }
  // The sections carry no message of their own; zod's default ("Invalid input: expected object") says too little.
  const expected =
    issue.code === 'invalid_type' && issue.expected === 'object'
      ? `expected a mapping of keys (${knownKeys(path).join(', ')})`
      : issue.message;
  const value = valueAt(merged, path);
  if (value === undefined) return [locateProblem(path, `missing; ${expected}`, sources)];
  // Quoting helps only where text is expected: `compute_replicas: -1` must not be told to write "-1".
  const textExpected = issue.code === 'invalid_type' && issue.expected === 'string';
  return [locateProblem(path, `${expected}, got ${describeValue(value, path, sources, textExpected)}`, sources)];
}

/** Places a problem in the file that sets the key: cluster.yaml, else defaults.yaml, else the nearest parent. */
function locateProblem(path: Path, message: string, sources: YamlSource[]): Problem {
  const key = dotted(path);
  const found = sources.map((src) => ({ src, ...locate(src, path) }));
  const exact = found.find((f) => f.depth === path.length && f.node);
  const best = exact ?? found.reduce((a, b) => (b.depth > a.depth ? b : a));
  const offset = best.node?.range?.[0] ?? best.src.doc.contents?.range[0] ?? 0;
  return { ...positionAt(best.src, offset), key, message };
}

function describeValue(value: unknown, path: Path, sources: YamlSource[], textExpected: boolean): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return value.length ? 'a list' : 'an empty list';
  if (isPlainObject(value)) return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') {
    // YAML reads `4.10` as the number 4.1 and `012345678901` as a number without its zero: show what was written.
    // From the file that sets the key: cluster.yaml may hold only a parent of it (the rest from defaults.yaml).
    const written = sources
      .map((src) => ({ src, ...locate(src, path) }))
      .filter((found) => found.depth === path.length)
      .map((found) => sourceText(found.src, found.value))
      .find((t) => t !== undefined);
    const shown = written ?? String(value);
    return textExpected ? `${shown} (a ${typeof value}; if it is meant as text, quote it: "${shown}")` : shown;
  }
  return `a value of type ${typeof value}`;
}

function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

interface SchemaLike {
  def?: {
    type?: string;
    innerType?: SchemaLike;
    /** The input side of a pipe (a section with a transform). */
    in?: SchemaLike;
    element?: SchemaLike;
    shape?: Record<string, SchemaLike>;
  };
}

/** The keys the schema allows at `path`, for suggestions. */
function knownKeys(path: Path): string[] {
  let schema: SchemaLike | undefined = clusterSchema;
  const unwrap = (s: SchemaLike | undefined) => {
    while (s?.def?.innerType ?? s?.def?.in) s = s.def.innerType ?? s.def.in;
    return s;
  };
  for (const segment of path) {
    schema = unwrap(schema);
    schema = typeof segment === 'number' ? schema?.def?.element : schema?.def?.shape?.[segment];
  }
  return Object.keys(unwrap(schema)?.def?.shape ?? {});
}
