/*
 * `openshift-install destroy cluster`: needs metadata.json, "deletes" the cluster's resources and removes
 * metadata.json, auth/ and the state. What ccoctl created is not touched, as with the real installer.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { asObject, text, type JsonObject } from '../install-config.ts';
import { EXIT, type Logger } from './log.ts';
import { deleteSandboxCluster } from './sandbox-cluster.ts';
import { STATE_FILE } from './state.ts';
import { elapsed, step } from './steps.ts';

export async function destroyCluster(dir: string, log: Logger): Promise<void> {
  const start = Date.now();
  const file = join(dir, 'metadata.json');
  if (!existsSync(file)) {
    log.fatal(`Failed while preparing to destroy cluster: open ${file}: no such file or directory`);
  }
  let metadata: JsonObject | undefined;
  try {
    metadata = asObject(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    log.fatal(`Failed while preparing to destroy cluster: ${(error as Error).message}`);
  }
  const infraID = text(metadata?.infraID);
  const region = text(asObject(metadata?.aws)?.region);
  if (!infraID || !region)
    log.fatal('Failed while preparing to destroy cluster: no AWS platform configured in metadata');
  await step(log, 'destroy-cluster', EXIT.fatal, () => 'Failed to destroy cluster');
  const arn = `arn:aws:ec2:${region}:123456789012`;
  log.info(
    `Deleted id=i-0standin${createHash('sha1').update(infraID).digest('hex').slice(0, 9)} resourceType=instance arn=${arn}:instance`,
  );
  log.info(
    `Deleted arn=arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/net/${infraID}-ext id=net/${infraID}-ext`,
  );
  log.info(`Deleted id=vpc-0standin resourceType=vpc arn=${arn}:vpc/vpc-0standin`);
  await deleteSandboxCluster(log, { infraID, region });
  for (const path of ['metadata.json', 'auth', STATE_FILE]) rmSync(join(dir, path), { recursive: true, force: true });
  log.info(`Time elapsed: ${elapsed(start)}`);
  log.info('Uninstallation complete!');
}
