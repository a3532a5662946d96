import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAwsRequest, readCredentialsRequests } from './credentials-requests.ts';
import { copyRequestDocuments } from './release-requests.ts';

const RELEASE_418 = join(import.meta.dirname, 'credentials-diff', 'testdata', 'release-4.18');

describe('copyRequestDocuments', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'copy-requests-'));
  });
  afterEach(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('copies only the named requests, each in a file of its original name, and writes no file left empty', () => {
    const ids = new Set(['openshift-cloud-credential-operator/openshift-machine-api-aws']);
    const written = copyRequestDocuments(RELEASE_418, join(out, 'requests'), ids);
    expect(written).toEqual(['0000_30_machine-api-operator_00_credentials-request.yaml']);
    expect(readdirSync(join(out, 'requests'))).toEqual(written);
    const copied = readCredentialsRequests(join(out, 'requests'));
    // The Azure document of the same file is left out; the AWS one is whole.
    expect(copied.map((r) => [r.name, isAwsRequest(r)])).toEqual([['openshift-machine-api-aws', true]]);
    const original = readCredentialsRequests(RELEASE_418).find((r) => r.name === 'openshift-machine-api-aws')!;
    expect(copied[0]!.spec).toEqual(original.spec);
    expect(copied[0]!.annotations).toEqual(original.annotations);
  });
});
