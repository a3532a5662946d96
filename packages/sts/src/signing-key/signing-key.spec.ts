/*
 * The signing key through the ccoctl step, on the ccoctl stand-in and the shared AWS emulator, in a small temporary
 * workspace (render's outputs and the extracted requests written by the test, a kept test key pair): an issuer that
 * publishes a key never gets another one, and the key of a first run that failed after publishing it is kept.
 */
import { jest } from '@jest/globals';
import { isUserError } from '@ocp-sts/toolchain';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { testKeyPair } from '../../../../tools/stand-ins/src/ccoctl/test-support.ts';
import {
  failureOf,
  keepSigningKey,
  keysJsonOf,
  ranCcoctl,
  renderedForCcoctl,
} from '../../../../tools/testing/ccoctl-step.ts';
import {
  STAND_IN_BIN,
  testWorkspace,
  withEnv,
  type TestWorkspace,
} from '../../../../tools/testing/cluster-workspace.ts';
import { awsClients } from '@ocp-sts/aws';
import { SIGNER_PRIVATE, SIGNER_PUBLIC } from '../ccoctl-output/layout.ts';
import { createStsResources } from '../executors/ccoctl/ccoctl.ts';
import { keyIdOf, publishedIssuer } from '../issuer/index.ts';
import { signingKeyDir } from './local.ts';

const REGION = 'eu-west-1';
const clients = awsClients({ region: REGION });
let ws: TestWorkspace;
let quiet: { mockRestore: () => void };

beforeAll(() => {
  ws = testWorkspace('signing-key-spec-');
  // The tools' log lines would only clutter the test output.
  quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(() => {
  quiet.mockRestore();
  ws.remove();
});

/** A cluster as render and extract leave it, with a kept test key pair. */
function renderedCluster(prefix: string) {
  const rendered = renderedForCcoctl(ws, prefix, { region: REGION });
  return { ...rendered, keys: rendered.keys! };
}

describe('never a second key for one identity', () => {
  it('refuses to make a new key (a), or to publish another one (b), for an issuer that publishes one', async () => {
    const { name, stsName, step, keys } = renderedCluster('own-key');
    await createStsResources(step, { binDir: STAND_IN_BIN });
    const published = await keysJsonOf(stsName, REGION);
    const issuer = await publishedIssuer(clients, { stsName, region: REGION });
    expect(issuer).toEqual({
      stsName,
      bucket: `${stsName}-oidc`,
      issuerUrl: `https://${stsName}-oidc.s3.${REGION}.amazonaws.com`,
      keys: { kids: [keyIdOf(keys.publicKey)], region: REGION },
      providers: [`arn:aws:iam::123456789012:oidc-provider/${stsName}-oidc.s3.${REGION}.amazonaws.com`],
    });

    // (a) The key is gone from this checkout (and there is no state backend holding it).
    for (const file of [SIGNER_PRIVATE, SIGNER_PUBLIC]) rmSync(join(signingKeyDir(step), file));
    rmSync(step.logFile, { force: true });
    const lost = await failureOf(createStsResources(step, { binDir: STAND_IN_BIN }));
    expect(isUserError(lost)).toBe(true);
    expect(lost.message).toBe(
      `refusing to make a new service-account signing key for ${name}: the OIDC issuer of sts_name ${stsName} ` +
        `(https://${stsName}-oidc.s3.${REGION}.amazonaws.com) already publishes keys: the S3 bucket ${stsName}-oidc ` +
        `serves keys.json (kid ${keyIdOf(keys.publicKey)}); the IAM OIDC provider ${issuer.providers[0]!} exists, and ` +
        `its signing key is neither in secrets/${name}/ nor in the state backend. A new key would replace keys.json ` +
        'and every token of the running cluster would stop verifying; nothing was created. Get the key back: copy ' +
        `secrets/${name}/serviceaccount-signer.private and serviceaccount-signer.public from the checkout or machine ` +
        `that installed the cluster, or configure the state: backend that holds it (state: in clusters/${name}/` +
        `cluster.yaml or clusters/defaults.yaml). If that cluster is gone: nx run ${name}:destroy --yes where it was ` +
        `installed, or delete the issuer (ccoctl aws delete --name=${stsName} --region=${REGION})`,
    );
    expect(ranCcoctl(step)).toBe(false);
    expect(existsSync(join(signingKeyDir(step), SIGNER_PRIVATE))).toBe(false);
    expect(await keysJsonOf(stsName, REGION)).toBe(published);

    // (b) Another key pair where the cluster's was.
    const other = testKeyPair();
    keepSigningKey(step, other);
    const wrong = await failureOf(createStsResources(step, { binDir: STAND_IN_BIN }));
    expect(isUserError(wrong)).toBe(true);
    expect(wrong.message).toMatch(
      new RegExp(
        `^refusing to publish another signing key for sts_name ${stsName}: the signing key of ${name} \\(kid ` +
          `${keyIdOf(other.publicKey)}, from secrets/${name}/ or the state backend\\) is not one that the OIDC ` +
          `issuer of sts_name ${stsName} \\(https://${stsName}-oidc\\.s3\\.${REGION}\\.amazonaws\\.com\\) already ` +
          `publishes keys: the S3 bucket ${stsName}-oidc serves keys.json \\(kid ${keyIdOf(keys.publicKey)}\\); .*` +
          'Rotating the signing key is not supported yet$',
      ),
    );
    expect(ranCcoctl(step)).toBe(false);
    expect(await keysJsonOf(stsName, REGION)).toBe(published);

    // The cluster's own key back: ccoctl runs, and the issuer still publishes that key only.
    keepSigningKey(step, keys);
    await createStsResources(step, { binDir: STAND_IN_BIN });
    expect(await keysJsonOf(stsName, REGION)).toBe(published);
    expect(readdirSync(step.dir('ccoctl'))).toContain(SIGNER_PRIVATE);
  }, 180_000);

  it('keeps the key of a first run that failed after publishing it, so that the re-run completes', async () => {
    const { name, stsName, step } = renderedCluster('own-first-run');
    // A first run: no key yet (the stand-in makes an RSA-4096 pair), and ccoctl fails once keys.json is published.
    for (const file of [SIGNER_PRIVATE, SIGNER_PUBLIC]) rmSync(join(signingKeyDir(step), file));
    const failed = await failureOf(
      withEnv({ STANDIN_FAIL: 'ccoctl:issuer-unreachable' }, () => createStsResources(step, { binDir: STAND_IN_BIN })),
    );
    expect(failed.message).toContain(`then re-run \`nx run ${name}:ccoctl\`: ccoctl reuses the bucket and completes.`);
    const kept = readFileSync(join(signingKeyDir(step), SIGNER_PUBLIC), 'utf8');
    expect((await publishedIssuer(clients, { stsName, region: REGION })).keys?.kids).toEqual([keyIdOf(kept)]);

    const record = await createStsResources(step, { binDir: STAND_IN_BIN });
    expect(record?.roles).toHaveLength(2);
    expect((await publishedIssuer(clients, { stsName, region: REGION })).keys?.kids).toEqual([keyIdOf(kept)]);
  }, 180_000);
});
