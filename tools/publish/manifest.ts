/*
 * What a package's package.json says once published. In this repository each package points at its TypeScript
 * source (`./src/index.ts`), which Node runs by stripping types; under node_modules Node refuses to strip types, so
 * the published package points at the compiled JavaScript beside its `.d.ts`, in the same layout (`./src/index.js`).
 * Pure: the build (build.ts) reads and writes the files.
 */

export interface SourceManifest {
  name: string;
  version: string;
  description?: string;
  /** Where npm's search and Nx's plugin listing look (`nx-plugin`). */
  keywords?: string[];
  license?: string;
  type?: string;
  exports?: Record<string, string>;
  bin?: Record<string, string>;
  executors?: string;
  generators?: string;
  'nx-migrations'?: { migrations: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  files?: string[];
}

/** The fields of the repository's root package.json every published package repeats. */
export interface SharedFields {
  license: string;
  engines: Record<string, string>;
}

export type ExportTarget = string | { types: string; default: string };

/** The package.json as published: a source manifest whose exports name compiled files with their types. */
export type PublishedManifest = Omit<SourceManifest, 'exports'> & { exports?: Record<string, ExportTarget> };

const TS_SOURCE = /\.ts$/;

/** `./src/x.ts` -> `./src/x.js`; anything else as it is. */
export const compiledPath = (path: string): string =>
  TS_SOURCE.test(path) && !path.endsWith('.d.ts') ? path.replace(TS_SOURCE, '.js') : path;

function exportTarget(path: string): ExportTarget {
  if (!TS_SOURCE.test(path)) return path;
  return { types: path.replace(TS_SOURCE, '.d.ts'), default: compiledPath(path) };
}

const mapValues = <T>(record: Record<string, string>, map: (value: string) => T): Record<string, T> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));

/** The files and folders at the package's top level that it ships (npm adds package.json and README itself). */
export function shippedTopLevel(manifest: SourceManifest): string[] {
  const files = new Set<string>(['src']);
  const top = (path: string) => path.replace(/^\.\//, '').split('/')[0]!;
  for (const path of Object.values(manifest.exports ?? {})) if (path !== './package.json') files.add(top(path));
  for (const field of [manifest.executors, manifest.generators, manifest['nx-migrations']?.migrations]) {
    if (field) files.add(top(field));
  }
  return [...files].sort();
}

/**
 * The published package.json: exports and bins at the compiled files (with their types), peer and engine ranges
 * kept, nothing that only this repository uses (scripts, `private`, Nx's project settings).
 */
export function publishManifest(source: SourceManifest, shared: SharedFields): PublishedManifest {
  const published: PublishedManifest = {
    name: source.name,
    version: source.version,
    description: source.description,
    keywords: source.keywords,
    license: shared.license,
    type: source.type ?? 'module',
    exports: source.exports && mapValues(source.exports, exportTarget),
    bin: source.bin && mapValues(source.bin, compiledPath),
    executors: source.executors,
    generators: source.generators,
    'nx-migrations': source['nx-migrations'],
    files: shippedTopLevel(source),
    engines: source.engines ?? shared.engines,
    dependencies: source.dependencies,
    peerDependencies: source.peerDependencies,
  };
  // Fields this package does not have (undefined) are left out, as JSON leaves them out.
  return JSON.parse(JSON.stringify(published)) as PublishedManifest;
}

/** An executors.json, generators.json or migrations.json with its implementations at the compiled files. */
export function publishCollection(collection: Record<string, unknown>): Record<string, unknown> {
  const entries = (group: unknown) =>
    Object.fromEntries(
      Object.entries(group as Record<string, Record<string, unknown>>).map(([name, entry]) => [
        name,
        Object.fromEntries(
          Object.entries(entry).map(([key, value]) =>
            ['implementation', 'factory'].includes(key) && typeof value === 'string'
              ? [key, compiledPath(value)]
              : [key, value],
          ),
        ),
      ]),
    );
  return Object.fromEntries(
    Object.entries(collection).map(([key, value]) =>
      ['executors', 'generators', 'schematics', 'builders'].includes(key) && value && typeof value === 'object'
        ? [key, entries(value)]
        : [key, value],
    ),
  );
}
