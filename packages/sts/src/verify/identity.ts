/*
 * Whose credentials verify reads AWS with: the caller (GetCallerIdentity) must belong to platform.account_id. In any
 * other account every later check would report the cluster's resources as missing, so a mismatch stops verify there.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsReader } from '@ocp-sts/aws';
import type { Findings } from './findings.ts';
import type { ClusterFacts } from './outputs.ts';

/** True when the caller is in the cluster's account (and the AWS checks may go on). */
export async function checkIdentity(aws: AwsReader, facts: ClusterFacts, findings: Findings): Promise<boolean> {
  findings.checked('identity');
  const read = await aws.read('sts:GetCallerIdentity', (c) => c.sts.send(new GetCallerIdentityCommand({})));
  const account = read.found ? read.value.Account : undefined;
  if (account === facts.accountId) return true;
  const profile = facts.awsProfile ? `profile ${facts.awsProfile}` : 'the default credential chain (no aws_profile)';
  findings.error(
    'identity',
    read.found ? (read.value.Arn ?? `account ${account ?? '?'}`) : 'sts:GetCallerIdentity',
    `credentials of platform.account_id ${facts.accountId}`,
    `${profile} is ${read.found ? (read.value.Arn ?? '?') : 'unknown'} in account ${account ?? '?'}; no other AWS check was made (they would read the wrong account)`,
    `use credentials of account ${facts.accountId}: fix credentials.aws_profile (or AWS_PROFILE) or platform.account_id in cluster.yaml`,
  );
  return false;
}
