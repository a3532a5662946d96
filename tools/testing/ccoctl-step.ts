/*
 * A cluster as render and extract leave it for the ccoctl step, in a test workspace: render's ccoctl inputs and
 * release (4.16.3 by digest, so that preflight compares it with the installer's without asking oc), two requests
 * (ingress, image registry), and, when asked, a small kept key pair (the stand-in would make an RSA-4096 one). And
 * what the ccoctl step's specs ask afterwards: how a run failed, whether ccoctl ran, what the issuer serves.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ccoctlInputs, RELEASE_FILE, SLICES_DIR, stableJson } from '@ocp-sts/cluster-config';
import type { ClusterStep } from '@ocp-sts/toolchain';
import { SIGNER_PRIVATE, SIGNER_PUBLIC } from '../../packages/sts/src/ccoctl-output/layout.ts';
import { signingKeyDir } from '../../packages/sts/src/signing-key/index.ts';
import {
  IMAGE_REGISTRY,
  INGRESS,
  requestYaml,
  testKeyPair,
  type KeyPair,
} from '../stand-ins/src/ccoctl/test-support.ts';
import { releaseByVersion } from '../stand-ins/src/releases.ts';
import { uniqueName, type TestWorkspace } from './cluster-workspace.ts';

/** Writes the pair where the ccoctl step keeps it (secrets/<name>/, owner-only). */
export function keepSigningKey(step: ClusterStep, keys: KeyPair): void {
  mkdirSync(signingKeyDir(step), { recursive: true });
  writeFileSync(join(signingKeyDir(step), SIGNER_PRIVATE), keys.privateKey, { mode: 0o600 });
  writeFileSync(join(signingKeyDir(step), SIGNER_PUBLIC), keys.publicKey, { mode: 0o600 });
}

export interface RenderedForCcoctl {
  name: string;
  stsName: string;
  step: ClusterStep;
  /** The kept pair; undefined when none was kept. */
  keys: KeyPair | undefined;
}

export function renderedForCcoctl(
  ws: TestWorkspace,
  prefix: string,
  {
    region,
    stsName,
    keptKey = true,
    tags,
  }: { region: string; stsName?: string; keptKey?: boolean; tags?: Record<string, string> },
): RenderedForCcoctl {
  const name = uniqueName(prefix);
  ws.addCluster({ name, stsName: stsName ?? name, region, ...(tags && { tags }) });
  const step = ws.step(name, 'ccoctl');
  const render = step.dir('render');
  mkdirSync(join(render, SLICES_DIR), { recursive: true });
  writeFileSync(join(render, SLICES_DIR, 'ccoctl.json'), stableJson(ccoctlInputs(step.loaded)));
  writeFileSync(
    join(render, RELEASE_FILE),
    JSON.stringify({
      image: releaseByVersion('4.16.3')!.digestPullSpec,
      version: '4.16.3',
      source: 'openshift.version',
    }),
  );
  mkdirSync(step.dir('extract'), { recursive: true });
  writeFileSync(join(step.dir('extract'), '00-ingress.yaml'), requestYaml(INGRESS));
  writeFileSync(join(step.dir('extract'), '01-registry.yaml'), requestYaml(IMAGE_REGISTRY));
  const keys = keptKey ? testKeyPair() : undefined;
  if (keys) keepSigningKey(step, keys);
  return { name, stsName: stsName ?? name, step, keys };
}

/** The error `promise` fails with; an error of the test when it succeeds. */
export async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

/** Whether the step's log shows a run of ccoctl (preflight's openshift-install runs log there too). */
export function ranCcoctl(step: ClusterStep): boolean {
  return existsSync(step.logFile) && readFileSync(step.logFile, 'utf8').includes('ccoctl aws create-all');
}

/** The keys.json in the bucket of the issuer of `stsName`. */
export async function keysJsonOf(stsName: string, region: string): Promise<string> {
  const s3 = new S3Client({ region });
  const object = await s3.send(new GetObjectCommand({ Bucket: `${stsName}-oidc`, Key: 'keys.json' }));
  return object.Body!.transformToString('utf8');
}
