import { compiledPath, publishCollection, publishManifest, shippedTopLevel } from './manifest.ts';

const shared = { license: 'Apache-2.0', engines: { node: '>=24.21.0 <25' } };

describe('the published manifest', () => {
  const source = {
    name: '@ocp-sts/example',
    version: '1.2.3',
    description: 'an example',
    keywords: ['nx-plugin'],
    private: true,
    type: 'module',
    exports: {
      '.': './src/index.ts',
      './layout': './src/layout.ts',
      './targets/*': './src/executors/*/target.ts',
      './cluster.schema.json': './cluster.schema.json',
      './package.json': './package.json',
    },
    bin: { 'ocp-sts-example': './src/cli.ts' },
    executors: './executors.json',
    'nx-migrations': { migrations: './migrations.json' },
    dependencies: { '@ocp-sts/toolchain': '1.2.3', yaml: '2.9.1' },
    peerDependencies: { nx: '^23.3.1' },
    scripts: { test: 'jest' },
    nx: { tags: ['scope:plugin'] },
  };

  it('points exports and bins at the compiled files with their types, and drops what only the repository uses', () => {
    expect(publishManifest(source, shared)).toEqual({
      name: '@ocp-sts/example',
      version: '1.2.3',
      description: 'an example',
      keywords: ['nx-plugin'],
      license: 'Apache-2.0',
      type: 'module',
      exports: {
        '.': { types: './src/index.d.ts', default: './src/index.js' },
        './layout': { types: './src/layout.d.ts', default: './src/layout.js' },
        './targets/*': { types: './src/executors/*/target.d.ts', default: './src/executors/*/target.js' },
        './cluster.schema.json': './cluster.schema.json',
        './package.json': './package.json',
      },
      bin: { 'ocp-sts-example': './src/cli.js' },
      executors: './executors.json',
      'nx-migrations': { migrations: './migrations.json' },
      files: ['cluster.schema.json', 'executors.json', 'migrations.json', 'src'],
      engines: { node: '>=24.21.0 <25' },
      dependencies: { '@ocp-sts/toolchain': '1.2.3', yaml: '2.9.1' },
      peerDependencies: { nx: '^23.3.1' },
    });
  });

  it('ships src and the top-level files the manifest names, never package.json twice', () => {
    expect(shippedTopLevel({ name: 'x', version: '0.0.0', exports: { '.': './src/index.ts' } })).toEqual(['src']);
    expect(shippedTopLevel({ name: 'x', version: '0.0.0', generators: './generators.json' })).toEqual([
      'generators.json',
      'src',
    ]);
  });

  it('keeps a package’s own engines over the repository’s', () => {
    const own = publishManifest({ name: 'x', version: '0.0.0', engines: { node: '>=24' } }, shared);
    expect(own['engines']).toEqual({ node: '>=24' });
  });
});

describe('published collections', () => {
  it('point implementations and factories at .js and leave schemas and descriptions alone', () => {
    expect(
      publishCollection({
        executors: { render: { implementation: './src/render.ts', schema: './src/schema.json', description: 'r' } },
        generators: { init: { factory: './src/init.ts', schema: './src/init.json' } },
      }),
    ).toEqual({
      executors: { render: { implementation: './src/render.js', schema: './src/schema.json', description: 'r' } },
      generators: { init: { factory: './src/init.js', schema: './src/init.json' } },
    });
  });

  it('rewrites only TypeScript sources', () => {
    expect(compiledPath('./src/a.ts')).toBe('./src/a.js');
    expect(compiledPath('./src/a.d.ts')).toBe('./src/a.d.ts');
    expect(compiledPath('./src/a.js')).toBe('./src/a.js');
    expect(compiledPath('./schema.json')).toBe('./schema.json');
  });
});
