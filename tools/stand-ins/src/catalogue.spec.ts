/*
 * The stand-ins' shared modules, in process: the release catalogue, the Go-style YAML, install-config validation
 * and the --included filter.
 */
import { createHash } from 'node:crypto';
import { formatFieldErrors, parseInstallConfig, validateInstallConfig } from './install-config.ts';
import { goYamlKeyCompare, toKubeYaml } from './kube-yaml.ts';
import { enabledCapabilities, isIncluded } from './payload.ts';
import { defaultRelease, releaseByVersion, RELEASES, resolveRelease } from './releases.ts';

describe('release catalogue', () => {
  it('knows 4.16.0 to 4.16.9 and some 4.17, each with sha256(version) as digest', () => {
    const versions = RELEASES.map((r) => r.version);
    for (let patch = 0; patch <= 9; patch++) expect(versions).toContain(`4.16.${patch}`);
    expect(versions.filter((v) => v.startsWith('4.17.')).length).toBeGreaterThanOrEqual(2);
    for (const release of RELEASES) {
      expect(release.digest).toBe(`sha256:${createHash('sha256').update(release.version).digest('hex')}`);
      expect(release.tagPullSpec).toBe(`quay.io/openshift-release-dev/ocp-release:${release.version}-x86_64`);
      expect(release.digestPullSpec).toBe(`quay.io/openshift-release-dev/ocp-release@${release.digest}`);
    }
    expect(defaultRelease().version).toMatch(/^4\.16\./);
  });

  it('resolves tags in the release repository and digests in any repository; nothing else', () => {
    const release = releaseByVersion('4.16.5')!;
    expect(resolveRelease(release.tagPullSpec)).toBe(release);
    expect(resolveRelease(release.digestPullSpec)).toBe(release);
    expect(resolveRelease(`registry.local:5000/mirror/release@${release.digest}`)).toBe(release);
    expect(resolveRelease('quay.io/openshift-release-dev/ocp-release:4.16.5')).toBeUndefined();
    expect(resolveRelease('quay.io/someone-else/ocp-release:4.16.5-x86_64')).toBeUndefined();
    expect(resolveRelease('quay.io/openshift-release-dev/ocp-release:4.15.0-x86_64')).toBeUndefined();
    expect(resolveRelease(`quay.io/openshift-release-dev/ocp-release@sha256:${'0'.repeat(64)}`)).toBeUndefined();
  });
});

describe('Go-style YAML', () => {
  it('orders keys as go-yaml v2 does', () => {
    const keys = ['b', 'a-b', 'aB', 'Ab', 'a.b', 'ab', 'item10', 'item2', 'a'];
    expect([...keys].sort(goYamlKeyCompare)).toEqual(['Ab', 'a', 'a-b', 'a.b', 'aB', 'ab', 'b', 'item2', 'item10']);
  });

  it('quotes like sigs.k8s.io/yaml: "true" and "1.0" double, * single, sequences not indented', () => {
    const text = toKubeYaml({
      z: ['kms:ReEncrypt*', '*'],
      b: 'true',
      a: '1.0',
      c: true,
      d: '',
      e: { Bool: { 'kms:GrantIsForAWSResource': true } },
    });
    expect(text).toBe(
      'a: "1.0"\nb: "true"\nc: true\nd: ""\ne:\n  Bool:\n    kms:GrantIsForAWSResource: true\n' +
        "z:\n- kms:ReEncrypt*\n- '*'\n",
    );
  });
});

describe('install-config validation', () => {
  const valid = {
    apiVersion: 'v1',
    baseDomain: 'example.com',
    metadata: { name: 'c1' },
    platform: { aws: { region: 'eu-west-1' } },
    pullSecret: '{"auths":{}}',
  };

  it('accepts the minimal AWS install-config', () => {
    expect(validateInstallConfig(valid)).toEqual([]);
  });

  it('reports one error plainly and several in brackets, without printing the pull secret', () => {
    const one = validateInstallConfig({ ...valid, metadata: {} });
    expect(formatFieldErrors(one)).toBe('metadata.name: Required value: cluster name required');
    const several = validateInstallConfig({ ...valid, apiVersion: 'v2', pullSecret: 'secret-that-is-not-json' });
    const message = formatFieldErrors(several);
    expect(message).toMatch(/^\[apiVersion: Invalid value: "v2": install-config version must be "v1", pullSecret: /);
    expect(message).not.toContain('secret-that-is-not-json');
    const mode = validateInstallConfig({ ...valid, credentialsMode: 'Magic' });
    expect(formatFieldErrors(mode)).toBe(
      'credentialsMode: Unsupported value: "Magic": supported values: "Manual", "Mint", "Passthrough"',
    );
  });

  it("checks platform.aws.userTags as the installer's validateUserTags does, its character range included", () => {
    const errors = (userTags: Record<string, string>) =>
      validateInstallConfig({ ...valid, platform: { aws: { region: 'eu-west-1', userTags } } });
    const tagged = (userTags: Record<string, string>) => formatFieldErrors(errors(userTags));
    expect(errors({ 'cost-center': '4711', owner: 'Platform Engineering' })).toEqual([]);
    // The installer's class holds the range +-@, so a comma passes there (IAM refuses it; the model does too).
    expect(errors({ list: 'a,b' })).toEqual([]);
    expect(tagged({ Name: 'x' })).toBe(
      'platform.aws.userTags[Name]: Invalid value: "x": "Name" key is not allowed for user defined tags',
    );
    expect(tagged({ 'kubernetes.io/cluster': 'x', empty: '' })).toBe(
      '[platform.aws.userTags[empty]: Invalid value: "": value is empty, ' +
        'platform.aws.userTags[kubernetes.io/cluster]: Invalid value: "x": key is in the kubernetes.io namespace]',
    );
    const many = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`k${i}`, 'v']));
    expect(tagged(many)).toBe('platform.aws.userTags: Too many: 26: must have at most 25 items');
  });

  it('refuses disabling CloudCredential, CloudControllerManager or Ingress on AWS, and marketplace without OLM', () => {
    const errors = (capabilities: Record<string, unknown>) =>
      validateInstallConfig({ ...valid, capabilities } as Parameters<typeof validateInstallConfig>[0]);
    const withCapabilities = (capabilities: Record<string, unknown>) => formatFieldErrors(errors(capabilities));
    const aws = ['CloudCredential', 'CloudControllerManager', 'Ingress'];
    expect(errors({ baselineCapabilitySet: 'None', additionalEnabledCapabilities: aws })).toEqual([]);
    expect(withCapabilities({ baselineCapabilitySet: 'v4.14' })).toContain(
      'disabling CloudCredential capability available only for baremetal platforms',
    );
    expect(
      withCapabilities({ baselineCapabilitySet: 'None', additionalEnabledCapabilities: [...aws, 'marketplace'] }),
    ).toContain('the marketplace capability requires the OperatorLifecycleManager capability');
  });

  it('rejects a document that is not a map', () => {
    expect(() => parseInstallConfig('- a\n- b\n')).toThrow(/cannot unmarshal/);
    expect(() => parseInstallConfig('a: [\n')).toThrow(/yaml: line/);
  });
});

describe('--included filter', () => {
  const inclusion = { capabilities: undefined, featureSet: 'Default', profile: 'self-managed-high-availability' };
  const withAnnotations = (annotations: Record<string, string>) => ({ metadata: { annotations } });

  it('keeps a manifest without annotations, needs the profile, matches feature sets and capabilities', () => {
    expect(isIncluded({ metadata: {} }, inclusion)).toBe(true);
    expect(isIncluded(withAnnotations({ 'capability.openshift.io/name': 'Console' }), inclusion)).toBe(false);
    const shha = { 'include.release.openshift.io/self-managed-high-availability': 'true' };
    expect(isIncluded(withAnnotations(shha), inclusion)).toBe(true);
    const tp = { ...shha, 'release.openshift.io/feature-set': 'TechPreviewNoUpgrade,DevPreviewNoUpgrade' };
    expect(isIncluded(withAnnotations(tp), inclusion)).toBe(false);
    expect(isIncluded(withAnnotations(tp), { ...inclusion, featureSet: 'DevPreviewNoUpgrade' })).toBe(true);
    const capped = { ...shha, 'capability.openshift.io/name': 'MachineAPI+CloudCredential' };
    const some = { ...inclusion, capabilities: enabledCapabilities('None', ['CloudCredential']) };
    expect(isIncluded(withAnnotations(capped), some)).toBe(false);
    const both = { ...inclusion, capabilities: enabledCapabilities('v4.14', ['CloudCredential']) };
    expect(isIncluded(withAnnotations(capped), both)).toBe(true);
    expect(() => enabledCapabilities('v9', [])).toThrow(/baselineCapabilitySet/);
  });
});
