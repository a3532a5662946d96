/*
 * inject on a cluster workspace whose earlier steps' outputs are written here: the manifests output, the extracted
 * CredentialsRequests and ccoctl's output (the e2e pipeline runs it on the stand-ins' real outputs).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterStep } from '@ocp-sts/toolchain';
import { secretYaml, writeCcoctlOutput } from '../../../../../tools/testing/ccoctl-output.ts';
import { testWorkspace, type TestWorkspace } from '../../../../../tools/testing/cluster-workspace.ts';
import { newKeyPair, sharedKeyPair } from '../../../../../tools/testing/provisioned-cluster.ts';
import {
  IMAGE_REGISTRY,
  INGRESS,
  requestYaml,
  type RequestSpec,
} from '../../../../../tools/stand-ins/src/ccoctl/test-support.ts';
import { stageInstallerDir } from './inject.ts';

const secretRef = (r: RequestSpec) => ({ namespace: r.secretNamespace, name: r.secretName });
const secretFile = (r: RequestSpec) => `${r.secretNamespace}-${r.secretName}-credentials.yaml`;
const KEY = join('tls', 'bound-service-account-signing-key.key');
const PUBLISHED = 'serviceaccount-signer.public';
const AUTHENTICATION = 'cluster-authentication-02-config.yaml';

let ws: TestWorkspace;
let step: ClusterStep;
const cco = (...parts: string[]) => join(step.dir('ccoctl'), ...parts);
const shown = (...parts: string[]) => step.show(cco(...parts));

/** A whole ccoctl output for both requests, after the manifests and extract outputs. */
beforeEach(() => {
  ws = testWorkspace('inject-spec-');
  ws.addCluster({ name: 'c', stsName: 'c-sts' });
  step = ws.step('c', 'inject');
  mkdirSync(join(step.dir('manifests'), 'manifests'), { recursive: true });
  writeFileSync(join(step.dir('manifests'), 'manifests', 'cluster-config.yaml'), 'kind: ConfigMap\n');
  writeFileSync(join(step.dir('manifests'), 'ocp-sts-manifests.json'), '{}\n');
  mkdirSync(step.dir('extract'), { recursive: true });
  writeFileSync(join(step.dir('extract'), '0000_ingress.yaml'), requestYaml(INGRESS));
  writeFileSync(join(step.dir('extract'), '0000_registry.yaml'), requestYaml(IMAGE_REGISTRY));
  writeCcoctlOutput(cco(), {
    issuerUrl: 'https://c-sts-oidc.s3.eu-west-1.amazonaws.com',
    keys: sharedKeyPair(),
    secrets: [INGRESS, IMAGE_REGISTRY].map((r) => ({
      secretRef: secretRef(r),
      roleArn: `arn:aws:iam::123456789012:role/c-sts-${r.secretNamespace}-${r.secretName}`,
    })),
  });
  writeFileSync(cco('ocp-sts-ccoctl.json'), '{}\n');
});

afterEach(() => {
  ws.remove();
});

describe('inject', () => {
  it("stages the manifests with ccoctl's Secrets, Authentication config and tls/, without our records", async () => {
    await expect(stageInstallerDir(step)).resolves.toEqual({ injected: 3 });
    const staged = step.dir('inject');
    expect(readdirSync(join(staged, 'manifests')).sort()).toEqual(
      [AUTHENTICATION, 'cluster-config.yaml', secretFile(IMAGE_REGISTRY), secretFile(INGRESS)].sort(),
    );
    expect(readFileSync(join(staged, KEY), 'utf8')).toBe(sharedKeyPair().privateKey);
    expect(existsSync(join(staged, 'ocp-sts-manifests.json'))).toBe(false);
    expect(existsSync(join(staged, 'ocp-sts-ccoctl.json'))).toBe(false);
  });

  it('logs what it staged to .work/logs/inject.log, naming the signing key without its content', async () => {
    await stageInstallerDir(step);
    const log = readFileSync(step.logFile, 'utf8');
    expect(step.show(step.logFile)).toBe('clusters/c/.work/logs/inject.log');
    expect(log).toMatch(/^# \S+ inject$/m);
    expect(log).toContain(
      `copied ${step.show(step.dir('manifests'))} (without our records) to ${step.show(step.dir('inject'))}`,
    );
    for (const file of [AUTHENTICATION, secretFile(INGRESS), secretFile(IMAGE_REGISTRY)]) {
      expect(log).toContain(`injected manifests/${file} from ${shown('manifests')}`);
    }
    expect(log).toContain(`copied ${shown('tls')} to tls/: bound-service-account-signing-key.key`);
    expect(log).toContain(`staged ${step.show(step.dir('inject'))}: 3 ccoctl manifests injected`);
    // No secret: neither the signing key nor any of its lines, nor the role ARNs' Secrets' content.
    const key = sharedKeyPair().privateKey;
    expect(log).not.toContain('PRIVATE KEY');
    for (const line of key.split('\n').filter((l) => l.length > 20)) expect(log).not.toContain(line);
    expect(log).not.toContain('role_arn');
  });

  it("refuses ccoctl's output naming every problem in one error, and stages nothing", async () => {
    writeFileSync(cco('manifests', secretFile(INGRESS)), secretYaml(secretRef(INGRESS), ''));
    writeFileSync(
      cco('manifests', secretFile(IMAGE_REGISTRY)),
      secretYaml({ ...secretRef(IMAGE_REGISTRY), name: 'other' }, 'arn:x'),
    );
    // A Secret for no request is staged as it is (verify warns about it): no line for it.
    writeFileSync(cco('manifests', 'old-old-credentials.yaml'), secretYaml({ namespace: 'old', name: 'old' }, 'arn:x'));
    writeFileSync(cco(PUBLISHED), newKeyPair().publicKey);
    await expect(stageInstallerDir(step)).rejects.toThrow(
      'refusing to stage the installer dir:\n' +
        `  ${shown('manifests', secretFile(INGRESS))} is a dry-run placeholder (no role ARN): run ccoctl without --dry-run / CCO_DRY_RUN\n` +
        `  ${shown('manifests', secretFile(IMAGE_REGISTRY))} is not the Secret openshift-image-registry/installer-cloud-credentials\n` +
        `  ${shown(KEY)} does not match ${shown(PUBLISHED)}, the key the OIDC issuer publishes; re-run ccoctl`,
    );
    expect(existsSync(step.dir('inject'))).toBe(false);
  });

  it('names missing files, and unreadable keys once', async () => {
    writeFileSync(cco('manifests', secretFile(INGRESS)), 'metadata: [unclosed');
    unlinkSync(cco('manifests', secretFile(IMAGE_REGISTRY)));
    unlinkSync(cco('manifests', AUTHENTICATION));
    writeFileSync(cco(KEY), 'not a key');
    writeFileSync(cco(PUBLISHED), 'not a key');
    await expect(stageInstallerDir(step)).rejects.toThrow(
      'refusing to stage the installer dir:\n' +
        `  ${shown('manifests', secretFile(INGRESS))} is not valid YAML; re-run ccoctl\n` +
        `  ${shown('manifests', secretFile(IMAGE_REGISTRY))} is missing: no Secret for ` +
        'openshift-cloud-credential-operator/openshift-image-registry; re-run ccoctl\n' +
        `  ${shown('manifests', AUTHENTICATION)} is missing: without it the cluster keeps its default issuer\n` +
        `  ${shown(KEY)} or ${shown(PUBLISHED)} is not a readable key`,
    );
  });

  it('names a missing signing key or public key, and a missing ccoctl output', async () => {
    unlinkSync(cco(PUBLISHED));
    await expect(stageInstallerDir(step)).rejects.toThrow(
      `  ${shown(PUBLISHED)} is missing: cannot check the signing key`,
    );
    unlinkSync(cco(KEY));
    await expect(stageInstallerDir(step)).rejects.toThrow(
      `refusing to stage the installer dir:\n  ${shown(KEY)} is missing: ` +
        'the installer would generate a new signing key that the IAM OIDC provider cannot verify (InvalidIdentityToken ' +
        '40 minutes later). Do not use ccoctl --public-key-file here.',
    );
    rmSync(cco(), { recursive: true });
    rmSync(step.dir('extract'), { recursive: true });
    await expect(stageInstallerDir(step)).rejects.toThrow(
      `refusing to stage the installer dir:\n  ${shown()} is missing: run the ccoctl target first`,
    );
  });
});
