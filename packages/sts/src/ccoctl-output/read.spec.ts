/*
 * The reader of ccoctl's output folder, on folders written here the way ccoctl writes them (the stand-in's own runs are
 * read in verify.spec.ts and the e2e pipeline).
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secretYaml, writeCcoctlOutput } from '../../../../tools/testing/ccoctl-output.ts';
import { newKeyPair, sharedKeyPair } from '../../../../tools/testing/provisioned-cluster.ts';
import type { CredentialsRequest } from '../credentials-requests.ts';
import {
  AUTHENTICATION_MANIFEST,
  CCOCTL_RECORD,
  DRY_RUN_MARKER,
  DRY_RUN_PLACEHOLDER,
  readCcoctlRecord,
  SIGNER_PUBLIC,
  SIGNING_KEY,
  writeCcoctlRecord,
  type CcoctlRecord,
} from './layout.ts';
import { readCcoctlOutput, roleArnOfSecret } from './read.ts';

const ISSUER = 'https://prod-x1-oidc.s3.us-east-1.amazonaws.com';

function request(namespace: string, name: string): CredentialsRequest {
  return {
    file: `0000_${name}.yaml`,
    name,
    namespace: 'openshift-cloud-credential-operator',
    secretRef: { namespace, name: `${name}-credentials` },
    serviceAccountNames: ['sa'],
    providerKind: 'AWSProviderSpec',
    annotations: {},
    statementEntries: [],
    spec: {},
  };
}

const INGRESS = request('openshift-ingress-operator', 'ingress');
const REGISTRY = request('openshift-image-registry', 'registry');
const BOTH = [INGRESS, REGISTRY];
const roleArn = (r: CredentialsRequest) => `arn:aws:iam::123456789012:role/prod-x1-${r.secretRef.name}`;

const secretFile = (r: CredentialsRequest) => `${r.secretRef.namespace}-${r.secretRef.name}-credentials.yaml`;

let dir: string;
const at = (...parts: string[]) => join(dir, ...parts);
const manifest = (name: string) => at('manifests', name);

/** A whole create-all output for INGRESS and REGISTRY. */
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'ccoctl-output-')), 'ccoctl');
  writeCcoctlOutput(dir, {
    issuerUrl: ISSUER,
    keys: sharedKeyPair(),
    secrets: BOTH.map((r) => ({ secretRef: r.secretRef, roleArn: roleArn(r) })),
  });
});

afterEach(() => {
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('readCcoctlOutput', () => {
  it("describes a whole output: the issuer, both keys and each request's Secret with its role", () => {
    const { output, problems } = readCcoctlOutput(dir, BOTH);
    expect(problems).toEqual([]);
    expect(output).toMatchObject({
      dir,
      record: undefined,
      dryRun: false,
      authentication: { path: at(AUTHENTICATION_MANIFEST), issuerUrl: ISSUER },
    });
    expect(output?.signingKey?.type).toBe('private');
    expect(output?.publicKey?.type).toBe('public');
    expect(output?.secrets).toEqual([
      { request: INGRESS, path: manifest(secretFile(INGRESS)), exists: true, roleArn: roleArn(INGRESS) },
      { request: REGISTRY, path: manifest(secretFile(REGISTRY)), exists: true, roleArn: roleArn(REGISTRY) },
    ]);
  });

  it('says when there is no output at all', () => {
    rmSync(dir, { recursive: true });
    expect(readCcoctlOutput(dir, [INGRESS])).toEqual({
      output: undefined,
      problems: [{ kind: 'no-output', path: dir }],
    });
  });

  it('names missing, unparsable, misnamed and unrequested Secrets, in that order after dry-run ones', () => {
    const extra = request('old', 'old');
    const other = request('openshift-ingress-operator', 'other');
    unlinkSync(manifest(secretFile(REGISTRY)));
    writeFileSync(manifest(secretFile(INGRESS)), secretYaml(other.secretRef, roleArn(INGRESS)));
    writeFileSync(manifest(secretFile(other)), 'metadata: [unclosed');
    writeFileSync(manifest(secretFile(extra)), secretYaml(extra.secretRef, roleArn(extra)));
    const { output, problems } = readCcoctlOutput(dir, [INGRESS, REGISTRY, other]);
    expect(problems).toEqual([
      { kind: 'wrong-secret', path: manifest(secretFile(INGRESS)), request: INGRESS },
      { kind: 'missing-secret', path: manifest(secretFile(REGISTRY)), request: REGISTRY },
      { kind: 'invalid-secret', path: manifest(secretFile(other)), request: other },
      { kind: 'unrequested-secret', path: manifest(secretFile(extra)) },
    ]);
    expect(output?.secrets.map((s) => [s.exists, s.roleArn])).toEqual([
      [true, roleArn(INGRESS)],
      [false, undefined],
      [true, undefined],
    ]);
  });

  it("names a dry run's Secrets (placeholder line or empty role_arn) and marks the output a dry run", () => {
    writeFileSync(manifest(secretFile(INGRESS)), secretYaml(INGRESS.secretRef, ''));
    const withPlaceholder = readCcoctlOutput(dir, BOTH);
    expect(withPlaceholder.problems).toEqual([{ kind: 'dry-run-secret', path: manifest(secretFile(INGRESS)) }]);
    expect(withPlaceholder.output?.dryRun).toBe(true);
    expect(withPlaceholder.output?.secrets[0]?.roleArn).toBeUndefined();

    // An empty role_arn alone is a dry run's Secret, but not proof that the whole output is a dry run's.
    writeFileSync(manifest(secretFile(INGRESS)), secretYaml(INGRESS.secretRef, '').replace(DRY_RUN_PLACEHOLDER, ''));
    const { output, problems } = readCcoctlOutput(dir, BOTH);
    expect(problems).toEqual([{ kind: 'dry-run-secret', path: manifest(secretFile(INGRESS)) }]);
    expect(output?.dryRun).toBe(false);
  });

  it('takes a dry run from our record or from the first AWS CLI input ccoctl --dry-run writes', () => {
    const record: CcoctlRecord = {
      stsName: 'prod-x1',
      region: 'us-east-1',
      dryRun: true,
      privateBucket: false,
      roles: [{ request: `${INGRESS.namespace}/${INGRESS.name}`, role: 'prod-x1-ingress-credentials' }],
    };
    writeCcoctlRecord(dir, record);
    expect(readCcoctlOutput(dir, BOTH).output).toMatchObject({ record, dryRun: true });
    writeCcoctlRecord(dir, { ...record, dryRun: false });
    expect(readCcoctlOutput(dir, BOTH).output?.dryRun).toBe(false);
    writeFileSync(at(DRY_RUN_MARKER), '{}');
    expect(readCcoctlOutput(dir, BOTH).output?.dryRun).toBe(true);
  });

  it('names a missing Authentication manifest, and gives no issuer for one without a string issuer', () => {
    writeFileSync(at(AUTHENTICATION_MANIFEST), 'kind: Authentication\nspec:\n  serviceAccountIssuer: [x]\n');
    expect(readCcoctlOutput(dir, BOTH).output?.authentication).toEqual({
      path: at(AUTHENTICATION_MANIFEST),
      issuerUrl: undefined,
    });
    unlinkSync(at(AUTHENTICATION_MANIFEST));
    const { output, problems } = readCcoctlOutput(dir, BOTH);
    expect(problems).toEqual([{ kind: 'missing-authentication', path: at(AUTHENTICATION_MANIFEST) }]);
    expect(output?.authentication).toBeUndefined();
  });

  it("checks tls/'s key against the published one: missing, unreadable, or another key", () => {
    const key = at(SIGNING_KEY);
    const published = at(SIGNER_PUBLIC);
    writeFileSync(published, newKeyPair().publicKey);
    expect(readCcoctlOutput(dir, BOTH).problems).toEqual([
      { kind: 'keys-differ', path: key, publicKeyPath: published },
    ]);

    writeFileSync(published, 'not a key');
    writeFileSync(key, 'not a key either');
    const unreadable = readCcoctlOutput(dir, BOTH);
    expect(unreadable.problems).toEqual([
      { kind: 'unreadable-signing-key', path: key, publicKeyPath: published },
      { kind: 'unreadable-public-key', path: published, signingKeyPath: key },
    ]);
    expect(unreadable.output).toMatchObject({ signingKey: undefined, publicKey: undefined });

    unlinkSync(published);
    writeFileSync(key, sharedKeyPair().privateKey);
    expect(readCcoctlOutput(dir, BOTH).problems).toEqual([{ kind: 'missing-public-key', path: published }]);

    // Without tls/'s key nothing else about the keys matters; the published key is still described.
    writeFileSync(published, sharedKeyPair().publicKey);
    unlinkSync(key);
    const missing = readCcoctlOutput(dir, BOTH);
    expect(missing.problems).toEqual([{ kind: 'missing-signing-key', path: key }]);
    expect(missing.output?.publicKey?.type).toBe('public');
  });
});

describe('the ccoctl record', () => {
  it('is read back as written, and is no record when it is not one of ours', () => {
    const record: CcoctlRecord = { stsName: 's', region: 'r', dryRun: false, privateBucket: true, roles: [] };
    writeCcoctlRecord(dir, record);
    expect(readCcoctlRecord(dir)).toEqual(record);
    writeFileSync(at(CCOCTL_RECORD), JSON.stringify({ dryRun: true }));
    expect(readCcoctlRecord(dir)).toBeUndefined();
    writeFileSync(at(CCOCTL_RECORD), '{');
    expect(readCcoctlRecord(dir)).toBeUndefined();
    unlinkSync(at(CCOCTL_RECORD));
    expect(readCcoctlRecord(dir)).toBeUndefined();
  });
});

describe('roleArnOfSecret', () => {
  it('is empty for a dry run', () => {
    expect(roleArnOfSecret(secretYaml(INGRESS.secretRef, '').replace(DRY_RUN_PLACEHOLDER, ''))).toBe('');
  });
});
