/*
 * Builds the packages for the registry, and packs them:
 *
 *   node tools/publish/build.ts          (npm run build)  compiles into dist/packages/<name>/
 *   node tools/publish/build.ts --pack   (npm run pack)   and packs each into dist/tarballs/<scope>-<name>-<version>.tgz
 *
 * One `tsc` over all seven packages (tsconfig.build.json): they are released together at one version, and each
 * imports the others by name, which inside this repository resolves to their source. Each package's folder gets the
 * compiled JavaScript and `.d.ts` in the layout of its source, the files its code reads at run time (schema.json,
 * secret-digests.js, the workflow templates), the declaration files written by hand (a generator's schema.d.ts, which
 * the emitted `.d.ts` import), and a package.json, executors.json, generators.json and
 * migrations.json pointing at the compiled files (manifest.ts). Specs, fixtures and test data are left out.
 *
 * All or nothing: the build is written beside dist/packages and takes its place only once complete.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { publishCollection, publishManifest, type SharedFields, type SourceManifest } from './manifest.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
const PACKAGES_DIR = join(REPO_ROOT, 'packages');
export const DIST_PACKAGES = join(REPO_ROOT, 'dist', 'packages');
export const DIST_TARBALLS = join(REPO_ROOT, 'dist', 'tarballs');

/** The package users add (`nx add`): its README is this repository's, the reference the generated files point to. */
const DOCUMENTED_PACKAGE = 'nx-plugin';

/** Folders under src/ that only tests read. */
const TEST_ONLY_DIRS = new Set(['__fixtures__', 'testdata']);

/**
 * Every file under `dir` (relative to it) that the package ships and tsc does not emit: what its code reads at run
 * time, and the `.d.ts` written by hand (tsc emits none for them).
 */
function sourceAssets(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) return TEST_ONLY_DIRS.has(entry.name) ? [] : sourceAssets(dir, path);
    const compiled = entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts');
    return compiled || entry.name.endsWith('.md') ? [] : [path];
  });
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The names of the package folders, in a stable order. */
export function packageFolders(): string[] {
  return readdirSync(PACKAGES_DIR)
    .filter((name) => existsSync(join(PACKAGES_DIR, name, 'package.json')))
    .sort();
}

function sharedFields(): SharedFields {
  const root = readJson(join(REPO_ROOT, 'package.json')) as SharedFields;
  return { license: root.license, engines: root.engines };
}

/** Completes one package's folder in `out` (which tsc has filled with its compiled src/). */
function assemblePackage(folder: string, out: string, shared: SharedFields): void {
  const source = join(PACKAGES_DIR, folder);
  const manifest = readJson(join(source, 'package.json')) as SourceManifest;
  for (const asset of sourceAssets(join(source, 'src'))) {
    cpSync(join(source, 'src', asset), join(out, 'src', asset));
  }
  // Files the exports name besides code (cluster.schema.json), before the collections, which some exports name too.
  for (const path of Object.values(manifest.exports ?? {})) {
    if (!path.endsWith('.ts') && path !== './package.json') cpSync(join(source, path), join(out, path));
  }
  const collections = [manifest.executors, manifest.generators, manifest['nx-migrations']?.migrations];
  for (const file of collections.filter((f): f is string => !!f)) {
    writeJson(join(out, file), publishCollection(readJson(join(source, file)) as Record<string, unknown>));
  }
  const readme = [join(source, 'README.md'), ...(folder === DOCUMENTED_PACKAGE ? [join(REPO_ROOT, 'README.md')] : [])];
  const found = readme.find((file) => existsSync(file));
  if (found) cpSync(found, join(out, 'README.md'));
  writeJson(join(out, 'package.json'), publishManifest(manifest, shared));
}

/** Compiles and assembles every package into `outDir` (default dist/packages); returns their folders there. */
export function buildPackages(outDir = DIST_PACKAGES): string[] {
  const partial = `${outDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  try {
    execFileSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', partial],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
    );
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc -p tsconfig.build.json failed:\n${stdout}${stderr}`, { cause: error });
  }
  const shared = sharedFields();
  const folders = packageFolders();
  for (const folder of folders) {
    mkdirSync(join(partial, folder, 'src'), { recursive: true });
    assemblePackage(folder, join(partial, folder), shared);
  }
  rmSync(outDir, { recursive: true, force: true });
  renameSync(partial, outDir);
  return folders.map((folder) => join(outDir, folder));
}

/** Packs each built package folder with npm into `destination`; returns the tarballs' paths. */
export function packPackages(packageDirs: string[], destination = DIST_TARBALLS): string[] {
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  return packageDirs.map((dir) => {
    const out = execFileSync('npm', ['pack', dir, '--pack-destination', destination, '--json', '--ignore-scripts'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [{ filename }] = JSON.parse(out) as [{ filename: string }];
    return join(destination, filename);
  });
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({ options: { pack: { type: 'boolean', default: false } } });
  const built = buildPackages();
  for (const dir of built) process.stdout.write(`built ${relative(REPO_ROOT, dir)}\n`);
  if (values.pack) {
    for (const tarball of packPackages(built)) process.stdout.write(`packed ${relative(REPO_ROOT, tarball)}\n`);
  }
}
