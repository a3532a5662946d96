/*
 * The oc stand-in against what the real `oc adm release extract / info` does (tools/stand-ins/README.md, `oc`), including
 * what the real oc (release-4.16) did when it was run against this payload, run as a real child process.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { toKubeYaml } from './kube-yaml.ts';
import { installConfigYaml, PULL_SECRET_MARKER, run, tempDir, writeRegistryAuth } from './spec-helpers.ts';

const digestOf = (version: string) => `sha256:${createHash('sha256').update(version).digest('hex')}`;
const TAG = 'quay.io/openshift-release-dev/ocp-release:4.16.3-x86_64';
const BY_DIGEST = `quay.io/openshift-release-dev/ocp-release@${digestOf('4.16.3')}`;

/** The 7 payload files that hold an AWS CredentialsRequest, by payload name, and the request each holds. */
const AWS_FILES: Record<string, string> = {
  '0000_30_cluster-api_01_credentials-request.yaml': 'openshift-cluster-api-aws',
  '0000_30_machine-api-operator_00_credentials-request.yaml': 'openshift-machine-api-aws',
  '0000_50_cloud-credential-operator_05-iam-ro-credentialsrequest.yaml': 'cloud-credential-operator-iam-ro',
  '0000_50_cluster-image-registry-operator_01-registry-credentials-request.yaml': 'openshift-image-registry',
  '0000_50_cluster-ingress-operator_00-ingress-credentials-request.yaml': 'openshift-ingress',
  '0000_50_cluster-network-operator_02-cncc-credentials.yaml': 'openshift-cloud-network-config-controller-aws',
  '0000_50_cluster-storage-operator_03_credentials_request_aws.yaml': 'aws-ebs-csi-driver-operator',
};
const CAPI = '0000_30_cluster-api_01_credentials-request.yaml';
const DEFAULT_SET = Object.keys(AWS_FILES)
  .filter((f) => f !== CAPI)
  .sort();

let scratch: ReturnType<typeof tempDir>;
let auth: string;
beforeAll(() => {
  scratch = tempDir('oc-');
  auth = writeRegistryAuth(scratch.path);
});
afterAll(() => {
  scratch.remove();
});
const path = (...parts: string[]) => join(scratch.path, ...parts);
const files = (dir: string) => readdirSync(dir).sort();
const oc = (args: string[], env: Record<string, string> = {}) => run('oc', args, { env });
function extract(to: string, extra: string[] = [], image = TAG) {
  return oc(['adm', 'release', 'extract', '--credentials-requests', `--to=${to}`, '-a', auth, ...extra, image]);
}
function writeConfig(name: string, overrides: Record<string, unknown> = {}): string {
  const file = path(`${name}.yaml`);
  writeFileSync(file, installConfigYaml(overrides));
  return file;
}
function requestNames(dir: string): string[] {
  return files(dir)
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')))
    .map((doc) => String(doc.getIn(['metadata', 'name'])))
    .sort();
}

describe('oc adm release extract --credentials-requests --cloud=aws', () => {
  let dir: string;
  let result: ReturnType<typeof run>;
  beforeAll(() => {
    dir = path('aws');
    mkdirSync(dir);
    writeFileSync(join(dir, 'already-here.txt'), 'kept');
    result = extract(dir, ['--cloud=aws']);
  });

  it('writes the 7 payload files holding AWS requests, under their payload names, and keeps files in DIR', () => {
    expect(result.status).toBe(0);
    expect(files(dir)).toEqual([...Object.keys(AWS_FILES), 'already-here.txt'].sort());
    expect(readFileSync(join(dir, 'already-here.txt'), 'utf8')).toBe('kept');
  });

  it('keeps only the AWS document of each file, each after ---, keys sorted, no comments', () => {
    for (const [file, name] of Object.entries(AWS_FILES)) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text.startsWith('---\n')).toBe(true);
      expect(text).not.toContain('#');
      const docs = parseAllDocuments(text);
      expect(docs).toHaveLength(1);
      const doc = docs[0]!;
      expect(doc.getIn(['metadata', 'name'])).toBe(name);
      expect(doc.getIn(['spec', 'providerSpec', 'kind'])).toBe('AWSProviderSpec');
      // Re-serialising the parsed document the way oc does (sorted keys) gives the same text back.
      expect(text).toBe(`---\n${toKubeYaml(doc.toJS())}`);
      expect(Object.keys(doc.toJS() as object)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    }
    // The CNCC file holds 4 requests; the AWS one is the second: only it survives.
    const cncc = readFileSync(join(dir, '0000_50_cluster-network-operator_02-cncc-credentials.yaml'), 'utf8');
    expect(cncc).not.toContain('GCPProviderSpec');
    // The storage file's kms condition is a boolean, quoting normalised.
    const ebs = readFileSync(join(dir, '0000_50_cluster-storage-operator_03_credentials_request_aws.yaml'), 'utf8');
    expect(ebs).toContain('      policyCondition:\n        Bool:\n          kms:GrantIsForAWSResource: true\n');
    expect(ebs).toContain("      resource: '*'\n");
    expect(ebs).toContain('    include.release.openshift.io/self-managed-high-availability: "true"\n');
  });

  it('prints the release digest on stdout and warns that ccoctl should get --included', () => {
    expect(result.stdout).toMatch(
      new RegExp(`^Extracted release payload from digest ${digestOf('4.16.3')} created at \\d{4}-\\d\\d-\\d\\dT`),
    );
    expect(result.stderr).toMatch(/^warning: .*--included/m);
    expect(result.stdout + result.stderr).not.toContain(PULL_SECRET_MARKER);
  });

  it('without --cloud keeps the requests of every cloud, and drops only non-CredentialsRequest documents', () => {
    const all = path('all-clouds');
    expect(extract(all, [], BY_DIGEST).status).toBe(0);
    expect(files(all)).toHaveLength(11);
    expect(requestNames(all)).toHaveLength(31);
  });
});

describe('oc adm release extract --included --install-config', () => {
  it('keeps the 6 Default-feature-set AWS requests for a plain AWS install-config', () => {
    const dir = path('included-default');
    const result = extract(dir, ['--included', `--install-config=${writeConfig('default')}`]);
    expect(result.status).toBe(0);
    expect(files(dir)).toEqual(DEFAULT_SET);
    expect(result.stderr).not.toMatch(/warning/);
    // --cloud is implied by the install-config's platform: only AWS documents.
    expect(requestNames(dir)).toEqual(DEFAULT_SET.map((f) => AWS_FILES[f]).sort());
  });

  it('adds the TechPreview cluster-api request only with featureSet TechPreviewNoUpgrade', () => {
    const dir = path('included-techpreview');
    const config = writeConfig('techpreview', { featureSet: 'TechPreviewNoUpgrade' });
    expect(extract(dir, ['--cloud=aws', '--included', `--install-config=${config}`]).status).toBe(0);
    expect(files(dir)).toEqual(Object.keys(AWS_FILES).sort());
  });

  it('drops the requests of disabled capabilities (all + names must be enabled)', () => {
    const none = path('included-none');
    const onlyCco = writeConfig('caps-none', {
      capabilities: { baselineCapabilitySet: 'None', additionalEnabledCapabilities: ['CloudCredential'] },
    });
    expect(extract(none, ['--included', `--install-config=${onlyCco}`]).status).toBe(0);
    // CloudCredential alone: iam-ro and CNCC; not MachineAPI+, ImageRegistry+, Storage+, +Ingress.
    expect(requestNames(none)).toEqual([
      'cloud-credential-operator-iam-ro',
      'openshift-cloud-network-config-controller-aws',
    ]);

    const some = path('included-some');
    const withIngress = writeConfig('caps-some', {
      capabilities: {
        baselineCapabilitySet: 'None',
        additionalEnabledCapabilities: ['CloudCredential', 'Ingress', 'Storage'],
      },
    });
    expect(extract(some, ['--included', `--install-config=${withIngress}`]).status).toBe(0);
    expect(requestNames(some)).toEqual([
      'aws-ebs-csi-driver-operator',
      'cloud-credential-operator-iam-ro',
      'openshift-cloud-network-config-controller-aws',
      'openshift-ingress',
    ]);
  });

  it('refuses a --cloud that contradicts the install-config platform, after creating --to (left empty)', () => {
    const config = writeConfig('c');
    const result = extract(path('contradiction'), ['--cloud=gcp', '--included', `--install-config=${config}`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`error: --cloud "gcp" set, but ${config} has "aws"\n`);
    expect(files(path('contradiction'))).toEqual([]);
  });
});

describe('oc adm release extract: errors', () => {
  it('needs an image and a release that exists (--to is created first and left empty)', () => {
    const noImage = oc(['adm', 'release', 'extract', '--credentials-requests', '--cloud=aws', `--to=${path('x')}`]);
    expect(noImage.status).toBe(1);
    expect(noImage.stderr).toMatch(/^error: /);
    expect(existsSync(path('x'))).toBe(false);

    const included = ['--included', `--install-config=${writeConfig('unknown-release')}`];
    const unknown = extract(path('x'), included, 'quay.io/openshift-release-dev/ocp-release:4.99.0-x86_64');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe(
      'error: unable to read image quay.io/openshift-release-dev/ocp-release:4.99.0-x86_64: manifest unknown: manifest unknown\n',
    );
    expect(files(path('x'))).toEqual([]);
  });

  it('accepts REGISTRY_AUTH_FILE, and a digest pull spec from a mirror', () => {
    const mirror = `mirror.example.com:5000/ocp/release@${digestOf('4.16.3')}`;
    const result = oc(
      ['adm', 'release', 'extract', '--credentials-requests', '--cloud=aws', `--to=${path('mirror')}`, mirror],
      { REGISTRY_AUTH_FILE: auth },
    );
    expect(result.status).toBe(0);
    expect(files(path('mirror'))).toHaveLength(7);
    // By digest, oc has nothing to resolve: it says when the payload was created.
    expect(result.stdout).toMatch(/^Extracted release payload created at /);
  });
});

describe('oc adm release extract: where the real oc (release-4.16) differed from the old stand-in', () => {
  const WARNING =
    'warning: if you intend to pass CredentialsRequests to ccoctl, you should use --included to filter out ' +
    'requests that your cluster is not expected to need.\n';
  const extractTo = (to: string, extra: string[], env: Record<string, string> = {}) =>
    oc(['adm', 'release', 'extract', '--credentials-requests', '--cloud=aws', `--to=${to}`, ...extra, TAG], env);

  it.each(['v4.11', 'v4.12', 'v4.13'])('baseline capability set %s includes MachineAPI', (baseline) => {
    const dir = path(`caps-${baseline}`);
    const config = writeConfig(`caps-${baseline}`, {
      capabilities: { baselineCapabilitySet: baseline, additionalEnabledCapabilities: ['CloudCredential'] },
    });
    expect(extract(dir, ['--included', `--install-config=${config}`]).status).toBe(0);
    expect(requestNames(dir)).toContain('openshift-machine-api-aws');
    expect(requestNames(dir)).not.toContain('openshift-image-registry');
  });

  it('refuses a capabilities stanza without baselineCapabilitySet, leaving --to empty', () => {
    const dir = path('caps-no-baseline');
    const config = writeConfig('caps-no-baseline', { capabilities: { additionalEnabledCapabilities: ['Ingress'] } });
    const result = extract(dir, ['--included', `--install-config=${config}`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('error: unrecognized baselineCapabilitySet ""\n');
    expect(files(dir)).toEqual([]);
  });

  it('refuses an install-config apiVersion other than v1', () => {
    const dir = path('api-v2');
    const config = writeConfig('api-v2', { apiVersion: 'v2' });
    const result = extract(dir, ['--included', `--install-config=${config}`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`error: unrecognized ${config} API version: "v2" (expected "v1")\n`);
    expect(files(dir)).toEqual([]);
  });

  it('says on stderr (klog, informational) that a capabilities stanza means the sets of its own minor version', () => {
    const config = writeConfig('caps-current', { capabilities: { baselineCapabilitySet: 'vCurrent' } });
    const result = extract(path('caps-current'), ['--included', `--install-config=${config}`]);
    expect(result.status).toBe(0);
    const klog = (line: number, text: string) =>
      new RegExp(`^I\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} +\\d+ extract_tools\\.go:${line}\\] ${text}$`);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      klog(
        1190,
        "If the eventual cluster will not be the same minor version as this 4\\.16\\.3 'oc', the actual vCurrent capability set may differ\\.",
      ),
    );
    expect(lines[1]).toMatch(
      klog(
        1196,
        "If the eventual cluster will not be the same minor version as this 4\\.16\\.3 'oc', the known capability sets may differ\\.",
      ),
    );
    // Without a stanza, nothing.
    expect(extract(path('caps-absent'), ['--included', `--install-config=${writeConfig('caps-absent')}`]).stderr).toBe(
      '',
    );
  });

  it('warns without --included in the real wording, on stderr only', () => {
    const result = extractTo(path('warning'), ['-a', auth]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(WARNING);
  });

  it('pulls the release image anonymously without -a or REGISTRY_AUTH_FILE, and with a file without auths', () => {
    const anonymous = extractTo(path('anonymous'), []);
    expect(anonymous.status).toBe(0);
    expect(files(path('anonymous'))).toEqual(Object.keys(AWS_FILES).sort());

    const noAuths = writeRegistryAuth(path(), JSON.stringify({ notAuths: PULL_SECRET_MARKER }), 'no-auths.json');
    const empty = extractTo(path('no-auths'), ['-a', noAuths]);
    expect(empty.status).toBe(0);
    expect(files(path('no-auths'))).toHaveLength(7);
    expect(empty.stdout + empty.stderr).not.toContain(PULL_SECRET_MARKER);
  });

  it("refuses a missing or unreadable registry config in oc's words, after creating --to", () => {
    const missing = path('no-such-auth.json');
    const viaFlag = extractTo(path('missing-a'), ['-a', missing]);
    expect(viaFlag.status).toBe(1);
    expect(viaFlag.stderr).toBe(
      `${WARNING}error: unable to load --registry-config: stat ${missing}: no such file or directory\n`,
    );
    expect(files(path('missing-a'))).toEqual([]);

    const viaEnv = extractTo(path('missing-env'), [], { REGISTRY_AUTH_FILE: missing });
    expect(viaEnv.status).toBe(1);
    expect(viaEnv.stderr).toBe(`${WARNING}error: stat ${missing}: no such file or directory\n`);

    const notJson = writeRegistryAuth(path(), `{"auths": ${PULL_SECRET_MARKER}`, 'not-json.json');
    const bad = extractTo(path('not-json'), ['-a', notJson]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      `${WARNING}error: unable to load --registry-config: unmarshaling JSON at "${notJson}": invalid JSON\n`,
    );
    const badEnv = extractTo(path('not-json-env'), [], { REGISTRY_AUTH_FILE: notJson });
    expect(badEnv.stderr).toContain('error: unable to load ${REGISTRY_AUTH_FILE}: unmarshaling JSON at ');
    expect(bad.stderr + badEnv.stderr).not.toContain(PULL_SECRET_MARKER);
  });
});

describe('oc adm release extract --command', () => {
  it('writes an openshift-install (0755) that reports the release it was extracted from', () => {
    const bin = path('bin-4.17');
    const image = 'quay.io/openshift-release-dev/ocp-release:4.17.1-x86_64';
    const result = oc(['adm', 'release', 'extract', '--command=openshift-install', `--to=${bin}`, '-a', auth, image]);
    expect(result.status).toBe(0);
    expect(statSync(join(bin, 'openshift-install')).mode & 0o777).toBe(0o755);
    const version = run(join(bin, 'openshift-install'), ['version']);
    expect(version.stdout).toContain('openshift-install 4.17.1\n');
    expect(version.stdout).toContain(`release image quay.io/openshift-release-dev/ocp-release@${digestOf('4.17.1')}\n`);
  });

  it('needs credentials: the binaries come from the private component repository', () => {
    const bin = path('bin-anonymous');
    const result = oc(['adm', 'release', 'extract', '--command=openshift-install', `--to=${bin}`, TAG]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^error: unable to read image quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev@sha256:[0-9a-f]{64}: unauthorized: /,
    );
    expect(existsSync(bin)).toBe(false);
  });

  it('writes DIR/ccoctl for ccoctl.rhel9, bound to the release', () => {
    const bin = path('bin-ccoctl');
    const result = oc(['adm', 'release', 'extract', '--command=ccoctl.rhel9', `--to=${bin}`, '-a', auth, BY_DIGEST]);
    expect(result.status).toBe(0);
    expect(files(bin)).toEqual(['ccoctl']);
    expect(statSync(join(bin, 'ccoctl')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(bin, 'ccoctl'), 'utf8')).toContain(`STANDIN_RELEASE_IMAGE='${BY_DIGEST}'`);
  });
});

describe('oc adm release info', () => {
  it('-o json identifies the release by digest and version', () => {
    const result = oc(['adm', 'release', 'info', '-o', 'json', '-a', auth, TAG]);
    expect(result.status).toBe(0);
    const info = JSON.parse(result.stdout);
    expect(info.digest).toBe(digestOf('4.16.3'));
    expect(info.metadata.version).toBe('4.16.3');
    expect(info.image).toBe(BY_DIGEST);
    const tags: { name: string }[] = info.references.spec.tags;
    expect(tags.map((t) => t.name)).toContain('installer');
  });

  it('-o digest prints component digests, not the release digest', () => {
    const result = oc(['adm', 'release', 'info', '-o', 'digest', '-a', auth, TAG]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\S+ sha256:[0-9a-f]{64}$/m);
    expect(result.stdout).not.toContain(digestOf('4.16.3'));
  });
});

describe('oc fault injection and usage', () => {
  it('fails a step with the injected code, slowly when asked', () => {
    const result = oc(['adm', 'release', 'info', '-o', 'json', '-a', auth, TAG], {
      STANDIN_FAIL: 'oc:release-info:2',
      STANDIN_SLOW: 'oc:release-info:700',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: .*injected/);
    expect(result.ms).toBeGreaterThanOrEqual(700);
  });

  it('rejects --cloud without --credentials-requests and unknown flags', () => {
    const cloud = oc(['adm', 'release', 'extract', '--cloud=aws', '--command=oc', TAG]);
    expect(cloud.stderr).toBe('error: --cloud is only supported with --credentials-requests or --included\n');
    const flag = oc(['adm', 'release', 'extract', '--bogus', TAG]);
    expect(flag.status).toBe(1);
    expect(flag.stderr).toBe('error: unknown flag: --bogus\n');
  });
});
