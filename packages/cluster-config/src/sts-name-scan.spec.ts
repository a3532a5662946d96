import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stsNameClaim } from './sts-name-claim.ts';
import { scanStsName, UNSURE, type StsNameScan } from './sts-name-scan.ts';
import { parseYamlSource } from './yaml-source.ts';

const FILE = 'clusters/app/cluster.yaml';
const scan = (text: string) => scanStsName(text, 'app');
const claim = (text: string) => stsNameClaim(FILE, text)?.stsName;
const parses = (text: string) => parseYamlSource(FILE, text).doc.errors.length === 0;

const REPO = join(import.meta.dirname, '..', '..', '..');
const GOLDEN = join(REPO, 'packages', 'installer', 'src', 'executors', 'render', '__fixtures__', 'golden');

const HEAD =
  'name: app\nplatform: { type: aws, account_id: "123456789012", region: us-east-1, zones: [us-east-1a] }\n' +
  'dns:\n  base_domain: example.com\nopenshift:\n  version: "4.16.3"\n';

/** Ways to write (or not write) credentials.sts_name, and other shapes the scanner must read right or leave. */
const CREDENTIALS = [
  '',
  'credentials: { cco_mode: manual-sts, sts_name: app-k3x9q }\n',
  'credentials: {sts_name: app-k3x9q}\n',
  'credentials: { sts_name: "app-k3x9q", cco_mode: manual-sts, }\n',
  "credentials: { sts_name: 'app-k3x9q' }\n",
  'credentials: { cco_mode: manual-sts }\n',
  'credentials: {}\n',
  'credentials:\n  cco_mode: manual-sts\n  sts_name: app-k3x9q\n',
  'credentials:\n    sts_name: app-k3x9q # keep stable\n    cco_mode: manual-sts\n',
  'credentials:\n  # sts_name: commented-out\n  cco_mode: manual-sts\n',
  'credentials:\n  sts_name: "quoted-name"\n',
  "credentials:\n  sts_name: 'single'\n",
  'credentials:\n  sts_name: "has #hash and spaces"\n',
  'credentials:\n  sts_name:\n',
  'credentials:\n  sts_name: ~\n',
  'credentials:\n  sts_name: null\n',
  'credentials:\n  sts_name: true\n',
  'credentials:\n  sts_name: 123\n',
  'credentials:\n  sts_name: 1e3\n',
  'credentials:\n  sts_name: 0x1f\n',
  'credentials:\n  sts_name: 9abc\n',
  'credentials:\n  sts_name: [a, b]\n',
  'credentials:\n  sts_name: { a: b }\n',
  'credentials:\n  sts_name:\n    nested: x\n',
  'credentials:\n  sts_name: Upper\n',
  'credentials:\n  nested:\n    sts_name: deeper\n',
  'credentials:\n',
  'credentials: null\n',
  'credentials: text\n',
  'credentials: [sts_name]\n',
  'credentials:\n  - sts_name\n',
  'credentials:\n- sts_name: x\n',
  'credentials:\n  sts_name: a\n  sts_name: b\n',
  'credentials: { sts_name: a, sts_name: b }\n',
  'credentials:\n  sts_name: a\ncredentials:\n  sts_name: b\n',
  'other:\n  sts_name: elsewhere\n',
  'sts_name: top-level\n',
  'gitops:\n  env: |\n    credentials:\n      sts_name: in-a-block-scalar\n',
  'gitops:\n  env: >-\n    sts_name: folded\n',
  'gitops:\n  env: "multi\n    sts_name: line"\n',
  'gitops:\n  env: plain\n    continued\n',
  'credentials: &c\n  sts_name: anchored\nextra: *c\n',
  'base: &b { sts_name: merged }\ncredentials:\n  <<: *b\n',
  'credentials:\n  "sts_name": quoted-key\n',
  'credentials:\n  "sts\\x5fname": escaped-key\n',
  'credentials:\n  ? sts_name\n  : explicit-key\n',
  'credentials:\n  sts_name: !!str tagged\n',
  'credentials:\n  sts_name: |\n    block\n',
  'credentials: {\n  sts_name: multi-line-flow }\n',
  'credentials:\n\tsts_name: tab\n',
  'credentials:\r\n  sts_name: crlf\r\n',
  'credentials:\n  sts_name : spaced\n',
  'credentials:\n  sts_name:no-space\n',
  'credentials:\n      sts_name: deep\n  cco_mode: manual-sts\n',
  '---\ncredentials:\n  sts_name: after-marker\n',
  'credentials:\n  sts_name: first\n---\ncredentials:\n  sts_name: second\n',
  '%YAML 1.1\n---\ncredentials:\n  sts_name: directive\n',
  // A lone carriage return is a line break to YAML.
  'credentials:\n  sts_name: "lone\rreturn"\n',
  "credentials:\n  sts_name: 'lone\rreturn'\n",
  'credentials:\n  sts_name: lone\r  x: y\n',
  'credentials:\n  cco_mode: manual-sts # lone\r  sts_name: after-return\n',
];

/** Whole files around the head, and a few that are not a mapping at all. */
const CORPUS = [
  ...CREDENTIALS.map((c) => HEAD + c),
  ...CREDENTIALS.map((c) => c + HEAD),
  ...CREDENTIALS.map((c) => `# yaml-language-server: $schema=x\n${c}\n\nenv: prod # a comment\n`),
  ...CREDENTIALS.map((c) => (HEAD + c).replaceAll('\n', '\r\n')),
  '',
  '# only a comment\n',
  '- a\n- b\n',
  'just text\n',
  '  name: app\n  credentials:\n    sts_name: indented-document\n',
  '\uFEFFname: app\ncredentials:\n  sts_name: bom\n',
  ...readdirSync(GOLDEN)
    .filter((f) => f.endsWith('.cluster.yaml'))
    .map((f) => readFileSync(join(GOLDEN, f), 'utf8')),
  readFileSync(join(REPO, 'clusters', 'example', 'cluster.yaml'), 'utf8'),
];

describe('scanStsName', () => {
  it('agrees with the parser on every file that parses, or says UNSURE', () => {
    const wrong: string[] = [];
    let compared = 0;
    for (const text of CORPUS) {
      const scanned: StsNameScan = scan(text);
      if (scanned === UNSURE || !parses(text)) continue;
      compared++;
      if (scanned !== claim(text)) wrong.push(`${JSON.stringify(text)}: scanned ${scanned}, parsed ${claim(text)}`);
    }
    expect(wrong).toEqual([]);
    // Not vacuous: the scanner settles many of them (115 of the 259 when written), and they parse.
    expect(compared).toBeGreaterThan(100);
  });

  it('settles the usual files itself: block and flow credentials, quoted or not, and none', () => {
    expect(scan(HEAD + 'credentials: { cco_mode: manual-sts, sts_name: app-k3x9q }\n')).toBe('app-k3x9q');
    expect(scan(HEAD + 'credentials:\n  cco_mode: manual-sts\n  sts_name: app-k3x9q # stable\n')).toBe('app-k3x9q');
    expect(scan(HEAD + 'credentials:\n  sts_name: "app-k3x9q"\n')).toBe('app-k3x9q');
    expect(scan(HEAD + 'credentials:\n  cco_mode: manual-sts\n')).toBe('app');
    expect(scan(HEAD)).toBe('app');
    // Windows line ends and a byte order mark, as editors and git's autocrlf leave them.
    expect(scan(`\uFEFF${HEAD}credentials:\n  sts_name: app-k3x9q\n`.replaceAll('\n', '\r\n'))).toBe('app-k3x9q');
    for (const file of CORPUS.slice(-9)) expect(scan(file)).not.toBe(UNSURE); // the goldens and the example
    // The generator's output, and what the graph benchmark writes.
    expect(scan(readFileSync(join(REPO, 'clusters', 'example', 'cluster.yaml'), 'utf8'))).toBe('example-k3x9q');
  });

  it('leaves to the parser what the plain subset cannot settle', () => {
    for (const credentials of [
      'credentials:\n  sts_name: 123\n',
      'credentials:\n  sts_name: null\n',
      'credentials:\n  sts_name: a\n  sts_name: b\n',
      'credentials:\n  "sts_name": quoted-key\n',
      'gitops:\n  env: |\n    credentials:\n      sts_name: in-a-block-scalar\n',
      'base: &b { sts_name: merged }\ncredentials:\n  <<: *b\n',
      'credentials:\n  cco_mode: manual-sts # lone\r  sts_name: after-return\n',
    ]) {
      expect(scan(HEAD + credentials)).toBe(UNSURE);
    }
    expect(scan(`${HEAD}# ${'x'.repeat(5000)}\n`)).toBe(UNSURE);
  });

  it('is what the parser says on the files it leaves', () => {
    expect(claim(HEAD + 'credentials:\n  sts_name: 123\n')).toBeUndefined();
    expect(claim(HEAD + 'credentials:\n  "sts_name": quoted-key\n')).toBe('quoted-key');
    expect(claim(HEAD + 'gitops:\n  env: |\n    credentials:\n      sts_name: in-a-block-scalar\n')).toBe('app');
    expect(claim('name: [\n')).toBeUndefined();
  });
});

describe('stsNameClaim', () => {
  it('locates credentials.sts_name, or the name that stands for it', () => {
    expect(stsNameClaim(FILE, HEAD + 'credentials:\n  sts_name: app-k3x9q\n')).toEqual({
      file: FILE,
      line: 8,
      col: 3,
      key: 'credentials.sts_name',
      stsName: 'app-k3x9q',
    });
    expect(stsNameClaim(FILE, 'env: prod\nname: app\n')).toEqual({
      file: FILE,
      line: 2,
      col: 1,
      key: 'name',
      stsName: 'app',
    });
    expect(stsNameClaim(FILE, 'env: prod\n')).toMatchObject({ line: 1, col: 1, key: 'name', stsName: 'app' });
  });
});
