/*
 * What a ccoctl run made, in the state backend: the signing key pair (signing-key/) and the state's ccoctl record
 * (the sts name, region, issuer, roles, and whether the key was made under this state, which destroy asks of it).
 */
import {
  readRecord,
  STATE_RECORDS,
  whoIsRunning,
  writeRecord,
  type CcoctlStateRecord,
  type ObjectStore,
} from '@ocp-sts/state';
import type { CcoctlRecord } from '../../ccoctl-output/layout.ts';
import { issuerWrittenIn } from '../../ccoctl-output/read.ts';
import { keepSigningKeyInState, type SigningKey } from '../../signing-key/index.ts';

/** The signing key pair and what ccoctl made, in the state backend: any machine can go on from there. */
export async function keepIdentityInState(
  state: ObjectStore,
  made: { key: SigningKey; outputDir: string; record: CcoctlRecord },
): Promise<void> {
  await keepSigningKeyInState(state, made.key);
  const earlier = await readRecord<CcoctlStateRecord>(state, STATE_RECORDS.ccoctl);
  const sameIdentity = earlier?.stsName === made.record.stsName && earlier.region === made.record.region;
  // A key not at hand before the run is one ccoctl made in it.
  const keyCreated = !made.key.keyAvailable;
  const record: CcoctlStateRecord = {
    stsName: made.record.stsName,
    region: made.record.region,
    issuer: issuerWrittenIn(made.outputDir) ?? null,
    privateBucket: made.record.privateBucket,
    roles: made.record.roles,
    signingKey: keyCreated || (sameIdentity && earlier.signingKey === 'created') ? 'created' : 'reused',
    at: new Date().toISOString(),
    by: whoIsRunning(),
  };
  await writeRecord(state, STATE_RECORDS.ccoctl, record);
}
